"""Assurance service: the matrix from real records, check-ins by the person only, the anonymous
summary, retention and the exports."""

import csv

import pytest

from arrs_desk.domain.dates import add_months
from arrs_desk.domain.staff import EmploymentModel
from arrs_desk.domain.assurance import CheckStatus, PointStatus, builtin_checkins
from arrs_desk.errors import PermissionDenied, ValidationError
from tests.checkin_support import newcomers
from tests.conftest import TODAY
from tests.date_support import days_ago, days_ahead
from tests.supervision_support import account, make_team, staff

ANSWERS = {s.key: 4 for s in builtin_checkins().statements}


def _row(matrix, staff_id):
    return next(r for r in matrix.rows if r.staff_id == staff_id)


def _result(matrix, staff_id, code):
    index = [c.code for c in matrix.checks].index(code)
    return _row(matrix, staff_id).results[index]


def test_matrix_lists_only_arrs_staff_the_actor_may_see(workspace, system_actor):
    team = make_team(workspace, system_actor)
    everyone = workspace.assurance.matrix(team.admin)
    ids = {r.staff_id for r in everyone.rows}
    assert team.zoe_id in ids and team.anya_id in ids
    assert team.helen_id not in ids and team.gp_id not in ids  # PCN manager and GP are not ARRS roles
    bogdans = workspace.assurance.matrix(team.bogdan)
    assert {r.staff_id for r in bogdans.rows} == {team.anya_id}


def test_matrix_results_and_temporary_cover(workspace, system_actor):
    team = make_team(workspace, system_actor)
    matrix = workspace.assurance.matrix(team.helen)
    assert _result(matrix, team.zoe_id, "registration").status is CheckStatus.NOT_APPLICABLE
    review = _result(matrix, team.zoe_id, "review")
    assert review.status is CheckStatus.NOT_MET and review.evidence == "Reviews"
    assert _result(matrix, team.zoe_id, "engagement").status is CheckStatus.MET

    leaving = staff([team.alpha], given="Kwame", family="Mensah", start=days_ago(115), manager_id=team.helen_id)
    leaving.end_date = days_ahead(37)  # five months after starting
    kwame = workspace.staff.create(system_actor, data=leaving).id
    assert _result(workspace.assurance.matrix(team.helen), kwame, "engagement").status is CheckStatus.NOT_MET
    with pytest.raises(PermissionDenied):
        workspace.assurance.set_temporary_cover(team.zoe, staff_id=kwame, temporary_cover=True)
    workspace.assurance.set_temporary_cover(team.helen, staff_id=kwame, temporary_cover=True)
    cover = _result(workspace.assurance.matrix(team.helen), kwame, "engagement")
    assert cover.status is CheckStatus.NOT_APPLICABLE and "temporary cover" in cover.reason


def test_report_counts_and_unmet_people(workspace, system_actor):
    team = make_team(workspace, system_actor)
    matrix = workspace.assurance.matrix(team.admin)
    report = workspace.assurance.report(team.admin, practice_id=team.beta, matrix=matrix)
    assert report.pcn_name == "Test PCN" and "Beta Health Centre" in report.scope
    assert report.people == len(workspace.assurance.filter_rows(matrix=matrix, practice_id=team.beta))
    for line in report.summary:
        assert line.met + line.not_met + line.not_applicable == report.people
    names = {p.name for p in report.unmet}
    assert "Аня Петрова" in names


def test_a_line_managers_report_says_it_is_not_the_whole_pcn(workspace, system_actor):
    """Bogdan's PDF read "Test PCN · ARRS roles · 1 people in post": a commissioner given it took
    his one person for the PCN's whole ARRS workforce."""
    team = make_team(workspace, system_actor)
    report = workspace.assurance.report(team.bogdan)
    assert report.people == 1 and "not the whole PCN" in report.scope and team.bogdan.display_name in report.scope
    assert "not the whole PCN" not in workspace.assurance.report(team.admin).scope


def test_matrix_csv(workspace, system_actor, tmp_path):
    team = make_team(workspace, system_actor)
    matrix = workspace.assurance.matrix(team.admin)
    count = workspace.assurance.export_report_csv(team.admin, path=tmp_path / "a.csv", matrix=matrix)
    assert count == len(matrix.checks) + len(matrix.rows) * len(matrix.checks)
    assert "Not met" in (tmp_path / "a.csv").read_text(encoding="utf-8-sig")


def _newcomer(workspace, system_actor, team, start=add_months(TODAY, -1)):
    """Priya, a month in post by default: her first check-in opens today."""
    person = workspace.staff.create(system_actor, data=staff([team.alpha], given="Priya", family="Shah", start=start,
                                                        manager_id=team.helen_id)).id
    return person, account(workspace, "priya", "Priya Shah", {"staff"}, person)


def test_staff_member_answers_their_own_due_checkin(workspace, system_actor):
    team = make_team(workspace, system_actor)
    person, priya = _newcomer(workspace, system_actor, team)
    mine = workspace.checkins.my_checkins(priya)
    assert mine.due is not None and mine.due.months == 1
    with pytest.raises(ValidationError) as missing:
        workspace.checkins.submit_checkin(priya, months=1, answers={"welcome": 5})
    assert "peers" in missing.value.errors
    workspace.checkins.submit_checkin(priya, months=1, answers=ANSWERS)
    after = workspace.checkins.my_checkins(priya)
    assert after.due is None and after.points[0].status is PointStatus.DONE
    with pytest.raises(ValidationError):
        workspace.checkins.submit_checkin(priya, months=1, answers=ANSWERS)
    with pytest.raises(ValidationError):
        workspace.checkins.submit_checkin(priya, months=3, answers=ANSWERS)  # not open yet
    with pytest.raises(PermissionDenied):
        workspace.checkins.submit_checkin(team.admin, months=1, answers=ANSWERS)  # no staff record


