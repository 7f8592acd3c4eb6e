"""The print edition's HTML (the renderer's record, made for paper by paper.py) as Typst markup.

The essay reaches paper as the same HTML the site gets, so that one renderer and one set of
templates serve both; this module says, element by element, what each construct is on paper, as
calls to the parts defined in print/lib.typ (`chart`, `figref`, `note-call`, `secondary`, ...).
Only the elements and classes the renderer writes are known: anything else stops the PDF with its
tag and class, so that a new construct gets a line here rather than vanishing from paper.
"""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

from pipeline.print.paper import classes as _classes

PREAMBLE = '#import "/print/lib.typ": *\n\n'
# Every character that means something in Typst markup is escaped (Typst takes "\x" as a literal x).
_SPECIAL = re.compile(r"""([\\*_`$#\[\]<>@~='"/+;().-])""")
_ASCII_SPACE = re.compile(r"[ \t\n\r\f\v]+")  # a non-breaking space stays one
_SKIPPED_CLASSES = {"headerlink", "only-dark", "web-only", "byline"}
_PASS_THROUGH_SPANS = {"", "num num-approx", "original-quote", "scorecard-claim-text", "scorecard-link"}
_INLINE = {"a", "span", "sup", "strong", "b", "em", "i", "q", "code", "br", "time"}


class TypesetError(ValueError):
    """An element or class the print edition has no form for."""


def text(value: str | None) -> str:
    """Plain text as Typst markup: every character that means something in markup escaped (text
    right after a call would go on with it if it began with ".", ";", "(" or "["; "2025. That" at
    the start of a paragraph would be a numbered item), white space one space (a blank line would
    be a paragraph break; a non-breaking space stays as it is)."""
    if not value:
        return ""
    return _SPECIAL.sub(r"\\\1", _ASCII_SPACE.sub(" ", value))


def string(value: str) -> str:
    """A Typst string literal (control characters dropped: JSON would write them as \\uXXXX,
    which Typst does not read)."""
    return json.dumps(re.sub(r"[\x00-\x1f\x7f]", "", value), ensure_ascii=False)


def label(name: str) -> str:
    """A reference to an element's id, as a Typst label (any id, quoted)."""
    if not name:
        raise TypesetError("a link to an empty anchor (href=\"#\") has nothing to point to on paper")
    return f"label({string(name)})"


def anchor(name: str | None) -> str:
    """What a link or a page reference can point to: the element's id, as a label."""
    return f"#anchor({string(name)})" if name else ""


def parse(html: str) -> ET.Element:
    """An HTML fragment as the children of one <div>."""
    import tinyhtml5  # as paper.py: only when a PDF is made

    root = tinyhtml5.parse(f"<div>{html}</div>", namespace_html_elements=False)
    return root.find("body/div")


