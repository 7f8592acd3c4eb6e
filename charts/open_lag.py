"""The open-model lag measured on LMArena: per snapshot, the gap between the best closed and the best
open model, and how many months after the closed frontier an open model reached its level.

The method lives here, beside the drawing, on purpose: a figure is redrawn when its own module
changes (pipeline/figures/build.py hashes charts/<id>.py), so a change to the method redraws this figure
and only this one. The Methods page (docs/methods.md) describes it in words.

The method, in short (every constant is named below):
- Names: letter case is ignored, and the names in data/lmarena_aliases.csv count as one model, whose
  score in a snapshot is the highest of its names and whose date is the first snapshot that lists
  any of them (its "first appearance").
- Class: each model takes the class of its licence string (data/lmarena_licences.csv) as listed in
  the newest snapshot that has it, unless data/lmarena_model_classes.csv says otherwise. Models of
  class "unknown" count for neither side.
- Gap: in each snapshot, the best closed score minus the best open score (points, and percent of
  the closed score as the AI Index states it).
- Lag: take the best open score S on a board. The open date is the first appearance of the first
  open model on that board to score S or more; the closed date, the first appearance of the first
  closed model on that board to score S or more. The lag is the months from the closed date to the
  open date. Two boards, the method's two choices: each snapshot's own board (its scores, the models
  it lists), or the newest snapshot's board for every date (one scale; only models still listed).
- Dates before the data: a model already on the first snapshot's board arrived on or before that
  date. A lag whose closed date is that date is a lower bound ("at least"); one whose open date is
  that date is unknown. Summaries use exact lags only.
"""
from __future__ import annotations

from charts._common import is_later, is_solid, marker_style
from pipeline.figures.style import HOLLOW_NOTE
from pipeline.figures.numbers import Number, from_row, one_row

DATASETS = ["lmarena_text", "lmarena_snapshots", "lmarena_licences", "lmarena_aliases",
            "lmarena_model_classes", "arena_gap", "open_closed_lag", "original_claims"]
SIZE = {"wide": (6.4, 6.2), "narrow": (3.6, 7.6)}
TITLE = ("On LMArena, open models reached the closed frontier's score {lag_median_words} later from "
         "{first_exact_month} to {last_snapshot_month}, {lag_trend_title}")
ALT = ("Two-panel line chart from {snapshot_count} snapshots of the LMArena text leaderboard, "
       "{first_snapshot} to {last_snapshot}. Top: the best closed model's lead over the best open "
       "model, as a percent of the closed score: {gap_min_percent} at its smallest and "
       "{gap_max_percent} at its largest, {gap_latest_percent} in the latest snapshot; the AI Index "
       "reported {ai_index_gap_feb_2025} for February 2025, when our snapshots give {gap_feb_2025_low} "
       "to {gap_feb_2025_high}. Bottom: how many months after the closed frontier first reached a "
       "score an open model reached it, measured two ways. On each snapshot's own board the lag "
       "runs from {lag_own_min} to {lag_own_max} (median {lag_own_median}, latest {lag_own_latest}); "
       "on the newest board from {lag_newest_min} to {lag_newest_max} (median {lag_newest_median}, "
       "latest {lag_newest_latest}). Straight lines fitted on the two boards, counting each snapshot or "
       "each day alike, change by {lag_own_trend_per_year}, {lag_newest_trend_per_year}, "
       "{lag_own_trend_time_weighted} and {lag_newest_trend_time_weighted} a year. Before "
       "{first_exact_month} only lower bounds can be measured, and none is drawn. "
       "Epoch AI's average of {epoch_lag_2025} and Platz's {claimed_lag_low} to "
       "{claimed_lag_high} are drawn for comparison.")
CAPTION = ("From {first_exact_month} to {last_snapshot_month}, the lag's median was {lag_own_median} on each "
           "snapshot's own board and {lag_newest_median} on the newest board, where it ran from "
           "{lag_newest_min} to {lag_newest_max}; Epoch AI's average over a longer period is "
           "{epoch_lag_2025}. The gap in score was {gap_latest_percent} in the latest snapshot, of "
           "{last_snapshot}.")
