"""Supervision services: stored arrangements and sessions flow into the right matrix status,
permissions and privacy hold, every write is validated, audited and all-or-nothing."""

from __future__ import annotations

import hashlib
from datetime import time, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import func, select, text

from arrs_desk.domain.dates import add_months
from arrs_desk.domain.supervision import ComplianceStatus as S
from arrs_desk.errors import NotFound, PermissionDenied, StaleEdit, ValidationError
from arrs_desk.services.relationships import relationship, visible_staff_ids
from arrs_desk.services.supervision import (
    ArrangementInput, ExternalSupervisorInput, SessionInput, latest_sessions_query,
)
from arrs_desk.store.models import (
    AuditEntry, ExternalPerson, SupervisionArrangement, SupervisionAttendance, SupervisionSession,
)
from tests.conftest import NOW
from tests.date_support import days_ago, days_ahead, monthly_due_between, months_before, uk
from tests.supervision_support import STARTED, TODAY, arrange, cell, log, make_team


@pytest.fixture
def team(workspace, system_actor):
    return make_team(workspace, system_actor)


def count(workspace, model) -> int:
    with workspace.db.read() as session:
        return session.execute(select(func.count()).select_from(model)).scalar()


# --------------------------------------------------------------------------- statuses from stored data


def test_required_supervision_with_nothing_arranged_shows_as_not_arranged(workspace, team):
    assert cell(workspace, team.admin, team.zoe_id).status is S.NOT_ARRANGED
    optional = cell(workspace, team.admin, team.zoe_id, "peer-group")
    assert optional.status is S.NOT_APPLICABLE and not optional.required


@pytest.mark.parametrize(
    ("due_in", "expected", "days_overdue"),
    [
        (26, S.IN_DATE, 0),
        (1, S.DUE_SOON, 0),  # due tomorrow
        (0, S.DUE_SOON, 0),  # due today
        (-1, S.OVERDUE, 1),  # due yesterday
        (-35, S.OVERDUE, 35),  # a missed month
    ],
)
def test_last_logged_session_decides_the_cell(workspace, team, due_in, expected, days_overdue):
    due = days_ahead(due_in)
    last_session = months_before(due)
    frequency, label = "", "Monthly"  # the link worker's default
    if last_session is None and expected is S.IN_DATE:
        last_session, due = monthly_due_between(due, due + timedelta(days=3))  # any day well ahead will do
    elif last_session is None:
        # No month's interval ends on this day (31/12 after a 30-day November, 29-31/03 after
        # February): a weekly arrangement tests the same boundary exactly.
        last_session, frequency, label = due - timedelta(days=7), "weekly", "Weekly"
    arrange(workspace, team.admin, team.zoe_id, supervisor_id=team.gp_id, frequency=frequency)
    log(workspace, team.helen, [team.zoe_id], days_ago(323), supervisor_id=team.gp_id)
    log(workspace, team.helen, [team.zoe_id], last_session, supervisor_id=team.gp_id)
    found = cell(workspace, team.admin, team.zoe_id)
    assert (found.status, found.days_overdue, found.last_session) == (expected, days_overdue, last_session)
    assert (found.next_due, found.frequency_label) == (due, label)
    assert found.supervisors == "Yusuf Raghunathan"


def test_due_soon_window_comes_from_the_setting(workspace, team):
    arrange(workspace, team.admin, team.zoe_id, supervisor_id=team.gp_id)
    held, due = monthly_due_between(days_ahead(4), days_ahead(7))  # due soon by the default 7 days, not by 3
    log(workspace, team.helen, [team.zoe_id], held, supervisor_id=team.gp_id)
    found = cell(workspace, team.admin, team.zoe_id)
    assert (found.status, found.next_due) == (S.DUE_SOON, due)
    setting = workspace.supervision.due_soon_setting(team.admin)
    workspace.supervision.set_due_soon_days(team.admin, days=3, expected_version=setting.version)
    assert cell(workspace, team.admin, team.zoe_id).status is S.IN_DATE
    with pytest.raises(ValidationError) as caught:
        workspace.supervision.set_due_soon_days(team.admin, days=90, expected_version=None)
    assert "between 0 and 60" in caught.value.errors["due_soon_days"]
    with pytest.raises(PermissionDenied):
        workspace.supervision.set_due_soon_days(team.helen, days=5, expected_version=None)


def test_never_held_only_once_the_first_interval_has_passed(workspace, team):
    start = days_ago(84)
    first_due = add_months(start, 1)  # 54 days ago, give or take a month end
    arrange(workspace, team.admin, team.zoe_id, supervisor_id=team.gp_id, start=start)
    arrange(workspace, team.admin, team.peer_ids[0], supervisor_id=team.gp_id, start=days_ago(14))
    assert cell(workspace, team.admin, team.zoe_id).status is S.NEVER_HELD
    assert cell(workspace, team.admin, team.zoe_id).days_overdue == (TODAY - first_due).days
    assert cell(workspace, team.admin, team.peer_ids[0]).status is S.IN_DATE


def test_an_ended_arrangement_no_longer_covers_the_person(workspace, team):
    arrange(workspace, team.admin, team.zoe_id, supervisor_id=team.gp_id, end=days_ago(1))
    arrange(workspace, team.admin, team.peer_ids[0], supervisor_id=team.gp_id, end=TODAY)
    arrange(workspace, team.admin, team.zoe_id, type_code="peer-group", supervisor_id=team.helen_id,
            end=days_ago(147))
    log(workspace, team.helen, [team.zoe_id, team.peer_ids[0]], days_ago(14), supervisor_id=team.gp_id)
    assert cell(workspace, team.admin, team.zoe_id).status is S.NOT_ARRANGED  # required: the gap shows
    assert cell(workspace, team.admin, team.peer_ids[0]).status is S.IN_DATE  # ends today: still live
    assert cell(workspace, team.admin, team.zoe_id, "peer-group").status is S.ENDED  # optional and over
    gap, live = cell(workspace, team.admin, team.zoe_id), cell(workspace, team.admin, team.peer_ids[0])
    assert (gap.supervisors, gap.live_arrangements, gap.next_due) == ("", 0, None), "an ended one names nobody"
    assert (live.live_arrangements, live.next_due is not None) == (1, True) and live.supervisors


