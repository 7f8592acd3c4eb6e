#!/usr/bin/env python3
"""Compare the data between two git revisions: which numbers in the prose moved, which figures
would be redrawn, which claims changed state, which datasets changed version.

    .venv/bin/python scripts/data_diff.py BASE [HEAD]     # HEAD defaults to the working tree

Prints Markdown (the pull-request workflow adds it to the job summary and uploads it). Each
revision is exported with `git archive` into a temporary folder and read by its own code.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.files import copy_ignoring  # noqa: E402


def export(rev: str | None, dest: Path) -> Path:
    if rev is None:
        shutil.copytree(ROOT, dest, ignore=copy_ignoring(ROOT))
        return dest
    dest.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", rev], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return dest


def take_snapshot(tree: Path) -> dict:
    # Our snapshot code, run against the revision's own pipeline and data (it may predate it).
    code = (ROOT / "pipeline" / "data" / "snapshot.py").read_text(encoding="utf-8")
    result = subprocess.run([sys.executable, "-c", code], cwd=tree, capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(tree)})
    if result.returncode != 0:
        raise SystemExit(f"could not read the data at {tree.name}:\n{result.stderr}")
    return json.loads(result.stdout)


def cited_numbers(tree: Path) -> set[str]:
    text = " ".join(p.read_text(encoding="utf-8") for p in (tree / "docs").glob("*.md"))
    return {f"{a}.{b}" for a, b in re.findall(r"\bn\.(\w+)\.(\w+)", text)}


def diff(before: dict, after: dict, cited: set[str]) -> list[str]:
    lines = []
    moved = []
    for fig in sorted(set(before["numbers"]) | set(after["numbers"])):
        old, new = before["numbers"].get(fig, {}), after["numbers"].get(fig, {})
        for name in sorted(set(old) | set(new)):
            a, b = old.get(name, {}).get("text", "(none)"), new.get(name, {}).get("text", "(none)")
            if a != b:
                moved.append((f"{fig}.{name}", a, b, f"{fig}.{name}" in cited))
    lines.append("### Numbers that moved")
    if moved:
        lines += ["| number | before | after | cited in the prose |", "| --- | --- | --- | --- |"]
        lines += [f"| `{n}` | {a} | {b} | {'yes' if c else 'no'} |" for n, a, b, c in moved]
    else:
        lines.append("None.")

    lines.append("\n### Figures that would be redrawn")
    redrawn = []
    for fig in sorted(set(before["figure_inputs"]) | set(after["figure_inputs"])):
        old, new = before["figure_inputs"].get(fig), after["figure_inputs"].get(fig)
        if old != new:
            changed = sorted(p for p in set(old or {}) | set(new or {}) if (old or {}).get(p) != (new or {}).get(p))
            redrawn.append(f"- `{fig}`: " + ("new figure" if old is None else "removed" if new is None
                                              else "inputs changed: " + ", ".join(changed)))
    lines += redrawn or ["None."]

    lines.append("\n### Claims whose state changed")
    states = []
    for cid in sorted(set(before["claims"]) | set(after["claims"])):
        a = before["claims"].get(cid, {}).get("state", "(not declared)")
        b = after["claims"].get(cid, {}).get("state", "(not declared)")
        if a != b:
            states.append(f"- `{cid}`: {a} → {b}")
    lines += states or ["None."]
    lines.append("\n### Dataset versions")
    versions = [f"- `{d}`: {before['datasets'].get(d, '(new)')} → {after['datasets'].get(d, '(removed)')}"
                for d in sorted(set(before["datasets"]) | set(after["datasets"]))
                if before["datasets"].get(d) != after["datasets"].get(d)]
    lines += versions or ["No dataset changed version."]
    return lines


def main(argv: list[str]) -> int:
    if not argv or len(argv) > 2:
        print(__doc__, file=sys.stderr)
        return 2
    base, head = argv[0], (argv[1] if len(argv) > 1 else None)
    with tempfile.TemporaryDirectory() as tmp:
        a = export(base, Path(tmp) / "base")
        b = export(head, Path(tmp) / "head")
        lines = [f"## Data diff: {base} → {head or 'working tree'}", ""]
        lines += diff(take_snapshot(a), take_snapshot(b), cited_numbers(b))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
