"""Open models in close pursuit: every published estimate of the open-model lag, in months.

One panel in one unit: each column is one estimate (a point or a stated range), in order of
publication, over the original essay's 3-6 month band. Read left to right, the estimates fall to a
few months by late 2025 and none published since is lower. The Arena gap (a score, not months)
is not drawn here; its numbers stay in numbers() for the prose.
"""
from charts import _common as c
from pipeline.figures.style import HOLLOW_NOTE
from pipeline.figures.formatting import count, date_range_text, date_text, months, percent
from pipeline.figures.numbers import Number, date_number, difference, from_row, one_row

DATASETS = ["open_closed_lag", "original_claims"]
NUMBER_DATASETS = ["arena_gap"]  # the Arena gap is a score, not months: cited in the prose, not drawn
SIZE = {"wide": (6.4, 4.4), "narrow": (3.6, 5.0)}
TITLE = ("Open models trail the closed frontier by months, and the later estimates no longer "
         "show the gap closing")
ALT = ("Dot-and-range chart of published estimates of how many months the best open-weight model "
       "trails the best closed model, one mark per estimate in order of publication, over a band "
       "for Platz's {claimed_lag_low} to {claimed_lag_high}. Epoch AI put the lag at "
       "about {lag_2024} in November 2024 (a secondary report of the same study gives "
       "{lag_2024_low} to {lag_2024_high} across benchmarks) and at {lag_2025} on average over "
       "{lag_2025_window}. Later data, published in 2026: Interconnects {lag_interconnects_low} to "
       "{lag_interconnects_high}, LessWrong {lag_public_low} to {lag_public_high} on public and "
       "{lag_private_low} to {lag_private_high} on private benchmarks, and Epoch AI {lag_2026} on "
       "average over {lag_2026_window}. None of the later estimates is below the 2025 one.")
CAPTION = ("Each mark is one published estimate with its own measure and period, so the marks are "
           "not one series. Epoch AI's averages put the lag at {lag_2025} over {lag_2025_window} and "
           "{lag_2026} over {lag_2026_window}; no estimate published since late 2025 is shorter, and "
           "on private benchmarks LessWrong finds {lag_private_low} to {lag_private_high}.")
NOTES = [
    "The estimates use different measures. Epoch AI's 2024 report compares benchmarks and training "
    "compute at the time of writing; its 2025 and 2026 figures average the Epoch Capabilities "
    "Index (ECI) gap over the stated periods. The 2025 average covers {lag_2025_window}, the "
    "period in which the 2024 report found a lag of about a year, so the fall from about a year "
    "to {lag_2025} is not a before-and-after on one measure.",
    "\u201cAbout one year\u201d is stored as {lag_2024}. The range of {lag_2024_low}\u2013"
    "{lag_2024_high} comes from a secondary report (AIM) of the same Epoch study; its bar is cut at "
    "the top of the axis (the break marks), so that the other estimates stay readable.",
    "Later data (shaded): every 2026 estimate was published after this essay's date. Epoch calls its "
    "2026 gap \u201cslightly larger\u201d than its 2025 one (both averages are rounded to whole "
    "months, so the difference of about {lag_widening_2026} is approximate); LessWrong finds the gap "
    "smallest around January 2025 and growing since. The Interconnects range was read from a "
    "mirror, and its date (April or May 2026) is approximate.",
    "The band is Platz's {claimed_lag_low}\u2013{claimed_lag_high}.",
    HOLLOW_NOTE,
]

# The 5-22 month range (a secondary report of Epoch's 2024 study) is drawn in the same column as the
# study's own "about one year".
_SAME_COLUMN = {"epoch-2024-range": "epoch-2024-lag"}


# --- numbers -------------------------------------------------------------------------------------


def _bare(row, column):
    """The low end of a range, written without its unit: "4" so the prose reads "4 to 6 months"."""
    return from_row(row, column, "months", text=count(row[column]))


def _window(row):
    """The period an average covers, in words, e.g. "January 2023 to October 2025"."""
    return Number(row["window_start"].year, "year", str(row["source"]), str(row["confidence"]),
                  text=date_range_text(row["window_start"], row["window_end"]))


