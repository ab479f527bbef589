"""Records retention: what falls due under the Code, legal holds, and reducing or anonymising
a leaver's record, with a destruction log that keeps no removed content (issue 20 item 2).

Only administrators see or do any of it. Every write checks that, validates, records who did it
in the audit trail and happens in one transaction; the evidence files the removed rows pointed
at are deleted after it commits (a file still used by someone else's record stays), and on
SQLite the file is then checkpointed and vacuumed with `secure_delete` on, so neither free pages
nor the write-ahead log keep the removed bytes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime, timezone
from pathlib import Path

from sqlalchemy import delete, func, select

from arrs_desk.clock import in_uk
from arrs_desk.domain import records_retention as rules
from arrs_desk.domain.permissions import AccessRole
from arrs_desk.errors import NotFound, PermissionDenied, ValidationError
from arrs_desk.services import audit, evidence
from arrs_desk.services._common import clean_text
from arrs_desk.services.actor import Actor
from arrs_desk.services.retention import erasure
from arrs_desk.services.retention.views import (
    ACTIONS, ANONYMISE, SUMMARY, BackupStillHolding, BackupWarning, DestructionView, DueRecord, ErasurePreview,
    TRAINING_ITEM, TRAINING_PROGRAMME, RulesView, RuleView, TrainingDue,
)
from arrs_desk.store import audit_chain, signed_content
from arrs_desk.store import cipher
from arrs_desk.store.database import Database
from arrs_desk.store.models import (
    AuditEntry, DestructionEntry, InductionItem, ProgrammeEnrolment, RetentionHold, Role, Setting, Staff, UserAccount,
)

log = logging.getLogger(__name__)

SETTING_PREFIX = "retention.years."
"""An administrator's period for a rule, in the settings table: `retention.years.<rule code>`."""

BACKUP_ADVICE = (
    "These backups were made before the latest erasure and still hold what it removed. Keep them only as long "
    "as your backup policy says (they are thinned out automatically), never restore one except to recover from "
    "a disaster, and if you do, erase the same records again at once: the destruction log lists them. Delete "
    "copies kept elsewhere (USB drives, shared folders) by hand.")

SUMMARY_KEEPS = "the name, dates of employment, role, employer, practices and reason for leaving"


def _require_admin(actor: Actor) -> None:
    if not actor.has(AccessRole.ADMINISTRATOR):
        raise PermissionDenied("Only an administrator can see or manage records retention.")


