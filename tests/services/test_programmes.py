"""Programme services: enrolment copies a programme version, pauses and extensions move the right
dates, progress and protected time are counted by the domain rules, only the named assessor signs
off, and every refused change leaves the database as it was."""

from __future__ import annotations

import csv
import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from arrs_desk.domain import programmes as rules
from arrs_desk.domain.programmes import EnrolmentStatus, MilestoneStatus
from arrs_desk.errors import PermissionDenied, ResourceFileError, SessionEnded, StaleEdit, ValidationError
from arrs_desk.services.actor import Actor
from arrs_desk.services.programme_templates import (
    PROGRAMMES_VERSION_KEY, CompetencyDraft, DomainDraft, MilestoneDraft, sync_builtin_programmes,
)
from arrs_desk.services.programmes import PROTECTED_TIME_TOLERANCE_HOURS, EnrolmentInput
from arrs_desk.services.relationships import relationship, visible_staff_ids
from arrs_desk.store.models import (
    AuditEntry, ExternalPerson, ProgrammeCompetency, ProgrammeEnrolment, ProgrammeEvidence, ProgrammeMilestone,
    ProgrammePause, ProgrammeTemplate, ProgrammeTime, Setting,
)
from arrs_desk.domain.programmes import format_date
from tests.conftest import NOW
from tests.date_support import uk
from tests.programme_support import START, TODAY, count, enrol, make_pcn
from tests.support.pcn import turn_off_account

END = START + timedelta(weeks=12)
"""The paramedic programme's planned end (12 weeks): six days after TODAY."""


def day(n: int) -> date:
    """`n` days after START (TODAY is day 78)."""
    return START + timedelta(days=n)


@pytest.fixture
def pcn(workspace, system_actor):
    return make_pcn(workspace, system_actor)


def due(view, key: str) -> date:
    return next(m.due for m in view.milestones if m.key == key)


def milestone(view, key: str):
    return next(m for m in view.milestones if m.key == key)


def sign(workspace, actor, view, n: int):
    for c in view.competencies[:n]:
        view = workspace.programmes.sign_off_competency(actor, competency_id=c.id, expected_version=c.version,
                                                         signed_on=START + timedelta(days=20))
    return view


# --------------------------------------------------------------------------- programmes in the database


def test_builtin_programmes_are_seeded_once_and_pcn_edits_survive_a_newer_file(workspace, system_actor):
    summaries = workspace.programmes.templates.list_current(system_actor)
    assert {"PARA-PC12", "GPA", "PCPEP", "FCP-S2", "PA-PRECEPT"} <= {s.code for s in summaries}
    para = next(s for s in summaries if s.code == "PARA-PC12")
    assert (para.version, para.length_weeks, para.milestones, para.competencies) == (1, 12, 5, 17)
    before = count(workspace, ProgrammeTemplate)
    with workspace.db.write() as session:
        assert sync_builtin_programmes(session) == 0  # the marker says nothing changed
        session.get(Setting, PROGRAMMES_VERSION_KEY).value = {}
    draft = workspace.programmes.templates.draft(system_actor, code="GPA")
    draft.title = "General practice assistant programme (Riverside)"
    workspace.programmes.templates.save(system_actor, draft=draft, note="Our own title")
    newer = [p.model_copy(update={"version": p.version + 1}) for p in rules.builtin_programmes()]
    with workspace.db.write() as session:
        added = sync_builtin_programmes(session, newer)
    assert added == len(newer) - 1  # every built-in except the one the PCN edited
    assert count(workspace, ProgrammeTemplate) == before + 1 + added
    gpa = next(s for s in workspace.programmes.templates.list_current(system_actor) if s.code == "GPA")
    assert gpa.title.endswith("(Riverside)") and gpa.source == "edited"


def test_a_copied_programme_is_saved_as_version_one_with_new_keys_for_new_items(workspace, pcn):
    templates = workspace.programmes.templates
    draft = templates.copy_draft(pcn.admin, code="PARA-PC12", new_code="para-local", new_title="Local paramedic route")
    assert draft.code == "PARA-LOCAL" and draft.based_on_version is None
    draft.length_weeks = "16"
    draft.protected_hours_per_week = "3.75"
    draft.roles = ["PARA", "AP"]
    draft.milestones[2].title = "Week 4 review with the GP educator"
    draft.milestones.append(MilestoneDraft(title="Week 14 check-in", week="14", kind="meeting"))
    del draft.milestones[1]
    draft.domains[0].competencies.append(CompetencyDraft(title="Frailty assessment at home",
                                                         description="Uses a frailty score.", evidence="Two cases."))
    draft.domains.append(DomainDraft(title="Local pathways", competencies=[
        CompetencyDraft(title="Uses the Moorland falls pathway", description="Refers correctly.", evidence="Log.")]))
    saved = templates.save(pcn.admin, draft=draft, note="For our rotational posts")
    assert (saved.code, saved.version, saved.length_weeks, saved.protected_hours_per_week) == ("PARA-LOCAL", 1, 16, 3.75)
    again = templates.draft(pcn.admin, code="PARA-LOCAL")
    keys = [m.key for m in again.milestones]
    assert "week-14-check-in" in keys and "scope-agreed" not in keys
    assert again.domains[-1].code == "LOCALPATHWAYS"
    assert again.domains[0].competencies[-1].key == "frailty-assessment-at-home"
    # The original is untouched.
    assert len(templates.draft(pcn.admin, code="PARA-PC12").milestones) == 5
    with pytest.raises(ValidationError) as caught:
        templates.copy_draft(pcn.admin, code="PARA-PC12", new_code="PARA-LOCAL", new_title="Again")
    assert "already a programme" in caught.value.errors["code"]


