"""The macros entry point: gives the essay's Markdown the same variables the PDF gets.

MkDocs' macros plugin and Zensical both call `define_env`; mkdocs.yml sets `on_undefined: strict`
and `on_error_fail: true`, so an undefined name or a failing macro stops the build under either.
"""
import sys
from pathlib import Path

# Loaded by path (by the macros plugin and by Zensical): make the project importable first.
_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from pipeline import edition  # noqa: E402
from pipeline.essay.render import Renderer  # noqa: E402

_state: dict = {}

# The page's Renderer does the work: the names the Markdown may call are its MACROS.
MACROS = Renderer.MACROS


def define_env(env):
    env.variables["edition"] = edition
    for name in MACROS:
        env.macro(_on_current_page(name), name)
    # Zensical runs define_env once per page, with env.page set, and never on_pre_page_macros;
    # the MkDocs plugin runs define_env once, before any page.
    if getattr(env, "page", None) is not None:
        on_pre_page_macros(env)


def _on_current_page(name: str):
    def macro(*args, **kwargs):
        return getattr(_state["renderer"], name)(*args, **kwargs)
    macro.__name__ = name
    return macro


def link_prefix(env) -> str:
    """How the raw HTML the macros write reaches the site root from this page. MkDocs leaves
    relative URLs in raw HTML alone (relative to the page's URL); Zensical rewrites them as it
    rewrites Markdown links (relative to the page's source file)."""
    if type(env).__module__.startswith("zensical"):
        return "../" * env.page.path.count("/")
    return "../" * (env.page.url or "").count("/")


def on_pre_page_macros(env):
    # A fresh renderer per page numbers its figures from 1 and re-reads build/numbers.json, so
    # `mkdocs serve` shows new data without a restart.
    _state["renderer"] = renderer = Renderer(target="web", prefix=link_prefix(env))
    env.variables["n"] = renderer.variables()["n"]
