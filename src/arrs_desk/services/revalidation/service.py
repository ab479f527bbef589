"""`RevalidationService`: the one door for revalidation records, the CPD log and their statuses.

Each public method opens one transaction and hands the work to `records` (reading) or `writes`
(the CPD log, evidence, verification). A write returns the person's record as it reads after the
change, read in the same transaction, so the screen shows the new status at once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from sqlmodel import Session

from arrs_desk.domain.regulators import EvidenceKind, RegulatorRules, builtin_rules
from arrs_desk.domain.revalidation import CpdMethod
from arrs_desk.services.actor import Actor
from arrs_desk.services.revalidation import records, writes
from arrs_desk.services.revalidation.views import CpdInput, EvidenceInput, PersonRevalidation, StatusRow
from arrs_desk.store.database import Database


class RevalidationService:
    def __init__(self, db: Database, today: Callable[[], date], rules: RegulatorRules | None = None):
        self._db = db
        self._today = today
        self._rules = rules or builtin_rules()

    @property
    def rules(self) -> RegulatorRules:
        return self._rules

    @staticmethod
    def choices() -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
        """(value, label) pairs for the forms: CPD methods, then the kinds of evidence."""
        return (tuple((m.value, m.label) for m in CpdMethod), tuple((k.value, k.label) for k in EvidenceKind))

    def person(self, actor: Actor, *, staff_id: int) -> PersonRevalidation:
        with self._db.read() as session:
            return records.read_person(session, actor, self._today(), self._rules, staff_id=staff_id)

    def statuses(self, actor: Actor) -> list[StatusRow]:
        """Everyone in post on a register whom the actor may see, soonest due first."""
        with self._db.read() as session:
            return records.read_statuses(session, actor, self._today(), self._rules)

    def warnings(self, actor: Actor) -> list[StatusRow]:
        """For Home: the actor's own cycle and their team's, once a warning day is reached or overdue."""
        with self._db.read() as session:
            return records.read_warnings(session, actor, self._today(), self._rules)

    def _run(self, actor: Actor, change: Callable[[Session, date], int]) -> PersonRevalidation:
        today = self._today()
        with self._db.write() as session:
            staff_id = change(session, today)
            session.flush()
            return records.read_person(session, actor, today, self._rules, staff_id=staff_id)

    def add_cpd(self, actor: Actor, *, data: CpdInput) -> PersonRevalidation:
        return self._run(actor, lambda s, t: writes.add_cpd(s, actor, t, data).staff_id)

    def update_cpd(self, actor: Actor, *, entry_id: int, data: CpdInput, expected_version: int) -> PersonRevalidation:
        return self._run(actor, lambda s, t: writes.update_cpd(s, actor, t, entry_id=entry_id, data=data,
                                                               expected_version=expected_version).staff_id)

    def add_evidence(self, actor: Actor, *, data: EvidenceInput) -> PersonRevalidation:
        return self._run(actor, lambda s, t: writes.add_evidence(s, actor, t, data).staff_id)

    def update_evidence(self, actor: Actor, *, evidence_id: int, data: EvidenceInput,
                        expected_version: int) -> PersonRevalidation:
        return self._run(actor, lambda s, t: writes.update_evidence(s, actor, t, evidence_id=evidence_id, data=data,
                                                                    expected_version=expected_version).staff_id)

    def verify_cpd(self, actor: Actor, *, entry_id: int, expected_version: int) -> PersonRevalidation:
        return self._run(actor, lambda s, t: writes.verify(s, actor, t, table="cpd_entry", row_id=entry_id,
                                                           expected_version=expected_version).staff_id)

    def verify_evidence(self, actor: Actor, *, evidence_id: int, expected_version: int) -> PersonRevalidation:
        return self._run(actor, lambda s, t: writes.verify(s, actor, t, table="revalidation_evidence",
                                                           row_id=evidence_id,
                                                           expected_version=expected_version).staff_id)

    def record_many(self, items: Sequence[tuple[Actor, CpdInput | EvidenceInput, Actor | None]]) -> int:
        """Many CPD entries and pieces of evidence at once (the demonstration PCN): each recorded by
        its actor and, when a second actor is given, verified by them, with the same permission
        checks, validation and audit lines as one at a time, in one transaction. Returns how many."""
        today = self._today()
        with self._db.write() as session:
            for recorder, data, verifier in items:
                cpd = isinstance(data, CpdInput)
                row = writes.add_cpd(session, recorder, today, data) if cpd else \
                    writes.add_evidence(session, recorder, today, data)
                if verifier is not None:
                    writes.verify(session, verifier, today, table="cpd_entry" if cpd else "revalidation_evidence",
                                  row_id=row.id, expected_version=row.version)
        return len(items)

    def delete_cpd(self, actor: Actor, *, entry_id: int, expected_version: int) -> None:
        with self._db.write() as session:
            writes.delete(session, actor, self._today(), table="cpd_entry", row_id=entry_id,
                          expected_version=expected_version)

    def delete_evidence(self, actor: Actor, *, evidence_id: int, expected_version: int) -> None:
        with self._db.write() as session:
            writes.delete(session, actor, self._today(), table="revalidation_evidence", row_id=evidence_id,
                          expected_version=expected_version)
