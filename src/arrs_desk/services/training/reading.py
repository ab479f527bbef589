"""Reading training: the people x subjects matrix with compliance per subject and practice, and one
person's training. A handful of queries whatever the size (staff, their practices, roles, and the
completions of the people shown); the states are worked out in Python from the small set of
completions each person has, by the rules in `domain.training`.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from operator import attrgetter, getitem

from sqlalchemy import case, func, select
from sqlmodel import Session

from arrs_desk.domain.dates import stored_date
from arrs_desk.domain.staff import display_name, in_post, search_key
from arrs_desk.domain.training import (
    Completion, Subject, SubjectsFile, TrainingState, TrainingStatus, percent, training_state,
)
from arrs_desk.services import reference
from arrs_desk.services.raw_rows import Days, as_stored, plain_rows
from arrs_desk.services.relationships import visible_staff_ids
from arrs_desk.services.actor import Actor
from arrs_desk.services.training.statuses import MAX_SUBJECTS, Unpacked, status_codes
from arrs_desk.services.training.views import (
    Compliance, MatrixRow, PersonTraining, SubjectColumn, TrainingMatrix, TrainingRecordRow,
)
from arrs_desk.store.models import Role, Staff, TrainingRecord

# Who the matrix counts: people in post (`domain.staff.in_post`: not before their start, not after they left).


def columns(rules: SubjectsFile) -> tuple[SubjectColumn, ...]:
    return tuple(SubjectColumn(s.code, s.title, s.short, tuple(level.level for level in s.levels)) for s in rules.subjects)


def _newest_statement(staff_ids: list[int] | None, today: date, subject=TrainingRecord.subject_code):
    """The newest completion of each level of each subject for each person, up to today, grouped
    by the database (`domain.training.latest_per_level` is the rule it follows; a test checks the two
    agree on generated data), in person, subject and level order; the subject as `subject` reads it."""
    # Read untyped: SQLite returns the ISO text, which date.fromisoformat reads far faster than
    # SQLAlchemy's Date type; PostgreSQL's driver returns a date already.
    newest = as_stored(func.max(TrainingRecord.completed_on))
    stmt = (select(TrainingRecord.staff_id, subject, TrainingRecord.level, newest)
            .where(TrainingRecord.completed_on <= today)
            .group_by(TrainingRecord.staff_id, TrainingRecord.subject_code, TrainingRecord.level))
    if staff_ids is not None:
        stmt = stmt.where(TrainingRecord.staff_id.in_(staff_ids))
    return stmt.order_by(TrainingRecord.staff_id, TrainingRecord.subject_code, TrainingRecord.level)


def newest_per_level(session: Session, staff_ids: list[int] | None, today: date,
                     subjects: tuple[Subject, ...]) -> dict[int, list[tuple[tuple[int, object], ...]]]:
    """`_newest_statement`'s completions laid out for the matrix: per person, one entry per subject
    of `subjects` in their order, the subject's (level, day) pairs in level order (() if none), the
    day as SQLite's ISO text or PostgreSQL's date. Kept raw because thousands of people share a
    subject's few hundred pairs: the matrix keys its states by them and makes `Completion`s only for
    pairs it has not met (at 5,000 staff, 48,000 rows read and about 9,300 states worked out). By
    position, not by code, so that a person's cells are one pass over their entries beside their
    role's states (`matrix_rows`). Completions of subjects no longer in the file have no column."""
    none = [()] * len(subjects)
    found: dict[int, list[tuple[tuple[int, object], ...]]] = {}
    # The subject as its position, worked out by the database: a small int, where the driver would
    # make a new string for each of 48,000 rows for a dict to look up here (NULL: not in the file).
    position = case({s.code: i for i, s in enumerate(subjects)}, value=TrainingRecord.subject_code)
    # Plain rows, not the ORM's result handling: a tenth of the matrix's time at 5,000 staff.
    rows = plain_rows(session, _newest_statement(staff_ids, today, position))
    # Each (level, day) pair made one object, shared by everyone who has it: the matrix's 48,000
    # look-ups by them then find their key by identity among a few thousand objects.
    pairs: dict[tuple[int, object], tuple[tuple[int, object]]] = {}
    current, mine = None, none
    for staff_id, i, level, completed_on in rows:
        if staff_id != current:  # rows come person by person (ORDER BY staff_id first)
            current, mine = staff_id, none.copy()
            found[staff_id] = mine
        if i is None:
            continue
        pair = pairs.get((level, completed_on))
        if pair is None:
            pair = pairs[level, completed_on] = ((level, completed_on),)
        had = mine[i]
        mine[i] = had + pair if had else pair  # a subject's further levels follow in order
    return found


