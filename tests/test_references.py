"""Docs tested against code: every path to a pipeline, chart or script file named in a tracked text
file exists (a renamed module leaves no comment or README line pointing at its old name)."""
from __future__ import annotations

import re
import subprocess

from conftest import ROOT

# Modules that a test writes into its copy of the project, to see the build refuse them.
WRITTEN_BY_TESTS = {"charts/zz_fixed_axis.py", "charts/typo.py"}
PATH = re.compile(r"\b((?:pipeline|charts|scripts|tests|print)/[\w./-]*\.(?:py|j2|css|mjs|yml))\b")


def tracked_text_files():
    listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    if not listed:  # a copy without git: every text file
        listed = [str(p.relative_to(ROOT)) for p in ROOT.rglob("*") if p.is_file()]
    for name in listed:
        if name.endswith((".py", ".md", ".yml", ".yaml", ".j2", ".css", ".html", ".toml", ".cfg")) or name in ("Makefile", "NOTICE"):
            yield ROOT / name


def test_every_file_path_named_in_the_repository_exists():
    missing = []
    for path in tracked_text_files():
        if not path.exists() or "fixtures" in path.parts:
            continue
        for line_no, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            for ref in PATH.findall(line):
                if "*" in ref or "<" in ref or "{" in ref or ref in WRITTEN_BY_TESTS:
                    continue
                if not (ROOT / ref).exists():
                    missing.append(f"{path.relative_to(ROOT)}:{line_no} names {ref}")
    assert not missing, "paths that no longer exist:\n" + "\n".join(missing)
