"""Open models in close pursuit: published estimates of the open-model lag, and the Arena gap."""
from charts._common import is_later, is_solid, marker_style
from charts._style import HOLLOW_NOTE
from pipeline.numbers import Number, from_row, one_row, weakest

DATASETS = ["open_closed_lag", "arena_gap", "original_claims"]
SIZE = (6.4, 6.6)
TITLE = ("Open models trail the closed frontier by months, and the later estimates no longer "
         "show the gap closing")
ALT = ("Three-panel chart. Top: dot-and-range chart of published estimates of how many months the "
       "best open-weight model trails the best closed model, one row per estimate in order of "
       "publication. Epoch AI put the lag at about {lag_2024} in November 2024 (a secondary report "
       "of the same study gives {lag_2024_low} to {lag_2024_high} across benchmarks) and at "
       "{lag_2025} on average over {lag_2025_window}. Later data, published in 2026: Interconnects "
       "{lag_interconnects_low} to {lag_interconnects_high}, LessWrong {lag_public_low} to "
       "{lag_public_high} on public and {lag_private_low} to {lag_private_high} on private "
       "benchmarks, Epoch AI {lag_2026} on average over {lag_2026_window}. Bottom left: the top "
       "closed model's lead on Chatbot Arena in the AI Index, {arena_gap_2024} of score in "
       "January 2024 and {arena_gap_2025} in February 2025. Bottom right: the lead in Arena "
       "rating points, {arena_points_2023} in early 2023 and about {arena_points_2026} in 2026 "
       "by Arena's own count; a personal site gives {arena_points_2023_site} for 2023 and "
       "{arena_points_jun_2026} in June 2026. The lag is now counted in months, and the 2026 "
       "estimates are no smaller than the 2025 one.")
CAPTION = ("Each row is one published estimate with its own measure and period, so the rows are not "
           "one series. On Chatbot Arena the closed lead fell from {arena_gap_2024} to "
           "{arena_gap_2025} of score by February 2025; Arena's own count puts it at about "
           "{arena_points_2026} in 2026 (later data).")
NOTES = [
    "The estimates use different measures. Epoch AI's 2024 report compares benchmarks and training "
    "compute at the time of writing; its 2025 and 2026 figures average the Epoch Capabilities "
    "Index (ECI) gap over the stated periods. The 2025 average covers {lag_2025_window}, the "
    "period in which the 2024 report found a lag of about a year, so the fall from about a year "
    "to {lag_2025} is not a before-and-after on one measure.",
    "\u201cAbout one year\u201d is stored as {lag_2024}. The range of {lag_2024_low}\u2013"
    "{lag_2024_high} comes from a secondary report (AIM) of the same Epoch study.",
    "Later data: every 2026 row was published after this essay's date. Epoch calls its 2026 gap "
    "\u201cslightly larger\u201d than its 2025 one; LessWrong finds the gap smallest around "
    "January 2025 and growing since. The Interconnects range was read from a mirror, and its "
    "date (April or May 2026) is approximate.",
    "Arena: percent of score (the Stanford AI Index, read through secondary reports, which give "
    "{arena_gap_2024} for early 2024; a more precise figure often quoted for it could not be "
    "verified and is not used) and rating points are different units, so they have separate "
    "axes. The rating points come from Arena's post as quoted by a news site, dated only to 2026, "
    "and from a personal site's snapshot of {arena_site_snapshot_date}, which puts the 2023 gap "
    "at {arena_points_2023_site} rather than {arena_points_2023}. No monthly Arena series was "
    "found.",
    HOLLOW_NOTE,
]

# The 5-22 month range (a secondary report of Epoch's 2024 study) is drawn in the same row as the
# study's own "about one year".
SAME_ROW = {"epoch-2024-range": "epoch-2024-lag"}


# --- numbers -------------------------------------------------------------------------------------


def _bare(row, column):
    """The low end of a range, written without its unit: "4" so the prose reads "4 to 6 months"."""
    from pipeline.formatting import count

    return from_row(row, column, "months", text=count(row[column]))