def test_an_arrangement_starting_later_covers_nothing_until_it_starts(workspace, team, clock):
    """Zoë, long in post with no supervision, showed "In date" the day an arrangement beginning in
    three months was made: it covers nothing until its first day, and says when that is."""
    arrange(workspace, team.admin, team.zoe_id, supervisor_id=team.gp_id, start=days_ahead(90))
    waiting = cell(workspace, team.admin, team.zoe_id)
    assert (waiting.status, waiting.live_arrangements) == (S.NOT_ARRANGED, 0)
    assert waiting.supervisors == f"Yusuf Raghunathan from {uk(days_ahead(90))}"  # not "No supervisor named"
    [row] = [a for a in workspace.supervision.person(team.admin, staff_id=team.zoe_id).arrangements
             if a.type_code == "clinical" and not a.from_staff_record]
    assert (row.status, row.status_label, row.next_due) == (S.NOT_STARTED, "Not started yet",
                                                            add_months(days_ahead(90), 1))
    clock.advance(timedelta(days=90))
    assert cell(workspace, team.admin, team.zoe_id).status is S.IN_DATE  # from its first day


def test_a_supervisor_who_has_left_is_flagged_unless_another_arrangement_covers(workspace, team, system_actor):
    arrange(workspace, team.admin, team.zoe_id, supervisor_id=team.gp_id)
    arrange(workspace, team.admin, team.peer_ids[0], supervisor_id=team.gp_id)
    arrange(workspace, team.admin, team.peer_ids[0], supervisor_id=team.helen_id, start=days_ago(23))
    log(workspace, team.helen, [team.zoe_id, team.peer_ids[0]], days_ago(12), supervisor_id=team.gp_id)
    record = workspace.staff.get(system_actor, staff_id=team.gp_id)
    data = record.data
    data.status, data.end_date, data.leaving_reason = "left", days_ago(4), "Relocation"
    workspace.staff.update(system_actor, staff_id=team.gp_id, data=data, expected_version=record.version)
    assert cell(workspace, team.admin, team.zoe_id).status is S.SUPERVISOR_LEFT
    covered = cell(workspace, team.admin, team.peer_ids[0])
    assert covered.status is S.IN_DATE and covered.supervisors == "Yusuf Raghunathan, Helen Whitfield"


def test_someone_whose_last_day_was_yesterday_is_not_given_a_new_arrangement(workspace, team, system_actor, clock):
    """Saved as Active with a last day of yesterday, they have left: a new arrangement with them as
    supervisor was accepted and showed "Supervisor left" at once, and one for them as supervisee was
    accepted for someone no longer in post. Only a saved status of Left was refused."""
    for staff_id in (team.gp_id, team.peer_ids[0]):
        record = workspace.staff.get(system_actor, staff_id=staff_id)
        data = record.data
        data.end_date, data.leaving_reason = TODAY, "Relocation"  # their last day, still Active
        workspace.staff.update(system_actor, staff_id=staff_id, data=data, expected_version=record.version)
    arrange(workspace, team.admin, team.zoe_id, supervisor_id=team.gp_id, start=TODAY)  # still in post today
    clock.advance(timedelta(days=1))
    with pytest.raises(ValidationError) as refused:
        arrange(workspace, team.admin, team.peer_ids[1], supervisor_id=team.gp_id, start=TODAY)
    assert refused.value.errors["supervisor"].startswith("Yusuf Raghunathan has left.")
    with pytest.raises(ValidationError) as refused:
        arrange(workspace, team.admin, team.peer_ids[0], supervisor_id=team.helen_id, start=TODAY)
    assert "has left" in refused.value.errors["staff_id"]


def test_a_change_of_supervisor_does_not_reset_the_clock(workspace, team):
    held, due = monthly_due_between(days_ahead(3), days_ahead(6))
    arrange(workspace, team.admin, team.zoe_id, supervisor_id=team.gp_id, end=held + timedelta(days=1))
    log(workspace, team.helen, [team.zoe_id], held, supervisor_id=team.gp_id)
    arrange(workspace, team.admin, team.zoe_id, supervisor_id=team.helen_id, start=held + timedelta(days=2))
    found = cell(workspace, team.admin, team.zoe_id)
    assert (found.status, found.next_due, found.supervisors) == (S.DUE_SOON, due, "Helen Whitfield")


def test_an_arrangement_frequency_overrides_the_role_default(workspace, team):
    arrange(workspace, team.admin, team.zoe_id, supervisor_id=team.gp_id, frequency="weekly")
    log(workspace, team.helen, [team.zoe_id], days_ago(14), supervisor_id=team.gp_id)
    found = cell(workspace, team.admin, team.zoe_id)
    assert (found.status, found.next_due, found.frequency_label) == (S.OVERDUE, days_ago(7), "Weekly")


@pytest.mark.sqlite_only("reads SQLite's EXPLAIN QUERY PLAN output")
def test_matrix_aggregates_latest_sessions_from_the_covering_index(workspace, team):
    with workspace.db.read() as session:
        sql = str(latest_sessions_query(TODAY).compile(compile_kwargs={"literal_binds": True}))
        plan = " ".join(str(r[-1]) for r in session.execute(text("EXPLAIN QUERY PLAN " + sql)))
    assert "COVERING INDEX ix_supervision_attendance_latest" in plan


