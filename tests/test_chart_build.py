"""build_charts.py: every figure renders, reruns are byte-identical, and only changed inputs redraw."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from pipeline.figures import registry as figures

from conftest import run


def drawn_count(output: str) -> int:
    return int(re.search(r"(\d+) figure\(s\) drawn", output).group(1))


def test_every_registered_chart_renders_both_variants_in_every_layout(built):
    ids = figures.chart_ids()
    assert len(ids) >= 2
    for figure_id in ids:
        paths = figures.image_paths(figure_id, built / "docs" / "figures")
        assert set(paths) == set(figures.LAYOUTS) == {"wide", "narrow"}
        assert paths["wide"]["light"].name == f"{figure_id}.light.svg"
        assert paths["narrow"]["light"].name == f"{figure_id}.narrow.light.svg"
        for layout, by_variant in paths.items():
            light, dark = (by_variant[v] for v in figures.VARIANTS)
            for svg in (light, dark):
                root = ET.parse(svg).getroot()  # well-formed SVG
                assert root.tag.endswith("svg") and len(svg.read_bytes()) > 5000, svg
                # drawn at the layout's width: the SVG's units are points, 72 an inch
                assert float(root.get("viewBox").split()[2]) == round(figures.spec(figure_id).sizes[layout][0] * 72, 1)
            assert light.read_bytes() != dark.read_bytes(), f"{figure_id}, {layout}: dark variant is the light one"
        assert paths["wide"]["light"].read_bytes() != paths["narrow"]["light"].read_bytes(), figure_id


def test_dark_variant_uses_the_dark_background(built):
    from pipeline.figures.style import THEMES

    for figure_id in figures.chart_ids():
        for by_variant in figures.image_paths(figure_id, built / "docs" / "figures").values():
            dark = by_variant["dark"].read_text()
            assert THEMES["dark"].background in dark and "#ffffff" not in dark.lower(), figure_id


def _hashed_ids_numbered(svg: bytes) -> bytes:
    """matplotlib names markers, clip paths and hatches by a hash of their style: number them in
    order of appearance instead, so two drawings that differ only in colour compare equal."""
    ids: dict[bytes, bytes] = {}
    return re.sub(rb"\b[mph][0-9a-f]{10}\b", lambda found: ids.setdefault(found.group(), b"id%d" % len(ids)), svg)


def test_each_dark_svg_is_the_light_one_recoloured_and_the_same_as_the_dark_drawing(built):
    """The build draws each layout in the light theme and swaps its colours for the dark ones:
    drawing the dark theme for real gives the same file (but for matplotlib's hashed ids)."""
    from pipeline.figures import build as figure_build

    for figure_id in figures.chart_ids():
        frames = figures.frames_for(figure_id)
        for layout, by_variant in figures.image_paths(figure_id, built / "docs" / "figures").items():
            light, dark = by_variant["light"].read_bytes(), by_variant["dark"].read_bytes()
            assert figure_build.recoloured(light, "dark") == dark, f"{figure_id}, {layout}"
            with figure_build.laid_out(figure_id, frames, layout, "dark") as (fig, _):
                drawn = figure_build.svg_bytes(fig)
            assert _hashed_ids_numbered(drawn) == _hashed_ids_numbered(dark), f"{figure_id}, {layout}"


def test_recolouring_swaps_theme_colours_only_where_they_are_colours_and_refuses_others():
    from pipeline.data.datasets import DataError
    from pipeline.figures import build as figure_build

    light = (b'<path style="fill: #ffffff; stroke: #0072b2"/><use xlink:href="#m0123456789"/>'
             b'<text>#d55e00 is the closed colour</text>')
    assert figure_build.recoloured(light, "dark") == (b'<path style="fill: #1e2029; stroke: #56b4e9"/>'
                                                      b'<use xlink:href="#m0123456789"/><text>#d55e00 is the closed colour</text>')
    with pytest.raises(DataError, match=r"colours that are not theme colours \(#0072b3\)"):
        figure_build.recoloured(light.replace(b"#0072b2", b"#0072b3"), "dark", "x", "wide")
    with pytest.raises(DataError, match="a raster image"):
        figure_build.recoloured(light + b'<image xlink:href="data:image/png;base64,iVBOR"/>', "dark", "x", "wide")


def test_two_builds_in_different_folders_give_identical_figures_and_numbers(built, rebuilt):
    for figure_id in figures.figure_ids():
        for path in figures.output_paths(figure_id, built / "docs" / "figures"):
            assert (rebuilt.root / "docs" / "figures" / path.name).read_bytes() == path.read_bytes(), path.name
    assert len(list((built / "docs" / "figures").glob("*.narrow.*.svg"))) == 2 * len(figures.chart_ids())
    for generated in ("numbers.json", "plotted.json"):
        assert (rebuilt.root / "build" / generated).read_bytes() == (built / "build" / generated).read_bytes(), generated


def test_no_change_draws_nothing_and_one_csv_change_draws_exactly_one(rebuilt, built_copy):
    assert drawn_count(rebuilt.output) == len(figures.figure_ids())  # a first build draws them all

    again = run(["build_charts.py"], cwd=built_copy).stdout
    assert drawn_count(again) == 0 and "validated" not in again

    csv = built_copy / "data" / "chatgpt_weekly_users.csv"
    csv.write_text(csv.read_text().replace("2025-10-06,day,800", "2025-10-06,day,810"))
    changed = run(["build_charts.py"], cwd=built_copy).stdout
    assert drawn_count(changed) == 1, changed
    users = [fid for fid in figures.figure_ids() if "chatgpt_weekly_users" in figures.spec(fid).all_datasets]
    assert f"drew {users[0]}" in changed


def test_numbers_first_says_so_before_drawing_and_leaves_the_same_bytes(built_copy):
    """`build_charts.py --numbers-first` (what `mkdocs serve` runs): after a CSV edit the numbers and
    plotted values are written before the files are drawn, and are what a plain build writes; with a
    file to draw that does not exist yet, the numbers are said to be written only after drawing."""
    csv = built_copy / "data" / "chatgpt_weekly_users.csv"
    csv.write_text(csv.read_text().replace("2025-10-06,day,800", "2025-10-06,day,812"))
    lines = run(["build_charts.py", "--numbers-first"], cwd=built_copy).stdout.splitlines()
    drew = [n for n, line in enumerate(lines) if line.startswith("drew ")]
    assert len(drew) == 1 and lines.index("numbers written") < drew[0], lines
    figure_id = lines[drew[0]].split()[1]
    outputs = [built_copy / "build" / name for name in ("numbers.json", "plotted.json")]
    outputs += figures.output_paths(figure_id, built_copy / "docs" / "figures")
    first = {path: path.read_bytes() for path in outputs}
    assert "812" in first[outputs[0]].decode()
    run(["build_charts.py", "--force", figure_id], cwd=built_copy)
    assert {path: path.read_bytes() for path in outputs} == first

    outputs[-1].unlink()
    lines = run(["build_charts.py", "--numbers-first"], cwd=built_copy).stdout.splitlines()
    assert lines.index(f"drew {figure_id} ({outputs[-1].relative_to(built_copy)} is missing or was edited)") \
        < lines.index("numbers written"), lines


def test_a_narrow_figure_edited_by_hand_is_redrawn(built_copy):
    """The narrow files are outputs like the wide ones: the incremental build notices them."""
    figure_id = figures.chart_ids()[0]
    narrow = built_copy / "docs" / "figures" / f"{figure_id}.narrow.dark.svg"
    narrow.write_text(narrow.read_text().replace("<svg", "<svg data-edited='1'", 1))
    out = run(["build_charts.py"], cwd=built_copy).stdout
    assert drawn_count(out) == 1 and f"docs/figures/{figure_id}.narrow.dark.svg is missing or was edited" in out


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


def test_the_outputs_of_a_removed_figure_are_deleted_not_published(built_copy):
    """A figure module deleted (or renamed) leaves no SVG or PNG in docs/figures/, which MkDocs
    would publish, and no numbers in numbers.json."""
    import json

    gone = "closed_models_lead"   # a chart with a social card: every kind of output
    outputs = sorted((built_copy / "docs" / "figures").glob(f"{gone}.*"))
    assert len(outputs) == 5, outputs
    (built_copy / "charts" / f"{gone}.py").unlink()
    stray = built_copy / "docs" / "figures" / "old_name.narrow.light.svg"
    stray.write_text("<svg/>")
    assert run(["build_charts.py", "--check"], cwd=built_copy, check=False).returncode == 1
    out = run(["build_charts.py"], cwd=built_copy).stdout
    assert not any(path.exists() for path in outputs + [stray]), out
    assert f"removed docs/figures/{gone}.png" in out and "removed docs/figures/old_name.narrow.light.svg" in out
    assert gone not in json.loads((built_copy / "build" / "numbers.json").read_text())
    kept = sorted(p.name for p in (built_copy / "docs" / "figures").iterdir())
    assert kept and all(p.split(".")[0] in figures.chart_ids() for p in kept), kept
    assert run(["build_charts.py", "--check"], cwd=built_copy, check=False).returncode == 0
