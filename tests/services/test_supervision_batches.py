"""Supervision set up from a list (`create_arrangements`) and a backlog of sessions typed up from
paper (`record_sessions`): written in batched statements, they leave the same rows and audit
entries as one at a time, refuse what one at a time refuses (an arrangement repeating another
in the same list included), write nothing when any item is refused, and send the same
statements for a list of three as for a list of twelve (bar SQLite's numbering, one either way)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from arrs_desk.errors import PermissionDenied, ValidationError
from arrs_desk.services.supervision import ArrangementInput, SessionInput
from arrs_desk.store.models import AuditEntry, SupervisionArrangement, SupervisionAttendance, SupervisionSession
from tests.date_support import days_ago
from tests.support.statements import statements_sent
from tests.supervision_support import make_team


@pytest.fixture
def team(workspace, system_actor):
    return make_team(workspace, system_actor)


def _arrangements(team, people, type_code="clinical", start_days=300):
    return [ArrangementInput(staff_id=staff_id, type_code=type_code, supervisor_staff_id=team.gp_id,
                             start_date=days_ago(start_days), notes=f"Weekly\tcase review for {i} — Zoë")
            for i, staff_id in enumerate(people)]


def _stored(workspace, model, fields, entity_type):
    with workspace.db.read() as session:
        rows = [tuple(getattr(r, f) for f in fields)
                for r in session.execute(select(model).order_by(model.id)).scalars()]
        entries = [(e.summary, e.changes, e.subject_staff_id, e.actor_name) for e in session.execute(
            select(AuditEntry).where(AuditEntry.entity_type == entity_type).order_by(AuditEntry.id)).scalars()]
    return rows, entries


ARRANGEMENT = ("staff_id", "type_code", "supervisor_staff_id", "supervisor_external_id", "frequency_code",
               "start_date", "end_date", "notes", "created_by_name", "version")


def test_a_list_of_arrangements_is_written_as_one_at_a_time_would_write_it(workspace, team):
    people = [team.zoe_id, *team.peer_ids]
    ids = workspace.supervision.create_arrangements(team.helen, items=_arrangements(team, people))
    together = _stored(workspace, SupervisionArrangement, ARRANGEMENT, "supervision_arrangement")
    assert len(ids) == 5 and together[0] and [e[2] for e in together[1]] == people
    with workspace.db.write() as session:  # the same again, one at a time, for comparison
        for row in session.execute(select(SupervisionArrangement)).scalars():
            session.delete(row)
    for data in _arrangements(team, people):
        workspace.supervision.create_arrangement(team.helen, data=data)
    one_by_one = _stored(workspace, SupervisionArrangement, ARRANGEMENT, "supervision_arrangement")
    assert together[0] == one_by_one[0]
    assert together[1] == one_by_one[1][5:]  # the same entries, written after the first five


def test_a_list_refuses_what_one_at_a_time_refuses_and_then_writes_nothing(workspace, team):
    first = _arrangements(team, [team.zoe_id])
    workspace.supervision.create_arrangements(team.helen, items=first)
    before = _stored(workspace, SupervisionArrangement, ARRANGEMENT, "supervision_arrangement")
    repeats_stored = _arrangements(team, [team.peer_ids[0], team.zoe_id], start_days=200)
    repeats_itself = _arrangements(team, [team.peer_ids[1], team.peer_ids[1]], start_days=200)
    not_mine = _arrangements(team, [team.peer_ids[2], team.anya_id])  # Anya is in Bogdan's team
    for items, error, words in ((repeats_stored, ValidationError, "already has an arrangement"),
                                (repeats_itself, ValidationError, "already has an arrangement"),
                                (not_mine, PermissionDenied, None)):
        with pytest.raises(error, match=words):
            workspace.supervision.create_arrangements(team.helen, items=items)
        assert _stored(workspace, SupervisionArrangement, ARRANGEMENT, "supervision_arrangement") == before
    ended = ArrangementInput(staff_id=team.peer_ids[3], type_code="clinical", supervisor_staff_id=team.gp_id,
                             start_date=days_ago(400), end_date=days_ago(301))
    later = ArrangementInput(staff_id=team.peer_ids[3], type_code="clinical", supervisor_staff_id=team.gp_id,
                             start_date=days_ago(300))
    assert len(workspace.supervision.create_arrangements(team.helen, items=[ended, later])) == 2  # one after the other


def test_a_longer_list_sends_no_more_statements(workspace, team):
    def statements(items):
        with statements_sent(workspace.db.engine) as seen:
            workspace.supervision.create_arrangements(team.admin, items=items)
        return seen

    three = statements(_arrangements(team, [team.zoe_id, team.peer_ids[0], team.anya_id]))
    twelve = statements([*_arrangements(team, [team.zoe_id, *team.peer_ids, team.anya_id], type_code="line-management"),
                         *_arrangements(team, [team.zoe_id, *team.peer_ids], type_code="professional")])
    assert len(three) == len(twelve), (three, twelve)


def test_a_backlog_of_sessions_is_a_few_statements_whatever_its_length(workspace, team):
    workspace.supervision.create_arrangements(team.helen, items=_arrangements(team, [team.zoe_id, *team.peer_ids]))

    def backlog(days):
        return [SessionInput(type_code="clinical", held_on=days_ago(d), attendee_ids=[staff_id],
                             supervisor_staff_id=team.gp_id, topics="Case review — Zoë", actions_agreed="Read\tNICE NG5")
                for d in days for staff_id in (team.zoe_id, team.peer_ids[0])]

    with statements_sent(workspace.db.engine) as two:
        workspace.supervision.record_sessions(team.helen, items=backlog([10]))
    with statements_sent(workspace.db.engine) as twenty:
        ids = workspace.supervision.record_sessions(team.helen, items=backlog(range(20, 30)))
    assert len(two) == len(twenty)
    with workspace.db.read() as session:
        rows = {r.id: r for r in session.execute(select(SupervisionSession).where(SupervisionSession.id.in_(ids))).scalars()}
        attended = {a.session_id: a.staff_id for a in session.execute(
            select(SupervisionAttendance).where(SupervisionAttendance.session_id.in_(ids))).scalars()}
        entries = session.execute(select(AuditEntry).where(AuditEntry.entity_type == "supervision_session",
                                                           AuditEntry.entity_id.in_([str(i) for i in ids]))).scalars().all()
    # Each id names the session given in that place, attended by that person, with its own entry.
    assert [(rows[i].held_on, attended[i]) for i in ids] == [(s.held_on, s.attendee_ids[0]) for s in backlog(range(20, 30))]
    assert sorted(int(e.entity_id) for e in entries) == sorted(ids)
    assert all(rows[i].topics == "Case review — Zoë" and rows[i].logged_by_name == "Helen Whitfield" for i in ids)


def test_empty_lists_write_nothing(workspace, team):
    before = _stored(workspace, SupervisionSession, ("id",), "supervision_session")
    assert workspace.supervision.record_sessions(team.helen, items=[]) == []
    assert workspace.supervision.create_arrangements(team.helen, items=[]) == []
    assert workspace.supervision.record_external_confirmations(team.helen, items=[]) == 0
    assert _stored(workspace, SupervisionSession, ("id",), "supervision_session") == before
