"""The web edition: builds in strict mode, templating leaves no braces, figures carry their parts."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from pipeline.figures import registry as figures

from conftest import ROOT, check_numbers_in_context


def pages(built):
    return sorted((built / "site").rglob("*.html"))


def test_site_has_the_essay_and_the_pdf(built):
    assert (built / "site" / "index.html").exists()
    assert (built / "site" / "essay" / "index.html").exists()
    assert (built / "site" / "the-future-of-open-models.pdf").stat().st_size > 10_000


def test_no_template_syntax_reaches_the_html(built):
    check_no_template_syntax(built / "site")


class FigureParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.figures, self._current = {}, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "figure" and "chart" in attrs.get("class", ""):
            self._current = self.figures.setdefault(attrs["id"], {"imgs": [], "sources": [], "links": [], "text": "",
                                                                  "rows": 0})
        elif self._current is not None and tag == "img":
            self._current["imgs"].append(attrs)
        elif self._current is not None and tag == "source":
            self._current["sources"].append(attrs)
        elif self._current is not None and tag == "a":
            self._current["links"].append(attrs.get("href", ""))
        elif self._current is not None and tag == "tr":
            self._current["rows"] += 1

    def handle_endtag(self, tag):
        if tag == "figure":
            self._current = None

    def handle_data(self, data):
        if self._current is not None:
            self._current["text"] += data


# Figures drawn and tested but not yet placed in the essay, each with who places it. Remove an id
# once the essay shows the figure (then the tests below hold it to the full contract again).
AWAITING_PLACEMENT: dict[str, str] = {}  # figure id -> why the essay does not show it yet


def resolves(site: Path, page_url: str, link: str) -> bool:
    """Whether a relative link on the page at page_url ('essay/') reaches a file of the site, as a
    server would serve it (a folder by its index.html). Links are resolved against the page's URL
    under site_url's path, so a '../' too many is caught even though a browser would clamp it."""
    from posixpath import normpath

    target = normpath("/ROOT/" + page_url + link.split("#")[0])
    if not target.startswith("/ROOT"):
        return False
    path = site / target.removeprefix("/ROOT").lstrip("/")
    return (path / "index.html").is_file() if path.is_dir() else path.is_file()


def check_figures(site: Path) -> None:
    """Every registered figure is on the essay page with its parts; a chart with both images and alt
    text, a table figure with its table; every relative link resolves to a file of the site."""
    parser = FigureParser()
    parser.feed((site / "essay" / "index.html").read_text())
    assert set(parser.figures) | set(AWAITING_PLACEMENT) == set(figures.figure_ids())
    for figure_id, fig in parser.figures.items():
        assert re.search(r"Sources?:", fig["text"]), figure_id
        assert any(link.endswith(".csv") for link in fig["links"]), figure_id
        for link in fig["links"] + [img["src"] for img in fig["imgs"]] + [src["srcset"] for src in fig["sources"]]:
            if not re.match(r"(https?:)?//", link):
                assert resolves(site, "essay/", link), f"{figure_id}: {link} is not in the site"
        if not figures.spec(figure_id).is_chart:
            assert fig["rows"] >= 2 and not fig["imgs"], figure_id
            continue
        srcs = [img["src"] for img in fig["imgs"]]
        assert any(s.endswith(f"{figure_id}.light.svg#only-light") for s in srcs), srcs
        assert any(s.endswith(f"{figure_id}.dark.svg#only-dark") for s in srcs), srcs
        # A phone loads the narrow layout instead: a <source> per colour, by media query, never on paper.
        narrow = {src["srcset"].rsplit("/", 1)[-1]: src for src in fig["sources"]}
        assert set(narrow) == {f"{figure_id}.narrow.light.svg", f"{figure_id}.narrow.dark.svg"}, narrow
        assert all(src["media"] == figures.LAYOUTS["narrow"].media and src["media"].startswith("screen and")
                   and src.get("width") and src.get("height") for src in narrow.values()), narrow
        for img in fig["imgs"]:
            assert len(img.get("alt", "")) > 40, f"{figure_id}: alt text too short: {img.get('alt')!r}"


def test_every_figure_has_its_images_or_table_alt_text_source_and_data_link(built):
    check_figures(built / "site")


def page_text(html_path: Path) -> str:
    """A page's text as a reader sees it: tags out, entities decoded, whitespace collapsed."""
    import html as htmlmod

    return re.sub(r"\s+", " ", htmlmod.unescape(re.sub(r"<[^>]+>", "", html_path.read_text())))


def check_no_template_syntax(site: Path) -> None:
    for page in sorted(site.rglob("*.html")):
        text = page.read_text()
        assert "{{" not in text and "{%" not in text, page


def test_numbers_in_the_essay_come_from_the_data(built, numbers):
    """Each number the essay cites appears on the page, whole and where the prose puts it."""
    check_numbers_in_context(page_text(built / "site" / "essay" / "index.html"),
                             (built / "docs" / "essay.md").read_text(), numbers)