# --------------------------------------------------------------------------- sessions


def test_a_group_session_names_to_each_viewer_only_the_attendees_they_may_see(workspace, team):
    """A practice manager who could see one attendee of a group session read all their names, and
    a refusal to record named everyone typed in by staff id."""
    from arrs_desk.errors import PermissionDenied

    group = [team.zoe_id, *team.peer_ids, team.anya_id]  # Helen's five and Bogdan's Аня
    for person in group:
        arrange(workspace, team.admin, person, type_code="safeguarding", supervisor_id=team.gp_id)
    log(workspace, team.gp, group, days_ago(6), type_code="safeguarding", supervisor_id=team.gp_id)
    seen_by_bogdan = workspace.supervision.person(team.bogdan, staff_id=team.anya_id).sessions[0]
    assert seen_by_bogdan.attendees == ("Аня Петрова", "5 others") and seen_by_bogdan.attendee_count == 6
    assert seen_by_bogdan.attendee_ids == (team.anya_id,)  # the other five's ids were handed out unseen
    assert len(workspace.supervision.person(team.admin, staff_id=team.anya_id).sessions[0].attendees) == 6
    with pytest.raises(PermissionDenied) as refused:
        log(workspace, team.bogdan, [team.anya_id, team.zoe_id, team.peer_ids[0]], days_ago(2))
    assert str(refused.value).endswith("Not allowed for: 2 people whose records you cannot see.")
    assert "Ōkubo" not in str(refused.value)


def test_a_group_session_with_someone_outside_the_team_is_not_offered_for_correction(workspace, team):
    """Helen could open a correction of a group session that Bogdan's Аня attended, only for Save
    to be refused: a correction is saved for every attendee, so it is offered only when the reader
    may record supervision for each of them."""
    for person in (team.zoe_id, team.anya_id):
        arrange(workspace, team.admin, person, supervisor_id=team.gp_id)
    log(workspace, team.helen, [team.zoe_id], days_ago(9), supervisor_id=team.gp_id)
    log(workspace, team.gp, [team.zoe_id, team.anya_id], days_ago(6), supervisor_id=team.gp_id)
    mixed, own = workspace.supervision.person(team.helen, staff_id=team.zoe_id).sessions
    assert (mixed.can_edit, own.can_edit) == (False, True)
    assert (mixed.attendee_ids, mixed.attendee_count, mixed.attendees) == ((team.zoe_id,), 2, ("Zoë Ōkubo", "1 other"))
    seen_by_gp = workspace.supervision.person(team.gp, staff_id=team.zoe_id).sessions[0]
    assert seen_by_gp.can_edit and seen_by_gp.attendee_ids == (team.zoe_id, team.anya_id)  # supervises both
    corrected = workspace.supervision.update_session(team.gp, session_id=seen_by_gp.id, expected_version=seen_by_gp.version,
                                                     data=SessionInput(
        type_code="clinical", held_on=seen_by_gp.held_on, attendee_ids=list(seen_by_gp.attendee_ids),
        supervisor_staff_id=team.gp_id, format="group", topics="Corrected"))
    assert corrected.topics == "Corrected"
    data = SessionInput(type_code="clinical", held_on=mixed.held_on, attendee_ids=list(mixed.attendee_ids),
                        supervisor_staff_id=team.gp_id, format="group", topics="Changed")
    with pytest.raises(PermissionDenied):  # what the flag stands for
        workspace.supervision.update_session(team.helen, session_id=mixed.id, data=data,
                                             expected_version=mixed.version)


def test_group_session_for_five_is_one_session_with_five_attendances(workspace, team):
    five = [team.zoe_id, *team.peer_ids]
    for person in five:
        arrange(workspace, team.admin, person, type_code="safeguarding", supervisor_id=team.gp_id)
    audit_before = count(workspace, AuditEntry)
    row = log(workspace, team.gp, five, days_ago(6), type_code="safeguarding", supervisor_id=team.gp_id,
              minutes=90)
    assert (count(workspace, SupervisionSession), count(workspace, SupervisionAttendance)) == (1, 5)
    assert count(workspace, AuditEntry) - audit_before == 5  # one line in each person's own trail
    assert len(row.attendees) == 5 and row.format == "group"
    assert {cell(workspace, team.admin, p, "safeguarding").status for p in five} == {S.IN_DATE}
    load = workspace.supervision.supervisor_load(team.admin, start=days_ago(23), end=TODAY)
    assert [(r.supervisor, r.sessions, r.people, r.hours) for r in load.rows] == [("Yusuf Raghunathan", 1, 5, 1.5)]


def test_a_line_manager_sees_their_peoples_share_of_a_group_session_and_is_told_so(workspace, team):
    """Zoë (Helen's team) and Anya (Bogdan's) at one hour's group session with the GP: Bogdan may
    see only Anya, so half the hour is his people's, and the load says one session was shared."""
    for person in (team.zoe_id, team.anya_id):
        arrange(workspace, team.admin, person, supervisor_id=team.gp_id)
    log(workspace, team.gp, [team.zoe_id, team.anya_id], days_ago(6), supervisor_id=team.gp_id, minutes=60)
    whole = workspace.supervision.supervisor_load(team.admin, start=days_ago(23), end=TODAY)
    assert [(r.supervisor, r.people, r.hours) for r in whole.rows] == [("Yusuf Raghunathan", 2, 1.0)]
    assert whole.partly_seen_groups == 0
    part = workspace.supervision.supervisor_load(team.bogdan, start=days_ago(23), end=TODAY)
    assert [(r.supervisor, r.people, r.hours) for r in part.rows] == [("Yusuf Raghunathan", 1, 0.5)]
    assert part.partly_seen_groups == 1


