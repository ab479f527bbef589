"""Each person's status in every subject, worked out by the database (issue 18: aggregations
where they are cheapest): Home's mandatory-training card and the Assurance page's training check
read statuses only, never the dates and levels behind them that the Training page shows.

The rule is `domain.training.training_state`'s, asked as comparisons of days: for each subject and
level, the last completion day that is expired today and the last that is due soon
(`rank_days`), and for each subject and role, the level needed. The database takes each person's
completions up to today at or above the level their role needs, ranks each (`STATUS_RANKS`), keeps
the highest per subject and packs a person's subjects into one integer, two bits each in the
subjects' order: thousands of rows become one per person, and people with the same statuses have
the same number. A test checks the statuses against `training_state` on random histories.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from functools import lru_cache

from sqlalchemy import BigInteger, Date, Integer, String, bindparam, case, cast, func, literal, null, select
from sqlmodel import Session

from arrs_desk.domain.training import STATUS_RANKS, SubjectsFile, TrainingStatus, rank_days
from arrs_desk.services import reference
from arrs_desk.services.shared_reads import Same
from arrs_desk.store import read_beside
from arrs_desk.store.database import Database
from arrs_desk.store.models import Staff, TrainingRecord

_SEPARATORS = re.compile("[:,]")

MAX_SUBJECTS = 30
"""Two bits a subject in a 64-bit integer, with room to spare: a file with more subjects is read
the Training page's way (`reading.statuses_by_person`)."""


def status_codes(session: Session, staff_ids: Iterable[int] | None, today: date, rules: SubjectsFile,
                 clinical_roles: Mapping[str, bool]) -> dict[int, int]:
    """person -> their statuses packed (`Unpacked`), for these people (everyone for None); anyone
    without a completion up to today is missing (0: never done, every subject)."""
    stmt = _statement(today, Same(rules), tuple(sorted(clinical_roles.items())), staff_ids is not None)
    found = read_beside.rows(session, stmt, None if staff_ids is None else {"ids": list(staff_ids)})
    numbers = map(int, _SEPARATORS.split(found[0][0])) if found and found[0][0] else iter(())
    return dict(zip(numbers, numbers))  # pairs: id, packed


def start_everyones(db: Database, session: Session, visible: frozenset[int] | set[int] | None, today: date,
                    rules: SubjectsFile) -> None:
    """Start everyone's `status_codes` on a connection of their own (`Database.start_beside`), for
    a page about to work them out afresh for someone who sees everyone (`visible` None): nearly
    all their time is the database's (60 ms at 5,000 staff, 120 at 10,000), which the page spends
    on its other figures meanwhile. Someone who sees a team has theirs read for a short list."""
    if visible is None and len(rules.subjects) <= MAX_SUBJECTS:
        clinical = {code: role.clinical for code, role in reference.roles(session).items()}
        db.start_beside(_statement(today, Same(rules), tuple(sorted(clinical.items())), False))


@lru_cache(maxsize=8)
def _statement(today: date, rules: Same, clinical_roles: tuple[tuple[str, bool], ...], some: bool):
    """The query, built once a day (hundreds of CASE branches: building and compiling it each time
    would cost a fifth of what it saves); `some`: for the people in the bound list `ids`."""
    subjects, due_soon_days = rules.thing.subjects, rules.thing.due_soon_days
    record, subject = TrainingRecord, TrainingRecord.subject_code

    def last_day(s, which: int):  # the last completion day of a rank (0: expired, 1: due soon), by level
        def day(level: int):
            found = rank_days(s, level, today, due_soon_days)
            return None if found is None else found[which]
        return _by_value(record.level, {level.level: day(level.level) for level in s.levels}, day(0), Date)
        # day(0): a level the file does not define, `months_for_record`'s answer for it

    def ranked(s):  # one subject's rank of a completion: first the level the person's role needs
        needed = _by_value(Staff.role_code, {role: s.required_level(role, clinical) for role, clinical in clinical_roles},
                           s.required_level("", False), Integer)
        return case((record.level < needed, 0), (record.completed_on <= last_day(s, 0), 1),
                    (record.completed_on <= last_day(s, 1), 2), else_=3)

    rank = case(*[(subject == s.code, ranked(s)) for s in subjects])  # NULL: not in the file
    position = case({s.code: i for i, s in enumerate(subjects)}, value=subject)
    best = (select(record.staff_id, position.label("position"), func.max(rank).label("rank"))
            .join(Staff, Staff.id == record.staff_id)
            .where(record.completed_on <= today)
            .group_by(record.staff_id, subject))
    if some:
        best = best.where(record.staff_id.in_(bindparam("ids", expanding=True)))
    best = best.subquery()
    # As a 64-bit integer: PostgreSQL sums bigints into a decimal.
    packed = cast(func.sum(cast(best.c.rank, BigInteger).op("<<")(best.c.position * 2)), BigInteger)
    person = (select(best.c.staff_id, packed.label("packed")).where(best.c.position.is_not(None))
              .group_by(best.c.staff_id).subquery())
    # One row of text, "id:packed,id:packed,...", rather than a row a person: fetching each row takes
    # Python's lock back, which a read beside the page (`read_beside`) would wait for at every row.
    return select(func.aggregate_strings(cast(person.c.staff_id, String).concat(":").concat(
        cast(person.c.packed, String)), ","))


def _by_value(column, answers: Mapping, otherwise, type_):
    """`CASE column WHEN key THEN answer ... ELSE otherwise END`, naming only the keys whose answer
    differs from `otherwise`, and just the value when none does: SQLite works a CASE out branch by
    branch for every row, and most subjects need the same level of every role and have the same
    refresher at every level (a quarter of the query's time at 5,000 staff went on branches that
    all gave the same answer)."""
    differing = {key: answer for key, answer in answers.items() if answer != otherwise}
    default = null() if otherwise is None else literal(otherwise, type_)
    if not differing:
        return default
    return case({key: null() if answer is None else literal(answer, type_) for key, answer in differing.items()},
                value=column, else_=default)


class Unpacked(dict):
    """packed statuses -> the statuses in the subjects' order, each number unpacked once: thousands
    of people share a few hundred."""

    def __init__(self, subjects: int):
        super().__init__()
        self.subjects = subjects

    def __missing__(self, code: int) -> tuple[TrainingStatus, ...]:
        found = self[code] = tuple(STATUS_RANKS[(code >> (2 * i)) & 3] for i in range(self.subjects))
        return found