def numbers(frames):
    lag, arena = frames["open_closed_lag"], frames["arena_gap"]
    y2024 = one_row(lag, estimate="epoch-2024-lag")
    r2024 = one_row(lag, estimate="epoch-2024-range")
    y2025 = one_row(lag, estimate="epoch-2025-average")
    y2026 = one_row(lag, estimate="epoch-2026-average")
    inter = one_row(lag, estimate="interconnects-2026-range")
    public = one_row(lag, estimate="lesswrong-2026-public")
    private = one_row(lag, estimate="lesswrong-2026-private")

    pct = arena[arena["unit"] == "percent"]
    pct_2024 = one_row(pct, date="2024-01-01")
    pct_2025 = one_row(pct, date="2025-02-01")
    pts_2023 = one_row(arena, source="headsupai-2026", date="2023-01-01")
    pts_2026 = one_row(arena, source="headsupai-2026", date="2026-01-01")
    site_2023 = one_row(arena, source="willhackett-2026-06-16", date="2023-01-01")
    site_2026 = one_row(arena, source="willhackett-2026-06-16", date="2026-06-16")

    claimed = one_row(frames["original_claims"], quantity="open_closed_lag")
    return {
        "claimed_lag_low": _bare(claimed, "low"),
        "claimed_lag_high": from_row(claimed, "high", "months"),
        "lag_2024": from_row(y2024, "lag_months", "months"),
        "lag_2024_low": _bare(r2024, "lag_low"),
        "lag_2024_high": from_row(r2024, "lag_high", "months"),
        "lag_2025": from_row(y2025, "lag_months", "months"),
        "lag_2025_window": _window(y2025),
        "lag_2026": from_row(y2026, "lag_months", "months"),
        "lag_2026_window": _window(y2026),
        # Both averages are rounded to whole months: their difference is approximate.
        "lag_widening_2026": difference(y2026, y2025, "lag_months", "months", measure="metric",
                                        approximate="difference of two averages, each rounded to whole months"),
        "lag_interconnects_low": _bare(inter, "lag_low"),
        "lag_interconnects_high": from_row(inter, "lag_high", "months"),
        "lag_public_low": _bare(public, "lag_low"),
        "lag_public_high": from_row(public, "lag_high", "months"),
        "lag_private_low": _bare(private, "lag_low"),
        "lag_private_high": from_row(private, "lag_high", "months"),
        # The AI Index writes 8.0%, with its decimal: keep it.
        "arena_gap_2024": from_row(pct_2024, "gap", "percent", text=percent(pct_2024["gap"], 1)),
        "arena_gap_2025": from_row(pct_2025, "gap", "percent", text=percent(pct_2025["gap"], 1)),
        "arena_gap_narrowed": difference(pct_2024, pct_2025, "gap", "points", ndigits=1, measure="unit"),
        "arena_points_2023": from_row(pts_2023, "gap", "points"),
        "arena_points_2026": from_row(pts_2026, "gap", "points"),
        "arena_points_2023_site": from_row(site_2023, "gap", "points"),
        "arena_points_jun_2026": from_row(site_2026, "gap", "points"),
        # The day the personal site's snapshot was published (its row's `published`, day precision).
        "arena_site_snapshot_date": date_number(site_2026, "published", "day"),
    }


# --- drawing -------------------------------------------------------------------------------------


def _columns(lag):
    """The estimates in order of publication (ties: the shorter lag first), one per column."""
    main = lag[~lag["estimate"].isin(_SAME_COLUMN)].copy()
    main["_order"] = main["lag_months"].fillna(main["lag_low"])
    return main.sort_values(["published", "_order"]).reset_index(drop=True)


def _tick(row, sep: str = "\n") -> str:
    """Who, when, and what kind of estimate, under its column."""
    publisher = row["publisher"].split(" (")[0]
    when = date_text(row["published"], "month", short=True)
    if row["published_precision"] == "approx month":
        when = f"~{when}"
    if row["statistic"] == "average":
        kind = "average"
    elif row["benchmarks"] in ("public", "private"):
        kind = f"{row['benchmarks']} set"
    elif row["statistic"] == "range":
        kind = "range"
    else:
        kind = "at the time"
    return sep.join([publisher, when, kind])


