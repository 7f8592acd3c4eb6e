"""No number is typed into the prose: every figure in the text is a template expression that reads
the data. The few exceptions are listed below, each with its reason."""
from __future__ import annotations

import re

import pytest

from conftest import ROOT

PAGES = sorted((ROOT / "docs").glob("*.md"))

# Phrases whose digits are not data: names, and a quotation's own words (quoted exactly).
ALLOWED_PHRASES = {
    "Llama 2": "a model's name",
    "Llama 3": "a model's name",
    "Llama 4": "a model's name",
    "Qwen 2.5": "a model's name",
    "Qwen 1.5": "a model's name",
    "Gemma 3": "a model's name",
    "OLMo 3": "a model's name",
    "Claude Opus 4": "a model's name",
    "Claude Sonnet 4.5": "a model's name",
    "Gemini 2.5": "a model's name",
    "GPT-5": "a model's name",
    "Apache 2.0": "a licence's name",
    "CC BY 4.0": "a licence's name",
    "Attribution 4.0": "a licence's name",
}
YEAR = re.compile(r"^(19[89]\d|20[0-3]\d)$")
NUMBER = re.compile(r"(?<![\w.\-/#@])\d[\d,.]*(?:%|x\b|×)?(?![\w\-])")


def strip_non_prose(text: str) -> str:
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)              # front matter
    text = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", " ", text, flags=re.S)  # template expressions
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)                      # comments
    text = re.sub(r"`[^`]*`", " ", text)                                     # code
    text = re.sub(r"\]\([^)]*\)|<[^>]+>", "] ", text)                        # link targets, HTML tags
    text = re.sub(r"^\s*\d+\.\s", " ", text, flags=re.M)                     # ordered-list markers
    text = re.sub(r"\[\^[\w-]+\]", " ", text)                                # footnote markers
    for phrase in ALLOWED_PHRASES:
        text = text.replace(phrase, " ")
    return text


def untemplated_numbers(text: str) -> list[str]:
    return [m for m in NUMBER.findall(strip_non_prose(text)) if not YEAR.match(m.rstrip(".,"))]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_no_number_is_typed_into_the_prose(page):
    found = untemplated_numbers(page.read_text(encoding="utf-8"))
    assert not found, (f"{page.relative_to(ROOT)} types these numbers instead of reading them from the "
                       f"data: {found}. Use {{{{ n.<figure>.<name> }}}} (add the number to the figure's "
                       "numbers()), or, for a name or a quotation, add it to ALLOWED_PHRASES with the reason.")


def test_the_scanner_catches_typed_numbers_and_ignores_templates():
    assert untemplated_numbers("Open share fell to 11% by December.") == ["11%"]
    assert untemplated_numbers("It grew 8x, or {{ n.x.y }} in 2025.") == ["8x"]
    assert untemplated_numbers("{{ n.x.y }} in 2025, up 3×.") == ["3×"]
    assert untemplated_numbers("about 1,100 models and 2.04 billion downloads") == ["1,100", "2.04"]
    assert untemplated_numbers("Llama 4 came out; Casado said {{ quote('casado-80-chance') }}.") == []


# --- the figures' display texts ---------------------------------------------------------------
# TITLE, ALT, CAPTION and NOTES in charts/<id>.py are shown beside every figure, on the site and in
# the PDF. They are filled with str.format over the module's numbers(), so the same rule holds:
# every number is a {placeholder} that numbers() computes from a data row.

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def typed_numbers_in_texts(texts) -> list[tuple[str, str]]:
    """(field, number) for each number typed into a figure's texts instead of a {placeholder}."""
    return [(field, number) for field, text in texts for number in untemplated_numbers(PLACEHOLDER.sub(" ", text))]


def _figure_ids():
    from pipeline.figures import registry as figures

    return figures.figure_ids()


@pytest.mark.parametrize("figure_id", _figure_ids())
def test_no_number_is_typed_into_a_figures_texts(figure_id):
    from pipeline.figures import registry as figures

    found = typed_numbers_in_texts(figures.texts(figure_id))
    assert not found, (f"charts/{figure_id}.py types these numbers into its texts instead of reading them "
                       "from the data: " + ", ".join(f"{field}: {number}" for field, number in found)
                       + ". Use a {placeholder} that numbers() computes from a data row, rephrase a number "
                       "that is not data, or, for a name or a quotation, add it to ALLOWED_PHRASES with "
                       "the reason.")


@pytest.mark.parametrize("figure_id", _figure_ids())
def test_every_placeholder_in_a_figures_texts_is_one_of_its_numbers(figure_id):
    from pipeline.figures import registry as figures

    defined = set(figures.spec(figure_id).numbers(figures.frames_for(figure_id)))
    missing = [(field, name) for field, text in figures.texts(figure_id)
               for name in PLACEHOLDER.findall(text) if name not in defined]
    assert not missing, (f"charts/{figure_id}.py uses placeholders its numbers() does not define: "
                         + ", ".join(f"{field}: {{{name}}}" for field, name in missing))
    for field, text in figures.texts(figure_id):  # and str.format, as the site and PDF use it, accepts them
        text.format(**{name: "" for name in defined})


def test_the_figure_scanner_names_field_and_number():

    texts = [("TITLE", "Open share fell to {share}"), ("ALT", "11% in December"),
             ("CAPTION", "Llama 4 came out in {month}."), ("NOTES[0]", "Fine."), ("NOTES[1]", "Stored as 12 months.")]
    assert typed_numbers_in_texts(texts) == [("ALT", "11%"), ("NOTES[1]", "12")]


# Confidence shows in a number's marking, not in a clause: ≈ for approximate values, a dotted
# underline (class num-secondary) for second-hand ones; exact numbers are plain text.
def test_marked_numbers_show_their_confidence():
    from pipeline.figures.numbers import Number
    from pipeline.essay.render import Marked

    assert str(Marked(Number(12, "months", "s", "exact"))) == "12 months"
    approx = str(Marked(Number(12, "months", "s", "approx")))
    assert 'class="num num-approx"' in approx and ">≈12 months<" in approx
    assert ">about 12 months<" in str(Marked(Number(12, "months", "s", "approx", text="about 12 months")))
    secondary = str(Marked(Number(17.1, "percent", "s", "secondary")))
    assert 'class="num num-secondary"' in secondary and ">17.1%<" in secondary


def test_every_weak_number_in_the_essay_is_marked_on_the_page(built, numbers):
    import html

    page = html.unescape((built / "site" / "essay" / "index.html").read_text(encoding="utf-8"))
    markdown = (ROOT / "docs" / "essay.md").read_text(encoding="utf-8")
    # A marked number is a span of its own, or one end of a marked range ("≈4–6 months").
    marked_parts = set()
    for content in re.findall(r'<span class="num num-(?:approx|secondary)" title="[^"]+">([^<]*)</span>', page):
        parts = content.lstrip("≈").split("\u2013")
        marked_parts.update(parts)
        unit = re.search(r"[^\d.,]+$", parts[-1])
        marked_parts.update(p + unit.group() for p in parts[:-1] if unit)  # the low end, with its unit
    unmarked = []
    for figure_id, name in sorted(set(re.findall(r"\bn\.(\w+)\.(\w+)", markdown))):
        num = numbers[figure_id][name]
        if num["confidence"] != "exact" and num["text"].lstrip("≈") not in marked_parts:
            unmarked.append(f"{figure_id}.{name} ({num['confidence']}: {num['text']})")
    assert not unmarked, f"approximate or second-hand numbers shown without their marking: {unmarked}"
