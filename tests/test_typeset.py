"""The print edition's HTML as Typst (pipeline/print/typeset.py): text comes through to the PDF
exactly, whatever characters it holds and whatever follows a link or a mark, and a construct the
converter does not know stops the PDF instead of vanishing from it."""
from __future__ import annotations

import io
import re
from html import escape

import pytest
from pypdf import PdfReader

from pipeline.paths import ROOT
from pipeline.print import typeset

# Characters that mean something in Typst markup, and text that follows a call directly: a ";"
# ends a call and was lost that way (64 times in the essay), "(" or "[" would continue it.
TRICKY = [
    "2025. That year a paragraph began with a number and a full stop, and - a dash, + a plus, = an equals.",
    'Costs fell 8×; shares rose (a lot) by 1.5–2.9% — "quoted" and ‘curly’ … or... not.',
    "Markup-like: *bold* _under_ `code` $5 #hash @ref <label> [brackets] a/b // not a comment = - + ~",
    "Back\\slash and \\; and 1,100+ models; 50% of <b>them</b>.",
    "Figure\u00a06 and 3\u00a0months keep their non-breaking spaces.",
]


def compile_markup(markup: str, tmp_path) -> str:
    """The markup set with print/lib.typ, as the PDF's text. Typst reads files under its root only,
    and the markup imports lib.typ by its path from the project root."""
    import typst

    lib = tmp_path / "print" / "lib.typ"
    lib.parent.mkdir()
    lib.write_bytes((ROOT / "print" / "lib.typ").read_bytes())
    body = tmp_path / "body.typ"
    body.write_text('#import "/print/lib.typ": *\n#set page(width: 800mm, height: auto)  // one line: no break to join\n'
                    + markup, encoding="utf-8")
    pdf = typst.compile(str(body), root=str(tmp_path))
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def squeeze(text: str) -> str:
    """Runs of ASCII white space as one space; a non-breaking space stays one, and must survive."""
    return re.sub(r"[ \t\n\r\f\v]+", " ", text).strip()


@pytest.mark.parametrize("sentence", TRICKY)
def test_text_comes_through_exactly_after_a_link_and_a_mark(sentence, tmp_path):
    html = (f'<p>{escape(sentence, quote=False)} '
            f'<a class="url" href="https://example.org/x">https://example.org/x</a>; then '
            f'<span class="num num-secondary">15.8%</span>; (and) '
            f'<a href="https://example.org/y">a link</a>.next</p>')
    printed = compile_markup(typeset.Typesetter().blocks(typeset.parse(html)), tmp_path)
    expected = f"{sentence} https://example.org/x; then 15.8%; (and) a link.next"
    assert squeeze(printed) == squeeze(expected)


def test_any_id_can_be_linked_to_and_referenced_with_its_page(tmp_path):
    html = ('<h2 id="a b(1)&quot;x">A section</h2><p>Back to <a class="xref" href="#a b(1)&quot;x">it</a>.</p>'
            '<div id="score-O6"><p>Scored.</p></div><p><a href="#score-O6">The score</a>.</p>')
    printed = squeeze(compile_markup(typeset.Typesetter().blocks(typeset.parse(html)), tmp_path))
    assert "Back to it (page 1)." in printed and "The score." in printed, printed
    with pytest.raises(typeset.TypesetError, match="empty anchor"):
        typeset.Typesetter().blocks(typeset.parse('<p><a href="#">nowhere</a></p>'))


def test_an_unknown_construct_stops_the_pdf_and_names_itself():
    with pytest.raises(typeset.TypesetError, match=r"<aside class='pull-quote'>"):
        typeset.Typesetter().blocks(typeset.parse('<aside class="pull-quote">Said once.</aside>'))
    with pytest.raises(typeset.TypesetError, match=r"<span class='sparkle'>"):
        typeset.Typesetter().blocks(typeset.parse('<p>A <span class="sparkle">new</span> mark.</p>'))
    with pytest.raises(typeset.TypesetError, match=r"<table class='pricing'> among tables"):
        typeset.Typesetter().blocks(typeset.parse('<table class="pricing"><thead><tr><th>A</th></tr></thead></table>'))
    with pytest.raises(typeset.TypesetError, match=r"<pre class=''>"):
        typeset.Typesetter().blocks(typeset.parse("<pre>code</pre>"))