def _window(row):
    """The period an average covers, in words, e.g. "January 2023 to October 2025"."""
    start, end = row["window_start"], row["window_end"]
    first = f"{start:%B}" if start.year == end.year else f"{start:%B %Y}"
    return Number(start.year, "year", row["source"], row["confidence"], text=f"{first} to {end:%B %Y}")


def _day(row, column="published"):
    """A row's day-precise date in words, e.g. "16 June 2026"."""
    when = row[column]
    return Number(when.year, "year", str(row["source"]), str(row["confidence"]), text=f"{when.day} {when:%B %Y}")


def numbers(frames):
    from pipeline.formatting import percent

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

    def both(a, b):
        return f"{a['source']}; {b['source']}" if a["source"] != b["source"] else str(a["source"])

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
        "lag_widening_2026": Number(y2026["lag_months"].item() - y2025["lag_months"].item(), "months",
                                    both(y2025, y2026), weakest(y2025["confidence"], y2026["confidence"])),
        "lag_interconnects_low": _bare(inter, "lag_low"),
        "lag_interconnects_high": from_row(inter, "lag_high", "months"),
        "lag_public_low": _bare(public, "lag_low"),
        "lag_public_high": from_row(public, "lag_high", "months"),
        "lag_private_low": _bare(private, "lag_low"),
        "lag_private_high": from_row(private, "lag_high", "months"),
        # The AI Index writes 8.0%, with its decimal: keep it.
        "arena_gap_2024": from_row(pct_2024, "gap", "percent", text=percent(pct_2024["gap"], 1)),
        "arena_gap_2025": from_row(pct_2025, "gap", "percent", text=percent(pct_2025["gap"], 1)),
        "arena_gap_narrowed": Number(round(pct_2024["gap"].item() - pct_2025["gap"].item(), 1), "points",
                                     both(pct_2024, pct_2025),
                                     weakest(pct_2024["confidence"], pct_2025["confidence"])),
        "arena_points_2023": from_row(pts_2023, "gap", "points"),
        "arena_points_2026": from_row(pts_2026, "gap", "points"),
        "arena_points_2023_site": from_row(site_2023, "gap", "points"),
        "arena_points_jun_2026": from_row(site_2026, "gap", "points"),
        # The day the personal site's snapshot was published (its row's `published`, day precision).
        "arena_site_snapshot_date": _day(site_2026),
    }


# --- drawing -------------------------------------------------------------------------------------


def _dash(confidence):
    return "-" if is_solid(confidence) else (0, (3, 2))


def _range_bar(ax, y, low, high, color, confidence):
    """A stated range: a bar with end caps; dashed when approximate or secondary."""
    ax.plot([low, high], [y, y], color=color, linewidth=2.4, linestyle=_dash(confidence),
            solid_capstyle="butt", zorder=3)
    for x in (low, high):
        ax.plot([x, x], [y - 0.17, y + 0.17], color=color, linewidth=2.0, zorder=3)


def _row_label(row):
    import pandas as pd

    publisher = row["publisher"].split(" (")[0]
    when = f"{row['published']:%b %Y}"
    if row["published_precision"] == "approx month":
        when = f"~{when}"
    if row["statistic"] == "average":
        start, end = row["window_start"], row["window_end"]
        first = f"{start:%b}" if start.year == end.year else f"{start:%b %Y}"
        detail = f"average, {first}\u2013{end:%b %Y}"
    elif row["benchmarks"] in ("public", "private"):
        detail = f"range, {row['benchmarks']} benchmarks"
    elif pd.notna(row["window_start"]):  # a range over a period
        detail = f"range since {row['window_start']:%b %Y}"
    else:
        detail = "lag at the time"
    return f"{publisher}, {when}\n{detail}"


