"""MkDocs hooks: redraw stale figures before each build (so `mkdocs serve` redraws a figure when
its CSV is saved) and publish the data files beside the pages that link to them."""
from __future__ import annotations

import logging
import sys
from pathlib import Path

# MkDocs loads this file by path and restores sys.path afterwards; the project root must stay
# importable for the figure modules (charts.*) that are imported later, during the build.
ROOT = str(Path(__file__).resolve().parent.parent)
sys.path.insert(0, ROOT)

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.structure.files import File

from pipeline import chartbuild, datasets

log = logging.getLogger("mkdocs.hooks.charts")


def on_config(config, **_):
    if ROOT not in sys.path:
        sys.path.insert(0, ROOT)
    # Every page's footer says which data and which code it was built from.
    from pipeline.provenance import build_info

    info = build_info()
    config.copyright = (f"{config.copyright or ''} Data version {info['data_version']}, "
                        f"built from commit {info['commit']}.").strip()
    return config


def on_pre_build(config, **_):
    try:
        chartbuild.build(say=log.info)
    except datasets.DataError as err:
        raise PluginError(err.report("nothing was drawn"))
    # The data-update posts (Markdown in docs/posts/updates/), before MkDocs collects the files.
    # pipeline.build writes them too, for generators that run no hooks (Zensical).
    from pipeline import posts

    posts.write(say=log.info)


def on_files(files, config, **_):
    """Serve data/*.csv and their descriptors at /data/, so figures and the Data page can link them,
    and the whole Data Package: data/datapackage.json and the one-zip download."""
    from pipeline import datapackage

    for dataset_id in datasets.dataset_ids():
        for path in datasets.input_files(dataset_id):
            files.append(File.generated(config, f"data/{path.name}", abs_src_path=str(path)))
    files.append(File.generated(config, f"data/{datapackage.FILE}", content=datapackage.text()))
    files.append(File.generated(config, f"data/{datapackage.ZIP_NAME}", content=datapackage.zip_bytes()))
    return files
