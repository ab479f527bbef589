"""Staff records: the list, one person's record, and every change to them.

Views receive plain read shapes (`StaffRow`, `StaffRecord`), never table rows, so nothing a
view holds can lazily reach back into the database.

Why one module of just over 600 lines: a staff record's validation (`_validated`, about 190 lines)
is the one place every way in (editor, import, record bundle) checks a record, and it reads through
the lookups defined here, which the import preloads. The lookups (about 110 lines) are the next
thing to move out, to `staff_lookups`, if this grows again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TypeVar

from sqlalchemy import func, insert, select
from sqlmodel import Session

from arrs_desk.domain import staff as rules
from arrs_desk.domain.catalogue import builtin_catalogue
from arrs_desk.domain.dates import add_months, format_uk
from arrs_desk.domain.regulators import builtin_rules, renewal_too_far
from arrs_desk.domain.permissions import AccessRole, Action, denial
from arrs_desk.domain.registration import normalise_registration_number, registration_problem
from arrs_desk.domain.staff import EmploymentModel, OrganisationKind, StaffStatus
from arrs_desk.errors import ValidationError
from arrs_desk.services import audit, induction, reference
from arrs_desk.services._common import apply_update, clean_text, get_or_404, require, stale_edit
from arrs_desk.services.actor import Actor
from arrs_desk.services.choices import Choice  # other services still import it from here
from arrs_desk.services.relationships import is_manager_of, relationship, visible_staff_ids
from arrs_desk.services.staff_rows import STAFF_LIST_COLUMNS, StaffRow, build_staff_rows  # noqa: F401  (StaffRow re-exported)
from arrs_desk.store.bulk import insert_with_ids
from arrs_desk.store.database import Database
from arrs_desk.store.models import Organisation, Role, Staff, StaffPractice, utcnow

Holder = tuple[int, str, str]
"""(staff id, given name, family name) of the person already holding an e-mail or registration."""


@dataclass
class StaffInput:
    """What the staff editor (or an import) asks to save. Create and update share it."""

    given_name: str = ""
    family_name: str = ""
    role_code: str = ""
    employer_id: int | None = None
    employment_model: str = EmploymentModel.PCN.value
    start_date: date | None = None
    practice_ids: list[int] = field(default_factory=list)
    preferred_name: str = ""
    end_date: date | None = None
    leaving_reason: str = ""
    afc_band: str = ""
    hours_per_week: float | None = None
    line_manager_id: int | None = None
    register_code: str = ""
    registration_number: str = ""
    registration_renewal: date | None = None
    email: str = ""
    status: str = StaffStatus.ACTIVE.value
    title: str = ""  # Dr, Mrs, Mx…: printed on letters and packs, never glued into a listed name
    employee_number: str = ""  # the employer's HR or payroll number; unique at that employer


@dataclass(frozen=True)
class StaffRecord:
    id: int
    version: int
    data: StaffInput
    role_title: str
    employer_name: str
    practice_names: tuple[str, ...]
    line_manager_name: str
    whole_time_equivalent: float | None
    can_edit: bool = True  # whether the reader may change it (a starter reads their own record)

    @property
    def display_name(self) -> str:
        return rules.display_name(self.data.given_name, self.data.family_name, self.data.preferred_name)

    @property
    def formal_name(self) -> str:
        """With the title, for letters, certificates and signature pages: 'Dr Priya Patel'."""
        return rules.formal_name(self.data.title, self.data.given_name, self.data.family_name,
                                 self.data.preferred_name)


@dataclass(frozen=True)
class StaffFormChoices:
    """Everything the editor's drop-downs need, read in one go."""

    roles: tuple[Choice, ...]
    role_registers: dict[str, tuple[str, ...]]
    registers: tuple[Choice, ...]
    employers: tuple[Choice, ...]
    practices: tuple[Choice, ...]
    managers: tuple[Choice, ...]
    employment_models: tuple[Choice, ...]
    statuses: tuple[Choice, ...]
    bands: tuple[str, ...]
    leaving_reasons: tuple[str, ...]
    titles: tuple[str, ...] = rules.TITLES


_FIELDS = [f for f in StaffInput.__dataclass_fields__ if f != "practice_ids"]
RECORD_FIELDS = tuple(_FIELDS)
"""The columns of a staff row that a StaffInput carries (all but the practices)."""


_Row = TypeVar("_Row")