def test_supervisor_load_counts_only_the_period(workspace, team):
    log(workspace, team.helen, [team.zoe_id], days_ago(54), supervisor_id=team.gp_id, minutes=45)
    log(workspace, team.helen, [team.zoe_id], days_ago(22), supervisor_id=team.gp_id, minutes=60)
    log(workspace, team.helen, [team.peer_ids[0]], days_ago(21), supervisor_id=team.helen_id, minutes=None)
    load = workspace.supervision.supervisor_load(team.admin, start=days_ago(53), end=TODAY)
    assert {r.supervisor: r.hours for r in load.rows} == {"Yusuf Raghunathan": 1.0, "Helen Whitfield": 0.0}
    with pytest.raises(ValidationError):
        workspace.supervision.supervisor_load(team.admin, start=TODAY, end=days_ago(327))


def test_one_to_one_with_several_people_and_future_dates_are_refused_together(workspace, team):
    with pytest.raises(ValidationError) as caught:
        workspace.supervision.record_session(team.helen, data=SessionInput(
            type_code="clinical", held_on=days_ahead(7), attendee_ids=[team.zoe_id, team.peer_ids[0]],
            format="one-to-one", duration_minutes=2,
        ))
    errors = caught.value.errors
    assert "in the future" in errors["held_on"]
    assert "one supervisee" in errors["format"]
    assert "Choose who supervised" in errors["supervisor"]
    assert "between 5 and 600" in errors["duration_minutes"]
    assert count(workspace, SupervisionSession) == 0


def test_session_before_the_person_started_is_refused(workspace, team):
    with pytest.raises(ValidationError) as caught:
        log(workspace, team.helen, [team.zoe_id], STARTED - timedelta(days=36), supervisor_id=team.gp_id)
    assert f"before Zoë Ōkubo started ({uk(STARTED)})" in caught.value.errors["held_on"]


def test_a_session_after_the_supervisor_left_is_refused(workspace, team, system_actor):
    """A session dated after the supervisor's last day was saved, and the arrangement whose
    supervisor had left then showed a last session nobody could have held. One held before they
    left (a backlog typed up from paper) is still recorded."""
    arrange(workspace, team.admin, team.zoe_id, supervisor_id=team.gp_id)
    record = workspace.staff.get(system_actor, staff_id=team.gp_id)
    data = record.data
    data.status, data.end_date, data.leaving_reason = "left", days_ago(10), "Relocation"
    workspace.staff.update(system_actor, staff_id=team.gp_id, data=data, expected_version=record.version)
    with pytest.raises(ValidationError) as caught:
        log(workspace, team.helen, [team.zoe_id], days_ago(3), supervisor_id=team.gp_id)
    assert caught.value.errors["supervisor"].startswith(
        f"Yusuf Raghunathan left on {uk(days_ago(10))}, before the session date ({uk(days_ago(3))}).")
    assert log(workspace, team.helen, [team.zoe_id], days_ago(10), supervisor_id=team.gp_id).held_on == days_ago(10)


def test_who_may_record_a_session(workspace, team):
    with pytest.raises(PermissionDenied) as caught:
        log(workspace, team.bogdan, [team.zoe_id], days_ago(22), supervisor_id=team.gp_id)
    assert "1 person whose records you cannot see" in caught.value.message  # Bogdan may not see Zoë: not named
    with pytest.raises(PermissionDenied):
        log(workspace, team.admin, [team.zoe_id], days_ago(22), supervisor_id=team.gp_id)
    with pytest.raises(PermissionDenied):  # the GP supervises nobody yet
        log(workspace, team.gp, [team.zoe_id], days_ago(22), supervisor_id=team.gp_id)
    with pytest.raises(PermissionDenied):  # one attendee outside the team refuses the whole group
        log(workspace, team.helen, [team.zoe_id, team.anya_id], days_ago(22), supervisor_id=team.gp_id)
    assert count(workspace, SupervisionSession) == 0
    log(workspace, team.zoe, [team.zoe_id], days_ago(22), supervisor_id=team.gp_id)
    log(workspace, team.helen, [team.zoe_id], days_ago(21), supervisor_id=team.gp_id)
    arrange(workspace, team.helen, team.zoe_id, supervisor_id=team.gp_id, end=days_ahead(37))
    log(workspace, team.gp, [team.zoe_id], days_ago(20), supervisor_id=team.gp_id)
    assert count(workspace, SupervisionSession) == 3


# --------------------------------------------------------------------------- reflections and confirmations


def test_reflective_notes_are_private_to_self_managers_and_supervisors(workspace, team):
    arrange(workspace, team.helen, team.zoe_id, supervisor_id=team.gp_id)
    secret = "I felt out of my depth with the safeguarding case."
    log(workspace, team.zoe, [team.zoe_id], days_ago(4), supervisor_id=team.gp_id, notes=secret)
    for reader in (team.zoe, team.helen, team.gp):
        assert workspace.supervision.person(reader, staff_id=team.zoe_id).sessions[0].reflective_notes == secret
    hidden = workspace.supervision.person(team.admin, staff_id=team.zoe_id).sessions[0]
    assert hidden.reflective_notes is None and hidden.has_reflection
    with pytest.raises(PermissionDenied):  # another team's manager cannot open the record at all
        workspace.supervision.person(team.bogdan, staff_id=team.zoe_id)
    with workspace.db.read() as session:
        trail = " ".join(str(e.changes) + e.summary for e in session.execute(select(AuditEntry)).scalars())
    assert secret not in trail and "(private)" in trail


