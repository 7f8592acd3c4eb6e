#!/usr/bin/env python3
"""Validate the data, draw the figures whose inputs changed, write the numbers the prose cites.

    python build_charts.py                 # everything that is out of date
    python build_charts.py ID [ID ...]     # only these figures
    python build_charts.py --force         # redraw even if up to date
    python build_charts.py --check         # exit 1 if an output is missing or stale; draw nothing
    python build_charts.py --list          # the registered figures and their state
    python build_charts.py --numbers-first # say "numbers written" once build/numbers.json is (mkdocs serve)

Bad data stops the run before anything is drawn, with one line per problem naming the file, line,
column, value and rule. matplotlib and pandas are imported only when something must be drawn.
"""
from __future__ import annotations

import argparse
import sys
import time

from pipeline.figures import build as chartbuild
from pipeline.data.datasets import DataError
from pipeline.paths import NUMBERS_WRITTEN


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("figures", nargs="*", help="figure ids (default: all)")
    parser.add_argument("--force", action="store_true", help="redraw even when up to date")
    parser.add_argument("--check", action="store_true", help="exit 1 when an output is missing or stale")
    parser.add_argument("--list", action="store_true", help="list the figures and their state")
    parser.add_argument("--numbers-first", action="store_true",
                        help=f'print "{NUMBERS_WRITTEN}" as soon as build/numbers.json and plotted.json hold this '
                             "run's values, which may be before the files are drawn (mkdocs serve renders the "
                             "pages meanwhile: pipeline/site/hooks.py)")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    try:
        if args.list:
            return chartbuild.list_figures(print)
        if args.check:
            return chartbuild.check(args.figures or None, print)
        announce = (lambda: print(NUMBERS_WRITTEN, flush=True)) if args.numbers_first else None
        chartbuild.build(args.figures or None, force=args.force, say=print, numbers_first=announce)
    except DataError as err:
        print(err.report("nothing was drawn"), file=sys.stderr)
        return 1
    except chartbuild.UnknownFigure as err:
        print(err, file=sys.stderr)
        return 2
    print(f"done in {time.perf_counter() - started:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
