"""MkDocs hook: what a page needs to be shared and followed, built offline.

- `sharing` in every page's template context (overrides/main.html turns it into Open Graph and
  Twitter meta tags): title, description, canonical URL, and an image, the 1200x630 PNG that the
  pipeline draws for a figure that declares SOCIAL_CARD (the first such figure on the page, else
  the site's headline figure), with its size and alt text.
- `feed.xml`, an Atom feed of the posts: the pages whose front matter has a `date:` (a date, a
  datetime, or Material's blog form `date: {created: ..., updated: ...}`; `updated:` is read too).
  The feed's `updated` is its newest entry's date, never the build time, so the same inputs give
  the same bytes. Written with the standard library: mkdocs-rss-plugin would read dates from git
  history (absent in CI's copies and the tests' build copies) and brings its own dependencies.

The sitemap and the 404 page come from MkDocs and Material (overrides/404.html words the 404 page).
"""
from __future__ import annotations

import datetime as dt
import logging
import struct
import sys
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree as ET

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from mkdocs.exceptions import PluginError  # noqa: E402

log = logging.getLogger("mkdocs.hooks.sharing")

FEED = "feed.xml"
ATOM = "http://www.w3.org/2005/Atom"
TOUCH_ICON = "assets/apple-touch-icon.png"

_state: dict = {"posts": {}, "cards": None}


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
            raise PluginError(f"front matter: {value!r} is not a date (use YYYY-MM-DD)") from None
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


# --- images -----------------------------------------------------------------------------------