def test_the_editor_names_every_problem_and_writes_nothing(workspace, pcn):
    templates = workspace.programmes.templates
    draft = templates.draft(pcn.admin, code="PARA-PC12")
    draft.title = "   "
    draft.length_weeks = "twelve"
    draft.protected_hours_per_week = "40"
    draft.roles = ["NOPE"]
    draft.milestones[0].week = "-1"
    draft.domains[1].competencies[0].evidence = ""
    draft.domains[2].competencies = []
    before = count(workspace, ProgrammeTemplate), count(workspace, AuditEntry)
    with pytest.raises(ValidationError) as caught:
        templates.save(pcn.admin, draft=draft)
    errors = caught.value.errors
    assert set(errors) >= {"title", "length_weeks", "protected_hours_per_week", "roles", "milestones.0.week",
                           "domains.1.competencies.0.evidence", "domains.2.competencies"}
    assert "whole number of weeks" in errors["length_weeks"] and "NOPE" in errors["roles"]
    assert (count(workspace, ProgrammeTemplate), count(workspace, AuditEntry)) == before
    with pytest.raises(ValidationError, match="Nothing has changed"):
        templates.save(pcn.admin, draft=templates.draft(pcn.admin, code="PARA-PC12"))
    with pytest.raises(PermissionDenied):
        templates.save(pcn.helen, draft=templates.draft(pcn.admin, code="PARA-PC12"))


def test_a_stale_editor_cannot_overwrite_a_newer_version(workspace, pcn):
    templates = workspace.programmes.templates
    first, second = templates.draft(pcn.admin, code="GPA"), templates.draft(pcn.admin, code="GPA")
    first.title, second.title = "GPA programme A", "GPA programme B"
    assert templates.save(pcn.admin, draft=first).version == 2
    with pytest.raises(StaleEdit):
        templates.save(pcn.admin, draft=second)
    assert templates.draft(pcn.admin, code="GPA").title == "GPA programme A"


def test_a_malformed_programme_file_is_refused_with_the_field_named(workspace, pcn, tmp_path):
    bad = json.loads(rules.builtin_programme("GPA").model_dump_json(by_alias=True))
    bad["length_weeks"] = 0
    bad["milestones"][1]["week"] = 999
    path = tmp_path / "gpa-local.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    before = count(workspace, ProgrammeTemplate)
    with pytest.raises(ResourceFileError) as caught:
        workspace.programmes.templates.draft_from_file(pcn.admin, path=path)
    assert "gpa-local.json is not valid" in caught.value.message and "length_weeks" in caught.value.message
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ResourceFileError, match="line 1"):
        workspace.programmes.templates.draft_from_file(pcn.admin, path=tmp_path / "broken.json")
    assert count(workspace, ProgrammeTemplate) == before


def test_a_good_file_loads_as_the_next_version_of_its_programme(workspace, pcn, tmp_path):
    data = json.loads(rules.builtin_programme("GPA").model_dump_json(by_alias=True))
    data["protected_hours_per_week"] = 3.75
    path = tmp_path / "gpa.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    draft = workspace.programmes.templates.draft_from_file(pcn.admin, path=path)
    assert draft.based_on_version == 1
    assert workspace.programmes.templates.save(pcn.admin, draft=draft).version == 2
    exported = workspace.programmes.templates.export_document(pcn.admin, code="GPA")
    assert rules.Programme.model_validate(exported).protected_hours_per_week == 3.75


# --------------------------------------------------------------------------- enrolment and dates


def test_enrolment_copies_the_programme_and_schedules_it(workspace, pcn):
    view = enrol(workspace, pcn)
    assert (view.programme_code, view.programme_version, view.length_weeks) == ("PARA-PC12", 1, 12)
    assert (view.start_date, view.expected_end, view.protected_hours_per_week) == (START, END, 7.5)
    assert [m.key for m in view.milestones] == ["induction-agreement", "scope-agreed", "week-4-review",
                                                "week-8-review", "final-review"]
    assert due(view, "week-4-review") == day(28)
    assert due(view, "final-review") == END
    assert len(view.competencies) == 17 and view.competencies[0].domain_title == "Consulting in general practice"
    assert (view.preceptor, view.assessor) == ("Yusuf Raghunathan", "Yusuf Raghunathan")
    # A later edit of the programme leaves the enrolment's own copy alone.
    draft = workspace.programmes.templates.draft(pcn.admin, code="PARA-PC12")
    draft.milestones[2].title = "Renamed review"
    draft.domains[0].competencies.pop()
    workspace.programmes.templates.save(pcn.admin, draft=draft)
    again = workspace.programmes.enrolment(pcn.helen, enrolment_id=view.id)
    assert milestone(again, "week-4-review").title == "Week 4 progress review" and len(again.competencies) == 17
    assert count(workspace, AuditEntry, AuditEntry.action == "enrol", AuditEntry.subject_staff_id == pcn.zoe_id) == 1


