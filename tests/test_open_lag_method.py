"""The lag method (charts/open_lag.py) on small boards whose answers are known by hand, then on the
real data against an independent reading of the newest snapshot."""
from __future__ import annotations

import json
from dataclasses import asdict

import pandas as pd
import pytest

from charts import open_lag
from pipeline.data import lmarena
from pipeline.figures import registry as figures

LICENCES = pd.DataFrame({"licence": ["Proprietary", "MIT", "", "Qwen"],
                         "class": ["closed", "open", "unknown", "open"]})


def frames(listing, aliases=(), classes=()):
    """listing: (snapshot, model, licence, score) tuples."""
    text = pd.DataFrame(listing, columns=["snapshot", "model", "licence", "arena_score"])
    text["snapshot"] = pd.to_datetime(text["snapshot"])
    return {"lmarena_text": text, "lmarena_licences": LICENCES,
            "lmarena_aliases": pd.DataFrame(list(aliases), columns=["alias", "model"]),
            "lmarena_model_classes": pd.DataFrame(list(classes), columns=["model", "class"])}


def lag(fr, snapshot, board_of=None):
    merged = open_lag.board(fr)
    start = merged["snapshot"].min()
    when = pd.Timestamp(snapshot)
    scores = merged[merged["snapshot"] == pd.Timestamp(board_of or snapshot)]
    return open_lag.lag_on(list(scores.itertuples(index=False)), when, start)


BASE = [
    ("2025-01-01", "Old closed", "Proprietary", 1200), ("2025-01-01", "Old open", "MIT", 1150),
    ("2025-03-01", "Old closed", "Proprietary", 1200), ("2025-03-01", "Old open", "MIT", 1150),
    ("2025-03-01", "New closed", "Proprietary", 1300),
    ("2025-06-01", "Old closed", "Proprietary", 1195), ("2025-06-01", "Old open", "MIT", 1150),
    ("2025-06-01", "New closed", "Proprietary", 1305), ("2025-06-01", "New open", "MIT", 1290),
]


def test_the_lag_runs_from_the_first_closed_model_at_the_level_to_the_first_open_one():
    result = lag(frames(BASE), "2025-06-01")
    assert result["status"] == "exact" and result["open_model"] == "New open"
    assert result["closed_model"] == "New closed"
    assert result["months"] == round(92 / open_lag._MONTH_DAYS, 1)  # 1 March to 1 June


def test_a_closed_model_already_on_the_first_board_gives_a_lower_bound():
    listing = [r for r in BASE if r[1] != "New closed"] + [("2025-06-01", "Old closed", "Proprietary", 1295)]
    listing = [r for r in listing if not (r[0] == "2025-06-01" and r[1] == "Old closed" and r[3] == 1195)]
    result = lag(frames(listing), "2025-06-01")
    assert result["status"] == "at least" and result["closed_model"] == "Old closed"
    assert result["months"] == round(151 / open_lag._MONTH_DAYS, 1)  # at least 1 January to 1 June


def test_an_open_model_already_on_the_first_board_gives_no_lag():
    result = lag(frames(BASE), "2025-03-01")
    assert result["status"] == "unknown" and result["months"] is None


def test_an_open_model_above_every_closed_one_has_no_lag():
    listing = BASE + [("2025-06-01", "Top open", "MIT", 1400)]
    result = lag(frames(listing), "2025-06-01")
    assert result["status"] == "open ahead" and result["months"] == 0.0


def test_the_newest_board_measures_every_date_on_one_scale():
    # On 1 June's board, "New open" (first seen 1 June) does not exist yet on 1 March: the best open
    # model then is "Old open", known since the first board, so that lag is unknown.
    assert lag(frames(BASE), "2025-03-01", board_of="2025-06-01")["status"] == "unknown"
    assert lag(frames(BASE), "2025-06-01", board_of="2025-06-01")["months"] == lag(frames(BASE), "2025-06-01")["months"]


