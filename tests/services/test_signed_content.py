"""A sign-off stores the hash of what was signed (in its audit entry, inside the hash chain), so
a record changed behind the app's back afterwards shows as "changed after it was signed"."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from arrs_desk.services.actor import SYSTEM
from arrs_desk.store.models import AuditEntry
from tests.induction_support import item, make_team


@pytest.fixture
def team(workspace, system_actor):
    return make_team(workspace, system_actor)


def _signed_item(workspace, team):
    ind = workspace.induction
    agreement = item(ind.checklist(team.starter, staff_id=team.starter_id), "supervision-agreement-signed")
    ind.tick(team.starter, item_id=agreement.id, expected_version=agreement.version)
    agreement = item(ind.checklist(team.manager, staff_id=team.starter_id), "supervision-agreement-signed")
    ind.sign_off(team.manager, item_id=agreement.id, expected_version=agreement.version,
                 comment="Seen the signed agreement")
    return agreement


def test_a_signed_item_changed_behind_the_apps_back_is_named(workspace, team):
    agreement = _signed_item(workspace, team)
    with workspace.db.read() as session:
        entry = session.execute(select(AuditEntry).where(AuditEntry.action == "sign_off",
                                                         AuditEntry.entity_id == str(agreement.id))).scalar_one()
    assert len(entry.changes["signed_hash"]) == 64
    assert workspace.audit_verify.verify(SYSTEM).ok
    with workspace.db.engine.begin() as conn:  # the item's own table has no trigger: plain SQL
        conn.execute(text("UPDATE induction_item SET signoff_comment = 'Not seen' WHERE id = :i"), {"i": agreement.id})
    check = workspace.audit_verify.verify(SYSTEM)
    assert not check.ok
    assert check.changed_signoffs == (
        f"The induction item '{agreement.title}' (id {agreement.id}) was changed after it was signed "
        f"(sign-off recorded in audit entry {entry.id}).",)
    assert check.message.startswith("The audit trail is intact")  # the trail itself holds; the record does not


def test_a_change_the_app_makes_later_is_not_a_change_behind_its_back(workspace, team):
    agreement = _signed_item(workspace, team)
    from arrs_desk.services import audit

    with workspace.db.write() as session:  # any later entry for the record: the trail says what happened
        session.execute(text("UPDATE induction_item SET signoff_comment = 'Corrected' WHERE id = :i"),
                        {"i": agreement.id})
        audit.record(session, SYSTEM, "update", "induction_item", agreement.id, "Corrected the comment")
    assert workspace.audit_verify.verify(SYSTEM).ok
