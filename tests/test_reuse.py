"""Reuse: the licences, each source's terms, and a citation that pins what the reader saw."""
from __future__ import annotations

import subprocess

import pytest
import yaml

from conftest import ROOT


def _sources():
    from pipeline.data import datasets

    for dataset_id in datasets.dataset_ids():
        for source in datasets.descriptor(dataset_id).get("sources", []):
            yield dataset_id, source


def test_every_source_states_its_terms_or_where_they_were_looked_for():
    missing = [f"{d}: {s['id']}" for d, s in _sources() if not s.get("licence")]
    assert not missing, f"sources with no licence key: {missing}"
    unchecked = [f"{d}: {s['id']}" for d, s in _sources() if len(str(s.get("licence_checked", ""))) < 20]
    assert not unchecked, f"sources that do not say where their terms were looked for: {unchecked}"
    # "not stated" is a finding about a source, so it needs the search behind it, naming a query or page.
    vague = [f"{d}: {s['id']}" for d, s in _sources()
             if s["licence"].startswith("not stated") and not any(w in s["licence_checked"].lower()
                                                                   for w in ("search", "page", "read", "readme", "find_string"))]
    assert not vague, f"'not stated' without saying what was searched or read: {vague}"


def test_the_licence_files_exist_and_say_what_they_cover():
    assert "MIT License" in (ROOT / "LICENSE").read_text()
    assert "Attribution 4.0 International" in (ROOT / "LICENSES" / "CC-BY-4.0.txt").read_text()
    assert "Mozilla Public License" in (ROOT / "LICENSES" / "MPL-2.0.txt").read_text()
    notice = (ROOT / "NOTICE").read_text()
    for covered in ("data/lmarena_text.csv", "data/lmarena_snapshots.csv", "tests/fixtures/lmarena/",
                    "data/quotations.csv", "CC BY 4.0"):
        assert covered in notice, covered
    readme = (ROOT / "README.md").read_text()
    assert "CC BY 4.0" in readme and "MIT" in readme


CFFCONVERT = ROOT / ".venv-cff" / "bin" / "cffconvert"


@pytest.mark.skipif(not CFFCONVERT.exists(), reason="cffconvert's venv is made by `make setup-test`")
def test_citation_cff_is_valid():
    result = subprocess.run([str(CFFCONVERT), "--validate", "-i", str(ROOT / "CITATION.cff")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_citation_cff_names_the_current_data_version():
    from pipeline.data.changelog import data_version

    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert citation["version"] == data_version(), "run the changelog command, or update CITATION.cff's version"
    assert citation["license"] == "CC-BY-4.0"


def test_recording_a_change_moves_the_citations_data_version(project):
    from conftest import run

    import re

    citation_file = project / "CITATION.cff"
    citation_file.write_text(re.sub(r'(?m)^version: .*$', 'version: "1999-01-01"', citation_file.read_text()))
    run(["-m", "pipeline.changelog", "decision_guide", "--change", "c", "--why", "w", "--source", "platz-2025",
         "--no-moves"], cwd=project)
    citation = yaml.safe_load((project / "CITATION.cff").read_text())
    from datetime import date

    assert citation["version"] == citation["date-released"] == date.today().isoformat()


def test_the_data_page_shows_each_datasets_licence_and_its_sources_terms(built):
    page = (built / "site" / "data" / "index.html").read_text(encoding="utf-8")
    from pipeline.data import datasets

    for dataset_id in datasets.dataset_ids():
        section = page[page.index(f'id="{dataset_id}"'):]
        section = section[:section.find("</section>")]
        assert 'class="dataset-licence"' in section, dataset_id
        assert "Terms of its sources" in section, dataset_id
    assert "Mozilla Public License" in page and "CC-BY-4.0" in page


def test_footer_pdf_and_essay_carry_the_licence_and_a_pinned_citation(built):
    from test_integrity import pdf_text

    essay = (built / "site" / "essay" / "index.html").read_text(encoding="utf-8")
    assert "CC BY 4.0" in essay[essay.index('class="md-copyright'):], "the footer names the licence"
    from pipeline.data.provenance import build_info

    info = build_info()
    cite = essay[essay.index('id="citation"'):]
    assert f"data version {info['data_version']}" in cite and "@misc{" in cite and "commit " in cite
    text = pdf_text(built)
    assert "CC BY 4.0" in text and "Cite this essay" in text and "@misc{" in text