def test_end_before_start_is_refused_and_nothing_is_written(workspace, pcn):
    before = [count(workspace, m) for m in (ProgrammeEnrolment, ProgrammeMilestone, ProgrammeCompetency, AuditEntry)]
    with pytest.raises(ValidationError) as caught:
        enrol(workspace, pcn, end=START - timedelta(days=1))
    assert caught.value.errors["planned_end"] == f"The end date cannot be before the start date ({format_date(START)})."
    with pytest.raises(ValidationError) as caught:
        workspace.programmes.enrol(pcn.helen, data=EnrolmentInput(staff_id=pcn.zoe_id, programme_code="PARA-PC12"))
    assert set(caught.value.errors) == {"start_date", "preceptor", "assessor"}
    with pytest.raises(ValidationError) as caught:
        enrol(workspace, pcn, end=START + timedelta(weeks=6))  # before the week-8 review
    assert "week-8 milestone" in caught.value.errors["planned_end"]
    with pytest.raises(ValidationError) as caught:
        workspace.programmes.enrol(pcn.helen, data=EnrolmentInput(
            staff_id=pcn.zoe_id, programme_code="PARA-PC12", start_date=START, preceptor_staff_id=pcn.zoe_id,
            assessor_staff_id=pcn.zoe_id, protected_hours_per_week="lots"))
    assert set(caught.value.errors) == {"preceptor", "assessor", "protected_hours_per_week"}
    after = [count(workspace, m) for m in (ProgrammeEnrolment, ProgrammeMilestone, ProgrammeCompetency, AuditEntry)]
    assert after == before


def test_someone_whose_last_day_was_yesterday_is_not_enrolled_nor_named_and_shows_as_left(
        workspace, pcn, system_actor, clock):
    """Saved as Active with a last day of yesterday, they have left: Аня was enrolled with the GP
    named as her preceptor and assessor, and Zoë's page showed the GP without "(has left)". Only a
    saved status of Left counted."""
    for staff_id in (pcn.gp_id, pcn.anya_id):
        record = workspace.staff.get(system_actor, staff_id=staff_id)
        data = record.data
        data.end_date, data.leaving_reason = TODAY, "Relocation"  # their last day, still Active
        workspace.staff.update(system_actor, staff_id=staff_id, data=data, expected_version=record.version)
    enrolled = enrol(workspace, pcn)  # the GP is still in post today
    clock.advance(timedelta(days=1))
    view = workspace.programmes.enrolment(pcn.helen, enrolment_id=enrolled.id)
    assert (view.preceptor, view.preceptor_detail) == ("Yusuf Raghunathan", "Salaried GP (has left)")
    with pytest.raises(ValidationError) as refused:
        enrol(workspace, pcn, staff_id=pcn.anya_id, start=TODAY)
    assert set(refused.value.errors) == {"staff_id", "preceptor", "assessor"}
    assert refused.value.errors["preceptor"] == "Yusuf Raghunathan has left; name someone still in post."


def test_a_shorter_planned_end_moves_the_final_review(workspace, pcn):
    view = enrol(workspace, pcn, staff_id=pcn.anya_id, code="GPA", start=START, end=START + timedelta(weeks=26))
    assert view.planned_end == view.expected_end == START + timedelta(weeks=26)
    assert view.milestones[-1].due == START + timedelta(weeks=26)


def test_only_the_line_manager_or_an_administrator_enrols(workspace, pcn):
    with pytest.raises(PermissionDenied):
        enrol(workspace, pcn, actor=pcn.gp)
    with pytest.raises(PermissionDenied):
        enrol(workspace, pcn, actor=pcn.zoe)
    assert enrol(workspace, pcn, actor=pcn.admin).programme_code == "PARA-PC12"
    with pytest.raises(ValidationError, match="already on"):
        enrol(workspace, pcn)


def test_a_two_week_pause_moves_every_later_date_and_nothing_earlier(workspace, pcn):
    view = enrol(workspace, pcn)
    before = {m.key: m.due for m in view.milestones}
    paused = workspace.programmes.pause(pcn.helen, enrolment_id=view.id, expected_version=view.version,
                                        start=day(35), end=day(48), reason="Sickness")
    after = {m.key: m.due for m in paused.milestones}
    for key in ("induction-agreement", "scope-agreed", "week-4-review"):
        assert after[key] == before[key]
    for key in ("week-8-review", "final-review"):
        assert after[key] == before[key] + timedelta(days=14)
    assert paused.expected_end == END + timedelta(days=14)
    assert paused.pauses[0].days == 14 and paused.status is not EnrolmentStatus.PAUSED
    entry = paused.pauses[0]
    assert (entry.start_date, entry.end_date, entry.reason) == (day(35), day(48), "Sickness")