class LoadedResources(HTMLParser):
    """URLs a browser would fetch while loading the page (not links the reader may follow)."""

    LOADING_RELS = {"stylesheet", "preconnect", "preload", "modulepreload", "icon", "dns-prefetch", "manifest"}

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "img", "iframe", "source", "video", "audio") and attrs.get("src"):
            self.urls.append(attrs["src"])
        if tag == "link" and self.LOADING_RELS & set((attrs.get("rel") or "").split()):
            self.urls.append(attrs.get("href", ""))


def test_pages_and_stylesheets_load_nothing_from_another_host(built):
    for page in pages(built):
        parser = LoadedResources()
        parser.feed(page.read_text())
        external = [u for u in parser.urls if re.match(r"(https?:)?//", u)]
        assert not external, f"{page.relative_to(built)} loads {external}"
    for css in (built / "site").rglob("*.css"):
        assert not re.search(r"(@import|url\()\s*['\"]?(https?:)?//", css.read_text()), css


def test_data_page_lists_every_dataset_with_downloads_that_exist(built):
    from pipeline.data import datasets

    html = (built / "site" / "data" / "index.html").read_text()
    hrefs = set(re.findall(r'href="([^"#]+)"', html))
    for dataset_id in datasets.dataset_ids():
        assert f'id="{dataset_id}"' in html, dataset_id
        for name in (f"{dataset_id}.csv", f"{dataset_id}.resource.yaml"):
            links = [h for h in hrefs if h.endswith("/" + name) or h == name]
            assert links, f"the Data page does not link {name}"
            assert all((built / "site" / "data" / h).resolve().is_file() for h in links), links
        assert f"version {datasets.descriptor(dataset_id)['version']}" in html


def test_sources_page_lists_every_source_and_every_figure_links_to_its_entry(built):
    from pipeline.data import datasets

    html = (built / "site" / "sources" / "index.html").read_text()
    for dataset_id in datasets.dataset_ids():
        for source_id in datasets.sources(dataset_id):
            assert f'id="src-{source_id}"' in html, source_id
    essay = (built / "site" / "essay" / "index.html").read_text()
    for figure_id in figures.figure_ids():
        assert f'id="{figure_id}"' in html, figure_id
        assert f'href="../sources/#{figure_id}"' in essay or figure_id in AWAITING_PLACEMENT, figure_id


def test_a_source_id_means_the_same_source_in_every_dataset():
    from pipeline.data import datasets

    seen = {}
    for dataset_id in datasets.dataset_ids():
        for source_id, meta in datasets.sources(dataset_id).items():
            if source_id in seen:
                assert meta == seen[source_id][1], f"{source_id} differs between {seen[source_id][0]} and {dataset_id}"
            seen[source_id] = (dataset_id, meta)


def test_changelog_page_and_footer_show_the_data_version(built):
    from pipeline.data.provenance import data_version

    version = data_version()
    assert version != "unversioned"
    assert f"Data version <strong>{version}</strong>" in (built / "site" / "changelog" / "index.html").read_text()
    for page in pages(built):
        if page.name == "index.html" and "404" not in page.parts:
            assert f"Data version {version}" in page.read_text(), page


def test_every_quotation_is_marked_and_links_to_where_we_read_it(built):
    import csv

    from pipeline.data import datasets

    html = (built / "site" / "essay" / "index.html").read_text()
    essay = (built / "docs" / "essay.md").read_text()
    with datasets.csv_path("quotations").open(encoding="utf-8") as f:
        rows = {r["id"]: r for r in csv.DictReader(f)}
    cited = re.findall(r"""quote\(\s*["']([\w-]+)["']\s*\)""", essay)
    assert cited, "the essay quotes no one through data/quotations.csv"
    for quote_id in cited:
        url = datasets.sources("quotations")[rows[quote_id]["source"]]["path"]
        assert re.search(rf'<q class="quote" id="quote-{quote_id}" cite="{re.escape(url)}">[^<]+</q>'
                         rf'<sup class="quote-source"><a href="{re.escape(url)}"', html), quote_id
    # No quotation typed into the prose around the data: straight or curly quotes spanning 8+ words.
    prose = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", " ", essay, flags=re.S)
    long_quotes = [q for q in re.findall(r'"([^"\n]+)"|“([^”]+)”', prose) if len(" ".join(q).split()) >= 8]
    assert not long_quotes, f"quotations typed into the essay instead of data/quotations.csv: {long_quotes}"


def check_sitemap(site: Path, site_url: str) -> None:
    """The sitemap lists every page of the site (the 404 page aside), at its canonical address."""
    import xml.etree.ElementTree as ET

    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    listed = {loc.text for loc in ET.parse(site / "sitemap.xml").getroot().findall("s:url/s:loc", ns)}
    pages_ = {html.relative_to(site).as_posix().removesuffix("index.html") for html in site.rglob("*.html")}
    pages_.discard("404.html")
    assert "" in pages_ and "essay/" in pages_, pages_
    assert {site_url + p for p in pages_} <= listed, sorted({site_url + p for p in pages_} - listed)


