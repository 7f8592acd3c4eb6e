"""The print edition, read back from the PDF: every section in the text and in the outline, contents
and cross-references that point to the right pages, numbers equal to the data, figures as vectors
with the web's alt text, fonts embedded, nothing outside the margins, metadata, language and tags,
notes with full addresses, US Letter on request, and the same bytes from two builds."""
from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import check_numbers_in_context, run
from pipeline.files import LOCAL, copy_ignoring

PDF = Path("site") / "the-future-of-open-models.pdf"
SITE_URL = "https://open-models-essay.github.io/future-of-open-models/"
MM = 72 / 25.4
SIDE_MARGIN = 22 * MM  # print/lib.typ: the page margin (the cover's is wider)


def plain(text: str) -> str:
    """Text as extracted from a PDF or written in Markdown, reduced to what must match."""
    text = html.unescape(text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # Markdown links: their text
    text = re.sub(r"[*_`]", "", text)
    text = text.translate(str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u00a0": " ", "\u00ad": ""}))
    return re.sub(r"\s+", " ", text).strip()


def unhyphenated(text: str) -> str:
    """Also join words that automatic hyphenation split at a line end."""
    return re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", text)


@pytest.fixture(scope="module")
def pdf(built) -> PdfReader:
    return PdfReader(built / PDF)


@pytest.fixture(scope="module")
def pages(pdf) -> list[str]:
    return [page.extract_text() for page in pdf.pages]


@pytest.fixture(scope="module")
def text(pages) -> str:
    """The whole text, normalised, in two spellings: as set, and with hyphenated words joined."""
    raw = "\n".join(pages)
    return plain(raw) + "\n" + plain(unhyphenated(raw))


@pytest.fixture(scope="module")
def prose(pdf) -> str:
    """The running text alone, in the serif it is set in: figures float to the top or bottom of a
    page, so a paragraph that runs on to the next page may have a figure between its two halves in
    the page's text, which the figures' sans-serif leaves out here."""
    runs = []

    def keep(part, _cm, _tm, font, _size):
        if font is not None and "Serif" in font.get("/BaseFont", ""):
            runs.append(part)

    for page in pdf.pages:
        page.extract_text(visitor_text=keep)
    raw = "".join(runs)
    return plain(raw) + "\n" + plain(unhyphenated(raw))


def essay_headings(root: Path) -> list[tuple[int, str]]:
    markdown = re.sub(r"```.*?```", "", (root / "docs" / "essay.md").read_text(encoding="utf-8"), flags=re.S)
    found = re.findall(r"(?m)^(#{2,3})[ \t]+(.+?)[ \t]*(?:\{[^}]*\})?[ \t]*$", markdown)
    return [(len(hashes), plain(title)) for hashes, title in found if "{{" not in title]


def outline(pdf: PdfReader) -> list[tuple[int, str, int]]:
    """(depth, title, page number) for every bookmark, in order."""
    flat = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                flat.append((depth, plain(item.title), pdf.get_destination_page_number(item) + 1))

    walk(pdf.outline, 0)
    return flat


# --- structure --------------------------------------------------------------------------------


def test_every_section_heading_is_in_the_text_and_in_the_outline(built, pdf, text):
    headings = essay_headings(built)
    assert len([h for h in headings if h[0] == 2]) >= 5, headings  # the five sections at least
    marks = outline(pdf)
    for level, title in headings:
        assert title in text, f"heading {title!r} is not in the PDF's text"
        assert (level - 2, title) in [(depth, t) for depth, t, _ in marks], \
            f"heading {title!r} (level {level}) is not in the outline: {marks}"
    for extra in ["Contents", "Notes", "Sources of the figures"]:
        assert extra in [t for _, t, _ in marks]


def test_outline_entries_and_contents_point_to_the_pages_the_headings_are_on(pdf, pages):
    for depth, title, page in outline(pdf):
        assert title[:40] in plain(pages[page - 1]), f"bookmark {title!r} points to page {page}"
    contents = pages[1]
    entries = re.findall(r"(?m)^(.*?)\s*\.{3,}\s*(\d+)\s*$", contents)
    assert len(entries) >= 10, contents
    for title, page in entries:
        title = plain(title)[-40:]
        assert title in plain(unhyphenated(pages[int(page) - 1])), f"contents: {title!r} is not on page {page}"


def test_figure_references_carry_the_page_the_figure_is_on(built, pages, text):
    from pipeline.essay.render import figure_order

    order = figure_order(built / "docs" / "essay.md")
    cited = set(re.findall(r"""figref\(\s*["'](\w+)["']""", (built / "docs" / "essay.md").read_text(encoding="utf-8")))
    assert cited, "the essay cites no figure by number: nothing to check"
    references = set(re.findall(r"Figure (\d+) on page (\d+)", text))
    # Every figure the essay refers to is referred to with its page (the scorecard refers to more).
    assert {str(order.index(f) + 1) for f in cited} <= {number for number, _ in references}, references
    for number, page in references:
        assert f"Figure {number}." in plain(pages[int(page) - 1]), f"Figure {number} is not on page {page}"


def test_page_count_is_what_the_essay_length_gives(built, pdf):
    """Cover and contents, the essay at about 450 words a page (it is set with wide margins and
    headings) plus 0.85 of a page per figure, the scorecard (2 pages), then notes and sources
    (4 pages), then the figures' data tables (about 32 rows a page): within 15%. Figures blown up
    to a page each, or a page per paragraph, move it out."""
    import json

    markdown = (built / "docs" / "essay.md").read_text(encoding="utf-8")
    words = len(re.findall(r"[\w’'-]+", re.sub(r"\{\{.*?\}\}|\{%.*?%\}|<[^>]+>", " ", markdown, flags=re.S)))
    figures = len(re.findall(r"\{\{\s*figure\(", markdown))
    table_rows = sum(len(v) for v in json.loads((built / "build" / "plotted.json").read_text()).values())
    expected = 2 + words / 450 + 0.85 * figures + 2 + 4 + table_rows / 32
    assert abs(len(pdf.pages) - expected) <= 0.15 * expected, \
        f"{len(pdf.pages)} pages for {words} words and {figures} figures (expected about {expected:.0f})"
    box = pdf.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 by default


# --- content ----------------------------------------------------------------------------------


def test_numbers_in_the_text_equal_the_numbers_the_data_gives(built, numbers, prose):
    check_numbers_in_context(prose, (built / "docs" / "essay.md").read_text(encoding="utf-8"), numbers, plain)


class _Links(HTMLParser):
    """On the web page: prose links, figure source links, and the light figures' alt texts."""

    def __init__(self):
        super().__init__()
        self.depth = {"article": 0, "figure": 0}
        self.in_source = 0
        self.prose_links, self.source_links, self.alts = set(), set(), []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in self.depth:
            self.depth[tag] += 1
        if tag == "span":
            self.in_source += 1 if "chart-source" in (a.get("class") or "") or self.in_source else 0
        if tag == "img" and "chart-image" in (a.get("class") or "") and ".light." in a.get("src", ""):
            self.alts.append(plain(a.get("alt", "")))
        href = a.get("href") or ""
        if tag == "a" and href.startswith("http") and self.depth["article"]:
            if self.in_source:
                self.source_links.add(href)
            elif not self.depth["figure"] and "headerlink" not in (a.get("class") or ""):
                self.prose_links.add(href)

    def handle_endtag(self, tag):
        if tag in self.depth:
            self.depth[tag] -= 1
        if tag == "span" and self.in_source:
            self.in_source -= 1


@pytest.fixture(scope="module")
def web(built) -> _Links:
    parser = _Links()
    parser.feed((built / "site" / "essay" / "index.html").read_text(encoding="utf-8"))
    return parser


def test_every_link_and_every_figure_source_is_printed_with_its_full_address(pages, web):
    squeezed = re.sub(r"\s+", "", "".join(pages))
    assert web.source_links, "no figure source links found on the web page"
    for url in sorted(web.prose_links | web.source_links):
        assert url in squeezed, f"{url} is not printed in full"


# --- figures, fonts, margins ------------------------------------------------------------------


def _xobjects(resources, seen=None):
    seen = set() if seen is None else seen
    for obj in (resources or {}).get("/XObject", {}).values():
        obj = obj.get_object()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        yield obj
        yield from _xobjects(obj.get("/Resources"), seen)


def test_figures_are_vectors_with_the_alt_text_of_the_web_page(pdf, web):
    for number, page in enumerate(pdf.pages, 1):
        assert not page.images, f"page {number} holds a raster image"
        for xobject in _xobjects(page.get("/Resources")):
            assert xobject.get("/Subtype") != "/Image", f"page {number} holds a raster image"
    tagged = []

    def walk(element):
        element = element.get_object()
        if not hasattr(element, "get"):
            return
        if element.get("/S") == "/Figure":
            tagged.append(plain(str(element.get("/Alt", ""))))
        kids = element.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            if hasattr(kid, "get_object"):
                walk(kid)

    walk(pdf.trailer["/Root"]["/StructTreeRoot"])
    from pipeline.essay.render import figure_order
    from pipeline.figures import registry

    charts = [f for f in figure_order() if registry.spec(f).is_chart]  # a table figure is text, not a Figure
    assert len(web.alts) == len(charts)
    assert tagged == web.alts  # one Figure per chart, in order, with the same alt text as the site


def test_a_chart_that_would_print_too_small_stops_the_pdf(built_copy, tmp_path):
    """The PDF measures how wide each chart is printed (a tall chart, or one with many notes, is
    printed narrower than the column) and refuses one whose smallest text would fall below the
    floor; here the floor is raised above every chart's text."""
    script = ("import sys; from pipeline.print import pdf; pdf.CHART_TEXT_FLOOR_PT = 20; "
              "from pipeline import pdf as command; sys.exit(command.main(sys.argv[1:]))")
    out = tmp_path / "small-text.pdf"
    result = run(["-c", script, "--out", str(out)], cwd=built_copy, check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    assert re.search(r"^\w+: its smallest text would print at \d+\.\d pt, below 20 pt", result.stderr, re.M), result.stderr
    assert not out.exists()
    said = run(["-m", "pipeline.pdf", "--out", str(out)], cwd=built_copy).stdout
    smallest = float(re.search(r"smallest chart text (\d+\.\d) pt", said).group(1))
    assert smallest >= 6.0, said


def test_every_font_is_embedded(pdf):
    fonts = {}
    for page in pdf.pages:
        for xobject in [page, *_xobjects(page.get("/Resources"))]:
            resources = (xobject.get("/Resources") or {})
            for name, font in resources.get("/Font", {}).items():
                fonts[name] = font.get_object()
    assert fonts
    for name, font in fonts.items():
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        descriptor = descendant["/FontDescriptor"].get_object()
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), f"{font.get('/BaseFont')} is not embedded"


def test_nothing_runs_into_the_side_margins(built):
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext (Debian poppler-utils) is needed; `make test` installs it"
    bbox = subprocess.run([pdftotext, "-bbox", str(built / PDF), "-"], capture_output=True, text=True, check=True).stdout
    outside = []
    for number, (width, body) in enumerate(re.findall(r'<page width="([\d.]+)"[^>]*>(.*?)</page>', bbox, re.S), 1):
        for x_min, x_max, word in re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</word>', body):
            if float(x_min) < SIDE_MARGIN - 1 or float(x_max) > float(width) - SIDE_MARGIN + 1:
                outside.append(f"page {number}: {html.unescape(word)!r} at {float(x_min):.0f}-{float(x_max):.0f} pt")
    assert not outside, "\n".join(outside[:20])


# --- metadata and reproducibility -------------------------------------------------------------


def test_metadata_language_and_tags_are_set(pdf):
    info = pdf.metadata
    assert info.title == "The Future of Open Models"
    assert info.author and info.subject and "open-weight" in (info.get("/Keywords") or "")
    assert info.get("/CreationDate") == "D:20251130000000Z"  # SOURCE_DATE_EPOCH, never the clock
    root = pdf.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert re.search(r'pdfuaid:part(="|>)1', xmp) and "The Future of Open Models" in xmp


def test_the_cover_names_title_credit_date_data_version_and_web_edition(pages):
    cover = plain(pages[0])
    for expected in ["The Future of Open Models", "The Future of Open Models project", "Jasper Platz",
                     "November 2025", "Data version", SITE_URL]:
        assert expected in cover, expected
    assert re.search(r"Data version \d{4}-\d{2}-\d{2}", cover)


def test_two_full_builds_give_the_same_pdf_and_html(built, rebuilt):
    for rel in ["the-future-of-open-models.pdf", "essay/index.html", "index.html", "sitemap.xml"]:
        assert (rebuilt.root / "site" / rel).read_bytes() == (built / "site" / rel).read_bytes(), rel


# --- paper conventions, on a small essay written for the test -----------------------------------

SMALL_ESSAY = """---
title: Test
---
# Test

Opening, before any section: {{{{ figref("{second}") }}}} comes later.[^early]

[^early]: A note with a [source](https://example.org/a-source) and a second paragraph.

    The second paragraph.

## First section

See [the last section](#last-section), the [Sources page](sources.md) and
[an outside page](https://example.org/outside).[^early]

{{{{ figure("{first}") }}}}

| Situation | Leans |
| --- | --- |
| Trying out | Closed |

## Last section

{{{{ figure("{second}") }}}}

Back to {{{{ figref("{first}") }}}}.
"""


def test_notes_links_and_cross_references_on_paper(built, tmp_path):
    """A small essay with every construct: figure references before and after their figures, a link
    to a section, a Markdown footnote cited twice, links outside and to the site's other pages."""
    project = Path(shutil.copytree(built, tmp_path / "small", ignore=copy_ignoring(built, names=LOCAL + ("site",))))
    essay = project / "docs" / "essay.md"
    first, second = re.findall(r"\{\{\s*figure\(\s*[\"'](\w+)", essay.read_text(encoding="utf-8"))[:2]
    essay.write_text(SMALL_ESSAY.format(first=first, second=second), encoding="utf-8")
    out = project / "small.pdf"
    run(["-m", "pipeline.pdf", "--out", str(out)], cwd=project)
    reader = PdfReader(out)
    pages = [plain(unhyphenated(p.extract_text())) for p in reader.pages]
    everything = " ".join(pages)
    bookmarks = {title: page for _, title, page in outline(reader)}

    # Figure references, forward and back, name the page their figure is on.
    for number in (1, 2):
        figure_page = next(i for i, p in enumerate(pages, 1) if f"Figure {number}." in p)
        refs = {int(p) for p in re.findall(rf"Figure {number} on page (\d+)", everything)}
        assert refs == {figure_page}, (number, refs, figure_page)
    # A link to a section names the page the section starts on.
    assert re.findall(r"the last section \(page (\d+)\)", everything) == [str(bookmarks["Last section"])]
    # Notes at the end: the Markdown footnote once (though cited twice) with its link's address, and
    # the full address of every link, the site's own pages as addresses of the web edition.
    notes = " ".join(pages[bookmarks["Notes"] - 1:])
    assert notes.count("A note with a source (https://example.org/a-source)") == 1
    assert "The second paragraph." in notes
    assert f"{SITE_URL}sources/" in notes.replace(" ", "")
    assert "https://example.org/outside" in notes
    assert "#fn" not in everything and "↩" not in everything


def test_us_letter_on_request(built_copy, pdf, tmp_path):
    out = tmp_path / "letter.pdf"
    run(["-m", "pipeline.pdf", "--letter", "--out", str(out)], cwd=built_copy)
    letter = PdfReader(out)
    box = letter.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    assert abs(len(letter.pages) - len(pdf.pages)) <= 3
