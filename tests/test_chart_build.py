"""build_charts.py: every figure renders, reruns are byte-identical, and only changed inputs redraw."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from pipeline.figures import registry as figures

from conftest import run


def drawn_count(output: str) -> int:
    return int(re.search(r"(\d+) figure\(s\) drawn", output).group(1))


def test_every_registered_chart_renders_both_variants(built):
    ids = figures.chart_ids()
    assert len(ids) >= 2
    for figure_id in ids:
        light, dark = (built / "docs" / "figures" / f"{figure_id}.{v}.svg" for v in figures.VARIANTS)
        for svg in (light, dark):
            root = ET.parse(svg).getroot()  # well-formed SVG
            assert root.tag.endswith("svg") and len(svg.read_bytes()) > 5000, svg
        assert light.read_bytes() != dark.read_bytes(), f"{figure_id}: dark variant is the light one"


def test_dark_variant_uses_the_dark_background(built):
    from pipeline.figures.style import THEMES

    for figure_id in figures.chart_ids():
        dark = (built / "docs" / "figures" / f"{figure_id}.dark.svg").read_text()
        assert THEMES["dark"].background in dark and "#ffffff" not in dark.lower(), figure_id


def test_two_builds_in_different_folders_give_identical_figures_and_numbers(built, rebuilt):
    for figure_id in figures.figure_ids():
        for path in figures.output_paths(figure_id, built / "docs" / "figures"):
            assert (rebuilt.root / "docs" / "figures" / path.name).read_bytes() == path.read_bytes(), path.name
    assert (rebuilt.root / "build" / "numbers.json").read_bytes() == (built / "build" / "numbers.json").read_bytes()


def test_no_change_draws_nothing_and_one_csv_change_draws_exactly_one(rebuilt, built_copy):
    assert drawn_count(rebuilt.output) == len(figures.figure_ids())  # a first build draws them all

    again = run(["build_charts.py"], cwd=built_copy).stdout
    assert drawn_count(again) == 0 and "validated" not in again

    csv = built_copy / "data" / "chatgpt_weekly_users.csv"
    csv.write_text(csv.read_text().replace("2025-10-06,day,800", "2025-10-06,day,810"))
    changed = run(["build_charts.py"], cwd=built_copy).stdout
    assert drawn_count(changed) == 1, changed
    users = [fid for fid in figures.figure_ids() if "chatgpt_weekly_users" in figures.spec(fid).datasets]
    assert f"drew {users[0]}" in changed


def test_check_reports_stale_outputs_and_passes_when_fresh(project, built_copy):
    assert run(["build_charts.py", "--check"], cwd=project, check=False).returncode == 1  # never drawn
    assert run(["build_charts.py", "--check"], cwd=built_copy, check=False).returncode == 0
    (built_copy / "docs" / "figures" / f"{figures.figure_ids()[0]}.dark.svg").unlink()
    result = run(["build_charts.py", "--check"], cwd=built_copy, check=False)
    assert result.returncode == 1 and "missing" in result.stdout


def test_a_subset_and_force_redraw_only_what_was_asked(built_copy):
    one = figures.figure_ids()[0]
    out = run(["build_charts.py", "--force", one], cwd=built_copy).stdout
    assert drawn_count(out) == 1 and f"drew {one}" in out
    listing = run(["build_charts.py", "--list"], cwd=built_copy).stdout
    assert all(fid in listing for fid in figures.figure_ids())
    assert run(["build_charts.py", "no_such_figure"], cwd=built_copy, check=False).returncode == 2


def test_nothing_changed_run_does_not_import_matplotlib_or_pandas(built_copy):
    code = ("import sys, build_charts; build_charts.main([]); "
            "print('heavy:', sorted(m for m in ('matplotlib', 'pandas', 'frictionless') if m in sys.modules))")
    out = run(["-c", code], cwd=built_copy).stdout
    assert "heavy: []" in out, out
