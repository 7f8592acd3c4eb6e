"""LMArena text leaderboard snapshots: read a file in the archive's format, check it, add it.

The archive (github.com/fboulnois/llm-leaderboard-csv, MPL-2.0) converts each LMArena results file
into one CSV per snapshot. This module turns one such file into rows of `data/lmarena_text.csv`
(one row per snapshot and model) and one row of `data/lmarena_snapshots.csv` (where the file came
from: the archive's commit or release, the file, its SHA-256). `pipeline/refresh.py` is the command
around it; `scripts/lmarena_bootstrap.py` built the first 91 snapshots with these same functions,
so adding files one by one gives the same bytes as importing them all at once.

Rules for an incoming file, each refused with file, line, column, value and rule:
- UTF-8, comma-separated, the archive's header (with or without `rank_stylectrl`), no ragged rows;
- `model` not empty; `arena_score` and `votes` whole numbers, at least 0; `95_pct_ci` as "+5/-5";
  `rank` (and `rank_stylectrl`) whole numbers, at least 1;
- `license` one of the strings in `data/lmarena_licences.csv` (a new string needs a decision:
  open, closed or unknown, with a reason);
- a model listed twice: a duplicate line (every cell equal but `rank`, which is only the line's
  position on the board) is dropped and counted in the snapshot's row of lmarena_snapshots.csv; two
  lines for one model with different values are refused.
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.data import datasets
from pipeline.data.datasets import Problem
from pipeline.paths import DATA

TEXT = "lmarena_text"            # one row per snapshot and model
SNAPSHOTS = "lmarena_snapshots"  # one row per snapshot: where its file came from
LICENCES = "lmarena_licences"    # licence string -> open / closed / unknown, with a reason
ALIASES = "lmarena_aliases"      # other names of one model

ARCHIVE = "fboulnois/llm-leaderboard-csv"
ROW_SOURCE = "lmarena"                       # the publisher of the scores
SNAPSHOT_SOURCE = "fboulnois-llm-leaderboard-csv"  # the archive that converted them to CSV

OLD_HEADER = ["rank", "model", "arena_score", "95_pct_ci", "votes", "organization", "license",
              "knowledge_cutoff", "url"]
NEW_HEADER = OLD_HEADER[:1] + ["rank_stylectrl"] + OLD_HEADER[1:]  # from February 2025

TEXT_FIELDS = ["snapshot", "model", "organization", "licence", "arena_score", "ci_plus", "ci_minus",
               "votes", "source", "confidence"]
SNAPSHOT_FIELDS = ["snapshot", "archive_ref", "archive_path", "url", "file_sha256", "rows",
                   "duplicates_dropped", "source", "confidence"]

# Columns that give a line's position on the board, not a value of the model: two lines for one
# model differ in them even when they repeat each other.
POSITIONAL = {"rank"}

_CI = re.compile(r"^\+(\d+)/-(\d+)$")
_WHOLE = re.compile(r"^-?\d+$")
_COMMIT = re.compile(r"^[0-9a-f]{40}$")


@dataclass
class Snapshot:
    """One archive file, checked and converted."""

    date: str                 # YYYY-MM-DD
    rows: list[dict]          # rows of lmarena_text, in the file's order
    provenance: dict          # the row of lmarena_snapshots

    def key(self) -> list[tuple]:
        """The leaderboard's content without its date: equal keys mean nothing new."""
        return [tuple(r[f] for f in TEXT_FIELDS[1:]) for r in self.rows]


# --- where a file came from --------------------------------------------------------------------


def archive_url(ref: str, path: str) -> str:
    """The address of the file: a commit's raw file, or a release's asset."""
    if _COMMIT.match(ref):
        return f"https://raw.githubusercontent.com/{ARCHIVE}/{ref}/{path}"
    return f"https://github.com/{ARCHIVE}/releases/download/{ref}/{path.rsplit('/', 1)[-1]}"


def ref_from_url(url: str) -> tuple[str, str] | None:
    """(ref, path) from an archive address, or None when the address does not name one."""
    raw = re.match(rf"^https://raw\.githubusercontent\.com/{ARCHIVE}/([^/]+)/(.+)$", url)
    if raw:
        return raw.group(1), raw.group(2)
    blob = re.match(rf"^https://github\.com/{ARCHIVE}/(?:blob|raw)/([^/]+)/(.+)$", url)
    if blob:
        return blob.group(1), blob.group(2)
    release = re.match(rf"^https://github\.com/{ARCHIVE}/releases/download/([^/]+)/([^/]+)$", url)
    if release and release.group(1) != "latest":
        return release.group(1), release.group(2)
    return None


# --- reading one archive file ----------------------------------------------------------------


def known_licences(data_dir: Path = DATA) -> set[str]:
    with datasets.csv_path(LICENCES, data_dir).open(encoding="utf-8", newline="") as f:
        return {row["licence"] for row in csv.DictReader(f)}


