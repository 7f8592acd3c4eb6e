"""The pipeline's dependencies run one way (each sub-package's __init__ says what it may import):
site and print use the essay, the essay uses figures and data, figures use data. Every import in
a module counts, also the ones inside functions."""
from __future__ import annotations

import ast

from conftest import ROOT

BASE = {"paths", "files", "edition", "forked"}
MAY_IMPORT = {
    "data": BASE,
    "figures": BASE | {"data"},
    "essay": BASE | {"data", "figures"},
    "print": BASE | {"data", "essay"},
    "site": BASE | {"data", "figures", "essay"},
}


def imported_parts(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                 else [node.module or ""] if isinstance(node, ast.ImportFrom) and node.level == 0 else [])
        if isinstance(node, ast.ImportFrom) and node.module == "pipeline":
            names = [f"pipeline.{a.name}" for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "pipeline" and len(parts) > 1:
                yield node.lineno, parts[1]
            if parts[0] == "scripts":
                yield node.lineno, "scripts"


def test_each_sub_package_imports_only_what_its_docstring_allows():
    wrong = []
    for package, allowed in MAY_IMPORT.items():
        for path in sorted((ROOT / "pipeline" / package).glob("*.py")):
            for line, part in imported_parts(path):
                if part != package and part not in allowed:
                    wrong.append(f"{path.relative_to(ROOT)}:{line} imports pipeline.{part}")
    assert not wrong, "imports against the layering:\n" + "\n".join(wrong)


def test_no_pipeline_module_loads_code_from_scripts():
    for path in (ROOT / "pipeline").rglob("*.py"):
        assert '"scripts"' not in path.read_text(encoding="utf-8"), f"{path.relative_to(ROOT)} loads from scripts/"


def test_the_rule_is_the_one_the_docstrings_state():
    import importlib

    for package, allowed in MAY_IMPORT.items():
        doc = importlib.import_module(f"pipeline.{package}").__doc__
        for other in set(MAY_IMPORT) - allowed - {package}:
            assert f"pipeline.{other}" not in doc.split("May import:")[1].split("Never")[0], (package, other)
