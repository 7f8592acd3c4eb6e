"""The scheduled refresh: weekly and by hand, the refresh command, a pull request whose body is the
data diff, opened by a well-kept action at a pinned version, and nothing that merges by itself.
(actionlint checks it with the other workflows: tests/test_workflows.py.)"""
from __future__ import annotations

import re

import yaml

from conftest import ROOT

PATH = ROOT / ".github" / "workflows" / "refresh-lmarena.yml"


def workflow():
    data = yaml.safe_load(PATH.read_text())
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as True
    return data


def steps():
    return workflow()["jobs"]["refresh"]["steps"]


def test_it_runs_weekly_and_by_hand_with_the_address_as_an_input():
    on = workflow()["on"]
    (schedule,) = on["schedule"]
    minute, hour, day, month, weekday = schedule["cron"].split()
    assert day == month == "*" and weekday.isdigit(), "once a week"
    url = on["workflow_dispatch"]["inputs"]["url"]
    assert url["default"].startswith("https://github.com/fboulnois/llm-leaderboard-csv/releases/")


def test_it_runs_the_refresh_command_in_the_debian_12_container():
    job = workflow()["jobs"]["refresh"]
    assert "bookworm" in job["container"] or job["container"].startswith("debian:12")
    text = PATH.read_text()
    assert ".venv/bin/python -m pipeline.refresh" in text and "make setup" in text


def test_the_pull_request_body_is_the_data_diff_and_nothing_merges_by_itself():
    (pr,) = [s for s in steps() if "create-pull-request" in s.get("uses", "")]
    action, _, version = pr["uses"].partition("@")
    assert action == "peter-evans/create-pull-request"
    assert re.fullmatch(r"v\d+|[0-9a-f]{40}", version), "pinned to a major version or a commit"
    assert pr["with"]["body-path"] == "refresh.md"
    assert "CITATION.cff" in pr["with"]["add-paths"].split()
    text = PATH.read_text().lower()
    assert "merge" not in re.sub(r"#.*", "", text).replace("merges", ""), "nothing may merge by itself"


def test_the_pull_request_commits_every_file_the_refresh_changes(project):
    """Measured, not listed: replay the newest snapshot in a git copy and compare what changed with
    the workflow's add-paths (a file left out would make the pull request's own tests fail)."""
    import subprocess

    from test_lmarena_refresh import FIXTURES, drop_snapshots, provenance, refresh_cmd

    def git(*args):
        return subprocess.run(["git", *args], cwd=project, check=True, capture_output=True, text=True).stdout

    day = "2025-08-04"
    entry = provenance()[day]
    drop_snapshots(project / "data", [day])
    git("init", "-q", "-b", "main")
    git("-c", "user.name=t", "-c", "user.email=t@t", "add", "-A")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "base")
    result = refresh_cmd(project, FIXTURES / f"{day}.csv", "--ref", entry["archive_ref"],
                         "--archive-path", entry["archive_path"])
    assert result.returncode == 0, result.stderr
    changed = {line[3:] for line in git("status", "--porcelain").splitlines()}
    (pr,) = [s for s in steps() if "create-pull-request" in s.get("uses", "")]
    assert changed and changed <= set(pr["with"]["add-paths"].split()), changed
