"""`DsptService`: the Data Security and Protection Toolkit evidence report, the restore test and
the access review. Administrators only: the report lists every account and administrator action,
which DSPT 4.4.1 expects to be visible to the right people alone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import func, select

from arrs_desk import clock
from arrs_desk.domain.dspt import default_period_start, evidence_rules, next_submission, review_due
from arrs_desk.domain.permissions import Action
from arrs_desk.errors import BackupProblem, ValidationError
from arrs_desk.services import audit
from arrs_desk.services._common import require
from arrs_desk.services.actor import Actor
from arrs_desk.services.backups import list_backups, server_advice
from arrs_desk.services.dspt import facts
from arrs_desk.services.dspt.restore_test import RestoreTestResult, restore_into_temporary_copy
from arrs_desk.services.dspt.views import DsptReport, EvidenceItemRow
from arrs_desk.services.exports import SavedFile, save_audited
from arrs_desk.store.database import Database
from arrs_desk.store.models import UserAccount

NOTE_LIMIT = 500
FORMATS = {"pdf": "PDF", "csv": "CSV"}


def _due_text(last: datetime | None, every_months: int, today: date) -> tuple[str, bool]:
    due, overdue = review_due(facts.uk_day(last), every_months, today)
    if due is None:
        return "Now (never recorded)", True
    return f"{due:%d/%m/%Y}" + (" (overdue)" if overdue else ""), overdue


class DsptService:
    def __init__(self, db: Database, today: Callable[[], date]):
        self._db = db
        self._today = today

    # ------------------------------------------------------------------ reading
    def default_period(self, actor: Actor) -> tuple[date, date]:
        """Since the last access review (or one review interval back) to today."""
        require(actor, Action.VIEW_AUDIT)
        today = self._today()
        with self._db.read() as session:
            last = facts.last_review(session)
        return default_period_start(facts.uk_day(last), today), today

    def report(self, actor: Actor, *, start: date | None = None, end: date | None = None) -> DsptReport:
        require(actor, Action.VIEW_AUDIT)
        today = self._today()
        if start is None or end is None:
            default_start, default_end = self.default_period(actor)
            start, end = start or default_start, end or default_end
        if start > end:
            raise ValidationError.single("start", "The period must start on or before the day it ends.")
        rules = evidence_rules()
        with self._db.read() as session:
            pcn = facts.pcn_name(session)
            accounts = facts.accounts(session, today)
            movements = facts.movements(session, start, end, today)
            admin_actions, sign_ins = facts.administrator_actions(session, start, end)
            restore_tests = facts.restore_tests(session)
            reviews = facts.reviews(session)
            review_text, review_overdue = _due_text(facts.last_review(session), rules.access_review_every_months, today)
            restore_text, restore_overdue = _due_text(facts.last_restore_test(session),
                                                      rules.restore_test_every_months, today)
        storage = facts.storage_facts(self._db)
        attention = []
        leavers = [a for a in accounts if a.flag]
        if leavers:
            attention.append(f"{len(leavers)} account{'s' if len(leavers) != 1 else ''} of people who have left "
                             f"{'are' if len(leavers) != 1 else 'is'} still active.")
        if review_overdue:
            attention.append("The quarterly access review is due: check every account below, then record the review.")
        if self._db.path is not None and restore_overdue:
            attention.append("No backup has passed a restore test recently: run \u201cTest a restore\u201d.")
        if self._db.path is not None and not self._db.is_encrypted:  # the storage facts say which, from the same flag
            attention.append("The database is not encrypted at rest.")
        if storage.permissions.startswith("Readable by"):
            attention.append("The database file can be read by other users of this computer.")
        return DsptReport(
            pcn=pcn, made_at=facts.uk_time(clock.now()), period_start=start, period_end=end,
            next_submission=next_submission(today, rules),
            items=tuple(EvidenceItemRow(i.id, i.title, i.shows) for i in rules.items),
            source=f"{rules.source.url} (item numbers checked {rules.checked_on:%d/%m/%Y})",
            storage=storage, accounts=tuple(accounts), movements=tuple(movements),
            admin_actions=tuple(admin_actions), sign_ins=sign_ins, restore_tests=tuple(restore_tests),
            reviews=tuple(reviews), access_review_due=review_text,
            restore_test_due=restore_text if self._db.path is not None else "By the server's own tools",
            attention=tuple(attention))

    # ------------------------------------------------------------------ writing
    def test_restore(self, actor: Actor) -> RestoreTestResult:
        """Restore the newest backup into a temporary copy, check it, and record the result."""
        require(actor, Action.MANAGE_SETTINGS)
        if self._db.path is None:
            raise BackupProblem(server_advice(self._db.url))
        backups = list_backups(self._db.path)
        if not backups:
            raise BackupProblem("There is no backup to test yet. Make one first (Backups > Back up now).")
        result = restore_into_temporary_copy(backups[0], self._db.key)
        action = facts.RESTORE_TEST_PASSED if result.passed else facts.RESTORE_TEST_FAILED
        with self._db.write() as session:
            audit.record(session, actor, action, "database", "", result.summary,
                         {"backup": [None, result.backup.path.name],
                          "made_at": [None, result.backup.made_at.isoformat(timespec="minutes")],
                          "staff": [None, result.staff], "accounts": [None, result.accounts]})
        return result

    def record_access_review(self, actor: Actor, *, note: str = "") -> int:
        """Say that every account was looked at today (DSPT 4.2, at least quarterly); returns how many."""
        require(actor, Action.MANAGE_USERS)
        note = (note or "").strip()
        if len(note) > NOTE_LIMIT:
            raise ValidationError.single("note", f"Keep the note to {NOTE_LIMIT} characters or fewer.")
        with self._db.write() as session:
            count = session.execute(select(func.count()).select_from(UserAccount)).scalar_one()
            audit.record(session, actor, facts.ACCESS_REVIEW, "database", "",
                         f"Reviewed access: {count} account{'s' if count != 1 else ''} checked"
                         + (f" ({note})" if note else ""),
                         {"accounts": [None, count], "note": [None, note or None]})
        return count

    def save(self, actor: Actor, *, path: Path | str, file_format: str = "pdf",
             start: date | None = None, end: date | None = None) -> SavedFile:
        """The report as a PDF for the IG lead's file, or a CSV to work from; audited like every export."""
        from arrs_desk.reports.dspt_report import write_dspt_csv, write_dspt_pdf

        if file_format not in FORMATS:
            raise ValidationError.single("file_format", "Save the report as PDF or CSV.")
        report = self.report(actor, start=start, end=end)
        write = write_dspt_pdf if file_format == "pdf" else write_dspt_csv
        return save_audited(self._db, actor, path, record="dspt_report",
                            what=f"the DSPT evidence report ({report.period_text})", file_format=FORMATS[file_format],
                            write=lambda target: write(target, report), people=len(report.accounts))