def _value(row) -> str:
    if row["statistic"] == "range":
        return f"{count(row['lag_low'])}\u2013{count(row['lag_high'])}"
    return ("about " if row["qualifier"] == "about" else "") + count(row["lag_months"])


class _Axes:
    """The estimates' axis and the months' axis, so one drawing serves both layouts: columns side by
    side with months up (wide), or rows one under another with months across (narrow)."""

    def __init__(self, ax, narrow: bool):
        self.ax, self.narrow = ax, narrow

    def xy(self, position, months):
        return (months, position) if self.narrow else (position, months)

    def line(self, positions, months, **style):
        xs, ys = (months, positions) if self.narrow else (positions, months)
        self.ax.plot(xs, ys, **style)


def _range(axes, at, low, high, cut, color, confidence, theme):
    """A stated range: a bar with end caps, dashed when approximate or secondary; cut at the axis
    end `cut` (no cap there, two break marks instead) when it runs past it."""
    style = "-" if c.is_solid(confidence) else c.DASHED
    end = min(high, cut)
    axes.line([at, at], [low, end], color=color, linewidth=2.6, linestyle=style, solid_capstyle="butt", zorder=3)
    for value in (low, high):
        if value <= cut:
            axes.line([at - 0.12, at + 0.12], [value, value], color=color, linewidth=2.2, zorder=3)
    if high > cut:  # break marks: two short slanted strokes across the bar, just inside the axis
        for k in (0.55, 0.85):
            y = cut - k * 0.6
            axes.line([at - 0.14, at + 0.14], [y - 0.25, y + 0.25], color=theme.background, linewidth=4, zorder=4)
            axes.line([at - 0.14, at + 0.14], [y - 0.25, y + 0.25], color=color, linewidth=1.3, zorder=5)


def _shift(narrow: bool) -> float:
    """Where the secondary range sits beside its study's point: left of it (wide), under it (narrow)."""
    return 0.3 if narrow else -0.22