class StaffLookups:
    """What validating a record asks the database, one query per question: right for one save.
    The rows it loads are held while it lives, so the record the save hands back finds its role
    and line manager in the session instead of asking again (a round trip each across sites)."""

    def __init__(self, session: Session):
        self.session = session
        self.held: list = []

    def _held(self, row: _Row) -> _Row:
        self.held.append(row)
        return row

    def role(self, code: str) -> Role | None:
        return self._held(self.session.get(Role, code))

    def organisation(self, org_id: int) -> Organisation | None:
        return self._held(self.session.get(Organisation, org_id))

    def organisation_kinds(self, org_ids: list[int]) -> dict[int, str]:
        return dict(self.session.execute(
            select(Organisation.id, Organisation.kind).where(Organisation.id.in_(org_ids))
        ).all())

    def staff_exists(self, staff_id: int) -> bool:
        return self._held(self.session.get(Staff, staff_id)) is not None

    def registration_holder(self, register_code: str, number: str, staff_id: int | None) -> Holder | None:
        row = self.session.execute(
            select(Staff.id, Staff.given_name, Staff.family_name).where(
                Staff.register_code == register_code, Staff.registration_number == number,
                Staff.id != (staff_id or -1),
            )
        ).first()
        return (row[0], row[1], row[2]) if row else None

    def email_holder(self, email: str, staff_id: int | None) -> Holder | None:
        row = self.session.execute(
            select(Staff.id, Staff.given_name, Staff.family_name).where(
                func.lower(Staff.email) == email, Staff.id != (staff_id or -1)
            )
        ).first()
        return (row[0], row[1], row[2]) if row else None

    def employee_number_holder(self, employer_id: int, number: str, staff_id: int | None) -> Holder | None:
        row = self.session.execute(
            select(Staff.id, Staff.given_name, Staff.family_name).where(
                Staff.employer_id == employer_id, Staff.employee_number == number, Staff.id != (staff_id or -1)
            )
        ).first()
        return (row[0], row[1], row[2]) if row else None

    def line_manager_of(self, staff_id: int) -> int | None:
        return self.session.execute(select(Staff.line_manager_id).where(Staff.id == staff_id)).scalar()


class PreloadedStaffLookups(StaffLookups):
    """Everything validation needs, read once: checking thousands of records in one transaction
    (an import) then costs a few queries in all, not several per record."""

    def __init__(self, session: Session):
        super().__init__(session)
        self._roles = {r.code: r for r in session.execute(select(Role)).scalars()}
        self._orgs = {o.id: o for o in session.execute(select(Organisation)).scalars()}
        self._managers: dict[int, int | None] = {}
        self._registrations: dict[tuple[str, str], list[Holder]] = {}
        self._emails: dict[str, list[Holder]] = {}
        self._employee_numbers: dict[tuple[int, str], list[Holder]] = {}
        for sid, given, family, register, number, email, employer, employee_number, manager in session.execute(select(
            Staff.id, Staff.given_name, Staff.family_name, Staff.register_code, Staff.registration_number, Staff.email,
            Staff.employer_id, Staff.employee_number, Staff.line_manager_id,
        )):
            self._managers[sid] = manager
            holder = (sid, given, family)
            if register and number:
                self._registrations.setdefault((register, number), []).append(holder)
            if email:
                self._emails.setdefault(email.lower(), []).append(holder)
            if employee_number:
                self._employee_numbers.setdefault((employer, employee_number), []).append(holder)

    def role(self, code: str) -> Role | None:
        return self._roles.get(code)

    def organisation(self, org_id: int) -> Organisation | None:
        return self._orgs.get(org_id)

    def organisation_kinds(self, org_ids: list[int]) -> dict[int, str]:
        return {i: self._orgs[i].kind for i in org_ids if i in self._orgs}

    def staff_exists(self, staff_id: int) -> bool:
        return staff_id in self._managers

    def line_manager_of(self, staff_id: int) -> int | None:
        return self._managers.get(staff_id)

    def manager_map(self) -> dict[int, int | None]:
        """Each person's line manager, as read: who manages whom, without another query."""
        return self._managers

    def registration_holder(self, register_code: str, number: str, staff_id: int | None) -> Holder | None:
        return _other(self._registrations.get((register_code, number)), staff_id)

    def email_holder(self, email: str, staff_id: int | None) -> Holder | None:
        return _other(self._emails.get(email), staff_id)

    def employee_number_holder(self, employer_id: int, number: str, staff_id: int | None) -> Holder | None:
        return _other(self._employee_numbers.get((employer_id, number)), staff_id)