def test_an_ongoing_pause_shows_as_paused_and_ending_it_fixes_the_dates(workspace, pcn):
    view = enrol(workspace, pcn)
    paused = workspace.programmes.pause(pcn.helen, enrolment_id=view.id, expected_version=view.version,
                                        start=day(64), reason="Parental leave")
    assert paused.status is EnrolmentStatus.PAUSED and paused.current_pause.ongoing
    assert paused.expected_end == END + timedelta(days=15)  # stopped from day 64 to today (day 78), both counted
    with pytest.raises(ValidationError, match="still going on"):
        workspace.programmes.pause(pcn.helen, enrolment_id=view.id, expected_version=paused.version,
                                   start=day(85), end=day(86), reason="Other")
    with pytest.raises(ValidationError, match=f"overlaps the pause from {format_date(day(64))}"):
        workspace.programmes.pause(pcn.helen, enrolment_id=view.id, expected_version=paused.version,
                                   start=day(74), end=day(75), reason="Other")
    pause = paused.pauses[0]
    ended = workspace.programmes.end_pause(pcn.helen, pause_id=pause.id, expected_version=pause.version,
                                           end=day(70))
    assert ended.status is not EnrolmentStatus.PAUSED
    assert ended.expected_end == END + timedelta(days=7)


def test_pause_problems_are_all_named_and_a_stale_form_is_refused(workspace, pcn):
    view = enrol(workspace, pcn)
    before = count(workspace, ProgrammePause), count(workspace, AuditEntry)
    with pytest.raises(ValidationError) as caught:
        workspace.programmes.pause(pcn.helen, enrolment_id=view.id, expected_version=view.version,
                                   start=day(-6), end=day(-18), reason=" ")
    assert set(caught.value.errors) == {"start", "end", "reason"}
    assert "before the programme started" in caught.value.errors["start"]
    with pytest.raises(PermissionDenied):
        workspace.programmes.pause(pcn.gp, enrolment_id=view.id, expected_version=view.version,
                                   start=day(24), reason="Sickness")
    workspace.programmes.extend(pcn.helen, enrolment_id=view.id, expected_version=view.version, weeks=1,
                                reason="Missed taught days")
    with pytest.raises(StaleEdit):
        workspace.programmes.pause(pcn.helen, enrolment_id=view.id, expected_version=view.version,
                                   start=day(24), end=day(25), reason="Sickness")
    assert count(workspace, ProgrammePause) == before[0]


def test_an_extension_moves_only_the_end(workspace, pcn):
    view = enrol(workspace, pcn)
    longer = workspace.programmes.extend(pcn.helen, enrolment_id=view.id, expected_version=view.version,
                                         weeks="2", days="3", reason="Agreed with the educational lead")
    assert longer.expected_end == END + timedelta(days=17)
    assert due(longer, "final-review") == longer.expected_end
    assert due(longer, "week-8-review") == due(view, "week-8-review")
    assert longer.extensions[0].label == "2 weeks and 3 days"
    with pytest.raises(ValidationError) as caught:
        workspace.programmes.extend(pcn.helen, enrolment_id=view.id, expected_version=longer.version, weeks="0",
                                    reason="")
    assert set(caught.value.errors) == {"length", "reason"}


# --------------------------------------------------------------------------- progress


def test_progress_is_competencies_and_milestones_weighted_never_time(workspace, pcn):
    view = enrol(workspace, pcn)
    assert view.progress == 0.0 and view.time_elapsed == pytest.approx(100 * 78 / 84)
    view = sign(workspace, pcn.gp, view, 7)
    for key in ("induction-agreement", "scope-agreed"):
        m = milestone(view, key)
        view = workspace.programmes.hold_milestone(pcn.gp, milestone_id=m.id, expected_version=m.version,
                                                   held_on=m.due, notes="Held")
    assert view.progress == pytest.approx(100 * (0.7 * 7 / 17 + 0.3 * 2 / 5))
    assert (view.competencies_signed, view.milestones_held) == (7, 2)
    row = workspace.programmes.overview(pcn.helen)[0]
    assert row.progress == pytest.approx(view.progress) and row.competencies_signed == 7


def test_milestone_statuses_follow_the_due_window(workspace, pcn):
    view = enrol(workspace, pcn)
    statuses = {m.key: m.status for m in view.milestones}
    assert statuses["week-8-review"] is MilestoneStatus.OVERDUE  # due on day 56, a week's grace passed
    assert statuses["final-review"] is MilestoneStatus.UPCOMING  # due six days after TODAY
    m = milestone(view, "week-4-review")
    held = workspace.programmes.hold_milestone(pcn.helen, milestone_id=m.id, expected_version=m.version,
                                               held_on=day(29), notes="Going well; plan for minor injury")
    m = milestone(held, "week-4-review")
    assert (m.status, m.held_on, m.notes, m.recorded_by) == (
        MilestoneStatus.HELD, day(29), "Going well; plan for minor injury", "Helen Whitfield")
    assert held.milestones_overdue == 3  # weeks 0, 1 and 8
    with pytest.raises(ValidationError) as caught:
        workspace.programmes.hold_milestone(pcn.helen, milestone_id=m.id, expected_version=m.version,
                                            held_on=TODAY + timedelta(days=1))
    assert "future" in caught.value.errors["held_on"]
    with pytest.raises(PermissionDenied):
        workspace.programmes.hold_milestone(pcn.zoe, milestone_id=m.id, expected_version=m.version, held_on=TODAY)
    cleared = workspace.programmes.unhold_milestone(pcn.helen, milestone_id=m.id, expected_version=m.version)
    assert milestone(cleared, "week-4-review").held_on is None


