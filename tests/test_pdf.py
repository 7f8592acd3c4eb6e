"""The print edition: section headings, numbers from the data, vector figures, same bytes twice."""
from __future__ import annotations

import re

from pypdf import PdfReader

from conftest import copy_project, run

SECTIONS = ["Market share", "The performance gap", "Enterprise adoption", "What history suggests", "Outlook"]


def pdf_text(root) -> str:
    reader = PdfReader(root / "site" / "the-future-of-open-models.pdf")
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_pdf_has_every_section_heading(built):
    text = pdf_text(built)
    for heading in SECTIONS:
        assert heading in text, heading


def test_pdf_cites_numbers_computed_from_the_data(built, numbers):
    text = pdf_text(built)
    share = numbers["closed_models_lead"]["open_share_2024"]["text"]
    assert f"{share} of workloads" in text


def test_pdf_figures_are_vectors_not_images(built):
    reader = PdfReader(built / "site" / "the-future-of-open-models.pdf")
    assert all(not page.images for page in reader.pages)


def test_two_full_builds_give_the_same_pdf_and_html(built, tmp_path):
    other = copy_project(tmp_path / "again")
    run(["-m", "pipeline.build"], cwd=other)
    for rel in ["the-future-of-open-models.pdf", "essay/index.html", "index.html", "sitemap.xml"]:
        assert (other / "site" / rel).read_bytes() == (built / "site" / rel).read_bytes(), rel