def draw(fig, frames, theme, layout):
    narrow = layout.narrow
    lag = frames["open_closed_lag"]
    claim = one_row(frames["original_claims"], quantity="open_closed_lag")
    color = theme.color("open")
    ax = fig.subplots()
    axes = _Axes(ax, narrow)
    plotted = c.Plotted("open_closed_lag")
    columns = _columns(lag)
    at = {est: k for k, est in enumerate(columns["estimate"])}
    at.update({extra: at[base] for extra, base in _SAME_COLUMN.items()})
    n = len(columns)
    # The months axis ends above every estimate but the secondary 5-22 range, which is cut there.
    kept = lag[~lag["estimate"].isin(_SAME_COLUMN)]
    top = c.nice_top(list(kept["lag_months"].dropna()) + list(kept["lag_high"].dropna()), 3)

    later = [k for k, when in enumerate(columns["published"]) if c.is_later(when)]
    if later:
        if narrow:
            ax.axhspan(min(later) - 0.5, n - 0.5, color=theme.later_band, zorder=0, linewidth=0)
            ax.axhline(min(later) - 0.5, color=theme.muted, linewidth=0.8, linestyle=(0, (2, 2)), zorder=1)
            c.keep_clear(ax.annotate(c.LATER_LABEL, (1, n - 0.4), xycoords=("axes fraction", "data"),
                                     xytext=(-3, 3), textcoords="offset points", ha="right", va="bottom",
                                     fontsize=theme.size.annotation, color=theme.muted))
        else:
            c.shade_later(ax, theme, min(later) - 0.5, n - 0.5)
    # The original essay's range, as a band across every estimate, named beside it.
    span = ax.axvspan if narrow else ax.axhspan
    span(claim["low"], claim["high"], color=theme.color("highlight"), alpha=0.22, zorder=0.5, linewidth=0)
    band = f"Platz (2025): {count(claim['low'])}\u2013{months(claim['high'])}"
    if narrow:
        ax.annotate(band, ((claim["low"] + claim["high"]) / 2, 1), xycoords=("data", "axes fraction"), xytext=(0, 4),
                    textcoords="offset points", ha="center", va="bottom", fontsize=theme.size.annotation,
                    color=theme.muted)
    else:
        c.keep_clear(ax.annotate(band.replace(": ", ":\n").replace("original ", "original\n"),
                                 (1, (claim["low"] + claim["high"]) / 2), xycoords=("axes fraction", "data"),
                                 xytext=(5, 0), textcoords="offset points", ha="left", va="center",
                                 fontsize=theme.size.annotation, color=theme.muted, linespacing=1.15))
    plotted.add("Platz's range (the band)", "as his essay put it", claim, low=claim["low"],
                high=claim["high"], unit="months", dataset="original_claims", later=False)

    for _, row in lag.iterrows():
        k = at[row["estimate"]]
        if row["statistic"] == "range":
            shift = _shift(narrow) if row["estimate"] in _SAME_COLUMN else 0  # beside the study's own point
            _range(axes, k + shift, row["lag_low"], row["lag_high"], top, color, row["confidence"], theme)
        else:
            ax.plot(*axes.xy(k, row["lag_months"]), zorder=4, **c.marker_style(color, row["confidence"], theme, size=9))

    # One value label per estimate, beside its mark; the added range is labelled at its middle, on
    # the side away from the study's point.
    for k, row in columns.iterrows():
        y = row["lag_months"] if row["statistic"] != "range" else (row["lag_low"] + row["lag_high"]) / 2
        if narrow:
            end = row["lag_months"] if row["statistic"] != "range" else row["lag_high"]
            c.direct_label(ax, end, k, _value(row), color, theme, dx=8)
        else:
            c.direct_label(ax, k, y, _value(row), color, theme, dx=9)
        plotted.add("Published estimates of the lag, in order of publication", _tick(row, ", "), row,
                    None if row["statistic"] == "range" else "lag_months", "months",
                    low=row["lag_low"] if row["statistic"] == "range" else None,
                    high=row["lag_high"] if row["statistic"] == "range" else None,
                    qualifier="about" if row["qualifier"] == "about" else "")
        for extra, base in _SAME_COLUMN.items():
            if base != row["estimate"]:
                continue
            r = one_row(lag, estimate=extra)
            text = f"{count(r['lag_low'])}\u2013{count(r['lag_high'])}"
            middle = (r["lag_low"] + min(r["lag_high"], top)) / 2
            if narrow:
                c.direct_label(ax, middle, k + _shift(narrow), text, color, theme, dx=0, dy=-5, ha="center",
                               va="top", size="annotation", bold=False)
            else:
                c.direct_label(ax, k + _shift(narrow), middle, text, color, theme, dx=-7, ha="right",
                               size="annotation", bold=False)
            plotted.add("Published estimates of the lag, in order of publication",
                        f"{_tick(r, ', ')} (the bar is cut at the axis end)", r, low=r["lag_low"],
                        high=r["lag_high"], unit="months")

    ticks = [_tick(r) for _, r in columns.iterrows()]
    if narrow:
        # Each estimate's name above its row, at the left; months across the bottom.
        for k, name in enumerate(ticks):
            ax.annotate(name.replace("\n", ", ", 1).replace("\n", ", "), (0, k), xycoords=("axes fraction", "data"),
                        xytext=(2, 8), textcoords="offset points", ha="left", va="bottom",
                        fontsize=theme.size.annotation, color=theme.text)
        ax.set_ylim(n - 0.4, -0.75)
        ax.set_yticks([])
        ax.set_xlim(0, top)
        ax.set_xticks(range(0, int(top) + 1, 3))
        ax.grid(axis="x", visible=True)
        ax.grid(axis="y", visible=False)
        ax.set_xlabel("Months open models trail closed ones")
        ax.tick_params(axis="x", length=0)
    else:
        ax.set_xticks(range(n), ticks)
        ax.tick_params(axis="x", length=0, pad=4)
        ax.set_xlim(-0.5, n - 0.5)
        ax.set_ylim(0, top)
        ax.set_yticks(range(0, int(top) + 1, 3))
        ax.set_ylabel("Months open models trail closed ones")
    return plotted
