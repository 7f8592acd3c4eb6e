"""Data versions readers can see: every CSV change comes with a version and a changelog entry."""
from __future__ import annotations

import hashlib

import pytest

from pipeline.data import changelog, datasets

IDS = datasets.dataset_ids()


@pytest.mark.parametrize("dataset_id", IDS)
def test_the_csv_is_the_one_its_latest_changelog_entry_describes(dataset_id):
    history = datasets.descriptor(dataset_id).get("changelog")
    assert history, f"{dataset_id} has no changelog; record one with python -m pipeline.changelog"
    actual = hashlib.sha256(datasets.csv_path(dataset_id).read_bytes()).hexdigest()
    assert history[-1]["csv_sha256"] == actual, (
        f"data/{dataset_id}.csv changed without a changelog entry. Record the change: "
        f".venv/bin/python -m pipeline.changelog {dataset_id} --change '...' --why '...' --source ID")


@pytest.mark.parametrize("dataset_id", IDS)
def test_versions_rise_and_dates_never_go_back(dataset_id):
    desc = datasets.descriptor(dataset_id)
    history = desc["changelog"]
    assert history[-1]["version"] == desc["version"]
    versions = [tuple(int(x) for x in e["version"].split(".")) for e in history]
    assert versions == sorted(versions) and len(set(versions)) == len(versions)
    dates = [str(e["date"]) for e in history]
    assert dates == sorted(dates)
    for entry in history:
        assert entry["change"] and entry["why"], entry
        known = datasets.sources(dataset_id)
        assert all(s in known for s in entry.get("sources", [])), entry


def test_recording_a_change_bumps_the_version_and_stamps_the_csv(tmp_path):
    import shutil

    dataset_id = "chatgpt_weekly_users"
    for path in datasets.input_files(dataset_id):
        shutil.copy(path, tmp_path / path.name)
    before = datasets.descriptor(dataset_id, tmp_path)["version"]
    csv = tmp_path / f"{dataset_id}.csv"
    csv.write_text(csv.read_text().replace("2025-10-06,day,800", "2025-10-06,day,801"))
    version = changelog.record(dataset_id, "Corrected a value", "A test", ["webpronews-2025-10-06"], data_dir=tmp_path)
    desc = datasets.descriptor(dataset_id, tmp_path)
    assert version == changelog.bumped(before, "minor") == desc["version"]
    assert desc["changelog"][-1]["csv_sha256"] == hashlib.sha256(csv.read_bytes()).hexdigest()
    assert desc["changelog"][-1]["change"] == "Corrected a value"
