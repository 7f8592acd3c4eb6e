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
    "Gemma 3": "a model's name",
    "OLMo 3": "a model's name",
    "Claude Opus 4": "a model's name",
    "Claude Sonnet 4.5": "a model's name",
    "Gemini 2.5": "a model's name",
    "GPT-5": "a model's name",
    "80% chance": "Martin Casado's words, quoted and attributed",
    "Apache 2.0": "a licence's name",
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
    assert untemplated_numbers("Llama 4 came out; Casado said an \"80% chance\".") == []