def completions_by_person(session: Session, staff_ids: list[int] | None,
                          today: date) -> dict[int, dict[str, list[Completion]]]:
    """`_newest_statement`'s completions as the domain's, by person and subject code, for reads of
    a few people."""
    found: dict[int, dict[str, list[Completion]]] = {}
    for staff_id, code, level, completed_on in plain_rows(session, _newest_statement(staff_ids, today)):
        found.setdefault(staff_id, {}).setdefault(code, []).append(Completion(level, stored_date(completed_on)))
    return found


def _compliance(label: str, in_date: int, required: int, target: int) -> Compliance:
    share = percent(in_date, required)
    return Compliance(label, in_date, required, share, share is not None and share >= target)


class _States(dict):
    """The states at one required level of the subjects with one set of refresher intervals
    (`Subject.intervals`; `subject` is the first of them met, standing for them all), keyed by a
    person's (level, day) pairs (`newest_per_level`), each worked out the first time it is asked
    for: thousands of people share a subject's few hundred completion days, so most states are
    worked out once per read (states are frozen). A plain dict lookup per cell, with no key to
    build beyond the person's pairs. `days`, shared by all of one read's states, makes each stored
    day a date once."""

    __slots__ = ("subject", "level", "today", "due_soon_days", "days")

    def __init__(self, subject: Subject, level: int, today: date, due_soon_days: int, days: Days):
        super().__init__()
        self.subject, self.level, self.today, self.due_soon_days, self.days = subject, level, today, due_soon_days, days

    def __missing__(self, pairs: tuple[tuple[int, object], ...]) -> TrainingState:
        days = self.days
        state = self[pairs] = training_state(self.subject, self.level,
                                             [Completion(level, days[day]) for level, day in pairs],
                                             self.today, self.due_soon_days)
        return state


def matrix_rows(session: Session, actor: Actor, rules: SubjectsFile, today: date, only: frozenset[int] | None, *,
                practice_id: int | None = None, role_code: str | None = None) -> tuple[None, dict[int, MatrixRow]]:
    """The matrix's rows for the people in `only` it shows (everyone's for None), by person
    (`shared_reads.by_person`); `assemble` sorts and counts them."""
    people, states, practices = _people_states(session, actor, rules, today, only, practice_id, role_code)
    names = reference.practice_names(session)
    titles = {code: role.title for code, role in reference.roles(session).items()}
    placed: dict[tuple[int, ...], tuple[tuple[str, ...], tuple[int, ...]]] = {}
    """A person's practices -> (their names, their ids) in name order: a PCN has a few dozen
    combinations of practices, shared by thousands."""
    rows = {}
    for person in people:
        own = practices.get(person.id, ())
        where = placed.get(own)
        if where is None:
            ids = tuple(sorted(own, key=lambda org: names.get(org, "").casefold()))
            where = placed[own] = (tuple(names.get(org, "") for org in ids), ids)
        rows[person.id] = MatrixRow(person.id, display_name(person.given_name, person.family_name, person.preferred_name),
                                    search_key(person.family_name, person.given_name),
                                    titles.get(person.role_code, person.role_code), person.role_code,
                                    *where, states[person.id])
    return None, rows


