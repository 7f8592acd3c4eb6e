"""The web edition's steps around the site generator, the same for MkDocs and Zensical.

    before: figures and numbers (pipeline.figures.build), the footer's stamp (`copyright`);
    the generator: `build_site(staging, generator)`; MkDocs through its API (its hooks only call
                   the functions here), Zensical as a command with a config that INHERITs mkdocs.yml;
    after:  the data files beside the pages that link them (`data_files`), link previews and the
            feed (pipeline.site.previews.finish_site).

Zensical (https://zensical.org) reads mkdocs.yml and runs the macros module's `define_env`, but
no MkDocs hooks or plugins: what the hooks do for MkDocs is done here, before or after it.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from pipeline.files import mkdocs_config
from pipeline.paths import BUILD, ROOT

GENERATORS = ("mkdocs", "zensical")
OVERLAY = ROOT / ".zensical.yml"                 # Zensical takes the project root from its config's folder
ZENSICAL_OVERRIDES = BUILD / "overrides-zensical"
# Material-only partials: Zensical ships its own (its search partial already has the accessible name
# ours adds; ours, Material 9.8's markup, breaks Zensical's search box).
MATERIAL_ONLY = ("search.html",)


class GeneratorError(Exception):
    pass


def copyright(base: str | None) -> str:
    """Every page's footer says which data and which code it was built from."""
    from pipeline.data.provenance import build_info

    info = build_info()
    return f"{base or ''} Data version {info['data_version']}, built from commit {info['commit']}.".strip()


def data_files() -> list[tuple[str, Path | bytes]]:
    """(path in the site, file or content): every CSV and descriptor at data/, the Data Package's
    descriptor and its one-zip download, so figures and the Data page can link them."""
    from pipeline.data import datapackage, datasets

    files: list[tuple[str, Path | bytes]] = []
    for dataset_id in datasets.dataset_ids():
        files += [(f"data/{path.name}", path) for path in datasets.input_files(dataset_id)]
    files.append((f"data/{datapackage.FILE}", datapackage.text().encode("utf-8")))
    files.append((f"data/{datapackage.ZIP_NAME}", datapackage.zip_bytes()))
    return files


def write_data_files(site_dir: Path) -> None:
    for name, content in data_files():
        target = site_dir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):
            shutil.copyfile(content, target)
        else:
            target.write_bytes(content)


def build_site(site_dir: Path, generator: str = "mkdocs") -> None:
    """Build the web edition into site_dir (strict: a broken link or a failing macro stops it)."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # the maintenance banner, on every build
    # The sitemap stamps pages with the build date: the build's one clock, so the same inputs give
    # the same bytes on any day.
    from pipeline.data.provenance import source_date_epoch

    os.environ.setdefault("SOURCE_DATE_EPOCH", source_date_epoch())
    if generator == "mkdocs":
        _mkdocs(site_dir)
    elif generator == "zensical":
        _zensical(site_dir)
    else:
        raise GeneratorError(f"unknown generator {generator!r}; known: {', '.join(GENERATORS)}")


def _mkdocs(site_dir: Path) -> None:
    import logging

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    # Called through its API MkDocs sets up no log handler: show its warnings and errors (a
    # failing macro, a broken link under strict mode), which say why a build stopped.
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_pipeline", False) for h in logger.handlers):
        handler._pipeline = True
        logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site_dir), strict=True)
    os.environ["PIPELINE_FIGURES_DRAWN"] = "1"  # pipeline.build drew them: the hook need not (site/hooks.py)
    try:
        build(config)  # hooks: footer, data files, link previews and feed (pipeline/site/hooks.py)
    finally:
        os.environ.pop("PIPELINE_FIGURES_DRAWN", None)


def zensical_command() -> str | None:
    """Where the `zensical` command is: $ZENSICAL, else beside this Python, else on PATH."""
    candidates = [os.environ.get("ZENSICAL"), str(Path(sys.executable).with_name("zensical")), shutil.which("zensical")]
    return next((c for c in candidates if c and Path(c).exists()), None)


def _zensical(site_dir: Path) -> None:
    import yaml

    from pipeline.site.previews import finish_site, site_config

    command = zensical_command()
    if command is None:
        raise GeneratorError("zensical is not installed: pip install -r requirements-zensical.txt "
                             "(or set ZENSICAL to its command)")
    base = mkdocs_config()
    shutil.rmtree(ZENSICAL_OVERRIDES, ignore_errors=True)
    shutil.copytree(ROOT / "overrides", ZENSICAL_OVERRIDES, ignore=shutil.ignore_patterns(*MATERIAL_ONLY))
    if not site_dir.resolve().is_relative_to(ROOT):
        raise GeneratorError(f"Zensical writes only inside the project: {site_dir} is outside {ROOT}")
    # Only scalars and mappings here: MkDocs' INHERIT replaces lists, Zensical's appends to them.
    overlay = {
        "INHERIT": "mkdocs.yml",
        "site_dir": str(site_dir.resolve().relative_to(ROOT)),
        "copyright": copyright(base.get("copyright")),
        "theme": {"variant": "classic", "custom_dir": str(ZENSICAL_OVERRIDES.relative_to(ROOT))},
    }
    OVERLAY.write_text(yaml.safe_dump(overlay, sort_keys=False), encoding="utf-8")
    try:
        # Always --clean: Zensical's cache does not see a change to build/numbers.json alone.
        result = subprocess.run([command, "build", "--clean", "-f", OVERLAY.name], cwd=ROOT, capture_output=True,
                                text=True, env={**os.environ, "NO_COLOR": "1"})
    finally:
        OVERLAY.unlink(missing_ok=True)
    output = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout + result.stderr)
    if result.returncode != 0:
        raise GeneratorError(f"zensical build failed:\n{output.strip()}")
    write_data_files(site_dir)
    finish_site(site_dir, site_config())
