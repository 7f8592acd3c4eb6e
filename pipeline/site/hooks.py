"""MkDocs hooks, kept for `mkdocs serve` (and used by `mkdocs build`): each only calls the
pipeline (pipeline/site/publish.py, pipeline/site/previews.py), which Zensical's build runs itself.

- on_startup / on_config: the footer's data version and commit; under `mkdocs serve`, a macro
  error is shown on the page instead of ending the server (a build still fails on it);
- on_pre_build: redraw stale figures (so `mkdocs serve` redraws a figure when its CSV is saved), in
  a child process, so the long-lived server never holds figure or pipeline code from before an edit;
  the pages are rendered as soon as the numbers are written, while the files are drawn;
- on_files: the data files beside the pages that link them;
- on_env: the figures' files drawn (before MkDocs copies them); the theme's templates compiled
  once, not at every rebuild (kept in memory under `mkdocs serve`, in build/cache/jinja-<version>/ for builds);
- on_post_build: link previews and the feed;
- on_serve: the watcher looks every 0.1 s and ignores what the build writes itself (figures, posts,
  bytecode), so one saved edit is one rebuild.
"""
from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

# MkDocs loads this file by path: make the project importable (the one place this is done for
# MkDocs; pipeline/site/macros.py does the same for the macros plugin, which loads it by path too).
ROOT = str(Path(__file__).resolve().parents[2])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

import jinja2  # noqa: E402
from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.structure.files import File  # noqa: E402

from pipeline.paths import NUMBERS_WRITTEN  # noqa: E402

log = logging.getLogger("mkdocs.hooks.pipeline")
_command = {"name": "build"}
# Set by pipeline.build, which has drawn the figures itself just before it runs MkDocs.
FIGURES_DRAWN = "PIPELINE_FIGURES_DRAWN"


def on_startup(command, **_):
    _command["name"] = command


def on_config(config, **_):
    if ROOT not in sys.path:  # MkDocs restores sys.path after loading hooks; figures import later
        sys.path.insert(0, ROOT)
    from pipeline.site.publish import copyright

    config.copyright = copyright(config.copyright)
    if _command["name"] == "serve" and "macros" in config.plugins:
        # The analyst's loop must survive a typo: the page shows the macro error until it is fixed
        # (strict mode would turn the macro plugin's warning into a failed rebuild, and the page
        # would keep showing the old text). `make build` and `pipeline.build` stay strict.
        config.plugins["macros"].config["on_error_fail"] = False
        config.strict = False
        # MkDocs attached its strict-mode warning counter before this event runs: detach it.
        from mkdocs.utils import CountHandler

        mkdocs_log = logging.getLogger("mkdocs")
        for handler in [h for h in mkdocs_log.handlers if isinstance(h, CountHandler)]:
            mkdocs_log.removeHandler(handler)
    return config


# The figure build under `mkdocs serve` runs in a child process. Starting one costs about 0.9 s of
# imports (matplotlib, pandas, frictionless) before it draws anything, so a spare child is kept
# waiting with those libraries, and only those, already imported (and frictionless warmed up by one
# validation of two inline cells: its first validation took 0.07 s longer than later ones): it reads
# the project's code when it is told to build, after the edit, so it never holds code from before
# one. It leaves by os._exit once its output is flushed: an orderly exit, freeing every module and
# frame, took about 0.3 s (its files are already written and closed, atomically).
_SPARE = """import os, sys, matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot, pandas, frictionless
frictionless.Resource(data=[["a"], ["1"]]).validate()
sys.stdin.readline()  # python -c: the working directory (the project) is on sys.path
try:
    import build_charts; code = build_charts.main(['--numbers-first'])
except BaseException:
    import traceback; traceback.print_exc(); code = 1
sys.stdout.flush(); sys.stderr.flush(); os._exit(code)
"""
_spare: dict = {}   # "child": the spare, waiting; "drawing": the child told to build, until read


def _start_spare():
    import subprocess
    import tempfile

    # Its errors go to a file, not a pipe: the hook reads the child's output line by line while it
    # works, and a long report of bad data (more than a pipe holds, 64 kB) would block it for ever.
    errors = tempfile.TemporaryFile("w+", encoding="utf-8")
    child = subprocess.Popen([sys.executable, "-c", _SPARE], cwd=ROOT, stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=errors, text=True)
    child.errors = errors
    _spare["child"] = child


def _start_drawing() -> None:
    """Tell a child to redraw stale figures (the spare if one is waiting, otherwise a new one) and
    wait until build/numbers.json holds its numbers: the pages can be rendered then. The files may
    still be being drawn (build_charts.py --numbers-first); on_env waits for them, before MkDocs
    copies them into the site."""
    child = _spare.pop("child", None)
    if child is None or child.poll() is not None:
        _start_spare()
        child = _spare.pop("child")
    child.stdin.write("build\n")
    child.stdin.close()
    _spare["drawing"] = child
    for line in iter(child.stdout.readline, ""):   # "" once the child has ended
        if line.strip() == NUMBERS_WRITTEN:
            return
        log.info(line.rstrip())
    _figures_drawn()  # it ended before saying so: a problem in the data or a figure, said here


