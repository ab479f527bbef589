"""Reading training: the people x subjects matrix with compliance per subject and practice, and one
person's training. A handful of queries whatever the size (staff, their practices, roles, and the
completions of the people shown); the states are worked out in Python from the small set of
completions each person has, by the rules in `domain.training`.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import func, select
from sqlmodel import Session

from arrs_desk.domain.dates import stored_date
from arrs_desk.domain.staff import display_name, in_post, search_key
from arrs_desk.domain.training import (
    Completion, Subject, SubjectsFile, TrainingState, TrainingStatus, percent, training_state,
)
from arrs_desk.services import reference
from arrs_desk.services.raw_rows import as_stored
from arrs_desk.services.relationships import visible_staff_ids
from arrs_desk.services.actor import Actor
from arrs_desk.services.training.views import (
    Compliance, MatrixRow, PersonTraining, SubjectColumn, TrainingMatrix, TrainingRecordRow,
)
from arrs_desk.store.models import Role, Staff, TrainingRecord

# Who the matrix counts: people in post (`domain.staff.in_post`: not before their start, not after they left).


def columns(rules: SubjectsFile) -> tuple[SubjectColumn, ...]:
    return tuple(SubjectColumn(s.code, s.title, s.short, tuple(level.level for level in s.levels)) for s in rules.subjects)


def newest_per_level(session: Session, staff_ids: list[int] | None,
                     today: date) -> dict[int, dict[str, tuple[tuple[int, object], ...]]]:
    """The newest completion of each level of each subject for each person, up to today, grouped
    by the database (`domain.training.latest_per_level` is the rule it follows; a test checks the two
    agree on generated data), as the database hands them over: (level, day) pairs in level order, the
    day as SQLite's ISO text or PostgreSQL's date. Kept raw because thousands of people share a
    subject's few hundred pairs: the matrix keys its states by them and makes `Completion`s only for
    pairs it has not met (at 5,000 staff, 48,000 rows read and about 9,300 states worked out)."""
    # Read untyped: SQLite returns the ISO text, which date.fromisoformat reads far faster than
    # SQLAlchemy's Date type; PostgreSQL's driver returns a date already.
    newest = as_stored(func.max(TrainingRecord.completed_on))
    stmt = (select(TrainingRecord.staff_id, TrainingRecord.subject_code, TrainingRecord.level, newest)
            .where(TrainingRecord.completed_on <= today)
            .group_by(TrainingRecord.staff_id, TrainingRecord.subject_code, TrainingRecord.level))
    if staff_ids is not None:
        stmt = stmt.where(TrainingRecord.staff_id.in_(staff_ids))
    found: dict[int, dict[str, tuple[tuple[int, object], ...]]] = {}
    # Plain rows, not the ORM's result handling: a tenth of the matrix's time at 5,000 staff.
    rows = session.connection().execute(stmt.order_by(TrainingRecord.staff_id, TrainingRecord.subject_code,
                                         TrainingRecord.level)).all()
    # Each subject code and each (level, day) pair made one object, shared by everyone who has it (the
    # driver hands over a new string per row): the matrix's 44,000 look-ups by them then find their
    # key by identity among a few thousand objects, rather than comparing text scattered over 48,000
    # rows (at 5,000 staff, ~20 ms less for ~5 ms more here).
    codes: dict[str, str] = {}
    pairs: dict[tuple[int, object], tuple[tuple[int, object]]] = {}
    for staff_id, code, level, completed_on in rows:
        mine = found.get(staff_id)
        if mine is None:
            mine = found[staff_id] = {}
        code = codes.setdefault(code, code)
        pair = pairs.get((level, completed_on))
        if pair is None:
            pair = pairs[level, completed_on] = ((level, completed_on),)
        had = mine.get(code)
        mine[code] = pair if had is None else had + pair  # a subject's further levels follow in order
    return found


def completions(pairs: tuple[tuple[int, object], ...]) -> list[Completion]:
    """`newest_per_level`'s pairs for one subject as the domain's completions."""
    return [Completion(level, stored_date(day)) for level, day in pairs]


def completions_by_person(session: Session, staff_ids: list[int] | None,
                          today: date) -> dict[int, dict[str, list[Completion]]]:
    """`newest_per_level` as the domain's completions, for reads of a few people."""
    return {staff_id: {code: completions(pairs) for code, pairs in subjects.items()}
            for staff_id, subjects in newest_per_level(session, staff_ids, today).items()}


def _compliance(label: str, in_date: int, required: int, target: int) -> Compliance:
    share = percent(in_date, required)
    return Compliance(label, in_date, required, share, share is not None and share >= target)


class _States(dict):
    """The states at one required level of the subjects with one set of refresher intervals
    (`Subject.intervals`; `subject` is the first of them met, standing for them all), keyed by a
    person's (level, day) pairs (`newest_per_level`), each worked out the first time it is asked
    for: thousands of people share a subject's few hundred completion days, so most states are
    worked out once per read (states are frozen). A plain dict lookup per cell, with no key to
    build beyond the person's pairs."""

    __slots__ = ("subject", "level", "today", "due_soon_days")

    def __init__(self, subject: Subject, level: int, today: date, due_soon_days: int):
        super().__init__()
        self.subject, self.level, self.today, self.due_soon_days = subject, level, today, due_soon_days

    def __missing__(self, pairs: tuple[tuple[int, object], ...]) -> TrainingState:
        state = self[pairs] = training_state(self.subject, self.level, completions(pairs), self.today,
                                             self.due_soon_days)
        return state


