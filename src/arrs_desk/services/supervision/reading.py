"""Reading supervision: the matrix of everyone the actor may see, one person's page, the form choices.

Each read gathers its facts once (`facts.gather_facts`) and turns them into rows
(`compliance`); nothing here writes.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from arrs_desk.domain import staff as staff_rules
from arrs_desk.domain.permissions import AccessRole, Action, Relationship, denial
from arrs_desk.domain.supervision import (
    STATUS_SEVERITY,
    ComplianceStatus,
    SessionFormat,
    expected_frequency,
    is_required,
    months_in_post,
    status_label,
)
from arrs_desk.services import reference
from arrs_desk.services._common import get_or_404, require
from arrs_desk.services.actor import Actor
from arrs_desk.services.relationships import (
    holds_relationships, managed_ids, relationship, supervisee_ids, visible_staff_ids,
)
from arrs_desk.services.shared_reads import shared, shared_reads
from arrs_desk.services.staff import Choice
from arrs_desk.services.supervision.base import SupervisionServiceBase
from arrs_desk.services.supervision.compliance import arrangement_rows, frequency_text, matrix_cells, type_columns
from arrs_desk.services.supervision.facts import gather_facts, load_catalogue
from arrs_desk.services.supervision.session_log import sessions_for
from arrs_desk.services.supervision.views import (
    Capabilities, MatrixCell, MatrixRow, PersonSupervision, SupervisionChoices, SupervisionMatrix,
)
from arrs_desk.store.models import ExternalPerson, Organisation, Role, Staff, StaffPractice


def _matrix_key(actor: Actor, today: date) -> tuple:
    """What the matrix's rows are kept under, person by person (`shared_reads.by_person`)."""
    return "supervision.matrix", actor, today


