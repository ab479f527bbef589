"""The PostgreSQL half of the service tests never disappears quietly: without a server it is skipped
with the reason on a developer's PC, and fails loudly in CI (CI=true)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
A_TEST_ON_BOTH = "tests/services/test_concurrency.py::test_a_stale_edit_from_another_copy_is_refused_not_overwritten"


def run_without_postgres(tmp_path: Path, ci: str | None) -> subprocess.CompletedProcess:
    plugin = tmp_path / "no_postgres_here.py"
    plugin.write_text("import tests.support.postgres as pg\npg.postgres_available = lambda: 'simulated: no server'\n")
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["PYTHONPATH"] = os.pathsep.join([str(tmp_path), str(ROOT)])
    if ci is not None:
        env["CI"] = ci
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no_postgres_here", "-p", "no:cacheprovider", "-q", "-rs",
         f"{A_TEST_ON_BOTH}[postgres]"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )


@pytest.mark.slow
def test_without_a_server_postgres_tests_fail_in_ci_and_skip_with_the_reason_elsewhere(tmp_path):
    in_ci = run_without_postgres(tmp_path, "true")
    assert in_ci.returncode != 0, in_ci.stdout
    assert "PostgreSQL tests must run in CI, but simulated: no server" in in_ci.stdout
    local = run_without_postgres(tmp_path, None)
    assert local.returncode == 0, local.stdout
    assert "1 skipped" in local.stdout and "simulated: no server" in local.stdout and "in CI this fails" in local.stdout
