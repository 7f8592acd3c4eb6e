"""Closed models in the lead: the open-weight share of enterprise LLM use, by Menlo edition.

One line over time on its own 0-based axis, so the fall is visible; every edition measured
something different, so the segments are dotted and each point names its measure.
"""
from charts import _common as c
from pipeline.figures.formatting import date_text, percent
from pipeline.figures.numbers import complement, difference, from_row, one_row

DATASETS = ["enterprise_open_share"]
SOCIAL_CARD = True  # the headline figure: the image link previews show
SIZE = {"wide": (6.4, 3.8), "narrow": (3.6, 3.9)}
TITLE = "Open-weight models' share of enterprise AI use was lower in each Menlo report after 2024"
ALT = ("Line chart of the open-weight share of enterprise large-language-model use in three Menlo "
       "Ventures reports: {open_share_2024} in the 2024 report (method not stated), "
       "{open_share_mid_2025} of production usage in the mid-2025 update and {open_share_end_2025} of "
       "spend in the December 2025 report, published after the essay's date. Each report measured "
       "something different, but each later reading is lower; closed models hold the rest.")
CAPTION = ("Menlo Ventures put open-weight models at {open_share_2024} of enterprise LLM use in its 2024 "
           "report, {open_share_mid_2025} of production usage by mid-2025 and {open_share_end_2025} of "
           "spend in December 2025; closed models hold the rest ({closed_share_2024} in 2024). Each "
           "report measures something different, so read the fall of {drop_points} as a direction, "
           "not a size.")
NOTES = [
    "The measure changed between editions: the mid-2025 update counts production usage, the "
    "December 2025 report estimates spend from production API usage, and the 2024 report's method "
    "is not stated in the sources read. The dotted line joins values measured differently.",
    "Menlo reports only the open share; the closed share is implied as the rest of the total.",
    "The December 2025 report was published after this essay's date (later data, shaded).",
]

_DATA = "enterprise_open_share"
# What each edition measured, as the chart writes it under its point (keyed by the measure column).
_MEASURE_WORDS = {"not stated in the sources we could read": "method not stated",
                 "share of production AI usage (not spend)": "share of usage",
                 "share of enterprise spend estimated from production API usage": "share of spend"}


def numbers(frames):
    data = frames[_DATA]
    y2024 = one_row(data, edition="2024 report")
    mid25 = one_row(data, edition="2025 mid-year update")
    end25 = one_row(data, edition="2025 report")
    return {
        "open_share_2024": from_row(y2024, "open_share", "percent"),
        "closed_share_2024": complement(y2024, "open_share", why="Menlo reports only the open share"),
        "open_share_mid_2025": from_row(mid25, "open_share", "percent"),
        "open_share_end_2025": from_row(end25, "open_share", "percent"),
        # 2024 (method not stated) against December 2025 (spend): a cross-measure difference.
        "drop_points": difference(y2024, end25, "open_share"),
    }


def _tick(row, narrow: bool) -> str:
    """An edition under its point: its month and what it measured (on a phone, one word a line)."""
    words = _MEASURE_WORDS.get(row["measure"], row["measure"])
    when = date_text(row["published"], "month", short=True)
    return f"{when}\n" + (words.replace(" ", "\n", 1) if narrow else words)


def draw(fig, frames, theme, layout):
    import pandas as pd  # heavy: imported only when a figure is drawn (see charts/_common.py)

    data = frames[_DATA].sort_values("published").reset_index(drop=True)
    open_c = theme.color("open")
    ax = fig.subplots()
    plotted = c.Plotted(_DATA)

    xs = list(data["published"])
    pad = pd.Timedelta(days=110 if layout.narrow else 75)
    left, right = xs[0] - pad, xs[-1] + pad
    ax.set_xlim(left, right)
    c.shade_later_data(ax, theme, right=right, label=not layout.narrow)

    c.plot_series(ax, xs, data["open_share"], data["confidence"], open_c, theme, measures=data["measure"],
                  size=9, linewidth=2.4)
    for _, row in data.iterrows():
        c.direct_label(ax, row["published"], row["open_share"],
                       c.approx_sign(row["confidence"]) + percent(row["open_share"]), open_c, theme,
                       dx=0, dy=10, ha="center", va="bottom", size="title")
        plotted.add("Open-weight share of enterprise LLM use",
                    f"{date_text(row['published'], 'month')} ({row['edition']}; "
                    f"{_MEASURE_WORDS.get(row['measure'], row['measure'])})", row, "open_share", "percent")

    # Why the line is dotted: beside its first segment; on a phone, in the free space under the line.
    first, second = data.iloc[0], data.iloc[1]
    if layout.narrow:
        c.keep_clear(ax.annotate("dotted: each report\nmeasured something\ndifferent", (0, 0), xycoords="axes fraction",
                                 xytext=(6, 6), textcoords="offset points", ha="left", va="bottom",
                                 fontsize=theme.size.annotation, color=theme.muted, linespacing=1.15))
        c.later_label(ax, theme, "later data")
    else:
        middle = first["published"] + (second["published"] - first["published"]) / 2
        c.keep_clear(ax.annotate("dotted: each report\nmeasured something different",
                                 (middle, (first["open_share"] + second["open_share"]) / 2), xytext=(-6, -12),
                                 textcoords="offset points", ha="right", va="top", fontsize=theme.size.annotation,
                                 color=theme.muted, linespacing=1.2))

    # Each edition on the x axis, with what it measured.
    ax.set_xticks(xs, [_tick(r, layout.narrow) for _, r in data.iterrows()])
    for label, when in zip(ax.get_xticklabels(), xs):
        label.set_color(theme.text if c.is_later(when) else theme.muted)
    ax.tick_params(axis="x", length=0, pad=6)
    c.percent_axis(ax, data["open_share"], step=5)
    ax.set_ylabel("Open-weight share")
    ax.spines["bottom"].set_color(theme.grid)
    return plotted
