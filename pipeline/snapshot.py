"""A JSON snapshot of what the data says at one revision: numbers, figure inputs, claim states,
dataset versions. scripts/data_diff.py takes two snapshots and compares them. Nothing is drawn."""
from __future__ import annotations

import json
import sys


def snapshot() -> dict:
    from pipeline import datasets, figures

    numbers = {f: figures.compute_numbers(f, figures.frames_for(f)) for f in figures.figure_ids()}
    result = {
        "numbers": numbers,
        "figure_inputs": {f: figures.input_hashes(f) for f in figures.figure_ids()},
        "datasets": {d: datasets.descriptor(d).get("version", "") for d in datasets.dataset_ids()},
        "claims": {},
    }
    try:
        from pipeline import claims
        from pipeline.numbers import load

        for r in claims.evaluate(load(json.dumps(numbers))):
            result["claims"][r.id] = {"state": r.state, "claim": r.claim}
    except ImportError:  # a revision from before claims existed
        pass
    return result


if __name__ == "__main__":
    json.dump(snapshot(), sys.stdout, indent=1, sort_keys=True, default=str)
