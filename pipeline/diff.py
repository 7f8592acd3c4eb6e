"""What a data change moves: snapshots of the numbers, figure inputs, claim states and dataset
versions, taken of the working tree or of any git revision, and compared.

Used by `scripts/data_diff.py` (the pull-request summary), `python -m pipeline.changelog` and
`python -m pipeline.refresh` (which record what moved in the changelog entry, for the update posts).
It sits on top of the pipeline, beside the other commands: a snapshot reads data, figures and
claims, so no sub-package may own it. A revision's snapshot is taken by that revision's own code
(pipeline/snapshot.py, run inside an export of it), so old revisions compare too.
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

from pipeline.files import copy_ignoring
from pipeline.paths import DOCS, ROOT

CITED = re.compile(r"\bn\.(\w+)\.(\w+)")  # a number the prose or a claim cites: n.<figure>.<name>


def cited_numbers(text: str) -> set[str]:
    """'figure.name' of every number a text cites."""
    return {f"{a}.{b}" for a, b in CITED.findall(text)}


def cited_in_docs(docs: Path = DOCS) -> set[str]:
    return cited_numbers(" ".join(p.read_text(encoding="utf-8") for p in docs.glob("*.md")))


def snapshot_now(numbers: dict | None = None) -> dict:
    from pipeline import snapshot

    return snapshot.snapshot(numbers)


def export(rev: str | None, dest: Path) -> Path:
    """A revision's files in `dest` (`git archive`), or the working tree's when rev is None."""
    if rev is None:
        shutil.copytree(ROOT, dest, ignore=copy_ignoring(ROOT))
        return dest
    dest.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", rev], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return dest


def take_snapshot(tree: Path) -> dict:
    # Our snapshot code, run against the tree's own pipeline and data (which may predate it).
    code = (ROOT / "pipeline" / "snapshot.py").read_text(encoding="utf-8")
    result = subprocess.run([sys.executable, "-c", code], cwd=tree, capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(tree)})
    if result.returncode != 0:
        raise SystemExit(f"could not read the data at {tree.name}:\n{result.stderr}")
    return json.loads(result.stdout)


def snapshot_at(rev: str) -> dict | None:
    """The snapshot of a git revision (None outside a git checkout or for an unknown revision)."""
    if subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], cwd=ROOT,
                      capture_output=True).returncode != 0:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        return take_snapshot(export(rev, Path(tmp) / "base"))


def numbers_moved(before: dict, after: dict, cited: set[str], figures=None) -> list[dict]:
    moved = []
    for fig in sorted(set(before["numbers"]) | set(after["numbers"])):
        if figures is not None and fig not in figures:
            continue
        old, new = before["numbers"].get(fig, {}), after["numbers"].get(fig, {})
        for name in sorted(set(old) | set(new)):
            a, b = old.get(name, {}).get("text", "(none)"), new.get(name, {}).get("text", "(none)")
            if a != b:
                moved.append({"number": f"{fig}.{name}", "before": a, "after": b, "cited": f"{fig}.{name}" in cited})
    return moved


def claims_changed(before: dict, after: dict, absent: str = "(not declared)") -> list[dict]:
    changed = []
    for cid in sorted(set(before.get("claims", {})) | set(after.get("claims", {}))):
        a = before.get("claims", {}).get(cid, {}).get("state", absent)
        b = after.get("claims", {}).get(cid, {}).get("state", absent)
        if a != b:
            text = (after.get("claims", {}).get(cid) or before.get("claims", {}).get(cid) or {}).get("claim", "")
            changed.append({"claim": cid, "before": a, "after": b, "text": text})
    return changed


def moves(before: dict, after: dict, dataset_id: str | None = None, cited: set[str] | None = None) -> dict:
    """What a change to `dataset_id` moved (the changelog entry's optional keys): the numbers of the
    figures drawn from it whose text changed, and the claims whose state changed among those whose
    check reads those figures (or reads no figure)."""
    from pipeline.essay import claims

    def uses(figure_id: str) -> bool:
        inputs = {**before.get("figure_inputs", {}).get(figure_id, {}), **after.get("figure_inputs", {}).get(figure_id, {})}
        return any(Path(p).name in (f"{dataset_id}.csv", f"{dataset_id}.resource.yaml") for p in inputs)

    figs = {f for f in set(before["numbers"]) | set(after["numbers"]) if dataset_id is None or uses(f)}
    reads = {str(c["id"]): {fig for fig, _ in CITED.findall(str(c.get("check", "")))} for c in claims.declared()}
    changed = [c for c in claims_changed(before, after, absent="not declared")
               if dataset_id is None or reads.get(c["claim"], set()) & figs or c["claim"] not in reads]
    return {"numbers_moved": numbers_moved(before, after, cited if cited is not None else cited_in_docs(), figs),
            "claims_changed": changed}


def report(before: dict, after: dict, cited: set[str]) -> list[str]:
    """The data diff as Markdown lines: numbers that moved, figures redrawn, claims, versions."""
    lines = ["### Numbers that moved"]
    moved = numbers_moved(before, after, cited)
    if moved:
        lines += ["| number | before | after | cited in the prose |", "| --- | --- | --- | --- |"]
        lines += [f"| `{m['number']}` | {m['before']} | {m['after']} | {'yes' if m['cited'] else 'no'} |" for m in moved]
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
    lines += [f"- `{c['claim']}`: {c['before']} → {c['after']}" for c in claims_changed(before, after)] or ["None."]
    lines.append("\n### Dataset versions")
    versions = [f"- `{d}`: {before['datasets'].get(d, '(new)')} → {after['datasets'].get(d, '(removed)')}"
                for d in sorted(set(before["datasets"]) | set(after["datasets"]))
                if before["datasets"].get(d) != after["datasets"].get(d)]
    lines += versions or ["No dataset changed version."]
    return lines
