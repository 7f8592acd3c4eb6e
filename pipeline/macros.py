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

    @env.macro
    def figref(figure_id: str) -> str:  # "Figure N", linked; the PDF adds "on page P"
        return _state["renderer"].figref(figure_id)

    @env.macro
    def claim(claim_id: str, caller=None) -> str:
        return _state["renderer"].claim(claim_id, caller)

    @env.macro
    def decision_guide() -> str:
        return _state["renderer"].decision_guide()

    @env.macro
    def byline() -> str:
        return _state["renderer"].byline()

    @env.macro
    def changelog_page() -> str:
        return _state["renderer"].changelog_page()

    @env.macro
    def sources_page() -> str:
        return _state["renderer"].sources_page()

    @env.macro
    def data_page() -> str:
        return _state["renderer"].data_page()


def on_pre_page_macros(env):
    # A fresh renderer per page numbers its figures from 1 and re-reads build/numbers.json, so
    # `mkdocs serve` shows new data without a restart.
    page_url = env.page.url or ""
    _state["renderer"] = renderer = Renderer(target="web", prefix="../" * page_url.count("/"))
    env.variables["n"] = renderer.all_numbers