NOTES = [
    "Method: a model's date is its first appearance on the leaderboard, a proxy for its release. "
    "The lag is the months between the first appearance of the first closed model and of the first "
    "open model to reach the best open score on one board, so scores from different snapshots are "
    "never compared. Aliases count as one model; licences decide open or closed (open weights, "
    "including non-commercial licences). See the Methods page.",
    "Two boards: each snapshot's own scores and models, or the newest snapshot's scores for every "
    "date (one scale, but only the models still listed). They differ by up to {board_difference_max}.",
    "Lower bounds: the data begins on {first_snapshot}, so a closed model already on that board "
    "arrived on or before it. Until {first_exact_month} the closed model that first reached the best "
    "open score was one of them, and the lag is only known to be at least a value (at most "
    "{lag_lower_bound_max}); a lower bound is not a lag, so the lag panel starts at {first_exact_month}.",
    "Trend: a straight line fitted to the lags gives {lag_own_trend_per_year} a year on the own boards "
    "and {lag_newest_trend_per_year} on the newest board when each snapshot counts alike; when each day "
    "counts alike (snapshots are unevenly spaced), {lag_own_trend_time_weighted} and "
    "{lag_newest_trend_time_weighted}. The title calls a trend only when all four agree on a change of "
    "more than {trend_threshold} a year.",
    "The AI Index gap (February 2025) is quoted from secondary reports. Epoch AI's average measures "
    "benchmark capability (its ECI), not people's preferences, over {epoch_lag_2025_window}. Arena's "
    "own 2026 figures, in rating points, lie beyond these snapshots and are not drawn.",
    HOLLOW_NOTE,
]

_MONTH_DAYS = 365.25 / 12  # an average month, in days
_TRAILING_DAYS = 91         # "the last three months", for the frontier's pace
_OPEN, _CLOSED, _UNKNOWN = "open", "closed", "unknown"
_EXACT, _AT_LEAST, _NOT_KNOWN, _OPEN_AHEAD = "exact", "at least", "unknown", "open ahead"


# --- the method --------------------------------------------------------------------------------


def board(frames):
    """One row per snapshot and model (aliases merged): score, class, first appearance, name."""
    import pandas as pd

    text = frames["lmarena_text"]
    alias = {a.casefold(): m.casefold() for a, m in zip(frames["lmarena_aliases"]["alias"],
                                                          frames["lmarena_aliases"]["model"])}
    rows = text[["snapshot", "model", "licence", "arena_score"]].copy()
    rows["key"] = [alias.get(m.casefold(), m.casefold()) for m in rows["model"]]
    # The newest listing of each model decides its name and licence (LMArena corrects labels).
    newest = rows.sort_values(["snapshot", "arena_score", "model"]).groupby("key").tail(1).set_index("key")
    licence_class = dict(zip(frames["lmarena_licences"]["licence"], frames["lmarena_licences"]["class"]))
    exceptions = {alias.get(m.casefold(), m.casefold()): c for m, c in
                  zip(frames["lmarena_model_classes"]["model"], frames["lmarena_model_classes"]["class"])}
    classes = {k: exceptions.get(k, licence_class[lic]) for k, lic in newest["licence"].items()}
    merged = (rows.groupby(["snapshot", "key"], as_index=False)["arena_score"].max()
              .rename(columns={"arena_score": "score"}))
    merged["cls"] = merged["key"].map(classes)
    merged["name"] = merged["key"].map(newest["model"])
    merged["first_seen"] = merged["key"].map(rows.groupby("key")["snapshot"].min())
    return merged.sort_values(["snapshot", "score", "key"], ascending=[True, False, True]).reset_index(drop=True)


def _months(later, earlier) -> float:
    return round((later - earlier).days / _MONTH_DAYS, 1)


def _first(rows):
    """The row that arrived first; among those, the highest score, then the name (deterministic)."""
    return min(rows, key=lambda r: (r.first_seen, -r.score, r.name))


def lag_on(rows, asof, data_start) -> dict:
    """The lag at date `asof` on one board (`rows`: one snapshot's rows of board(), as tuples)."""
    seen = [r for r in rows if r.first_seen <= asof]
    opens = [r for r in seen if r.cls == _OPEN]
    level = max(r.score for r in opens)
    first_open = _first([r for r in opens if r.score >= level])
    result = {"open_model": first_open.name, "open_score": int(level), "open_date": first_open.first_seen,
              "closed_model": None, "closed_date": None, "months": None}
    reached = [r for r in seen if r.cls == _CLOSED and r.score >= level]
    if not reached:
        return {**result, "status": _OPEN_AHEAD, "months": 0.0}
    first_closed = _first(reached)
    result.update(closed_model=first_closed.name, closed_date=first_closed.first_seen)
    if first_open.first_seen <= data_start:
        return {**result, "status": _NOT_KNOWN}
    months = _months(first_open.first_seen, first_closed.first_seen)
    return {**result, "months": months, "status": _AT_LEAST if first_closed.first_seen <= data_start else _EXACT}