def test_only_the_supervisee_writes_reflections(workspace, team):
    with pytest.raises(ValidationError) as caught:
        log(workspace, team.helen, [team.zoe_id], days_ago(4), supervisor_id=team.gp_id, notes="My view")
    assert "Only the supervisee" in caught.value.errors["reflective_notes"]
    row = log(workspace, team.helen, [team.zoe_id, team.peer_ids[0]], days_ago(4), supervisor_id=team.gp_id)
    with pytest.raises(PermissionDenied):
        workspace.supervision.write_reflection(team.helen, session_id=row.id, staff_id=team.zoe_id, text="x",
                                               expected_version=row.attendance_version)
    mine = workspace.supervision.write_reflection(team.zoe, session_id=row.id, staff_id=team.zoe_id,
                                                  text="Useful group", expected_version=row.attendance_version)
    assert mine.reflective_notes == "Useful group"
    with pytest.raises(StaleEdit):
        workspace.supervision.write_reflection(team.zoe, session_id=row.id, staff_id=team.zoe_id, text="Again",
                                               expected_version=row.attendance_version)


def test_saving_reflective_notes_unchanged_moves_no_version_and_records_nothing(workspace, team):
    """As a staff record saved as it was: the version stays (so nobody else's open copy goes stale)
    and the audit trail gains no entry. A save from an old version is still refused."""
    row = log(workspace, team.helen, [team.zoe_id], days_ago(4), supervisor_id=team.gp_id)
    mine = workspace.supervision.write_reflection(team.zoe, session_id=row.id, staff_id=team.zoe_id,
                                                  text="Useful session", expected_version=row.attendance_version)
    with workspace.db.read() as session:
        entries = session.execute(select(func.count()).select_from(AuditEntry)).scalar_one()
    again = workspace.supervision.write_reflection(team.zoe, session_id=row.id, staff_id=team.zoe_id,
                                                   text="Useful session\n", expected_version=mine.attendance_version)
    assert again.attendance_version == mine.attendance_version and again.reflective_notes == "Useful session"
    with workspace.db.read() as session:
        assert session.execute(select(func.count()).select_from(AuditEntry)).scalar_one() == entries
    with pytest.raises(StaleEdit):
        workspace.supervision.write_reflection(team.zoe, session_id=row.id, staff_id=team.zoe_id,
                                               text="Useful session", expected_version=row.attendance_version)


def test_both_parties_confirm_and_a_correction_clears_the_confirmations(workspace, team, clock):
    arrange(workspace, team.helen, team.zoe_id, supervisor_id=team.gp_id)
    row = log(workspace, team.helen, [team.zoe_id], days_ago(4), supervisor_id=team.gp_id)
    with pytest.raises(PermissionDenied):
        workspace.supervision.confirm_session(team.helen, session_id=row.id)
    mine = workspace.supervision.confirm_session(team.zoe, session_id=row.id)
    assert (mine.attendee_confirmed_by, mine.attendee_confirmed_at) == ("Zoë Ōkubo", NOW)
    assert not mine.can_confirm
    clock.advance(timedelta(hours=3))  # the supervisor confirms later in the day
    theirs = workspace.supervision.confirm_session(team.gp, session_id=row.id)
    assert (theirs.supervisor_confirmed_by, theirs.supervisor_confirmed_at) == (
        "Yusuf Raghunathan", NOW + timedelta(hours=3))
    assert theirs.attendee_confirmed_at == NOW
    with workspace.db.read() as session:
        stored = session.get(SupervisionSession, row.id)
        assert (stored.signed_by_user_id, stored.signed_by_name) == (team.gp.user_id, "Yusuf Raghunathan")
    corrected = workspace.supervision.update_session(team.helen, session_id=row.id, data=SessionInput(
        type_code="clinical", held_on=days_ago(5), attendee_ids=[team.zoe_id], supervisor_staff_id=team.gp_id,
        duration_minutes=45, format="remote", topics="Case review", actions_agreed="Read the guidance",
    ), expected_version=theirs.version)
    assert corrected.supervisor_confirmed_at is None and corrected.attendee_confirmed_at is None
    assert cell(workspace, team.admin, team.zoe_id).last_session == days_ago(5)


def test_attendees_cannot_be_changed_after_logging(workspace, team):
    row = log(workspace, team.helen, [team.zoe_id], days_ago(4), supervisor_id=team.gp_id)
    with pytest.raises(ValidationError) as caught:
        workspace.supervision.update_session(team.helen, session_id=row.id, data=SessionInput(
            type_code="clinical", held_on=days_ago(4), attendee_ids=[team.zoe_id, team.peer_ids[0]],
            supervisor_staff_id=team.gp_id, format="group"), expected_version=row.version)
    assert "cannot be changed" in caught.value.errors["attendee_ids"]


# --------------------------------------------------------------------------- arrangements


def test_arrangement_problems_are_reported_together_and_nothing_is_written(workspace, team, tmp_path):
    fake = tmp_path / "agreement.pdf"
    fake.write_bytes(b"MZ\x90\x00 this is a program, not a PDF")
    audit_before = count(workspace, AuditEntry)
    with pytest.raises(ValidationError) as caught:
        workspace.supervision.create_arrangement(team.helen, data=ArrangementInput(
            staff_id=team.zoe_id, type_code="clinical", frequency_code="hourly", start_date=days_ago(207),
            end_date=days_ago(237), agreement_path=str(fake),
        ))
    errors = caught.value.errors
    assert set(errors) == {"supervisor", "frequency_code", "end_date", "agreement"}
    assert "before the start date" in errors["end_date"]
    assert "contents are not one" in errors["agreement"]
    assert count(workspace, SupervisionArrangement) == 0 and count(workspace, AuditEntry) == audit_before


