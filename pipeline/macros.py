"""mkdocs-macros entry point: gives the essay's Markdown the same variables the PDF gets.

mkdocs.yml sets `on_undefined: strict` and `on_error_fail: true`, so an undefined name or a failing
macro stops the build. Zensical implements this same `define_env` API natively.
"""
from pipeline import edition
from pipeline.prose import Renderer

_state: dict = {}


def define_env(env):
    env.variables["edition"] = edition

    @env.macro
    def figure(figure_id: str) -> str:
        return _state["renderer"].figure(figure_id)


def on_pre_page_macros(env):
    # A fresh renderer per page numbers its figures from 1 and re-reads build/numbers.json, so
    # `mkdocs serve` shows new data without a restart.
    page_url = env.page.url or ""
    _state["renderer"] = renderer = Renderer(target="web", prefix="../" * page_url.count("/"))
    env.variables["n"] = renderer.all_numbers
