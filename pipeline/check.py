"""The fast check: validate the data and evaluate the claims, without drawing or building.

    .venv/bin/python -m pipeline.check        (or: make check)

Meant for a pre-commit hook and for the analyst after an edit: it takes well under a second. Only
datasets that changed since they last passed are re-validated, and numbers are recomputed in
memory only for figures whose inputs changed; nothing is written.
"""
from __future__ import annotations

import sys
import time

from pipeline.data import datasets
from pipeline.essay import claims
from pipeline.figures import build, registry


def main() -> int:
    started = time.perf_counter()
    try:
        work = build.plan(registry.figure_ids())
        datasets.validate(work.unvalidated)
        results = claims.check(build.current_numbers())
    except datasets.DataError as err:
        print(err.report("fix them and check again"), file=sys.stderr)
        return 1
    except (claims.ClaimError, claims.ClaimsFileError) as err:
        print(err, file=sys.stderr)
        return 1
    print(f"data: {len(datasets.dataset_ids())} datasets valid ({len(work.unvalidated)} re-validated)")
    for r in results:
        print(f"claim {r.id}: {r.state}")
    print(f"checked in {time.perf_counter() - started:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