def _frontier(rows, cls, when):
    return max((r.score for r in rows if r.cls == cls and r.first_seen <= when), default=None)


_CACHE: dict = {}


def series(frames):
    """Per snapshot: best scores, gap, the lag on both boards, the frontier's pace.

    Computed once for a set of frames (numbers() and draw() get the same ones)."""
    import pandas as pd

    # Keyed on the frame itself (held here, so its identity cannot be reused by a later frame).
    if _CACHE.get("frame") is frames["lmarena_text"]:
        return _CACHE["series"]
    merged = board(frames)
    by_date: dict = {}  # one pass over the rows (a groupby builds a frame per snapshot: 5x slower)
    for r in merged.itertuples(index=False):
        by_date.setdefault(r.snapshot, []).append(r)
    dates = sorted(by_date)
    start, newest = dates[0], dates[-1]
    per_month = _TRAILING_DAYS / _MONTH_DAYS
    rows = []
    for d in dates:
        own = by_date[d]  # sorted best first
        best_open = next(r for r in own if r.cls == _OPEN)
        best_closed = next(r for r in own if r.cls == _CLOSED)
        a, b = lag_on(own, d, start), lag_on(by_date[newest], d, start)
        gap = best_closed.score - best_open.score
        row = {"snapshot": d, "best_open": best_open.name, "best_open_score": int(best_open.score),
               "best_closed": best_closed.name, "best_closed_score": int(best_closed.score),
               "gap_points": int(gap), "gap_percent": gap / best_closed.score * 100,
               **{f"own_{k}": v for k, v in a.items()}, **{f"newest_{k}": v for k, v in b.items()}}
        back = d - pd.Timedelta(days=_TRAILING_DAYS)
        if back >= start:  # the frontiers' pace over the last three months, on this board
            row["closed_pace"] = (_frontier(own, _CLOSED, d) - _frontier(own, _CLOSED, back)) / per_month
            row["open_pace"] = (_frontier(own, _OPEN, d) - _frontier(own, _OPEN, back)) / per_month
        rows.append(row)
    result = pd.DataFrame(rows)
    _CACHE.update(frame=frames["lmarena_text"], series=result)
    return result


def time_weighted_mean(dates, values) -> float:
    """The average over time of a value that holds from one snapshot to the next (as Epoch averages)."""
    import numpy as np

    days = np.diff([d.value for d in dates]) / 86_400e9
    return float(np.average(values[:-1], weights=days)) if len(values) > 1 else float(values[0])


def spearman(x, y) -> float:
    """Rank correlation (average ranks for ties), without scipy."""
    import numpy as np

    return float(np.corrcoef(x.rank().to_numpy(), y.rank().to_numpy())[0, 1])


def slope_per_year(dates, values, time_weighted: bool = False) -> float:
    """The least-squares slope in units a year. time_weighted: each snapshot's value counts for the
    days until the next snapshot (the last for the median spacing), so a burst of snapshots does not
    outweigh a quiet month."""
    import numpy as np

    years = np.array([(d - dates.iloc[0]).days / 365.25 for d in dates])
    weights = None
    if time_weighted:
        days = np.diff([d.value for d in dates]) / 86_400e9
        weights = np.sqrt(np.append(days, np.median(days)))  # polyfit weighs residuals: sqrt of the weights
    return float(np.polyfit(years, values.to_numpy(dtype=float), 1, w=weights)[0])


_TREND_THRESHOLD = 0.5  # months a year: a smaller slope is no trend (data/claims.yaml uses the same)
_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]


def trend_words(slopes) -> str:
    """What a title may say about the lag's trend: a direction only when every fit agrees on it."""
    if all(x > _TREND_THRESHOLD for x in slopes):
        return "and the lag grew"
    if all(x < -_TREND_THRESHOLD for x in slopes):
        return "and the lag shrank"
    return "with no clear trend"


