"""The print edition: the essay's Markdown, filled in from the same numbers as the site, set by
Typst through print/essay.typ and print/lib.typ.

    python -m pipeline.pdf [--letter] [--out PATH]   # the PDF alone, to look at (default build/)

The full build (pipeline/build.py) calls write_pdf() and publishes the result beside the site; it
lays the PDF out only when its inputs changed (`input_key`), as figures are drawn only when theirs did.

What paper gets, and from where:
- the figures (their markup, the list of figures in the contents, the numbered list of the sources
  their source lines cite) come from the renderer's record (pipeline/essay/render.py): nothing is
  read back from HTML;
- links and Markdown footnotes become numbered notes at the end (pipeline/print/paper.py, the one
  rewrite of HTML left);
- each construct of that HTML becomes a call to a part of print/lib.typ (pipeline/print/typeset.py);
- Typst places the figures (they float to the top or bottom of a page), resolves "Figure 3 on page
  7" and the contents' page numbers, and tags the PDF (PDF/UA-1, the charts' alt text).

Typst rather than WeasyPrint (used until December 2026): the same features (contents and figure
list with page numbers, running heads, page N of M, page cross-references, vector SVG figures with
live text, tagged PDF/UA-1, bookmarks) with page floats, in about 0.5 s against WeasyPrint's 4.5 s
for the same 25 pages, which had made the PDF the slowest step of every edit.

The output is byte-identical for identical inputs: the only date is SOURCE_DATE_EPOCH (or the last
commit's time), given to Typst as its timestamp; fonts are the system's (DejaVu), subset.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import markdown

from pipeline import edition
from pipeline.essay.render import Renderer, render_markdown, split_front_matter
from pipeline.files import digest, mkdocs_config, sha256, write_atomically
from pipeline.paths import BUILD, CHARTS, DATA, ESSAY_PAGE, FIGURES, NUMBERS_JSON, PRINT, ROOT
from pipeline.print import typeset
from pipeline.print.paper import for_paper

PAGE_SIZES = {"A4": "a4", "Letter": "us-letter"}
KEYWORDS = ["open-weight models", "open-source AI", "large language models", "enterprise AI",
            "market share", "AI platforms"]
# PDF/UA-1: a tagged PDF (structure tree, figures with their alt text, document language and title
# shown by viewers) with the XMP metadata that declares it. Typst refuses to write one that lacks any.
PDF_STANDARDS = ["ua-1"]
# The smallest text a chart may print at (points): a chart printed narrower than its column (a tall
# chart held to print/lib.typ's chart-max-height, or one with many notes) shrinks its text with it.
# In December 2026 the smallest was 7.1 pt on A4 and 6.5 pt on US Letter (Figure 4, seven notes).
CHART_TEXT_FLOOR_PT = 6.0


class PrintError(ValueError):
    """A PDF that would not be fit to read (chart text too small to print)."""


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


def essay_body(page: Path = ESSAY_PAGE) -> tuple[str, Renderer]:
    """The essay as HTML, and the renderer that recorded its figures and sources. (Typst makes the
    contents from the headings itself.)"""
    # Links that generated markup builds from `prefix` point at the web edition.
    renderer = Renderer(target="print", prefix=edition.SITE_URL)
    filled = render_markdown(split_front_matter(page.read_text(encoding="utf-8"))[1], renderer)
    names, configs = markdown_extensions()
    return markdown.Markdown(extensions=names, extension_configs=configs).convert(filled), renderer


class PrintDocument:
    """What the print edition is made of: the essay made for paper, its notes, headings, figures and
    the sources they cite, the charts' data tables, and the edition's facts for the cover."""

    def __init__(self, build_info: dict | None = None):
        from pipeline.data.provenance import build_info as current, build_time

        self.build_info = build_info if build_info is not None else current()
        moment = build_time()
        self.date = list(moment.timetuple()[:6]) if moment else None  # outside git: no date at all
        body, renderer = essay_body()
        self.main, self.notes = for_paper(body)
        self.figures = [{"id": f.id, "label": f.label, "title": f.title} for f in renderer.figures]
        self.sources = sorted(renderer.sources.values(), key=lambda s: s["n"])
        self.appendix = str(renderer.data_appendix())  # the charts' data tables (pipeline/essay/render.py)

    def meta(self, page_size: str) -> dict:
        """What print/essay.typ reads: the edition, the build, the figures and their sources."""
        names = ("TITLE", "SUBTITLE", "AUTHOR_CREDIT", "ORIGINAL_CREDIT", "ESSAY_DATE_TEXT", "SITE_URL")
        return {
            "paper": PAGE_SIZES[page_size], "date": self.date, "keywords": KEYWORDS,
            "edition": {name: str(getattr(edition, name)) for name in names},
            "build": {k: (str(v) if v is not None else None) for k, v in self.build_info.items()},
            "figures": self.figures,
            "sources": [{"n": s["n"], "publisher": s["publisher"], "title": s.get("title") or None,
                         "published": str(s["published"]) if s.get("published") else None,
                         "path": s["path"], "figures": s["figures"]} for s in self.sources],
        }

    def typst_files(self, page_size: str) -> tuple[dict[str, str], list[str]]:
        """print/essay.typ's inputs by name (the metadata and the three parts set in Typst), and
        the ids of the charts the essay sets, in order."""
        essay, charts = typeset.essay(self.main)
        files = {"meta": json.dumps(self.meta(page_size), ensure_ascii=False, indent=1),
                 "essay": essay, "appendix": typeset.appendix(self.appendix)}
        if self.notes:
            files["notes"] = typeset.notes(self.notes)
        return files, charts


def write_pdf(target: Path, page_size: str = "A4", build_info: dict | None = None, say=lambda _: None) -> Path:
    """Set the PDF with Typst and write it; raises PrintError if a chart would print too small."""
    import typst  # its compiler is a native library; loaded only when a PDF is made

    from pipeline.data.provenance import source_date_epoch

    document = PrintDocument(build_info)
    # Typst reads files under the project root only: the parts are written to build/print/<size>/
    # (kept, to look at: the Typst a PDF was set from).
    work = BUILD / "print" / page_size
    work.mkdir(parents=True, exist_ok=True)
    try:
        files, charts = document.typst_files(page_size)
    except typeset.TypesetError as err:
        raise PrintError(str(err)) from None
    inputs = {}
    for name, content in files.items():
        path = work / (f"{name}.json" if name == "meta" else f"{name}.typ")
        write_atomically(path, content.encode("utf-8"))
        inputs[name] = "/" + path.relative_to(ROOT).as_posix()
    for stale in set(work.iterdir()) - {ROOT / i.lstrip("/") for i in inputs.values()}:
        stale.unlink()  # a part this PDF does not have (no notes): never read as if it were current
    compiler = typst.Compiler(str(PRINT / "essay.typ"), root=str(ROOT), sys_inputs=inputs)
    try:
        pdf, warnings = compiler.compile_with_warnings(timestamp=int(source_date_epoch()), pdf_standards=PDF_STANDARDS)
    except typst.TypstError as err:  # its diagnostic names the file, line and column, and shows the line
        raise PrintError(f"Typst could not set the PDF:\n{err.diagnostic or err.message}"
                         f"(the parts it read are in {work.relative_to(ROOT)}/)") from None
    if warnings:  # a font not found, a label twice: Typst would print around it; the PDF is refused
        raise PrintError("Typst warned while setting the PDF; no PDF was written:\n"
                         + "\n".join(str(getattr(w, "diagnostic", None) or w) for w in warnings))
    printed = json.loads(compiler.query("<printed-chart>", field="value"))  # the same document, no new compile
    if [p["figure"] for p in printed] != charts:
        raise PrintError(f"the PDF printed the charts {[p['figure'] for p in printed]}, but the essay has {charts}: "
                         "print/lib.typ's chart() records every chart it sets, so the smallest text can be checked")
    sizes = chart_text_sizes(printed)
    if sizes:
        smallest = min(sizes, key=sizes.get)
        if sizes[smallest] < CHART_TEXT_FLOOR_PT:
            raise PrintError(f"{smallest}: its smallest text would print at {sizes[smallest]:.1f} pt, below "
                             f"{CHART_TEXT_FLOOR_PT} pt (the chart is printed {printed_width(printed, smallest):.0f} pt wide); "
                             "make the chart shorter or its notes fewer. No PDF was written.")
        said = f"; smallest chart text {sizes[smallest]:.1f} pt ({smallest})"
    else:
        said = "; no charts"
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(target, pdf)
    say(f"PDF: set by Typst ({page_size}){said}")
    return target


def printed_width(printed: list[dict], figure: str) -> float:
    return next(p["width"] for p in printed if p["figure"] == figure)


def chart_text_sizes(printed: list[dict]) -> dict[str, float]:
    """Each chart's smallest text on paper (points): its SVG's smallest font size, scaled by how wide
    it is printed against how wide it was drawn (the SVGs are drawn in points)."""
    sizes = {}
    for chart in printed:
        svg = (FIGURES / f"{chart['figure']}.light.svg").read_text(encoding="utf-8")
        width = re.search(r'<svg[^>]*\bwidth="([\d.]+)pt"', svg)
        fonts = re.findall(r"font-size: ?([\d.]+)px", svg)
        if not width or not fonts:
            raise PrintError(f"docs/figures/{chart['figure']}.light.svg: no width in points or no font size, "
                             "so the size its text prints at cannot be checked")
        drawn_width = float(width.group(1))
        smallest = min(float(size) for size in fonts)
        sizes[chart["figure"]] = smallest * chart["width"] / drawn_width
    return sizes


def input_files() -> list[Path]:
    """Every file the PDF is made from: the essay, the numbers, the data (sources, quotations,
    tables, claims), the figure modules' texts and the light figures, the templates and this code."""
    files = [ESSAY_PAGE, NUMBERS_JSON, ROOT / "mkdocs.yml", ROOT / "requirements.txt", ROOT / "pipeline" / "edition.py"]
    files += sorted(DATA.glob("*.csv")) + sorted(DATA.glob("*.yaml"))
    files += sorted(CHARTS.glob("*.py")) + sorted(PRINT.glob("*"))
    for package in ("essay", "print", "figures", "data"):
        files += sorted((ROOT / "pipeline" / package).rglob("*.py")) + sorted((ROOT / "pipeline" / package).rglob("*.j2"))
    files += sorted(FIGURES.glob("*.light.svg"))
    return files


def input_key(page_size: str, build_info: dict) -> str:
    """A hash of everything the PDF depends on: the same key, the same PDF (it is byte-identical)."""
    from pipeline.data.provenance import source_date_epoch

    parts = [(str(p.relative_to(ROOT)), sha256(p)) for p in input_files()]
    parts += [("page size", page_size), ("build", repr(sorted(build_info.items()))), ("date", source_date_epoch())]
    return digest(parts)