def test_protected_time_owed_counts_whole_unpaused_weeks_and_a_shortfall_makes_behind(workspace, pcn):
    view = enrol(workspace, pcn)
    assert view.protected_expected == 82.5  # 11 whole weeks of 7.5 h
    for week in range(9):
        view = workspace.programmes.log_time(pcn.zoe, enrolment_id=view.id, taken_on=START + timedelta(weeks=week),
                                             hours="7.5", activity="Taught day")
    assert (view.protected_logged, view.protected_shortfall) == (67.5, 15.0)
    assert any("protected time 15.0 h short of the 82.5 h" in r for r in view.behind)
    view = workspace.programmes.log_time(pcn.helen, enrolment_id=view.id, taken_on=TODAY, hours=7.5,
                                         activity="Taught day")
    assert view.protected_shortfall == PROTECTED_TIME_TOLERANCE_HOURS
    assert not any("protected time" in r for r in view.behind)  # one study day behind is within tolerance
    with pytest.raises(ValidationError) as caught:
        workspace.programmes.log_time(pcn.zoe, enrolment_id=view.id, taken_on=TODAY + timedelta(days=2), hours="13",
                                      activity="")
    assert set(caught.value.errors) == {"taken_on", "hours", "activity"}
    removed = workspace.programmes.remove_time(pcn.zoe, entry_id=view.time_entries[0].id)
    assert removed.protected_logged == 67.5
    with pytest.raises(PermissionDenied):
        workspace.programmes.log_time(pcn.other_gp, enrolment_id=view.id, taken_on=TODAY, hours=1, activity="x")


def test_a_pause_stops_protected_time_being_owed(workspace, pcn):
    view = enrol(workspace, pcn)
    view = workspace.programmes.pause(pcn.helen, enrolment_id=view.id, expected_version=view.version,
                                      start=day(35), end=day(48), reason="Sickness")
    assert view.protected_expected == 67.5  # two weeks fewer


def test_overview_explains_who_is_behind(workspace, pcn):
    behind = enrol(workspace, pcn)
    on_track = enrol(workspace, pcn, staff_id=pcn.anya_id, code="PCPEP", start=TODAY - timedelta(days=3))
    rows = {r.enrolment_id: r for r in workspace.programmes.overview(pcn.helen)}
    assert rows[behind.id].status is EnrolmentStatus.BEHIND
    assert rows[behind.id].behind[0] == "4 milestones overdue"
    assert any(r.startswith("competency sign-off 0% against 93%") for r in rows[behind.id].behind)
    assert rows[on_track.id].status is EnrolmentStatus.ON_TRACK and rows[on_track.id].behind == ()
    assert rows[on_track.id].next_milestone.startswith("Enrolment confirmed")


# --------------------------------------------------------------------------- sign-off


def test_only_the_named_assessor_signs_off_and_a_refusal_writes_nothing(workspace, pcn):
    view = enrol(workspace, pcn)
    competency = view.competencies[0]
    before = count(workspace, ProgrammeCompetency, ProgrammeCompetency.signed_at.is_not(None)), count(workspace, AuditEntry)
    for actor in (pcn.other_gp, pcn.helen, pcn.admin):
        with pytest.raises(PermissionDenied, match="Only the named assessor"):
            workspace.programmes.sign_off_competency(actor, competency_id=competency.id,
                                                     expected_version=competency.version)
    with pytest.raises(PermissionDenied, match="your own competencies"):
        workspace.programmes.sign_off_competency(pcn.zoe, competency_id=competency.id,
                                                 expected_version=competency.version)
    assert (count(workspace, ProgrammeCompetency, ProgrammeCompetency.signed_at.is_not(None)),
            count(workspace, AuditEntry)) == before
    signed = workspace.programmes.sign_off_competency(pcn.gp, competency_id=competency.id,
                                                      expected_version=competency.version, comment="Observed twice")
    row = signed.competencies[0]
    assert (row.signed, row.signed_by, row.signed_on, row.comment) == (True, "Yusuf Raghunathan", TODAY,
                                                                       "Observed twice")
    with workspace.db.read() as session:
        stored = session.get(ProgrammeCompetency, competency.id)
        assert (stored.signed_by_user_id, stored.recorded_by_user_id) == (pcn.gp.user_id, pcn.gp.user_id)
        assert stored.signed_at == NOW
    with pytest.raises(ValidationError, match="already signed off"):
        workspace.programmes.sign_off_competency(pcn.gp, competency_id=competency.id, expected_version=row.version)


