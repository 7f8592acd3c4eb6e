"""Link previews and the Atom feed, written into a built site after the generator (MkDocs or
Zensical alike; `mkdocs serve` calls `finish_site` from its post-build hook).

- Link-preview tags in every page's <head> (Open Graph and Twitter): title, description,
  canonical URL, and an image, the 1200x630 PNG that the figure build draws for a figure that
  declares SOCIAL_CARD (the first such figure the page shows, else the site's headline figure),
  with its size and alt text; the feed's <link>.
- `feed.xml`, an Atom feed of the posts: the pages whose front matter has a `date:` (a date, a
  datetime, or Material's blog form `date: {created: ..., updated: ...}`; `updated:` is read too).
  `feed_entries()` makes the list of entries in one place, so other kinds of posts join it there.
  The feed's `updated` is its newest entry's date, never the build time, so the same inputs give
  the same bytes. Written with the standard library: mkdocs-rss-plugin would read dates from git
  history (absent in CI's copies and the tests' build copies), and Zensical's RSS stamps the build time.

Pages are read from their Markdown source (front matter, the figures they show), never from the
built HTML; the HTML only receives the tags.
"""
from __future__ import annotations

import datetime as dt
import struct
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

import jinja2

from pipeline.files import mkdocs_config
from pipeline.paths import DOCS, ROOT

FEED = "feed.xml"
ATOM = "http://www.w3.org/2005/Atom"
TOUCH_ICON = "assets/apple-touch-icon.png"


class PreviewError(Exception):
    pass


# --- the site's settings, as both generators read them from mkdocs.yml ----------------------------


@dataclass
class SiteConfig:
    site_name: str
    site_url: str
    site_description: str = ""
    site_author: str = ""
    language: str = "en"
    nav_titles: dict[str, str] = field(default_factory=dict)   # "essay.md" -> "The essay"
    docs_dir: Path = DOCS


def site_config(mkdocs_yml: Path = ROOT / "mkdocs.yml") -> SiteConfig:
    config = mkdocs_config(mkdocs_yml)
    if not config.get("site_url"):
        raise PreviewError("mkdocs.yml: site_url is needed for canonical URLs, link previews and the feed")
    titles = {}

    def walk(items):
        for item in items or []:
            if isinstance(item, dict):
                for title, target in item.items():
                    if isinstance(target, str):
                        titles[target] = title
                    else:
                        walk(target)

    walk(config.get("nav"))
    return SiteConfig(site_name=config.get("site_name", ""), site_url=config["site_url"],
                      site_description=config.get("site_description") or "", site_author=config.get("site_author") or "",
                      language=(config.get("theme") or {}).get("language") or "en", nav_titles=titles,
                      docs_dir=mkdocs_yml.parent / config.get("docs_dir", "docs"))


# --- dates ------------------------------------------------------------------------------------


