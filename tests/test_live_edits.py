"""Edits take effect in a long-running process (`make serve`): nothing read from data/, charts/ or
docs/ is kept for the life of the process. Checked in one process, and once through a real
`mkdocs serve` on a free port."""
from __future__ import annotations

import re

import pytest

from conftest import run
from serve_support import Serve, get

NEW_SOURCE = """  - id: test-new-source
    publisher: A Test Publisher Of Record
    title: A source added while the server runs
    path: https://example.org/test-new-source
    published: 2025-01-01
    accessed: 2025-01-02
    licence: not stated
    licence_checked: "a test source: nothing to look up"
"""
EOS = "enterprise_open_share"


def add_and_cite_a_source(root) -> None:
    """README step 2: a new source in the descriptor, cited by a row of the CSV."""
    descriptor = root / "data" / f"{EOS}.resource.yaml"
    text = descriptor.read_text()
    descriptor.write_text(text.replace("sources:\n", "sources:\n" + NEW_SOURCE, 1))
    csv = root / "data" / f"{EOS}.csv"
    csv.write_text(csv.read_text().replace("menlo-2025-report,exact", "test-new-source,exact", 1))


def test_descriptor_csv_claims_and_figure_edits_are_seen_by_the_same_process(built_copy):
    code = f"""
import sys
from pathlib import Path
root = Path.cwd()
from pipeline.data import datasets
from pipeline.essay import claims, render
from pipeline.figures import build, registry

build.build(say=lambda _: None)
datasets.validate(["{EOS}"])
assert "test-new-source" not in datasets.sources("{EOS}")
before = render.figure_info("closed_models_lead", 1, render.numbers())

# README step 2 while the process runs: a source added and cited, a claim and a figure title edited.
sys.path.insert(0, str(root / "tests"))
from test_live_edits import add_and_cite_a_source
add_and_cite_a_source(root)
claims_file = root / "data" / "claims.yaml"
claims_file.write_text(claims_file.read_text().replace("- id: chatgpt-eightfold", "- id: chatgpt-eightfold-edited", 1))
module = root / "charts" / "closed_models_lead.py"
module.write_text(module.read_text().replace('TITLE = "Open-weight', 'TITLE = "Edited: Open-weight', 1))

build.build(say=lambda _: None)   # validates the edited dataset: the new source id is known
after = render.figure_info("closed_models_lead", 1, render.numbers())
assert "test-new-source" in datasets.sources("{EOS}")
assert "test-new-source" in [s["id"] for s in after.sources], after.sources
assert after.title.startswith("Edited:"), after.title
assert "chatgpt-eightfold-edited" in [c["id"] for c in claims.declared()]
print("ok")
"""
    (built_copy / "tests").mkdir(exist_ok=True)
    (built_copy / "tests" / "test_live_edits.py").write_text(open(__file__).read())
    result = run(["-c", code], cwd=built_copy)
    assert result.stdout.strip().endswith("ok"), result.stdout + result.stderr


def test_a_long_report_of_bad_data_reaches_the_serve_hook_whole(built_copy):
    """Under `mkdocs serve` the figure build runs in a child whose output the hook reads as it
    comes; a report of bad data longer than a pipe holds (64 kB) must arrive, not block both."""
    csv = built_copy / "data" / "lmarena_text.csv"
    lines = csv.read_text(encoding="utf-8").splitlines()
    bad = [re.sub(r",(\d+),(\d+),(\d+),(\d+),", ",many,\\2,\\3,\\4,", line, count=1) for line in lines[1:]]
    csv.write_text("\n".join([lines[0], *bad]) + "\n", encoding="utf-8")
    code = """
import signal, sys
signal.alarm(60)   # blocked on a full pipe, it would never return: fail instead of hanging the run
from mkdocs.exceptions import PluginError
from pipeline.site import hooks
try:
    hooks._start_drawing()
    hooks._figures_drawn()
except PluginError as err:
    print(len(str(err)), str(err).count("lmarena_text.csv"))
"""
    result = run(["-c", code], cwd=built_copy)
    length, mentions = (int(n) for n in result.stdout.split()[-2:])
    assert length > 64 * 1024 and mentions > 100, result.stdout[-500:]


@pytest.mark.slow
def test_mkdocs_serve_shows_a_new_source_after_the_descriptor_and_csv_are_saved(built_copy):
    serve = Serve(built_copy)
    try:
        serve.wait_for("closed_models_lead", 90, "mkdocs serve did not start")
        assert "A Test Publisher Of Record" not in get(serve.page)
        add_and_cite_a_source(built_copy)
        seen_after = serve.wait_for("A Test Publisher Of Record", 60, "the new source never showed: an edit was not seen")
        assert re.search(r'<a href="https://example.org/test-new-source">A Test Publisher Of Record</a>', get(serve.page))
    finally:
        serve.stop()
    print(f"the saved edit showed after {seen_after:.1f} s")


@pytest.mark.slow
def test_mkdocs_serve_survives_a_broken_macro_and_shows_the_fix(built_copy):
    """A typo in the essay's template shows on the page; the server stays up and the fix shows."""
    serve = Serve(built_copy)
    essay = built_copy / "docs" / "essay.md"
    good = essay.read_text()
    try:
        serve.wait_for("closed_models_lead", 90, "mkdocs serve did not start")
        essay.write_text(good.replace("{{ byline() }}", "{{ byline() }}\n\n{{ n.closed_models_lead.no_such_number }}", 1))
        serve.wait_for("no_such_number", 60, "the macro error never showed on the page")
        essay.write_text(good.replace("{{ byline() }}", "{{ byline() }}\n\nA sentence added after the fix.", 1))
        serve.wait_for("A sentence added after the fix", 60, "the fixed page never showed")
    finally:
        serve.stop()
