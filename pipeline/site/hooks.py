"""MkDocs hooks, kept for `mkdocs serve` (and used by `mkdocs build`): each only calls the
pipeline (pipeline/site/publish.py, pipeline/site/previews.py), which Zensical's build runs itself.

- on_config: the footer's data version and commit;
- on_pre_build: redraw stale figures (so `mkdocs serve` redraws a figure when its CSV is saved);
- on_files: the data files beside the pages that link them;
- on_post_build: link previews and the feed.
"""
from __future__ import annotations

import logging
import sys
from pathlib import Path

# MkDocs loads this file by path: make the project importable (the one place this is done for
# MkDocs; pipeline/site/macros.py does the same for the macros plugin, which loads it by path too).
ROOT = str(Path(__file__).resolve().parents[2])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.structure.files import File  # noqa: E402

log = logging.getLogger("mkdocs.hooks.pipeline")


def on_config(config, **_):
    if ROOT not in sys.path:  # MkDocs restores sys.path after loading hooks; figures import later
        sys.path.insert(0, ROOT)
    from pipeline.site.publish import copyright

    config.copyright = copyright(config.copyright)
    return config


def on_pre_build(config, **_):
    from pipeline.data.datasets import DataError
    from pipeline.figures import build

    try:
        build.build(say=log.info)
    except DataError as err:
        raise PluginError(err.report("nothing was drawn"))
    # The data-update posts, before MkDocs collects the files (pipeline.build writes them too, for
    # generators that run no hooks).
    from pipeline.essay import posts

    posts.write(say=log.info)


def on_files(files, config, **_):
    from pipeline.site.publish import data_files

    for name, content in data_files():
        if isinstance(content, Path):
            files.append(File.generated(config, name, abs_src_path=str(content)))
        else:
            files.append(File.generated(config, name, content=content))
    return files


def on_post_build(config, **_):
    from pipeline.site.previews import PreviewError, finish_site, site_config

    try:
        entries = finish_site(Path(config.site_dir), site_config(Path(config.config_file_path)))
    except PreviewError as err:
        raise PluginError(str(err))
    if not entries:
        log.info("feed.xml lists no posts: no page has a `date:` in its front matter")
