"""Signatures given on paper or by e-mail by someone without an account, recorded on their behalf:
an external supervisor's confirmation of a session, and an induction item's sign-off. Who may
record them, what is checked, the audit entry, and that they then count everywhere."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from arrs_desk.domain.induction import ItemStatus
from arrs_desk.errors import PermissionDenied, ValidationError
from arrs_desk.services.external_people import ExternalSignatureInput
from arrs_desk.services.supervision import SessionInput
from arrs_desk.store.models import AuditEntry, ExternalPerson, InductionItem, SupervisionSession
from tests import induction_support, supervision_support
from tests.conftest import TODAY

HELD = TODAY - timedelta(days=20)


def uk(day) -> str:
    return day.strftime("%d/%m/%Y")


def count(workspace, model, *where) -> int:
    with workspace.db.read() as session:
        return session.execute(select(func.count()).select_from(model).where(*where)).scalar()


def audit_count(workspace) -> int:
    return count(workspace, AuditEntry)


def signature(**overrides) -> ExternalSignatureInput:
    values = dict(name="Dr Marcus Adebayo", role="Consultant clinical psychologist",
                  organisation="Northvale Mental Health NHS Trust", register_code="GMC-DOCTOR",
                  registration_number="7 123 456", signed_on=HELD + timedelta(days=2), received_via="paper")
    values.update(overrides)
    return ExternalSignatureInput(**values)


# =========================================================================== supervision


@pytest.fixture
def team(workspace, system_actor):
    return supervision_support.make_team(workspace, system_actor)


@pytest.fixture
def adebayo(workspace, team) -> int:
    return workspace.external_people.create(
        team.admin, name="Dr Marcus Adebayo", organisation="Northvale Mental Health NHS Trust",
        job_title="Consultant clinical psychologist", email="marcus.adebayo@northvale.nhs.example").id


def external_session(workspace, actor, attendees: list[int], external_id: int, held_on=HELD):
    return workspace.supervision.record_session(actor, data=SessionInput(
        type_code="clinical", held_on=held_on, attendee_ids=attendees, supervisor_external_id=external_id,
        duration_minutes=60, format="group" if len(attendees) > 1 else "one-to-one", topics="Case review",
    ))


def person_session(workspace, actor, staff_id: int, session_id: int):
    return next(s for s in workspace.supervision.person(actor, staff_id=staff_id).sessions if s.id == session_id)


def test_line_manager_records_the_external_supervisors_confirmation_and_it_counts_as_confirmed(
        workspace, team, adebayo):
    row = external_session(workspace, team.helen, [team.zoe_id], adebayo)
    assert row.supervisor_confirmed_at is None and row.can_record_confirmation
    assert not row.can_confirm  # the external supervisor has no account to confirm with

    saved = workspace.supervision.record_external_confirmation(
        team.helen, session_id=row.id, expected_version=row.version, signature=signature())

    signed_on = HELD + timedelta(days=2)
    for viewer in (team.helen, team.zoe, team.admin):
        shown = person_session(workspace, viewer, team.zoe_id, row.id)
        assert shown.supervisor_confirmed_by == "Dr Marcus Adebayo"
        assert shown.supervisor_confirmed_at is not None and shown.supervisor_confirmed_on == signed_on
        assert not shown.can_record_confirmation
        behalf = shown.supervisor_on_behalf
        assert behalf.summary("Confirmed") == (
            f"Confirmed by Dr Marcus Adebayo (recorded by Helen Whitfield from paper, {uk(signed_on)})")
        assert behalf.credentials == ("Consultant clinical psychologist, Northvale Mental Health NHS Trust · "
                                      "GMC 7123456")
    assert saved.supervisor_on_behalf == shown.supervisor_on_behalf
    with workspace.db.read() as session:
        stored = session.get(SupervisionSession, row.id)
        assert (stored.signed_by_external_id, stored.signed_by_user_id, stored.recorded_by_user_id) == (
            adebayo, None, team.helen.user_id)
        assert (stored.signed_on, stored.received_via, stored.signed_by_registration) == (
            signed_on, "paper", "GMC 7123456")
        # The supervisor's record gains the registration the signature gave, for next time.
        person = session.get(ExternalPerson, adebayo)
        assert (person.register_code, person.registration_number) == ("GMC-DOCTOR", "7123456")


def test_the_audit_entry_says_it_was_recorded_on_the_signers_behalf_and_how_it_came(workspace, team, adebayo):
    row = external_session(workspace, team.helen, [team.zoe_id], adebayo)
    workspace.supervision.record_external_confirmation(
        team.helen, session_id=row.id, expected_version=row.version,
        signature=signature(received_via="email", register_code="", registration_number=""))
    with workspace.db.read() as session:
        entry = session.execute(select(AuditEntry).where(AuditEntry.action == "confirm")).scalar_one()
    assert entry.actor_name == "Helen Whitfield" and entry.subject_staff_id == team.zoe_id
    assert entry.entity_type == "supervision_session" and entry.entity_id == str(row.id)
    assert "on their behalf" in entry.summary and "Dr Marcus Adebayo" in entry.summary
    assert "received by e-mail" in entry.summary and uk(HELD + timedelta(days=2)) in entry.summary
    assert entry.changes["received_via"] == [None, "email"]
    assert entry.changes["on_behalf_of_signer"] == [None, True]
    assert entry.changes["signed_by_external_id"] == [None, adebayo]


def test_a_supervisee_cannot_record_a_confirmation_of_their_own_session(workspace, team, adebayo):
    row = external_session(workspace, team.helen, [team.zoe_id], adebayo)
    assert not person_session(workspace, team.zoe, team.zoe_id, row.id).can_record_confirmation
    before = audit_count(workspace)
    with pytest.raises(PermissionDenied, match="your own"):
        workspace.supervision.record_external_confirmation(
            team.zoe, session_id=row.id, expected_version=row.version, signature=signature())
    # Not even with every role: it is their own session.
    everything = supervision_support.account(workspace, "zoe-admin", "Zoë Ōkubo",
                                             {"administrator", "line_manager"}, team.zoe_id)
    with pytest.raises(PermissionDenied, match="your own"):
        workspace.supervision.record_external_confirmation(
            everything, session_id=row.id, expected_version=row.version, signature=signature())
    assert person_session(workspace, team.helen, team.zoe_id, row.id).supervisor_confirmed_at is None
    assert audit_count(workspace) == before


def test_an_unrelated_line_manager_cannot_and_an_administrator_can(workspace, team, adebayo):
    row = external_session(workspace, team.helen, [team.zoe_id], adebayo)
    with pytest.raises(PermissionDenied, match="line manager or an administrator"):
        workspace.supervision.record_external_confirmation(
            team.bogdan, session_id=row.id, expected_version=row.version, signature=signature())
    with pytest.raises(PermissionDenied):
        workspace.supervision.record_external_confirmation(  # the GP supervises Zoë but does not manage her
            team.gp, session_id=row.id, expected_version=row.version, signature=signature())
    saved = workspace.supervision.record_external_confirmation(
        team.admin, session_id=row.id, expected_version=row.version, signature=signature())
    assert saved.supervisor_on_behalf.recorded_by == "PCN Administrator"


def test_a_group_session_needs_someone_who_may_record_for_every_attendee(workspace, team, adebayo):
    for staff_id in (team.zoe_id, team.anya_id):  # the GP supervises both, so may log their group session
        supervision_support.arrange(workspace, team.admin, staff_id, supervisor_id=team.gp_id,
                                    start=TODAY - timedelta(days=400))
    row = external_session(workspace, team.gp, [team.zoe_id, team.anya_id], adebayo)
    assert not person_session(workspace, team.helen, team.zoe_id, row.id).can_record_confirmation
    with pytest.raises(PermissionDenied):
        workspace.supervision.record_external_confirmation(
            team.helen, session_id=row.id, expected_version=row.version, signature=signature())
    assert person_session(workspace, team.admin, team.anya_id, row.id).can_record_confirmation
    workspace.supervision.record_external_confirmation(
        team.admin, session_id=row.id, expected_version=row.version, signature=signature())
    with workspace.db.read() as session:
        subjects = set(session.execute(select(AuditEntry.subject_staff_id)
                                       .where(AuditEntry.action == "confirm")).scalars())
    assert subjects == {team.zoe_id, team.anya_id}


@pytest.mark.parametrize(("overrides", "field", "words"), [
    ({"name": "  "}, "name", "name"),
    ({"organisation": ""}, "organisation", "organisation"),
    ({"signed_on": None}, "signed_on", "date written"),
    ({"signed_on": TODAY + timedelta(days=1)}, "signed_on", "in the future"),
    ({"signed_on": HELD - timedelta(days=1)}, "signed_on", "before the session was held"),
    ({"registration_number": "12345"}, "registration_number", "7 digits"),
    ({"register_code": "", "registration_number": "7123456"}, "register_code", "register"),
    ({"register_code": "NOT-A-REGISTER"}, "register_code", "register"),
    ({"received_via": "fax"}, "received_via", "paper or by e-mail"),
    ({"name": "x" * 201}, "name", "too long"),
])
def test_each_problem_is_named_by_its_field_and_nothing_is_saved(workspace, team, adebayo, overrides, field, words):
    row = external_session(workspace, team.helen, [team.zoe_id], adebayo)
    before = audit_count(workspace)
    with pytest.raises(ValidationError) as caught:
        workspace.supervision.record_external_confirmation(
            team.helen, session_id=row.id, expected_version=row.version, signature=signature(**overrides))
    assert field in caught.value.errors and words in caught.value.errors[field]
    assert person_session(workspace, team.helen, team.zoe_id, row.id).supervisor_confirmed_at is None
    assert audit_count(workspace) == before


def test_the_session_date_itself_is_allowed_and_so_is_today(workspace, team, adebayo):
    first = external_session(workspace, team.helen, [team.zoe_id], adebayo)
    second = external_session(workspace, team.helen, [team.zoe_id], adebayo, held_on=TODAY)
    workspace.supervision.record_external_confirmation(
        team.helen, session_id=first.id, expected_version=first.version, signature=signature(signed_on=HELD))
    workspace.supervision.record_external_confirmation(
        team.helen, session_id=second.id, expected_version=second.version, signature=signature(signed_on=TODAY))


def test_only_an_unconfirmed_session_led_by_an_external_supervisor(workspace, team, adebayo):
    colleague = supervision_support.log(workspace, team.helen, [team.zoe_id], HELD, supervisor_id=team.gp_id)
    assert not colleague.can_record_confirmation
    with pytest.raises(ValidationError) as caught:
        workspace.supervision.record_external_confirmation(
            team.helen, session_id=colleague.id, expected_version=colleague.version, signature=signature())
    assert "confirm the session themselves" in caught.value.errors["session"]
    row = external_session(workspace, team.helen, [team.zoe_id], adebayo)
    saved = workspace.supervision.record_external_confirmation(
        team.helen, session_id=row.id, expected_version=row.version, signature=signature())
    with pytest.raises(ValidationError) as caught:
        workspace.supervision.record_external_confirmation(
            team.helen, session_id=row.id, expected_version=saved.version, signature=signature())
    assert "already confirmed by Dr Marcus Adebayo" in caught.value.errors["session"]


def test_correcting_the_session_afterwards_clears_the_recorded_confirmation(workspace, team, adebayo):
    row = external_session(workspace, team.helen, [team.zoe_id], adebayo)
    saved = workspace.supervision.record_external_confirmation(
        team.helen, session_id=row.id, expected_version=row.version, signature=signature())
    corrected = workspace.supervision.update_session(team.helen, session_id=row.id, expected_version=saved.version,
                                                     data=SessionInput(
        type_code="clinical", held_on=HELD - timedelta(days=1), attendee_ids=[team.zoe_id],
        supervisor_external_id=adebayo, duration_minutes=60, format="one-to-one", topics="Case review"))
    assert corrected.supervisor_confirmed_at is None and corrected.supervisor_on_behalf is None
    assert corrected.can_record_confirmation
    with workspace.db.read() as session:
        stored = session.get(SupervisionSession, row.id)
        assert (stored.signed_by_external_id, stored.received_via, stored.signed_by_registration) == (None, "", "")


def test_a_pile_of_confirmations_is_recorded_together_as_each_would_be_alone(workspace, team, adebayo):
    """`record_external_confirmations`: the same values, entries and signed content as one at a
    time; the permission, the sessions and their attendees read once whatever the number; and
    one refused confirmation leaves all of them unrecorded."""
    from arrs_desk.services.supervision import ExternalConfirmation
    from arrs_desk.store import signed_content
    from tests.support.statements import statements_sent

    alone = external_session(workspace, team.helen, [team.zoe_id], adebayo)
    workspace.supervision.record_external_confirmation(
        team.helen, session_id=alone.id, expected_version=alone.version, signature=signature())
    group = [team.zoe_id, *team.peer_ids[:2]]
    rows = [external_session(workspace, team.helen, attendees, adebayo, held_on=HELD - timedelta(days=days))
            for days, attendees in ((1, [team.zoe_id]), (2, group), (3, [team.peer_ids[0]]))]
    confirm = [ExternalConfirmation(row.id, row.version, signature(received_via="email")) for row in rows]
    # One refused (a session led by a colleague) among them: nothing is recorded.
    colleague = supervision_support.log(workspace, team.helen, [team.zoe_id], HELD, supervisor_id=team.gp_id)
    before = audit_count(workspace)
    with pytest.raises(ValidationError, match="confirm the session themselves"):
        workspace.supervision.record_external_confirmations(
            team.helen, items=[*confirm, ExternalConfirmation(colleague.id, colleague.version, signature())])
    assert audit_count(workspace) == before
    assert count(workspace, SupervisionSession, SupervisionSession.signed_at.is_not(None)) == 1

    with statements_sent(workspace.db.engine) as three:
        assert workspace.supervision.record_external_confirmations(team.helen, items=confirm) == 3
    with workspace.db.read() as session:
        entries = session.execute(select(AuditEntry).where(AuditEntry.action == "confirm")
                                  .order_by(AuditEntry.id)).scalars().all()
        assert [e.subject_staff_id for e in entries[1:]] == [team.zoe_id, *group, team.peer_ids[0]]
        for row, entry in zip([alone, *rows, rows[1], rows[1]], [entries[0], entries[1], entries[2], entries[5],
                                                                 entries[3], entries[4]]):
            assert entry.entity_id == str(row.id)
            assert entry.changes[signed_content.HASH_KEY] == signed_content.current_hash(
                session, "supervision_session", entry.entity_id)
            assert "received by e-mail" in entry.summary or entry is entries[0]
        assert signed_content.changed_after_signing(session) == []
    with pytest.raises(ValidationError, match="already confirmed"):
        workspace.supervision.record_external_confirmations(team.helen, items=confirm[:1])
    more = [external_session(workspace, team.helen, [team.peer_ids[1]], adebayo, held_on=HELD - timedelta(days=d))
            for d in range(4, 10)]
    with statements_sent(workspace.db.engine) as six:
        workspace.supervision.record_external_confirmations(
            team.helen, items=[ExternalConfirmation(r.id, r.version, signature()) for r in more])
    updates = [s for s in six if s.startswith("UPDATE supervision_session")]
    assert len(six) - len(updates) == len(three) - 3, "only each session's own UPDATE grows with the pile"


# =========================================================================== induction


@pytest.fixture
def starters(workspace, system_actor):
    team = induction_support.make_team(workspace, system_actor, start=TODAY - timedelta(days=30))
    other_manager = workspace.staff.create(system_actor, data=induction_support.person(
        team.practice_id, given="Bogdan", family="Popescu", role="PM", status="active",
        start=TODAY - timedelta(days=900))).id
    team.other_manager = induction_support.account(workspace, "bogdan", "Bogdan Popescu", {"line_manager"},
                                                   other_manager)
    return team


def waiting_item(workspace, team, done_days_ago: int = 3):
    """An item needing sign-off, ticked by the starter, done a few days ago."""
    view = workspace.induction.checklist(team.starter, staff_id=team.starter_id)
    entry = next(i for i in view.items if i.can_tick and i.needs_signoff)
    workspace.induction.tick(team.starter, item_id=entry.id, expected_version=entry.version,
                             completed_on=TODAY - timedelta(days=done_days_ago))
    return induction_support.item(workspace.induction.checklist(team.manager, staff_id=team.starter_id), entry.key)


def induction_signature(**overrides) -> ExternalSignatureInput:
    values = dict(name="Ruth Castellano", role="Lead pharmacist, primary care", organisation="Moorland GP Federation",
                  register_code="GPHC-PHARMACIST", registration_number="2071234", signed_on=TODAY - timedelta(days=1),
                  received_via="email")
    values.update(overrides)
    return ExternalSignatureInput(**values)


def test_a_paper_sign_off_completes_the_item_everywhere(workspace, starters):
    team = starters
    entry = waiting_item(workspace, team)
    assert entry.can_record_signature and entry.status is ItemStatus.AWAITING_SIGNOFF
    before = workspace.induction.checklist(team.manager, staff_id=team.starter_id)
    overview_before = next(r for r in workspace.induction.overview(team.manager) if r.staff_id == team.starter_id)
    assert any(r.item_id == entry.id for r in workspace.induction.awaiting_signoff(team.admin))

    workspace.induction.record_external_sign_off(team.manager, item_id=entry.id, expected_version=entry.version,
                                                 signature=induction_signature(received_via="paper"))

    after = workspace.induction.checklist(team.starter, staff_id=team.starter_id)
    signed = induction_support.item(after, entry.key)
    assert signed.status is ItemStatus.COMPLETE and signed.signed_by == "Ruth Castellano"
    assert not signed.can_record_signature and not signed.can_untick
    assert signed.signed_on == TODAY - timedelta(days=1) and signed.completed_on == TODAY - timedelta(days=3)
    assert signed.signed_on_behalf.summary("Signed off") == (
        f"Signed off by Ruth Castellano (recorded by Helen Whitfield from paper, {uk(TODAY - timedelta(days=1))})")
    assert signed.signed_on_behalf.credentials == "Lead pharmacist, primary care, Moorland GP Federation · GPhC 2071234"
    assert after.progress.done == before.progress.done + 1 and after.awaiting == before.awaiting - 1
    overview = next(r for r in workspace.induction.overview(team.manager) if r.staff_id == team.starter_id)
    assert (overview.done, overview.awaiting) == (overview_before.done + 1, overview_before.awaiting - 1)
    assert not any(r.item_id == entry.id for r in workspace.induction.awaiting_signoff(team.admin))
    csv_row = next(r for r in workspace.induction.checklist_rows(team.manager, staff_id=team.starter_id) if r[3] == entry.title)
    assert csv_row[9] == "Ruth Castellano (recorded by Helen Whitfield from paper)"
    assert csv_row[10] == uk(TODAY - timedelta(days=1))


def test_the_signer_is_found_again_or_added_once(workspace, starters):
    team = starters
    first = waiting_item(workspace, team)
    people_before = count(workspace, ExternalPerson)
    workspace.induction.record_external_sign_off(team.manager, item_id=first.id, expected_version=first.version,
                                                 signature=induction_signature())
    assert count(workspace, ExternalPerson) == people_before + 1
    with workspace.db.read() as session:
        ruth = session.execute(select(ExternalPerson).where(ExternalPerson.name == "Ruth Castellano")).scalar_one()
        stored = session.get(InductionItem, first.id)
        created = session.execute(select(AuditEntry).where(AuditEntry.entity_type == "external_person")).scalar_one()
    assert stored.signed_by_external_id == ruth.id and stored.recorded_by_user_id == team.manager.user_id
    assert (ruth.job_title, ruth.register_code, ruth.registration_number) == (
        "Lead pharmacist, primary care", "GPHC-PHARMACIST", "2071234")
    assert created.action == "create" and created.actor_name == "Helen Whitfield"

    second = waiting_item(workspace, team)
    workspace.induction.record_external_sign_off(
        team.admin, item_id=second.id, expected_version=second.version,
        signature=induction_signature(name="ruth  CASTELLANO", organisation="moorland gp federation"))
    assert count(workspace, ExternalPerson) == people_before + 1
    with workspace.db.read() as session:
        assert session.get(InductionItem, second.id).signed_by_external_id == ruth.id


def test_who_may_record_an_induction_signature(workspace, starters):
    team = starters
    entry = waiting_item(workspace, team)
    assert not induction_support.item(workspace.induction.checklist(team.starter, staff_id=team.starter_id),
                                      entry.key).can_record_signature
    before = audit_count(workspace)
    for actor, words in ((team.starter, "your own"), (team.other_manager, "line manager or an administrator"),
                         (team.bystander, "line manager or an administrator")):
        with pytest.raises(PermissionDenied, match=words):
            workspace.induction.record_external_sign_off(actor, item_id=entry.id, expected_version=entry.version,
                                                         signature=induction_signature())
    assert audit_count(workspace) == before
    assert induction_support.item(workspace.induction.checklist(team.admin, staff_id=team.starter_id), entry.key).can_record_signature
    workspace.induction.record_external_sign_off(team.admin, item_id=entry.id, expected_version=entry.version,
                                                 signature=induction_signature())
    with workspace.db.read() as session:
        entry_row = session.execute(select(AuditEntry).where(AuditEntry.action == "sign_off")).scalar_one()
    assert entry_row.actor_name == "Practice Administrator" and entry_row.subject_staff_id == team.starter_id
    assert "on their behalf" in entry_row.summary and "received by e-mail" in entry_row.summary
    assert entry_row.changes["state"] == ["awaiting", "complete"]
    assert entry_row.changes["received_via"] == [None, "email"]


@pytest.mark.parametrize(("overrides", "field", "words"), [
    ({"signed_on": TODAY - timedelta(days=4)}, "signed_on", "before the item was done"),
    ({"signed_on": TODAY + timedelta(days=1)}, "signed_on", "in the future"),
    ({"name": ""}, "name", "name"),
    ({"registration_number": "1071234"}, "registration_number", "starting with 2"),
    ({"received_via": ""}, "received_via", "paper or by e-mail"),
])
def test_induction_signature_problems_are_named_and_write_nothing(workspace, starters, overrides, field, words):
    team = starters
    entry = waiting_item(workspace, team)
    before, people = audit_count(workspace), count(workspace, ExternalPerson)
    with pytest.raises(ValidationError) as caught:
        workspace.induction.record_external_sign_off(team.manager, item_id=entry.id, expected_version=entry.version,
                                                     signature=induction_signature(**overrides))
    assert words in caught.value.errors[field]
    assert (audit_count(workspace), count(workspace, ExternalPerson)) == (before, people)
    assert induction_support.item(workspace.induction.checklist(team.manager, staff_id=team.starter_id),
                                  entry.key).status is ItemStatus.AWAITING_SIGNOFF


def test_only_an_item_waiting_for_sign_off(workspace, starters):
    team = starters
    view = workspace.induction.checklist(team.manager, staff_id=team.starter_id)
    untouched = next(i for i in view.items if i.needs_signoff and i.status is not ItemStatus.COMPLETE)
    assert not untouched.can_record_signature
    with pytest.raises(ValidationError) as caught:
        workspace.induction.record_external_sign_off(team.manager, item_id=untouched.id,
                                                     expected_version=untouched.version,
                                                     signature=induction_signature())
    assert "waiting for sign-off" in caught.value.errors["item"]


def test_a_reprinted_signature_sheet_shows_the_recorded_signature(workspace, starters, tmp_path):
    team = starters
    entry = waiting_item(workspace, team)
    blank = workspace.signature_sheets.induction_sheet(team.manager, staff_id=team.starter_id, target=tmp_path / "before.pdf")
    assert "Ruth Castellano" not in " ".join(p.extract_text() for p in PdfReader(blank).pages)
    workspace.induction.record_external_sign_off(team.manager, item_id=entry.id, expected_version=entry.version,
                                                 signature=induction_signature(received_via="paper"))
    path = workspace.signature_sheets.induction_sheet(team.manager, staff_id=team.starter_id, target=tmp_path / "after.pdf")
    flat = " ".join(" ".join(p.extract_text() for p in PdfReader(path).pages).split())
    assert "Ruth Castellano" in flat and "GPhC 2071234" in flat and uk(TODAY - timedelta(days=1)) in flat
    assert "Recorded by Helen Whitfield from paper" in flat
    assert " ".join(entry.title.split()[:3]) in flat


def test_only_those_who_may_record_get_the_signature_form_choices(workspace, starters):
    team = starters
    with pytest.raises(PermissionDenied):
        workspace.external_people.signature_choices(team.starter)
    choices = workspace.external_people.signature_choices(team.manager)
    assert {c.value for c in choices.received_via} == {"paper", "email"}
    assert any(c.value == "GMC-DOCTOR" and "7 digits" in c.hint for c in choices.registers)


def test_the_assurance_check_the_item_covers_is_met_once_recorded(workspace, starters):
    team = starters
    view = workspace.induction.checklist(team.starter, staff_id=team.starter_id)
    entry = induction_support.item(view, "job-plan-agreed")
    workspace.induction.tick(team.starter, item_id=entry.id, expected_version=entry.version, completed_on=TODAY - timedelta(days=2))

    def job_plan():
        row = next(r for r in workspace.assurance.matrix(team.admin).rows if r.staff_id == team.starter_id)
        return next(r for r in row.results if r.code == "job-plan")

    assert job_plan().status.value == "not-met"
    waiting = induction_support.item(workspace.induction.checklist(team.manager, staff_id=team.starter_id), entry.key)
    workspace.induction.record_external_sign_off(team.manager, item_id=waiting.id, expected_version=waiting.version,
                                                 signature=induction_signature())
    assert job_plan().status.value == "met"
