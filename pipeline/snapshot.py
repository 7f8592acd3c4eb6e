"""A JSON snapshot of what the data says at one revision: numbers, figure inputs, claim states,
dataset versions. scripts/data_diff.py runs this file against each revision's own code and data and
compares the two snapshots; nothing is drawn. It works with the pipeline's layout before and after
it became sub-packages (a pull request compares with a base branch that may predate either)."""
from __future__ import annotations

import json
import sys


def snapshot(numbers: dict | None = None) -> dict:
    """`numbers`: the figures' numbers when the caller computed them from the same CSVs already
    (refresh's last snapshot, taken after the changelog entries: those change descriptors, which
    no number reads); hashes, versions and claims are taken again. It reads the project's data/
    (refresh.add with another data_dir takes no snapshot: diff=False)."""
    try:  # the layout since issue 10: pipeline/data, pipeline/figures, pipeline/essay
        from pipeline.data import datasets
        from pipeline.figures import registry as figures
        from pipeline.figures.build import input_hashes
    except ImportError:  # an older revision: flat modules
        from pipeline import datasets, figures
        input_hashes = figures.input_hashes

    if numbers is None:
        numbers = {f: figures.compute_numbers(f, figures.frames_for(f)) for f in figures.figure_ids()}
    result = {
        "numbers": numbers,
        "figure_inputs": {f: input_hashes(f) for f in figures.figure_ids()},
        "datasets": {d: datasets.descriptor(d).get("version", "") for d in datasets.dataset_ids()},
        "claims": {},
    }
    try:
        try:
            from pipeline.essay import claims
            from pipeline.figures.numbers import load
        except ImportError:
            from pipeline import claims
            from pipeline.numbers import load

        for r in claims.evaluate(load(json.dumps(numbers))):
            result["claims"][r.id] = {"state": r.state, "claim": r.claim}
    except ImportError:  # a revision from before claims existed
        pass
    return result


if __name__ == "__main__":
    json.dump(snapshot(), sys.stdout, indent=1, sort_keys=True, default=str)
