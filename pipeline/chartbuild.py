"""The chart build behind build_charts.py (and behind `mkdocs serve`, via pipeline.hooks)."""
from __future__ import annotations

import contextlib
import json
from typing import Callable

from pipeline import datasets, figures
from pipeline.numbers import dump, load
from pipeline.paths import NUMBERS_JSON

Say = Callable[[str], None]


class UnknownFigure(Exception):
    pass


def _selected(ids: list[str] | None) -> list[str]:
    known = figures.figure_ids()
    if not ids:
        return known
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise UnknownFigure(f"unknown figure id(s): {', '.join(unknown)}; known: {', '.join(known)}")
    return ids


@contextlib.contextmanager
def _exclusive():
    """One chart build at a time (`mkdocs serve`, an editor hook and a manual run may overlap):
    two builds interleaving their manifest writes would forget each other's figures."""
    import fcntl

    figures.MANIFEST.parent.mkdir(parents=True, exist_ok=True)
    with open(figures.MANIFEST.parent / "build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def build(ids: list[str] | None = None, force: bool = False, say: Say = print) -> list[str]:
    """Validate changed data, redraw stale figures, rewrite numbers.json. Returns the ids drawn."""
    with _exclusive():
        return _build(ids, force, say)


def _build(ids: list[str] | None, force: bool, say: Say) -> list[str]:
    selected = _selected(ids)
    work = figures.plan(selected, force=force)
    manifest = figures.read_manifest()

    if work.unvalidated:
        datasets.validate(work.unvalidated)  # raises DataError before anything is drawn
        say(f"validated {len(work.unvalidated)} dataset(s): {', '.join(work.unvalidated)}")
        for dataset_id in work.unvalidated:
            manifest.setdefault("validated", {})[dataset_id] = figures._dataset_hash(dataset_id)

    for figure_id in work.fresh:
        say(f"skipped {figure_id} (up to date)")
    for figure_id, entry in _draw_all(list(work.stale)):
        manifest.setdefault("figures", {})[figure_id] = entry
        say(f"drew {figure_id} ({'; '.join(work.stale[figure_id])})")

    say(f"{len(work.stale)} figure(s) drawn, {len(work.fresh)} skipped")
    if work.needs_work() or not NUMBERS_JSON.exists():
        _forget_removed_figures(manifest)
        figures.write_atomically(figures.MANIFEST, json.dumps(manifest, indent=1, sort_keys=True).encode())
        _write_numbers(manifest)
    return list(work.stale)


def _draw_one(figure_id: str) -> tuple[str, dict]:
    frames = figures.frames_for(figure_id)
    numbers = figures.compute_numbers(figure_id, frames)  # first: a data problem stops before drawing
    return figure_id, {"inputs": figures.input_hashes(figure_id), "outputs": figures.draw(figure_id, frames),
                       "numbers": numbers}


def _draw_all(ids: list[str]):
    """Draw figures, on every core when there are several (drawing is CPU-bound, figures are
    independent). matplotlib and pandas are imported once, before the workers fork."""
    import os

    workers = min(len(ids), os.cpu_count() or 1)
    if workers < 2:
        yield from map(_draw_one, ids)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot  # noqa: F401
    import pandas  # noqa: F401

    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        yield from pool.map(_draw_one, ids)


def _forget_removed_figures(manifest: dict) -> None:
    known = set(figures.figure_ids())
    for figure_id in list(manifest.get("figures", {})):
        if figure_id not in known:
            del manifest["figures"][figure_id]


def _write_numbers(manifest: dict) -> None:
    numbers = {fid: load(json.dumps({fid: entry["numbers"]}))[fid] for fid, entry in manifest["figures"].items()}
    figures.write_atomically(NUMBERS_JSON, dump(numbers).encode())


def check(ids: list[str] | None, say: Say) -> int:
    work = figures.plan(_selected(ids))
    for figure_id, reasons in work.stale.items():
        say(f"stale: {figure_id} ({'; '.join(reasons)})")
    for dataset_id in work.unvalidated:
        say(f"not validated since it changed: {dataset_id}")
    if work.needs_work():
        say("run: python build_charts.py")
        return 1
    say(f"all {len(work.fresh)} figure(s) up to date")
    return 0


def list_figures(say: Say) -> int:
    work = figures.plan(figures.figure_ids())
    for figure_id in figures.figure_ids():
        state = "stale" if figure_id in work.stale else "up to date"
        say(f"{figure_id:28} {state:11} {', '.join(figures.module(figure_id).DATASETS)}")
    return 0