def _draw_lag(ax, lag, theme):
    from pipeline.edition import ESSAY_DATE_TEXT
    from pipeline.formatting import count, months

    color = theme.color("open")
    main = lag[~lag["estimate"].isin(SAME_ROW)].copy()
    main["_order"] = main["lag_months"].fillna(main["lag_low"])
    main = main.sort_values(["published", "_order"]).reset_index(drop=True)
    ys = {est: y for y, est in enumerate(main["estimate"])}
    ys.update({extra: ys[base] for extra, base in SAME_ROW.items()})

    later_rows = [ys[est] for est, when in zip(main["estimate"], main["published"]) if is_later(when)]
    if later_rows:
        top, bottom = min(later_rows) - 0.5, max(later_rows) + 0.5
        ax.axhspan(top, bottom, color=theme.later_band, zorder=0, linewidth=0)
        ax.axhline(top, color=theme.muted, linewidth=0.8, linestyle=(0, (2, 2)), zorder=1)
        ax.text(0.995, top + 0.06, f"later data (after {ESSAY_DATE_TEXT})", transform=ax.get_yaxis_transform(),
                ha="right", va="top", fontsize=9, color=theme.muted)

    for _, row in lag.iterrows():
        y = ys[row["estimate"]]
        if row["statistic"] == "range":
            _range_bar(ax, y, row["lag_low"], row["lag_high"], color, row["confidence"])
        else:
            ax.plot([row["lag_months"]], [y], zorder=4, **marker_style(color, row["confidence"], theme, size=8))

    # One value label per row, beside its rightmost mark; a row with an added range gets its point
    # labelled above and the range below.
    for y, row in main.iterrows():
        if row["statistic"] == "range":
            text, right = f"{count(row['lag_low'])}\u2013{months(row['lag_high'])}", row["lag_high"]
        else:
            text, right = months(row["lag_months"]), row["lag_months"]
            if row["qualifier"] == "about":
                text = f"about {text}"
        extras = lag[lag["estimate"].isin([k for k, v in SAME_ROW.items() if v == row["estimate"]])]
        if extras.empty:
            ax.annotate(text, (right, y), xytext=(8, 0), textcoords="offset points", va="center",
                        fontsize=9.5, color=color, fontweight="bold")
            continue
        ax.annotate(text, (row["lag_months"], y), xytext=(0, 8), textcoords="offset points",
                    ha="center", va="bottom", fontsize=9.5, color=color, fontweight="bold")
        for _, extra in extras.iterrows():
            who = extra["publisher"].split(" (")[0]
            if extra["confidence"] == "secondary":
                who += ", secondary report"
            ax.annotate(f"{count(extra['lag_low'])}\u2013{months(extra['lag_high'])} across benchmarks ({who})",
                        ((extra["lag_low"] + extra["lag_high"]) / 2, y), xytext=(0, -8),
                        textcoords="offset points", ha="center", va="top", fontsize=8.8, color=color)

    ax.set_yticks(range(len(main)), [_row_label(r) for _, r in main.iterrows()], fontsize=8.8, color=theme.text)
    ax.set_ylim(len(main) - 0.5, -0.75)
    ax.tick_params(axis="y", length=0)
    ax.set_xlim(0, 24.5)
    ax.set_xticks(range(0, 25, 3))
    ax.grid(axis="x")
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("Months the best open-weight model trails the best closed model", fontsize=9.5)


def _slope(ax, xs, ys, confidence, color, theme, marker="o", joined=True):
    if joined:
        ax.plot(xs, ys, color=color, linestyle=_dash(confidence), linewidth=1.8, zorder=3)
    for x, y in zip(xs, ys):
        ax.plot([x], [y], zorder=4, **marker_style(color, confidence, theme, marker=marker, size=7.5))


def _draw_percent(ax, arena, theme):
    from pipeline.formatting import percent

    color = theme.color("closed")
    rows = arena[arena["unit"] == "percent"].sort_values("date").reset_index(drop=True)
    xs = list(range(len(rows)))
    confidence = "exact" if (rows["confidence"] == "exact").all() else "secondary"
    _slope(ax, xs, rows["gap"], confidence, color, theme)
    for x, (_, row) in zip(xs, rows.iterrows()):
        last = x == xs[-1]
        ax.annotate(percent(row["gap"], 1), (x, row["gap"]), xytext=(9 if last else -9, 0),
                    textcoords="offset points", ha="left" if last else "right", va="center",
                    fontsize=9.5, color=color, fontweight="bold")
    ax.set_xticks(xs, [f"{d:%b %Y}" for d in rows["date"]], fontsize=9)
    ax.set_xlim(-0.45, len(rows) - 0.55)
    ax.set_ylim(0, 10)
    ax.set_yticks([0, 5, 10], [percent(v) for v in (0, 5, 10)], fontsize=9)
    ax.set_title("Arena: closed lead, % of score\n(AI Index, secondary reports)", loc="left",
                 fontsize=9.5, color=theme.text)


