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
SIZE = (6.4, 6.2)
TITLE = ("Measured on LMArena, open models reach the closed frontier's score about {lag_own_median} after "
         "it, and the lag {lag_trend_phrase} from {first_exact_month} to {last_snapshot_month}")
ALT = ("Two-panel line chart from {snapshot_count} snapshots of the LMArena text leaderboard, "
       "{first_snapshot} to {last_snapshot}. Top: the best closed model's lead over the best open "
       "model, as a percent of the closed score: {gap_min_percent} at its smallest and "
       "{gap_max_percent} at its largest, {gap_latest_percent} in the latest snapshot; the AI Index "
       "reported {ai_index_gap_feb_2025} for February 2025, when our snapshots give {gap_feb_2025_low} "
       "to {gap_feb_2025_high}. Bottom: how many months after the closed frontier first reached a "
       "score an open model reached it, measured two ways. On each snapshot's own board the lag "
       "runs from {lag_own_min} to {lag_own_max} (median {lag_own_median}, latest {lag_own_latest}); "
       "on the newest board from {lag_newest_min} to {lag_newest_max} (median {lag_newest_median}, "
       "latest {lag_newest_latest}). Before {first_exact_month} only lower bounds can be measured. "
       "Epoch AI's average of {epoch_lag_2025} and the original essay's {claimed_lag_low} to "
       "{claimed_lag_high} are drawn for comparison.")
CAPTION = ("From {first_exact_month} to {last_snapshot_month}, open models reached each score the "
           "closed frontier had reached {lag_own_min} to {lag_own_max} later on each snapshot's own "
           "board (time-weighted average {lag_own_average}), {lag_newest_min} to {lag_newest_max} on "
           "the newest board (average {lag_newest_average}); Epoch AI's average over a longer period "
           "is {epoch_lag_2025}. The gap in score was {gap_latest_percent} in the latest snapshot.")
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
    "open score was one of them, and the lag is only known to be at least the value drawn (dashed).",
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
    by_date = {d: list(part.itertuples(index=False)) for d, part in merged.groupby("snapshot")}
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


def slope_per_year(dates, values) -> float:
    import numpy as np

    years = np.array([(d - dates.iloc[0]).days / 365.25 for d in dates])
    return float(np.polyfit(years, values.to_numpy(dtype=float), 1)[0])


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
    # The title's verb follows the data: both boards' least-squares trends over the exact lags.
    trends = [slope_per_year(s[s[f"{b}_status"] == _EXACT]["snapshot"],
                             s[s[f"{b}_status"] == _EXACT][f"{b}_months"].astype(float)) for b in ("own", "newest")]
    phrase = ("did not shrink" if min(trends) >= 0 else "shrank" if max(trends) < 0 else "moved no clear way")
    out["lag_trend_phrase"] = _n(round(trends[0], 1), "months", text=phrase)
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


def _runs(frame, column):
    """Consecutive stretches of rows with the same value in `column`: (value, rows)."""
    groups = (frame[column] != frame[column].shift()).cumsum()
    return [(part[column].iloc[0], part) for _, part in frame.groupby(groups)]


def _draw_lag(ax, s, prefix, color, label, zorder):
    """Exact lags as a solid step line; lower bounds dashed (the house style for values that are
    not exact), so the two boards stay apart where they agree."""
    measured = s[s[f"{prefix}_status"].isin([_EXACT, _AT_LEAST, _OPEN_AHEAD])]
    for status, part in _runs(measured, f"{prefix}_status"):
        ax.plot(part["snapshot"], part[f"{prefix}_months"].astype(float), color=color, linewidth=2.0,
                linestyle=(0, (3, 2)) if status == _AT_LEAST else "-", drawstyle="steps-post", zorder=zorder)
    ax.plot([], [], color=color, linewidth=2.0, label=label)


