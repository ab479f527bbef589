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

from collections.abc import Iterable, Mapping
from datetime import date
from functools import lru_cache

from sqlalchemy import BigInteger, Date, bindparam, case, cast, func, literal, select
from sqlmodel import Session

from arrs_desk.domain.training import STATUS_RANKS, SubjectsFile, TrainingStatus, rank_days
from arrs_desk.services.shared_reads import Same
from arrs_desk.store.models import Staff, TrainingRecord

MAX_SUBJECTS = 30
"""Two bits a subject in a 64-bit integer, with room to spare: a file with more subjects is read
the Training page's way (`reading.statuses_by_person`)."""


def status_codes(session: Session, staff_ids: Iterable[int] | None, today: date, rules: SubjectsFile,
                 clinical_roles: Mapping[str, bool]) -> dict[int, int]:
    """person -> their statuses packed (`Unpacked`), for these people (everyone for None); anyone
    without a completion up to today is missing (0: never done, every subject)."""
    stmt = _statement(today, Same(rules), tuple(sorted(clinical_roles.items())), staff_ids is not None)
    params = {} if staff_ids is None else {"ids": list(staff_ids)}
    return dict(session.connection().execute(stmt, params).all())


@lru_cache(maxsize=8)
def _statement(today: date, rules: Same, clinical_roles: tuple[tuple[str, bool], ...], some: bool):
    """The query, built once a day (hundreds of CASE branches: building and compiling it each time
    would cost a fifth of what it saves); `some`: for the people in the bound list `ids`."""
    subjects, due_soon_days = rules.thing.subjects, rules.thing.due_soon_days
    record, subject = TrainingRecord, TrainingRecord.subject_code

    def last_day(s, which: int):  # the last completion day of a rank (0: expired, 1: due soon), by level
        def day(level: int):
            found = rank_days(s, level, today, due_soon_days)
            return None if found is None else literal(found[which], Date)
        return case(*[(record.level == level.level, day(level.level)) for level in s.levels],
                    else_=day(0))  # a level the file does not define: `months_for_record`'s answer for it

    def ranked(s):  # one subject's rank of a completion: first the level the person's role needs
        needed = case({role: s.required_level(role, clinical) for role, clinical in clinical_roles},
                      value=Staff.role_code, else_=s.required_level("", False))
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
    return select(best.c.staff_id, packed).where(best.c.position.is_not(None)).group_by(best.c.staff_id)


class Unpacked(dict):
    """packed statuses -> the statuses in the subjects' order, each number unpacked once: thousands
    of people share a few hundred."""

    def __init__(self, subjects: int):
        super().__init__()
        self.subjects = subjects

    def __missing__(self, code: int) -> tuple[TrainingStatus, ...]:
        found = self[code] = tuple(STATUS_RANKS[(code >> (2 * i)) & 3] for i in range(self.subjects))
        return found