def matrix_rows(session: Session, actor: Actor, rules: SubjectsFile, today: date, only: frozenset[int] | None, *,
                practice_id: int | None = None, role_code: str | None = None) -> tuple[None, dict[int, MatrixRow]]:
    """The matrix's rows for the people in `only` it shows (everyone's for None), by person
    (`shared_reads.by_person`); `assemble` sorts and counts them."""
    visible = visible_staff_ids(session, actor, today)
    people = [p for p in reference.staff(session).values()
              if in_post(p.status, p.start_date, p.end_date, today) and (not role_code or p.role_code == role_code)
              and (visible is None or p.id in visible) and (only is None or p.id in only)]
    names = reference.practice_names(session)
    practices = reference.practices_by_staff(session)
    if practice_id is not None:
        people = [p for p in people if practice_id in practices.get(p.id, ())]
    placed: dict[tuple[int, ...], tuple[tuple[str, ...], tuple[int, ...]]] = {}
    """A person's practices -> (their names, their ids) in name order: a PCN has a few dozen
    combinations of practices, shared by thousands."""
    roles = {code: (role.title, role.clinical) for code, role in reference.roles(session).items()}
    done = newest_per_level(session, [p.id for p in people] if visible is not None or only is not None else None,
                            today)
    tables: dict[tuple[tuple, int], _States] = {}
    plans: dict[str, tuple[str, tuple[tuple[str, _States], ...]]] = {}

    def plan(role: str) -> tuple[str, tuple[tuple[str, _States], ...]]:
        """A role's title and, per subject, its code and its states at the level the role needs:
        worked out once per role rather than per person. Subjects with equal intervals share their
        states (at 5,000 staff, 9,300 worked out rather than 12,700)."""
        title, clinical = roles.get(role, (role, False))
        steps = []
        for s in rules.subjects:
            level = s.required_level(role, clinical)
            if (s.intervals, level) not in tables:
                tables[s.intervals, level] = _States(s, level, today, rules.due_soon_days)
            steps.append((s.code, tables[s.intervals, level]))
        return title, tuple(steps)

    nothing: dict[str, tuple[tuple[int, object], ...]] = {}
    rows = {}
    for person in people:
        if person.role_code not in plans:
            plans[person.role_code] = plan(person.role_code)
        title, steps = plans[person.role_code]
        mine = done.get(person.id, nothing)
        cells = tuple([states[mine.get(code, ())] for code, states in steps])
        own = practices.get(person.id, ())
        where = placed.get(own)
        if where is None:
            ids = tuple(sorted(own, key=lambda org: names.get(org, "").casefold()))
            where = placed[own] = (tuple(names.get(org, "") for org in ids), ids)
        rows[person.id] = MatrixRow(person.id, display_name(person.given_name, person.family_name, person.preferred_name),
                                    search_key(person.family_name, person.given_name), title, person.role_code,
                                    *where, cells)
    return None, rows


def assemble(rules: SubjectsFile, today: date, by_person: dict[int, MatrixRow]) -> TrainingMatrix:
    """The matrix from its rows: sorted by name, counted per subject, per practice and overall."""
    subjects = rules.subjects
    rows = sorted(by_person.values(), key=lambda r: (r.sort_name, r.staff_id))
    target = rules.target_percent
    # Each cell looked at once: 1 where it counts as in date, by its status (the rule asked once per
    # status, not for each of 50,000 cells); the subjects' counts are then the columns' sums.
    counts = {status: int(status.in_date) for status in TrainingStatus}
    flags = [[counts[cell.status] for cell in row.cells] for row in rows]
    per_subject = [sum(column) for column in zip(*flags)] or [0] * len(subjects)
    practice_names: dict[int, str] = {}
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    everyone = 0
    for row, mine in zip(rows, flags):
        in_date = sum(mine)
        everyone += in_date
        for org, name in zip(row.practice_ids, row.practices):
            practice_names[org] = name
            totals[org][0] += in_date
            totals[org][1] += len(mine)
    by_subject = tuple(_compliance(s.title, per_subject[i], len(rows), target) for i, s in enumerate(subjects))
    by_practice = tuple(_compliance(practice_names[org], *totals[org], target)
                        for org in sorted(totals, key=lambda o: practice_names[o].casefold()))
    overall = _compliance("Everyone shown", everyone, len(rows) * len(subjects), target)
    return TrainingMatrix(today, target, columns(rules), tuple(rows), by_subject, by_practice, overall,
                          f"{rules.source.title} ({rules.source.url}), checked {rules.checked_on:%d/%m/%Y}")


def records_of(session: Session, staff_id: int, rules: SubjectsFile) -> list[TrainingRecordRow]:
    titles = {s.code: s.title for s in rules.subjects}
    found = session.execute(select(TrainingRecord).where(TrainingRecord.staff_id == staff_id)
                            .order_by(TrainingRecord.completed_on.desc(), TrainingRecord.id.desc())).scalars()
    return [TrainingRecordRow(r.id, r.staff_id, r.subject_code, titles.get(r.subject_code, r.subject_code), r.level,
                              r.completed_on, r.provider, r.evidence, r.source, r.version) for r in found]


def person(session: Session, staff: Staff, rules: SubjectsFile, today: date, can_record: bool) -> PersonTraining:
    role = session.get(Role, staff.role_code)
    clinical = bool(role and role.clinical)
    mine = completions_by_person(session, [staff.id], today).get(staff.id, {})
    states = tuple((column, training_state(s, s.required_level(staff.role_code, clinical), mine.get(s.code, ()),
                                           today, rules.due_soon_days))
                   for column, s in zip(columns(rules), rules.subjects))
    return PersonTraining(staff.id, display_name(staff.given_name, staff.family_name, staff.preferred_name), states,
                          tuple(records_of(session, staff.id, rules)), can_record)
