"""The print edition: the essay's Markdown, filled in from the same numbers as the site, set by
WeasyPrint through print/essay.html.j2 and print/print.css.

    python -m pipeline.print [--letter] [--out PATH]   # the PDF alone, to look at (default build/)

The full build (pipeline/build.py) calls write_pdf() and publishes the result beside the site; it
lays the PDF out only when its inputs changed (`input_key`), as figures are drawn only when theirs did.

What paper gets, and from where:
- the figures (their markup for paper, the list of figures in the contents, the numbered list of
  the sources their source lines cite) come from the renderer's record (pipeline/essay/render.py):
  nothing is read back from HTML;
- links and Markdown footnotes become numbered notes at the end (pipeline/print/paper.py, the one
  rewrite of HTML left);
- where figures go on the pages, and which tables stay whole: pipeline/print/layout.py;
- links within the essay and figure references ({{ figref("id") }}) get "page N" (print.css).

WeasyPrint rather than Typst: it gives contents with page numbers (target-counter), running heads
(string-set), "page N of M", cross-references with page numbers and vector SVG figures from the
same HTML markup the site uses, so the print edition needs no second template language or a
converter for our custom figure markup.

The output is byte-identical for identical inputs: the only date is SOURCE_DATE_EPOCH (or the last
commit's time), the file identifier is a hash of the content, fonts are subset from the system's.
"""
from __future__ import annotations

import argparse
import html as htmlmod
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import jinja2
import markdown
import yaml

from pipeline import edition
from pipeline.data import datasets
from pipeline.essay.render import Renderer, render_markdown, split_front_matter
from pipeline.files import digest, sha256
from pipeline.paths import BUILD, CHARTS, DATA, DOCS, ESSAY_PAGE, NUMBERS_JSON, PDF_NAME, PRINT, ROOT
from pipeline.print import layout
from pipeline.print.paper import _serialize, for_paper

PAGE_SIZES = {"A4": "A4", "Letter": "letter"}
KEYWORDS = ["open-weight models", "open-source AI", "large language models", "enterprise AI",
            "market share", "AI platforms"]
# PDF/UA-1: a tagged PDF (structure tree, figures with their alt text, document language and title
# shown by viewers) with the XMP metadata that declares it. WeasyPrint does the tagging; see README.
PDF_VARIANT = "pdf/ua-1"


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


def essay_body(page: Path = ESSAY_PAGE) -> tuple[str, list[dict], Renderer]:
    """The essay as HTML, its headings (for the contents) and the renderer that recorded its figures."""
    # Links that generated markup builds from `prefix` point at the web edition.
    renderer = Renderer(target="print", prefix=edition.SITE_URL)
    filled = render_markdown(split_front_matter(page.read_text(encoding="utf-8"))[1], renderer)
    names, configs = markdown_extensions()
    md = markdown.Markdown(extensions=names, extension_configs=configs)
    html = md.convert(filled)
    return html, _flatten(md.toc_tokens), renderer


def _flatten(tokens: list[dict]) -> list[dict]:
    flat = []
    for token in tokens:
        if token["level"] in (2, 3):
            flat.append({"level": token["level"], "id": token["id"], "name": htmlmod.unescape(token["name"])})
        flat += _flatten(token["children"])
    return flat


