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

import copy
import html as htmlmod
import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import jinja2
import markdown

from pipeline import edition
from pipeline.essay.render import Renderer, render_markdown, split_front_matter
from pipeline.files import digest, mkdocs_config, sha256, write_atomically
from pipeline.forked import Forked
from pipeline.paths import CACHE, CHARTS, DATA, DOCS, ESSAY_PAGE, NUMBERS_JSON, PRINT, ROOT
from pipeline.print import layout, repaginate
from pipeline.print.paper import for_paper, serialize

PAGE_SIZES = {"A4": "A4", "Letter": "letter"}
KEYWORDS = ["open-weight models", "open-source AI", "large language models", "enterprise AI",
            "market share", "AI platforms"]
# PDF/UA-1: a tagged PDF (structure tree, figures with their alt text, document language and title
# shown by viewers) with the XMP metadata that declares it. WeasyPrint does the tagging; see README.
PDF_VARIANT = "pdf/ua-1"
LAYOUT_CACHE = CACHE / "pdf-layout.json"  # per page size: the last draft's moves, the page count


def markdown_extensions() -> tuple[list, dict]:
    """The same Markdown extensions MkDocs uses, read from mkdocs.yml."""
    config = mkdocs_config()
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


def _template() -> jinja2.Template:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(PRINT), autoescape=jinja2.select_autoescape(["j2"]),
                             undefined=jinja2.StrictUndefined)
    return env.get_template("essay.html.j2")


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
        self.template = _template()
        self.appendix = renderer.data_appendix()  # the charts' data tables (pipeline/essay/render.py)

    def __getstate__(self) -> dict:  # the build makes it and sends it to the PDF's process
        return {k: v for k, v in self.__dict__.items() if k != "template"}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self.template = _template()

    def html(self, main: ET.Element | str | None = None, draft: bool = False) -> str:
        """main: the essay's element (or its HTML); draft: the essay alone (`layout.draft_body`),
        for the first layout that places figures."""
        main = self.main if main is None else main
        body = main if isinstance(main, str) else serialize(main)
        return self.template.render(
            body=jinja2.utils.markupsafe.Markup(body), toc=self.toc, figures=self.figures,
            sources=self.sources, notes=self.notes, edition=edition, build=self.build_info,
            appendix=jinja2.utils.markupsafe.Markup(self.appendix),
            keywords=", ".join(KEYWORDS), built=self.built, draft=draft)

    def place_figures(self, render) -> list[layout.Move]:
        """Lay the essay out once as a draft, and move or shrink figures that would leave gaps."""
        draft = layout.draft_body(self.main)
        document = render(self.html(draft, draft=True), extra_css=layout.DRAFT_CSS)
        blocks, images, body = layout.measure(document, len(draft))
        return layout.place_figures(self.main, blocks, images, body)


def write_pdf(target: Path, page_size: str = "A4", build_info: dict | None = None, say=lambda _: None,
              document: PrintDocument | None = None) -> Path:
    """Lay the PDF out and write it (from `document` when the caller made it already).

    The draft that places figures (`PrintDocument.place_figures`) and the final layout are two
    layouts, one after the other. When the last PDF of this page size left its figure moves behind
    (`LAYOUT_CACHE`), the final layout starts at once with them, in a second process, while a third
    lays out the draft at a lower priority (the final one and the site come first on a busy
    machine): if the draft decides the same moves (the essay to lay out is then the same, to the
    byte), that PDF is kept; if not, it is dropped and the final layout made here with the draft's
    moves. Page references take two passes, not three (`repaginate`). The PDF is the same bytes
    whichever way it was made."""
    from weasyprint import CSS, HTML  # heavy; only when a PDF is made

    document = document or PrintDocument(build_info)
    stylesheet = (PRINT / "print.css").read_text(encoding="utf-8")
    stylesheets = [CSS(filename=str(PRINT / "print.css")), CSS(string=layout.page_css(PAGE_SIZES[page_size]))]
    last = _read_last(page_size)

    def render(html: str, extra_css: str = ""):
        sheets = stylesheets + ([CSS(string=extra_css)] if extra_css else [])
        return HTML(string=html, base_url=str(DOCS) + "/").render(stylesheets=sheets, pdf_variant=PDF_VARIANT)

    def final(body: str, path: Path) -> int:
        html = document.html(body)
        repaginate.expect_pages(last.get("pages"))
        laid_out = render(html, repaginate.reference_css(stylesheet, html))
        # pdf_identifier=True: the file identifier is a hash of the content, so the same inputs give
        # the same bytes (no random or time-based identifier).
        laid_out.write_pdf(path, pdf_variant=PDF_VARIANT, pdf_identifier=True, uncompressed_pdf=False)
        return len(laid_out.pages)

    def draft() -> dict:
        repaginate.expect_pages(None)
        moves = document.place_figures(render)
        return {"moves": [list(m) for m in moves], "body": serialize(document.main)}

    target.parent.mkdir(parents=True, exist_ok=True)
    if "moves" not in last or not hasattr(os, "fork"):
        placed = draft()
        pages = final(placed["body"], target)
    else:
        guess = serialize(layout.replay(copy.deepcopy(document.main), [layout.Move(*m) for m in last["moves"]]))
        ahead_path = target.with_name(f".{target.name}.ahead-{os.getpid()}")
        ahead = Forked(final, guess, ahead_path)
        try:
            placed = Forked(draft, nice=5).wait()
            if placed["body"] != guess:
                ahead.stop()  # laid out for other moves: its core is wanted now
                say("PDF: the draft moved figures otherwise than last time; laid out again")
                pages = final(placed["body"], target)
            else:
                try:
                    pages = ahead.wait()
                except Exception as err:  # noqa: BLE001 - the layout made here says what is wrong, if anything
                    say(f"PDF: the layout made ahead failed ({err}); laid out again")
                    pages = final(placed["body"], target)
                else:
                    os.replace(ahead_path, target)
                    say("PDF: laid out ahead with the last figure moves, which the draft confirmed")
        finally:
            ahead.stop()
            ahead_path.unlink(missing_ok=True)
    _write_last(page_size, {"moves": placed["moves"], "pages": pages})
    return target


# --- what the last PDF of each size was laid out with, to start the next one sooner ---------------


def _read_last(page_size: str) -> dict:
    try:
        last = json.loads(LAYOUT_CACHE.read_text())[page_size]
        return last if isinstance(last, dict) else {}
    except (FileNotFoundError, KeyError, TypeError, ValueError):
        return {}


def _write_last(page_size: str, last: dict) -> None:
    try:
        kept = json.loads(LAYOUT_CACHE.read_text())
    except (FileNotFoundError, ValueError):
        kept = {}
    kept[page_size] = last
    write_atomically(LAYOUT_CACHE, json.dumps(kept, indent=1, sort_keys=True).encode())


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
