"""The print edition: the essay's Markdown, filled in from the same numbers as the site, set by
WeasyPrint through print/essay.html.j2 and print/print.css.

    python -m pipeline.pdf [--letter] [--out PATH]   # the PDF alone, to look at (default build/)

The full build (pipeline/build.py) calls write_pdf() and publishes the result beside the site.

WeasyPrint rather than Typst: it gives contents with page numbers (target-counter), running heads
(string-set), "page N of M", cross-references with page numbers and vector SVG figures from the
same HTML markup the site uses, so the print edition needs no second template language or a
converter for our custom figure markup.

What paper needs that a web page does not, done here on the essay's HTML (`for_paper`):
- the essay's Markdown footnotes and every link in the prose become numbered notes at the end,
  each link's note giving its full address (nobody can click paper);
- links to other pages of the site become absolute addresses of the web edition;
- links within the essay and figure references ({{ figref("id") }}) get "page N" (print.css);
- each figure's source line points to a numbered list of sources at the end with full links, and
  its caption gives the address of its data.

Endnotes rather than footnotes at the foot of the page: WeasyPrint 70 lays pages out again to
resolve page references (a forward "see Figure 7 on page 16"), and on a page laid out again it
drops or moves the page's footnotes (seen here: notes missing, repeated, or one page late).

The output is byte-identical for identical inputs: the only date is SOURCE_DATE_EPOCH (or the last
commit's time), the file identifier is a hash of the content, fonts are subset from the system's.
"""
from __future__ import annotations

import argparse
import html as htmlmod
import os
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urljoin

import jinja2
import markdown
import yaml

from pipeline import datasets, edition
from pipeline.paths import BUILD, DOCS, PDF_NAME, PRINT, ROOT
from pipeline.prose import Renderer, render_markdown

ESSAY_PAGE = DOCS / "essay.md"
PAGE_SIZES = {"A4": "A4", "Letter": "letter"}
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
KEYWORDS = ["open-weight models", "open-source AI", "large language models", "enterprise AI",
            "market share", "AI platforms"]
# PDF/UA-1: a tagged PDF (structure tree, figures with their alt text, document language and title
# shown by viewers) with the XMP metadata that declares it. WeasyPrint does the tagging; see README.
PDF_VARIANT = "pdf/ua-1"
SHORT_TABLE_ROWS = 16


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
    # Links that generated markup builds from `prefix` point at the web edition.
    renderer = Renderer(target="print", prefix=edition.SITE_URL)
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
            flat.append({"level": token["level"], "id": token["id"], "name": htmlmod.unescape(token["name"])})
        flat += _flatten(token["children"])
    return flat


# --- the essay's HTML, made for paper ---------------------------------------------------------


@dataclass
class Paper:
    """What for_paper() found: the figures and the sources their source lines cite, in order."""

    figures: list[dict] = field(default_factory=list)      # {"id", "label", "title"}
    sources: list[dict] = field(default_factory=list)      # source metadata + "n", "figures"
    notes: list[dict] = field(default_factory=list)        # {"n", "section", "html"}


def _all_sources() -> dict[str, dict]:
    """Every source of every dataset, by its address."""
    found: dict[str, dict] = {}
    for dataset_id in datasets.dataset_ids():
        for source_id, source in datasets.sources(dataset_id).items():
            found.setdefault(str(source.get("path", "")), {**source, "id": source_id})
    return found


def _classes(el: ET.Element) -> set[str]:
    return set(el.get("class", "").split())


def _text(el: ET.Element) -> str:
    return re.sub(r"\s+", " ", "".join(el.itertext())).strip()


def _new(tag: str, text: str = "", **attrs) -> ET.Element:
    el = ET.Element(tag, {k.rstrip("_"): v for k, v in attrs.items()})
    el.text = text
    return el


def _insert_after(parents: dict, el: ET.Element, new: ET.Element) -> None:
    """Put `new` right after `el`, taking over the text that followed `el`."""
    parent = parents[el]
    new.tail, el.tail = el.tail, None
    parent.insert(list(parent).index(el) + 1, new)
    parents[new] = parent


def _replace(parents: dict, el: ET.Element, new: ET.Element) -> None:
    parent = parents[el]
    new.tail = el.tail
    index = list(parent).index(el)
    parent.remove(el)
    parent.insert(index, new)
    parents[new] = parent


def _site_url(href: str) -> str:
    """A link written for the site, relative to docs/ (MkDocs' convention), as an absolute address."""
    path, _, anchor = href.partition("#")
    if path.endswith(".md"):
        stem = path[:-3]
        path = stem[:-5] if stem == "index" or stem.endswith("/index") else stem + "/"
    return urljoin(edition.SITE_URL, path) + (f"#{anchor}" if anchor else "")


