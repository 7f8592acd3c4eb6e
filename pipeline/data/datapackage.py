"""data/ as one Frictionless Data Package, and the one-zip download of it.

    .venv/bin/python -m pipeline.data.datapackage           # rewrite data/datapackage.json
    .venv/bin/python -m pipeline.data.datapackage --check   # exit 1 when it is out of date

`data/datapackage.json` lists every dataset with its full descriptor, inlined (the Data Package
standard has no way to point at a resource descriptor in another file). It is generated from the
`<id>.resource.yaml` files, which stay the one place metadata is written: `pipeline.changelog`
(and so `pipeline.refresh`) rewrites it after changing a descriptor, and a test fails when it is
out of date. The Data page offers the package as one zip, built here byte for byte the same from
the same files: fixed order, fixed timestamps (the data version's day), fixed permissions.
"""
from __future__ import annotations

import argparse
import io
import json
import sys
import zipfile
from pathlib import Path

from pipeline import edition
from pipeline.data import changelog, datasets
from pipeline.files import digest, sha256_bytes
from pipeline.paths import DATA, ROOT

NAME = "future-of-open-models-data"
FILE = "datapackage.json"
ZIP_NAME = f"{NAME}.zip"
# Travels with the files it covers (the LMArena snapshots' MPL-2.0 terms).
EXTRA_FILES = [ROOT / "NOTICE"]


def data_version(data_dir: Path = DATA) -> str:
    return changelog.data_version(data_dir, default="1980-01-01")  # a zip cannot date before 1980


def descriptor(data_dir: Path = DATA) -> dict:
    resources = [json.loads(json.dumps(datasets.descriptor(d, data_dir), default=str))
                 for d in datasets.dataset_ids(data_dir)]
    return {
        "name": NAME,
        "title": f"The data behind \u201c{edition.TITLE}\u201d",
        "description": ("Every dataset the essay and its figures are computed from: one CSV per dataset, "
                        "with its Table Schema, sources, version and changelog. Each resource keeps its "
                        "own terms; see its sources and licenses, and NOTICE."),
        "homepage": f"{edition.SITE_URL}data/",
        "version": data_version(data_dir),
        "resources": resources,
    }


def text(data_dir: Path = DATA) -> str:
    return json.dumps(descriptor(data_dir), indent=1, ensure_ascii=False) + "\n"


def write(data_dir: Path = DATA) -> Path:
    from pipeline.files import write_atomically

    path = data_dir / FILE
    write_atomically(path, text(data_dir).encode("utf-8"))
    return path


def is_current(data_dir: Path = DATA) -> bool:
    path = data_dir / FILE
    return path.exists() and path.read_text(encoding="utf-8") == text(data_dir)


def zip_members(data_dir: Path = DATA) -> list[tuple[str, bytes]]:
    """(name in the zip, bytes), sorted by name: the package descriptor, every CSV and descriptor, NOTICE."""
    members = {FILE: text(data_dir).encode("utf-8")}
    for dataset_id in datasets.dataset_ids(data_dir):
        for path in datasets.input_files(dataset_id, data_dir):
            members[path.name] = path.read_bytes()
    for path in EXTRA_FILES:
        members[path.name] = path.read_bytes()
    return sorted(members.items())


def zip_bytes(data_dir: Path = DATA) -> bytes:
    """The whole package as one zip: the same files give the same bytes, whenever and wherever built.
    A build asks twice (the Data page states its size, the site publishes it): the last zip is kept
    with the hash of what went into it, and compressed again only when that changed."""
    members = zip_members(data_dir)
    version = data_version(data_dir)
    key = digest([("version", version), *((name, sha256_bytes(content)) for name, content in members)])
    if _last_zip.get("key") != key:
        _last_zip.update(key=key, zip=_zip(members, version))
    return _last_zip["zip"]


_last_zip: dict = {}


def _zip(members: list[tuple[str, bytes]], version: str) -> bytes:
    year, month, day = (int(x) for x in version.split("-"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members:
            info = zipfile.ZipInfo(f"{NAME}/{name}", date_time=(year, month, day, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3                 # unix, whatever machine builds it
            info.external_attr = 0o100644 << 16    # a regular file, rw-r--r--
            archive.writestr(info, content, compresslevel=9)
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when data/datapackage.json is out of date")
    args = parser.parse_args(argv)
    if args.check:
        if is_current():
            print(f"data/{FILE} is up to date")
            return 0
        print(f"data/{FILE} is out of date: run python -m pipeline.data.datapackage", file=sys.stderr)
        return 1
    print(f"wrote {write().relative_to(ROOT)} ({len(datasets.dataset_ids())} resources)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