class Typesetter:
    """Converts elements to Typst markup, block by block."""

    def __init__(self, contents_depth: int = 2) -> None:
        self.contents_depth = contents_depth  # deeper headings are in the PDF's bookmarks only
        self.charts: list[str] = []           # the ids of the charts set, in order

    # --- inline ----------------------------------------------------------------------------

    def inline_children(self, el: ET.Element) -> str:
        out = [text(el.text)]
        previous = None
        for child in el:
            if previous is not None and _is_note_call(previous) and _is_note_call(child) and not (previous.tail or "").strip():
                out.append("#super[,]")
            out.append(self.inline(child))
            out.append(text(child.tail))
            previous = child
        return "".join(out)

    def inline(self, el: ET.Element) -> str:
        tag, classes = el.tag, _classes(el)
        if classes & _SKIPPED_CLASSES or "#only-dark" in el.get("src", ""):
            return ""
        inner = self.inline_children
        if tag == "a":
            return self.link(el)
        if tag == "sup":
            if "note-call" in classes:
                link = el[0]
                n = int(link.text)
                return (anchor(f"note-call-{n}") if link.get("id") else "") + f"#note-call({n})"
            return f"#super[{inner(el)}]"
        if tag in ("strong", "b"):
            return f"#strong[{inner(el)}]"
        if tag in ("em", "i"):
            return f"#emph[{inner(el)}]"
        if tag == "q":
            return f"“{inner(el)}”"
        if tag == "code":
            return f"#raw({string(''.join(el.itertext()))})"
        if tag == "br":
            return "#linebreak()"
        if tag == "time":
            return inner(el)
        if tag == "span":
            cls = el.get("class", "")
            if "num-secondary" in classes:
                return f"#secondary[{inner(el)}]"
            if "later-mark" in classes:
                return f"#later[{inner(el)}]"
            if "lean" in classes and classes & {"lean-open", "lean-closed"}:
                side = "open" if "lean-open" in classes else "closed"
                return f'#lean("{side}")[{inner(el)}]'
            if "state" in classes:
                kind = next(c[6:] for c in classes if c.startswith("state-"))
                return f'#state("{kind}")[{inner(el)}]'
            if "link-address" in classes or cls in _PASS_THROUGH_SPANS:
                return inner(el)
        raise _unknown(el, "inline marks")

    def link(self, a: ET.Element) -> str:
        href, classes, body = a.get("href", ""), _classes(a), self.inline_children(a)
        if href.startswith("#"):
            target = label(href[1:])
            for kind in ("figref", "xref", "data-ref"):
                if kind in classes:
                    return f"#{kind.replace('-', '')}({target})[{body}]"
            return f"#link({target})[{body}]"
        if "url" in classes:
            return f"#url({string(href)})"
        return f"#link({string(href)})[{body}]"

    # --- blocks ----------------------------------------------------------------------------

    def blocks(self, el: ET.Element) -> str:
        """The children of `el` as a sequence of blocks; loose text and inline elements between
        blocks make a paragraph."""
        parts, run = [], [text(el.text)]
        for child in el:
            if child.tag in _INLINE:
                run += [self.inline(child), text(child.tail)]
                continue
            parts += ["".join(run).strip(), self.block(child)]
            run = [text(child.tail)]
        parts.append("".join(run).strip())
        return "\n\n".join(p for p in parts if p) + "\n"

    def block(self, el: ET.Element) -> str:
        tag, classes = el.tag, _classes(el)
        ident = el.get("id")
        if classes & _SKIPPED_CLASSES or tag == "h1":
            return ""  # the cover carries the title and the byline's facts
        if tag in ("h2", "h3", "h4"):
            level = int(tag[1]) - 1
            outlined = "" if level <= self.contents_depth else ", outlined: false, bookmarked: true"
            return (f"#heading(level: {level}{outlined})[{self.inline_children(el).strip()}]"
                    + (f"#{label(ident)}" if ident else ""))
        if tag == "p":
            body = self.inline_children(el).strip()
            if "scorecard-verdict" in classes:
                return f"#strong[{body}]"
            if "scorecard-attribution" in classes:
                return f"#attribution[{body}]"
            if "scorecard-summary" in classes or "cite-lead" in classes or "appendix-intro" in classes:
                return f"#par(justify: false)[{body}]"
            return body
        if tag == "figure":
            return self.figure(el)
        if tag == "table":
            return self.table(el)
        if tag == "blockquote":
            kind = "score-quote" if "scorecard-quote" in classes else "quotation"
            return f"#{kind}[{self.blocks(el)}]"
        if tag == "pre" and "cite-bibtex" in classes:
            return f"#bibtex({string(''.join(el.itertext()))})"
        if tag in ("ul", "ol") and el.get("start") in (None, "1"):
            items = ", ".join(f"[{self.blocks(li).strip()}]" for li in el if li.tag == "li")
            return f"#{'list' if tag == 'ul' else 'enum'}({items})"
        if tag == "hr":
            return "#line(length: 100%, stroke: 0.5pt + rgb(\"#999999\"))"
        if tag in ("div", "section"):
            body = self.blocks(el)
            if "scorecard-entry" in classes:
                body = f"#score-entry[{body}]"
            elif "scorecard-claim" in classes:
                body = f"#score-claim[{body}]"
            elif "cite" in classes:
                body = f"#cite-block[{body}]"
            return anchor(ident) + body
        raise _unknown(el, "blocks")

    def figure(self, fig: ET.Element) -> str:
        """A chart or a table figure (pipeline/essay/templates/figure.html.j2) as `chart(...)`."""
        try:
            return self._figure(fig)
        except TypesetError:
            raise
        except (AttributeError, StopIteration, IndexError, ValueError) as err:  # a part missing or odd
            raise TypesetError(f"figure {fig.get('id')!r} is not shaped as figure.html.j2 writes it "
                               f"({type(err).__name__}: {err}); pipeline/print/typeset.py reads that shape") from None

    def _figure(self, fig: ET.Element) -> str:
        args = [f"id: {string(fig.get('id'))}"]
        title = fig.find("p[@class='chart-title']")
        number = title.find("span[@class='chart-number']")
        args.append(f"number: [{text(number.text).strip()}]")
        rest = ET.Element("span")
        rest.text = number.tail
        rest.extend(list(title)[1:])
        args.append(f"title: [{self.inline_children(rest).strip()}]")
        image = next((i for i in fig.iter("img") if "#only-dark" not in i.get("src", "")), None)
        if image is not None:
            path = "/docs/" + image.get("src").split("#")[0]
            args += [f"image-path: {string(path)}", f"alt: {string(image.get('alt', ''))}"]
            self.charts.append(fig.get("id"))
        else:
            args.append(f"table: [{self.table(next(fig.iter('table')))}]")
        caption = fig.find("figcaption")
        notes = []
        parts = [p for p in caption if not (p.tag == "div" and p.get("class") == "chart-notes")]
        parts += [p for div in caption.iterfind("div[@class='chart-notes']") for p in div]
        for part in parts:
            kind = part.get("class", "")
            if kind == "chart-caption":
                args.append(f"caption: [{self.inline_children(part).strip()}]")
            elif kind == "chart-source":
                args.append(f"source: [{self.inline_children(part).strip()}]")
            elif kind == "chart-data-line":
                args.append(f"data: [{self.inline_children(part).strip()}]")
            elif kind == "chart-note":
                notes.append(f"[{self.inline_children(part).strip()}]")
            else:
                raise _unknown(part, "the parts of a figure's caption")
        if notes:
            args.append(f"notes: ({', '.join(notes)},)")
        return "#chart(" + ", ".join(args) + ")"

    def table(self, table: ET.Element) -> str:
        """A data table (one group per <tbody>: a series' heading row, then its values) or the
        decision guide (a header row, then one row per situation)."""
        header = "".join(f"[{self.inline_children(th).strip()}], " for th in table.iterfind("thead/tr/th"))
        if "data-table" in _classes(table):
            groups = []
            for tbody in table.iterfind("tbody"):
                rows = [self.row(tr) for tr in tbody.iterfind("tr")]
                first = tbody.find("tr")
                heading = rows.pop(0) if first is not None and "data-series" in _classes(first) else "()"
                groups.append(f"(heading: {heading}, rows: ({''.join(r + ', ' for r in rows)}))")
            return f"#data-table(header: ({header}), groups: ({''.join(g + ', ' for g in groups)}))"
        rows = [self.row(tr) for tr in table.iterfind("tbody/tr")]
        widths = len(table.findall("thead/tr/th"))
        if "decision-guide" in _classes(table):
            widths = "(30%, 14%, 1fr)"  # situation, the side it leans to, why
        elif _classes(table):
            raise _unknown(table, "tables (a data table, the decision guide or a Markdown table)")
        return f"#ruled-table(columns: {widths}, header: ({header}), rows: ({''.join(r + ', ' for r in rows)}))"

    def row(self, tr: ET.Element) -> str:
        return "(" + "".join(f"[{self.inline_children(cell).strip()}], " for cell in tr) + ")"


