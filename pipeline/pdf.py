"""The print edition: the essay's Markdown, filled in from the same numbers as the site, set by
WeasyPrint through print/essay.html.j2 and print/print.css.

WeasyPrint rather than Typst: it gives contents with page numbers (target-counter), running heads
(string-set), "page N of M", cross-references with page numbers and vector SVG figures from the
same HTML markup the site uses, so the print edition needs no second template language or a
converter for our custom figure markup. It costs about a second per build, which the full build
can afford; the chart step, where the analyst's edit-and-look loop lives, does not pay it.
"""
from __future__ import annotations

import re
from pathlib import Path

import jinja2
import markdown
import yaml

from pipeline import datasets, edition
from pipeline.paths import DOCS, PRINT, ROOT
from pipeline.prose import Renderer, render_markdown

ESSAY_PAGE = DOCS / "essay.md"
PAGE_SIZES = {"A4": "A4", "Letter": "letter"}
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)


def markdown_extensions() -> tuple[list, dict]:
    """The same Markdown extensions MkDocs uses, read from mkdocs.yml."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    names, configs = [], {}
    for item in config.get("markdown_extensions", []):
        if isinstance(item, dict):
            (name, options), = item.items()
            names.append(name)
            configs[name] = dict(options or {})
        else:
            names.append(item)
    configs.get("toc", {}).pop("permalink", None)  # no pilcrow links on paper
    return names, configs


def essay_body(page: Path = ESSAY_PAGE) -> tuple[str, list[dict], list[str]]:
    """The essay as HTML, its headings (for the contents) and the figures it shows, in order."""
    renderer = Renderer(target="print")
    text = FRONT_MATTER.sub("", page.read_text(encoding="utf-8"))
    filled = render_markdown(text, renderer)
    names, configs = markdown_extensions()
    md = markdown.Markdown(extensions=names, extension_configs=configs)
    html = md.convert(filled)
    return html, _flatten(md.toc_tokens), renderer.shown


def _flatten(tokens: list[dict]) -> list[dict]:
    flat = []
    for token in tokens:
        if token["level"] in (2, 3):
            flat.append({"level": token["level"], "id": token["id"], "name": token["name"]})
        flat += _flatten(token["children"])
    return flat


def sources_of(figure_ids: list[str]) -> list[dict]:
    """Every source behind the figures shown, once, in order of first use."""
    from pipeline import figures

    seen: dict[str, dict] = {}
    for figure_id in figure_ids:
        for dataset_id in figures.module(figure_id).DATASETS:
            for source_id, source in datasets.sources(dataset_id).items():
                seen.setdefault(source_id, source)
    return list(seen.values())


def print_html(build_info: dict | None = None) -> str:
    body, toc, shown = essay_body()
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(PRINT), autoescape=jinja2.select_autoescape(["j2"]),
                             undefined=jinja2.StrictUndefined)
    template = env.get_template("essay.html.j2")
    return template.render(body=jinja2.utils.markupsafe.Markup(body), toc=toc, sources=sources_of(shown),
                           edition=edition, build=build_info or {"data_version": ""})


def write_pdf(target: Path, page_size: str = "A4", build_info: dict | None = None) -> Path:
    from weasyprint import CSS, HTML  # heavy; only when a PDF is made

    html = print_html(build_info)
    page_css = CSS(string=f"@page {{ size: {PAGE_SIZES[page_size]}; }}")
    document = HTML(string=html, base_url=str(DOCS) + "/")
    stylesheets = [CSS(filename=str(PRINT / "print.css")), page_css]
    target.parent.mkdir(parents=True, exist_ok=True)
    document.write_pdf(target, stylesheets=stylesheets, uncompressed_pdf=False)
    return target
