"""What a reader needs to know which data and which code a page or PDF was built from, and the one
clock the build uses: the last commit's time (never the wall clock), so the same inputs give the
same bytes on any day."""
from __future__ import annotations

import os
import subprocess
from datetime import date, datetime, timezone

from pipeline.data.changelog import data_version
from pipeline.edition import ESSAY_DATE
from pipeline.paths import ROOT


def _git(*args: str) -> str:
    result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
    return result.stdout.strip() if result.returncode == 0 else ""


def commit() -> str:
    """The short hash of the commit the build ran on, '-dirty' when the working tree has changes
    ('unknown' outside a git checkout)."""
    return _git("describe", "--always", "--dirty", "--abbrev=10", "--exclude=*") or "unknown"


def source_date_epoch() -> str:
    """SOURCE_DATE_EPOCH when set, else the last commit's time ('0' outside git)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return epoch if epoch.isdigit() else (_git("log", "-1", "--format=%ct") or "0")


def build_time() -> datetime | None:
    """The moment a build is stamped with (the PDF's dates, the sitemap's): see source_date_epoch."""
    epoch = source_date_epoch()
    return datetime.fromtimestamp(int(epoch), tz=timezone.utc) if epoch != "0" else None


def build_info() -> dict:
    return {"data_version": data_version(), "commit": commit(), "updated": last_updated().isoformat()}


def last_updated() -> date:
    """When the essay last changed: its newest data change (the changelog) or, in a git checkout,
    the newest commit that touched the prose, the claims or the figures."""
    version = data_version()
    newest = [date.fromisoformat(version)] if version != "unversioned" else []
    day = _git("log", "-1", "--format=%cs", "--", "docs", "data/claims.yaml", "charts")
    if day:
        newest.append(date.fromisoformat(day))
    return max(newest, default=ESSAY_DATE)