def draw(fig, frames, theme, layout):
    import matplotlib.dates as mdates

    from pipeline.figures.formatting import count, months, percent

    s = series(frames)
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[1.25, 2.2])
    closed_c, open_c, other_c, accent = (theme.color(r) for r in ("closed", "open", "other", "accent"))

    # Top: the gap in score, as a percent of the closed score (the AI Index's unit).
    top.plot(s["snapshot"], s["gap_percent"], color=closed_c, linewidth=1.8, drawstyle="steps-post", zorder=3)
    ai = one_row(frames["arena_gap"][frames["arena_gap"]["unit"] == "percent"], date="2025-02-01")
    top.plot([ai["date"]], [ai["gap"]], zorder=4, **marker_style(accent, ai["confidence"], theme, size=7.5))
    top.annotate(f"AI Index, {ai['date']:%b %Y}: {percent(ai['gap'], 1)}", (ai["date"], ai["gap"]),
                 xytext=(0, -14), textcoords="offset points", ha="center", va="top", fontsize=theme.size.annotation, color=accent)
    last = s.iloc[-1]
    top.annotate(percent(round(last["gap_percent"], 1)), (last["snapshot"], last["gap_percent"]), xytext=(4, 0),
                 textcoords="offset points", va="center", fontsize=theme.size.label, color=closed_c, fontweight="bold")
    top.set_ylim(0, max(8.0, float(s["gap_percent"].max()) * 1.15))
    top.yaxis.set_major_formatter(_formatter(lambda v: percent(v, 0)))
    top.set_title("Best closed score minus best open score, % of the closed score", loc="left",
                  fontsize=theme.size.annotation, color=theme.text)

    # Bottom: the lag in months, on both boards, with the published figures.
    claim = one_row(frames["original_claims"], quantity="open_closed_lag")
    bottom.axhspan(claim["low"], claim["high"], color=theme.color("highlight"), alpha=0.16, zorder=0, linewidth=0,
                   label=f"original essay: {count(claim['low'])}\u2013{months(claim['high'])}")
    epoch = one_row(frames["open_closed_lag"], estimate="epoch-2025-average")
    bottom.axhline(epoch["lag_months"], color=accent, linewidth=1.4, zorder=2,
                   linestyle="-" if is_solid(epoch["confidence"]) else (0, (4, 3)),
                   label=f"Epoch AI average, {epoch['window_start']:%Y}\u2013{epoch['window_end']:%Y}: "
                         f"{months(epoch['lag_months'])}")
    _draw_lag(bottom, s, "newest", other_c, "the newest snapshot's board", zorder=3)
    _draw_lag(bottom, s, "own", open_c, "each snapshot's own board", zorder=4)
    bottom.plot([], [], color=theme.muted, linewidth=2.0, linestyle=(0, (3, 2)), label="dashed: at least (lower bound)")
    handles, labels = bottom.get_legend_handles_labels()
    order = [3, 2, 4, 1, 0]  # our two boards first, then the lower bounds, then the published figures
    bottom.legend([handles[i] for i in order], [labels[i] for i in order], loc="upper right", fontsize=theme.size.small,
                  handlelength=2.2, labelspacing=0.35)
    x0 = s["snapshot"].iloc[0]
    top_lag = float(s[["own_months", "newest_months"]].astype(float).max().max())
    bottom.set_ylim(0, max(float(claim["high"]) + 2.5, top_lag + 3))
    bottom.set_ylabel("Months", fontsize=theme.size.annotation)
    bottom.set_title("Months from the closed frontier reaching a score to an open model reaching it",
                     loc="left", fontsize=theme.size.annotation, color=theme.text)

    right = s["snapshot"].iloc[-1] + (s["snapshot"].iloc[-1] - x0) * 0.06
    for ax in (top, bottom):
        ax.set_xlim(x0, right)
        if is_later(s["snapshot"].iloc[-1]):
            from charts._common import shade_later_data

            shade_later_data(ax, theme, right=right, label=ax is top)
    bottom.xaxis.set_major_locator(mdates.MonthLocator(bymonth=[1, 4, 7, 10]))
    bottom.xaxis.set_major_formatter(mdates.DateFormatter("%b\n%Y"))
    bottom.tick_params(axis="x", labelsize=theme.size.annotation)


def _formatter(function):
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _: function(v))
