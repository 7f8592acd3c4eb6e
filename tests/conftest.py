"""Shared fixtures. Tests that build run in a copy of the project, never in the working tree, so a
test can break data or compare two builds without touching what the developer is looking at.

`make test` runs the tests in two processes (pytest-xdist, `-n 2`); the full builds that tests read
(`built`, `rebuilt`) are made once for the whole run, by the first process that needs them, and
never changed afterwards: a test that changes anything works in a copy (`built_copy`, `project`)."""
from __future__ import annotations

import fcntl
import json
import re
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable, NamedTuple

import pytest

from pipeline.files import LOCAL, copy_ignoring

ROOT = Path(__file__).resolve().parent.parent
# Outputs and local state are not copied (pipeline.files.copy_ignoring): each copy starts like a fresh clone.


def copy_project(dest: Path, source: Path = ROOT) -> Path:
    """A fresh copy of the project's sources. Copy from a built copy (not the working tree) to
    compare two builds of exactly the same inputs, even while someone edits the tree."""
    shutil.copytree(source, dest, ignore=copy_ignoring(source))
    return dest


def run(args: list[str], cwd: Path, check: bool = True, env: dict | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1764460800", **(env or {})}
    result = subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True, env=env)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


@pytest.fixture
def project(tmp_path) -> Path:
    """A fresh copy of the project that a test may change."""
    return copy_project(tmp_path / "project")


def made_once(tmp_path_factory, name: str, make: Callable[[Path], str]) -> tuple[Path, str]:
    """The folder `name`, made by make(folder) once for the whole test run, whichever process of a
    pytest-xdist run asks first (the others wait for it); returns it with what make() returned."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # shared by the run's processes
    folder, done = base / name, base / f"{name}.done"
    with open(base / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            done.write_text(make(folder), encoding="utf-8")
    return folder, done.read_text(encoding="utf-8")


def pytest_collection_modifyitems(config, items):
    """In several processes, one test that reads the shared build goes first, so that one process
    starts making it while the others run the tests that need no build (a third of the run's
    tests, each quick); the tests that read it follow."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return
    reads = [item for item in items if "built" in item.fixturenames]
    if reads:
        rest = [item for item in items if "built" not in item.fixturenames]
        items[:] = reads[:1] + rest + reads[1:]


class Build(NamedTuple):
    root: Path
    output: str  # what the build printed


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """A copy of the project after the full build (figures, site, PDF). Read it, never change it."""

    def make(folder: Path) -> str:
        return run(["-m", "pipeline.build"], cwd=copy_project(folder / "project")).stdout

    folder, _ = made_once(tmp_path_factory, "built", make)
    return folder / "project"


@pytest.fixture(scope="session")
def rebuilt(built, tmp_path_factory) -> Build:
    """A second full build from cold, of the same sources as `built`, in another folder: the two
    must agree to the byte (figures, numbers, site, PDF)."""

    def make(folder: Path) -> str:
        return run(["-m", "pipeline.build"], cwd=copy_project(folder / "again", source=built)).stdout

    folder, output = made_once(tmp_path_factory, "rebuilt", make)
    return Build(folder / "again", output)


@pytest.fixture(scope="session")
def numbers(built) -> dict:
    return json.loads((built / "build" / "numbers.json").read_text())


@pytest.fixture
def built_copy(built, tmp_path):
    """A copy of the built project with its caches (figures, manifest, numbers, published site), so
    a test that changes one input redoes only what that input feeds. Much faster than a fresh copy."""
    return Path(shutil.copytree(built, tmp_path / "p", symlinks=True, ignore=copy_ignoring(built, names=LOCAL)))


def cited_in_context(markdown: str) -> list[tuple[str, str, str]]:
    """(figure, name, the two words just before it) for each number the Markdown cites: a short
    number ('11%', '8×') is looked for where the prose puts it, not anywhere in the text."""
    found = []
    for match in re.finditer(r"\{\{\s*n\.(\w+)\.(\w+)\s*\}\}", markdown):
        before = markdown[max(0, match.start() - 80):match.start()]
        before = re.split(r"\}\}|%\}|[(\[\]*_`>\n]", before)[-1]  # plain words only, back to markup
        words = before.split()
        found.append((match.group(1), match.group(2), " ".join(words[-2:]) if before.endswith(" ") else ""))
    return found


def check_numbers_in_context(text: str, markdown: str, numbers: dict, normal=lambda s: s) -> None:
    """Every number the Markdown cites is in `text` whole (not '1%' inside '11%'), after the words
    that precede it in the prose where there are any (most numbers), with its ≈ where marked."""
    cited = cited_in_context(markdown)
    assert len({(f, n) for f, n, _ in cited}) >= 50, cited
    in_context = 0
    for figure, name, before in cited:
        shown = re.escape(normal(numbers[figure][name]["text"])).replace(r"\ ", r"\s")
        lead = re.escape(normal(before)).replace(r"\ ", r"\s") + r"\s" if before else ""
        assert re.search(lead + rf"≈?(?<![\w.,]){shown}(?![\w])", text), \
            f"n.{figure}.{name} = {shown!r} is not in the text after {before!r}"
        in_context += bool(before)
    assert in_context >= len(cited) // 2, "too few numbers could be checked in their context"
