"""data/ is one Frictionless Data Package: data/datapackage.json lists every dataset, is up to date
with the descriptors, validates as a package, and the Data page offers it as one zip whose bytes
depend only on the files in it."""
from __future__ import annotations

import io
import json
import os
import shutil
import zipfile

from pipeline.data import changelog, datapackage, datasets

from conftest import ROOT


def test_the_package_descriptor_lists_every_dataset_and_is_up_to_date():
    committed = json.loads((datasets.DATA / datapackage.FILE).read_text(encoding="utf-8"))
    assert [r["name"] for r in committed["resources"]] == datasets.dataset_ids()
    assert datapackage.is_current(), (
        "data/datapackage.json is out of date with the descriptors: run .venv/bin/python -m pipeline.data.datapackage")


def test_the_zip_validates_as_a_frictionless_package(tmp_path):
    from frictionless import Package

    with zipfile.ZipFile(io.BytesIO(datapackage.zip_bytes())) as archive:
        archive.extractall(tmp_path)
    folder = tmp_path / datapackage.NAME
    assert (folder / "NOTICE").exists()
    report = Package(str(folder / datapackage.FILE)).validate()
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])[:10]
    assert len(report.tasks) == len(datasets.dataset_ids())


def test_the_zip_is_the_same_bytes_from_the_same_files_whatever_their_timestamps(tmp_path):
    first = datapackage.zip_bytes()
    copy = tmp_path / "data"
    shutil.copytree(datasets.DATA, copy)
    for path in copy.iterdir():
        os.utime(path, (1_000_000_000, 1_000_000_000))  # other mtimes: the zip must not see them
    assert datapackage.zip_bytes(copy) == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        infos = archive.infolist()
    names = [i.filename for i in infos]
    assert names == sorted(names) and f"{datapackage.NAME}/{datapackage.FILE}" in names
    version = tuple(int(x) for x in datapackage.data_version().split("-"))
    assert {i.date_time for i in infos} == {(*version, 0, 0, 0)}
    assert {i.external_attr >> 16 for i in infos} == {0o100644}


def test_recording_a_change_keeps_the_package_descriptor_in_step(tmp_path):
    shutil.copytree(datasets.DATA, tmp_path / "data")
    data = tmp_path / "data"
    csv = data / "chatgpt_weekly_users.csv"
    csv.write_text(csv.read_text().replace("2025-10-06,day,800", "2025-10-06,day,801"))
    changelog.record("chatgpt_weekly_users", "A test change", "A test", ["webpronews-2025-10-06"], data_dir=data)
    assert datapackage.is_current(data)
    package = json.loads((data / datapackage.FILE).read_text())
    entry = next(r for r in package["resources"] if r["name"] == "chatgpt_weekly_users")
    assert entry["changelog"][-1]["change"] == "A test change"


def test_the_data_page_offers_the_package_as_one_zip(built):
    html = (built / "site" / "data" / "index.html").read_text()
    # Linked from the Data page (/data/) to the files beside it, under site_url's path.
    assert f'href="../data/{datapackage.ZIP_NAME}" download' in html and f'href="../data/{datapackage.FILE}"' in html
    published = (built / "site" / "data" / datapackage.ZIP_NAME).read_bytes()
    assert published == datapackage.zip_bytes(built / "data")
    assert (built / "site" / "data" / datapackage.FILE).read_text() == (ROOT / "data" / datapackage.FILE).read_text()