def _created(values: dict, practice_ids: list[int]) -> dict[str, list]:
    """`audit.diff({}, record)` for a new record, without its general machinery: every field set,
    dates as ISO text. An import writes thousands of these."""
    changes = {name: [None, value.isoformat() if isinstance(value, date) else value]
               for name, value in values.items() if value is not None}
    changes["practice_ids"] = [None, sorted(set(practice_ids))]
    return dict(sorted(changes.items()))


def _other(holders: list[Holder] | None, staff_id: int | None) -> Holder | None:
    """The first holder who is not the person being checked."""
    return next((h for h in holders or () if h[0] != staff_id), None)


class StaffService:
    def __init__(self, db: Database, today: Callable[[], date]):
        self._db = db
        self._today = today

    # --- reading ------------------------------------------------------------------------
    def list_rows(self, actor: Actor) -> list[StaffRow]:
        with self._db.read() as session:
            visible = visible_staff_ids(session, actor)
            stmt = select(*(getattr(Staff, name) for name in STAFF_LIST_COLUMNS))
            if visible is not None:
                stmt = stmt.where(Staff.id.in_(sorted(visible) or [-1]))
            orgs, roles, links, raw = self._db.rows_together(  # across sites: one round trip, not four
                session, select(Organisation.id, Organisation.name), select(Role.code, Role.title),
                select(StaffPractice.staff_id, StaffPractice.organisation_id), stmt)
            org_names, role_titles = dict(orgs), dict(roles)
            # Whoever manages a listed person is named even when the viewer may not open their
            # record: a starter sees her own line manager, as her checklist does (issue 15).
            listed = {r[0] for r in raw}
            wanted = {r[STAFF_LIST_COLUMNS.index("line_manager_id")] for r in raw} - listed - {None}
            managers = {m.id: rules.display_name(m.given_name, m.family_name, m.preferred_name) for m in session.execute(
                select(Staff.id, Staff.given_name, Staff.family_name, Staff.preferred_name).where(Staff.id.in_(wanted))
            )} if wanted else {}
        return build_staff_rows(raw, org_names, role_titles, links, managers, today=self._today())

    def get(self, actor: Actor, *, staff_id: int) -> StaffRecord:
        with self._db.read() as session:
            rel = relationship(session, actor, staff_id)
            require(actor, Action.VIEW_STAFF, rel)
            record = self._record(session, get_or_404(session, Staff, staff_id, "staff member"))
        return replace(record, can_edit=denial(actor.roles, Action.EDIT_STAFF, rel) is None)

    def form_choices(self, actor: Actor) -> StaffFormChoices:
        catalogue = builtin_catalogue()
        with self._db.read() as session:
            every_role = session.execute(select(Role).order_by(Role.title)).scalars().all()
            orgs = session.execute(select(Organisation).where(Organisation.active).order_by(Organisation.name)).scalars().all()
            people_stmt = select(Staff.id, Staff.given_name, Staff.family_name, Staff.preferred_name, Staff.role_code) \
                .where(*reference.not_left_where(self._today()))
            if denial(actor.roles, Action.CREATE_STAFF) is not None:
                # Only those who add staff choose a line manager from everyone. Anyone else (a starter
                # opening their own record) was offered every colleague's name and role, though their
                # staff list shows only themselves: now the people they may see and their managers.
                seen = visible_staff_ids(session, actor, self._today()) or set()
                managers_of_seen = session.execute(select(Staff.line_manager_id).where(
                    Staff.id.in_(sorted(seen) or [-1]), Staff.line_manager_id.is_not(None))).scalars()
                people_stmt = people_stmt.where(Staff.id.in_(sorted(seen | set(managers_of_seen)) or [-1]))
            people = session.execute(people_stmt).all()
        roles = [r for r in every_role if r.active]
        role_titles = {r.code: r.title for r in every_role}
        managers = sorted(
            (Choice(pid, rules.display_name(g, f, p), role_titles.get(rc, rc)) for pid, g, f, p, rc in people),
            key=lambda c: rules.search_key(c.label),
        )
        return StaffFormChoices(
            roles=tuple(Choice(r.code, r.title, r.requirements) for r in roles),
            # every role's, retired ones too: a record kept on a retired role keeps its register in the editor
            role_registers={r.code: tuple(r.registers) for r in every_role},
            registers=tuple(Choice(r.code, r.name, r.expected) for r in catalogue.registers),
            employers=tuple(Choice(o.id, o.name, OrganisationKind(o.kind).label) for o in orgs),
            practices=tuple(Choice(o.id, o.name, o.ods_code) for o in orgs if o.kind == OrganisationKind.PRACTICE),
            managers=tuple(managers),
            employment_models=tuple(Choice(m.value, m.label) for m in EmploymentModel),
            statuses=tuple(Choice(s.value, s.label) for s in StaffStatus),
            bands=rules.AFC_BANDS,
            leaving_reasons=rules.LEAVING_REASONS,
        )

    # --- writing ------------------------------------------------------------------------
    def create(self, actor: Actor, *, data: StaffInput) -> StaffRecord:
        require(actor, Action.CREATE_STAFF)
        with self._db.write() as session:
            look = StaffLookups(session)  # held to the end: the record handed back reads what it loaded
            values = self._validated(session, data, staff_id=None, lookups=look, actor=actor)
            staff_id = self.add_validated(session, actor, rows=[(values, data.practice_ids)])[0]
            return self._record(session, session.get(Staff, staff_id), practice_ids=data.practice_ids)

    def add_validated(self, session: Session, actor: Actor, *, rows: list[tuple[dict, list[int]]],
                      note: str = "") -> list[int]:
        """Insert records `_validated` has passed, inside the caller's transaction, and return their ids.

        Batched statements rather than one ORM object per row, so an import of thousands of records
        takes seconds; each still gets its practices, its audit entry and (for a new starter) its
        induction checklist. `note` ends each audit summary (e.g. where an import came from).
        """
        now = utcnow()
        table = Staff.__table__  # the table, not the ORM class: one batch, whichever fields are empty
        ids = insert_with_ids(session, table, [{**values, "created_at": now, "updated_at": now, "version": 1}
                                               for values, _ in rows])
        links = [{"staff_id": staff_id, "organisation_id": org_id}
                 for staff_id, (_, practice_ids) in zip(ids, rows) for org_id in sorted(set(practice_ids))]
        if links:
            session.execute(insert(StaffPractice), links)
        audit.record_many(session, [
            audit.entry_values(
                actor, "create", "staff", staff_id,
                f"Added {rules.display_name(values['given_name'], values['family_name'], values['preferred_name'])}{note}",
                _created(values, practice_ids), subject_staff_id=staff_id,
            )
            for staff_id, (values, practice_ids) in zip(ids, rows)
        ], by=actor)
        induction.make_starter_checklists(session, actor, [
            (staff_id, values["role_code"], values["start_date"],
             rules.display_name(values["given_name"], values["family_name"], values["preferred_name"]))
            for staff_id, (values, _) in zip(ids, rows) if values["status"] in induction.AUTO_CHECKLIST_STATUSES
        ])
        return ids

    def update(self, actor: Actor, *, staff_id: int, data: StaffInput, expected_version: int) -> StaffRecord:
        with self._db.write() as session:
            require(actor, Action.EDIT_STAFF, relationship(session, actor, staff_id))
            person = get_or_404(session, Staff, staff_id, "staff member")
            before = {name: getattr(person, name) for name in _FIELDS}
            before["practice_ids"] = sorted(self._practice_ids(session, staff_id))
            look = StaffLookups(session)  # held to the end: the record handed back reads what it loaded
            values = self._validated(session, data, staff_id=staff_id, lookups=look, actor=actor,
                                     stored=StaffInput(**{name: before[name] for name in _FIELDS}))
            after = {**values, "practice_ids": sorted(set(data.practice_ids))}
            changes = audit.diff(before, after)
            if not changes:  # saved as it was: nothing to write, and no version moved under others' feet
                if person.version != expected_version:
                    raise stale_edit("staff record")
                return self._record(session, person, practice_ids=before["practice_ids"])
            # The writer is checked as things stood before this save (`audit_chain`): someone
            # recording their own last day is not refused as a leaver by the record they save.
            audit.check_writer(session, actor)
            apply_update(session, person, values, expected_version, "staff record")
            self._set_practices(session, staff_id, data.practice_ids, current=before["practice_ids"])
            if before["start_date"] != person.start_date:
                induction.on_start_date_changed(session, person, before["start_date"])
            if changes:
                audit.record(
                    session, actor, "update", "staff", staff_id,
                    f"Updated {rules.display_name(person.given_name, person.family_name, person.preferred_name)}: "
                    + ", ".join(changes) + self._return_note(before, person), changes, subject_staff_id=staff_id,
                )
            return self._record(session, person, practice_ids=data.practice_ids)

    # --- internals ----------------------------------------------------------------------
    def _validated(self, session: Session, data: StaffInput, staff_id: int | None,
                   lookups: StaffLookups | None = None, *, actor: Actor | None = None,
                   stored: StaffInput | None = None) -> dict:
        """Check every field; collect all problems so the editor can mark each one at once.

        A clash with someone else's e-mail or registration names them only when `actor` may see
        their record: a line manager typing a number learns nothing about people outside their team.
        The checks for a mistyped year (a start or renewal too far ahead, a start before the NHS
        began) look only at a date that is new or changed from `stored`, the record as saved: a
        date kept from before the checks existed must not stop an edit of someone's employee number.
        """
        look = lookups or StaffLookups(session)

        def holder(clash: Holder) -> str:
            if actor is not None and denial(actor.roles, Action.VIEW_STAFF,
                                            relationship(session, actor, clash[0], self._today())) is None:
                return f"{clash[1]} {clash[2]}"
            return "another person on the staff list (an administrator can find who)"

        errors: dict[str, str] = {}
        today = self._today()
        given = clean_text(data.given_name)
        family = clean_text(data.family_name)
        preferred = clean_text(data.preferred_name)
        title = rules.normalise_title(clean_text(data.title))
        problem = rules.title_problem(title)
        if problem:
            errors["title"] = problem
        for name, value, label in (("given_name", given, "First name"), ("family_name", family, "Family name")):
            if not value:
                errors[name] = f"{label} is required."
            elif len(value) > 100:
                errors[name] = f"{label} is too long ({len(value)} characters); 100 is the most."
        if len(preferred) > 100:
            errors["preferred_name"] = "Preferred name is too long; 100 characters is the most."

        role = look.role(data.role_code) if data.role_code else None
        if role is None:
            errors["role_code"] = "Choose the person's role."
        employer = look.organisation(data.employer_id) if data.employer_id else None
        if employer is None:
            errors["employer_id"] = "Choose the employing organisation."
        try:
            model = EmploymentModel(data.employment_model)
        except ValueError:
            errors["employment_model"] = "Choose an employment model (practice-employed, PCN-employed, seconded, subcontracted or rotational)."
            model = None
        try:
            status = StaffStatus(data.status)
        except ValueError:
            errors["status"] = "Choose a status."
            status = None

        if data.start_date is None:
            errors["start_date"] = "Start date is required."
        elif data.start_date > add_months(today, 12) and (stored is None or data.start_date != stored.start_date):
            # 2062 typed for 2026 made a starter decades ahead
            errors["start_date"] = f"The start date ({format_uk(data.start_date)}) is more than a year ahead; check the year."
        elif (stored is None or data.start_date != stored.start_date) and (
                problem := rules.start_date_problem(data.start_date)):
            errors["start_date"] = problem
        problem = rules.date_order_problem(data.start_date, data.end_date)
        if problem:
            errors["end_date"] = problem
        leaving_reason = clean_text(data.leaving_reason)
        if status is StaffStatus.LEFT:
            if data.end_date is None:
                errors.setdefault("end_date", "Enter the date this person left.")
            elif data.end_date > today and "end_date" not in errors:
                # Left means gone: until their last day they are in post, and the end date alone
                # makes them Left the day after it (`rules.effective_status`).
                errors["status"] = (
                    f"The end date ({format_uk(data.end_date)}) is still to come, so this person has not left yet. "
                    "Keep their current status: from the day after their last day they count as Left.")
            if not leaving_reason:
                errors["leaving_reason"] = "Give the reason for leaving; it feeds the PCN's retention figures."
        elif status is not None and rules.has_left_by(data.end_date, today):  # a last day of today is still in post
            errors["status"] = (
                f"The end date ({format_uk(data.end_date)}) has passed, so the status should be Left. "
                "Set the status to Left, or clear the end date."
            )
        if len(leaving_reason) > 200:
            errors["leaving_reason"] = "Leaving reason is too long; 200 characters is the most."

        practice_ids = sorted(set(data.practice_ids))
        if not practice_ids:
            errors["practice_ids"] = "Choose at least one practice where this person is based."
        else:
            kinds = look.organisation_kinds(practice_ids)
            if any(kinds.get(pid) != OrganisationKind.PRACTICE for pid in practice_ids):
                errors["practice_ids"] = "Base practices must be GP practices in this PCN."

        afc_band = clean_text(data.afc_band)
        if afc_band and afc_band not in rules.AFC_BANDS:
            errors["afc_band"] = f"'{afc_band}' is not an Agenda for Change band. Choose from {', '.join(rules.AFC_BANDS)}."
        hours = data.hours_per_week
        if hours is not None and not (0 < hours <= 60):
            errors["hours_per_week"] = "Working hours must be more than 0 and at most 60 a week."
        elif hours is not None and round(hours, 2) != hours:  # the editor shows two places: more would change on save
            errors["hours_per_week"] = f"Give working hours to at most two decimal places (e.g. 18.75), not {hours:g}."

        manager_id = data.line_manager_id
        if staff_id is None and actor is not None and not actor.has(AccessRole.ADMINISTRATOR):
            # A line manager adds people to their own team only (issue 16), and people they add or
            # import stay on their list (issue 15): the line manager is them unless they say otherwise.
            if actor.staff_id is None:
                errors["line_manager_id"] = ("Your account is not linked to a staff record, so the people you add "
                                             "would have no line manager. Ask an administrator to link it, or to add them.")
            elif manager_id is None:
                manager_id = actor.staff_id
            elif manager_id != actor.staff_id:
                errors["line_manager_id"] = ("You can add people to your own team only: leave yourself as their line "
                                             "manager, or ask an administrator to place them under another manager.")
        elif (staff_id is not None and actor is not None and not actor.has(AccessRole.ADMINISTRATOR)
              and not actor.sole_user and manager_id is not None and manager_id != actor.staff_id
              and manager_id != session.get(Staff, staff_id).line_manager_id
              and (actor.staff_id is None or not is_manager_of(session, actor.staff_id, manager_id))):
            # Nor can they hand someone to a manager outside their own part of the tree (issue 16).
            errors["line_manager_id"] = ("You can move people only to yourself or to a manager in your own team; ask an "
                                         "administrator to place them under another manager.")
        if manager_id is not None and "line_manager_id" not in errors:
            if not look.staff_exists(manager_id):
                errors["line_manager_id"] = "The chosen line manager is not on the staff list."
            elif staff_id is not None and manager_id == staff_id:
                errors["line_manager_id"] = "A person cannot be their own line manager."
            elif staff_id is not None and self._would_loop(look, staff_id, manager_id):
                errors["line_manager_id"] = (
                    "That would make a loop: the chosen line manager already reports to this person."
                )

        register_code = clean_text(data.register_code)
        number = normalise_registration_number(data.registration_number or "")
        if role is not None:
            allowed = tuple(role.registers)
            if register_code and register_code not in allowed:
                errors["register_code"] = (
                    f"A {role.title.lower()} is not registered with that register."
                    + (f" Choose one of: {', '.join(allowed)}." if allowed else " This role has no professional register.")
                )
            elif not register_code and number:
                errors["register_code"] = "Choose the register this number belongs to."
            elif role.registration_required and not number:
                errors["registration_number"] = f"A {role.title.lower()} must be registered: enter the registration number."
        if register_code and "register_code" not in errors:
            register = builtin_catalogue().register(register_code)
            if register is None:
                errors["register_code"] = "Unknown register."
            else:
                problem = registration_problem(register, data.registration_number or "")
                if problem:
                    errors["registration_number"] = problem
                else:
                    clash = look.registration_holder(register_code, number, staff_id)
                    if clash:
                        errors["registration_number"] = (
                            f"{number} is already recorded for {holder(clash)}. "
                            "Check the number, or open that record instead."
                        )
        if data.registration_renewal is not None and not number:
            errors["registration_renewal"] = "A renewal date needs a registration number."
        elif (data.registration_renewal is not None and register_code and "register_code" not in errors
              and (stored is None or (data.registration_renewal, register_code)
                   != (stored.registration_renewal, stored.register_code))):
            problem = renewal_too_far(builtin_rules(), register_code, data.registration_renewal, today)
            if problem:
                errors["registration_renewal"] = problem

        email = clean_text(data.email).lower()
        problem = rules.email_problem(email)
        if problem:
            errors["email"] = problem
        elif email:
            clash = look.email_holder(email, staff_id)
            if clash:
                errors["email"] = f"{email} is already the email address of {holder(clash)}."

        employee_number = clean_text(data.employee_number)
        if len(employee_number) > 30:
            errors["employee_number"] = "An employee number is at most 30 characters."
        elif employee_number and employer is not None:
            clash = look.employee_number_holder(employer.id, employee_number, staff_id)
            if clash:
                errors["employee_number"] = (f"{employer.name} has already given employee number {employee_number} to "
                                             f"{holder(clash)}. Check the number, or open that record instead.")

        if errors:
            raise ValidationError(errors)
        return dict(
            title=title, given_name=given, family_name=family, preferred_name=preferred, role_code=role.code,
            employer_id=employer.id, employment_model=model.value, start_date=data.start_date,
            # a leaving reason may be given with a last day still to come (kept for the retention figures)
            end_date=data.end_date, leaving_reason=leaving_reason if status is StaffStatus.LEFT or data.end_date else "",
            afc_band=afc_band, hours_per_week=hours, line_manager_id=manager_id,
            register_code=register_code, registration_number=number if register_code else "",
            registration_renewal=data.registration_renewal, email=email, status=status.value,
            employee_number=employee_number or None,
        )

    def _return_note(self, before: dict, person: Staff) -> str:
        """When a leaver comes back (a new start date after their last day), what the audit trail
        keeps of the employment before: the record holds one employment's dates and leaving reason,
        and the return clears them, so the trail says what the return followed."""
        end = before["end_date"]
        if (end is None or person.start_date <= end or rules.effective_status(
                before["status"], before["start_date"], end, self._today()) is not StaffStatus.LEFT):
            return ""
        reason = f" (left for: {before['leaving_reason']})" if before["leaving_reason"] else ""
        return (f"; came back: starts again on {format_uk(person.start_date)}, after an earlier employment from "
                f"{format_uk(before['start_date'])} to {format_uk(end)}{reason}")

    @staticmethod
    def _would_loop(look: StaffLookups, staff_id: int, manager_id: int) -> bool:
        current: int | None = manager_id
        for _ in range(50):
            if current is None:
                return False
            if current == staff_id:
                return True
            current = look.line_manager_of(current)
        return True

    @staticmethod
    def _practice_ids(session: Session, staff_id: int) -> list[int]:
        return list(session.execute(
            select(StaffPractice.organisation_id).where(StaffPractice.staff_id == staff_id)
        ).scalars())

    def _set_practices(self, session: Session, staff_id: int, practice_ids: list[int],
                       current: Iterable[int] | None = None) -> None:
        """`current`: the practices as this transaction has just read them, if it has."""
        wanted = set(practice_ids)
        current = set(self._practice_ids(session, staff_id) if current is None else current)
        for org_id in current - wanted:
            session.delete(session.get(StaffPractice, (staff_id, org_id)))
        for org_id in sorted(wanted - current):
            session.add(StaffPractice(staff_id=staff_id, organisation_id=org_id))
        session.flush()

    def _record(self, session: Session, person: Staff, practice_ids: Iterable[int] | None = None) -> StaffRecord:
        """The record as the editor shows it. `practice_ids`: the practices as this transaction has
        just read or written them (each read again is a round trip across sites)."""
        practice_ids = sorted(set(self._practice_ids(session, person.id) if practice_ids is None else practice_ids))
        orgs = dict(session.execute(select(Organisation.id, Organisation.name)).all())
        role = session.get(Role, person.role_code)
        manager = session.get(Staff, person.line_manager_id) if person.line_manager_id else None
        data = StaffInput(**{name: getattr(person, name) for name in _FIELDS}, practice_ids=practice_ids)
        data.employee_number = data.employee_number or ""
        # The status the record has today, as every list shows it: the editor offers a starter whose
        # day has come as in induction, and a leaver whose last day has passed as Left.
        data.status = rules.effective_status(person.status, person.start_date, person.end_date, self._today()).value
        return StaffRecord(
            id=person.id, version=person.version, data=data,
            role_title=role.title if role else person.role_code,
            employer_name=orgs.get(person.employer_id, ""),
            practice_names=tuple(orgs.get(i, "") for i in practice_ids),
            line_manager_name=rules.display_name(manager.given_name, manager.family_name, manager.preferred_name) if manager else "",
            whole_time_equivalent=rules.whole_time_equivalent(person.hours_per_week),
        )