def _figures_drawn(raise_problems: bool = True) -> None:
    child = _spare.pop("drawing", None)
    if child is None:
        return
    out = child.stdout.read()  # the pipe, not communicate(): readline buffered some
    child.wait()
    child.errors.seek(0)
    err = child.errors.read()
    child.errors.close()
    for line in out.splitlines():
        log.info(line)
    if child.returncode != 0:
        if raise_problems:
            raise PluginError(err.strip() or out.strip())
        log.warning(f"an earlier figure build failed: {err.strip() or out.strip()}")


def on_shutdown(**_):
    _figures_drawn(raise_problems=False)
    child = _spare.pop("child", None)
    if child is not None:
        child.kill()
        child.wait()
        child.errors.close()


# `mkdocs serve` polls the watched folders every 0.5 s; one look at all of them takes about 1 ms,
# so looking every 0.1 s shows a saved edit 0.2 s sooner on average for about 1% of a core.
POLL_SECONDS = 0.1


def _generated(path: str, outputs: tuple[str, ...]) -> bool:
    return path.startswith(outputs) or f"{os.sep}__pycache__{os.sep}" in path


def on_serve(server, config, builder, **_):
    """Replace MkDocs' watcher (not started yet) by one that polls more often and is deaf to the
    files the build itself writes under watched folders: docs/figures/ and docs/posts/updates/
    (pipeline.files.OUTPUTS) and Python's __pycache__. Drawing a figure used to start a second,
    useless rebuild, which delayed the next edit; a change of an input is still seen, and the
    pre-build redraws an output that was edited or deleted by hand at the next rebuild."""
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers.polling import PollingObserver

    from pipeline.files import OUTPUTS

    outputs = tuple(os.path.join(ROOT, name) + os.sep for name in OUTPUTS)

    class Deaf(FileSystemEventHandler):
        def __init__(self, handler):
            self.handler = handler

        def dispatch(self, event):
            paths = [os.path.realpath(os.fsdecode(p)) for p in (event.src_path, event.dest_path) if p]
            if not all(_generated(p, outputs) for p in paths):
                self.handler.dispatch(event)

    class Watcher(PollingObserver):
        def schedule(self, event_handler, path, **kwargs):
            return super().schedule(Deaf(event_handler), path, **kwargs)

    # What MkDocs watches so far (docs/, mkdocs.yml, the theme with --watch-theme; config.watch comes
    # after this event). MkDocs 1.6.1, the last 1.x and pinned, keeps no public list of it: if a
    # later MkDocs has neither that nor `observer`, its own watcher stays (slower, never wrong).
    if not isinstance(getattr(server, "_watched_paths", None), dict) or not hasattr(server, "observer"):
        log.warning("this MkDocs keeps its watched paths elsewhere: its own watcher is kept "
                    "(each saved edit may start a second rebuild)")
        return server
    watched = list(server._watched_paths)
    for path in watched:
        server.unwatch(path)
    server.observer = Watcher(timeout=POLL_SECONDS)
    for path in watched:
        server.watch(path)
    return server


def on_pre_build(config, **_):
    _figures_drawn(raise_problems=False)  # a rebuild that failed before on_env left its child unread
    if not os.environ.get(FIGURES_DRAWN):
        _start_drawing()
    # The data-update posts, before MkDocs collects the files (pipeline.build writes them too, for
    # generators that run no hooks).
    from pipeline.essay import posts

    posts.write(say=log.info)


class _CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's bytecode cache, in memory for the life of `mkdocs serve`: each rebuild makes a new
    theme environment, which compiled Material's templates again (about 0.25 s of a rebuild). A
    template is found by its name and the checksum of its source, so an edited one is compiled anew."""

    def __init__(self):
        self.code = {}

    def load_bytecode(self, bucket):
        code = self.code.get((bucket.key, bucket.checksum))
        if code is not None:
            bucket.code = code

    def dump_bytecode(self, bucket):
        self.code[(bucket.key, bucket.checksum)] = bucket.code


_compiled = _CompiledTemplates()


def on_env(env, config, files, **_):
    _figures_drawn()  # the pages are read and rendered; MkDocs copies the figures' files next
    if _command["name"] == "serve":
        env.bytecode_cache = _compiled
    else:  # a build is a process of its own: the compiled templates are kept on disk between builds
        from pipeline.paths import CACHE

        folder = CACHE / f"jinja-{jinja2.__version__}"  # bytecode is only good for the Jinja that wrote it
        folder.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))
    return env


def on_files(files, config, **_):
    from pipeline.site.publish import data_files

    for name, content in data_files():
        if isinstance(content, Path):
            files.append(File.generated(config, name, abs_src_path=str(content)))
        else:
            files.append(File.generated(config, name, content=content))
    return files


def on_post_build(config, **_):
    if _command["name"] == "serve" and "child" not in _spare:
        _start_spare()  # for the next saved edit, once this build's page is written
    from pipeline.site.previews import PreviewError, finish_site, site_config

    try:
        entries = finish_site(Path(config.site_dir), site_config(Path(config.config_file_path)))
    except PreviewError as err:
        raise PluginError(str(err))
    if not entries:
        log.info("feed.xml lists no posts: no page has a `date:` in its front matter")
