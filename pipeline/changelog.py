"""Record a data change: bump the dataset's version, append a dated changelog entry, and record
which numbers and claims the change moved.

    .venv/bin/python -m pipeline.changelog DATASET --change "What changed" --why "Why" [--source ID]
        [--major|--patch] [--base REV | --no-moves]

What moved is measured from the data at --base (by default the last commit) against the working
tree, for the figures drawn from this dataset (pipeline/diff.py); the data-update post of that
date shows it. The library behind the entry itself is pipeline/data/changelog.py. This command sits
on top of the pipeline because measuring what moved reads figures and claims.
"""
from __future__ import annotations

import argparse
import sys

from pipeline import diff
from pipeline.data.changelog import record


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset")
    parser.add_argument("--change", required=True)
    parser.add_argument("--why", required=True)
    parser.add_argument("--source", action="append", default=[])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--major", action="store_const", const="major", dest="part")
    group.add_argument("--patch", action="store_const", const="patch", dest="part")
    parser.add_argument("--base", default="HEAD", help="the revision to measure what moved against (default: HEAD)")
    parser.add_argument("--no-moves", action="store_true", help="do not record which numbers and claims moved")
    args = parser.parse_args(argv)
    moved = None
    if not args.no_moves:
        before = diff.snapshot_at(args.base)
        if before is None:
            print(f"{args.base} is not a git revision here: which numbers and claims moved is not recorded")
        else:
            moved = diff.moves(before, diff.snapshot_now(), args.dataset)
    version = record(args.dataset, args.change, args.why, args.source, args.part or "minor", moved=moved)
    print(f"{args.dataset}: version {version} recorded")
    if moved is not None:
        print(f"  {len(moved['numbers_moved'])} number(s) moved, {len(moved['claims_changed'])} claim(s) changed state "
              f"since {args.base}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