def _url_span(url: str) -> ET.Element:
    return _new("a", url, href=url, class_="url")


def _note_call(number: int, first: bool = True) -> ET.Element:
    """The superscript number in the text that points to note `number` at the end of the essay."""
    sup = _new("sup", class_="note-call")
    attrs = {"href": f"#note-{number}", "class": "note-ref"}
    if first:
        attrs["id"] = f"note-call-{number}"
    link = _new("a", str(number), **attrs)
    sup.append(link)
    return sup


def _html(elements: list[ET.Element], text: str = "") -> str:
    return htmlmod.escape(text, quote=False) + "".join(ET.tostring(e, encoding="unicode", method="html") for e in elements)


def for_paper(body_html: str) -> tuple[ET.Element, Paper]:
    """Rewrite the essay's HTML for paper (see the module docstring); return it (the <main> element
    holding it) and what it found."""
    import tinyhtml5

    root = tinyhtml5.parse(f"<main>{body_html}</main>", namespace_html_elements=False)
    main = root.find("body/main")
    parents = {child: parent for parent in main.iter() for child in parent}
    paper = Paper()
    this_page = edition.SITE_URL + "essay/"  # links to the essay itself stay inside the PDF

    # 1. Relative links to the site's other pages and files -> the web edition's addresses.
    for a in main.iter("a"):
        href = a.get("href", "")
        if not href or href.startswith(("#", "http:", "https:", "mailto:")):
            continue
        url = _site_url(href)
        a.set("href", "#" + url.partition("#")[2] if url.startswith(this_page + "#") else url)

    # 2. The Markdown footnotes: take their text out of the list Markdown puts at the end.
    notes: dict[str, list[ET.Element]] = {}
    for div in [d for d in main.iter("div") if "footnote" in _classes(d)]:
        for li in div.iter("li"):
            notes["#" + li.get("id", "")] = list(li)
        parents[div].remove(div)

    # 3. In document order: footnote references and links in the prose become numbered notes
    #    (the links' notes give their full address); links to a place in the essay are marked for
    #    a page number (see the module docstring for why notes go at the end).
    ids = {el.get("id") for el in main.iter() if el.get("id")}
    in_figure: set[ET.Element] = set()
    for fig in main.iter("figure"):
        in_figure.update(fig.iter())
    number, made, section = 0, {}, ""
    for el in list(main.iter()):
        if el.tag == "h2":
            section = _text(el)
        elif el.tag == "sup" and len(el) and "footnote-ref" in _classes(el[0]):
            target = el[0].get("href", "")
            if target in made:  # a second reference to the same note: the same number
                _replace(parents, el, _note_call(made[target], first=False))
                continue
            number += 1
            made[target] = number
            paper.notes.append({"n": number, "section": section, "html": _note_html(notes.get(target, []))})
            _replace(parents, el, _note_call(number))
        elif el.tag == "a" and el not in in_figure:
            href = el.get("href", "")
            if href.startswith("#"):
                if href[1:] in ids and not _classes(el) & {"figref", "footnote-ref", "footnote-backref"}:
                    el.set("class", (el.get("class", "") + " xref").strip())
            elif href.startswith(("http:", "https:")):
                if _text(el) in (href, href.rstrip("/")):
                    el.set("class", (el.get("class", "") + " url").strip())
                    continue
                number += 1
                paper.notes.append({"n": number, "section": section, "html": _html([_url_span(href)])})
                _insert_after(parents, el, _note_call(number))

    # 4. Figures: numbered sources with full links at the end, and the address of the data.
    by_url = _all_sources()
    cited: dict[str, dict] = {}
    for fig in main.iter("figure"):
        if "chart" not in _classes(fig):
            continue
        title_el = next((p for p in fig.iter("p") if "chart-title" in _classes(p)), None)
        if title_el is None:
            continue
        label = _text(next((s for s in title_el.iter("span") if "chart-number" in _classes(s)), title_el))
        label = label.rstrip(".")
        paper.figures.append({"id": fig.get("id", ""), "label": label,
                              "title": _text(title_el)[len(label) + 1:].strip()})
        for span in [s for s in fig.iter("span") if "chart-source" in _classes(s)]:
            _number_sources(span, by_url, cited, label)
        _add_data_line(fig)
        _gather_notes(fig)
    paper.sources = list(cited.values())

    # 5. Tables short enough for one page are kept on one page; longer ones break between rows.
    for table in main.iter("table"):
        if sum(1 for _ in table.iter("tr")) <= SHORT_TABLE_ROWS:
            table.set("class", (table.get("class", "") + " short").strip())

    for i, child in enumerate(main):  # names the essay's blocks in the draft layout (place_figures)
        child.set("data-flow", str(i))
    return main, paper


