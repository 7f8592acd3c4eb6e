#!/usr/bin/env python3
"""Compare the data between two git revisions: which numbers in the prose moved, which figures
would be redrawn, which claims changed state, which datasets changed version.

    .venv/bin/python scripts/data_diff.py BASE [HEAD]     # HEAD defaults to the working tree

Prints Markdown (the pull-request workflow adds it to the job summary and uploads it). Each
revision is exported with `git archive` into a temporary folder and read by its own code
(pipeline/diff.py does the work).
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline import diff  # noqa: E402


def main(argv: list[str]) -> int:
    if not argv or len(argv) > 2:
        print(__doc__, file=sys.stderr)
        return 2
    base, head = argv[0], (argv[1] if len(argv) > 1 else None)
    with tempfile.TemporaryDirectory() as tmp:
        a = diff.export(base, Path(tmp) / "base")
        b = diff.export(head, Path(tmp) / "head")
        lines = [f"## Data diff: {base} → {head or 'working tree'}", ""]
        lines += diff.report(diff.take_snapshot(a), diff.take_snapshot(b), diff.cited_in_docs(b / "docs"))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