def test_the_assessor_fact_lets_them_see_the_person(workspace, pcn):
    other = Actor(pcn.other_gp.user_id, "mei", "Mei Chen", frozenset({"supervisor"}), pcn.other_gp_id)
    with workspace.db.read() as session:
        assert not relationship(session, other, pcn.zoe_id).assesses
    enrol(workspace, pcn, actor=pcn.admin)
    with workspace.db.read() as session:
        assert relationship(session, pcn.gp, pcn.zoe_id).assesses
        assert not relationship(session, other, pcn.zoe_id).assesses
        assert pcn.zoe_id in visible_staff_ids(session, pcn.gp)
        assert pcn.zoe_id not in visible_staff_ids(session, other)
    assert [r.display_name for r in workspace.programmes.overview(pcn.gp)] == ["Zoë Ōkubo"]
    assert workspace.programmes.overview(other) == []
    assert [r.display_name for r in workspace.programmes.overview(pcn.zoe)] == ["Zoë Ōkubo"]


def test_completion_is_not_before_the_last_sign_off_nor_with_a_pause_left_open(workspace, pcn):
    """Completion dated months before any competency was signed, and a pause with no end left on
    a finished record, were both accepted."""
    view = sign(workspace, pcn.gp, enrol(workspace, pcn), 17)  # every competency signed on day 20
    with pytest.raises(ValidationError) as caught:
        workspace.programmes.complete(pcn.gp, enrolment_id=view.id, expected_version=view.version,
                                      completed_on=day(10))
    assert caught.value.errors["completed_on"] == (
        f"Completion cannot be before the last competency was signed off ({uk(day(20))}). Use that day or a later one.")
    view = workspace.programmes.pause(pcn.helen, enrolment_id=view.id, expected_version=view.version,
                                      start=day(60), end=None, reason="Leave")
    with pytest.raises(ValidationError, match=f"paused since {uk(day(60))} \\(Leave\\) with no end recorded"):
        workspace.programmes.complete(pcn.gp, enrolment_id=view.id, expected_version=view.version,
                                      completed_on=day(40))
    with workspace.db.read() as session:
        assert session.get(ProgrammeEnrolment, view.id).status != "completed"
    pause = view.pauses[-1]
    view = workspace.programmes.end_pause(pcn.helen, pause_id=pause.id, expected_version=pause.version, end=day(70))
    done = workspace.programmes.complete(pcn.gp, enrolment_id=view.id, expected_version=view.version,
                                         completed_on=day(20))
    assert (done.status, done.completed_on) == (EnrolmentStatus.COMPLETED, day(20))


def test_an_external_assessors_signature_is_recorded_by_the_line_manager(workspace, pcn):
    external = workspace.external_people.create(pcn.admin, name="Dr Farida Osei", job_title="GP educator",
                                                organisation="Moorland Training Hub", email="f.osei@nhs.net")
    view = enrol(workspace, pcn, assessor_external_id=external.id)
    assert view.assessor_is_external and "signs on paper" in view.assessor_note
    c = view.competencies[0]
    with pytest.raises(PermissionDenied, match="only the person's line manager"):
        workspace.programmes.sign_off_competency(pcn.gp, competency_id=c.id, expected_version=c.version)
    signed = workspace.programmes.sign_off_competency(pcn.helen, competency_id=c.id, expected_version=c.version,
                                                      signed_on=day(74))
    assert (signed.competencies[0].signed_by, signed.competencies[0].recorded_by) == ("Dr Farida Osei",
                                                                                       "Helen Whitfield")
    with workspace.db.read() as session:
        stored = session.get(ProgrammeCompetency, c.id)
        assert (stored.signed_by_external_id, stored.signed_by_user_id, stored.recorded_by_user_id) == (
            external.id, None, pcn.helen.user_id)
        assert stored.signed_on == day(74)


def test_completion_needs_every_competency_then_freezes_the_record(workspace, pcn):
    view = enrol(workspace, pcn)
    with pytest.raises(ValidationError) as caught:
        workspace.programmes.complete(pcn.gp, enrolment_id=view.id, expected_version=view.version)
    assert caught.value.errors["competencies"].startswith("17 competencies are not signed off yet")
    view = sign(workspace, pcn.gp, view, 17)
    with pytest.raises(PermissionDenied):
        workspace.programmes.complete(pcn.other_gp, enrolment_id=view.id, expected_version=view.version)
    done = workspace.programmes.complete(pcn.gp, enrolment_id=view.id, expected_version=view.version,
                                         completed_on=day(77), comment="Ready for the roadmap")
    assert (done.status, done.completed_on, done.completion_signed_by) == (
        EnrolmentStatus.COMPLETED, day(77), "Yusuf Raghunathan")
    final = milestone(done, "final-review")
    assert final.held_on == day(77)
    assert milestone(done, "week-8-review").status_label == "Not recorded"
    assert done.behind == () and not done.can.manage and not done.can.assess
    with pytest.raises(ValidationError, match=f"completed on {uk(day(77))}"):
        workspace.programmes.log_time(pcn.zoe, enrolment_id=view.id, taken_on=TODAY, hours=1, activity="late")
    certificate = workspace.programmes.certificate(pcn.zoe, enrolment_id=view.id)
    assert (certificate.person_name, certificate.programme_title, certificate.assessor_name) == (
        "Zoë Ōkubo", "Paramedic preceptorship in primary care (12 weeks)", "Yusuf Raghunathan")
    assert (certificate.competencies_signed, certificate.pcn_name, certificate.completed_on) == (
        17, "Riverside Test PCN", day(77))
    with workspace.db.read() as session:
        assert not relationship(session, pcn.gp, pcn.zoe_id).assesses  # no longer an active enrolment


