"""`bootstrap.py test` runs the whole suite as two pytest processes side by side and the
date-sensitive folders again on the hard days after them, says how each run went, and fails when
any run fails: no half of the suite and no day can drop out quietly."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from arrs_desk import clock

ROOT = Path(__file__).resolve().parent.parent
HARD_DAYS = {"2028-02-29", "2027-12-31T23:30", "2027-03-28T00:30"}


@pytest.fixture
def bootstrap(monkeypatch):
    spec = importlib.util.spec_from_file_location("bootstrap_under_test", ROOT / "scripts" / "bootstrap.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "setup", lambda mode: None)
    monkeypatch.delenv("ARRS_TEST_TODAY", raising=False)  # the suite's own day: the first run's
    return module


class FakePytest:
    """Stands in for `wait_for`: records each run and writes the report pytest would have written."""

    def __init__(self, failing_day: str | None = None, suite_code: int = 0):
        self.runs: list[tuple[str | None, list[str]]] = []
        self.failing_day, self.suite_code = failing_day, suite_code

    def __call__(self, cmd, cwd=None, env=None, **kwargs):
        day = (env or {}).get("ARRS_TEST_TODAY")
        self.runs.append((day, cmd[3:]))
        if "stdout" in kwargs:
            kwargs["stdout"].write(f"output of the run on {day}\n")
        report = next((a.split("=", 1)[1] for a in cmd if a.startswith("--junitxml=")), None)
        failed = day is not None and day == self.failing_day
        if report:
            Path(report).write_text(
                '<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest" errors="0" '
                f'failures="{1 if failed else 0}" skipped="2" tests="1236" time="61.0"/></testsuites>',
                encoding="utf-8")
        return 1 if failed else (self.suite_code if day is None else 0)


def test_the_three_hard_days_are_among_the_extra_days_and_each_parses(bootstrap):
    assert HARD_DAYS <= set(bootstrap.DATE_SENSITIVE_DAYS)
    assert set(bootstrap.POSTGRES_DAYS) <= set(bootstrap.DATE_SENSITIVE_DAYS) and bootstrap.POSTGRES_DAYS
    for day in bootstrap.DATE_SENSITIVE_DAYS:
        clock.parse_instant(day)  # what tests/conftest.py does with ARRS_TEST_TODAY
    runs = dict(bootstrap.date_sensitive_runs())
    for day in HARD_DAYS:
        assert set(bootstrap.DATE_SENSITIVE_FOLDERS) <= set(runs[day])
    assert {"tests/domain", "tests/reports", "tests/services"} <= set(bootstrap.DATE_SENSITIVE_FOLDERS)
    for folder in bootstrap.DATE_SENSITIVE_FOLDERS:
        assert (ROOT / folder).is_dir(), folder


def test_the_two_halves_of_the_suite_cover_every_test_folder_once(bootstrap):
    suite = [run for lane in bootstrap.lanes() for run in lane if run.day is None]
    assert len(suite) == 2 and len(bootstrap.lanes()) == 2
    ui, rest = (run.args for run in suite)
    folders = {f"tests/{p.name}" for p in (ROOT / "tests").iterdir() if p.is_dir() and any(p.glob("test_*.py"))}
    assert set(bootstrap.FIRST_LANE_FOLDERS) <= folders and "tests/services" in folders
    assert set(bootstrap.FIRST_LANE_DAYS) <= set(bootstrap.DATE_SENSITIVE_DAYS)
    assert "tests/ui" not in bootstrap.FIRST_LANE_FOLDERS  # after the services tests, as in one run (see there)
    assert [a for a in ui if a.startswith("tests")] == list(bootstrap.FIRST_LANE_FOLDERS)
    assert "tests" in rest and {f"--ignore={f}" for f in bootstrap.FIRST_LANE_FOLDERS} <= set(rest)  # the rest: all but those
    days = [run.day for lane in bootstrap.lanes() for run in lane if run.day is not None]
    assert sorted(days) == sorted(bootstrap.DATE_SENSITIVE_DAYS)
    for lane in bootstrap.lanes():
        assert lane[0].day is None  # each lane starts with its half of the suite


def test_each_run_runs_and_gets_its_line(bootstrap, monkeypatch, capsys):
    fake = FakePytest()
    monkeypatch.setattr(bootstrap, "wait_for", fake)
    assert bootstrap.cmd_test([]) == 0
    assert [args[1] for day, args in fake.runs if day is None] in (
        [bootstrap.FIRST_LANE_FOLDERS[0], "tests"], ["tests", bootstrap.FIRST_LANE_FOLDERS[0]])  # both halves of the suite
    days = [run for run in fake.runs if run[0] is not None]
    assert sorted(day for day, _ in days) == sorted(bootstrap.DATE_SENSITIVE_DAYS)
    out = capsys.readouterr().out
    for day in HARD_DAYS:
        assert f"[bootstrap] date-sensitive tests on {day}: 1,234 passed, 2 skipped" in out
        assert f"output of the run on {day}" not in out  # a passing day's output stays quiet
    assert "[bootstrap] the rest of the suite: 1,234 passed, 2 skipped" in out
    assert "the whole suite passed, and the date-sensitive tests on all 3 extra days" in out
    for day, args in days:
        marks = args[args.index("-m") + 1]
        assert ("not postgres" in marks) == (day not in bootstrap.POSTGRES_DAYS)
        assert "not slow" in marks  # the demo builds carry their own days


def test_a_failing_day_fails_the_run_after_the_others_have_run(bootstrap, monkeypatch, capsys):
    fake = FakePytest(failing_day="2027-12-31T23:30")
    monkeypatch.setattr(bootstrap, "wait_for", fake)
    assert bootstrap.cmd_test([]) == 1
    assert len(fake.runs) == 2 + len(bootstrap.DATE_SENSITIVE_DAYS)
    out = capsys.readouterr().out
    assert "date-sensitive tests on 2027-12-31T23:30: 1 failed, 1,233 passed, 2 skipped" in out
    assert "output of the run on 2027-12-31T23:30" in out  # what failed is shown
    assert "output of the run on 2028-02-29" not in out
    assert "failed: date-sensitive tests on 2027-12-31T23:30" in out


def test_a_failing_half_of_the_suite_fails_the_run_and_a_chosen_run_adds_nothing(
        bootstrap, monkeypatch, capsys):
    fake = FakePytest(suite_code=1)
    monkeypatch.setattr(bootstrap, "wait_for", fake)
    assert bootstrap.cmd_test([]) == 1
    out = capsys.readouterr().out
    assert "the rest of the suite: 1,234 passed, 2 skipped (0m00s) – FAILED (exit code 1)" in out
    assert "output of the run on None" in out
    assert "the whole suite passed" not in out
    fake = FakePytest()
    monkeypatch.setattr(bootstrap, "wait_for", fake)
    assert bootstrap.cmd_test(["tests/services", "-k", "supervision"]) == 0
    assert fake.runs == [(None, ["tests/services", "-k", "supervision"])]


def test_a_run_that_reports_nothing_or_passes_nothing_fails(bootstrap, monkeypatch, tmp_path):
    monkeypatch.setattr(bootstrap, "wait_for", lambda cmd, **kw: 5)  # wrote no report
    ok, verdict = bootstrap.run_one(bootstrap.Run("a run", None, ["tests/nothing"]), {})
    assert not ok and verdict.endswith("a run: pytest stopped with exit code 5 before reporting – FAILED")