def read_archive_file(raw: bytes, shown: str, date: str, licences: set[str]) -> tuple[list[dict], int, list[Problem]]:
    """(rows of lmarena_text, exact duplicates dropped, problems) for one archive file's bytes."""
    problems = _structure(raw, shown)
    if problems:
        return [], 0, problems
    text = raw.decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text), strict=True)
    header = next(reader)
    rows, seen, dropped = [], {}, 0
    line = reader.line_num + 1
    for cells in reader:
        start, line = line, reader.line_num + 1
        if not any(c.strip() for c in cells):
            continue
        cell = dict(zip(header, cells))
        row_problems = _cell_problems(cell, shown, start, licences)
        problems += row_problems
        model = cell["model"]
        if model in seen:
            first_line, first_cells = seen[model]
            differ = [h for h, a, b in zip(header, first_cells, cells) if a != b and h not in POSITIONAL]
            if not differ:
                dropped += 1
                continue
            problems.append(Problem(shown, start, "model", model,
                                    f"listed twice with different values (line {first_line}; they differ in "
                                    f"{', '.join(differ)}); a snapshot lists each model once"))
            continue
        seen[model] = (start, cells)
        if row_problems:
            continue
        plus, minus = _CI.match(cell["95_pct_ci"]).groups()
        rows.append({
            "snapshot": date, "model": model, "organization": cell["organization"], "licence": cell["license"],
            "arena_score": str(int(cell["arena_score"])), "ci_plus": str(int(plus)), "ci_minus": str(int(minus)),
            "votes": str(int(cell["votes"])), "source": ROW_SOURCE, "confidence": "exact",
        })
    if not rows and not problems:
        problems.append(Problem(shown, None, None, None, "the file has a header but no data rows"))
    return rows, dropped, problems


def _structure(raw: bytes, shown: str) -> list[Problem]:
    """Encoding, delimiter, header, quoting and row lengths: the checks every dataset gets."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        return [Problem(shown, line, None, raw[err.start:err.start + 4], "bytes that are not UTF-8; the archive's files are UTF-8")]
    if not text.strip():
        return [Problem(shown, None, None, None, "the file is empty; it needs a header and at least one row")]
    # The header's text, not its cells: with the wrong delimiter it is one cell.
    expected = NEW_HEADER if "rank_stylectrl" in text.splitlines()[0] else OLD_HEADER
    # The same checks as every dataset's CSV (pipeline/data/datasets.py), on the archive's header.
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "incoming.csv"
        path.write_bytes(raw)
        problems = datasets._structure_problems(shown, path, expected)
    return problems


def _cell_problems(cell: dict, shown: str, line: int, licences: set[str]) -> list[Problem]:
    problems = []

    def whole(column, minimum):
        value = cell.get(column)
        if value is None:
            return
        if not _WHOLE.match(value.strip()):
            problems.append(Problem(shown, line, column, value, "not a whole number"))
        elif int(value) < minimum:
            problems.append(Problem(shown, line, column, value, f"must be at least {minimum}"))

    whole("rank", 1)
    whole("rank_stylectrl", 1)
    if not cell["model"].strip():
        problems.append(Problem(shown, line, "model", cell["model"], "must not be empty"))
    elif cell["model"] != cell["model"].strip():
        problems.append(Problem(shown, line, "model", cell["model"], "has spaces at its start or end"))
    whole("arena_score", 0)
    whole("votes", 0)
    if not _CI.match(cell["95_pct_ci"]):
        problems.append(Problem(shown, line, "95_pct_ci", cell["95_pct_ci"],
                                "must be a 95% interval written as +N/-M (whole numbers)"))
    if cell["license"] not in licences:
        problems.append(Problem(shown, line, "license", cell["license"],
                                "a licence string not in data/lmarena_licences.csv; add it there with its "
                                "class (open, closed or unknown) and the reason, then run the command again"))
    return problems


def snapshot_from_bytes(raw: bytes, shown: str, date: str, ref: str, path: str,
                        licences: set[str]) -> tuple[Snapshot | None, list[Problem]]:
    rows, dropped, problems = read_archive_file(raw, shown, date, licences)
    if problems:
        return None, problems
    provenance = {
        "snapshot": date, "archive_ref": ref, "archive_path": path, "url": archive_url(ref, path),
        "file_sha256": hashlib.sha256(raw).hexdigest(), "rows": str(len(rows)),
        "duplicates_dropped": str(dropped), "source": SNAPSHOT_SOURCE, "confidence": "exact",
    }
    return Snapshot(date, rows, provenance), []


# --- the dataset's files ----------------------------------------------------------------------


def read_rows(dataset_id: str, data_dir: Path = DATA) -> list[dict]:
    path = datasets.csv_path(dataset_id, data_dir)
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def csv_bytes(fields: list[str], rows: list[dict]) -> bytes:
    """One way to write the dataset's CSVs: the same rows always give the same bytes."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def with_snapshot(text_rows: list[dict], snapshot_rows: list[dict], new: Snapshot) -> tuple[bytes, bytes]:
    """The two CSVs with a snapshot added in date order (rows of one snapshot keep the file's order)."""
    dates = sorted({r["snapshot"] for r in snapshot_rows} | {new.date})
    by_date: dict[str, list[dict]] = {}
    for row in text_rows:
        by_date.setdefault(row["snapshot"], []).append(row)
    by_date[new.date] = new.rows
    text = [row for d in dates for row in by_date.get(d, [])]
    provenance = sorted([*snapshot_rows, new.provenance], key=lambda r: r["snapshot"])
    return csv_bytes(TEXT_FIELDS, text), csv_bytes(SNAPSHOT_FIELDS, provenance)