def test_summary_hides_a_group_of_four(workspace, system_actor):
    team = make_team(workspace, system_actor)
    starters = newcomers(workspace, system_actor, [team.alpha], 5, manager_id=team.helen_id)
    for starter in starters[:4]:
        workspace.checkins.submit_checkin(starter, months=1, answers=ANSWERS)
    by_role = {g.group: g for g in workspace.assurance.checkin_summary(team.admin, by="role")}
    assert not by_role["Social prescribing link worker"].shown
    workspace.checkins.submit_checkin(starters[4], months=1, answers=ANSWERS)
    by_role = {g.group: g for g in workspace.assurance.checkin_summary(team.admin, by="role")}
    assert by_role["Social prescribing link worker"].shown and by_role["Social prescribing link worker"].responses == 5
    assert not by_role["Health and wellbeing coach"].shown
    by_practice = {g.group: g for g in workspace.assurance.checkin_summary(team.admin, by="practice")}
    assert by_practice["Alpha Surgery"].shown and by_practice["Alpha Surgery"].responses == 5
    assert not by_practice["Beta Health Centre"].shown
    with pytest.raises(PermissionDenied):
        workspace.assurance.checkin_summary(team.zoe)


def test_schedule_is_editable_by_administrators_only(workspace, system_actor):
    team = make_team(workspace, system_actor)
    assert workspace.assurance.schedule().months == (1, 3, 6, 12)
    with pytest.raises(PermissionDenied):
        workspace.assurance.set_schedule(team.helen, months=[2], repeat_every=12, expected_version=None)
    with pytest.raises(ValidationError):
        workspace.assurance.set_schedule(team.admin, months=[6, 2], repeat_every=12, expected_version=None)
    saved = workspace.assurance.set_schedule(team.admin, months=[2, 6], repeat_every=12, expected_version=None)
    assert saved.edited and saved.months == (2, 6) and saved.repeat_every == 12
    person, priya = _newcomer(workspace, system_actor, team, start=add_months(TODAY, -2))
    assert workspace.checkins.my_checkins(priya).due.months == 2


def test_retention_by_role_and_csv(workspace, system_actor, tmp_path):
    team = make_team(workspace, system_actor)
    left = staff([team.alpha], given="Tom", family="Reid", start=days_ago(998), manager_id=team.helen_id,
                 status="left")
    left.end_date, left.leaving_reason = days_ago(358), "Workload"
    workspace.staff.create(system_actor, data=left)
    _newcomer(workspace, system_actor, team)
    report = workspace.assurance.retention(team.admin, by="role")
    splw = next(r for r in report.rows if r.group == "Social prescribing link worker")
    # Zoë and four peers started 22 months ago (retained); Tom left this year after 21 months (retained, a
    # leaver); Priya too recent.
    assert (splw.retained, splw.lost, splw.too_recent, splw.leavers, splw.starters) == (6, 0, 1, 1, 1)
    assert splw.leaving_reasons == (("Workload", 1),)
    assert report.total.retained == 7  # plus Anya
    by_model = workspace.assurance.retention(team.admin, by="model")
    assert [r.group for r in by_model.rows] == [EmploymentModel.PRACTICE.label]
    assert workspace.assurance.export_retention_csv(team.admin, path=tmp_path / "r.csv", report=report) == len(report.rows) + 1
    with pytest.raises(PermissionDenied):
        workspace.assurance.retention(team.zoe)


def test_someone_not_started_yet_is_in_no_retention_figure(workspace, system_actor):
    """A starter booked for next month was counted "too recent to count" in her role's and her
    practice's rows, as though in post."""
    team = make_team(workspace, system_actor)
    _newcomer(workspace, system_actor, team, start=days_ahead(20))
    for by in ("role", "practice", "model"):
        report = workspace.assurance.retention(team.admin, by=by)
        assert report.total.not_started == 1 and report.total.too_recent == 0, by
        assert sum(r.too_recent + r.starters + r.not_started for r in report.rows) == 0, by


def test_the_retention_report_says_what_it_counts(workspace, system_actor, tmp_path):
    """Zoë works at both practices: she was counted in each practice's row, so the rows added up to
    more than the total with nothing saying why; nor did the report say it groups by the role held
    now, or that a returner counts from their new start date."""
    team = make_team(workspace, system_actor)
    by_practice = workspace.assurance.retention(team.admin, by="practice")
    in_rows = sum(r.retained + r.lost + r.too_recent for r in by_practice.rows)
    t = by_practice.total
    assert in_rows == t.retained + t.lost + t.too_recent + 1
    assert by_practice.notes[0].startswith("1 person is recorded at more than one practice and counted in each")
    assert any("came back counts from their new start date" in note for note in by_practice.notes)
    by_role = workspace.assurance.retention(team.admin, by="role")
    assert by_role.notes[0].startswith("Grouped by each person's role now")
    assert not any("more than one practice" in note for note in by_role.notes)
    _newcomer(workspace, system_actor, team, start=days_ahead(20))
    later = workspace.assurance.retention(team.admin, by="role")
    assert later.notes[-1] == "1 person has a start date still to come and is not counted."
    path = tmp_path / "retention.csv"
    assert workspace.assurance.export_retention_csv(team.admin, path=path, report=later) == len(later.rows) + 1
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[-len(later.notes):] == [[f"Note: {note}"] for note in later.notes]  # after the figures
