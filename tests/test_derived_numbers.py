"""Derived numbers say so: a number computed from several rows names its arithmetic, and one that
compares rows measuring different things (or rounded values) is marked and at least "approx"."""
from __future__ import annotations

import pandas as pd
import pytest

from pipeline.figures import registry as figures
from pipeline.figures.numbers import Number, complement, difference, dump, load, ratio


def row(value, measure="share of spend", confidence="exact", source="s1"):
    return pd.Series({"v": value, "measure": measure, "confidence": confidence, "source": source})


def test_a_difference_on_one_measure_keeps_the_rows_confidence():
    n = difference(row(40), row(27, source="s2"), "v")
    assert (n.value, n.confidence, n.source, n.caveat) == (13, "exact", "s1; s2", "")
    assert n.derived == "difference of two values"


def test_a_difference_across_measures_is_marked_and_approximate():
    n = difference(row(19, "not stated"), row(11, "share of spend"), "v")
    assert n.confidence == "approx"
    assert n.caveat == "compares different measures: not stated vs share of spend"


def test_the_weaker_confidence_wins_over_approx():
    n = difference(row(19, "usage", "secondary"), row(11, "spend"), "v")
    assert n.confidence == "secondary" and n.caveat


def test_a_stated_reason_makes_a_difference_approximate():
    n = difference(row(4), row(3), "v", "months", approximate="two rounded averages")
    assert n.confidence == "approx" and n.caveat == "two rounded averages"


def test_ratio_and_complement_are_marked_derived():
    assert ratio(row(800), row(100), "v").derived == "ratio of two values"
    assert ratio(row(800, "weekly users"), row(100, "weekly active users"), "v").confidence == "approx"
    implied = complement(row(19), "v")
    assert implied.value == 81 and implied.derived.startswith("100 minus") and implied.confidence == "exact"


def test_the_marks_survive_numbers_json():
    n = difference(row(19, "a"), row(11, "b"), "v")
    again = load(dump({"f": {"x": n}}))["f"]["x"]
    assert again == n and again.caveat and again.derived


@pytest.fixture(scope="module")
def computed():
    return {f: {k: Number(**v) for k, v in figures.compute_numbers(f, figures.frames_for(f)).items()}
            for f in figures.figure_ids()}


@pytest.mark.parametrize("figure_id, name", [
    ("closed_models_lead", "drop_points"),            # 2024 (method not stated) vs Dec 2025 spend
    ("who_enterprises_use", "openai_fall_points"),    # 2023 vs Dec 2025 spend
    ("who_enterprises_use", "anthropic_rise_points"),
    ("who_enterprises_use", "google_rise_points"),
    ("close_pursuit", "lag_widening_2026"),           # two averages rounded to whole months
])
def test_the_essays_cross_measure_differences_are_marked(computed, figure_id, name):
    n = computed[figure_id][name]
    assert n.caveat and n.derived and n.confidence != "exact", n


def test_same_measure_differences_stay_as_exact_as_their_rows(computed):
    # Within one edition of Menlo's report both rows measure spend: the lead is exact.
    assert computed["who_enterprises_use"]["anthropic_lead_end_2025_points"].confidence == "exact"
    assert not computed["who_enterprises_use"]["anthropic_lead_end_2025_points"].caveat


def test_the_implied_closed_share_is_marked_derived(computed):
    assert computed["closed_models_lead"]["closed_share_2024"].derived


def test_every_caveat_carries_a_weaker_confidence(computed):
    marked = [(f, k) for f, nums in computed.items() for k, n in nums.items() if n.caveat and n.confidence == "exact"]
    assert marked == []
