"""Let new data in with one command: check a new snapshot, add it, record it, say what it changes.

    .venv/bin/python -m pipeline.refresh lmarena PATH_OR_URL [--date YYYY-MM-DD] [--ref REF] [--archive-path PATH]

PATH_OR_URL is a leaderboard CSV in the format of the archive fboulnois/llm-leaderboard-csv: a file,
or an https address (a commit's raw file, a release's asset, or the newest release's asset,
.../releases/latest/download/lmarena_text.csv, whose tag GitHub's API gives). The snapshot's date
is --date, else the date in the file's name or address (2025-08-04, 2025.08.04 or 20250804; the
archive names its releases by date). Where the file came
from is recorded with the snapshot: taken from the address, or given with --ref (the archive's
commit or release tag) and --archive-path (the file in the archive) for a file on disk.

The file is checked to the same standard as every dataset (each problem named by file, line,
column, value and rule), then the grown dataset is validated as a whole before anything is written.
Refused, with nothing changed: a problem in the file, a licence string the licence table lacks, a
date the dataset already has or that lies in the future, and a file whose leaderboard is the same
as the newest snapshot's before it. On success the CSVs are replaced, each dataset gets a changelog
entry naming its source, and the data diff is printed as Markdown: which numbers moved (and whether
the prose cites them), which figures will be redrawn, which claims changed state.

Exit codes: 0 added; 1 refused (bad data or a date already present); 2 wrong arguments or the file
could not be read; 3 nothing new (the same leaderboard as the newest snapshot before it).
"""
from __future__ import annotations

import argparse
import dataclasses
import re
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path

from pipeline.data import datasets, lmarena
from pipeline.data.datasets import DataError, Problem
from pipeline.paths import DATA, ROOT

NOTHING_NEW = 3
_DATE = re.compile(r"(?<!\d)(20\d\d)[-._]?(\d\d)[-._]?(\d\d)(?!\d)")
WHY = "New leaderboard data, added with python -m pipeline.refresh (by hand or by the scheduled refresh)."


class Refused(Exception):
    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


