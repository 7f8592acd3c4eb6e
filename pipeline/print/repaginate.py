"""Page references in two layout passes instead of three; the same pages, the same bytes.

WeasyPrint (70.0) lays the document out, then again every page that shows a page reference
(`target-counter()`: the contents, "Figure 7 on page 16", "(page 12)") whose text changed, until
nothing changes. Our references took three passes where two would do, for two reasons:

- print.css writes them `target-counter(attr(href), page)`. WeasyPrint files what a reference waits
  for under the target's name, which it does not work out from `attr()`: a reference learns the
  page of a target laid out after it only when its own page's counters change, so the second pass
  set the old text ("page 0") and only the third the right one. `reference_css()` adds, for every
  such rule of print.css and every target the document refers to, the same rule with the target
  named (`url(#id)`), so the second pass has the right text.
- A page's counters include the page count (`pages`), 0 during the first pass and the real count
  after it; that change alone made WeasyPrint lay every page with a reference out once more, with
  the text it already had. `expect_pages(n)` starts the count at the page count of the last PDF of
  this size: when the count is still right, no page is laid out again for it; when it is not, the
  count changes as before and the pages are laid out again as before.

Neither changes what is printed: the rules give the same text, and the count is the real one by
the time margins ("page N of M") are drawn. tests/test_pdf.py checks that the bytes are the same
with and without both, and that fewer pages are laid out with them.
"""
from __future__ import annotations

import re

import tinycss2

VERSION = "70.0"  # the WeasyPrint whose internals expect_pages() relies on (requirements.txt)
_ATTR = re.compile(r"target-counter\(\s*attr\(\s*href\s*\)\s*,")
_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")  # ids safe in a selector and in url() unquoted


def reference_css(stylesheet: str, html: str) -> str:
    """For each rule of `stylesheet` whose `content` reads `target-counter(attr(href), ...)`, the
    same rule once per internal link target of `html`, with the target named."""
    targets = sorted({h for h in re.findall(r'href="#([^"]+)"', html) if _ID.match(h)})
    out = []
    for rule in tinycss2.parse_stylesheet(stylesheet, skip_comments=True, skip_whitespace=True):
        if rule.type != "qualified-rule":
            continue
        body = tinycss2.serialize(rule.content)
        if not _ATTR.search(body):
            continue
        content = [d for d in tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True)
                   if d.type == "declaration" and d.lower_name == "content"]
        if not content:
            continue
        value = tinycss2.serialize(content[-1].value).strip()
        for selector in tinycss2.serialize(rule.prelude).split(","):
            selector = selector.strip()
            base, pseudo = (selector.rsplit("::", 1) + [""])[:2] if "::" in selector else (selector, "")
            if not pseudo or not base:
                continue
            for target in targets:
                named = _ATTR.sub(f"target-counter(url(#{target}),", value)
                out.append(f'{base}[href="#{target}"]::{pseudo} {{ content: {named}; }}')
    return "\n".join(out)


_expected: list[int | None] = [None]
_installed = False


def expect_pages(count: int | None) -> None:
    """Start the next layouts' page count at `count` (None: at 0, as WeasyPrint does)."""
    global _installed
    _expected[0] = count
    if _installed:
        return
    import weasyprint
    from weasyprint import layout

    if weasyprint.__version__ != VERSION:
        return  # another version: its own passes, as many as it needs
    original = layout.initialize_page_maker

    def initialize_page_maker(context, root_box):
        original(context, root_box)
        if _expected[0]:
            # page_maker[0] = (resume_at, next_page, right_page, page_state, remake_state);
            # page_state[1] holds the page counters, 'pages' among them.
            context.page_maker[0][3][1]["pages"] = [_expected[0]]

    layout.initialize_page_maker = initialize_page_maker
    _installed = True
