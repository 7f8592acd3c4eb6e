"""Drawing helpers shared by the figure modules, so no chart code is copied between them.

The conventions every figure follows live here:
- approximate or secondary values are drawn hollow (markers) or dashed (lines); a line that joins
  two values measured differently (a survey that changed its method) is dotted;
- data published after the essay's date sits in a shaded "later data" band whose label stands
  above the plot, where no line can cross it;
- axis limits come from the data (nice_top), so a value can never fall off a fixed axis;
- type comes in the theme's four sizes (theme.size.title/label/annotation/small), which the build
  sets per layout (wide, narrow: `layout.narrow`);
- draw() records what it plots in a `Plotted` and returns it: that is the figure's data table.

matplotlib is imported inside the functions that draw: the registry imports every figure module
(and so this one) to read titles and datasets, and a run with nothing to draw must not pay for it.
"""
from __future__ import annotations

import math
from datetime import date

from pipeline.figures.style import Theme
from pipeline.edition import ESSAY_DATE, ESSAY_DATE_TEXT
from pipeline.figures.formatting import FORMATS, date_text, percent

SOLID_CONFIDENCE = "exact"
DASHED = (0, (4, 3))      # approximate or secondary
DOTTED = (0, (0.1, 2))    # joins values measured differently: round dots (with round caps)
LATER_LABEL = f"later data (after {ESSAY_DATE_TEXT})"


# --- what a figure plots: its data table ------------------------------------------------------


class Plotted(list):
    """The values a figure draws, one dict per value, in the order a reader should read them: the
    rows of the figure's data table on the page and in the PDF. Record a value where it is drawn,
    from the same row: `plotted.add(series, point, row, "share", "percent")`.

    Each value has `series` (what the line, bar group or panel shows), `point` (where on it: a date
    or a category), `value` or `low`/`high` (a range), `unit` (a key of formatting.FORMATS), `text`
    (the value as the table writes it, without its confidence mark), `confidence`, `source` and
    `dataset` (ids, "; "-separated), `later` (published after the essay's date).
    """

    def __init__(self, dataset: str = ""):
        super().__init__()
        self.dataset = dataset

    def add(self, series: str, point: str, row=None, column: str | None = None, unit: str = "count", *,
            value=None, low=None, high=None, text: str = "", qualifier: str = "", source: str | None = None,
            confidence: str | None = None, dataset: str | None = None, later: bool | None = None):
        """One plotted value: read from `row[column]` (its source and confidence from the row), or
        given as `value` (or `low` and `high`) with `source` and `confidence`."""
        if column is not None:
            value = row[column]
        value, low, high = (None if v is None else _plain(v) for v in (value, low, high))
        if value is None and (low is None or high is None):
            raise ValueError(f"{series} / {point}: a plotted value needs a value or both ends of a range")
        source = str(row["source"]) if source is None else source
        confidence = str(row["confidence"]) if confidence is None else confidence
        if later is None:
            when = None if row is None else next((row[k] for k in ("published", "date") if k in row), None)
            later = bool(when is not None and is_later(when))
        if not text:
            if value is None:
                high_text = FORMATS[unit](high)
                text = f"{FORMATS['count'](low) if unit in ('months', 'millions') else FORMATS[unit](low)}\u2013{high_text}"
            else:
                text = FORMATS[unit](value)
            text = f"{qualifier} {text}" if qualifier else text
        self.append({"series": series, "point": point, "value": value, "low": low, "high": high, "unit": unit,
                     "text": text, "confidence": confidence, "source": source,
                     "dataset": dataset or self.dataset, "later": bool(later)})
        return self[-1]


def _plain(value):
    """numpy and pandas scalars -> float (JSON, and equal across runs)."""
    value = value.item() if hasattr(value, "item") else value
    return float(value)


def is_solid(confidence: str) -> bool:
    return confidence == SOLID_CONFIDENCE


def approx_sign(confidence: str) -> str:
    """The prefix a value label gets when its value is approximate."""
    return "" if is_solid(confidence) else "\u2248"


def marker_style(color: str, confidence: str, theme: Theme, marker: str = "o", size: float = 7) -> dict:
    """Filled marker for exact values, hollow for approximate or secondary ones."""
    return dict(marker=marker, markersize=size, markeredgecolor=color, markeredgewidth=1.8,
                markerfacecolor=color if is_solid(confidence) else theme.background, linestyle="none")


def segment_style(c0: str, c1: str, m0=None, m1=None):
    """Line style of the segment between two points: dotted across a change of measure, dashed
    when either end is not exact, else solid."""
    if m0 is not None and m1 is not None and str(m0).strip() != str(m1).strip():
        return DOTTED
    return "-" if is_solid(c0) and is_solid(c1) else DASHED


