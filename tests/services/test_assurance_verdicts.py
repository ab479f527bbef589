"""Contract verdicts from real records: the probation check agrees with the Reviews page, a check
applies only when it should and says why when it does not, and the report and its CSV open with
the counts per check followed by every check not met with its reason."""

from __future__ import annotations

import csv
import random
from datetime import timedelta

import pytest

from arrs_desk.domain.assurance import CheckStatus, probation_check
from arrs_desk.domain.dates import add_months
from arrs_desk.demo.induction_prior import add_demo_prior_inductions
from tests.review_support import make_review_team, review_input
from tests.supervision_support import staff

from tests.conftest import TODAY  # noqa: E402


@pytest.fixture
def team(workspace, system_actor):
    return make_review_team(workspace, system_actor)


def _result(workspace, actor, staff_id, code):
    matrix = workspace.assurance.matrix(actor)
    row = next(r for r in matrix.rows if r.staff_id == staff_id)
    return row.results[[c.code for c in matrix.checks].index(code)]


def _person(workspace, system_actor, team, days_in_post, given, role="CCO", status="active"):
    return workspace.staff.create(system_actor, data=staff([team.alpha], given=given, family="Mensah", role=role,
                                                      start=TODAY - timedelta(days=days_in_post),
                                                      manager_id=team.helen_id, status=status)).id


def _probation_due(workspace, actor, staff_id):
    return [d for d in workspace.reviews.person(actor, staff_id=staff_id).due if d.kind == "probation"]


def test_probation_does_not_apply_to_people_long_in_post_and_the_reviews_page_agrees(workspace, team, system_actor):
    veteran = _person(workspace, system_actor, team, 3 * 365, "Kwame")
    result = _result(workspace, team.helen, veteran, "probation")
    assert result.status is CheckStatus.NOT_APPLICABLE
    assert result.reason.startswith("Probation no longer applies: the probation period ended")
    assert _probation_due(workspace, team.helen, veteran) == []