def test_aliases_and_letter_case_merge_names_first_appearance_and_best_score():
    listing = BASE + [("2025-01-01", "new OPEN preview", "MIT", 1100), ("2025-06-01", "New Open Preview", "MIT", 1280)]
    merged = open_lag.board(frames(listing, aliases=[("New open preview", "New open")]))
    new_open = merged[merged["key"] == "new open"]
    assert str(new_open["first_seen"].iloc[0].date()) == "2025-01-01"   # the alias's first appearance
    june = new_open[new_open["snapshot"] == pd.Timestamp("2025-06-01")]
    assert len(june) == 1 and int(june["score"].iloc[0]) == 1290     # the higher of the two names


def test_the_model_class_table_overrides_the_licence_and_unknown_counts_for_neither_side():
    listing = BASE + [("2025-06-01", "Api model", "Qwen", 1500), ("2025-06-01", "Test model", "", 1600)]
    fr = frames(listing, classes=[("Api model", "closed")])
    merged = open_lag.board(fr)
    assert dict(zip(merged["key"], merged["cls"]))["api model"] == "closed"
    assert dict(zip(merged["key"], merged["cls"]))["test model"] == "unknown"
    assert lag(fr, "2025-06-01")["open_model"] == "New open"  # the unknown model is not the best open one


def test_time_weighted_average_and_rank_correlation():
    dates = [pd.Timestamp("2025-01-01"), pd.Timestamp("2025-01-11"), pd.Timestamp("2025-01-31")]
    import numpy as np

    assert open_lag.time_weighted_mean(dates, np.array([1.0, 4.0, 100.0])) == pytest.approx(3.0)  # (1*10 + 4*20) / 30
    assert open_lag.spearman(pd.Series([1, 2, 3, 4]), pd.Series([10, 20, 30, 5])) == pytest.approx(-0.2)


# --- on the real data --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real():
    fr = figures.frames_for("open_lag")
    return fr, open_lag.series(fr), open_lag.numbers(fr)


def test_the_latest_gap_is_the_newest_snapshots_best_closed_minus_best_open_score(real):
    _, _, numbers = real
    newest = max(r["snapshot"] for r in lmarena.read_rows(lmarena.SNAPSHOTS))
    licences = {r["licence"]: r["class"] for r in lmarena.read_rows(lmarena.LICENCES)}
    rows = [r for r in lmarena.read_rows(lmarena.TEXT) if r["snapshot"] == newest
            and r["model"] != "Llama-4-Maverick-03-26-Experimental"]
    best = {c: max(int(r["arena_score"]) for r in rows if licences[r["licence"]] == c) for c in ("open", "closed")}
    assert numbers["best_open_score_latest"].value == best["open"]
    assert numbers["best_closed_score_latest"].value == best["closed"]
    assert numbers["gap_latest_points"].value == best["closed"] - best["open"]


def test_numbers_are_plain_json_and_lags_are_ordered(real):
    _, series, numbers = real
    json.dumps({k: asdict(v) for k, v in numbers.items()})
    for b in ("own", "newest"):
        low, mid, high = (numbers[f"lag_{b}_{s}"].value for s in ("min", "median", "max"))
        assert 0 <= low <= mid <= high
    assert numbers["lag_own_exact_count"].value + numbers["lag_own_lower_bound_count"].value <= numbers["snapshot_count"].value
    assert set(series["own_status"]) <= {"exact", "at least", "unknown", "open ahead"}
    # Lower bounds come only before the first exact lag: once the closed models that reach the open
    # frontier arrived inside the data, they stay inside it.
    first_exact = series.index[series["own_status"] == "exact"][0]
    assert (series.loc[first_exact:, "own_status"] == "exact").all()


def test_the_title_verb_follows_the_trend(real):
    _, _, numbers = real
    own, newest = numbers["lag_own_trend_per_year"].value, numbers["lag_newest_trend_per_year"].value
    phrase = numbers["lag_trend_phrase"].text
    assert phrase == ("did not shrink" if min(own, newest) >= 0 else "shrank" if max(own, newest) < 0
                      else "moved no clear way")
