"""`python -m pipeline.refresh lmarena` lets a new snapshot in: replaying the last three real files
rebuilds the committed dataset byte for byte, and bad or repeated data is refused with a clear
message, a non-zero exit code and every file under data/ unchanged."""
from __future__ import annotations

import hashlib
import io
import re
import shutil

import pytest

from pipeline import refresh
from pipeline.data import datasets, lmarena

from conftest import ROOT, run

FIXTURES = ROOT / "tests" / "fixtures" / "lmarena"
REPLAYED = ["2025-07-28", "2025-08-01", "2025-08-04"]


def provenance():
    return {r["snapshot"]: r for r in lmarena.read_rows(lmarena.SNAPSHOTS)}


def drop_snapshots(data_dir, dates):
    for name in ("lmarena_text.csv", "lmarena_snapshots.csv"):
        path = data_dir / name
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text("".join(l for l in lines if not l.startswith(tuple(dates))), encoding="utf-8")


def data_state(project):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((project / "data").iterdir())}


def refresh_cmd(project, where, *extra):
    return run(["-m", "pipeline.refresh", "lmarena", str(where), *extra], cwd=project, check=False)


def test_replaying_the_last_three_snapshots_gives_the_committed_dataset_byte_for_byte(project):
    drop_snapshots(project / "data", REPLAYED)
    known = provenance()
    for i, day in enumerate(REPLAYED):
        entry = known[day]
        result = refresh_cmd(project, FIXTURES / f"{day}.csv", "--ref", entry["archive_ref"],
                             "--archive-path", entry["archive_path"])
        assert result.returncode == 0, result.stderr
        assert f"## LMArena snapshot {day} added" in result.stdout
        if day == "2025-08-04":  # GLM-4.5 and three others first appeared that day
            assert "### Names new to the board" in result.stdout and "| GLM-4.5 | Z.ai | MIT | open |" in result.stdout
        if i == len(REPLAYED) - 1:  # the data diff of the last one, as a pull request shows it
            assert "### Numbers that moved" in result.stdout and "`open_lag.last_snapshot` | 1 August 2025 | 4 August 2025 | yes |" in result.stdout  # the Methods page cites it
            assert "- `open_lag`: inputs changed: data/lmarena_snapshots.csv" in result.stdout
            assert "### Claims whose state changed" in result.stdout
            # Taken after the changelog entries: each dataset's version shows its bump.
            for name in (lmarena.TEXT, lmarena.SNAPSHOTS):
                bump = re.search(rf"^- `{name}`: (\S+) → (\S+)$", result.stdout, re.M)
                version = datasets.descriptor(name, project / "data")["version"]
                assert bump and bump.group(1) != bump.group(2) == version, (name, version, result.stdout)
    for name in ("lmarena_text.csv", "lmarena_snapshots.csv"):
        assert (project / "data" / name).read_bytes() == (ROOT / "data" / name).read_bytes(), name
    assert run(["-m", "pipeline.data.datapackage", "--check"], cwd=project).returncode == 0  # kept in step
    # Each snapshot was recorded, with its source, and the dataset is still valid as a whole.
    text_log = (project / "data" / "lmarena_text.resource.yaml").read_text()
    assert text_log.count(f"Added the LMArena text leaderboard of 2025-08-04 ({known['2025-08-04']['rows']} models)") == 1
    assert "sources: [lmarena]" in text_log
    assert run(["-m", "pipeline.check"], cwd=project).returncode == 0


def test_a_date_already_in_the_dataset_is_refused_and_nothing_changes(project):
    before = data_state(project)
    result = refresh_cmd(project, FIXTURES / "2025-08-04.csv", "--ref", "e964e252a171a83b8bf189675ca01406d86bc810")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    line = 1 + [r["snapshot"] for r in lmarena.read_rows(lmarena.SNAPSHOTS)].index("2025-08-04") + 1
    assert (f"data/lmarena_snapshots.csv, line {line}, column 'snapshot': value '2025-08-04': the dataset "
            "already has a snapshot of this date") in result.stderr
    assert data_state(project) == before