def png_size(path: Path) -> tuple[int, int]:
    with path.open("rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        raise PluginError(f"{path}: not a PNG file")
    return struct.unpack(">II", head[16:24])


def social_cards(config) -> dict[str, dict]:
    """figure id -> its link-preview PNG (path under docs/, size), for figures that declare one."""
    from pipeline import figures

    docs = Path(config.docs_dir)
    cards = {}
    for figure_id in figures.figure_ids():
        path = figures.social_card_path(figure_id)
        if path is None:
            continue
        if not path.exists():
            raise PluginError(f"{path.relative_to(ROOT)} is missing: the figure build draws it (make charts)")
        width, height = png_size(path)
        cards[figure_id] = {"path": path.relative_to(docs).as_posix(), "width": width, "height": height}
    return cards


def _card_alt(figure_id: str) -> str:
    """The figure's alt text with its numbers filled in, as the page shows it."""
    try:
        from pipeline import prose

        return prose.figure_info(figure_id, 1, prose.numbers()).alt
    except Exception:  # noqa: BLE001 - the figure's title is a fair description too
        from pipeline import figures

        return getattr(figures.module(figure_id), "TITLE", figure_id).split("{")[0].strip()


class _FigureFinder(HTMLParser):
    """Ids and alt texts of the figures a page shows, in order."""

    def __init__(self):
        super().__init__()
        self.found: dict[str, str] = {}
        self._current = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "figure" and "chart" in (attrs.get("class") or "").split() and attrs.get("id"):
            self._current = attrs["id"]
            self.found.setdefault(self._current, "")
        elif tag == "img" and self._current and not self.found[self._current]:
            self.found[self._current] = attrs.get("alt") or ""

    def handle_endtag(self, tag):
        if tag == "figure":
            self._current = None


# --- hooks ------------------------------------------------------------------------------------


def on_config(config, **_):
    if not config.site_url:
        raise PluginError("mkdocs.yml: site_url is needed for canonical URLs, link previews and the feed")
    _state["cards"] = None
    return config


def on_pre_build(config, **_):
    _state["posts"] = {}
    _state["cards"] = social_cards(config)
    _state["shown"] = {}


def on_page_content(html, page, config, files, **_):
    finder = _FigureFinder()
    finder.feed(html)
    _state["shown"][page.url] = finder.found
    return html


def _image(config, figure_id: str | None, alt: str | None) -> dict | None:
    cards = _state["cards"] or {}
    if figure_id is None:
        if not cards:
            return None
        figure_id = next(iter(cards))  # the headline figure: the first that declares a card
    card = cards[figure_id]
    return {"url": config.site_url + card["path"], "width": card["width"], "height": card["height"],
            "alt": alt or _card_alt(figure_id), "type": "image/png"}


def site_sharing(config) -> dict:
    """What pages that are not Markdown pages (the 404 page) share: the site itself."""
    return {
        "site_name": config.site_name,
        "title": config.site_name,
        "description": config.site_description or "",
        "url": config.site_url,
        "type": "website",
        "image": _image(config, None, None),
        "published": None,
        "updated": None,
        "feed": FEED,
        "feed_title": f"{config.site_name} (Atom feed)",
    }


def page_sharing(page, config) -> dict:
    meta = page.meta or {}
    shown = _state.get("shown", {}).get(page.url, {})
    with_card = [f for f in shown if f in (_state["cards"] or {})]
    image = _image(config, with_card[0], shown[with_card[0]]) if with_card else _image(config, None, None)
    published, updated = post_dates(meta)
    title = meta.get("title") or page.title or config.site_name
    return {
        **site_sharing(config),
        "title": config.site_name if page.is_homepage else str(title),
        "description": str(meta.get("description") or config.site_description or ""),
        "url": page.canonical_url or config.site_url,
        "type": "article" if published else "website",
        "image": image,
        "published": _iso(published) if published else None,
        "updated": _iso(updated) if updated else None,
        "author": meta.get("author") or config.site_author,
    }


def on_page_context(context, page, config, nav, **_):
    share = page_sharing(page, config)
    context["sharing"] = share
    if share["published"]:
        _state["posts"][page.url] = share
    return context


def on_template_context(context, template_name, config, **_):
    if template_name == "404.html":
        context["sharing"] = site_sharing(config)
    return context


def on_post_build(config, **_):
    site = Path(config.site_dir)
    posts = sorted(_state["posts"].values(), key=lambda p: (p["published"], p["url"]), reverse=True)
    (site / FEED).write_bytes(atom_feed(config, posts))
    if not posts:
        log.info("feed.xml lists no posts: no page has a `date:` in its front matter")
    for card in (_state["cards"] or {}).values():
        if not (site / card["path"]).exists():
            raise PluginError(f"{card['path']} is not in the built site; link previews would show nothing")


def atom_feed(config, posts: list[dict]) -> bytes:
    ET.register_namespace("", ATOM)

    def add(parent, tag, text=None, **attrs):
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k.rstrip("_"): v for k, v in attrs.items()})
        if text is not None:
            element.text = text
        return element

    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": config.theme.get("language") or "en"})
    add(feed, "title", config.site_name)
    if config.site_description:
        add(feed, "subtitle", config.site_description)
    add(feed, "link", rel="self", type="application/atom+xml", href=config.site_url + FEED)
    add(feed, "link", rel="alternate", type="text/html", href=config.site_url)
    add(feed, "id", config.site_url)
    newest = max((p["updated"] for p in posts), default=None)
    add(feed, "updated", newest or _iso(_epoch()))
    add(add(feed, "author"), "name", config.site_author or config.site_name)
    if (Path(config.docs_dir) / TOUCH_ICON).exists():
        add(feed, "icon", config.site_url + TOUCH_ICON)
    if posts and posts[0]["image"]:
        add(feed, "logo", posts[0]["image"]["url"])
    for post in posts:
        entry = add(feed, "entry")
        add(entry, "title", post["title"])
        add(entry, "link", rel="alternate", type="text/html", href=post["url"])
        add(entry, "id", post["url"])
        add(entry, "published", post["published"])
        add(entry, "updated", post["updated"])
        if post.get("author"):
            add(add(entry, "author"), "name", str(post["author"]))
        add(entry, "summary", post["description"])
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def _epoch() -> dt.datetime:
    """For a feed with no posts: SOURCE_DATE_EPOCH (the build pins it), so the bytes stay stable."""
    import os

    return dt.datetime.fromtimestamp(int(os.environ.get("SOURCE_DATE_EPOCH") or 0), dt.timezone.utc)
