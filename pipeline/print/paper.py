"""The essay's HTML made for paper, where nobody can click: the one rewrite of HTML the print
edition keeps (everything else it prints comes from the renderer's record).

- links to other pages of the site become absolute addresses of the web edition;
- the essay's Markdown footnotes and every link in the prose become numbered notes at the end,
  each link's note giving its full address;
- links within the essay are marked (`xref`) so that the print edition adds "(page N)".

Endnotes, grouped by the section that calls them, rather than footnotes at the foot of the page:
most notes are bare web addresses, which read better together at the end than as a ragged block
under the text of every page. (Typst could set them as footnotes; WeasyPrint, used before, lost
footnotes on pages it laid out again.)
"""
from __future__ import annotations

import html as htmlmod
import re
import xml.etree.ElementTree as ET
from urllib.parse import urljoin

from pipeline import edition


def classes(el: ET.Element) -> set[str]:
    """An element's classes (the print edition reads its HTML by them)."""
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


def serialize(main: ET.Element) -> str:
    """The children of <main> (and its leading text) as HTML: the essay's body after a rewrite."""
    return (main.text or "") + "".join(ET.tostring(child, encoding="unicode", method="html") for child in main)


def _note_html(blocks: list[ET.Element]) -> str:
    """A Markdown footnote's paragraphs for the notes at the end: without the back-reference
    arrows, and with the full address after every link."""
    holder = _new("div")
    for block in blocks:
        holder.append(block)
    parents = {child: parent for parent in holder.iter() for child in parent}
    for a in [a for a in holder.iter("a") if "footnote-backref" in classes(a)]:
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


def for_paper(body_html: str) -> tuple[ET.Element, list[dict]]:
    """Rewrite the essay's HTML for paper: links to other pages become the web edition's addresses,
    Markdown footnotes and links in the prose become numbered notes. Returns the <main> element
    holding the essay and the notes, in order ({"n", "section", "html"})."""
    import tinyhtml5

    root = tinyhtml5.parse(f"<main>{body_html}</main>", namespace_html_elements=False)
    main = root.find("body/main")
    parents = {child: parent for parent in main.iter() for child in parent}
    notes_found: list[dict] = []
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
    for div in [d for d in main.iter("div") if "footnote" in classes(d)]:
        for li in div.iter("li"):
            notes["#" + li.get("id", "")] = list(li)
        parents[div].remove(div)

    # 3. In document order: footnote references and links in the prose become numbered notes
    #    (the links' notes give their full address); links to a place in the essay are marked for
    #    a page number (see the module docstring for why notes go at the end).
    ids = {el.get("id") for el in main.iter() if el.get("id")}
    in_figure: set[ET.Element] = set()   # a figure's links are its sources: numbered in its source line
    for fig in main.iter("figure"):
        in_figure.update(fig.iter())
    number, made, section = 0, {}, ""
    for el in list(main.iter()):
        if el.tag == "h2":
            section = _text(el)
        elif el.tag == "sup" and len(el) and "footnote-ref" in classes(el[0]):
            target = el[0].get("href", "")
            if target in made:  # a second reference to the same note: the same number
                _replace(parents, el, _note_call(made[target], first=False))
                continue
            number += 1
            made[target] = number
            notes_found.append({"n": number, "section": section, "html": _note_html(notes.get(target, []))})
            _replace(parents, el, _note_call(number))
        elif el.tag == "a" and el not in in_figure:
            href = el.get("href", "")
            if href.startswith("#"):
                if href[1:] in ids and not classes(el) & {"figref", "footnote-ref", "footnote-backref"}:
                    el.set("class", (el.get("class", "") + " xref").strip())
            elif href.startswith(("http:", "https:")):
                if _text(el) in (href, href.rstrip("/")):
                    el.set("class", (el.get("class", "") + " url").strip())
                    continue
                number += 1
                notes_found.append({"n": number, "section": section, "html": _html([_url_span(href)])})
                _insert_after(parents, el, _note_call(number))

    return main, notes_found