def statuses_by_person(session: Session, actor: Actor, rules: SubjectsFile, today: date,
                       only: frozenset[int] | None) -> tuple[None, dict[int, tuple[TrainingStatus, ...]]]:
    """Each matrix row's statuses, by person (of `only`, or everyone the matrix shows for None),
    worked out by the database (`statuses.status_codes`) without the dates and levels behind them:
    what Home's card and the Assurance page's training check read."""
    if only is not None and not only:  # kept, and nobody's changed since
        return None, {}
    people, _practices, everyone = _shown(session, actor, today, only, None, None, practices=False)
    if len(rules.subjects) > MAX_SUBJECTS:  # too many to pack into one number: the matrix's way
        states = _people_states(session, actor, rules, today, only, None, None)[1]
        return None, {staff_id: tuple(cell.status for cell in cells) for staff_id, cells in states.items()}
    clinical = {code: role.clinical for code, role in reference.roles(session).items()}
    codes = status_codes(session, None if everyone else [p.id for p in people], today, rules, clinical)
    unpacked = Unpacked(len(rules.subjects))
    return None, {p.id: unpacked[codes.get(p.id, 0)] for p in people}


def _shown(session: Session, actor: Actor, today: date, only: frozenset[int] | None, practice_id: int | None,
           role_code: str | None, *, practices: bool = True) -> tuple[list, dict[int, tuple[int, ...]], bool]:
    """The people the matrix shows (in post, whom the actor may see, of `only`, in the practice
    and role chosen), everyone's practices (unless not wanted, and no practice is chosen: {}), and
    whether the actor may see everyone and all are asked for (a query of their rows then needs no
    list of them)."""
    visible = visible_staff_ids(session, actor, today)
    people = [p for p in reference.staff(session).values()
              if in_post(p.status, p.start_date, p.end_date, today) and (not role_code or p.role_code == role_code)
              and (visible is None or p.id in visible) and (only is None or p.id in only)]
    where = reference.practices_by_staff(session) if practices or practice_id is not None else {}
    if practice_id is not None:
        people = [p for p in people if practice_id in where.get(p.id, ())]
    return people, where, visible is None and only is None


def _people_states(session: Session, actor: Actor, rules: SubjectsFile, today: date, only: frozenset[int] | None,
                   practice_id: int | None, role_code: str | None,
                   ) -> tuple[list, dict[int, tuple[TrainingState, ...]], dict[int, tuple[int, ...]]]:
    """The people the matrix shows (of `only`), each one's state per subject in the subjects'
    order, and everyone's practices."""
    people, practices, everyone = _shown(session, actor, today, only, practice_id, role_code)
    clinical = {code: role.clinical for code, role in reference.roles(session).items()}
    done = newest_per_level(session, None if everyone else [p.id for p in people], today, rules.subjects)
    tables: dict[tuple[tuple, int], _States] = {}
    plans: dict[str, tuple[_States, ...]] = {}
    days = Days()

    def plan(role: str) -> tuple[_States, ...]:
        """A role's states, per subject in order, at the level the role needs: worked out once per
        role rather than per person. Subjects with equal intervals share their states (at 5,000
        staff, 9,300 worked out rather than 12,700)."""
        steps = []
        for s in rules.subjects:
            level = s.required_level(role, clinical.get(role, False))
            if (s.intervals, level) not in tables:
                tables[s.intervals, level] = _States(s, level, today, rules.due_soon_days, days)
            steps.append(tables[s.intervals, level])
        return tuple(steps)

    nothing = [()] * len(rules.subjects)
    states = {}
    for person in people:
        steps = plans.get(person.role_code)
        if steps is None:
            steps = plans[person.role_code] = plan(person.role_code)
        # Each subject's state looked up by the person's pairs for it, side by side, with no Python
        # step per cell (`newest_per_level` lays the pairs out in the subjects' order).
        states[person.id] = tuple(map(getitem, steps, done.get(person.id, nothing)))
    return people, states, practices


def assemble(rules: SubjectsFile, today: date, by_person: dict[int, MatrixRow]) -> TrainingMatrix:
    """The matrix from its rows: sorted by name, counted per subject, per practice and overall."""
    subjects = rules.subjects
    rows = sorted(by_person.values(), key=attrgetter("sort_name", "staff_id"))
    target = rules.target_percent
    # Each cell looked at once: 1 where it counts as in date, by its status (the rule asked once per
    # status, not for each of 50,000 cells), mapped over each row's cells with no Python step per
    # cell; the subjects' counts are then the columns' sums.
    flag = {status: int(status.in_date) for status in TrainingStatus}.__getitem__
    status = attrgetter("status")
    flags = [list(map(flag, map(status, row.cells))) for row in rows]
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
