"""Writing, hashing and reading files the same way everywhere: readers never see half a file, every
"has this changed?" question is answered by a hash of the content, never by a clock, and mkdocs.yml
is read by one tolerant loader (mkdocs_config)."""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from pipeline.paths import ROOT


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "missing"


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def digest(parts) -> str:
    """One hash over several (name, hash-or-text) pairs, in the order given."""
    h = hashlib.sha256()
    for name, value in parts:
        h.update(f"{name}\0{value}\n".encode())
    return h.hexdigest()


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside the target, then rename: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.chmod(tmp, 0o644)  # mkstemp makes files private; outputs are published
    os.replace(tmp, path)


# What a copy of the project leaves out: local state and generated outputs, at the project root only
# (pipeline/site/ is code, site/ is output).
LOCAL = (".git", ".venv", ".venv-cff", "node_modules", ".pytest_cache", ".zensical.yml")
OUTPUTS = ("site", "build", ".cache", "docs/figures", "docs/posts/updates")


def copy_ignoring(root: Path, names=LOCAL + OUTPUTS, patterns=("site.new-*", "site.old-*")):
    """An `ignore` for shutil.copytree(root, ...): `names` (paths relative to root), anything
    matching `patterns` at the root, and __pycache__ everywhere."""
    import fnmatch

    root = Path(root).resolve()
    skip = {root / n for n in names}

    def ignore(folder, entries):
        folder = Path(folder).resolve()
        return {e for e in entries if e == "__pycache__" or folder / e in skip
                or (folder == root and any(fnmatch.fnmatch(e, p) for p in patterns))}

    return ignore


def mkdocs_config(mkdocs_yml: Path | None = None) -> dict:
    """mkdocs.yml as a dict, read the one way every stage reads it: tolerant of the tags MkDocs
    resolves itself (`!ENV`, `!relative`, `!!python/name:`), which plain YAML refuses; their
    values read as None (nothing outside MkDocs uses them)."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    path = ROOT / "mkdocs.yml" if mkdocs_yml is None else mkdocs_yml
    return yaml.load(path.read_text(encoding="utf-8"), Loader=Loader) or {}