def _as_datetime(value) -> dt.datetime | None:
    """A front-matter date (date, datetime or ISO string) as an aware datetime (UTC if naive)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime(value.year, value.month, value.day)
    else:
        try:
            moment = dt.datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise PreviewError(f"front matter: {value!r} is not a date (use YYYY-MM-DD)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def post_dates(meta: dict) -> tuple[dt.datetime | None, dt.datetime | None]:
    """(published, updated) of a page; (None, None) for a page that is not a post."""
    date = meta.get("date")
    updated = meta.get("updated")
    if isinstance(date, dict):  # Material's blog plugin writes date: {created: ..., updated: ...}
        updated = updated or date.get("updated")
        date = date.get("created")
    published = _as_datetime(date)
    if published is None:
        return None, None
    return published, max(published, _as_datetime(updated) or published)


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


# --- pages and images -------------------------------------------------------------------------


@dataclass
class Page:
    source: Path          # the Markdown file
    url: str              # relative to the site root: "" for the home page, "essay/" ...
    meta: dict
    title: str
    figures: list[str]    # the figures it shows, in order

    @property
    def output(self) -> str:
        return f"{self.url}index.html"


def pages(config: SiteConfig) -> list[Page]:
    """Every Markdown page, with the URL both generators give it (directory URLs)."""
    import re

    from pipeline.essay import posts
    from pipeline.essay.render import figure_order, split_front_matter

    # The blog's posts live where the blog plugin puts them (its post_url_format), not at their path.
    post_urls = {post.source.resolve(): post.path for post in posts.listed()}
    found = []
    for md in sorted(config.docs_dir.rglob("*.md")):
        rel = md.relative_to(config.docs_dir).as_posix()
        stem = rel[:-3]
        url = "" if stem == "index" else stem[:-len("index")] if stem.endswith("/index") else stem + "/"
        url = post_urls.get(md.resolve(), url)
        meta, body = split_front_matter(md.read_text(encoding="utf-8"))
        heading = re.search(r"(?m)^#\s+(.+?)\s*$", body)
        title = meta.get("title") or config.nav_titles.get(rel) or (heading.group(1) if heading else stem)
        found.append(Page(md, url, meta, str(title), figure_order(md)))
    return found


def png_size(path: Path) -> tuple[int, int]:
    with path.open("rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        raise PreviewError(f"{path}: not a PNG file")
    return struct.unpack(">II", head[16:24])


def social_cards(config: SiteConfig) -> dict[str, dict]:
    """figure id -> its link-preview PNG (path under docs/, size, alt), for figures that declare one."""
    from pipeline.essay.render import figure_info, numbers
    from pipeline.figures import registry

    cards = {}
    all_numbers = None
    for figure_id in registry.chart_ids():
        path = registry.social_card_path(figure_id)
        if path is None:
            continue
        if not path.exists():
            raise PreviewError(f"{path.relative_to(ROOT)} is missing: the figure build draws it (make charts)")
        all_numbers = numbers() if all_numbers is None else all_numbers
        width, height = png_size(path)
        cards[figure_id] = {"path": path.relative_to(config.docs_dir).as_posix(), "width": width, "height": height,
                            "alt": figure_info(figure_id, 1, all_numbers).alt}
    return cards


def _image(config: SiteConfig, cards: dict, figure_id: str | None) -> dict | None:
    if figure_id is None:
        if not cards:
            return None
        figure_id = next(iter(cards))  # the headline figure: the first that declares a card
    card = cards[figure_id]
    return {"url": config.site_url + card["path"], "width": card["width"], "height": card["height"],
            "alt": card["alt"], "type": "image/png"}


def site_sharing(config: SiteConfig, cards: dict) -> dict:
    """What pages that are not Markdown pages (the 404 page) share: the site itself."""
    return {
        "site_name": config.site_name,
        "title": config.site_name,
        "description": config.site_description,
        "url": config.site_url,
        "type": "website",
        "image": _image(config, cards, None),
        "published": None,
        "updated": None,
        "feed": FEED,
        "feed_title": f"{config.site_name} (Atom feed)",
        "locale": config.language.replace("-", "_"),
    }


def page_sharing(page: Page, config: SiteConfig, cards: dict) -> dict:
    with_card = [f for f in page.figures if f in cards]
    published, updated = post_dates(page.meta)
    return {
        **site_sharing(config, cards),
        "title": config.site_name if page.url == "" else page.title,
        "description": str(page.meta.get("description") or config.site_description),
        "url": config.site_url + page.url,
        "type": "article" if published else "website",
        "image": _image(config, cards, with_card[0] if with_card else None),
        "published": _iso(published) if published else None,
        "updated": _iso(updated) if updated else None,
        "author": page.meta.get("author") or config.site_author,
    }


_TAGS = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined).from_string("""
    <meta property="og:site_name" content="{{ s.site_name }}">
    <meta property="og:type" content="{{ s.type }}">
    <meta property="og:title" content="{{ s.title }}">
    <meta property="og:description" content="{{ s.description }}">
    <meta property="og:url" content="{{ s.url }}">
    <meta property="og:locale" content="{{ s.locale }}">
    {%- if s.image %}
    <meta property="og:image" content="{{ s.image.url }}">
    <meta property="og:image:type" content="{{ s.image.type }}">
    <meta property="og:image:width" content="{{ s.image.width }}">
    <meta property="og:image:height" content="{{ s.image.height }}">
    <meta property="og:image:alt" content="{{ s.image.alt }}">
    {%- endif %}
    {%- if s.published %}
    <meta property="article:published_time" content="{{ s.published }}">
    <meta property="article:modified_time" content="{{ s.updated }}">
    {%- endif %}
    <meta name="twitter:card" content="{{ 'summary_large_image' if s.image else 'summary' }}">
    <meta name="twitter:title" content="{{ s.title }}">
    <meta name="twitter:description" content="{{ s.description }}">
    {%- if s.image %}
    <meta name="twitter:image" content="{{ s.image.url }}">
    <meta name="twitter:image:alt" content="{{ s.image.alt }}">
    {%- endif %}
    <link rel="alternate" type="application/atom+xml" title="{{ s.feed_title }}" href="{{ feed_href }}">
