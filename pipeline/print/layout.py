"""Layout decisions for paper that CSS cannot make: where figures go, which tables stay whole.

WeasyPrint has no page floats. A figure is never split from its caption, so one that does not fit
in what is left of a page goes to the next and leaves a gap behind. The essay is laid out once as a
draft (the essay alone, page references at their usual width); measured there through WeasyPrint's
public `Page.anchors` (each block's box on each page it reaches), a figure that left more than
GAP_SHARE of a page empty is, in this order of preference:
- drawn a little smaller (down to SHRINK_EASY of its height), so that it fits in the gap;
- moved after the paragraphs that follow it (at most MAX_MOVE, never past a heading, a table or
  another figure), as many as fill the gap while the figure still fits below;
- moved before the paragraphs that precede it on the page it left (as on paper, where a figure
  often heads the page its text is on), when that gives it room there;
- drawn smaller still (down to SHRINK_MOST), so that it fits in the gap.
A figure taller than a page is drawn smaller until it fits on one.

The draft costs a layout (0.6 s of the essay's). What it decided is kept (`Move`s, in
build/cache/pdf-layout.json): the next build lays the PDF out with the same moves while the draft
runs beside it, and keeps that PDF only when the draft's moves give the same essay (pdf.py).
"""
from __future__ import annotations

import copy
import xml.etree.ElementTree as ET
from typing import NamedTuple

GAP_SHARE = 0.2     # a gap left by a figure smaller than this share of the page is left alone
SHRINK_EASY = 0.85  # a figure may be drawn this much smaller before text is moved around it
SHRINK_MOST = 0.7   # ... and this much smaller when nothing can be moved
MAX_MOVE = 4        # paragraphs a figure may move past
MOVABLE = {"p", "ul", "ol", "blockquote", "div", "dl"}
SHORT_TABLE_ROWS = 16  # a table with at most this many rows is kept on one page
PAGE_MARGIN_MM = 22    # every page but the cover; the @page rule is written from this (page_css)
_PX_PER_MM = 96 / 25.4
CAPTION_GAP_PX = 1.5 * _PX_PER_MM  # print.css: figcaption's margin-top, between image and caption

# In the draft, page references take their usual width, so lines break as they will.
DRAFT_CSS = """a.figref::after { content: " on page 00"; } a.xref::after { content: " (page 00)"; }"""


class Move(NamedTuple):
    """One decision of `place_figures`: the figure `figure` was moved after (`action` "after") or
    before ("before") `amount` blocks, or its image drawn `amount` px high ("shrink")."""

    figure: str
    action: str
    amount: int

    def __str__(self) -> str:
        if self.action == "shrink":
            return f"{self.figure}: image drawn {self.amount}px high to fit"
        return f"{self.figure}: moved {self.action} {self.amount} block(s)"


def page_css(size: str) -> str:
    return f"@page {{ size: {size}; margin: {PAGE_MARGIN_MM}mm; }}"


def keep_short_tables(main: ET.Element) -> None:
    """Tables short enough for one page are kept on one page; longer ones break between rows."""
    for table in main.iter("table"):
        if sum(1 for _ in table.iter("tr")) <= SHORT_TABLE_ROWS:
            table.set("class", (table.get("class", "") + " short").strip())


def _anchor(index: int) -> str:
    return f"flow-{index}"


def draft_body(main: ET.Element) -> ET.Element:
    """The essay for the draft layout: up to the blocks its last figure may move past, each block
    and each figure's image and caption named so that `measure` finds them."""
    children = list(main)
    last = max((i for i, child in enumerate(children) if child.tag == "figure"), default=-1)
    draft = ET.Element("main")
    for index, child in enumerate(children[:last + 1 + MAX_MOVE + 1]):
        block = copy.deepcopy(child)
        block.set("id", _anchor(index))  # ids inside stay: page references still resolve
        if block.tag == "figure":
            for img in block.iter("img"):
                img.set("id", f"{_anchor(index)}-img")
                break
            caption = block.find("figcaption")
            if caption is not None:
                caption.set("id", f"{_anchor(index)}-caption")
        draft.append(block)
    return draft


def measure(document, count: int):
    """From the laid-out draft: for each block, its fragments as (page index, top, bottom); for each
    figure, the height of its image; for each page, the top and bottom of its body area. CSS px."""
    margin = PAGE_MARGIN_MM * _PX_PER_MM
    blocks: dict[int, list[tuple[int, float, float]]] = {}
    images: dict[int, float] = {}
    body = [(margin, page.height - margin) for page in document.pages]
    for number, page in enumerate(document.pages):
        for index in range(count):
            box = page.anchors.get(_anchor(index))
            if box is not None:
                blocks.setdefault(index, []).append((number, box[1], box[3]))
            img, caption = page.anchors.get(f"{_anchor(index)}-img"), page.anchors.get(f"{_anchor(index)}-caption")
            if img is not None and caption is not None and index not in images:
                images[index] = caption[1] - img[1] - CAPTION_GAP_PX
    return blocks, images, body


def place_figures(main: ET.Element, blocks, images, body) -> list[Move]:
    """Move or shrink the figures of `main` (see the module docstring); one Move per figure changed."""
    children = list(main)
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
                done.append(_shrink(figure, image - overflow - 2))
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
            done.append(_shrink(figure, image - need))
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
            main.remove(figure)
            main.insert(list(main).index(children[after]) + 1, figure)
            done.append(Move(figure.get("id"), "after", after - index))
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
            main.remove(figure)
            main.insert(list(main).index(children[before]), figure)
            done.append(Move(figure.get("id"), "before", index - before))
        elif image and need <= (1 - SHRINK_MOST) * image:
            done.append(_shrink(figure, image - need))
    return done


def _shrink(figure: ET.Element, height_px: float) -> Move:
    height = round(height_px)
    for img in figure.iter("img"):
        img.set("style", f"max-height: {height}px")
    return Move(figure.get("id"), "shrink", height)


def replay(main: ET.Element, moves: list[Move]) -> ET.Element:
    """Make the moves of an earlier `place_figures` on `main` (a guess for the same essay edited:
    pdf.py keeps the result only if the draft decides the same)."""
    for move in moves:
        children = list(main)
        figure = next((c for c in children if c.tag == "figure" and c.get("id") == move.figure), None)
        if figure is None:
            continue
        index = children.index(figure)
        if move.action == "shrink":
            _shrink(figure, move.amount)
        elif move.action == "after" and index + move.amount < len(children):
            main.remove(figure)
            main.insert(list(main).index(children[index + move.amount]) + 1, figure)
        elif move.action == "before" and index - move.amount >= 0:
            main.remove(figure)
            main.insert(list(main).index(children[index - move.amount]), figure)
    return main
