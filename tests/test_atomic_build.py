"""A build that fails on bad data or a template error leaves the published site and PDF as they were."""
from __future__ import annotations

import hashlib
import re

from conftest import run


def snapshot(site):
    return {p.relative_to(site): hashlib.sha256(p.read_bytes()).hexdigest() for p in site.rglob("*") if p.is_file()}


def test_bad_data_stops_the_build_with_a_message_and_keeps_the_old_site(built_copy):
    before = snapshot(built_copy / "site")
    csv = built_copy / "data" / "enterprise_open_share.csv"
    csv.write_text(csv.read_text().replace(",13,", ",113,"))
    result = run(["-m", "pipeline.build"], cwd=built_copy, check=False)
    assert result.returncode == 1
    assert "data/enterprise_open_share.csv, line 3, column 'open_share': value '113': must be at most 100" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(built_copy / "site") == before


def test_undefined_template_variable_fails_the_build_and_keeps_the_old_site(built_copy):
    before = snapshot(built_copy / "site")
    essay = built_copy / "docs" / "essay.md"
    essay.write_text(essay.read_text() + "\nA number nobody computed: {{ n.closed_models_lead.no_such_number }}\n")
    result = run(["-m", "pipeline.build"], cwd=built_copy, check=False)
    assert result.returncode == 1
    assert "no_such_number" in result.stderr + result.stdout
    assert snapshot(built_copy / "site") == before
    assert not list(built_copy.glob("site.new-*")), "the staging folder was left behind"


def test_a_build_with_nothing_changed_publishes_nothing_and_a_forced_one_the_same_bytes(built_copy):
    site = built_copy / "site"
    before = snapshot(site)
    out = run(["-m", "pipeline.build"], cwd=built_copy).stdout
    assert "0 figure(s) drawn" in out and "nothing published" in out, out
    assert snapshot(site) == before
    forced = run(["-m", "pipeline.build", "--force"], cwd=built_copy).stdout
    assert snapshot(site) == before, "a forced rebuild of the same inputs changed the published bytes"
    # ... though it drew every figure and set the PDF again
    assert re.search(r"^[1-9]\d* figure\(s\) drawn", forced, re.M) and "PDF laid out" in forced, forced


def test_an_edit_to_the_essay_rebuilds_site_and_pdf_and_one_to_a_figure_note_too(built_copy):
    essay = built_copy / "docs" / "essay.md"
    essay.write_text(essay.read_text().replace("\n## ", "\nAn added sentence, to see it published.\n\n## ", 1))
    out = run(["-m", "pipeline.build"], cwd=built_copy).stdout
    assert "0 figure(s) drawn" in out and "site built" in out and "PDF laid out" in out, out
    assert "An added sentence" in (built_copy / "site" / "essay" / "index.html").read_text()