""")


def _inject(html_path: Path, sharing: dict, feed_href: str) -> None:
    html = html_path.read_text(encoding="utf-8")
    if 'property="og:url"' in html:  # already done (a page the generator did not rewrite)
        return
    tags = _TAGS.render(s=sharing, feed_href=feed_href)
    html_path.write_text(html.replace("</head>", tags + "</head>", 1), encoding="utf-8")


# --- the feed ------------------------------------------------------------------------------------


def feed_entries(config: SiteConfig, all_pages: list[Page], cards: dict) -> list[dict]:
    """The feed's entries, newest first: every page with a date in its front matter."""
    entries = [page_sharing(p, config, cards) for p in all_pages]
    entries = [e for e in entries if e["published"]]
    return sorted(entries, key=lambda e: (e["published"], e["url"]), reverse=True)


def atom_feed(config: SiteConfig, entries: list[dict]) -> bytes:
    ET.register_namespace("", ATOM)

    def add(parent, tag, text=None, **attrs):
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k.rstrip("_"): v for k, v in attrs.items()})
        if text is not None:
            element.text = text
        return element

    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": config.language})
    add(feed, "title", config.site_name)
    if config.site_description:
        add(feed, "subtitle", config.site_description)
    add(feed, "link", rel="self", type="application/atom+xml", href=config.site_url + FEED)
    add(feed, "link", rel="alternate", type="text/html", href=config.site_url)
    add(feed, "id", config.site_url)
    newest = max((e["updated"] for e in entries), default=None)
    add(feed, "updated", newest or _iso(_epoch()))
    add(add(feed, "author"), "name", config.site_author or config.site_name)
    if (config.docs_dir / TOUCH_ICON).exists():
        add(feed, "icon", config.site_url + TOUCH_ICON)
    if entries and entries[0]["image"]:
        add(feed, "logo", entries[0]["image"]["url"])
    for entry in entries:
        item = add(feed, "entry")
        add(item, "title", entry["title"])
        add(item, "link", rel="alternate", type="text/html", href=entry["url"])
        add(item, "id", entry["url"])
        add(item, "published", entry["published"])
        add(item, "updated", entry["updated"])
        if entry.get("author"):
            add(add(item, "author"), "name", str(entry["author"]))
        add(item, "summary", entry["description"])
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def _epoch() -> dt.datetime:
    """For a feed with no posts: the build's one clock (SOURCE_DATE_EPOCH or the last commit)."""
    from pipeline.data.provenance import build_time

    return build_time() or dt.datetime.fromtimestamp(0, dt.timezone.utc)


# --- after the generator ---------------------------------------------------------------------------


def finish_site(site_dir: Path, config: SiteConfig | None = None) -> list[str]:
    """Write link-preview tags into every built page and the 404 page, and feed.xml. Returns the
    feed's entry URLs."""
    config = config or site_config()
    cards = social_cards(config)
    all_pages = pages(config)
    for page in all_pages:
        target = site_dir / page.output
        if not target.exists():
            raise PreviewError(f"{page.source.relative_to(ROOT)}: the generator wrote no {page.output}")
        _inject(target, page_sharing(page, config, cards), "../" * page.url.count("/") + FEED)
    not_found = site_dir / "404.html"
    if not_found.exists():  # served at any depth: its links carry site_url's path
        _inject(not_found, site_sharing(config, cards), urlsplit(config.site_url).path + FEED)
    entries = feed_entries(config, all_pages, cards)
    (site_dir / FEED).write_bytes(atom_feed(config, entries))
    for card in cards.values():
        if not (site_dir / card["path"]).exists():
            raise PreviewError(f"{card['path']} is not in the built site; link previews would show nothing")
    return [e["url"] for e in entries]
