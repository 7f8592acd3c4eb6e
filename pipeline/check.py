"""The fast check: validate the data and evaluate the claims, without drawing or building.

    .venv/bin/python -m pipeline.check        (or: make check)

Meant for a pre-commit hook and for the analyst after an edit: it takes well under a second. Only
datasets that changed since they last passed are re-validated, and numbers are recomputed in
memory only for figures whose inputs changed; nothing is written.
"""
from __future__ import annotations

import json
import sys
import time

from pipeline import claims, datasets, figures
from pipeline.numbers import load


def current_numbers(manifest: dict, stale) -> dict:
    """Numbers for every figure: from the last build where inputs are unchanged, else recomputed."""
    result = {}
    for figure_id in figures.figure_ids():
        entry = manifest.get("figures", {}).get(figure_id)
        if figure_id in stale or entry is None:
            result[figure_id] = figures.compute_numbers(figure_id, figures.frames_for(figure_id))
        else:
            result[figure_id] = entry["numbers"]
    return load(json.dumps(result))


def main() -> int:
    started = time.perf_counter()
    manifest = figures.read_manifest()
    try:
        work = figures.plan(figures.figure_ids())
        unvalidated = work.unvalidated
        datasets.validate(unvalidated)
        results = claims.check(current_numbers(manifest, work.stale))
    except datasets.DataError as err:
        print(err.report("fix them and check again"), file=sys.stderr)
        return 1
    except claims.ClaimError as err:
        print(err, file=sys.stderr)
        return 1
    print(f"data: {len(datasets.dataset_ids())} datasets valid ({len(unvalidated)} re-validated)")
    for r in results:
        print(f"claim {r.id}: {r.state}")
    print(f"checked in {time.perf_counter() - started:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