class PrintDocument:
    """The whole print HTML: cover, contents, the essay made for paper, notes and sources."""

    def __init__(self, build_info: dict | None = None):
        from pipeline.data.provenance import build_info as current, build_time

        self.build_info = build_info if build_info is not None else current()
        moment = build_time()
        self.built = moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None
        body, self.toc, renderer = essay_body()
        self.main, self.notes = for_paper(body)
        layout.keep_short_tables(self.main)
        self.figures = [{"id": f.id, "label": f.label, "title": f.title} for f in renderer.figures]
        self.sources = sorted(renderer.sources.values(), key=lambda s: s["n"])
        self.appendix = renderer.data_appendix()  # the charts' data tables (pipeline/essay/render.py)
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(PRINT), autoescape=jinja2.select_autoescape(["j2"]),
                                 undefined=jinja2.StrictUndefined)
        self.template = env.get_template("essay.html.j2")

    def html(self, main: ET.Element | None = None, draft: bool = False) -> str:
        """draft: the essay alone (`layout.draft_body`), for the first layout that places figures."""
        main = self.main if main is None else main
        return self.template.render(
            body=jinja2.utils.markupsafe.Markup(_serialize(main)), toc=self.toc, figures=self.figures,
            sources=self.sources, notes=self.notes, edition=edition, build=self.build_info,
            appendix=jinja2.utils.markupsafe.Markup(self.appendix),
            keywords=", ".join(KEYWORDS), built=self.built, draft=draft)

    def place_figures(self, render) -> list[str]:
        """Lay the essay out once as a draft, and move or shrink figures that would leave gaps."""
        draft = layout.draft_body(self.main)
        document = render(self.html(draft, draft=True), extra_css=layout.DRAFT_CSS)
        blocks, images, body = layout.measure(document, len(draft))
        return layout.place_figures(self.main, blocks, images, body)


def write_pdf(target: Path, page_size: str = "A4", build_info: dict | None = None) -> Path:
    from weasyprint import CSS, HTML  # heavy; only when a PDF is made

    document = PrintDocument(build_info)
    stylesheets = [CSS(filename=str(PRINT / "print.css")), CSS(string=layout.page_css(PAGE_SIZES[page_size]))]

    def render(html: str, extra_css: str = ""):
        sheets = stylesheets + ([CSS(string=extra_css)] if extra_css else [])
        return HTML(string=html, base_url=str(DOCS) + "/").render(stylesheets=sheets, pdf_variant=PDF_VARIANT)

    document.place_figures(render)
    target.parent.mkdir(parents=True, exist_ok=True)
    # pdf_identifier=True: the file identifier is a hash of the content, so the same inputs give the
    # same bytes (no random or time-based identifier).
    render(document.html()).write_pdf(target, pdf_variant=PDF_VARIANT, pdf_identifier=True, uncompressed_pdf=False)
    return target


def input_files() -> list[Path]:
    """Every file the PDF is made from: the essay, the numbers, the data (sources, quotations,
    tables, claims), the figure modules' texts and the light figures, the templates and this code."""
    files = [ESSAY_PAGE, NUMBERS_JSON, ROOT / "mkdocs.yml", ROOT / "requirements.txt", ROOT / "pipeline" / "edition.py"]
    files += sorted(DATA.glob("*.csv")) + sorted(DATA.glob("*.yaml"))
    files += sorted(CHARTS.glob("*.py")) + sorted(PRINT.glob("*"))
    for package in ("essay", "print", "figures", "data"):
        files += sorted((ROOT / "pipeline" / package).rglob("*.py")) + sorted((ROOT / "pipeline" / package).rglob("*.j2"))
    files += sorted((DOCS / "figures").glob("*.light.svg"))
    return files


def input_key(page_size: str, build_info: dict) -> str:
    """A hash of everything the PDF depends on: the same key, the same PDF (it is byte-identical)."""
    from pipeline.data.provenance import source_date_epoch

    parts = [(str(p.relative_to(ROOT)), sha256(p)) for p in input_files()]
    parts += [("page size", page_size), ("build", repr(sorted(build_info.items()))), ("date", source_date_epoch())]
    return digest(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the PDF alone (stale figures are redrawn first).")
    parser.add_argument("--letter", action="store_true", help="US Letter paper instead of A4")
    parser.add_argument("--out", type=Path, default=BUILD / PDF_NAME, help=f"default: build/{PDF_NAME}")
    args = parser.parse_args(argv)
    from pipeline.figures import build as figure_build

    try:
        figure_build.build(say=lambda _: None)
    except datasets.DataError as err:
        print(err.report("no PDF was written"), file=sys.stderr)
        return 1
    started = time.perf_counter()
    write_pdf(args.out, "Letter" if args.letter else "A4")
    print(f"wrote {args.out} in {time.perf_counter() - started:.2f} s")
    return 0
