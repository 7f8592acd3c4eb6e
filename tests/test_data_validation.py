"""Valid data passes; bad data is refused with a message naming file, line, column and value."""
from __future__ import annotations

import shutil
from datetime import date

import pytest

from pipeline.data import datasets
from pipeline.data.datasets import DataError

from conftest import ROOT

DATASET = "enterprise_open_share"
TODAY = date(2026, 11, 30)


def test_every_dataset_in_the_repository_is_valid():
    datasets.validate(today=TODAY)  # raises DataError listing every problem


def test_every_dataset_has_a_descriptor_with_sources_and_a_primary_key():
    for dataset_id in datasets.dataset_ids():
        desc = datasets.descriptor(dataset_id)
        assert desc["schema"].get("primaryKey"), dataset_id
        assert desc.get("sources"), dataset_id
        names = [f["name"] for f in desc["schema"]["fields"]]
        assert {"source", "confidence"} <= set(names), dataset_id
        for source in desc["sources"]:
            assert {"id", "publisher", "title", "path", "published", "accessed"} <= set(source), (dataset_id, source)


def _broken_copy(tmp_path, edit):
    """Copy one dataset into a temporary data folder and apply `edit` to its CSV text."""
    for path in datasets.input_files(DATASET):
        shutil.copy(path, tmp_path / path.name)
    csv = tmp_path / f"{DATASET}.csv"
    csv.write_text(edit(csv.read_text(encoding="utf-8")), encoding="utf-8")
    return tmp_path


def _problems(tmp_path, edit) -> list[datasets.Problem]:
    data_dir = _broken_copy(tmp_path, edit)
    with pytest.raises(DataError) as caught:
        datasets.validate([DATASET], data_dir=data_dir, today=TODAY)
    return caught.value.problems


def replace_cell(old: str, new: str):
    return lambda text: text.replace(old, new, 1)


@pytest.mark.parametrize(
    ("case", "edit", "line", "column", "value"),
    [
        ("share over 100", replace_cell(",13,", ",130,"), 3, "open_share", "130"),
        ("negative share", replace_cell(",11,", ",-1,"), 4, "open_share", "-1"),
        ("wrong type", replace_cell(",19,", ",nineteen,"), 2, "open_share", "nineteen"),
        ("impossible date", replace_cell("2025-07-31", "2025-02-30"), 3, "published", "2025-02-30"),
        ("unknown source id", replace_cell("menlo-2025-report", "menlo-2099"), 4, "source", "menlo-2099"),
        ("future date", replace_cell("2025-12-09", "2027-01-05"), 4, "published", "2027-01-05"),
        ("bad confidence flag", replace_cell(",exact,", ",certain,"), 2, "confidence", "certain"),
        ("duplicate key", lambda t: t.replace("2025 mid-year update", "2024 report", 1), 3, "edition", None),
    ],
)
def test_bad_cell_is_refused_with_file_line_column(tmp_path, case, edit, line, column, value):
    problems = _problems(tmp_path, edit)
    hit = [p for p in problems if p.row == line and (p.column == column or column in p.rule)]
    assert hit, f"{case}: no problem on line {line}, column {column}: {problems}"
    message = str(hit[0])
    assert f"{DATASET}.csv" in message and f"line {line}" in message
    if value is not None:
        assert value in message


def test_missing_column_is_named(tmp_path):
    def drop_measure(text):
        return "\n".join(",".join(c for i, c in enumerate(line.split(",")) if i != 4) for line in text.splitlines())

    problems = _problems(tmp_path, drop_measure)
    assert [(p.row, p.column, p.rule) for p in problems] == [(1, "measure", "missing column: the schema requires it")], problems
    assert all(f"{DATASET}.csv" in str(p) for p in problems)
