"""Records retention (issue 20 item 2): what falls due, legal hold, reducing a leaver's record to
its summary or anonymising it, the destruction log, and backups that still hold erased data.

Done when: after erasing a leaver, no table, evidence file or WAL holds their name (the raw bytes
of the SQLite file are searched after the erasure's checkpoint); the destruction log says what
went; legal hold blocks it."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, text
from sqlmodel import SQLModel

from arrs_desk.errors import PermissionDenied, ValidationError
from arrs_desk.paths import evidence_dir
from arrs_desk.services.retention import ANONYMISE, SUMMARY
from arrs_desk.store.models import (
    AuditEntry, CheckinCompletion, CheckinTally, InductionEvidence, InductionItem, Staff,
)
from tests.conftest import TODAY
from tests.retention_support import EMAIL, LEAVER, LEFT, make_leaver_pcn

@pytest.fixture
def pcn(workspace, system_actor, tmp_path):
    return make_leaver_pcn(workspace, system_actor, tmp_path)


def every_cell(workspace) -> str:
    """Every value of every table, as text."""
    out = []
    with workspace.db.read() as session:
        for table in SQLModel.metadata.sorted_tables:
            for row in session.execute(select(table)).all():
                out.append(repr(tuple(row)))
    return "\n".join(out)


def evidence_files() -> list:
    return [p for p in evidence_dir().rglob("*") if p.is_file()]


def test_only_an_administrator_sees_or_does_any_of_it(workspace, pcn):
    helen = pcn.actors["helen"]
    for call in (lambda s: s.due(helen), lambda s: s.rules(helen), lambda s: s.destruction_log(helen),
                 lambda s: s.set_hold(helen, staff_id=pcn.staff_ids["quentin"], reason="Claim"),
                 lambda s: s.erase(helen, staff_id=pcn.staff_ids["quentin"], action=ANONYMISE)):
        with pytest.raises(PermissionDenied):
            call(workspace.records_retention)


def test_leavers_past_six_years_fall_due_and_a_hold_blocks_erasure(workspace, pcn):
    service, admin, leaver = workspace.records_retention, pcn.actors["admin"], pcn.staff_ids["quentin"]
    due = service.due(admin)
    assert [(d.name, d.left_on, d.due_on, d.stage) for d in due] == [
        (LEAVER, LEFT, date(TODAY.year, 1, 1), "full record")]  # six years from the end of the year they left
    service.set_hold(admin, staff_id=leaver, reason="Employment tribunal claim 2026/001")
    assert service.due(admin)[0].hold_reason == "Employment tribunal claim 2026/001"
    with pytest.raises(ValidationError, match="legal hold"):
        service.erase(admin, staff_id=leaver, action=ANONYMISE)
    with pytest.raises(ValidationError, match="reason"):
        service.set_hold(admin, staff_id=leaver, reason="  ")
    assert LEAVER in every_cell(workspace)
    service.lift_hold(admin, staff_id=leaver)
    with pytest.raises(ValidationError, match="not due yet"):
        service.erase(admin, staff_id=pcn.staff_ids["recent"], action=SUMMARY)  # left two years ago


def test_an_administrators_period_changes_what_is_due(workspace, pcn):
    service, admin = workspace.records_retention, pcn.actors["admin"]
    rules = service.set_rule_years(admin, code="staff-record", years=7)
    rule = next(r for r in rules.rules if r.code == "staff-record")
    assert (rule.years, rule.default_years) == (7, 6) and rules.source_url.startswith("https://")
    assert service.due(admin) == []  # seven years from the end of the year they left: 1 January next year
    for bad in (-1, 101, "6", 6.0, True):
        with pytest.raises(ValidationError) as refused:
            service.set_rule_years(admin, code="staff-record", years=bad)
        assert refused.value.errors["years"].endswith("must be a whole number of years from 0 to 100.")
    with pytest.raises(ValidationError):
        service.set_rule_years(admin, code="staff-summary", years=3)


def test_reducing_to_a_summary_keeps_the_name_and_dates_and_removes_the_rest(workspace, pcn):
    service, admin, leaver = workspace.records_retention, pcn.actors["admin"], pcn.staff_ids["quentin"]
    assert evidence_files()
    preview = service.preview(admin, staff_id=leaver, action=SUMMARY)
    assert preview.name == LEAVER and preview.records["induction item"] > 0 and preview.evidence_files == 1
    service.erase(admin, staff_id=leaver, action=SUMMARY)
    with workspace.db.read() as session:
        person = session.get(Staff, leaver)
        assert (person.given_name, person.family_name, person.start_date, person.end_date, person.leaving_reason,
                person.role_code) == ("Quentin", "Zabrowski", date(2015, 6, 1), LEFT, "Moved away",
                                      "SPLW")
        assert person.email == "" and not session.execute(
            select(InductionEvidence).where(InductionEvidence.staff_id == leaver)).first()
    assert not evidence_files()
    assert [d.stage for d in service.due(admin)] == ["summary kept"]
    with pytest.raises(ValidationError, match="already a summary"):
        service.erase(admin, staff_id=leaver, action=SUMMARY)
    (entry,) = service.destruction_log(admin)
    assert entry.subject == LEAVER and entry.rule_code == "staff-record" and entry.removed["evidence files"] == 1


def test_erasing_a_leaver_leaves_their_name_nowhere_and_the_counts_still_add_up(workspace, pcn, backend):
    service, admin, leaver = workspace.records_retention, pcn.actors["admin"], pcn.staff_ids["quentin"]
    with workspace.db.read() as session:
        tallies = [(t.group_key, t.responses, t.counts) for t in session.execute(select(CheckinTally)).scalars()]
        staff_count = len(session.execute(select(Staff.id)).all())
    assert LEAVER in every_cell(workspace) and EMAIL in every_cell(workspace)
    service.erase(admin, staff_id=leaver, action=ANONYMISE)
    cells = every_cell(workspace)
    for form in (LEAVER, "Zabrowski", EMAIL, "quentin"):
        assert form not in cells, form
    assert not evidence_files()
    with workspace.db.read() as session:
        assert [(t.group_key, t.responses, t.counts) for t in session.execute(select(CheckinTally)).scalars()] \
            == tallies
        assert session.get(CheckinCompletion, (leaver, 3)) is not None
        assert len(session.execute(select(Staff.id)).all()) == staff_count  # the statistics keep their row
        erased = session.execute(select(AuditEntry).where(AuditEntry.action == "erase")).scalar_one()
        assert "Erased person" in erased.summary and erased.actor_name == "Ada Administrator"
    (entry,) = service.destruction_log(admin)
    assert entry.subject == f"Erased person {leaver}" and entry.rule_code == "staff-record"
    assert entry.removed["evidence files"] == 1 and entry.removed["induction item"] > 0
    assert service.due(admin) == []
    if backend == "sqlite":
        path = workspace.db.path
        for file in (path, path.with_name(path.name + "-wal")):
            if file.exists():
                raw = file.read_bytes()
                assert b"Zabrowski" not in raw and EMAIL.encode() not in raw, file.name


@pytest.mark.sqlite_only("backups are SQLite file copies")
def test_backups_made_before_an_erasure_are_listed_as_still_holding_it(workspace, pcn):
    service, admin, leaver = workspace.records_retention, pcn.actors["admin"], pcn.staff_ids["quentin"]
    assert service.backups_still_holding(admin).backups == ()
    made = workspace.backups.back_up(admin)
    service.erase(admin, staff_id=leaver, action=ANONYMISE)
    warning = service.backups_still_holding(admin)
    assert [b.path for b in warning.backups] == [made.path] and "destruction log" in warning.advice
    with workspace.db.read() as session:  # the trail still says an erasure happened, with no removed content
        assert session.execute(text("SELECT count(*) FROM audit_entry WHERE action = 'erase'")).scalar() == 1



def test_training_past_its_period_is_listed_and_destroyed_unless_held(workspace, pcn):
    service, admin, rita = workspace.records_retention, pcn.actors["admin"], pcn.staff_ids["rita"]
    checklist = workspace.induction.create_checklist(admin, staff_id=rita)
    old, recent = checklist.items[0].id, checklist.items[1].id
    with workspace.db.write() as session:
        for item_id, done in ((old, date(TODAY.year - 11, 12, 31)), (recent, date(TODAY.year - 10, 1, 1))):
            item = session.get(InductionItem, item_id)
            item.completed_on, item.validity_months, item.state = done, 12, "done"
            session.add(item)
    # Statutory and mandatory training: 10 years from the end of the year it was done in.
    due = service.training_due(admin)
    assert [(t.record_id, t.name, t.due_on, t.rule_code) for t in due] == [
        (old, "Rita Stays", date(TODAY.year, 1, 1), "training-statutory")]
    service.set_hold(admin, staff_id=rita, reason="Subject access request in progress")
    assert service.training_due(admin)[0].on_hold
    with pytest.raises(ValidationError, match="legal hold"):
        service.destroy_training(admin, kind="induction_item", record_id=old)
    service.lift_hold(admin, staff_id=rita)
    with pytest.raises(ValidationError, match="not past its period"):
        service.destroy_training(admin, kind="induction_item", record_id=recent)
    removed = service.destroy_training(admin, kind="induction_item", record_id=old)
    assert removed["induction item"] == 1 and service.training_due(admin) == []
    with workspace.db.read() as session:
        assert session.get(InductionItem, old) is None and session.get(InductionItem, recent) is not None
    entry = service.destruction_log(admin)[0]
    assert (entry.record_class, entry.subject, entry.rule_code) == (
        "Statutory and mandatory training records", "Rita Stays", "training-statutory")


def test_an_erasure_keeps_the_audit_trails_hash_chain_whole(workspace, pcn):
    """Erasure is the one change the law requires of the trail: the chain is re-sealed in the same
    transaction, the erase entry says from where, and verify passes afterwards."""
    from arrs_desk.services.audit_log import AuditFilter

    admin, leaver = pcn.actors["admin"], pcn.staff_ids["quentin"]
    assert workspace.audit_verify.verify(admin).ok
    workspace.records_retention.erase(admin, staff_id=leaver, action=ANONYMISE)
    check = workspace.audit_verify.verify(admin)
    assert check.ok, check.message
    erase = workspace.audit_log.entries(admin, flt=AuditFilter(action="erase"))[0]
    assert erase.changes["chain_resealed_from"] is not None


def test_an_erasure_does_not_make_a_colleagues_signed_record_look_tampered_with(workspace, pcn):
    """A group session confirmed by its supervisor vouches for who attended. Erasing one attendee
    changes that record, as the law requires: the erasure brings the sign-off's hash up to date,
    so verify still reads clean. A record changed behind the app's back before the erasure stays
    named: the erasure never blesses it."""
    from dataclasses import replace
    from datetime import date

    from arrs_desk.store.models import UserAccount
    from tests.supervision_support import log

    admin = pcn.actors["admin"]
    with workspace.db.write() as session:  # Helen's account, a supervisor too: every audited write checks the writer's
        user = session.get(UserAccount, pcn.actors["helen"].user_id)
        user.roles = ["line_manager", "supervisor"]
    helen = replace(pcn.actors["helen"], roles=frozenset(user.roles))
    quentin, rita = pcn.staff_ids["quentin"], pcn.staff_ids["rita"]
    row = log(workspace, helen, [quentin, rita], date(LEFT.year, 6, 3), supervisor_id=pcn.staff_ids["helen"])
    workspace.supervision.confirm_session(helen, session_id=row.id)
    other = log(workspace, helen, [quentin, rita], date(LEFT.year, 7, 1), supervisor_id=pcn.staff_ids["helen"])
    workspace.supervision.confirm_session(helen, session_id=other.id)
    with workspace.db.engine.begin() as conn:  # behind the app's back, before the erasure
        conn.execute(text("UPDATE supervision_session SET topics = 'Rewritten' WHERE id = :i"), {"i": other.id})
    before = workspace.audit_verify.verify(admin).changed_signoffs
    assert len(before) == 1 and f"(id {other.id})" in before[0]

    workspace.records_retention.erase(admin, staff_id=quentin, action=ANONYMISE)
    check = workspace.audit_verify.verify(admin)
    assert check.message.splitlines()[1].startswith("The audit trail is intact"), check.message
    assert len(check.changed_signoffs) == 1 and f"(id {other.id})" in check.changed_signoffs[0]
    assert LEAVER not in every_cell(workspace)


def test_a_record_linked_to_the_erasing_administrators_own_account_is_refused_clearly(workspace, pcn):
    """Erasing a record turns off the accounts linked to it. An administrator whose own account is
    linked to it (an account inherited from someone long gone) was told their account had changed
    since they signed in, and to sign in again, which changed nothing; for the PCN's last
    administrator the erasure would have left nobody to manage accounts. It names what to do."""
    from arrs_desk.services.actor import Actor
    from arrs_desk.store.models import UserAccount

    service, admin, leaver = workspace.records_retention, pcn.actors["admin"], pcn.staff_ids["quentin"]
    with workspace.db.write() as session:
        session.get(UserAccount, admin.user_id).staff_id = leaver  # the administrator's account, inherited
    admin = Actor(admin.user_id, admin.username, admin.display_name, admin.roles, leaver)
    with pytest.raises(ValidationError, match="your own account") as refused:
        service.erase(admin, staff_id=leaver, action=ANONYMISE)
    assert set(refused.value.errors) == {"staff_id"}
    with workspace.db.read() as session:
        account = session.get(UserAccount, admin.user_id)
        assert account.active and account.roles == ["administrator"]


def test_anonymising_does_not_rewrite_other_accounts_usernames_or_roles(workspace, pcn, system_actor):
    """Every written form of the person is replaced wherever it is quoted, their username too. An
    account inherited from them named "admin" made that "Erased person N" inside every other
    account's username and roles ("new.admin", "administrator"): the PCN's administrators could no
    longer sign in or manage anything."""
    from arrs_desk.services.actor import Actor
    from arrs_desk.store.models import UserAccount

    leaver = pcn.staff_ids["quentin"]
    with workspace.db.write() as session:
        old = session.get(UserAccount, pcn.actors["admin"].user_id)  # "admin", inherited from Quentin, now off
        old.staff_id, old.active = leaver, False
    row = workspace.accounts.create_user(system_actor, username="new.admin", display_name="New Admin",
                                         password="correct horse battery staple", roles=["administrator"])
    workspace.records_retention.erase(Actor(row.id, row.username, row.display_name, frozenset(row.roles), None),
                                      staff_id=leaver, action=ANONYMISE)
    with workspace.db.read() as session:
        accounts = {u.id: (u.username, u.roles) for u in session.execute(select(UserAccount)).scalars()}
    assert accounts[row.id] == ("new.admin", ["administrator"])
    assert accounts[pcn.actors["helen"].user_id] == ("helen", ["line_manager"])


def test_anonymising_replaces_a_form_only_where_it_stands_whole(workspace, pcn):
    """An employee number "2019" turned every "2019" in other people's records into "Erased person
    N" (a date, a year in a note), and a name was replaced inside a longer word: a form now goes only
    where it stands on its own, and a short number is not looked for in text at all."""
    leaver, rita = pcn.staff_ids["quentin"], pcn.staff_ids["rita"]
    with workspace.db.write() as session:
        person = session.get(Staff, leaver)
        person.employee_number = "2019"
        session.add(person)
        colleague = session.get(Staff, rita)
        colleague.leaving_reason = ("Joined in 2019 from Quentin Zabrowskiville practice; "
                           f"handover from Quentin Zabrowski ({EMAIL}).")
        session.add(colleague)
    workspace.records_retention.erase(pcn.actors["admin"], staff_id=leaver, action=ANONYMISE)
    with workspace.db.read() as session:
        notes = session.get(Staff, rita).leaving_reason
    assert notes == (f"Joined in 2019 from Quentin Zabrowskiville practice; handover from Erased person {leaver} "
                     f"(Erased person {leaver}).")
