"""The data changelog, in one place: recorded here (a bumped version and a dated entry in the
dataset's descriptor), read here (every entry, newest first, and the data version: the newest date).
The command that records an entry is `python -m pipeline.changelog` (pipeline/changelog.py).

Each entry carries the SHA-256 of the CSV it describes, so a test can tell when a CSV was edited
without a changelog entry (tests/test_data_versions.py). The first entry of a dataset keeps its
version; later entries bump the minor version unless told otherwise.

An entry may also record which numbers and claims the change moved (`numbers_moved`,
`claims_changed`: its caller measures them, pipeline/diff.py); the data-update post of that date
shows them (pipeline/essay/posts.py).
"""
from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path

from pipeline.data import datasets


def csv_sha256(dataset_id: str, data_dir=datasets.DATA) -> str:
    return hashlib.sha256(datasets.csv_path(dataset_id, data_dir).read_bytes()).hexdigest()


def bumped(version: str, part: str) -> str:
    major, minor, patch = (int(x) for x in version.split("."))
    return {"major": f"{major + 1}.0.0", "minor": f"{major}.{minor + 1}.0", "patch": f"{major}.{minor}.{patch + 1}"}[part]


def _yaml_text(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def record(dataset_id: str, change: str, why: str, sources: list[str], part: str = "minor",
           today: date | None = None, data_dir=datasets.DATA, moved: dict | None = None) -> str:
    path = datasets.descriptor_path(dataset_id, data_dir)
    desc = datasets.descriptor(dataset_id, data_dir)
    unknown = [s for s in sources if s not in datasets.sources(dataset_id, data_dir)]
    if unknown:
        raise datasets.DataError([datasets.Problem(datasets._shown(path), None, "sources", s,
                                                   "an entry cites a source the descriptor does not list")
                                  for s in unknown])
    history = desc.get("changelog") or []
    version = desc["version"] if not history else bumped(desc["version"], part)
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^version: .*$", f"version: {version}", text, count=1, flags=re.M)
    if not history:
        text = text.rstrip("\n") + "\nchangelog:\n"
    entry = (f"  - version: {version}\n"
             f"    date: {(today or date.today()).isoformat()}\n"
             f"    change: {_yaml_text(change)}\n"
             f"    why: {_yaml_text(why)}\n"
             f"    sources: [{', '.join(sources)}]\n"
             f"    csv_sha256: {csv_sha256(dataset_id, data_dir)}\n") + _moved_yaml(moved)
    path.write_text(text.rstrip("\n") + "\n" + entry, encoding="utf-8")
    # data/datapackage.json inlines every descriptor: keep it in step (pipeline/data/datapackage.py).
    from pipeline.data import datapackage

    if (data_dir / datapackage.FILE).exists():
        datapackage.write(data_dir)
    _cite_data_version(data_dir.parent / "CITATION.cff", data_version(data_dir))
    return version


def _cite_data_version(citation: Path, version: str) -> None:
    """CITATION.cff names the data version (a test keeps them equal): move it with the data."""
    if not citation.exists():
        return
    text = citation.read_text(encoding="utf-8")
    for key in ("version", "date-released"):
        text = re.sub(rf'^{key}: .*$', f'{key}: "{version}"', text, count=1, flags=re.M)
    citation.write_text(text, encoding="utf-8")


def entries(data_dir=datasets.DATA) -> list[dict]:
    """Every entry of every dataset, newest first, each with its dataset id and date as text."""
    found = [{**entry, "dataset": d, "date": str(entry["date"]), "first": i == 0}
             for d in datasets.dataset_ids(data_dir)
             for i, entry in enumerate(datasets.descriptor(d, data_dir).get("changelog") or [])]
    return sorted(found, key=lambda e: (e["date"], e["dataset"]), reverse=True)


def data_version(data_dir=datasets.DATA, default: str = "unversioned") -> str:
    """The date of the newest changelog entry across all datasets (YYYY-MM-DD).

    Every data change comes with a changelog entry (a test enforces it), so this date moves
    whenever the data does; each dataset's own semantic version is on the Data page.
    """
    dates = [e["date"] for e in entries(data_dir)]
    return max(dates) if dates else default


def _moved_yaml(moved: dict | None) -> str:
    """What the change moved (pipeline.essay.posts.moves), as the entry's optional keys; nothing when it
    was not measured. An empty list says that nothing moved."""
    if moved is None:
        return ""

    def value(v) -> str:
        return ("true" if v else "false") if isinstance(v, bool) else _yaml_text(str(v))

    text = ""
    for key, fields in (("numbers_moved", ("number", "before", "after", "cited")),
                        ("claims_changed", ("claim", "before", "after", "text"))):
        rows = moved.get(key) or []
        text += f"    {key}:{' []' if not rows else ''}\n"
        for row in rows:
            text += "      - {" + ", ".join(f"{f}: {value(row[f])}" for f in fields if f in row) + "}\n"
    return text