class RecordsRetentionService:
    def __init__(self, db: Database, today: Callable[[], date], now: Callable[[], datetime],
                 evidence_root: Callable[[], Path] | None = None):
        self._db = db
        self._today = today
        self._now = now
        if evidence_root is None:
            from arrs_desk.paths import evidence_dir

            evidence_root = evidence_dir
        self._evidence_root = evidence_root

    # ------------------------------------------------------------------ the rules
    def _schedule(self, session) -> rules.Schedule:
        overrides = {}
        for row in session.execute(select(Setting).where(Setting.key.startswith(SETTING_PREFIX))).scalars():
            if isinstance(row.value, int) and not isinstance(row.value, bool):
                overrides[row.key[len(SETTING_PREFIX):]] = row.value
        return rules.default_schedule().with_years(overrides)

    def rules(self, actor: Actor) -> RulesView:
        _require_admin(actor)
        with self._db.read() as session:
            schedule = self._schedule(session)
        return RulesView(tuple(RuleView(r.code, r.title, r.period_text, r.years, r.default_years, r.after,
                                        r.description, r.source) for r in schedule.rules),
                         schedule.source_title, schedule.source_url, schedule.checked_on, schedule.note,
                         schedule.period_start, schedule.legal_hold)

    def set_rule_years(self, actor: Actor, *, code: str, years: int) -> RulesView:
        """Change a rule's period (the Code's own stays in the data file and is shown beside it)."""
        _require_admin(actor)
        with self._db.write() as session:
            schedule = self._schedule(session)
            try:
                rule = schedule.rule(code)
            except KeyError:
                raise ValidationError.single("code", f"There is no retention rule '{code}'.") from None
            if rule.years is None:
                raise ValidationError.single("years", f"'{rule.title}' runs to a birthday, not a number of years.")
            try:
                rules.check_years(years)
            except ValueError as exc:
                raise ValidationError.single("years", f"The period of '{rule.title}' must be {exc}.") from None
            key = SETTING_PREFIX + code
            row = session.get(Setting, key)
            if row is None:
                session.add(Setting(key=key, value=years))
            else:
                row.value, row.version = years, row.version + 1
                session.add(row)
            audit.record(session, actor, "update", "retention_rule", code,
                         f"Set the retention period of '{rule.title}' to {years} years (the Code says "
                         f"{rule.default_years})", {"years": [rule.years, years]})
        return self.rules(actor)

    # ------------------------------------------------------------------ what falls due
    def due(self, actor: Actor) -> list[DueRecord]:
        """Leavers whose full record is past its period (or held, which is shown with its reason),
        and the summaries already kept, oldest leaving date first."""
        _require_admin(actor)
        today = self._today()
        with self._db.read() as session:
            schedule = self._schedule(session)
            years = schedule.rule(rules.STAFF_RECORD).years
            holds = {h.staff_id: h.reason for h in session.execute(select(RetentionHold)).scalars()}
            done = {}
            for staff_id, action in session.execute(select(DestructionEntry.staff_id, DestructionEntry.action)
                                                    .order_by(DestructionEntry.id)).all():
                done[staff_id] = action
            titles = dict(session.execute(select(Role.code, Role.title)).all())
            people = session.execute(select(Staff).where(Staff.end_date.is_not(None))
                                     .order_by(Staff.end_date, Staff.id)).scalars().all()
        found = []
        for p in people:
            stage = done.get(p.id)
            if stage == ANONYMISE:
                continue
            due_on = rules.falls_due(p.end_date, years)
            if stage != SUMMARY and today < due_on:
                continue
            found.append(DueRecord(p.id, f"{p.given_name} {p.family_name}", titles.get(p.role_code, p.role_code),
                                   p.start_date, p.end_date, rules.STAFF_RECORD, due_on,
                                   "summary kept" if stage == SUMMARY else "full record", holds.get(p.id, "")))
        return found

    # ------------------------------------------------------------------ training records
    def training_due(self, actor: Actor) -> list[TrainingDue]:
        """Training records past their period: completed induction items that expire (statutory and
        mandatory training, kept 10 years after it was done) and completed programmes (other
        training, 6 years). Held ones are listed with the hold's reason."""
        _require_admin(actor)
        today = self._today()
        with self._db.read() as session:
            schedule = self._schedule(session)
            holds = {h.staff_id: h.reason for h in session.execute(select(RetentionHold)).scalars()}
            names = {i: f"{g} {f}" for i, g, f in session.execute(select(Staff.id, Staff.given_name, Staff.family_name))}
            found = []
            for kind, model, rule_code in ((TRAINING_ITEM, InductionItem, "training-statutory"),
                                           (TRAINING_PROGRAMME, ProgrammeEnrolment, "training-other")):
                rule = schedule.rule(rule_code)
                latest = date(today.year - rule.years - 1, 12, 31)  # done on or before: the period is over
                condition = [model.completed_on.is_not(None), model.completed_on <= latest]
                if model is InductionItem:
                    condition.append(InductionItem.validity_months.is_not(None))
                else:
                    condition.append(ProgrammeEnrolment.status == "completed")
                for record_id, staff_id, title, done in session.execute(
                        select(model.id, model.staff_id, model.title, model.completed_on).where(*condition)
                        .order_by(model.completed_on, model.id)).all():
                    found.append(TrainingDue(kind, record_id, staff_id, names.get(staff_id, ""), title, done,
                                             rule.code, rule.title, rules.falls_due(done, rule.years),
                                             holds.get(staff_id, "")))
        return sorted(found, key=lambda t: (t.done_on, t.name, t.record_id))

    def destroy_training(self, actor: Actor, *, kind: str, record_id: int) -> dict[str, int]:
        """Destroy one training record past its period (and its evidence); refused under legal hold."""
        _require_admin(actor)
        models = {TRAINING_ITEM: (InductionItem, "training-statutory"),
                  TRAINING_PROGRAMME: (ProgrammeEnrolment, "training-other")}
        if kind not in models:
            raise ValidationError.single("kind", "Choose an induction item or a programme to destroy.")
        model, rule_code = models[kind]
        dialect = self._db.engine.dialect.name
        with self._db.write() as session:
            if self._db.is_sqlite:
                session.connection().exec_driver_sql("PRAGMA secure_delete = ON")
            row = session.get(model, record_id)
            if row is None:
                raise NotFound("That training record no longer exists.")
            person = self._person(session, row.staff_id)
            name = f"{person.given_name} {person.family_name}"
            hold = session.get(RetentionHold, row.staff_id)
            if hold is not None:
                raise ValidationError.single("record_id", f"The records of {name} are under legal hold ({hold.reason}).")
            rule = self._schedule(session).rule(rule_code)
            if not rules.is_due(row.completed_on, rule.years, self._today()):
                raise ValidationError.single("record_id", "That training record is not past its period.")
            removed, digests = erasure.delete_record(session, model.__tablename__, record_id)
            reduced = erasure.reduce_audit(session, None, dialect, entity=(model.__tablename__, str(record_id)))
            files_gone = digests - erasure.digests_in_use(session, digests)
            session.flush()
            with erasure._audit_writable(session, dialect):
                resealed = audit_chain.reseal(session)  # the erased content no longer matches its links
            counts = dict(sorted(removed.items()))
            if files_gone:
                counts["evidence files"] = len(files_gone)
            if reduced:
                counts["audit entries reduced"] = reduced
            session.add(DestructionEntry(at=self._now(), user_id=actor.user_id, actor_name=actor.display_name,
                                         action="destroy", record_class=rule.title, subject=name,
                                         staff_id=None, rule_code=rule.code, rule_text=rule.period_text[:300],
                                         removed=counts))
            audit.record(session, actor, "erase", "retention", row.staff_id,
                         f"Destroyed a {rule.title.lower()} of {name} under the rule '{rule.title}' "
                         f"({rule.period_text})",
                         {"removed": counts, "rule": rule.code, "chain_resealed_from": resealed},
                         subject_staff_id=row.staff_id)
        self._delete_files(files_gone)
        self._compact()
        return counts

    # ------------------------------------------------------------------ legal hold
    def set_hold(self, actor: Actor, *, staff_id: int, reason: str) -> None:
        _require_admin(actor)
        reason = clean_text(reason)
        if not reason:
            raise ValidationError.single("reason", "Give the reason for the hold (the claim, inquiry or request).")
        if len(reason) > 500:
            raise ValidationError.single("reason", "Keep the reason to 500 characters.")
        with self._db.write() as session:
            person = self._person(session, staff_id)
            hold = session.get(RetentionHold, staff_id)
            if hold is None:
                session.add(RetentionHold(staff_id=staff_id, reason=reason, placed_by=actor.display_name,
                                          placed_at=self._now()))
            else:
                hold.reason, hold.placed_by, hold.placed_at = reason, actor.display_name, self._now()
                session.add(hold)
            audit.record(session, actor, "update", "retention_hold", staff_id,
                         f"Placed the records of {person.given_name} {person.family_name} under legal hold",
                         {"reason": reason}, subject_staff_id=staff_id)

    def lift_hold(self, actor: Actor, *, staff_id: int) -> None:
        _require_admin(actor)
        with self._db.write() as session:
            person = self._person(session, staff_id)
            if session.get(RetentionHold, staff_id) is None:
                raise ValidationError.single("staff_id", "Those records are not under legal hold.")
            session.execute(delete(RetentionHold).where(RetentionHold.staff_id == staff_id))
            audit.record(session, actor, "update", "retention_hold", staff_id,
                         f"Lifted the legal hold on the records of {person.given_name} {person.family_name}",
                         subject_staff_id=staff_id)

    # ------------------------------------------------------------------ reducing and erasing
    def preview(self, actor: Actor, *, staff_id: int, action: str) -> ErasurePreview:
        """What `erase` would remove, for the confirmation to name; refuses what erase would refuse."""
        _require_admin(actor)
        with self._db.read() as session:
            person, _ = self._check(session, staff_id, action, actor)
            records = erasure.count_records(session, staff_id)
            files = len({v for t in erasure.owned_tables() for c in t.columns if c.name.endswith("sha256")
                         for (v,) in session.execute(select(c).where(t.c.staff_id == staff_id)).all() if v})
            entries = session.execute(select(func.count()).select_from(AuditEntry)
                                      .where(AuditEntry.subject_staff_id == staff_id)).scalar()
        kept = (f"A summary stays: {SUMMARY_KEEPS}." if action == SUMMARY else
                f"Only an anonymous row stays (\"{erasure.erased_name(staff_id)}\", role and dates), so the "
                "retention statistics and anonymous check-in counts still add up.")
        return ErasurePreview(staff_id, f"{person.given_name} {person.family_name}", action, records, files,
                              entries, kept)

    def erase(self, actor: Actor, *, staff_id: int, action: str) -> ErasurePreview:
        """Reduce a due record to its summary, or anonymise it; refused under legal hold."""
        _require_admin(actor)
        before = self.preview(actor, staff_id=staff_id, action=action)
        dialect = self._db.engine.dialect.name
        with self._db.write() as session:
            if self._db.is_sqlite:
                session.connection().exec_driver_sql("PRAGMA secure_delete = ON")
            person, rule = self._check(session, staff_id, action, actor)
            accounts = list(session.execute(select(UserAccount).where(UserAccount.staff_id == staff_id)).scalars())
            forms = erasure.name_forms(person, accounts)
            name = f"{person.given_name} {person.family_name}"
            signed = signed_content.still_matching(session)
            removed, digests = erasure.delete_owned(session, staff_id)
            reduced = erasure.reduce_audit(session, staff_id, dialect)
            erasure.reduce_staff(session, person, anonymise=action == ANONYMISE)
            session.flush()
            subject = name if action == SUMMARY else erasure.erased_name(staff_id)
            if action == ANONYMISE:
                erasure.scrub_names(session, forms, erasure.erased_name(staff_id), dialect)
            files_gone = digests - erasure.digests_in_use(session, digests)
            session.flush()
            with erasure._audit_writable(session, dialect):
                session.expire_all()  # the audit rows as the statements above left them
                signoffs = signed_content.refresh(session, signed)  # colleagues' records it changed
                session.flush()
                resealed = audit_chain.reseal(session)  # the erased content no longer matches its links
            counts = dict(sorted(removed.items()))
            if files_gone:
                counts["evidence files"] = len(files_gone)
            if reduced:
                counts["audit entries reduced"] = reduced
            record_class = ("Staff record (reduced to its summary)" if action == SUMMARY
                            else "Staff record summary (anonymised)")
            session.add(DestructionEntry(at=self._now(), user_id=actor.user_id, actor_name=actor.display_name,
                                         action=action, record_class=record_class, subject=subject,
                                         staff_id=staff_id, rule_code=rule.code, rule_text=rule.period_text[:300],
                                         removed=counts))
            audit.record(session, actor, "erase", "retention", staff_id,
                         f"{ACTIONS[action]}: {record_class.lower()} of {subject} under the rule "
                         f"'{rule.title}' ({rule.period_text})",
                         {"removed": counts, "rule": rule.code, "chain_resealed_from": resealed,
                          **({"signoff_hashes_updated": signoffs} if signoffs else {})})
        self._delete_files(files_gone)
        self._compact()
        return before

    def _check(self, session, staff_id: int, action: str, actor: Actor) -> tuple[Staff, rules.RetentionRule]:
        if action not in ACTIONS:
            raise ValidationError.single("action", "Choose to reduce the record to its summary or to anonymise it.")
        person = self._person(session, staff_id)
        if actor.user_id is not None and session.execute(select(UserAccount.id).where(
                UserAccount.id == actor.user_id, UserAccount.staff_id == staff_id, UserAccount.active)).first():
            # Erasing turns off the accounts linked to the record: the erasing administrator's own
            # (an account inherited from someone long gone) went mid-write, which was then refused as
            # "changed since you signed in"; for the last administrator it left nobody to manage accounts.
            raise ValidationError.single("staff_id", (
                f"The record of {person.given_name} {person.family_name} is linked to your own account, which "
                "erasing it would turn off. Unlink your account from it in User accounts first, or ask another "
                "administrator to do this."))
        hold = session.get(RetentionHold, staff_id)
        if hold is not None:
            raise ValidationError.single("staff_id", (
                f"The records of {person.given_name} {person.family_name} are under legal hold ({hold.reason}); "
                "they cannot be reduced or erased until the hold is lifted."))
        schedule = self._schedule(session)
        stage = session.execute(select(DestructionEntry.action).where(DestructionEntry.staff_id == staff_id)
                                .order_by(DestructionEntry.id.desc()).limit(1)).scalar()
        if stage == ANONYMISE:
            raise ValidationError.single("staff_id", "That record has already been anonymised.")
        if stage == SUMMARY and action == SUMMARY:
            raise ValidationError.single("action", "That record is already a summary; anonymise it when the summary "
                                                   "is past its time.")
        rule = schedule.rule(rules.STAFF_RECORD)
        if stage != SUMMARY and not rules.is_due(person.end_date, rule.years, self._today()):
            when = ("has not left" if person.end_date is None else
                    f"falls due on {rules.falls_due(person.end_date, rule.years):%d/%m/%Y}")
            raise ValidationError.single("staff_id", (
                f"The record of {person.given_name} {person.family_name} is not due: the person {when}."
                if person.end_date is None else
                f"The record of {person.given_name} {person.family_name} is not due yet: it {when}."))
        if stage == SUMMARY:
            rule = schedule.rule("staff-summary") if any(r.code == "staff-summary" for r in schedule.rules) else rule
        return person, rule

    @staticmethod
    def _person(session, staff_id: int) -> Staff:
        person = session.get(Staff, staff_id)
        if person is None:
            raise NotFound("That person's record no longer exists.")
        return person

    def _delete_files(self, digests: set[str]) -> None:
        evidence.delete_stored(self._evidence_root, digests)

    def _compact(self) -> None:
        """SQLite: write the WAL back and rebuild the file, so no free page or log frame keeps the
        removed bytes. Best effort: another window holding a read open can delay it to the next erasure."""
        if not self._db.is_sqlite or self._db.path is None:
            return
        raw = self._db.engine.raw_connection()
        try:
            cursor = raw.cursor()
            try:
                cursor.execute("PRAGMA secure_delete = ON")
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                cursor.execute("VACUUM")
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except cipher.Error as exc:
                log.warning("could not compact %s after an erasure: %s", self._db.path, exc)
            finally:
                cursor.close()
        finally:
            raw.close()

    # ------------------------------------------------------------------ the log and backups
    def destruction_log(self, actor: Actor) -> list[DestructionView]:
        _require_admin(actor)
        with self._db.read() as session:
            rows = session.execute(select(DestructionEntry).order_by(DestructionEntry.at.desc(),
                                                                     DestructionEntry.id.desc())).scalars().all()
        return [DestructionView(in_uk(r.at), r.actor_name, ACTIONS.get(r.action, r.action.capitalize()), r.record_class, r.subject,
                                r.rule_code, r.rule_text, dict(r.removed)) for r in rows]

    def backups_still_holding(self, actor: Actor) -> BackupWarning:
        """Backups made before the latest erasure, which still hold what it removed."""
        _require_admin(actor)
        with self._db.read() as session:
            last = session.execute(select(DestructionEntry.at).order_by(DestructionEntry.at.desc()).limit(1)).scalar()
        if last is None:
            return BackupWarning(None, (), "")
        if self._db.path is None:
            return BackupWarning(last, (), "The server's own backups made before the erasure still hold what it "
                                           "removed: ask whoever looks after the server to apply the same retention.")
        from arrs_desk.store import backup as store

        # Backup names carry this PC's local time (clock.local_now); the log keeps UTC.
        aware = last if last.tzinfo else last.replace(tzinfo=timezone.utc)
        cutoff = aware.astimezone().replace(tzinfo=None)
        older = [BackupStillHolding(b.path, b.made_at) for b in store.list_backups(self._db.path)
                 if b.made_at.replace(tzinfo=None) <= cutoff]
        return BackupWarning(last, tuple(older), BACKUP_ADVICE if older else "")