def median_words(medians) -> str:
    """The boards' medians as whole months in words, e.g. 2.3 and 2.7 -> "two to three months"."""
    import math

    low, high = math.floor(min(medians)), math.ceil(max(medians))
    if high - low <= 1 and round(min(medians)) == round(max(medians)):
        return f"about {_WORDS[round(min(medians))]} month{'s' if round(min(medians)) != 1 else ''}"
    return f"{_WORDS[low]} to {_WORDS[high]} months"


# --- numbers -------------------------------------------------------------------------------------

_LMARENA = "lmarena"
_METHOD = "lmarena; open-lag-method"


def _n(value, unit, source=_METHOD, **kw):
    value = value.item() if hasattr(value, "item") else value  # plain Python for numbers.json
    return Number(value, unit, source, "exact", **kw)


def _day(when):
    return _n(when.year, "year", _LMARENA, text=f"{when.day} {when:%B %Y}")


def _month(when):
    return _n(when.year, "year", _LMARENA, text=f"{when:%B %Y}")


def _name(name, score):
    return _n(int(score), "count", _LMARENA, text=str(name))


def _pct(value):
    return _n(round(float(value), 1), "percent", _LMARENA)


def _signed(value):
    """A correlation, with two decimals and a true minus sign."""
    text = f"{value:.2f}".replace("-", "\u2212")
    return _n(round(float(value), 2), "count", _METHOD, text=text)


