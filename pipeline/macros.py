"""mkdocs-macros entry point: gives the essay's Markdown the same variables the PDF gets.

mkdocs.yml sets `on_undefined: strict` and `on_error_fail: true`, so an undefined name or a failing
macro stops the build. Zensical implements this same `define_env` API natively.
"""
import sys
from pathlib import Path

# mkdocs-macros loads this file by path, before pipeline/hooks.py has put the project root on
# sys.path: make `pipeline` and `charts` importable first (the `mkdocs` command, unlike
# `python -m pipeline.build`, does not run from the project root's import path).
_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from pipeline import edition  # noqa: E402
from pipeline.prose import Renderer  # noqa: E402

_state: dict = {}


# The page's Renderer does the work; these are the names the Markdown may call, e.g.
# {{ figure("close_pursuit") }}, {{ figref("close_pursuit") }} ("Figure N"; the PDF adds the page),
# {% call claim("id") %}sentence{% endcall %}, {{ quote("id") }} (data/quotations.csv), {{ decision_guide() }}, {{ byline() }} and the
# generated pages' {{ sources_page() }}, {{ data_page() }}, {{ changelog_page() }}.
MACROS = ("figure", "figref", "claim", "quote", "decision_guide", "byline", "scorecard", "original", "between",
          "sources_page",
          "data_page", "changelog_page")


def define_env(env):
    env.variables["edition"] = edition
    for name in MACROS:
        env.macro(_on_current_page(name), name)


def _on_current_page(name: str):
    def macro(*args, **kwargs):
        return getattr(_state["renderer"], name)(*args, **kwargs)
    macro.__name__ = name
    return macro


def on_pre_page_macros(env):
    # A fresh renderer per page numbers its figures from 1 and re-reads build/numbers.json, so
    # `mkdocs serve` shows new data without a restart.
    page_url = env.page.url or ""
    _state["renderer"] = renderer = Renderer(target="web", prefix="../" * page_url.count("/"))
    env.variables["n"] = renderer.variables()["n"]