class SupervisionReading(SupervisionServiceBase):
    @shared
    def matrix(self, actor: Actor) -> SupervisionMatrix:
        """Every current member of staff the actor may see, by supervision type."""
        today = self._today()
        (types, due_soon), rows = shared_reads(self._db).by_person(
            _matrix_key(actor, today), lambda only: self._matrix_rows(actor, today, only))
        statuses = tuple(
            (s.value, status_label(s))
            for s in sorted(ComplianceStatus, key=lambda s: -STATUS_SEVERITY[s])
        )
        return SupervisionMatrix(today, due_soon, types, tuple(sorted(rows.values(), key=lambda r: (r.sort_key, r.staff_id))),
                                 statuses)

    def _matrix_rows(self, actor: Actor, today: date, only: frozenset[int] | None):
        """The matrix's columns and due-soon days, and the rows of the people in `only` it shows
        (everyone's for None), by person (`shared_reads.by_person`)."""
        with self._db.read() as session:
            visible = visible_staff_ids(session, actor, today)
            wanted = visible if only is None else (set(only) if visible is None else visible & only)
            facts = gather_facts(session, today, wanted, details=False)
            roles = {code: (role.title, role.arrs) for code, role in reference.roles(session).items()}
            org_names = reference.practice_names(session)
            practices = reference.practices_by_staff(session)
        types = type_columns(facts.catalogue)
        rows = {}
        kept_cells: dict = {}  # cells shared by everyone with equal inputs (`matrix_cells`)
        placed: dict[tuple[int, ...], tuple[tuple[int, ...], str]] = {}  # practices -> (ids by name, their names)
        for person in facts.people.values():
            if wanted is not None and person.id not in wanted:
                continue
            status = facts.statuses[person.id]  # `person.active_on(today)`, worked out once in `gather_facts`
            if status is staff_rules.StaffStatus.LEFT:
                continue
            cells = matrix_cells(facts, person, types, today, kept_cells)
            role_title, arrs = roles.get(person.role_code, (person.role_code, False))
            own = tuple(practices.get(person.id, ()))
            where = placed.get(own)
            if where is None:  # a PCN has a few dozen combinations of practices, shared by thousands
                ids = tuple(sorted(own, key=lambda i: org_names.get(i, "")))
                where = placed[own] = (ids, ", ".join(org_names.get(i, "") for i in ids))
            rows[person.id] = MatrixRow(
                staff_id=person.id, display_name=person.name, sort_key=staff_rules.search_key(person.name),
                role_code=person.role_code, role_title=role_title, arrs=arrs, practice_ids=where[0],
                practices=where[1], staff_status=status.value,
                cells=cells, worst=max((c.severity for c in cells), default=0),
            )
        return (types, facts.due_soon), rows

    def type_cells(self, actor: Actor, *, type_code: str, only: frozenset[int] | None = None) -> dict[int, MatrixCell]:
        """The matrix's cell of one supervision type for each person it shows (of `only`, or
        everyone's for None), by person: the Assurance page's check reads clinical supervision
        alone. Taken from the matrix when it is kept (Home reads it first); otherwise worked out for
        that type alone, from its arrangements and sessions only, by the same rules (`matrix_cells`
        decides each type's cell from that type's facts): a quarter of the matrix's time."""
        today = self._today()
        if shared_reads(self._db).has_rows(_matrix_key(actor, today)):
            matrix = self.matrix(actor)
            column = next((i for i, t in enumerate(matrix.types) if t.code == type_code), None)
            return {} if column is None else {r.staff_id: r.cells[column] for r in matrix.rows
                                              if only is None or r.staff_id in only}
        with self._db.read() as session:
            visible = visible_staff_ids(session, actor, today)
            wanted = visible if only is None else (set(only) if visible is None else visible & only)
            facts = gather_facts(session, today, wanted, details=False, types=frozenset({type_code}))
        types = tuple(t for t in type_columns(facts.catalogue) if t.code == type_code)
        if not types:
            return {}
        kept_cells: dict = {}
        return {person.id: matrix_cells(facts, person, types, today, kept_cells)[0]
                for person in facts.people.values()
                if (wanted is None or person.id in wanted)
                and facts.statuses[person.id] is not staff_rules.StaffStatus.LEFT}

    def person(self, actor: Actor, *, staff_id: int) -> PersonSupervision:
        """One person's arrangements and session log, with reflective notes only for those allowed."""
        today = self._today()
        with self._db.read() as session:
            rel = relationship(session, actor, staff_id, today)
            require(actor, Action.VIEW_STAFF, rel)
            staff = get_or_404(session, Staff, staff_id, "staff member")
            facts = gather_facts(session, today, {staff_id})
            person = facts.people[staff_id]
            role = session.get(Role, staff.role_code)
            practice_names = session.execute(
                select(Organisation.name).join(StaffPractice, StaffPractice.organisation_id == Organisation.id)
                .where(StaffPractice.staff_id == staff_id).order_by(Organisation.name)
            ).scalars().all()
            manager = facts.people.get(staff.line_manager_id) if staff.line_manager_id else None
            if staff.line_manager_id and manager is None:
                manager_row = session.get(Staff, staff.line_manager_id)
                manager_name = staff_rules.display_name(manager_row.given_name, manager_row.family_name,
                                                        manager_row.preferred_name) if manager_row else ""
            else:
                manager_name = manager.name if manager else ""
            sessions = sessions_for(session, actor, staff_id, rel, today)
        types = type_columns(facts.catalogue)
        can = Capabilities(
            arrange=denial(actor.roles, Action.ARRANGE_SUPERVISION, rel) is None,
            record=denial(actor.roles, Action.RECORD_SUPERVISION, rel) is None,
            read_reflections=denial(actor.roles, Action.READ_REFLECTIONS, rel) is None,
            write_reflections=denial(actor.roles, Action.WRITE_REFLECTIONS, rel) is None,
        )
        arrangements = arrangement_rows(facts, person, types, today)
        return PersonSupervision(
            staff_id=staff_id, display_name=person.name, role_code=staff.role_code,
            role_title=role.title if role else staff.role_code, practices=", ".join(practice_names),
            start_date=staff.start_date,
            staff_status=staff_rules.effective_status(staff.status, staff.start_date, staff.end_date, today).value,
            months_in_post=months_in_post(staff.start_date, today), line_manager=manager_name, today=today,
            types=types, cells=matrix_cells(facts, person, types, today), arrangements=arrangements,
            sessions=tuple(sessions), can=can,
        )

    def form_choices(self, actor: Actor, *, staff_id: int) -> SupervisionChoices:
        today = self._today()
        with self._db.read() as session:
            require(actor, Action.VIEW_STAFF, relationship(session, actor, staff_id, today))
            staff = get_or_404(session, Staff, staff_id, "staff member")
            catalogue = load_catalogue(session)
            role_titles = dict(session.execute(select(Role.code, Role.title)).all())
            everyone = session.execute(
                select(Staff.id, Staff.given_name, Staff.family_name, Staff.preferred_name, Staff.role_code,
                       Staff.status, Staff.start_date, Staff.end_date)
            ).all()
            externals = session.execute(
                select(ExternalPerson).where(ExternalPerson.active).order_by(ExternalPerson.name)
            ).scalars().all()
            current = {p[0] for p in everyone
                       if staff_rules.effective_status(p[5], p[6], p[7], today) is not staff_rules.StaffStatus.LEFT}
            people = [p for p in everyone if p[0] in current]
            # A session may be logged after an attendee's last day, for a day they were in post: those
            # who have left (with a known last day) are offered too, for the dialog to show by the date.
            recordable = recordable_people(
                session, actor, [p for p in everyone if p[0] in current or p[7] is not None], today)
        months = months_in_post(staff.start_date, today)
        expected: dict[str, str] = {}
        type_choices = []
        for code in catalogue.type_codes:
            stype = catalogue.type(code)
            frequency = expected_frequency(catalogue, code, staff.role_code, months)
            expected[code] = frequency_text(frequency)
            needed = is_required(catalogue, code, staff.role_code, months)
            hint = (f"{'Required' if needed else 'Optional'}: {frequency.label.lower()}" if frequency
                    else "Not expected at present")
            type_choices.append(Choice(code, stype.title, hint))

        def person_choice(p) -> Choice:
            return Choice(p[0], staff_rules.display_name(p[1], p[2], p[3]), role_titles.get(p[4], p[4]))

        colleagues = sorted((person_choice(p) for p in people if p[0] != staff_id),
                            key=lambda c: staff_rules.search_key(c.label))
        attendees = sorted((person_choice(p) for p in recordable if p[0] != staff_id),
                           key=lambda c: staff_rules.search_key(c.label))
        me = next((person_choice(p) for p in everyone if p[0] == staff_id), None)
        offered = {c.value for c in attendees}
        return SupervisionChoices(
            types=tuple(type_choices),
            frequencies=tuple(Choice(f.code, f.label) for f in (catalogue.frequency(d.code) for d in catalogue.frequencies)),
            expected=expected,
            colleagues=tuple(colleagues),
            externals=tuple(Choice(e.id, e.name, ", ".join(x for x in (e.job_title, e.organisation) if x))
                            for e in externals),
            formats=tuple(Choice(f.value, f.label) for f in SessionFormat),
            attendees=((me,) if me else ()) + tuple(attendees),
            attendee_dates={p[0]: (p[6], p[7]) for p in everyone if p[0] == staff_id or p[0] in offered},
        )


def recordable_people(session: Session, actor: Actor, people: list, today: date) -> list:
    """The people this actor may log sessions for, from two set queries rather than one
    relationship lookup per person (an administrator's list has everyone in it). In single-user
    mode the one user looks after everyone, as the service's own check has it (the list offered
    nobody else, so a group session could not be logged from the window)."""
    if actor.sole_user:
        return [p for p in people if denial(actor.roles, Action.RECORD_SUPERVISION,
                                            relationship(session, actor, p[0], today)) is None]
    if actor.staff_id is None:
        return []
    holds = holds_relationships(session, actor, today)
    managed = managed_ids(session, actor.staff_id) if holds and AccessRole.LINE_MANAGER in actor.roles else set()
    supervised = supervisee_ids(session, actor.staff_id, today) \
        if holds and AccessRole.SUPERVISOR in actor.roles else set()
    return [p for p in people if denial(actor.roles, Action.RECORD_SUPERVISION, Relationship(
        is_self=p[0] == actor.staff_id, manages=p[0] in managed, supervises=p[0] in supervised)) is None]