def numbers(frames):
    s = series(frames)
    last, first = s.iloc[-1], s.iloc[0]
    out = {
        "snapshot_count": _n(len(s), "count", _LMARENA),
        "first_snapshot": _day(first["snapshot"]),
        "last_snapshot": _day(last["snapshot"]),
        "last_snapshot_month": _month(last["snapshot"]),
        "model_count": _n(int(board(frames)["key"].nunique()), "count", _METHOD),
        "best_open_latest": _name(last["best_open"], last["best_open_score"]),
        "best_closed_latest": _name(last["best_closed"], last["best_closed_score"]),
        "best_open_score_latest": _n(last["best_open_score"], "count", _LMARENA),
        "best_closed_score_latest": _n(last["best_closed_score"], "count", _LMARENA),
        "gap_latest_points": _n(int(last["gap_points"]), "points", _LMARENA),
        "gap_latest_percent": _pct(last["gap_percent"]),
        "gap_min_points": _n(int(s["gap_points"].min()), "points", _LMARENA),
        "gap_max_points": _n(int(s["gap_points"].max()), "points", _LMARENA),
        "gap_median_points": _n(float(s["gap_points"].median()), "points", _LMARENA),
        "gap_min_percent": _pct(s["gap_percent"].min()),
        "gap_max_percent": _pct(s["gap_percent"].max()),
        "gap_median_percent": _pct(s["gap_percent"].median()),
    }
    feb = s[(s["snapshot"].dt.year == 2025) & (s["snapshot"].dt.month == 2)]
    if len(feb):
        out["gap_feb_2025_low"] = _pct(feb["gap_percent"].min())
        out["gap_feb_2025_high"] = _pct(feb["gap_percent"].max())
    for b in ("own", "newest"):
        exact = s[s[f"{b}_status"] == _EXACT]
        lags = exact[f"{b}_months"].astype(float)
        out.update({
            f"lag_{b}_latest": _n(float(last[f"{b}_months"]), "months"),
            f"lag_{b}_latest_status": _n(0, "count", text=last[f"{b}_status"]),
            f"lag_{b}_min": _n(lags.min(), "months"),
            f"lag_{b}_max": _n(lags.max(), "months"),
            f"lag_{b}_median": _n(round(float(lags.median()), 1), "months"),
            f"lag_{b}_average": _n(round(time_weighted_mean(list(exact["snapshot"]), lags.to_numpy()), 1), "months"),
            f"lag_{b}_trend_per_year": _n(round(slope_per_year(exact["snapshot"], lags), 1), "months"),
            f"lag_{b}_exact_count": _n(len(exact), "count"),
            f"lag_{b}_lower_bound_count": _n(int((s[f"{b}_status"] == _AT_LEAST).sum()), "count"),
        })
    # The Methods page's verb: both boards' least-squares trends over the exact lags.
    trends = [slope_per_year(s[s[f"{b}_status"] == _EXACT]["snapshot"],
                             s[s[f"{b}_status"] == _EXACT][f"{b}_months"].astype(float)) for b in ("own", "newest")]
    phrase = ("did not shrink" if min(trends) >= 0 else "shrank" if max(trends) < 0 else "moved no clear way")
    out["lag_trend_phrase"] = _n(round(trends[0], 1), "months", text=phrase)
    # The figure's title claims a trend only when it survives the method's choices: both boards,
    # each snapshot or each day counted alike.
    weighted = {b: slope_per_year(s[s[f"{b}_status"] == _EXACT]["snapshot"],
                                  s[s[f"{b}_status"] == _EXACT][f"{b}_months"].astype(float), time_weighted=True)
                for b in ("own", "newest")}
    for b, slope in weighted.items():
        out[f"lag_{b}_trend_time_weighted"] = _n(round(slope, 1), "months")
    out["lag_trend_title"] = _n(round(min(trends + list(weighted.values())), 1), "months",
                                text=trend_words(trends + list(weighted.values())))
    out["trend_threshold"] = _n(_TREND_THRESHOLD, "months")
    medians = [float(s[s[f"{b}_status"] == _EXACT][f"{b}_months"].astype(float).median()) for b in ("own", "newest")]
    out["lag_median_words"] = _n(round(min(medians), 1), "months", text=median_words(medians))
    exact_own_lags = s[s["own_status"] == _EXACT]
    lowest = exact_own_lags[exact_own_lags["own_months"] == exact_own_lags["own_months"].min()]
    out["lag_own_min_month"] = _month(lowest["snapshot"].iloc[0])
    out["lag_own_min_closed_model"] = _name(lowest["own_closed_model"].iloc[0], lowest["own_open_score"].iloc[0])
    out["lag_own_min_open_model"] = _name(lowest["own_open_model"].iloc[0], lowest["own_open_score"].iloc[0])
    out["lag_open_model_latest"] = _name(last["own_open_model"], last["own_open_score"])
    out["lag_closed_model_latest"] = _name(last["own_closed_model"], last["own_open_score"])
    exact_own = s[s["own_status"] == _EXACT]
    out["first_exact_snapshot"] = _day(exact_own["snapshot"].iloc[0])
    out["first_exact_month"] = _month(exact_own["snapshot"].iloc[0])
    lower = s[s["own_status"] == _AT_LEAST]
    if len(lower):
        out["lag_lower_bound_max"] = _n(float(lower["own_months"].max()), "months")
    both = s[(s["own_status"] == _EXACT) & (s["newest_status"] == _EXACT)]
    out["board_difference_max"] = _n(round(float((both["own_months"] - both["newest_months"]).abs().max()), 1), "months")

    # The original essay's mechanism: a slower frontier, a quicker catch-up. Rank correlations over
    # the snapshots with three months of history before them (consecutive snapshots overlap, so
    # these describe this period; they are not tests).
    paced = s.dropna(subset=["closed_pace"])
    out["pace_snapshot_count"] = _n(len(paced), "count")
    out["closed_pace_latest"] = _n(round(float(last["closed_pace"]), 1), "points")
    out["closed_pace_min"] = _n(round(float(paced["closed_pace"].min()), 1), "points")
    out["closed_pace_max"] = _n(round(float(paced["closed_pace"].max()), 1), "points")
    out["pace_gap_correlation"] = _signed(spearman(paced["closed_pace"], paced["gap_points"]))
    out["pace_open_pace_correlation"] = _signed(spearman(paced["closed_pace"], paced["open_pace"]))
    paced_exact = paced[paced["own_status"] == _EXACT]
    out["pace_lag_snapshot_count"] = _n(len(paced_exact), "count")
    out["pace_lag_correlation"] = _signed(spearman(paced_exact["closed_pace"], paced_exact["own_months"].astype(float)))

    # The published figures beside ours.
    arena, lag = frames["arena_gap"], frames["open_closed_lag"]
    from pipeline.figures.formatting import percent

    ai_index = one_row(arena[arena["unit"] == "percent"], date="2025-02-01")
    out["ai_index_gap_feb_2025"] = from_row(ai_index, "gap", "percent", text=percent(ai_index["gap"], 1))
    epoch = one_row(lag, estimate="epoch-2025-average")
    out["epoch_lag_2025"] = from_row(epoch, "lag_months", "months")
    start, end = epoch["window_start"], epoch["window_end"]
    out["epoch_lag_2025_window"] = Number(start.year, "year", epoch["source"], epoch["confidence"],
                                          text=f"{start:%B %Y} to {end:%B %Y}")
    claimed = one_row(frames["original_claims"], quantity="open_closed_lag")
    from pipeline.figures.formatting import count

    out["claimed_lag_low"] = from_row(claimed, "low", "months", text=count(claimed["low"]))
    out["claimed_lag_high"] = from_row(claimed, "high", "months")
    return out


