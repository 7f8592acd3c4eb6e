"""Shared fixtures. Tests that build run in a copy of the project, never in the working tree, so a
test can break data or compare two builds without touching what the developer is looking at."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.files import copy_ignoring

ROOT = Path(__file__).resolve().parent.parent
# Outputs and local state are not copied (pipeline.files.copy_ignoring): each copy starts like a fresh clone.


def copy_project(dest: Path, source: Path = ROOT) -> Path:
    """A fresh copy of the project's sources. Copy from a built copy (not the working tree) to
    compare two builds of exactly the same inputs, even while someone edits the tree."""
    shutil.copytree(source, dest, ignore=copy_ignoring(source))
    return dest


def run(args: list[str], cwd: Path, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1764460800"}
    result = subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True, env=env)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


@pytest.fixture
def project(tmp_path) -> Path:
    """A fresh copy of the project that a test may change."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """A copy of the project after the full build (figures, site, PDF)."""
    root = copy_project(tmp_path_factory.mktemp("built") / "project")
    run(["-m", "pipeline.build"], cwd=root)
    return root


@pytest.fixture(scope="session")
def numbers(built) -> dict:
    return json.loads((built / "build" / "numbers.json").read_text())
