"""Removing a supervision session logged in error: by whoever may record for every attendee, while
nobody has confirmed it or written reflective notes on it; the matrix forgets it, and the audit
trail keeps one entry per attendee saying so."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from arrs_desk.errors import PermissionDenied, StaleEdit, ValidationError
from arrs_desk.store.models import AuditEntry, SupervisionAttendance, SupervisionSession
from tests.date_support import days_ago
from tests.supervision_support import arrange, cell, log, make_team


@pytest.fixture
def team(workspace, system_actor):
    return make_team(workspace, system_actor)


def _remove(workspace, actor, row):
    workspace.supervision.remove_session(actor, session_id=row.id, expected_version=row.version)


def test_a_session_logged_in_error_is_removed_and_no_longer_counts(workspace, team):
    arrange(workspace, team.helen, team.zoe_id, supervisor_id=team.gp_id)
    kept = log(workspace, team.helen, [team.zoe_id], days_ago(40), supervisor_id=team.gp_id)
    wrong = log(workspace, team.helen, [team.zoe_id, team.peer_ids[0]], days_ago(2), supervisor_id=team.gp_id)
    assert cell(workspace, team.admin, team.zoe_id).last_session == days_ago(2)
    _remove(workspace, team.helen, wrong)
    assert cell(workspace, team.admin, team.zoe_id).last_session == days_ago(40)
    with workspace.db.read() as session:
        assert session.get(SupervisionSession, wrong.id) is None
        assert not session.execute(select(SupervisionAttendance).where(
            SupervisionAttendance.session_id == wrong.id)).first()
        assert session.get(SupervisionSession, kept.id) is not None
        entries = session.execute(select(AuditEntry).where(AuditEntry.action == "remove",
                                                           AuditEntry.entity_type == "supervision_session")).scalars()
        subjects = sorted(e.subject_staff_id for e in entries)
    assert subjects == sorted([team.zoe_id, team.peer_ids[0]])


def test_a_confirmed_or_reflected_on_session_is_kept(workspace, team):
    confirmed = log(workspace, team.helen, [team.zoe_id], days_ago(4), supervisor_id=team.gp_id)
    confirmed = workspace.supervision.confirm_session(team.zoe, session_id=confirmed.id)
    with pytest.raises(ValidationError) as caught:
        _remove(workspace, team.helen, confirmed)
    assert "has been confirmed" in caught.value.errors["session"]
    reflected = log(workspace, team.zoe, [team.zoe_id], days_ago(3), supervisor_id=team.gp_id, notes="Hard week")
    with pytest.raises(ValidationError) as caught:
        _remove(workspace, team.helen, reflected)
    assert "reflective notes" in caught.value.errors["session"]
    with workspace.db.read() as session:
        assert session.get(SupervisionSession, confirmed.id) and session.get(SupervisionSession, reflected.id)


def test_only_someone_who_may_record_for_every_attendee_removes_it(workspace, team):
    row = log(workspace, team.helen, [team.zoe_id], days_ago(4), supervisor_id=team.gp_id)
    with pytest.raises(PermissionDenied):
        _remove(workspace, team.bogdan, row)  # another team's line manager
    with pytest.raises(StaleEdit):
        workspace.supervision.remove_session(team.helen, session_id=row.id, expected_version=row.version + 1)
    _remove(workspace, team.helen, row)  # her line manager, who may record (and correct) it