def fetch(where: str, timeout: float = 60) -> tuple[bytes, str]:
    """(bytes, name to show in messages) of a file or an https address."""
    if re.match(r"^[a-z]+://", where):
        if not where.startswith("https://"):
            raise Refused(f"{where}: only https addresses are read", 2)
        import urllib.request

        request = urllib.request.Request(where, headers={"User-Agent": "future-of-open-models-refresh"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.read(), where
        except OSError as err:
            raise Refused(f"{where}: could not download it ({err})", 2) from None
    path = Path(where)
    if not path.is_file():
        raise Refused(f"{where}: no such file", 2)
    return path.read_bytes(), str(path)


def resolve_latest(where: str, timeout: float = 30) -> str:
    """The archive's "latest release" address, with the release's tag in it (the tag is its date).

    GitHub's API names the tag; GITHUB_TOKEN, when set (as in a workflow), lifts its rate limit."""
    latest = re.match(rf"^https://github\.com/{lmarena.ARCHIVE}/releases/latest/download/([^/]+)$", where)
    if not latest:
        return where
    import json
    import os
    import urllib.request

    api = f"https://api.github.com/repos/{lmarena.ARCHIVE}/releases/latest"
    headers = {"Accept": "application/vnd.github+json", "User-Agent": "future-of-open-models-refresh"}
    if os.environ.get("GITHUB_TOKEN"):
        headers["Authorization"] = f"Bearer {os.environ['GITHUB_TOKEN']}"
    try:
        with urllib.request.urlopen(urllib.request.Request(api, headers=headers), timeout=timeout) as response:
            tag = json.load(response)["tag_name"]
    except (OSError, ValueError, KeyError) as err:
        raise Refused(f"{where}: could not ask GitHub for the newest release ({err})", 2) from None
    return f"https://github.com/{lmarena.ARCHIVE}/releases/download/{tag}/{latest.group(1)}"


def date_of(where: str, given: str | None) -> str:
    if given:
        text = given
    else:
        found = _DATE.findall(where.rsplit("?", 1)[0])
        if not found:
            raise Refused(f"{where}: no date in its name; give one with --date YYYY-MM-DD", 2)
        text = "-".join(found[-1])
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise Refused(f"{text!r} is not a valid date (YYYY-MM-DD)", 2) from None


def provenance(where: str, ref: str | None, path: str | None) -> tuple[str, str]:
    """(archive ref, file in the archive) from the arguments, or from the address."""
    from_url = lmarena.ref_from_url(where) if where.startswith("https://") else None
    ref = ref or (from_url[0] if from_url else None)
    path = path or (from_url[1] if from_url else None)
    if not ref:
        raise Refused(f"{where}: say where the file came from with --ref (the archive's commit or release "
                      "tag) and --archive-path (the file in the archive); every row names its source", 2)
    return ref, path or "csv/lmarena_text.csv"


def add(where: str, when: str | None = None, ref: str | None = None, archive_path: str | None = None,
        today: date | None = None, data_dir: Path = DATA, diff: bool = True) -> str:
    """Add one snapshot; return the report (Markdown). Raises DataError or Refused; changes nothing then."""
    today = today or date.today()
    where = resolve_latest(where)
    snapshot_date = date_of(where, when)
    ref, archive_path = provenance(where, ref, archive_path)
    raw, shown = fetch(where)

    snapshot_rows = lmarena.read_rows(lmarena.SNAPSHOTS, data_dir)
    text_rows = lmarena.read_rows(lmarena.TEXT, data_dir)
    shown_snapshots = f"data/{datasets.descriptor(lmarena.SNAPSHOTS, data_dir)['path']}"
    for line, row in enumerate(snapshot_rows, start=2):
        if row["snapshot"] == snapshot_date:
            raise DataError([Problem(shown_snapshots, line, "snapshot", snapshot_date,
                                     "the dataset already has a snapshot of this date")])
    if date.fromisoformat(snapshot_date) > today:
        raise DataError([Problem(shown, None, None, snapshot_date, f"date is in the future (today is {today.isoformat()})")])

    snap, problems = lmarena.snapshot_from_bytes(raw, shown, snapshot_date, ref, archive_path,
                                                 lmarena.known_licences(data_dir))
    if problems:
        raise DataError(problems)
    earlier = [r["snapshot"] for r in snapshot_rows if r["snapshot"] < snapshot_date]
    if earlier:
        previous = max(earlier)
        rows = [r for r in text_rows if r["snapshot"] == previous]
        if lmarena.Snapshot(previous, rows, {}).key() == snap.key():
            raise Refused(f"{shown}: the same leaderboard as the snapshot of {previous} (every model, score, "
                          "interval and vote count equal); nothing new, nothing was changed", NOTHING_NEW)

    text_bytes, snapshot_bytes = lmarena.with_snapshot(text_rows, snapshot_rows, snap)
    _validate_whole(data_dir, {lmarena.TEXT: text_bytes, lmarena.SNAPSHOTS: snapshot_bytes}, today)

    before = _snapshot_of_numbers() if diff else None
    from pipeline import diff as data_diff
    from pipeline.data import changelog

    # Everything this step may change, so that a failure after the first write (a figure whose
    # numbers() cannot read the new snapshot, say) puts every file back: nothing half-changed.
    touched = [datasets.csv_path(d, data_dir) for d in (lmarena.TEXT, lmarena.SNAPSHOTS)]
    touched += [datasets.descriptor_path(d, data_dir) for d in (lmarena.TEXT, lmarena.SNAPSHOTS)]
    touched += [data_dir / "datapackage.json", data_dir.parent / "CITATION.cff"]
    saved = {path: path.read_bytes() for path in touched if path.exists()}
    try:
        _write(data_dir, {lmarena.TEXT: text_bytes, lmarena.SNAPSHOTS: snapshot_bytes})
        # Which numbers and claims the new snapshot moved, recorded in each entry (the update post shows it).
        after = _snapshot_of_numbers() if diff else None
        kind = "release" if not re.fullmatch(r"[0-9a-f]{40}", ref) else "commit"
        change = (f"Added the LMArena text leaderboard of {snapshot_date} ({len(snap.rows)} models) from "
                  f"{lmarena.ARCHIVE} ({kind} {ref}, {archive_path}).")
        for dataset_id, source in ((lmarena.TEXT, lmarena.ROW_SOURCE), (lmarena.SNAPSHOTS, lmarena.SNAPSHOT_SOURCE)):
            moved = data_diff.moves(before, after, dataset_id) if diff else None
            changelog.record(dataset_id, change, WHY, [source], today=today, data_dir=data_dir, moved=moved)
    except BaseException:
        for path, content in saved.items():
            path.write_bytes(content)
        raise

    dropped = int(snap.provenance["duplicates_dropped"])
    lines = [f"## LMArena snapshot {snapshot_date} added", "",
             f"- From: {snap.provenance['url']}",
             f"- File SHA-256: `{snap.provenance['file_sha256']}`",
             f"- Models: {len(snap.rows)}" + (f" ({dropped} duplicate line(s) dropped)" if dropped else ""),
             f"- Datasets: `{lmarena.TEXT}` {datasets.descriptor(lmarena.TEXT, data_dir)['version']}, "
             f"`{lmarena.SNAPSHOTS}` {datasets.descriptor(lmarena.SNAPSHOTS, data_dir)['version']}", ""]
    lines += _new_names(text_rows, snap, data_dir)
    if diff:  # a third snapshot on purpose: after the changelog entries, so versions show their bump
        lines += _diff(before, _snapshot_of_numbers(after["numbers"]))
    return "\n".join(lines) + "\n"


def _new_names(text_rows: list[dict], snap, data_dir: Path) -> list[str]:
    """Names never on the board before: each may be a new model, or an old one renamed (then it
    belongs in lmarena_aliases), and its licence decides its side unless lmarena_model_classes says
    otherwise. The reviewer decides; the list says what to look at."""
    seen = {r["model"].casefold() for r in text_rows}
    seen |= {r["alias"].casefold() for r in lmarena.read_rows(lmarena.ALIASES, data_dir)}
    classes = {r["licence"]: r["class"] for r in lmarena.read_rows(lmarena.LICENCES, data_dir)}
    new = [r for r in snap.rows if r["model"].casefold() not in seen]
    if not new:
        return ["No name is new to the board.", ""]
    lines = ["### Names new to the board", "",
             "Each is a new model or a renamed one (then add it to `data/lmarena_aliases.csv`); its licence "
             "decides its side unless `data/lmarena_model_classes.csv` says otherwise.", "",
             "| model | organization | licence | class | score |", "| --- | --- | --- | --- | --- |"]
    lines += [f"| {r['model']} | {r['organization']} | {r['licence'] or '(empty)'} | {classes[r['licence']]} | "
              f"{r['arena_score']} |" for r in new]
    return lines + [""]


def _validate_whole(data_dir: Path, new: dict[str, bytes], today: date) -> None:
    """Validate the grown datasets in a copy of data/, so a problem leaves data/ untouched."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp)
        for path in data_dir.iterdir():
            if path.is_file():
                shutil.copy(path, copy / path.name)
        for dataset_id, content in new.items():
            datasets.csv_path(dataset_id, copy).write_bytes(content)
        try:
            datasets.validate(list(new), data_dir=copy, today=today)
        except DataError as err:
            # name the dataset's file, not the temporary copy
            raise DataError([dataclasses.replace(p, file=p.file.replace(str(copy), "data")) for p in err.problems]) from None


def _write(data_dir: Path, new: dict[str, bytes]) -> None:
    from pipeline.files import write_atomically

    for dataset_id, content in new.items():
        write_atomically(datasets.csv_path(dataset_id, data_dir), content)


def _snapshot_of_numbers(numbers: dict | None = None) -> dict:
    from pipeline import diff

    return diff.snapshot_now(numbers)


def _diff(before: dict, after: dict) -> list[str]:
    """The data diff, as scripts/data_diff.py writes it for a pull request."""
    from pipeline import diff

    return ["## Data diff", "", *diff.report(before, after, diff.cited_in_docs())]


DATASETS = {"lmarena": add}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", choices=sorted(DATASETS))
    parser.add_argument("where", metavar="PATH_OR_URL")
    parser.add_argument("--date", help="the snapshot's date (default: the date in the file's name)")
    parser.add_argument("--ref", help="the archive's commit or release tag the file came from")
    parser.add_argument("--archive-path", help="the file in the archive (default: csv/lmarena_text.csv)")
    args = parser.parse_args(argv)
    try:
        report = DATASETS[args.dataset](args.where, args.date, args.ref, args.archive_path)
    except DataError as err:
        print(err.report("nothing was changed"), file=sys.stderr)
        return 1
    except Refused as err:
        print(err, file=sys.stderr)
        return err.code
    print(report, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