def plot_series(ax, xs, ys, confidences, color: str, theme: Theme, measures=None, marker: str = "o",
                size: float = 7, linewidth: float = 2.2, zorder: int = 3) -> None:
    """A line through points; a segment touching a non-exact point is dashed and that point hollow;
    a segment between points whose `measures` differ is dotted (the line is not a trend)."""
    xs, ys, confidences = list(xs), list(ys), list(confidences)
    measures = list(measures) if measures is not None else [None] * len(xs)
    for i in range(len(xs) - 1):
        style = segment_style(confidences[i], confidences[i + 1], measures[i], measures[i + 1])
        ax.plot(xs[i:i + 2], ys[i:i + 2], color=color, linestyle=style, linewidth=linewidth,
                zorder=zorder, solid_capstyle="round", dash_capstyle="round" if style == DOTTED else "butt")
    for x, y, c in zip(xs, ys, confidences):
        ax.plot([x], [y], zorder=zorder + 1, **marker_style(color, c, theme, marker, size))


def keep_clear(text):
    """Mark a text that no line may cross (tests/test_chart_layout.py checks it)."""
    text.house_keep_clear = True
    return text


def later_label(ax, theme: Theme, text: str = LATER_LABEL):
    """The "later data" label: above the plot, ending at its right edge (the band always reaches
    it), so no line in the plot crosses it and a narrow band does not push it off the figure."""
    label = ax.annotate(text, (1, 1), xycoords="axes fraction", xytext=(0, 4), textcoords="offset points",
                        ha="right", va="bottom", fontsize=theme.size.annotation, color=theme.muted)
    return keep_clear(label)


def shade_later(ax, theme: Theme, left, right, label: bool = True, divider: bool = True) -> None:
    """Shade the x span [left, right] (data units; right is the axis' right end) as later data,
    with its divider and label."""
    ax.axvspan(left, right, color=theme.later_band, zorder=0, linewidth=0)
    if divider:
        ax.axvline(left, color=theme.muted, linewidth=0.8, linestyle=(0, (2, 2)), zorder=1)
    if label:
        later_label(ax, theme)


def shade_later_data(ax, theme: Theme, right, cutoff: date = ESSAY_DATE, label: bool = True) -> None:
    """Shade a time axis after the essay's date up to `right` (a date), and set the right limit."""
    import matplotlib.dates as mdates  # heavy: only when drawing

    left, right = mdates.date2num(cutoff), mdates.date2num(right)
    shade_later(ax, theme, left, right, label=label)
    ax.set_xlim(right=right)


def direct_label(ax, x, y, text: str, color: str, theme: Theme, dx: float = 6, dy: float = 0,
                 ha: str = "left", va: str = "center", size: str = "label", bold: bool = True, **kw):
    """A label beside a point, in the series' colour (easier to read than a legend)."""
    return ax.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points", color=color, ha=ha, va=va,
                       fontsize=getattr(theme.size, size), fontweight="bold" if bold else "normal", **kw)


def spread(values, gap: float, low: float | None = None) -> list[float]:
    """Positions for labels beside `values` (same order), at least `gap` apart, each as close to its
    value as that allows: labels that would collide are set as a block centred on their values."""
    order = sorted(range(len(values)), key=lambda i: float(values[i]))
    clusters: list[list[int]] = []   # runs of indices set one gap apart

    def start(cluster):
        mean = sum(float(values[i]) for i in cluster) / len(cluster)
        first = mean - (len(cluster) - 1) * gap / 2
        return first if low is None else max(first, low)

    for i in order:
        clusters.append([i])
        while len(clusters) > 1 and start(clusters[-2]) + len(clusters[-2]) * gap > start(clusters[-1]) + 1e-9:
            clusters[-2:] = [clusters[-2] + clusters[-1]]
    out = [0.0] * len(values)
    for cluster in clusters:
        for k, i in enumerate(cluster):
            out[i] = start(cluster) + k * gap
    return out


def nice_top(values, step: float, headroom: float = 0.08) -> float:
    """The axis top for these values: the first multiple of `step` at or above the largest value
    plus a little headroom. Axes follow the data, so no value can fall off a fixed range."""
    largest = max(float(v) for v in values if v == v)  # v == v skips NaN
    return step * max(1, math.ceil(largest * (1 + headroom) / step))


def percent_axis(ax, values, step: float = 10, cap: float = 100) -> None:
    """A y axis of percentages from 0 to just above the largest value (at most `cap`)."""
    from matplotlib.ticker import FuncFormatter, MultipleLocator  # heavy: only when drawing

    values = [float(v) for v in values if v == v]
    top = nice_top(values, step)
    if top > cap >= max(values):  # a share axis need not run past 100%
        top = cap
    ax.set_ylim(0, top)
    ax.yaxis.set_major_locator(MultipleLocator(step))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: percent(v, 0)))


def month_axis(ax, months=(1, 4, 7, 10)) -> None:
    """Month ticks (short names), with the year under the first tick and under every January."""
    import matplotlib.dates as mdates  # heavy: only when drawing
    from matplotlib.ticker import FuncFormatter

    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=list(months)))

    def tick(v, pos):
        when = mdates.num2date(v)
        short = date_text(when, "month-only", short=True)
        return f"{short}\n{when.year}" if pos == 0 or when.month == 1 else short

    ax.xaxis.set_major_formatter(FuncFormatter(tick))


def is_later(when) -> bool:
    """True for data published after the essay's date (a date, datetime or pandas Timestamp);
    False when the date is not recorded (NaT or None)."""
    if when is None or when != when:  # NaT compares unequal to itself
        return False
    day = when.date() if hasattr(when, "date") and callable(when.date) else when
    return day > ESSAY_DATE