def _serialize(main: ET.Element) -> str:
    return (main.text or "") + "".join(ET.tostring(child, encoding="unicode", method="html") for child in main)


def _note_html(blocks: list[ET.Element]) -> str:
    """A Markdown footnote's paragraphs for the notes at the end: without the back-reference
    arrows, and with the full address after every link."""
    holder = _new("div")
    for block in blocks:
        holder.append(block)
    parents = {child: parent for parent in holder.iter() for child in parent}
    for a in [a for a in holder.iter("a") if "footnote-backref" in _classes(a)]:
        _remove_keeping_tail(parents[a], a)
    for p in holder.iter("p"):
        _strip_end(p)
    for a in [a for a in holder.iter("a") if a.get("href", "").startswith(("http:", "https:"))]:
        if _text(a) in (a.get("href"), a.get("href", "").rstrip("/")):
            a.set("class", "url")
            continue
        wrapper = _new("span", " (", class_="link-address")
        url = _url_span(a.get("href"))
        url.tail = ")"
        wrapper.append(url)
        _insert_after(parents, a, wrapper)
    return _html(list(holder), holder.text or "")


def _remove_keeping_tail(parent: ET.Element, el: ET.Element) -> None:
    children = list(parent)
    i = children.index(el)
    if el.tail:
        if i:
            children[i - 1].tail = (children[i - 1].tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _strip_end(el: ET.Element) -> None:
    """Drop the non-breaking space Markdown puts before the back-reference."""
    if len(el):
        if el[-1].tail:
            el[-1].tail = el[-1].tail.rstrip("\xa0 \n")
    elif el.text:
        el.text = el.text.rstrip("\xa0 \n")


def _number_sources(span: ET.Element, by_url: dict, cited: dict, figure_label: str) -> None:
    """'Sources: Publisher (date) [3]; ...': each number points to the list at the end."""
    links = [a for a in span.iter("a") if a.get("href", "").startswith(("http:", "https:"))]
    if not links:  # a source line without links (the decision guide's) stays as written
        return
    label = "Sources: " if len(links) > 1 else "Source: "
    for a in list(span):
        span.remove(a)
    span.text = label
    for i, a in enumerate(links):
        url = a.get("href")
        source = by_url.get(url, {"publisher": _text(a), "title": "", "published": "", "path": url, "id": ""})
        entry = cited.setdefault(url, {**source, "n": len(cited) + 1, "figures": []})
        if figure_label not in entry["figures"]:
            entry["figures"].append(figure_label)
        link = _new("a", _text(a), href=url)
        link.tail = f" ({source['published']}) " if source.get("published") else " "
        span.append(link)
        ref = _new("a", f"[{entry['n']}]", href=f"#source-{entry['n']}", class_="source-ref")
        ref.tail = "; " if i < len(links) - 1 else "."
        span.append(ref)


def _gather_notes(fig: ET.Element) -> None:
    """A figure's notes in one block after its source and data lines: title, image, caption and
    sources stay together on one page, and a long list of notes may run on to the next one
    (otherwise the whole figure would have to shrink to fit its notes)."""
    caption = fig.find("figcaption")
    notes = [s for s in (caption if caption is not None else []) if "chart-note" in _classes(s)]
    if not notes:
        return
    block = _new("div", class_="chart-notes")
    for note in notes:
        caption.remove(note)
        block.append(note)
    caption.append(block)


def _add_data_line(fig: ET.Element) -> None:
    from pipeline import figures

    caption = fig.find("figcaption")
    if caption is None or not fig.get("id"):
        return
    # Table figures (the decision guide) are not chart modules; their dataset shares their id.
    fig_id = fig.get("id")
    if fig_id in figures.figure_ids():
        dataset_ids = figures.module(fig_id).DATASETS
    elif fig_id in datasets.dataset_ids():
        dataset_ids = [fig_id]
    else:
        return
    line = _new("span", "Data: ", class_="chart-data-line")
    for i, dataset_id in enumerate(dataset_ids):
        url = f"{edition.SITE_URL}data/{dataset_id}.csv"
        link = _url_span(url)
        link.tail = ", " if i < len(dataset_ids) - 1 else ""
        line.append(link)
    caption.append(line)


# --- the whole document -----------------------------------------------------------------------


def _build_date() -> str | None:
    """The PDF's date: SOURCE_DATE_EPOCH if set, else the last commit's time (none outside git), so
    that building the same commit twice gives the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch.isdigit():
        result = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True)
        epoch = result.stdout.strip()
    if not epoch.isdigit():
        return None
    return datetime.fromtimestamp(int(epoch), tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class PrintDocument:
    """The whole print HTML: cover, contents, the essay made for paper, notes and sources."""

    def __init__(self, build_info: dict | None = None):
        if build_info is None:
            from pipeline.provenance import build_info as current

            build_info = current()
        body, self.toc, _shown = essay_body()
        self.main, self.paper = for_paper(body)
        self.build_info, self.built = build_info, _build_date()
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(PRINT), autoescape=jinja2.select_autoescape(["j2"]),
                                 undefined=jinja2.StrictUndefined)
        self.template = env.get_template("essay.html.j2")

    def html(self, draft: bool = False) -> str:
        """draft: the essay alone, up to the blocks its last figure may move past, for a first
        layout that place_figures() measures."""
        main = self.main
        if draft:
            children = list(main)
            last = max((i for i, child in enumerate(children) if child.tag == "figure"), default=-1)
            main = _new("main")
            main.extend(children[:last + 1 + MAX_MOVE + 1])
        return self.template.render(
            body=jinja2.utils.markupsafe.Markup(_serialize(main)), toc=self.toc, figures=self.paper.figures,
            sources=self.paper.sources, notes=self.paper.notes, edition=edition, build=self.build_info,
            keywords=", ".join(KEYWORDS), built=self.built, draft=draft)

    def place_figures(self, draft) -> list[str]:
        """Keep a figure from leaving most of a page empty.

        A figure is never split from its caption, so one that does not fit in what is left of a
        page goes to the next and leaves a gap behind. WeasyPrint has no page floats; measured on a
        first layout of the essay (`draft`), a figure that left more than GAP_SHARE of a page empty
        is, in this order of preference:
        - drawn a little smaller (down to SHRINK_EASY of its height), so that it fits in the gap;
        - moved after the paragraphs that follow it (at most MAX_MOVE, never past a heading, a
          table or another figure), as many as fill the gap while the figure still fits below;
        - moved before the paragraphs that precede it on the page it left (as on paper, where a
          figure often heads the page its text is on), when that gives it room there;
        - drawn smaller still (down to SHRINK_MOST), so that it fits in the gap.
        A figure taller than a page is drawn smaller until it fits on one.
        Returns what was done, one line per figure.
        """
        blocks, images, body = _measure(draft)
        children = list(self.main)
        done = []
        for index in range(len(children) - 1, -1, -1):  # from the end: earlier positions stay valid
            figure = children[index]
            if figure.tag != "figure" or index not in blocks:
                continue
            image = images.get(index)
            if len(blocks[index]) > 1:  # taller than a page: it must be drawn smaller
                page = blocks[index][0][0]
                overflow = sum(f[2] - f[1] for f in blocks[index]) - (body[page][1] - body[page][0])
                if image and image - overflow - 2 > (1 - SHRINK_MOST) * image:
                    done.append(self._shrink(figure, image - overflow - 2))
                continue
            page, top, bottom = blocks[index][0]
            previous = [f for i in range(index) for f in blocks.get(i, []) if f[0] == page - 1]
            if not previous or any(f[0] == page for i in range(index) for f in blocks.get(i, [])):
                continue  # the figure does not open its page, or it is the first thing in the essay
            page_top, page_bottom = body[page - 1]
            gap = page_bottom - max(f[2] for f in previous)
            if gap < GAP_SHARE * (page_bottom - page_top):
                continue
            height = bottom - top
            need = height - gap + 2  # how much smaller the figure must be to fit in the gap (px)
            if image and need <= (1 - SHRINK_EASY) * image:
                done.append(self._shrink(figure, image - need))
                continue
            after, filled = index, 0.0
            for j in range(index + 1, min(index + 1 + MAX_MOVE, len(children))):
                if children[j].tag not in MOVABLE or j not in blocks:
                    break
                size = sum(f[2] - f[1] for f in blocks[j])
                if filled + size > gap and (filled + size - gap) + height > body[page][1] - body[page][0]:
                    break  # the figure would no longer fit under what spills over
                filled, after = filled + size, j
                if filled >= gap:
                    break
            if after > index:
                self.main.remove(figure)
                self.main.insert(list(self.main).index(children[after]) + 1, figure)
                done.append(f"{figure.get('id')}: moved after {after - index} block(s)")
                continue
            before, room = index, gap
            for j in range(index - 1, max(index - 1 - MAX_MOVE, -1), -1):
                if children[j].tag not in MOVABLE or [f[0] for f in blocks.get(j, [])] != [page - 1]:
                    break
                room += sum(f[2] - f[1] for f in blocks[j])
                before = j
                if room >= height:
                    break
            if before < index and room >= height:
                self.main.remove(figure)
                self.main.insert(list(self.main).index(children[before]), figure)
                done.append(f"{figure.get('id')}: moved before {index - before} block(s)")
            elif image and need <= (1 - SHRINK_MOST) * image:
                done.append(self._shrink(figure, image - need))
        return done

    @staticmethod
    def _shrink(figure: ET.Element, height_px: float) -> str:
        for img in figure.iter("img"):
            img.set("style", f"max-height: {height_px:.0f}px")
        return f"{figure.get('id')}: image drawn {height_px:.0f}px high to fit"


# The draft layout that place_figures() measures costs about a third of the PDF's build time.
PLACE_FIGURES = True
GAP_SHARE = 0.2     # a gap left by a figure smaller than this share of the page is left alone
SHRINK_EASY = 0.85  # a figure may be drawn this much smaller before text is moved around it
SHRINK_MOST = 0.7   # ... and this much smaller when nothing can be moved
MAX_MOVE = 4        # paragraphs a figure may move past
MOVABLE = {"p", "ul", "ol", "blockquote", "div", "dl"}


def _measure(document):
    """From a laid-out document: for each essay block (its data-flow index), its fragments as
    (page index, top, bottom); for each figure block, the height of its image; for each page, the
    top and bottom of its body area. In CSS px."""
    blocks: dict[int, list[tuple[int, float, float]]] = {}
    images: dict[int, float] = {}
    body = []
    for number, page in enumerate(document.pages):
        page_box = page._page_box
        body.append((page_box.content_box_y(), page_box.content_box_y() + page_box.height))
        stack = list(page_box.children)
        while stack:
            box = stack.pop()
            element = box.element if not (box.element_tag or "").count("::") else None
            flow = element.get("data-flow") if element is not None else None
            if flow is None:
                stack.extend(getattr(box, "children", []))
                continue
            blocks.setdefault(int(flow), []).append((number, box.position_y, box.position_y + box.margin_height()))
            inner = list(getattr(box, "children", []))
            while inner:
                child = inner.pop()
                if child.element_tag == "img":
                    images[int(flow)] = child.height
                    break
                inner.extend(getattr(child, "children", []))
    for fragments in blocks.values():
        fragments.sort()
    return blocks, images, body


def print_html(build_info: dict | None = None) -> str:
    return PrintDocument(build_info).html()


def write_pdf(target: Path, page_size: str = "A4", build_info: dict | None = None) -> Path:
    from weasyprint import CSS, HTML  # heavy; only when a PDF is made

    document = PrintDocument(build_info)
    page_css = CSS(string=f"@page {{ size: {PAGE_SIZES[page_size]}; }}")
    stylesheets = [CSS(filename=str(PRINT / "print.css")), page_css]
    if PLACE_FIGURES:
        # A first layout of the essay alone, with page references at their usual width, to see
        # where figures leave gaps; then the real one.
        draft = HTML(string=document.html(draft=True), base_url=str(DOCS) + "/").render(
            stylesheets=[*stylesheets, CSS(string=DRAFT_CSS)])
        document.place_figures(draft)
    target.parent.mkdir(parents=True, exist_ok=True)
    # pdf_identifier=True: the file identifier is a hash of the content, so the same inputs give the
    # same bytes (no random or time-based identifier).
    HTML(string=document.html(), base_url=str(DOCS) + "/").write_pdf(
        target, stylesheets=stylesheets, pdf_variant=PDF_VARIANT, pdf_identifier=True, uncompressed_pdf=False)
    return target


DRAFT_CSS = """a.figref::after { content: " on page 00"; } a.xref::after { content: " (page 00)"; }"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the PDF alone (stale figures are redrawn first).")
    parser.add_argument("--letter", action="store_true", help="US Letter paper instead of A4")
    parser.add_argument("--out", type=Path, default=BUILD / PDF_NAME, help=f"default: build/{PDF_NAME}")
    args = parser.parse_args(argv)
    from pipeline import chartbuild

    try:
        chartbuild.build(say=lambda _: None)
    except datasets.DataError as err:
        print(f"The data has {len(err.problems)} problem(s); no PDF was written:", file=sys.stderr)
        for problem in err.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    started = time.perf_counter()
    write_pdf(args.out, "Letter" if args.letter else "A4")
    print(f"wrote {args.out} in {time.perf_counter() - started:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
