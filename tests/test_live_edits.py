"""Edits take effect in a long-running process (`make serve`): nothing read from data/, charts/ or
docs/ is kept for the life of the process. Checked in one process, and once through a real
`mkdocs serve` on a free port."""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import run

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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


@pytest.mark.slow
def test_mkdocs_serve_shows_a_new_source_after_the_descriptor_and_csv_are_saved(built_copy):
    port = _free_port()
    mkdocs = os.path.join(os.path.dirname(sys.executable), "mkdocs")
    log = built_copy / "serve.log"  # a file, not a pipe: nobody reads a pipe while waiting, and it could fill
    with log.open("w") as err:
        server = subprocess.Popen([mkdocs, "serve", "-a", f"127.0.0.1:{port}"], cwd=built_copy,
                                  stdout=subprocess.DEVNULL, stderr=err, text=True, start_new_session=True,
                                  env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})

    def said() -> str:
        return "\nmkdocs serve said:\n" + log.read_text()[-3000:]

    try:
        page = f"http://127.0.0.1:{port}/future-of-open-models/essay/"
        deadline = time.monotonic() + 90
        while "closed_models_lead" not in _get(page):
            assert server.poll() is None and time.monotonic() < deadline, "mkdocs serve did not start" + said()
            time.sleep(0.3)
        assert "A Test Publisher Of Record" not in _get(page)

        add_and_cite_a_source(built_copy)
        saved = time.monotonic()
        while "A Test Publisher Of Record" not in _get(page):
            assert server.poll() is None, "mkdocs serve stopped" + said()
            assert time.monotonic() - saved < 60, "the new source never showed: an edit was not seen" + said()
            time.sleep(0.2)
        seen_after = time.monotonic() - saved
        assert re.search(r'<a href="https://example.org/test-new-source">A Test Publisher Of Record</a>', _get(page))
    finally:
        if server.poll() is None:  # a server that already died has no process group to signal
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)
    print(f"the saved edit showed after {seen_after:.1f} s")
