"""The DSPT evidence report (issue 20 item 5): where the data lives, accounts with a leaver still
active flagged, joiners/movers/leavers in the period, administrator actions, the restore test and
the access review, each recorded in the audit trail; administrators only."""

from __future__ import annotations

import dataclasses
import os
from datetime import timedelta

import pytest
from pypdf import PdfReader

from arrs_desk.errors import BackupProblem, PermissionDenied, ValidationError
from arrs_desk.services.actor import SYSTEM
from arrs_desk.services.audit_log import AuditFilter
from tests.conftest import TODAY
from tests.support.pcn import HELEN, Member, build_small_pcn

STARTER = Member("sam", "Sam", "Okonkwo", TODAY - timedelta(days=20), manager="helen", roles={"supervisor"})
LEAVER = Member("lou", "Lou", "Marchetti", TODAY - timedelta(days=900), manager="helen", roles={"supervisor"})


@pytest.fixture
def pcn(workspace):
    return build_small_pcn(workspace, SYSTEM, members=(HELEN, STARTER, LEAVER), admin="Ada Admin", multi_user=True)


def _change(workspace, staff_id: int, **changes) -> None:
    record = workspace.staff.get(SYSTEM, staff_id=staff_id)
    workspace.staff.update(SYSTEM, staff_id=staff_id, data=dataclasses.replace(record.data, **changes), expected_version=record.version)


def _leave(workspace, staff_id: int, on) -> None:
    _change(workspace, staff_id, end_date=on, status="left", leaving_reason="Moved away")


def test_only_administrators_see_or_make_the_evidence(workspace, pcn):
    helen = pcn.actors["helen"]
    with pytest.raises(PermissionDenied):
        workspace.dspt.report(helen)
    with pytest.raises(PermissionDenied):
        workspace.dspt.record_access_review(helen)
    with pytest.raises(PermissionDenied):
        workspace.dspt.test_restore(helen)


def test_a_leaver_with_an_active_account_is_flagged_and_named_in_the_period(workspace, pcn):
    _leave(workspace, pcn.staff_ids["lou"], TODAY - timedelta(days=3))
    admin = pcn.actors["admin"]
    report = workspace.dspt.report(admin)
    lou = next(a for a in report.accounts if a.username == "lou")
    assert lou.active and "Still active although Lou Marchetti left" in lou.flag
    assert not next(a for a in report.accounts if a.username == "sam").flag
    kinds = {(m.kind, m.person) for m in report.movements}
    assert ("Left", "Lou Marchetti") in kinds and ("Joined", "Sam Okonkwo") in kinds
    left = next(m for m in report.movements if m.kind == "Left")
    assert left.account == "lou (active)" and "disable" in left.flag
    assert any("1 account of people who have left is still active" in line for line in report.attention)
    assert any("access review is due" in line for line in report.attention)  # never recorded


def test_a_change_of_line_manager_makes_a_mover(workspace, pcn):
    _change(workspace, pcn.staff_ids["sam"], line_manager_id=None)
    moved = [m for m in workspace.dspt.report(pcn.actors["admin"]).movements if m.kind == "Moved"]
    assert [(m.person, m.detail) for m in moved] == [("Sam Okonkwo", "Changed line manager")]


def test_administrator_actions_are_listed_and_sign_ins_only_counted(workspace, pcn):
    admin = pcn.actors["admin"]
    workspace.organisations.create(admin, kind="practice", name="Gamma Surgery", ods_code="C33333")
    report = workspace.dspt.report(admin)
    assert any("Gamma Surgery" in a.summary and a.who == "Ada Admin" for a in report.admin_actions)
    assert all(a.action != "Signed in" for a in report.admin_actions)


def test_an_access_review_is_audited_and_moves_the_period_and_the_due_date(workspace, pcn):
    admin = pcn.actors["admin"]
    with pytest.raises(ValidationError) as too_long:
        workspace.dspt.record_access_review(admin, note="x" * 501)
    assert "note" in too_long.value.errors
    assert workspace.dspt.record_access_review(admin, note="Quarterly check with the practice manager") == 4
    report = workspace.dspt.report(admin)
    assert report.reviews[0].accounts == 4 and report.reviews[0].note.startswith("Quarterly")
    assert not any("access review is due" in line for line in report.attention)
    assert "(overdue)" not in report.access_review_due
    assert workspace.dspt.default_period(admin) == (TODAY, TODAY)  # a review today: the next period starts now
    entries = workspace.audit_log.entries(admin, flt=AuditFilter(action="access_review"))
    assert entries and entries[0].actor_name == "Ada Admin"


def test_a_period_that_ends_before_it_starts_is_refused(workspace, pcn):
    with pytest.raises(ValidationError) as refused:
        workspace.dspt.report(pcn.actors["admin"], start=TODAY, end=TODAY - timedelta(days=1))
    assert "start" in refused.value.errors


@pytest.mark.sqlite_only("restore tests copy SQLite backups; a server is backed up by its own tools (tested below)")
def test_a_restore_test_restores_the_newest_backup_and_records_the_result(workspace, pcn):
    admin = pcn.actors["admin"]
    with pytest.raises(BackupProblem, match="no backup to test"):
        workspace.dspt.test_restore(admin)
    workspace.backups.back_up(admin)
    result = workspace.dspt.test_restore(admin)
    assert result.passed and result.staff == 3 and result.accounts == 4
    report = workspace.dspt.report(admin)
    assert report.restore_tests[0].passed and "passed" in report.restore_tests[0].detail
    assert not any("restore test" in line for line in report.attention)
    assert report.storage.backups_held == 1
    assert report.storage.backup_permissions.startswith("Owner only") or os.name == "nt"


