"""The full build: data -> figures -> site and PDF, published atomically.

    python -m pipeline.build [--letter]

Everything is written to a temporary directory beside site/ first; only when the charts, the
site (MkDocs, strict) and the PDF have all succeeded does it replace site/. A failed build leaves
the previous site and PDF byte for byte as they were.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from pipeline import chartbuild
from pipeline.claims import ClaimError
from pipeline.datasets import DataError
from pipeline.paths import PDF_NAME, ROOT, SITE


def build_site(site_dir: Path) -> None:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # the maintenance banner, on every build
    # The sitemap stamps pages with the build date; pin it to the last commit so that the same
    # inputs give the same bytes on any day.
    os.environ.setdefault("SOURCE_DATE_EPOCH", _last_commit_time())
    import logging

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    # Called through its API MkDocs sets up no log handler: show its warnings and errors (a
    # failing macro, a broken link under strict mode), which say why a build stopped.
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logging.getLogger("mkdocs").addHandler(handler)
    logging.getLogger("mkdocs").setLevel(logging.WARNING)

    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site_dir), strict=True)
    build(config)


def _last_commit_time() -> str:
    import subprocess

    result = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True)
    return result.stdout.strip() or "0"


def build_all(page_size: str = "A4", say=print) -> Path:
    started = time.perf_counter()
    chartbuild.build(say=say)
    from pipeline import claims, posts, prose

    posts.write(say=say)  # the data-update posts, Markdown in docs/posts/updates/ (issue 12)

    for result in claims.check(prose.numbers()):  # a broken claim stops the build here
        say(f"claim {result.id}: {result.state}")
    staging = Path(tempfile.mkdtemp(prefix="site.new-", dir=ROOT))
    try:
        # The PDF and the site need nothing from each other: set the PDF in a second process
        # while MkDocs builds (MkDocs empties its output folder first, so the PDF joins it after).
        with _in_background(_write_pdf, staging.with_suffix(".pdf"), page_size) as pdf_done:
            build_site(staging)
            say(f"site built ({time.perf_counter() - started:.2f} s so far)")
            pdf_path = pdf_done()
        os.replace(pdf_path, staging / PDF_NAME)
        say(f"PDF written ({time.perf_counter() - started:.2f} s so far)")
        publish(staging, SITE)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        staging.with_suffix(".pdf").unlink(missing_ok=True)
        raise
    say(f"published {SITE.relative_to(ROOT)}/ and {SITE.relative_to(ROOT)}/{PDF_NAME} "
        f"in {time.perf_counter() - started:.2f} s")
    return SITE


def _write_pdf(target: Path, page_size: str) -> Path:
    from pipeline.pdf import write_pdf

    write_pdf(target, page_size=page_size)
    return target


@contextlib.contextmanager
def _in_background(function, *args):
    """Run function(*args) in a forked process; the body gets a callable that waits for its result
    (re-raising its exception). Falls back to running it inline where fork is unavailable."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if "fork" not in multiprocessing.get_all_start_methods():
        result = function(*args)
        yield lambda: result
        return
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        future = pool.submit(function, *args)
        yield future.result


def publish(staging: Path, site: Path) -> None:
    """Swap the staged build in with two renames; the old site is removed only afterwards."""
    staging.chmod(0o755)  # mkdtemp makes it private; the site is published
    old = None
    if site.exists():
        old = site.with_name(f"site.old-{os.getpid()}")
        site.rename(old)
    staging.rename(site)
    if old:
        shutil.rmtree(old)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the figures, the site and the PDF.")
    parser.add_argument("--letter", action="store_true", help="US Letter paper instead of A4")
    args = parser.parse_args(argv)
    try:
        build_all("Letter" if args.letter else "A4")
    except ClaimError as err:
        print(f"{err}\nNothing was built or published.", file=sys.stderr)
        return 1
    except DataError as err:
        print(err.report("nothing was built or published"), file=sys.stderr)
        return 1
    except SystemExit:  # mkdocs-macros exits after logging the template error above
        print("Build failed (see the message above); the previous site and PDF are unchanged.", file=sys.stderr)
        return 1
    except Exception as err:  # a template or site error: say what, keep the old site
        print(f"Build failed; the previous site and PDF are unchanged.\n{type(err).__name__}: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
