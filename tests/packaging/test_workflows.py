"""Issue 15: the hosted CI workflows run exactly the README's commands, so the two cannot drift apart."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"


def readme_commands() -> list[str]:
    """Every command line inside the README's code blocks (comments after # dropped)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = []
    for block in re.findall(r"```[a-z]*\n(.*?)```", text, flags=re.S):
        for line in block.splitlines():
            line = line.split("  #")[0].strip()
            if line:
                lines.append(line)
    return lines


def workflow_runs(name: str) -> list[str]:
    workflow = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    runs = []
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            if "run" in step:
                runs += [line.strip() for line in step["run"].splitlines() if line.strip()]
    return runs


def test_the_readme_gives_each_command_the_workflows_need():
    commands = readme_commands()
    for needed in ("python3 scripts/bootstrap.py run", "python3 scripts/bootstrap.py test",
                   r"py -3.12 scripts\bootstrap.py run", r"py -3.12 scripts\bootstrap.py test",
                   r"powershell -ExecutionPolicy Bypass -File packaging\build_windows.ps1"):
        assert needed in commands, needed


@pytest.mark.parametrize("workflow,commands", [
    ("windows.yml", [r"py -3.12 scripts\bootstrap.py test", r"py -3.12 scripts\bootstrap.py run",
                     r"powershell -ExecutionPolicy Bypass -File packaging\build_windows.ps1"]),
    ("linux.yml", ["python3 scripts/bootstrap.py test", "python3 scripts/bootstrap.py run",
                   "packaging/build_linux.sh"]),
])
def test_each_workflow_runs_the_readme_commands_in_order(workflow, commands):
    runs = workflow_runs(workflow)
    readme = readme_commands()
    positions = []
    for command in commands:
        assert any(command in line for line in readme) or command == "packaging/build_linux.sh"
        matching = [i for i, line in enumerate(runs) if command in line]
        assert matching, f"{workflow} does not run {command!r}"
        positions.append(matching[0])
    assert positions == sorted(positions), f"{workflow} runs them out of order: {positions}"


@pytest.mark.parametrize("workflow", ["windows.yml", "linux.yml"])
def test_each_workflow_builds_with_python_3_12_and_self_checks_bundle_and_installed_copy(workflow):
    data = yaml.safe_load((WORKFLOWS / workflow).read_text(encoding="utf-8"))
    steps = next(iter(data["jobs"].values()))["steps"]
    pythons = [s["with"]["python-version"] for s in steps if s.get("uses", "").startswith("actions/setup-python")]
    assert pythons == ["3.12"]
    self_checks = [line for line in workflow_runs(workflow) if "--self-check" in line]
    assert len(self_checks) >= 3, self_checks  # the run command, the bundle, the installed copy
    assert any("Programs" in line or ".local/opt" in line for line in self_checks)


def test_the_linux_workflow_uses_the_script_ci_runs():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python3 scripts/bootstrap.py test" in ci
    assert any("python3 scripts/bootstrap.py test" in line for line in workflow_runs("linux.yml"))
