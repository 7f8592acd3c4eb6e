"""What a reader needs to know which data and which code a page or PDF was built from."""
from __future__ import annotations

import subprocess
from datetime import date

from pipeline import datasets
from pipeline.edition import ESSAY_DATE
from pipeline.paths import ROOT


def data_version() -> str:
    """The date of the newest changelog entry across all datasets (YYYY-MM-DD).

    Every data change comes with a changelog entry (a test enforces it), so this date moves
    whenever the data does; each dataset's own semantic version is on the Data page.
    """
    dates = [str(entry["date"]) for d in datasets.dataset_ids()
             for entry in datasets.descriptor(d).get("changelog", [])]
    return max(dates) if dates else "unversioned"


def commit() -> str:
    """The short hash of the commit the build ran on, '-dirty' when the working tree has changes
    ('unknown' outside a git checkout)."""
    result = subprocess.run(["git", "describe", "--always", "--dirty", "--abbrev=10", "--exclude=*"],
                            cwd=ROOT, capture_output=True, text=True)
    return result.stdout.strip() or "unknown"


def build_info() -> dict:
    return {"data_version": data_version(), "commit": commit(), "updated": last_updated().isoformat()}


def last_updated() -> date:
    """When the essay last changed: its newest data change (the changelog) or, in a git checkout,
    the newest commit that touched the prose, the claims or the figures."""
    newest = [date.fromisoformat(data_version())] if data_version() != "unversioned" else []
    result = subprocess.run(["git", "log", "-1", "--format=%cs", "--", "docs", "data/claims.yaml", "charts"],
                            cwd=ROOT, capture_output=True, text=True)
    if result.returncode == 0 and result.stdout.strip():
        newest.append(date.fromisoformat(result.stdout.strip()))
    return max(newest, default=ESSAY_DATE)