def test_sitemap_lists_every_page(built):
    from pipeline.site.previews import site_config

    check_sitemap(built / "site", site_config(built / "mkdocs.yml").site_url)


def test_every_page_has_link_preview_metadata_and_a_canonical_url(built):
    """What a link preview or a feed reader reads from a page's <head> (no browser needed)."""
    from urllib.parse import urljoin

    import tinyhtml5

    from pipeline.site.previews import site_config

    site, site_url = built / "site", site_config(built / "mkdocs.yml").site_url
    images = set()
    for html in pages(built):
        path = html.relative_to(site).as_posix().removesuffix("index.html")
        if path == "404.html":
            continue
        head = tinyhtml5.parse(html.read_text(encoding="utf-8"), namespace_html_elements=False).find("head")
        tags = {m.get("property") or m.get("name"): m.get("content") for m in head.iter("meta")
                if m.get("property") or m.get("name")}
        links = {(link.get("rel"), link.get("type")): link.get("href") for link in head.iter("link")}
        canonical = links.get(("canonical", None))
        assert canonical == site_url + path, f"{path or 'home'}: canonical {canonical}"
        assert tags.get("og:url") == canonical
        for key in ("og:title", "og:description", "og:image", "og:image:alt", "twitter:title",
                    "twitter:description", "twitter:image", "description"):
            assert (tags.get(key) or "").strip(), f"{path or 'home'}: no {key}"
        assert tags["twitter:card"] == "summary_large_image"
        assert tags["og:image"] == tags["twitter:image"]
        assert (tags["og:image:width"], tags["og:image:height"]) == ("1200", "630")
        images.add(tags["og:image"])
        feed = links.get(("alternate", "application/atom+xml"))
        assert feed and urljoin(site_url + path, feed) == site_url + "feed.xml", f"{path or 'home'}: feed {feed}"
        icon = next((href for (rel, _), href in links.items() if rel == "icon"), None)
        assert icon and not icon.endswith("assets/images/favicon.png"), "Material's stock favicon"
    # The preview images are the pipeline's PNGs, whole, at the size previews expect.
    from PIL import Image

    for image in images:
        assert image.startswith(site_url), image
        with Image.open(site / image[len(site_url):]) as png:
            png.load()  # decodes every pixel: a truncated file fails here
            assert (png.format, png.size) == ("PNG", (1200, 630)), image


def test_the_mkdocs_command_builds_the_site_in_strict_mode(built_copy):
    """`mkdocs build` / `mkdocs serve` (the analyst's preview) work on their own, not only through
    python -m pipeline.build: the hooks draw the figure whose data changed and the one whose file
    is missing, and the macros import the pipeline."""
    import os
    import subprocess
    import sys

    csv = built_copy / "data" / "chatgpt_weekly_users.csv"
    assert "2025-10-06,day,800" in csv.read_text()
    csv.write_text(csv.read_text().replace("2025-10-06,day,800", "2025-10-06,day,810"))
    missing = built_copy / "docs" / "figures" / "open_lag.narrow.dark.svg"
    missing.unlink()
    mkdocs = os.path.join(os.path.dirname(sys.executable), "mkdocs")
    result = subprocess.run([mkdocs, "build", "--strict", "-d", str(built_copy / "out")], cwd=built_copy,
                            capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stderr[-3000:]
    assert "2 figure(s) drawn" in result.stderr and missing.exists(), result.stderr[-3000:]
    assert (built_copy / "out" / "figures" / missing.name).exists()
    assert "to 810 million" in (built_copy / "out" / "essay" / "index.html").read_text(encoding="utf-8")


def test_the_site_address_is_written_once():
    from pipeline import edition
    from pipeline.files import mkdocs_config

    assert mkdocs_config(ROOT / "mkdocs.yml")["site_url"] == edition.SITE_URL


def test_mkdocs_yml_is_read_one_way_whatever_tags_it_holds(tmp_path):
    """The print edition, the Zensical overlay and the link previews read mkdocs.yml through one
    tolerant loader: a tag MkDocs resolves itself (!ENV, !!python/name:) does not stop them."""
    from pipeline.files import mkdocs_config

    yml = tmp_path / "mkdocs.yml"
    yml.write_text("site_url: https://example.org/x/\nplugins:\n  - macros:\n      on_error_fail: !ENV [MACROS_FAIL, false]\n"
                   "markdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n")
    config = mkdocs_config(yml)
    assert config["site_url"] == "https://example.org/x/"
    assert config["plugins"] == [{"macros": {"on_error_fail": None}}]
    assert config["markdown_extensions"] == [{"pymdownx.emoji": {"emoji_index": None}}]
    for module in ("pipeline/print/pdf.py", "pipeline/site/publish.py", "pipeline/site/previews.py"):
        assert "safe_load((ROOT / \"mkdocs.yml\")" not in (ROOT / module).read_text()