def _draw_points(ax, arena, theme):
    from pipeline.formatting import count

    rows = arena[arena["unit"] == "rating points"].copy()
    rows["year"] = rows["date"].dt.year
    years = sorted(rows["year"].unique())
    xpos = {year: i for i, year in enumerate(years)}
    # Every rating-point value was published in 2026, after the essay's date (even the 2023 ones).
    all_later = all(is_later(p) for p in rows["published"])
    if all_later:
        ax.axvspan(-0.5, len(years) - 0.5, color=theme.later_band, zorder=0, linewidth=0)

    series = [("headsupai-2026", theme.color("closed"), "o", -0.07),
              ("willhackett-2026-06-16", theme.color("other"), "s", 0.07)]
    for source, color, marker, dodge in series:
        part = rows[rows["source"] == source].sort_values("date")
        xs = [xpos[y] + dodge for y in part["year"]]
        confidence = "exact" if (part["confidence"] == "exact").all() else "secondary"
        # Not joined: the source says the lead fell to "low double digits" by early 2025 and has
        # been flat since, so a straight line from 2023 to 2026 would invent a steady decline.
        _slope(ax, xs, part["gap"], confidence, color, theme, marker=marker, joined=False)
        for x, (_, row) in zip(xs, part.iterrows()):
            about = "~" if row["qualifier"] == "about" else ""
            # Left of the point, except the personal site's last value (beside Arena's own).
            right = dodge > 0 and x == xs[-1]
            ax.annotate(f"{about}{count(row['gap'])}", (x, row["gap"]), xytext=(8 if right else -8, 0),
                        textcoords="offset points", ha="left" if right else "right", va="center",
                        fontsize=9.5, color=color, fontweight="bold")
    # Which line is which, as a small direct key in the empty top right.
    for i, (text, color, marker) in enumerate([("Arena's post", theme.color("closed"), "o"),
                                               ("personal site", theme.color("other"), "s")]):
        y = 0.93 - i * 0.13
        ax.plot([0.56], [y], transform=ax.transAxes, clip_on=False,
                **marker_style(color, "secondary", theme, marker=marker, size=6.5))
        ax.text(0.62, y, text, transform=ax.transAxes, ha="left", va="center", fontsize=8.8, color=color)

    ax.set_xticks(range(len(years)), [str(y) for y in years], fontsize=9)
    ax.set_xlim(-0.5, len(years) - 0.5)
    ax.set_ylim(0, 300)
    ax.set_yticks([0, 100, 200, 300], [count(v) for v in (0, 100, 200, 300)], fontsize=9)
    title = "Arena: closed lead, points"
    if all_later:
        title += f"\n(later data, published {rows['published'].min():%Y})"
    ax.set_title(title, loc="left", fontsize=9.5, color=theme.text)


def _draw_claimed_range(ax, claim, theme):
    """The original essay's range, as a reference band behind the estimates."""
    from pipeline.formatting import count, months

    ax.axvspan(claim["low"], claim["high"], color=theme.color("highlight"), alpha=0.16, zorder=0, linewidth=0)
    ax.text((claim["low"] + claim["high"]) / 2, -0.72, f"original essay: {count(claim['low'])}\u2013{months(claim['high'])}",
            ha="center", va="bottom", fontsize=8.8, color=theme.muted)


def draw(fig, frames, theme):
    axes = fig.subplot_mosaic([["lag", "lag"], ["pct", "pts"]], height_ratios=[3.3, 1.9])
    _draw_lag(axes["lag"], frames["open_closed_lag"], theme)
    _draw_claimed_range(axes["lag"], one_row(frames["original_claims"], quantity="open_closed_lag"), theme)
    _draw_percent(axes["pct"], frames["arena_gap"], theme)
    _draw_points(axes["pts"], frames["arena_gap"], theme)