def test_a_malformed_file_is_refused_with_file_line_column_value_and_rule_and_nothing_changes(project, tmp_path):
    bad = tmp_path / "2025-08-09.csv"
    text = (FIXTURES / "2025-08-04.csv").read_text()
    bad.write_text(text.replace(",1470,+5/-5,", ",1470,+5-5,", 1).replace(",MIT,", ",Beerware,", 1))
    before = data_state(project)
    result = refresh_cmd(project, bad, "--ref", "2025.08.09")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "nothing was changed" in result.stderr
    assert f"{bad}, line 2, column '95_pct_ci': value '+5-5': must be a 95% interval" in result.stderr
    assert "column 'license': value 'Beerware': a licence string not in data/lmarena_licences.csv" in result.stderr
    assert data_state(project) == before


def test_the_same_leaderboard_under_a_new_date_is_nothing_new(project):
    before = data_state(project)
    result = refresh_cmd(project, FIXTURES / "2025-08-04.csv", "--date", "2025-08-05", "--ref", "2025.08.05")
    assert result.returncode == refresh.NOTHING_NEW and "the same leaderboard as the snapshot of 2025-08-04" in result.stderr
    assert data_state(project) == before


@pytest.mark.parametrize(("args", "message"), [
    (["no-date.csv", "--ref", "x"], "no date in its name; give one with --date"),
    ([str(FIXTURES / "2025-08-04.csv"), "--date", "2025-08-05"], "say where the file came from with --ref"),
    ([str(FIXTURES / "2025-08-04.csv"), "--date", "2099-01-01", "--ref", "x"], "date is in the future"),
    (["http://example.org/2025-08-05.csv", "--ref", "x"], "only https addresses are read"),
    (["/no/such/2025-08-05.csv", "--ref", "x"], "no such file"),
])
def test_wrong_arguments_are_refused_without_a_traceback(project, args, message):
    before = data_state(project)
    result = run(["-m", "pipeline.refresh", "lmarena", *args], cwd=project, check=False)
    assert result.returncode in (1, 2) and message in result.stderr and "Traceback" not in result.stderr
    assert data_state(project) == before


def test_an_https_address_names_the_commit_the_snapshot_came_from(tmp_path, monkeypatch):
    """The archive's address is read for its commit and file; the download itself is faked here."""
    for path in datasets.DATA.iterdir():
        if path.is_file():
            shutil.copy(path, tmp_path / path.name)
    drop_snapshots(tmp_path, ["2025-08-04"])
    entry = provenance()["2025-08-04"]
    served = (FIXTURES / "2025-08-04.csv").read_bytes()

    class Response(io.BytesIO):
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    asked = []
    monkeypatch.setattr("urllib.request.urlopen", lambda request, timeout: asked.append(request.full_url) or Response(served))
    report = refresh.add(entry["url"], when="2025-08-04", data_dir=tmp_path, diff=False)
    assert asked == [entry["url"]] and "## LMArena snapshot 2025-08-04 added" in report
    for name in ("lmarena_text.csv", "lmarena_snapshots.csv"):
        assert (tmp_path / name).read_bytes() == (datasets.DATA / name).read_bytes(), name


def test_the_newest_release_address_is_resolved_to_its_tag(monkeypatch):
    import json

    class Response(io.BytesIO):
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr("urllib.request.urlopen",
                        lambda request, timeout: Response(json.dumps({"tag_name": "2025.08.04"}).encode()))
    latest = f"https://github.com/{lmarena.ARCHIVE}/releases/latest/download/lmarena_text.csv"
    resolved = refresh.resolve_latest(latest)
    assert resolved == f"https://github.com/{lmarena.ARCHIVE}/releases/download/2025.08.04/lmarena_text.csv"
    assert refresh.date_of(resolved, None) == "2025-08-04"
    assert refresh.provenance(resolved, None, None) == ("2025.08.04", "lmarena_text.csv")
