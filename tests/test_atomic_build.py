"""A build that fails on bad data or a template error leaves the published site and PDF as they were."""
from __future__ import annotations

import hashlib

from conftest import run


def snapshot(site):
    return {p.relative_to(site): hashlib.sha256(p.read_bytes()).hexdigest() for p in site.rglob("*") if p.is_file()}


def test_bad_data_stops_the_build_with_a_message_and_keeps_the_old_site(project):
    run(["-m", "pipeline.build"], cwd=project)
    before = snapshot(project / "site")
    csv = project / "data" / "enterprise_open_share.csv"
    csv.write_text(csv.read_text().replace(",13,", ",113,"))
    result = run(["-m", "pipeline.build"], cwd=project, check=False)
    assert result.returncode == 1
    assert "data/enterprise_open_share.csv, line 3, column 'open_share': value '113': must be at most 100" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(project / "site") == before


def test_undefined_template_variable_fails_the_build_and_keeps_the_old_site(project):
    run(["-m", "pipeline.build"], cwd=project)
    before = snapshot(project / "site")
    essay = project / "docs" / "essay.md"
    essay.write_text(essay.read_text() + "\nA number nobody computed: {{ n.closed_models_lead.no_such_number }}\n")
    result = run(["-m", "pipeline.build"], cwd=project, check=False)
    assert result.returncode == 1
    assert "no_such_number" in result.stderr + result.stdout
    assert snapshot(project / "site") == before
    assert not list(project.glob("site.new-*")), "the staging folder was left behind"