def test_no_certificate_before_completion(workspace, pcn):
    view = enrol(workspace, pcn)
    with pytest.raises(ValidationError, match="once the assessor has signed off completion"):
        workspace.programmes.certificate(pcn.helen, enrolment_id=view.id)


def test_withdrawal_needs_a_reason_and_ends_the_enrolment(workspace, pcn):
    view = enrol(workspace, pcn)
    with pytest.raises(ValidationError) as caught:
        workspace.programmes.withdraw(pcn.helen, enrolment_id=view.id, expected_version=view.version,
                                      on=START - timedelta(days=1), reason="")
    assert set(caught.value.errors) == {"on", "reason"}
    gone = workspace.programmes.withdraw(pcn.helen, enrolment_id=view.id, expected_version=view.version, on=TODAY,
                                         reason="Left the PCN")
    assert gone.status is EnrolmentStatus.WITHDRAWN
    assert enrol(workspace, pcn).status is EnrolmentStatus.BEHIND  # may be enrolled again


# --------------------------------------------------------------------------- evidence and export


def test_evidence_is_attached_by_content_and_stays_once_signed(workspace, pcn, tmp_path):
    view = enrol(workspace, pcn)
    c = view.competencies[0]
    good = tmp_path / "observation.pdf"
    good.write_bytes(b"%PDF-1.4\nconsultation observation\n")
    fake = tmp_path / "notes.pdf"
    fake.write_text("not really a pdf")
    before = count(workspace, ProgrammeEvidence)
    with pytest.raises(ValidationError, match="not one"):
        workspace.programmes.attach_evidence(pcn.zoe, competency_id=c.id, path=fake)
    assert count(workspace, ProgrammeEvidence) == before
    view = workspace.programmes.attach_evidence(pcn.zoe, competency_id=c.id, path=good)
    files = view.competencies[0].evidence
    assert [f.original_name for f in files] == ["observation.pdf"]
    assert workspace.programmes.evidence_file(pcn.gp, evidence_id=files[0].id).read_bytes() == good.read_bytes()
    view = workspace.programmes.sign_off_competency(pcn.gp, competency_id=c.id, expected_version=c.version)
    with pytest.raises(ValidationError, match="stays"):
        workspace.programmes.remove_evidence(pcn.zoe, evidence_id=files[0].id)


def test_the_same_file_twice_on_one_competency_is_refused(workspace, pcn, tmp_path):
    """A second copy of identical content (renamed) is refused by its SHA-256, naming the copy
    already there, and nothing is written; once taken off, it may be attached again."""
    view = enrol(workspace, pcn)
    c = view.competencies[0]
    first = tmp_path / "observation.pdf"
    first.write_bytes(b"%PDF-1.4\nconsultation observation\n")
    renamed = tmp_path / "observation (1).pdf"
    renamed.write_bytes(first.read_bytes())
    [row] = workspace.programmes.attach_evidence(pcn.zoe, competency_id=c.id, path=first).competencies[0].evidence
    before = (count(workspace, ProgrammeEvidence), count(workspace, AuditEntry))
    with pytest.raises(ValidationError) as caught:
        workspace.programmes.attach_evidence(pcn.zoe, competency_id=c.id, path=renamed)
    assert caught.value.errors["file"] == (f"This file is already attached to '{c.title}' (as 'observation.pdf'), "
                                           "so it is not added again.")
    assert (count(workspace, ProgrammeEvidence), count(workspace, AuditEntry)) == before
    other = workspace.programmes.attach_evidence(pcn.zoe, competency_id=view.competencies[1].id, path=renamed)
    assert [f.original_name for f in other.competencies[1].evidence] == ["observation (1).pdf"]  # another competency

    workspace.programmes.remove_evidence(pcn.zoe, evidence_id=row.id)
    view = workspace.programmes.attach_evidence(pcn.zoe, competency_id=c.id, path=renamed)
    assert [f.original_name for f in view.competencies[0].evidence] == ["observation (1).pdf"]


def test_a_changed_account_is_refused_before_it_learns_the_evidence_is_there(workspace, pcn, tmp_path):
    """The account is checked before the duplicate check: a window whose account was turned off
    since sign-in is locked, not told the file is already attached."""
    c = enrol(workspace, pcn).competencies[0]
    first = tmp_path / "observation.pdf"
    first.write_bytes(b"%PDF-1.4\nconsultation observation\n")
    workspace.programmes.attach_evidence(pcn.zoe, competency_id=c.id, path=first)
    turn_off_account(workspace, pcn.zoe)
    before = (count(workspace, ProgrammeEvidence), count(workspace, AuditEntry))
    with pytest.raises(SessionEnded, match="changed after you signed in"):
        workspace.programmes.attach_evidence(pcn.zoe, competency_id=c.id, path=first)
    assert (count(workspace, ProgrammeEvidence), count(workspace, AuditEntry)) == before