def test_a_missed_probation_review_is_not_met_while_the_reviews_page_lists_it(workspace, team, system_actor):
    grace = probation_check().grace_months
    days = (TODAY - add_months(TODAY, -6 - grace // 2)).days  # past the period, inside the grace
    starter = _person(workspace, system_actor, team, days, "Ama")
    start = TODAY - timedelta(days=days)
    workspace.reviews.create_review(team.helen, data=review_input(
        team, starter, kind="probation", probation_month=3, meeting=add_months(start, 3), start=start,
        end=add_months(start, 3), appraiser_id=team.helen_id))
    result = _result(workspace, team.helen, starter, "probation")
    assert result.status is CheckStatus.NOT_MET
    assert f"6-month probation review was due {add_months(start, 6):%d/%m/%Y}" in result.reason
    [listed] = _probation_due(workspace, team.helen, starter)
    assert listed.probation_month == 6 and listed.status == "overdue"
    workspace.reviews.create_review(team.helen, data=review_input(
        team, starter, kind="probation", probation_month=6, meeting=TODAY, start=add_months(start, 3), end=TODAY,
        appraiser_id=team.helen_id))
    passed = _result(workspace, team.helen, starter, "probation")
    assert passed.status is CheckStatus.MET and passed.reason.startswith("Probation passed")
    assert _probation_due(workspace, team.helen, starter) == []


def test_supervision_and_appraisal_do_not_apply_while_on_leave(workspace, team, system_actor):
    away = _person(workspace, system_actor, team, 2 * 365, "Efua", role="SPLW", status="on_leave")
    for code in ("supervisor", "review"):
        result = _result(workspace, team.helen, away, code)
        assert result.status is CheckStatus.NOT_APPLICABLE and result.reason.startswith("On leave")
    back = _person(workspace, system_actor, team, 2 * 365, "Kofi", role="SPLW")
    assert _result(workspace, team.helen, back, "supervisor").status is CheckStatus.NOT_MET


def test_every_not_applicable_says_why(workspace, team, system_actor):
    _person(workspace, system_actor, team, 20, "Abena", role="SPLW")
    matrix = workspace.assurance.matrix(team.admin)
    answers = [res for row in matrix.rows for res in row.results]
    assert any(res.status is CheckStatus.NOT_APPLICABLE for res in answers)
    for res in answers:
        assert len(res.reason.split()) >= 3 and not res.reason.startswith("Not applicable:")
    assert all(column.source for column in matrix.checks)


def test_report_and_csv_open_with_the_counts_then_every_check_not_met(workspace, team, system_actor, tmp_path):
    _person(workspace, system_actor, team, 400, "Yaw", role="SPLW")
    matrix = workspace.assurance.matrix(team.admin)
    report = workspace.assurance.report(team.admin, matrix=matrix)
    assert [line.title for line in report.summary] == [c.title for c in matrix.checks]
    assert all(line.source and line.description for line in report.summary)
    unmet = sum(line.not_met for line in report.summary)
    assert unmet == sum(len(p.unmet) for p in report.unmet) > 0
    path = tmp_path / "assurance.csv"
    count = workspace.assurance.export_report_csv(team.admin, path=path, matrix=matrix)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.DictReader(handle))
    assert count == len(lines) == len(matrix.checks) * (1 + len(matrix.rows))
    sections = [line["Section"] for line in lines]
    assert sections == sorted(sections, key=["Summary", "Not met", "Met or N/A"].index)
    summary = {line["Check"]: line for line in lines if line["Section"] == "Summary"}
    for line in report.summary:
        assert (summary[line.title]["Met"], summary[line.title]["Not met"], summary[line.title]["N/A"]) == (
            str(line.met), str(line.not_met), str(line.not_applicable))
    not_met = [line for line in lines if line["Section"] == "Not met"]
    assert len(not_met) == unmet and all(line["Reason"] and line["Status"] == "Not met" for line in not_met)


def test_the_demo_pcn_reads_like_a_real_one(demo_workspace, system_actor):
    """Most checks met, a few not, each explained: no one long in post fails probation or induction."""
    add_demo_prior_inductions(demo_workspace, random.Random(7))
    matrix = demo_workspace.assurance.matrix(system_actor)
    codes = [c.code for c in matrix.checks]
    unmet_people = [r for r in matrix.rows if r.unmet]
    assert len(unmet_people) < len(matrix.rows) * 0.6
    for code in ("probation", "it-access", "job-plan", "review"):
        statuses = [r.results[codes.index(code)].status for r in matrix.rows]
        assert statuses.count(CheckStatus.NOT_MET) <= len(matrix.rows) // 5, code
    grace = probation_check().grace_months
    with demo_workspace.db.read() as session:
        from arrs_desk.store.models import Staff

        starts = {r.staff_id: session.get(Staff, r.staff_id).start_date for r in matrix.rows}
    for row in matrix.rows:
        if add_months(starts[row.staff_id], 6 + grace) <= TODAY:
            assert row.results[codes.index("probation")].status is not CheckStatus.NOT_MET, row.display_name


def test_a_template_edit_does_not_change_a_verdict_on_a_checklist_made_before_it(workspace, system_actor):
    """A checklist keeps its own copy of its items, tags included. An administrator tagging another
    item "job-plan" in a new version of the template turned a met "Job plan agreed" into "1
    induction item past due and not complete" on every existing checklist, from an item whose own
    copy has no such tag."""
    from tests.induction_support import item, make_team

    team = make_team(workspace, system_actor)
    plan = item(workspace.induction.checklist(team.manager, staff_id=team.starter_id), "job-plan-agreed")
    workspace.induction.tick(team.manager, item_id=plan.id, expected_version=plan.version)
    before = _result(workspace, team.admin, team.starter_id, "job-plan")
    assert before.status is CheckStatus.MET
    draft = workspace.induction.templates.draft(team.admin, code="GENERIC")
    welcome = next(i for i in draft.items if i.key == "welcome-meeting")
    welcome.tags = [*welcome.tags, "job-plan"]
    workspace.induction.templates.save(team.admin, draft=draft, note="Job plan discussed at the welcome meeting")
    assert _result(workspace, team.admin, team.starter_id, "job-plan") == before


def test_a_pathway_counts_only_for_the_role_it_is_for(demo_workspace, system_actor):
    """A paramedic on the paramedic preceptorship became a first contact physiotherapist: the check
    went on saying "Enrolled on Paramedic preceptorship in primary care" for the new role."""
    from dataclasses import replace

    ws = demo_workspace
    enrolment = next(e for e in ws.programmes.overview(system_actor)
                     if e.programme_code == "PARA-PC12" and e.role_code == "PARA" and str(e.status) != "withdrawn")
    assert _result(ws, system_actor, enrolment.staff_id, "pathway").status is CheckStatus.MET
    record = ws.staff.get(system_actor, staff_id=enrolment.staff_id)
    ws.staff.update(system_actor, staff_id=enrolment.staff_id, expected_version=record.version, data=replace(
        record.data, role_code="FCPP", register_code="HCPC-PH", registration_number="PH123999"))
    after = _result(ws, system_actor, enrolment.staff_id, "pathway")
    assert after.status is CheckStatus.NOT_MET and "Paramedic" not in after.reason


def test_steps_due_before_day_one_are_not_late_on_day_one_as_the_checklist_says(workspace, system_actor, clock):
    """The smartcard and logins are due a week before the start. On a starter's first day their
    checklist shows them due, not overdue; "IT access confirmed" said "2 induction items past due
    and not complete" that same morning. Both now count them late from the day after day one."""
    from tests.induction_support import make_team

    team = make_team(workspace, system_actor, start=TODAY)
    first_day = _result(workspace, team.admin, team.starter_id, "it-access")
    assert first_day.status is CheckStatus.NOT_APPLICABLE, first_day
    assert first_day.reason == ("Not late yet: 0 of 3 items complete; the steps due before the start count as late "
                                "after the first day")
    overdue = [i.key for i in workspace.induction.checklist(team.admin, staff_id=team.starter_id).items
               if i.status == "overdue"]
    assert overdue == []
    clock.advance(timedelta(days=1))
    next_day = _result(workspace, team.admin, team.starter_id, "it-access")
    assert next_day.status is CheckStatus.NOT_MET
    assert next_day.reason == "3 induction items past due and not complete", next_day