@pytest.mark.sqlite_only("file modes of the SQLite file itself")
@pytest.mark.skipif(os.name == "nt", reason="Windows files inherit the profile's permissions")
def test_a_database_file_other_users_can_read_is_flagged(workspace, pcn):
    admin = pcn.actors["admin"]
    workspace.db.path.chmod(0o600)
    report = workspace.dspt.report(admin)
    assert report.storage.permissions == "Owner only (rw-------)"
    assert not any("other users" in line for line in report.attention)
    workspace.db.path.chmod(0o644)
    report = workspace.dspt.report(admin)
    assert report.storage.permissions.startswith("Readable by every user of this computer")
    assert "The database file can be read by other users of this computer." in report.attention


@pytest.mark.sqlite_only("restore tests copy SQLite backups; a server is backed up by its own tools (tested below)")
def test_a_damaged_backup_fails_its_restore_test_and_says_why(workspace, pcn):
    admin = pcn.actors["admin"]
    backup = workspace.backups.back_up(admin)
    with open(backup.path, "r+b") as handle:  # keep the SQLite header, wreck the pages after it
        handle.seek(4096)
        handle.write(b"\xff" * 8192)
    result = workspace.dspt.test_restore(admin)
    assert not result.passed and result.problem
    report = workspace.dspt.report(admin)
    assert not report.restore_tests[0].passed
    assert any("restore test" in line for line in report.attention)  # a failed test is no test


def test_a_server_database_says_its_backups_are_the_servers(workspace, pcn, backend):
    report = workspace.dspt.report(pcn.actors["admin"])
    if backend == "postgres":
        assert report.storage.kind == "PostgreSQL server" and "pg_dump" in report.storage.newest_backup
        with pytest.raises(BackupProblem, match="pg_dump"):
            workspace.dspt.test_restore(pcn.actors["admin"])
    else:
        assert report.storage.kind.startswith("SQLite") and "not encrypted" in " ".join(report.attention).lower()


@pytest.mark.sqlite_only("encryption at rest is for a SQLite file; a server encrypts its own disks")
def test_an_encrypted_database_is_not_called_unencrypted(workspace, pcn, monkeypatch):
    """The report said "Encrypted at rest with SQLCipher" under storage and, in what needs
    attention, "The database is not encrypted at rest": the IG lead was told both."""
    from arrs_desk.store import cipher

    monkeypatch.setattr(cipher, "KDF_MEMORY_KIB", 1024)  # about who is told what, not guessing cost
    monkeypatch.setattr(cipher, "KDF_TIME_COST", 1)
    admin = pcn.actors["admin"]
    passphrase = "staple horse battery correct"
    workspace.encryption.turn_on(admin, passphrase=passphrase, confirm=passphrase, remember_here=False)
    report = workspace.dspt.report(admin)
    assert report.storage.encryption.startswith("Encrypted at rest")
    assert not any("not encrypted" in line for line in report.attention)


def test_the_report_saves_as_a_pdf_and_a_csv_and_each_save_is_audited(workspace, pcn, tmp_path):
    admin = pcn.actors["admin"]
    _leave(workspace, pcn.staff_ids["lou"], TODAY - timedelta(days=3))
    pdf = workspace.dspt.save(admin, path=tmp_path / "dspt.pdf", file_format="pdf")
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(pdf.path).pages).split())
    for expected in ("Data Security and Protection Toolkit", "1.1.2", "4.2", "4.4.1", "7.3.4", "Lou Marchetti",
                     "Still active although Lou Marchetti left", "Test PCN"):
        assert expected in text, expected
    csv_file = workspace.dspt.save(admin, path=tmp_path / "dspt.csv", file_format="csv")
    lines = csv_file.path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("Section") and any(line.startswith("4.2 Left,Lou Marchetti") for line in lines)
    exports = workspace.audit_log.entries(admin, flt=AuditFilter(action="export", entity_type="dspt_report"))
    assert len(exports) == 2
    with pytest.raises(ValidationError):
        workspace.dspt.save(admin, path=tmp_path / "dspt.xlsx", file_format="xlsx")



def test_administrator_actions_go_by_the_role_held_at_the_time(workspace, pcn):
    """An administrator whose role was later taken away dropped out of the evidence, and someone
    made an administrator later had their earlier ordinary work listed as administrator actions."""
    admin, helen = pcn.actors["admin"], pcn.actors["helen"]

    def set_roles(roles: set[str]):
        row = next(u for u in workspace.accounts.list_users(admin) if u.id == helen.user_id)
        workspace.accounts.update_user(admin, user_id=row.id, display_name=row.display_name, roles=sorted(roles),
                                       staff_id=row.staff_id, active=True, expected_version=row.version)
        return dataclasses.replace(helen, roles=frozenset(roles))

    record = workspace.staff.get(helen, staff_id=pcn.staff_ids["sam"])  # her own team's, as a line manager
    workspace.staff.update(helen, staff_id=record.id, data=dataclasses.replace(record.data, hours_per_week=30),
                           expected_version=record.version)
    as_admin = set_roles({"line_manager", "administrator"})
    workspace.organisations.create(as_admin, kind="practice", name="Helen's Surgery", ods_code="H44444")
    set_roles({"line_manager"})
    hers = [a.summary for a in workspace.dspt.report(admin).admin_actions if a.who == "Helen Whitfield"]
    assert any("Helen's Surgery" in s for s in hers)
    assert not any("Okonkwo" in s for s in hers), hers
