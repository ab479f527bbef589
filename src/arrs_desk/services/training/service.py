"""`TrainingService`: the statutory and mandatory training matrix, a person's training, recording
and removing completions, the import from a learning system, and the exports (CSV, XLSX, ICS)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path

from arrs_desk import clock
from arrs_desk.domain.permissions import Action, denial
from arrs_desk.domain.training import TrainingStatus, percent, training_subjects
from arrs_desk.errors import ValidationError
from arrs_desk.services._common import get_or_404, require
from arrs_desk.services.actor import Actor
from arrs_desk.services.exports import SavedFile, save_audited
from arrs_desk.services.relationships import relationship, visible_staff_ids
from arrs_desk.services.shared_reads import Same, shared, shared_reads
from arrs_desk.services.training import importing, reading, writing
from arrs_desk.services.training.statuses import start_everyones
from arrs_desk.services.training.views import (
    PersonTraining, TrainingImportResult, TrainingInput, TrainingMatrix, TrainingSummary,
)
from arrs_desk.store.database import Database
from arrs_desk.store.models import Staff

FORMATS = {"csv": "CSV", "xlsx": "XLSX"}
_LAPSED = frozenset({TrainingStatus.EXPIRED, TrainingStatus.NEVER})


class TrainingService:
    def __init__(self, db: Database, today: Callable[[], date]):
        self._db = db
        self._today = today

    # ------------------------------------------------------------------ reading
    @shared
    def matrix(self, actor: Actor, *, practice_id: int | None = None, role_code: str | None = None) -> TrainingMatrix:
        """Everyone in post the actor may see, by subject; an administrator sees everyone."""
        today, rules = self._today(), training_subjects()

        _, rows = shared_reads(self._db).by_person_in_a_session(
            self._matrix_key(actor, today, rules, practice_id, role_code), reading.matrix_rows,
            actor, rules, today, practice_id=practice_id, role_code=role_code)
        return reading.assemble(rules, today, rows)

    def statuses(self, actor: Actor, *, only: frozenset[int] | None = None) -> dict[int, tuple[TrainingStatus, ...]]:
        """Each person's status per subject, in the matrix's order (of `only`, or everyone the
        matrix shows), worked out by the database (`statuses.status_codes`) and kept person by
        person: after a save, only those it touched are asked about again. People with the same
        statuses share one tuple."""
        today, rules = self._today(), training_subjects()
        _, rows = shared_reads(self._db).by_person_in_a_session(
            self._statuses_key(actor, today, rules), reading.statuses_by_person, actor, rules, today)
        return rows if only is None else {staff_id: mine for staff_id, mine in rows.items() if staff_id in only}

    def start_statuses(self, actor: Actor) -> None:
        """Start the database's part of everyone's `statuses` on a connection of its own, when they
        are not kept: a page that will ask for them (Home, the Assurance page) calls this first,
        and its own work meanwhile overlaps the database's (`statuses.start_everyones`)."""
        today, rules = self._today(), training_subjects()
        if shared_reads(self._db).has_rows(self._statuses_key(actor, today, rules)):
            return
        with self._db.read() as session:
            start_everyones(self._db, session, visible_staff_ids(session, actor, today), today, rules)

    @shared
    def summary(self, actor: Actor) -> TrainingSummary:
        """Home's card: who has training lapsed or due soon, and the share in date, from the
        statuses alone (the matrix's dates and levels are the Training page's to read)."""
        rules, statuses = training_subjects(), self.statuses(actor)
        # Thousands of people share a few hundred rows of statuses (the same object when read by the
        # database): each is looked into once, and counted as often as it is shared.
        shared_by = Counter(map(id, statuses.values()))
        lapsed = soon = in_date = 0
        for mine in {id(mine): mine for mine in statuses.values()}.values():
            times = shared_by[id(mine)]
            has_lapsed = not _LAPSED.isdisjoint(mine)
            lapsed += times * has_lapsed
            soon += times * (not has_lapsed and TrainingStatus.DUE_SOON in mine)
            in_date += times * sum(status.in_date for status in mine)
        return TrainingSummary(frozenset(statuses), lapsed, soon, percent(in_date, len(statuses) * len(rules.subjects)),
                               rules.target_percent)

    @staticmethod
    def _statuses_key(actor: Actor, today: date, rules) -> tuple:
        return "training.statuses", actor, today, Same(rules)

    @staticmethod
    def _matrix_key(actor: Actor, today: date, rules, practice_id: int | None = None,
                    role_code: str | None = None) -> tuple:
        """What the matrix's rows are kept under, person by person (`shared_reads.by_person`)."""
        return "training.matrix", actor, today, Same(rules), practice_id, role_code

    def person(self, actor: Actor, *, staff_id: int) -> PersonTraining:
        with self._db.read() as session:
            link = relationship(session, actor, staff_id)
            require(actor, Action.VIEW_STAFF, link)
            staff = get_or_404(session, Staff, staff_id, "staff member")
            return reading.person(session, staff, training_subjects(), self._today(),
                                  denial(actor.roles, Action.RECORD_TRAINING, link) is None)

    # ------------------------------------------------------------------ writing
    def record(self, actor: Actor, *, data: TrainingInput) -> PersonTraining:
        """Record one completion; returns the person's refreshed training."""
        with self._db.write() as session:
            writing.add(session, actor, data, training_subjects(), self._today())
        return self.person(actor, staff_id=data.staff_id)

    def record_many(self, actor: Actor, *, data: list[TrainingInput], source: str = "entered") -> int:
        """Several completions in one transaction (all or none), each checked and audited."""
        with self._db.write() as session:
            return len(writing.add_many(session, actor, data, training_subjects(), self._today(), source=source))

    def remove(self, actor: Actor, *, record_id: int, expected_version: int) -> PersonTraining:
        with self._db.write() as session:
            staff_id = writing.remove(session, actor, record_id, expected_version, training_subjects())
        return self.person(actor, staff_id=staff_id)

    def import_completions(self, actor: Actor, *, path: str | Path, sheet: str | None = None) -> TrainingImportResult:
        """All or nothing: any row with a problem and nothing is written (`ImportRejected` lists them)."""
        with self._db.write() as session:
            return importing.import_file(session, actor, path, training_subjects(), self._today(), sheet)

    # ------------------------------------------------------------------ exports
    def export(self, actor: Actor, *, path: Path | str, file_format: str = "csv", practice_id: int | None = None,
               role_code: str | None = None) -> SavedFile:
        from arrs_desk.reports.training_tables import write_training_csv, write_training_xlsx

        if file_format not in FORMATS:
            raise ValidationError.single("file_format", "Export the training matrix as CSV or Excel (XLSX).")
        matrix = self.matrix(actor, practice_id=practice_id, role_code=role_code)
        if file_format == "csv":
            def write(target: Path) -> int:
                return write_training_csv(target, matrix)
        else:
            def write(target: Path) -> int:
                return write_training_xlsx(target, matrix, title="Statutory and mandatory training")
        return save_audited(self._db, actor, path, record="training_matrix", what="the training matrix",
                            file_format=FORMATS[file_format], write=write, people=len(matrix.rows))

    def calendar(self, actor: Actor, *, path: Path | str, practice_id: int | None = None) -> SavedFile:
        """Refreshers due (and training expired or never done, placed on today) as all-day events.

        Each event's UID is stable for a person, subject and due date, so importing a newer file
        updates events rather than doubling them."""
        from icalendar import Calendar, Event

        matrix = self.matrix(actor, practice_id=practice_id)
        today = matrix.today
        cal = Calendar()
        cal.add("prodid", "-//ARRS Desk//Training due dates//EN")
        cal.add("version", "2.0")
        cal.add("method", "PUBLISH")
        cal.add("x-wr-calname", "Mandatory training due")
        events = 0
        for row in matrix.rows:
            for subject, state in zip(matrix.subjects, row.cells):
                if state.status is TrainingStatus.IN_DATE and state.due_on is None:
                    continue
                when = today if state.status in (TrainingStatus.EXPIRED, TrainingStatus.NEVER) else state.last_day
                if when is None:
                    continue
                event = Event()
                # The same event each time the file is made, so a calendar updates it rather than adding
                # another: never done has no date of its own (today's made a new event every day).
                stamp = f"{state.due_on:%Y%m%d}" if state.due_on else f"never-level-{state.required_level}"
                event.add("uid", f"training-{row.staff_id}-{subject.code}-{stamp}@arrs-desk")
                event.add("summary", f"{subject.title} (level {state.required_level}): {row.name}")
                event.add("description", state.reason)
                event.add("dtstart", when)
                event.add("dtstamp", clock.now())
                cal.add_component(event)
                events += 1
        data = cal.to_ical()

        def write(target: Path) -> int:
            target.write_bytes(data)
            return events
        return save_audited(self._db, actor, path, record="training_calendar", what="training due dates",
                            file_format="ICS", write=write, people=len(matrix.rows))