def test_only_line_managers_and_administrators_arrange(workspace, team):
    with pytest.raises(PermissionDenied):
        arrange(workspace, team.bogdan, team.zoe_id, supervisor_id=team.gp_id)
    with pytest.raises(PermissionDenied):
        arrange(workspace, team.zoe, team.zoe_id, supervisor_id=team.gp_id)
    assert arrange(workspace, team.helen, team.zoe_id, supervisor_id=team.gp_id).status is S.NEVER_HELD


def test_new_external_supervisor_is_recorded_with_the_arrangement(workspace, team):
    bad = ArrangementInput(staff_id=team.anya_id, type_code="coaching", start_date=days_ago(323),
                           new_external=ExternalSupervisorInput(name="Imogen Fairweather", email="not-an-email"))
    with pytest.raises(ValidationError) as caught:
        workspace.supervision.create_arrangement(team.bogdan, data=bad)
    assert set(caught.value.errors) == {"external_organisation", "external_email"}
    assert count(workspace, ExternalPerson) == 0
    bad.new_external = ExternalSupervisorInput(name="Imogen Fairweather", organisation="Fairweather Coaching",
                                               profession="Coaching supervisor", email="imogen@coaching.example")
    row = workspace.supervision.create_arrangement(team.bogdan, data=bad)
    assert (row.supervisor_name, row.supervisor_detail) == (
        "Imogen Fairweather", "Coaching supervisor, Fairweather Coaching · imogen@coaching.example")
    assert cell(workspace, team.admin, team.anya_id, "coaching").status is S.NEVER_HELD


def test_duplicate_live_arrangement_with_the_same_supervisor_is_refused(workspace, team):
    arrange(workspace, team.helen, team.zoe_id, supervisor_id=team.gp_id)
    with pytest.raises(ValidationError) as caught:
        arrange(workspace, team.helen, team.zoe_id, supervisor_id=team.gp_id, start=days_ago(296))
    assert "already has an arrangement" in caught.value.errors["supervisor"]
    arrange(workspace, team.helen, team.zoe_id, supervisor_id=team.helen_id)  # several of one type are fine


def test_stale_arrangement_edit_is_refused(workspace, team):
    row = arrange(workspace, team.helen, team.zoe_id, supervisor_id=team.gp_id)
    data = ArrangementInput(staff_id=team.zoe_id, type_code="clinical", supervisor_staff_id=team.gp_id,
                            start_date=row.start_date, notes="Fortnightly while new")
    saved = workspace.supervision.update_arrangement(team.helen, arrangement_id=row.id, data=data,
                                                     expected_version=row.version)
    assert saved.notes == "Fortnightly while new" and saved.version == row.version + 1
    with pytest.raises(StaleEdit):
        workspace.supervision.update_arrangement(team.helen, arrangement_id=row.id, data=data,
                                                 expected_version=row.version)


def test_signed_agreement_is_stored_under_its_hash_and_checked_when_opened(workspace, team, tmp_path):
    from arrs_desk.paths import evidence_dir

    signed = tmp_path / "Zoë agreement.pdf"
    content = b"%PDF-1.7\n% signed supervision agreement\n" + bytes(range(256)) * 8
    signed.write_bytes(content)
    row = workspace.supervision.create_arrangement(team.helen, data=ArrangementInput(
        staff_id=team.zoe_id, type_code="clinical", supervisor_staff_id=team.gp_id, start_date=STARTED,
        agreement_path=str(signed)))
    sha = hashlib.sha256(content).hexdigest()
    stored = workspace.supervision.agreement_file(team.zoe, arrangement_id=row.id)
    assert row.agreement_filename == "Zoë agreement.pdf"
    assert stored.name == f"{sha}.pdf" and stored.is_relative_to(evidence_dir()) and stored.read_bytes() == content
    stored.write_bytes(content + b"tampered")
    with pytest.raises(NotFound) as caught:
        workspace.supervision.agreement_file(team.zoe, arrangement_id=row.id)
    assert "changed since it was attached" in caught.value.message
    with pytest.raises(PermissionDenied):
        workspace.supervision.agreement_file(team.bogdan, arrangement_id=row.id)


def test_an_oversized_agreement_is_refused(workspace, team, tmp_path, monkeypatch):
    from arrs_desk.services import evidence

    monkeypatch.setattr(evidence, "MAX_EVIDENCE_BYTES", 1000)
    big = tmp_path / "scan.pdf"
    big.write_bytes(b"%PDF-1.4\n" + b"0" * 5000)
    with pytest.raises(ValidationError) as caught:
        workspace.supervision.create_arrangement(team.helen, data=ArrangementInput(
            staff_id=team.zoe_id, type_code="clinical", supervisor_staff_id=team.gp_id, start_date=STARTED,
            agreement_path=str(big)))
    assert "at most" in caught.value.errors["agreement"]


# --------------------------------------------------------------------------- expected frequencies


