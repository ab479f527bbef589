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
    # The finding first (an opening "The audit trail is intact" read as all clear); the trail itself holds.
    first, second = check.message.splitlines()[:2]
    assert first == "1 signed record was changed after signing (listed below)."
    assert second.startswith("The audit trail is intact")


def test_a_change_the_app_makes_later_is_not_a_change_behind_its_back(workspace, team):
    agreement = _signed_item(workspace, team)
    from arrs_desk.services import audit

    with workspace.db.write() as session:  # any later entry for the record: the trail says what happened
        session.execute(text("UPDATE induction_item SET signoff_comment = 'Corrected' WHERE id = :i"),
                        {"i": agreement.id})
        audit.record(session, SYSTEM, "update", "induction_item", agreement.id, "Corrected the comment")
    assert workspace.audit_verify.verify(SYSTEM).ok


# --------------------------------------------------------------------------- reviews and sessions
def _changed(workspace) -> tuple[str, ...]:
    check = workspace.audit_verify.verify(SYSTEM)
    lines = check.message.splitlines()  # any finding first, then the trail's own verdict
    assert lines[1 if check.changed_signoffs else 0].startswith("The audit trail is intact")
    return check.changed_signoffs


def test_a_signed_review_changed_behind_the_apps_back_is_named(workspace, system_actor):
    from arrs_desk.store.models import ReviewObjective
    from tests.review_support import make_review_team, objective, review_input

    team = make_review_team(workspace, system_actor)
    detail = workspace.reviews.create_review(team.helen, data=review_input(
        team, outcome="agreed", objectives=[objective("Run the falls clinic")]))
    signed = workspace.reviews.sign(team.zoe, review_id=detail.id, party="appraisee",
                                    expected_version=detail.version)
    workspace.reviews.sign(team.gp, review_id=detail.id, party="appraiser", expected_version=signed.version)
    assert _changed(workspace) == ()
    with workspace.db.engine.begin() as conn:
        conn.execute(text("UPDATE review_objective SET description = 'Nothing much' WHERE review_id = :r"),
                     {"r": detail.id})
    (message,) = _changed(workspace)
    assert message.startswith("The review 'annual appraisal of ") and f"(id {detail.id}) was changed after it was signed" in message
    with workspace.db.engine.begin() as conn:  # put back as signed: the record matches its signature again
        conn.execute(text("UPDATE review_objective SET description = 'Run the falls clinic' WHERE review_id = :r"),
                     {"r": detail.id})
    assert _changed(workspace) == ()
    with workspace.db.read() as session:
        assert session.execute(select(ReviewObjective)).scalars().first().description == "Run the falls clinic"


def test_the_person_rewriting_their_self_assessment_after_signing_is_not_a_change_behind_the_apps_back(
        workspace, system_actor):
    from tests.review_support import make_review_team, review_input

    team = make_review_team(workspace, system_actor)
    detail = workspace.reviews.create_review(team.helen, data=review_input(team, outcome="agreed"))
    signed = workspace.reviews.sign(team.zoe, review_id=detail.id, party="appraisee",
                                    expected_version=detail.version)
    workspace.reviews.write_self_assessment(team.zoe, review_id=detail.id, self_assessment="On reflection, more",
                                            reflections="", expected_version=signed.version)
    assert _changed(workspace) == ()  # the app cleared the signature and said so in its own entry


def test_a_confirmed_supervision_session_changed_behind_the_apps_back_is_named(workspace, system_actor):
    from tests.date_support import days_ago
    from tests.supervision_support import arrange, log, make_team

    team = make_team(workspace, system_actor)
    arrange(workspace, team.helen, team.zoe_id, supervisor_id=team.gp_id)
    row = log(workspace, team.helen, [team.zoe_id], days_ago(4), supervisor_id=team.gp_id)
    mine = workspace.supervision.confirm_session(team.zoe, session_id=row.id)
    assert _changed(workspace) == ()
    workspace.supervision.confirm_session(team.gp, session_id=row.id)
    workspace.supervision.write_reflection(team.zoe, session_id=row.id, staff_id=team.zoe_id,
                                           text="Private thoughts, changed as often as I like",
                                           expected_version=mine.attendance_version)
    assert _changed(workspace) == ()  # reflections are the person's own, not what the supervisor confirmed
    with workspace.db.engine.begin() as conn:
        conn.execute(text("UPDATE supervision_session SET duration_minutes = 90 WHERE id = :i"), {"i": row.id})
    (message,) = _changed(workspace)
    assert message.startswith("The supervision session '") and "was changed after it was signed" in message
