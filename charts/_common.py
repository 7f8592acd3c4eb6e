"""Drawing helpers shared by the figure modules, so no chart code is copied between them.

The two conventions every figure follows live here:
- approximate or secondary values are drawn hollow (markers) or dashed (lines);
- data published after the essay's date sits in a shaded "later data" band, with a label.
"""
from __future__ import annotations

from datetime import date

from charts._style import Theme
from pipeline.edition import ESSAY_DATE, ESSAY_DATE_TEXT

SOLID_CONFIDENCE = "exact"


def is_solid(confidence: str) -> bool:
    return confidence == SOLID_CONFIDENCE


def marker_style(color: str, confidence: str, theme: Theme, marker: str = "o", size: float = 7) -> dict:
    """Filled marker for exact values, hollow for approximate or secondary ones."""
    return dict(marker=marker, markersize=size, markeredgecolor=color, markeredgewidth=1.8,
                markerfacecolor=color if is_solid(confidence) else theme.background, linestyle="none")


def plot_series(ax, xs, ys, confidences, color: str, theme: Theme, label: str | None = None,
                marker: str = "o", zorder: int = 3) -> None:
    """A line through points; a segment touching a non-exact point is dashed, that point hollow."""
    points = list(zip(xs, ys, confidences))
    for (x0, y0, c0), (x1, y1, c1) in zip(points, points[1:]):
        solid = is_solid(c0) and is_solid(c1)
        ax.plot([x0, x1], [y0, y1], color=color, linestyle="-" if solid else (0, (4, 3)),
                zorder=zorder, solid_capstyle="round")
    for x, y, c in points:
        ax.plot([x], [y], zorder=zorder + 1, **marker_style(color, c, theme, marker))
    if label:
        # One legend entry per series, drawn as a filled marker on a solid line.
        ax.plot([], [], color=color, marker=marker, markersize=7, label=label)


def shade_later_data(ax, theme: Theme, cutoff: date = ESSAY_DATE, right=None, label: bool = True) -> None:
    """Shade the part of a time axis after the essay's date and (unless label=False) say what it is."""
    import matplotlib.dates as mdates

    left = mdates.date2num(cutoff)
    right = mdates.date2num(right) if right is not None and not isinstance(right, float) else right
    right = right if right is not None else ax.get_xlim()[1]
    ax.axvspan(left, right, color=theme.later_band, zorder=0, linewidth=0)
    ax.axvline(left, color=theme.muted, linewidth=0.8, linestyle=(0, (2, 2)), zorder=1)
    if label:
        ax.text(left, 1.0, f" later data\n (after {ESSAY_DATE_TEXT})", transform=ax.get_xaxis_transform(),
                ha="left", va="top", fontsize=9, color=theme.muted)
    ax.set_xlim(right=right)


def label_end(ax, x, y, text: str, color: str, dx: float = 6, dy: float = 0, **kw) -> None:
    """A direct label beside a point, in the series' colour (easier to read than a legend)."""
    ax.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points", color=color,
                va="center", fontsize=10, fontweight="bold", **kw)


def year_axis(ax) -> None:
    import matplotlib.dates as mdates

    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.xaxis.set_minor_locator(mdates.MonthLocator(bymonth=[4, 7, 10]))


def percent_axis(ax, top: float = 100) -> None:
    from matplotlib.ticker import FuncFormatter

    from pipeline.formatting import percent

    ax.set_ylim(0, top)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: percent(v, 0)))


def is_later(when) -> bool:
    """True for data published after the essay's date (a date, datetime or pandas Timestamp)."""
    day = when.date() if hasattr(when, "date") and callable(when.date) else when
    return day > ESSAY_DATE


def panel_title(ax, text: str, color: str, size: float = 10, pad: float = 6) -> None:
    """A bold title at the top left of one panel of a multi-panel figure."""
    ax.set_title(text, loc="left", fontsize=size, fontweight="bold", color=color, pad=pad)