def test_administrator_changes_the_expected_frequency_for_a_role(workspace, team):
    arrange(workspace, team.admin, team.zoe_id, supervisor_id=team.gp_id)
    log(workspace, team.helen, [team.zoe_id], days_ago(14), supervisor_id=team.gp_id)
    assert cell(workspace, team.admin, team.zoe_id).status is S.IN_DATE
    with pytest.raises(PermissionDenied):
        workspace.supervision.set_requirement(team.helen, type_code="clinical", role_code="SPLW", required=True,
                                              steps=[(0, "weekly")])
    with pytest.raises(ValidationError) as caught:
        workspace.supervision.set_requirement(team.admin, type_code="clinical", role_code="SPLW", required=True,
                                              steps=[(0, "weekly"), (0, "monthly")])
    assert "after the one before" in caught.value.errors["steps"]
    rule = workspace.supervision.set_requirement(team.admin, type_code="clinical", role_code="SPLW", required=True,
                                                 steps=[(0, "weekly"), (24, "fortnightly")], note="Local policy")
    assert rule.edited and rule.summary == "Required: Weekly, then fortnightly from month 24"
    found = cell(workspace, team.admin, team.zoe_id)
    assert (found.status, found.next_due) == (S.OVERDUE, days_ago(7))
    other_role = cell(workspace, team.admin, team.anya_id)  # coaches keep the built-in rule
    assert other_role.frequency_label == "Every three months"
    restored = workspace.supervision.reset_requirement(team.admin, type_code="clinical", role_code="SPLW",
                                                       expected_version=rule.version)
    assert not restored.edited
    assert cell(workspace, team.admin, team.zoe_id).status is S.IN_DATE


# --------------------------------------------------------------------------- relationships


def test_supervising_is_a_relationship_while_the_arrangement_lasts(workspace, team):
    with workspace.db.read() as session:
        assert not relationship(session, team.gp, team.zoe_id, TODAY).supervises
        assert visible_staff_ids(session, team.gp, TODAY) == {team.gp_id}
    end = days_ahead(37)
    arrange(workspace, team.helen, team.zoe_id, supervisor_id=team.gp_id, end=end)
    with workspace.db.read() as session:
        assert relationship(session, team.gp, team.zoe_id, TODAY).supervises
        assert visible_staff_ids(session, team.gp, TODAY) == {team.gp_id, team.zoe_id}
        assert visible_staff_ids(session, team.gp, end + timedelta(days=1)) == {team.gp_id}
        assert not relationship(session, team.gp, team.peer_ids[0], TODAY).supervises
    assert {r.staff_id for r in workspace.supervision.matrix(team.gp).rows} == {team.gp_id, team.zoe_id}


def test_a_line_manager_sees_only_their_team_in_the_matrix(workspace, team):
    assert {r.staff_id for r in workspace.supervision.matrix(team.bogdan).rows} == {team.bogdan_id, team.anya_id}
    assert {r.staff_id for r in workspace.supervision.matrix(team.helen).rows} == {
        team.helen_id, team.zoe_id, *team.peer_ids}


# --------------------------------------------------------------------------- reports


def test_calendar_is_valid_icalendar_that_outlook_accepts(workspace, team):
    arrange(workspace, team.helen, team.zoe_id, supervisor_id=team.gp_id)
    arrange(workspace, team.helen, team.peer_ids[0], supervisor_id=team.gp_id, start=days_ago(115))
    log(workspace, team.helen, [team.zoe_id], days_ago(14), supervisor_id=team.gp_id)
    data = workspace.supervision.calendar(team.helen)
    cal = Calendar.from_ical(data)
    assert (str(cal["METHOD"]), str(cal["VERSION"])) == ("PUBLISH", "2.0")
    assert "ARRS Desk" in str(cal["PRODID"])
    events = {str(e["SUMMARY"]): e for e in cal.walk("VEVENT") if "Line management" not in str(e["SUMMARY"])}
    assert set(events) == {"Clinical supervision: Zoë Ōkubo with Yusuf Raghunathan",
                           "OVERDUE: Clinical supervision: Siobhán Ní Bhriain with Yusuf Raghunathan"}
    # Helen's team's line-management reviews are due with her, their recorded line manager (issue 15).
    reviews = [str(e["SUMMARY"]) for e in cal.walk("VEVENT") if "Line management" in str(e["SUMMARY"])]
    assert len(reviews) == 5 and all(r.endswith("with Helen Whitfield") for r in reviews)
    on_time = events["Clinical supervision: Zoë Ōkubo with Yusuf Raghunathan"]
    next_due = add_months(days_ago(14), 1)
    assert on_time.decoded("DTSTART") == next_due and on_time.decoded("DTEND") == next_due + timedelta(days=1)
    assert events["OVERDUE: Clinical supervision: Siobhán Ní Bhriain with Yusuf Raghunathan"].decoded("DTSTART") == TODAY
    for event in events.values():
        assert event["UID"] and event["DTSTAMP"]
    assert len({str(e["UID"]) for e in events.values()}) == 2


def test_the_calendar_flags_a_supervisor_who_has_left_rather_than_booking_a_session_with_them(workspace, team,
                                                                                             system_actor):
    """With the GP gone the matrix said "Supervisor left", but the calendar still put "Clinical
    supervision: Zoë Ōkubo with Yusuf Raghunathan" in the diary at next month's due date. As in the
    matrix, it is flagged on today, under the UID of the reminder it replaces, unless another
    arrangement covers the person (the peer's with Helen)."""
    arrange(workspace, team.admin, team.zoe_id, supervisor_id=team.gp_id)
    arrange(workspace, team.admin, team.peer_ids[0], supervisor_id=team.gp_id)
    arrange(workspace, team.admin, team.peer_ids[0], supervisor_id=team.helen_id, start=days_ago(23))
    log(workspace, team.helen, [team.zoe_id, team.peer_ids[0]], days_ago(12), supervisor_id=team.gp_id)

    def clinical():
        cal = Calendar.from_ical(workspace.supervision.calendar(team.admin))
        return {str(e["SUMMARY"]): e for e in cal.walk("VEVENT") if "Clinical" in str(e["SUMMARY"])}

    before = clinical()["Clinical supervision: Zoë Ōkubo with Yusuf Raghunathan"]
    record = workspace.staff.get(system_actor, staff_id=team.gp_id)
    data = record.data
    data.status, data.end_date, data.leaving_reason = "left", days_ago(4), "Relocation"
    workspace.staff.update(system_actor, staff_id=team.gp_id, data=data, expected_version=record.version)
    events = clinical()
    assert set(events) == {"SUPERVISOR LEFT: Clinical supervision: Zoë Ōkubo",
                           "Clinical supervision: Siobhán Ní Bhriain with Helen Whitfield"}
    left = events["SUPERVISOR LEFT: Clinical supervision: Zoë Ōkubo"]
    assert left.decoded("DTSTART") == TODAY and str(left["UID"]) == str(before["UID"])
    assert "Yusuf Raghunathan, has left" in str(left["DESCRIPTION"])