def test_overview_csv_neutralises_formulas(workspace, pcn, tmp_path):
    view = enrol(workspace, pcn)
    workspace.programmes.withdraw(pcn.helen, enrolment_id=view.id, expected_version=view.version, on=TODAY,
                                  reason="=HYPERLINK(\"x\")")
    path = tmp_path / "programmes.csv"
    assert workspace.programmes.export_overview(pcn.helen, path=path) == 1
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][0] == "Staff member" and rows[1][0] == "Zoë Ōkubo" and rows[1][6] == "Withdrawn"


def test_hostile_text_is_kept_as_text(workspace, pcn):
    view = enrol(workspace, pcn, notes="<b>bold</b> " + "x" * 3000 + " 🙂 محمد")
    assert view.notes.startswith("<b>bold</b>") and view.notes.endswith("🙂 محمد")
    with pytest.raises(ValidationError) as caught:
        enrol(workspace, pcn, staff_id=pcn.anya_id, code="PCPEP", notes="y" * 20000)
    assert "4,000 characters" in caught.value.errors["notes"]


# --------------------------------------------------------------------------- the demo


def test_the_demo_shows_every_kind_of_progress(demo_workspace, system_actor):
    rows = demo_workspace.programmes.overview(system_actor)
    statuses = {r.status for r in rows}
    assert {EnrolmentStatus.ON_TRACK, EnrolmentStatus.BEHIND, EnrolmentStatus.PAUSED,
            EnrolmentStatus.COMPLETED} <= statuses
    assert {"PARA-PC12", "GPA", "PCPEP", "FCP-S2", "PA-PRECEPT"} <= {r.programme_code for r in rows}
    assert all(r.behind for r in rows if r.status is EnrolmentStatus.BEHIND)
    completed = next(r for r in rows if r.status is EnrolmentStatus.COMPLETED)
    assert demo_workspace.programmes.certificate(system_actor, enrolment_id=completed.enrolment_id).competencies_signed
    with demo_workspace.db.read() as session:
        externals = set(session.execute(select(ExternalPerson.name)).scalars())
    assert "Dr Farida Osei" in externals
    assert count(demo_workspace, ProgrammeTime) > 0


def test_in_single_user_mode_the_one_person_does_everything_but_sign_their_own(workspace, pcn):
    sole = workspace.accounts.choose_single_user(display_name="Dr Yusuf Raghunathan", staff_id=pcn.gp_id)
    view = enrol(workspace, pcn, actor=sole)  # the gp is named assessor, but anyone would do
    c = view.competencies[0]
    signed = workspace.programmes.sign_off_competency(sole, competency_id=c.id, expected_version=c.version)
    assert signed.competencies[0].signed_by == "Dr Yusuf Raghunathan" and signed.can.assess
    own = workspace.programmes.enrol(sole, data=EnrolmentInput(
        staff_id=pcn.gp_id, programme_code="PARA-PC12", start_date=START, preceptor_staff_id=pcn.helen_id,
        assessor_staff_id=pcn.helen_id))
    with pytest.raises(PermissionDenied, match="your own competencies"):
        workspace.programmes.sign_off_competency(sole, competency_id=own.competencies[0].id,
                                                 expected_version=own.competencies[0].version)


def test_changing_an_enrolment_keeps_what_is_recorded_and_refuses_stale_edits(workspace, pcn):
    view = enrol(workspace, pcn)
    m = milestone(view, "induction-agreement")
    view = workspace.programmes.hold_milestone(pcn.gp, milestone_id=m.id, expected_version=m.version,
                                               held_on=START + timedelta(days=2))
    data = EnrolmentInput(start_date=START, planned_end=START + timedelta(weeks=14), protected_hours_per_week="3.75",
                          preceptor_staff_id=pcn.gp_id, assessor_staff_id=pcn.other_gp_id, notes="Part time")
    changed = workspace.programmes.update_enrolment(pcn.helen, enrolment_id=view.id, data=data,
                                                    expected_version=view.version)
    assert (changed.assessor, changed.protected_hours_per_week, changed.expected_end) == (
        "Mei Chen", 3.75, START + timedelta(weeks=14))
    assert milestone(changed, "induction-agreement").held_on == START + timedelta(days=2)
    assert changed.programme_code == "PARA-PC12" and changed.staff_id == pcn.zoe_id
    with workspace.db.read() as session:
        assert relationship(session, pcn.other_gp, pcn.zoe_id).assesses
        assert not relationship(session, pcn.gp, pcn.zoe_id).assesses
    with pytest.raises(StaleEdit):
        workspace.programmes.update_enrolment(pcn.helen, enrolment_id=view.id, data=data,
                                              expected_version=view.version)
    late = EnrolmentInput(start_date=START + timedelta(days=5), preceptor_staff_id=pcn.gp_id,
                          assessor_staff_id=pcn.gp_id)
    with pytest.raises(ValidationError) as caught:
        workspace.programmes.update_enrolment(pcn.helen, enrolment_id=view.id, data=late,
                                              expected_version=changed.version)
    assert f"already recorded on {uk(START + timedelta(days=2))}" in caught.value.errors["start_date"]
    with pytest.raises(PermissionDenied):
        workspace.programmes.update_enrolment(pcn.gp, enrolment_id=view.id, data=data,
                                              expected_version=changed.version)
