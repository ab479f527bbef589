"""`RevalidationService`: the one door for revalidation records, the CPD log and their statuses.

Each public method opens one transaction and hands the work to `records` (reading) or `writes`
(the CPD log, evidence, verification). A write returns the person's record as it reads after the
change, read in the same transaction, so the screen shows the new status at once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from types import MappingProxyType

from sqlmodel import Session

from arrs_desk.domain.permissions import Action
from arrs_desk.domain.regulators import EvidenceKind, RegulatorRules, builtin_rules
from arrs_desk.domain.revalidation import Assessment, CpdMethod
from arrs_desk.services import evidence
from arrs_desk.services._common import require
from arrs_desk.services.actor import Actor
from arrs_desk.services.relationships import relationship
from arrs_desk.services.revalidation import files, records, sources, writes
from arrs_desk.services.revalidation.views import CpdInput, CpdSource, EvidenceInput, PersonRevalidation, StatusRow
from arrs_desk.services.shared_reads import shared, shared_reads
from arrs_desk.store.database import Database

TABLES = {"cpd": "cpd_entry", "evidence": "revalidation_evidence"}
"""What the screens call the two kinds of entry, and their tables."""


class RevalidationService:
    def __init__(self, db: Database, today: Callable[[], date], rules: RegulatorRules | None = None,
                 evidence_root: Callable[[], Path] | None = None):
        self._db = db
        self._today = today
        self._rules = rules or builtin_rules()
        self._evidence_root = evidence.evidence_folder(evidence_root)

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
        verdicts = self.assessed(actor)
        with self._db.read() as session:
            return records.read_statuses(session, actor, self._today(), self._rules, verdicts)

    @shared
    def warnings(self, actor: Actor) -> list[StatusRow]:
        """For Home: the actor's own cycle and their team's, once a warning day is reached or overdue."""
        verdicts = self.assessed(actor)
        with self._db.read() as session:
            return records.read_warnings(session, actor, self._today(), self._rules, verdicts)

    @shared
    def assessed(self, actor: Actor) -> Mapping[int, Assessment]:
        """Each person on a register whom the actor may see, in post or in induction, by id: read by
        this page, Home's warnings and the Assurance matrix alike, so worked out once per change
        (every CPD entry and piece of evidence of thousands of people)."""
        today = self._today()

        _, verdicts = shared_reads(self._db).by_person_in_a_session(("revalidation.assessed", actor, today),
                                                                    records.read_assessed, actor, today, self._rules)
        return MappingProxyType(verdicts)

    def sources(self, actor: Actor, *, staff_id: int) -> list[CpdSource]:
        """The person's supervision sessions, training records, programmes and completed induction
        items, newest first, for filling a CPD entry from one of them."""
        today = self._today()
        with self._db.read() as session:
            require(actor, Action.RECORD_CPD, relationship(session, actor, staff_id, today))
            return sources.list_sources(session, staff_id)

    def _run(self, actor: Actor, change: Callable[[Session, date], int]) -> PersonRevalidation:
        today = self._today()
        with self._db.write() as session:
            staff_id = change(session, today)
            session.flush()
            return records.read_person(session, actor, today, self._rules, staff_id=staff_id)

    def add_cpd(self, actor: Actor, *, data: CpdInput) -> PersonRevalidation:
        return self._run(actor, lambda s, t: writes.add_cpd(s, actor, t, data, self._rules).staff_id)

    def update_cpd(self, actor: Actor, *, entry_id: int, data: CpdInput, expected_version: int) -> PersonRevalidation:
        return self._run(actor, lambda s, t: writes.update_cpd(s, actor, t, self._rules, entry_id=entry_id, data=data,
                                                               expected_version=expected_version).staff_id)

    def add_evidence(self, actor: Actor, *, data: EvidenceInput) -> PersonRevalidation:
        return self._run(actor, lambda s, t: writes.add_evidence(s, actor, t, data, self._rules).staff_id)

    def update_evidence(self, actor: Actor, *, evidence_id: int, data: EvidenceInput,
                        expected_version: int) -> PersonRevalidation:
        return self._run(actor, lambda s, t: writes.update_evidence(s, actor, t, self._rules, evidence_id=evidence_id,
                                                                    data=data,
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
                row = writes.add_cpd(session, recorder, today, data, self._rules) if cpd else \
                    writes.add_evidence(session, recorder, today, data, self._rules)
                if verifier is not None:
                    writes.verify(session, verifier, today, table="cpd_entry" if cpd else "revalidation_evidence",
                                  row_id=row.id, expected_version=row.version)
        return len(items)

    def delete_cpd(self, actor: Actor, *, entry_id: int, expected_version: int) -> None:
        """Remove the entry and its files."""
        self._delete(actor, "cpd_entry", entry_id, expected_version)

    def delete_evidence(self, actor: Actor, *, evidence_id: int, expected_version: int) -> None:
        """Remove the evidence and its files."""
        self._delete(actor, "revalidation_evidence", evidence_id, expected_version)

    def _delete(self, actor: Actor, table: str, row_id: int, expected_version: int) -> None:
        with self._db.write() as session:
            digests = writes.delete(session, actor, self._today(), table=table, row_id=row_id,
                                    expected_version=expected_version)
            gone = files.unused(session, digests)
        evidence.delete_stored(self._evidence_root, gone)  # after the commit: a rolled-back removal keeps them

    # --- files ---------------------------------------------------------------------------
    def attach_file(self, actor: Actor, *, kind: str, entry_id: int, source: Path) -> PersonRevalidation:
        """Attach a certificate or reflection document to a CPD entry (`kind` "cpd") or evidence."""
        staff_id = files.attach(self._db, self._evidence_root, actor, self._today(), table=TABLES[kind],
                                row_id=entry_id, source=source)
        return self.person(actor, staff_id=staff_id)

    def file_path(self, actor: Actor, *, file_id: int) -> Path:
        """The stored copy, for opening in the system viewer."""
        return files.stored_file(self._db, self._evidence_root, actor, self._today(), file_id)

    def remove_file(self, actor: Actor, *, file_id: int) -> PersonRevalidation:
        today = self._today()
        with self._db.write() as session:
            staff_id, digest = files.remove(session, actor, today, file_id)
            session.flush()
            gone = files.unused(session, {digest})
            record = records.read_person(session, actor, today, self._rules, staff_id=staff_id)
        evidence.delete_stored(self._evidence_root, gone)
        return record
