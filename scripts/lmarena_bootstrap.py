#!/usr/bin/env python3
"""Build data/lmarena_text.csv and data/lmarena_snapshots.csv from a folder of archive files.

    .venv/bin/python scripts/lmarena_bootstrap.py FOLDER

FOLDER holds one file per snapshot, named YYYY-MM-DD.csv, unchanged from the archive
fboulnois/llm-leaderboard-csv, and a snapshots.tsv (snapshot, upstream_commit, upstream_file) naming
the commit and file each came from. Each file goes through the same checks and the same writer as
`python -m pipeline.refresh lmarena`, one after another, so the result is what adding the files one
by one with the refresh command gives (tests/test_lmarena_refresh.py replays the last three).
Run once to create the dataset; afterwards the refresh command adds snapshots and records them.
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.data import datasets, lmarena  # noqa: E402
from pipeline.files import write_atomically  # noqa: E402


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    folder = Path(argv[0])
    with (folder / "snapshots.tsv").open(encoding="utf-8", newline="") as f:
        listed = sorted(csv.DictReader(f, delimiter="\t"), key=lambda r: r["snapshot"])
    licences = lmarena.known_licences()
    text_rows: list[dict] = []
    snapshot_rows: list[dict] = []
    problems = []
    for entry in listed:
        path = folder / f"{entry['snapshot']}.csv"
        snap, found = lmarena.snapshot_from_bytes(path.read_bytes(), str(path), entry["snapshot"],
                                                  entry["upstream_commit"], entry["upstream_file"], licences)
        problems += found
        if snap:
            text_bytes, snapshot_bytes = lmarena.with_snapshot(text_rows, snapshot_rows, snap)
            text_rows = text_rows + snap.rows
            snapshot_rows = sorted([*snapshot_rows, snap.provenance], key=lambda r: r["snapshot"])
    if problems:
        print(datasets.DataError(problems).report("nothing was written"), file=sys.stderr)
        return 1
    write_atomically(datasets.csv_path(lmarena.TEXT), text_bytes)
    write_atomically(datasets.csv_path(lmarena.SNAPSHOTS), snapshot_bytes)
    print(f"{len(snapshot_rows)} snapshots, {len(text_rows)} rows written")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