def _unknown(el: ET.Element, among: str) -> TypesetError:
    return TypesetError(f"the print edition has no form for <{el.tag} class={el.get('class', '')!r}> among {among} "
                        f"(pipeline/print/typeset.py): {ET.tostring(el, encoding='unicode')[:160]}")


def _is_note_call(el: ET.Element) -> bool:
    return el.tag == "sup" and "note-call" in _classes(el)


# --- the three files print/essay.typ includes --------------------------------------------------------


def essay(main: ET.Element) -> tuple[str, list[str]]:
    """The essay's markup, and the ids of the charts it sets."""
    setter = Typesetter()
    return PREAMBLE + setter.blocks(main), setter.charts


def notes(notes: list[dict]) -> str:
    """The notes at the end, under the section of the essay each was called from."""
    setter, out, section = Typesetter(), [PREAMBLE], None
    for note in notes:
        if note["section"] != section and note["section"]:
            out.append(f"#notes-group[{text(note['section'])}]\n")
        section = note["section"]
        out.append(f"#endnote({note['n']})[{setter.blocks(parse(note['html'])).strip()}]\n")
    return "".join(out)


def appendix(html: str) -> str:
    return PREAMBLE + "#show: appendix-style\n\n" + Typesetter(contents_depth=1).blocks(parse(html))
