"""The full build: data -> figures -> site and PDF, published atomically.

    python -m pipeline.build [--letter] [--generator mkdocs|zensical] [--force]

Everything is written to a temporary directory beside site/ first; only when the figures, the
site (strict) and the PDF have all succeeded does it replace site/. A failed build leaves the
previous site and PDF byte for byte as they were.

Like the figures, the site and the PDF are made again only when their inputs changed: each has an
input key (a hash of every file it is made from, the generator, the build's stamp), kept with a
fingerprint of what was published in build/cache/outputs.json. A run with nothing changed publishes
nothing; one that changed only the site copies the last PDF, and the other way round.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from pipeline.data.datasets import DataError
from pipeline.essay.claims import ClaimError, ClaimsFileError
from pipeline.files import digest, sha256, write_atomically
from pipeline.forked import Forked
from pipeline.print.pdf import PrintError
from pipeline.paths import CACHE, CHARTS, DATA, DOCS, NUMBERS_JSON, PDF_NAME, ROOT, SITE

OUTPUTS = CACHE / "outputs.json"
PDF_CACHE = CACHE / "pdf"


# --- what the site is made from, and what was published ------------------------------------------


def site_input_files() -> list[Path]:
    files = [ROOT / "mkdocs.yml", ROOT / "requirements.txt", ROOT / "NOTICE", NUMBERS_JSON]
    for folder in (DOCS, ROOT / "overrides", DATA, ROOT / "pipeline", CHARTS):
        files += sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return files


def site_input_key(generator: str, build_info: dict) -> str:
    from pipeline.data.provenance import source_date_epoch

    parts = [(str(p.relative_to(ROOT)), sha256(p)) for p in site_input_files()]
    parts += [("generator", generator), ("build", repr(sorted(build_info.items()))), ("date", source_date_epoch())]
    return digest(parts)


def fingerprint(site: Path) -> str | None:
    """What is published now (names, sizes, modification times): an edit or a removal shows."""
    if not site.is_dir():
        return None
    return digest((str(p.relative_to(site)), f"{p.stat().st_size} {p.stat().st_mtime_ns}")
                  for p in sorted(site.rglob("*")) if p.is_file())


def _read_outputs() -> dict:
    try:
        return json.loads(OUTPUTS.read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


# --- the build ------------------------------------------------------------------------------------


def build_all(page_size: str = "A4", say=print, generator: str = "mkdocs", force: bool = False) -> dict:
    """Build what changed and publish it. Returns what was done: figures drawn, site and PDF
    built or reused."""
    from pipeline.data.provenance import source_date_epoch

    started = time.perf_counter()
    os.environ.setdefault("SOURCE_DATE_EPOCH", source_date_epoch())  # one clock for the site and the PDF
    return _build(page_size, say, generator, force, started)


def _build(page_size: str, say, generator: str, force: bool, started: float) -> dict:
    from pipeline.data.provenance import build_info
    from pipeline.essay import claims, render
    from pipeline.figures import build as figure_build
    from pipeline.print import pdf

    drawn = figure_build.build(say=say, force=force)
    from pipeline.essay import posts

    posts.write(say=say)  # the data-update posts (docs/posts/updates/), before any generator reads docs/
    for result in claims.check(render.numbers()):  # a broken claim stops the build here
        say(f"claim {result.id}: {result.state}")

    info = build_info()
    outputs = _read_outputs()
    site_key, pdf_key = site_input_key(generator, info), pdf.input_key(page_size, info)
    cached_pdf = PDF_CACHE / f"{page_size}.pdf"
    published_pdf = SITE / PDF_NAME
    pdf_fresh = (not force and outputs.get("pdf", {}).get(page_size, {}).get("key") == pdf_key
                 and sha256(cached_pdf) == outputs["pdf"][page_size].get("sha256"))
    site_fresh = (not force and outputs.get("site", {}).get("key") == site_key
                  and outputs["site"].get("fingerprint") == fingerprint(SITE))
    done = {"figures drawn": len(drawn), "site": "reused" if site_fresh else "built",
            "pdf": "reused" if pdf_fresh else "laid out"}
    if site_fresh and pdf_fresh and sha256(published_pdf) == sha256(cached_pdf):
        say(f"site and PDF up to date; nothing published ({time.perf_counter() - started:.2f} s)")
        return done

    staging = Path(tempfile.mkdtemp(prefix="site.new-", dir=ROOT))
    new_pdf = staging.with_suffix(".pdf")
    pdf_job = None
    try:
        # The PDF and the site need nothing from each other: the PDF is set in a process of its own
        # while the site builds here (the generator empties its output folder, so the PDF joins it after).
        if not pdf_fresh:
            pdf_job = Forked(_write_pdf, new_pdf, page_size, info)
        if site_fresh:
            staging.rmdir()
            shutil.copytree(SITE, staging, ignore=shutil.ignore_patterns(PDF_NAME))
            say("site reused (its inputs are unchanged)")
        else:
            from pipeline.site.publish import build_site

            build_site(staging, generator)
            say(f"site built with {generator} ({time.perf_counter() - started:.2f} s so far)")
        if pdf_job is not None:
            for line in pdf_job.wait():
                say(line)
            pdf_job = None
            os.replace(new_pdf, staging / PDF_NAME)
            PDF_CACHE.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(staging / PDF_NAME, cached_pdf)
            say(f"PDF laid out ({time.perf_counter() - started:.2f} s so far)")
        else:
            shutil.copyfile(cached_pdf, staging / PDF_NAME)
            say("PDF reused (its inputs are unchanged)")
        publish(staging, SITE)
    except BaseException:
        if pdf_job is not None:
            pdf_job.stop()
        shutil.rmtree(staging, ignore_errors=True)
        for left in [new_pdf, *ROOT.glob(f".{new_pdf.name}.*")]:  # and a write the stopped PDF left half done
            left.unlink(missing_ok=True)
        raise
    outputs.setdefault("pdf", {})[page_size] = {"key": pdf_key, "sha256": sha256(cached_pdf)}
    outputs["site"] = {"key": site_key, "fingerprint": fingerprint(SITE)}
    write_atomically(OUTPUTS, json.dumps(outputs, indent=1, sort_keys=True).encode())
    say(f"published {SITE.relative_to(ROOT)}/ and {SITE.relative_to(ROOT)}/{PDF_NAME} "
        f"in {time.perf_counter() - started:.2f} s")
    return done


def _write_pdf(target: Path, page_size: str, info: dict) -> list[str]:
    """In the PDF's process: set it, and return what it said (to be said by the build)."""
    from pipeline.print.pdf import write_pdf

    said: list[str] = []
    write_pdf(target, page_size=page_size, build_info=info, say=said.append)
    return said


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
    from pipeline.site.publish import GENERATORS

    parser = argparse.ArgumentParser(description="Build the figures, the site and the PDF.")
    parser.add_argument("--letter", action="store_true", help="US Letter paper instead of A4")
    parser.add_argument("--generator", choices=GENERATORS, default="mkdocs",
                        help="the site generator: MkDocs + Material (default) or Zensical")
    parser.add_argument("--force", action="store_true", help="redraw, rebuild and lay out everything")
    args = parser.parse_args(argv)
    try:
        build_all("Letter" if args.letter else "A4", generator=args.generator, force=args.force)
    except (ClaimError, ClaimsFileError, PrintError) as err:
        print(f"{err}\nNothing was built or published.", file=sys.stderr)
        return 1
    except DataError as err:
        print(err.report("nothing was built or published"), file=sys.stderr)
        return 1
    except SystemExit:  # mkdocs-macros exits after logging the template error above
        print("Build failed (see the message above); the previous site and PDF are unchanged.", file=sys.stderr)
        return 1
    except Exception:  # a code or template bug: its traceback says where; the old site stays
        import traceback

        print(f"{traceback.format_exc()}Build failed; the previous site and PDF are unchanged.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    code = main()
    # Leave without tearing down matplotlib, pandas and the rest, which the build imported to draw
    # (a quarter of a second): every output is written and renamed into place, every child waited for.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
