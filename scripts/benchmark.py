#!/usr/bin/env python3
"""Measure the build on this machine (a benchmark, not a test): cold full build, a figures run
with nothing changed, a forced figures run and a figures run after one CSV changed.

    make bench        (or: .venv/bin/python scripts/benchmark.py [--runs N])

Runs in a temporary copy of the project, so the working tree is untouched. Targets on a 2-core
machine: nothing changed draws 0 figures in under a third of the --force time; one CSV changed
draws exactly 1; the cold full build (figures + site + PDF) takes under 5 s; the fast check
(python -m pipeline.check: validate + claims, no drawing) takes well under a second.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def timed(args: list[str], cwd: Path) -> tuple[float, int | None]:
    started = time.perf_counter()
    out = subprocess.run([sys.executable, *args], cwd=cwd, env=ENV, capture_output=True, text=True, check=True).stdout
    elapsed = time.perf_counter() - started
    drawn = re.search(r"(\d+) figure\(s\) drawn", out)
    return elapsed, int(drawn.group(1)) if drawn else None


def fresh_copy(base: Path, name: str) -> Path:
    return Path(shutil.copytree(ROOT, base / name, ignore=copy_ignoring(ROOT)))


def edit_one_csv(project: Path, step: int) -> None:
    csv = project / "data" / "chatgpt_weekly_users.csv"
    text = csv.read_text()
    # Alternate a harmless note so every run is a real change to exactly one CSV.
    csv.write_text(text.replace("Announced by Sam Altman at DevDay 2025.", f"Announced by Sam Altman at DevDay 2025 ({step}).", 1)
                   if step % 2 else text.replace(f" ({step - 1}).", ".", 1))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        cold = [timed(["-m", "pipeline.build"], fresh_copy(base, f"cold{i}")) for i in range(runs)]
        project = fresh_copy(base, "warm")
        timed(["build_charts.py"], project)
        nothing = [timed(["build_charts.py"], project) for _ in range(runs)]
        force = [timed(["build_charts.py", "--force"], project) for _ in range(runs)]
        one, check_changed = [], []
        for step in range(1, runs + 1):
            edit_one_csv(project, step)
            check_changed.append(timed(["-m", "pipeline.check"], project))
            one.append(timed(["build_charts.py"], project))
        check_nothing = [timed(["-m", "pipeline.check"], project) for _ in range(runs)]
        rows = [("cold full build (figures + site + PDF)", cold), ("figures, nothing changed", nothing),
                ("figures, --force", force), ("figures, one CSV changed", one),
                ("fast check (data + claims), nothing changed", check_nothing),
                ("fast check, one CSV changed", check_changed)]

    print(f"{'step':46} {'median s':>9} {'min s':>7} {'drawn':>6}")
    for label, results in rows:
        times = [t for t, _ in results]
        drawn = {d for _, d in results if d is not None}
        print(f"{label:46} {statistics.median(times):9.2f} {min(times):7.2f} {','.join(str(d) for d in drawn) or '-':>6}")

    med = {label: statistics.median(t for t, _ in r) for label, r in rows}
    checks = [
        ("nothing changed draws 0 figures", {d for _, d in nothing} == {0}),
        ("nothing changed < 1/3 of --force", med["figures, nothing changed"] < med["figures, --force"] / 3),
        ("one CSV changed draws exactly 1", {d for _, d in one} == {1}),
        ("cold full build < 5 s", med["cold full build (figures + site + PDF)"] < 5),
        ("fast check < 1 s after one CSV changed", med["fast check, one CSV changed"] < 1),
    ]
    print()
    for label, ok in checks:
        print(f"{'met ' if ok else 'MISSED'} {label}")
    print(f"\nmachine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