def test_every_event_in_the_calendar_has_its_own_uid(workspace, team):
    """Helen's five link workers started on one day, so their line-management reviews (from the
    line manager on the staff record, which has no arrangement id) fall due together: all five
    went out as "supervision-None-<date>", and a calendar importing them kept only one."""
    cal = Calendar.from_ical(workspace.supervision.calendar(team.helen))
    reviews = [e for e in cal.walk("VEVENT") if "Line management" in str(e["SUMMARY"])]
    assert len(reviews) == 5 and len({e.decoded("DTSTART") for e in reviews}) == 1
    uids = [str(e["UID"]) for e in cal.walk("VEVENT")]
    assert len(set(uids)) == len(uids) and not any("None" in uid for uid in uids)
    again = Calendar.from_ical(workspace.supervision.calendar(team.helen))
    assert [str(e["UID"]) for e in again.walk("VEVENT")] == uids  # stable, so a newer export updates them


def test_calendar_with_timed_events_carries_its_time_zone(workspace, team):
    arrange(workspace, team.helen, team.zoe_id, supervisor_id=team.gp_id)
    cal = Calendar.from_ical(workspace.supervision.calendar(team.helen, staff_ids=[team.zoe_id], at=time(9, 30),
                                                             duration_minutes=45))
    event = next(iter(cal.walk("VEVENT")))
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert (start.hour, start.minute, str(start.tzinfo)) == (9, 30, "Europe/London")
    assert (end - start).total_seconds() == 45 * 60
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/London"]


def test_where_deployed_lists_each_practice_with_its_supervisors(workspace, team):
    arrange(workspace, team.helen, team.zoe_id, supervisor_id=team.gp_id)
    log(workspace, team.helen, [team.zoe_id], days_ago(4), supervisor_id=team.gp_id)
    report = workspace.supervision.deployment(team.admin)
    practices = {p.name: p for p in report.practices}
    alpha, beta = practices["Alpha Surgery"], practices["Beta Health Centre"]
    zoe_at_beta = next(p for p in beta.people if p.staff_id == team.zoe_id)
    assert zoe_at_beta.other_practices == "Alpha Surgery"
    assert [(s.supervisor, s.status_label) for s in zoe_at_beta.clinical] == [("Yusuf Raghunathan", "In date")]
    assert {p.display_name for p in alpha.people} == {"Zoë Ōkubo", "Siobhán Ní Bhriain", "José Álvarez",
                                                      "Ngozi Okafor", "Mateusz Kowalski"}  # ARRS roles only
    assert alpha.without_clinical_supervisor == 4 and beta.without_clinical_supervisor == 1  # Аня's is quarterly


def test_demo_shows_every_status_a_manager_needs_to_act_on(demo_workspace, system_actor):
    matrix = demo_workspace.supervision.matrix(system_actor)
    seen = {c.status for r in matrix.rows if r.arrs for c in r.cells}
    assert {S.IN_DATE, S.DUE_SOON, S.OVERDUE, S.NEVER_HELD, S.NOT_ARRANGED, S.SUPERVISOR_LEFT} <= seen
    with demo_workspace.db.read() as session:
        groups = session.execute(
            select(SupervisionAttendance.session_id).group_by(SupervisionAttendance.session_id)
            .having(func.count() >= 5)).all()
    assert groups


def test_session_form_offers_only_people_the_actor_may_record_for(workspace, team):
    helen = workspace.supervision.form_choices(team.helen, staff_id=team.zoe_id)
    assert [c.value for c in helen.attendees][0] == team.zoe_id
    # Her team, and herself: anyone may log a session they attended on their own record.
    assert {c.value for c in helen.attendees} == {team.zoe_id, *team.peer_ids, team.helen.staff_id}
    assert "Yusuf Raghunathan" in {c.label for c in helen.colleagues}
    assert helen.expected["clinical"] == "Monthly" and helen.expected["coaching"] == ""
    admin = workspace.supervision.form_choices(team.admin, staff_id=team.zoe_id)
    assert [c.value for c in admin.attendees] == [team.zoe_id]  # the person is listed; saving is refused


def test_session_form_offers_people_who_have_left_with_their_dates(workspace, team, system_actor):
    """A session held before someone's last day may be logged after it: the form offers them, with
    their dates for the dialog to offer them only for a day they were in post; on their own page
    they come first, as anyone does."""
    leaver = team.peer_ids[0]
    record = workspace.staff.get(system_actor, staff_id=leaver)
    data = record.data
    data.status, data.end_date, data.leaving_reason = "left", days_ago(1), "Relocation"
    workspace.staff.update(system_actor, staff_id=leaver, data=data, expected_version=record.version)
    helen = workspace.supervision.form_choices(team.helen, staff_id=team.zoe_id)
    assert leaver in {c.value for c in helen.attendees} and leaver not in {c.value for c in helen.colleagues}
    assert helen.attendee_dates[leaver] == (STARTED, days_ago(1))
    assert helen.attendee_dates[team.zoe_id] == (STARTED, None)
    own = workspace.supervision.form_choices(team.helen, staff_id=leaver)
    assert own.attendees[0].value == leaver
