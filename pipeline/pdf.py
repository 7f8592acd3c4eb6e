"""Write the PDF alone, to look at: `make pdf` (`python -m pipeline.pdf [--letter] [--out PATH]`).

Stale figures are redrawn first. A command on top of the pipeline, like build, check and refresh:
drawing belongs to pipeline.figures, laying out to pipeline.print, and print does not draw.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from pipeline.data import datasets
from pipeline.paths import BUILD, PDF_NAME
from pipeline.print.pdf import PrintError, write_pdf


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the PDF alone (stale figures are redrawn first).")
    parser.add_argument("--letter", action="store_true", help="US Letter paper instead of A4")
    parser.add_argument("--out", type=Path, default=BUILD / PDF_NAME, help=f"default: build/{PDF_NAME}")
    args = parser.parse_args(argv)
    from pipeline.figures import build as figure_build  # heavy; only when asked to draw

    try:
        figure_build.build(say=lambda _: None)
    except datasets.DataError as err:
        print(err.report("no PDF was written"), file=sys.stderr)
        return 1
    started = time.perf_counter()
    try:
        write_pdf(args.out, "Letter" if args.letter else "A4", say=print)
    except PrintError as err:
        print(err, file=sys.stderr)
        return 1
    print(f"wrote {args.out} in {time.perf_counter() - started:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