# --- drawing -------------------------------------------------------------------------------------


def _steps(frame, column):
    """The rows where a step line's value changes (the first row, then every change): what the line
    shows, and what the data table lists. The value holds until the next listed row."""
    changed = frame[column].ne(frame[column].shift())
    return frame[changed]


def _step_line(ax, steps, column, end, **style):
    """A step line through the listed changes, held to `end` (the last snapshot)."""
    import pandas as pd

    xs = list(steps["snapshot"]) + [end]
    ys = list(steps[column].astype(float)) + [float(steps[column].iloc[-1])]
    ax.plot(pd.Series(xs), ys, drawstyle="steps-post", **style)


_LMARENA_DATA = "lmarena_text; lmarena_snapshots"
_LAG_DATA = "lmarena_text; lmarena_snapshots; lmarena_licences; lmarena_aliases; lmarena_model_classes"
_LMARENA_SOURCES = "lmarena; fboulnois-llm-leaderboard-csv"


def _wrap(text: str, narrow: bool, width: int = 44) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) if narrow else text


def draw(fig, frames, theme, layout):
    from charts._common import Plotted, later_label, month_axis, shade_later_data
    from pipeline.figures.formatting import count, date_text, months, percent

    narrow = layout.narrow
    s = series(frames)
    plotted = Plotted()
    top, bottom = fig.subplots(2, 1, height_ratios=[1.25, 2.2] if not narrow else [1.2, 2.0])
    closed_c, open_c, other_c, accent = (theme.color(r) for r in ("closed", "open", "other", "accent"))
    first, last = s["snapshot"].iloc[0], s["snapshot"].iloc[-1]
    day = lambda when: date_text(when, "day", short=True)  # noqa: E731

    # Top: the gap in score, as a percent of the closed score (the AI Index's unit), every snapshot,
    # to a tenth of a point (finer steps would not show on this axis, nor read in the table).
    s = s.assign(gap_shown=s["gap_percent"].astype(float).round(1))
    gap = _steps(s, "gap_shown")
    _step_line(top, gap, "gap_shown", last, color=closed_c, linewidth=1.8, zorder=3)
    for _, row in gap.iterrows():
        plotted.add("Gap: the best closed score minus the best open score, % of the closed score (each value "
                    "holds until the next row)", day(row["snapshot"]), value=row["gap_shown"], unit="percent",
                    text=percent(row["gap_shown"], 1), source=_LMARENA_SOURCES, confidence="exact",
                    dataset=_LMARENA_DATA, later=is_later(row["snapshot"]))
    ai = one_row(frames["arena_gap"][frames["arena_gap"]["unit"] == "percent"], date="2025-02-01")
    top.plot([ai["date"]], [ai["gap"]], zorder=4, **marker_style(accent, ai["confidence"], theme, size=7.5))
    top.annotate(f"AI Index, {ai['date']:%b %Y}: {percent(ai['gap'], 1)}", (ai["date"], ai["gap"]),
                 xytext=(0, -14) if not narrow else (-4, -12), textcoords="offset points",
                 ha="center" if not narrow else "right", va="top", fontsize=theme.size.annotation, color=accent)
    plotted.add("Gap as the AI Index reported it", date_text(ai["date"], "month"), ai, "gap", "percent",
                text=percent(ai["gap"], 1), dataset="arena_gap")
    top.annotate(percent(s["gap_shown"].iloc[-1], 1), (last, s["gap_shown"].iloc[-1]), xytext=(4, 0),
                 textcoords="offset points", va="center", fontsize=theme.size.label, color=closed_c, fontweight="bold")
    top.set_ylim(0, max(8.0, float(s["gap_percent"].max()) * 1.15))
    top.yaxis.set_major_formatter(_formatter(lambda v: percent(v, 0)))
    top.set_title(_wrap("Best closed score minus best open score, % of the closed score", narrow, 40),
                  loc="left", fontsize=theme.size.annotation, color=theme.text)

    # Bottom: the lag in months from the first month it can be measured, on both boards, with the
    # published figures. Lower bounds (before it) are not lags and are not drawn.
    claim = one_row(frames["original_claims"], quantity="open_closed_lag")
    bottom.axhspan(claim["low"], claim["high"], color=theme.color("highlight"), alpha=0.16, zorder=0, linewidth=0,
                   label=f"Platz (2025): {count(claim['low'])}\u2013{months(claim['high'])}")
    epoch = one_row(frames["open_closed_lag"], estimate="epoch-2025-average")
    bottom.axhline(epoch["lag_months"], color=accent, linewidth=1.4, zorder=2,
                   linestyle="-" if is_solid(epoch["confidence"]) else (0, (4, 3)),
                   label=f"Epoch AI average, {epoch['window_start']:%Y}\u2013{epoch['window_end']:%Y}: "
                         f"{months(epoch['lag_months'])}")
    exact_from = s[s["own_status"] == _EXACT]["snapshot"].iloc[0]
    measured = s[s["snapshot"] >= exact_from]
    for board, color, label, zorder in (("own", open_c, "each snapshot's own board", 4),
                                        ("newest", other_c, "the newest snapshot's board", 3)):
        column = f"{board}_months"
        statuses = set(measured[f"{board}_status"])
        assert statuses <= {_EXACT, _OPEN_AHEAD}, f"lags the panel cannot draw on the {board} board: {statuses}"
        steps = _steps(measured, column)
        _step_line(bottom, steps, column, last, color=color, linewidth=2.0, zorder=zorder, label=label)
        for _, row in steps.iterrows():
            plotted.add(f"Lag on {label}, months (each value holds until the next row)", day(row["snapshot"]),
                        value=row[column], unit="months", source=f"{_LMARENA_SOURCES}; open-lag-method",
                        confidence="exact", dataset=_LAG_DATA, later=is_later(row["snapshot"]))
    plotted.add("Epoch AI's average lag (drawn across the panel)", epoch_window_text(epoch), epoch, "lag_months", "months",
                dataset="open_closed_lag")
    plotted.add("Platz's range (the band)", "as his essay put it", claim, low=claim["low"],
                high=claim["high"], unit="months", dataset="original_claims", later=False)
    handles = dict(zip(*reversed(bottom.get_legend_handles_labels())))
    # Our two boards first, then the published figures.
    order = sorted(handles, key=lambda label: (not label.endswith("own board"), not label.endswith("'s board"),
                                               label.startswith("original")))
    legend = dict(handlelength=2.2, labelspacing=0.35, fontsize=theme.size.small)
    if narrow:  # under the panel, where it covers nothing
        fig.legend([handles[k] for k in order], order, loc="outside lower left", **legend)
    else:
        bottom.legend([handles[k] for k in order], order, loc="upper right", **legend)
    top_lag = float(measured[["own_months", "newest_months"]].astype(float).max().max())
    bottom.set_ylim(0, max(float(claim["high"]) + (0.3 if narrow else 2.5), top_lag + (0.5 if narrow else 3)))
    bottom.set_ylabel("Months", fontsize=theme.size.annotation)
    bottom.set_title(_wrap("Months from the closed frontier reaching a score to an open model reaching it",
                           narrow, 40),
                     loc="left", fontsize=theme.size.annotation, color=theme.text)

    pad = (last - first) * (0.1 if narrow else 0.06)  # room for the last value's label
    top.set_xlim(first - (last - first) * 0.02, last + pad)  # the first month's tick in view
    bottom.set_xlim(exact_from, last + (last - exact_from) * (0.04 if narrow else 0.03))
    for ax in (top, bottom):
        if is_later(last):
            shade_later_data(ax, theme, right=ax.get_xlim()[1], label=ax is top)
        month_axis(ax, months=(1, 7) if narrow and ax is top else (1, 4, 7, 10))
        ax.tick_params(axis="x", labelsize=theme.size.annotation)
    return plotted


def epoch_window_text(row) -> str:
    from pipeline.figures.formatting import date_range_text

    return date_range_text(row["window_start"], row["window_end"])


def _formatter(function):
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _: function(v))
