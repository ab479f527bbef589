"""'What matters to me' check-ins: a person answers theirs; nobody, not even they, can later tell
which answers were theirs.

Threat model. The person to protect is the member of staff; the adversary is anyone using ARRS
Desk as it is meant to be used, up to an administrator: every screen, the audit trail, every
CSV/PDF file and the full export (a copy of every exported table), taken as often as they like,
before and after someone answers. Against that:

* Who has answered which check-in is kept (`checkin_completion`: staff id and months in post,
  no date) because Home and the person's page must say what is due; it says nothing about answers.
* An answer is stored with no person, no date and a random id. It waits (`checkin_pending`)
  until answers from at least MIN_GROUP different people of the same group have arrived, and
  is then added to the group's counts for the month (`checkin_tally`) and deleted. A summary
  changes only when a batch is released, so comparing summaries before and after one person
  answers shows nothing, and the change at a release mixes at least five people's answers.
* The waiting answers and the list of who is waiting in which batch are never in a file: the
  full export leaves both tables out (a waiting answer could be the only one in its batch),
  and record bundles carry no check-in data at all.
* The audit trail records that a check-in was answered, under no one's name, with no id that
  leads to an answer; and, separately, that a batch was released.

Out of scope: raw access to the database file, the PostgreSQL server or a backup (a copy of the
file). Whoever has that can read the waiting answers and who is waiting, and the storage's own
order of rows, pages and logs; hiding answers from them would need encryption with keys held
outside the database, which a practice PC running ARRS Desk cannot keep from its own
administrator. That access is guarded by the practice's IT (file permissions, server roles).
What remains for counts of five or more: if every person in a batch gave the same answer, the
counts show it (true of any summary), and overlapping groups (role and practice) are released
separately, so each answer is in at most one batch per grouping.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select, text
from sqlmodel import Session

from arrs_desk.domain import assurance as rules
from arrs_desk.domain import staff as staff_rules
from arrs_desk.domain.permissions import AccessRole, Action
from arrs_desk.errors import NotFound, PermissionDenied, ValidationError
from arrs_desk.services import audit, reference
from arrs_desk.services._common import apply_update, require
from arrs_desk.services.actor import Actor
from arrs_desk.services.checkin_filing import ANONYMOUS, Filing, file_answers
from arrs_desk.services.raw_rows import plain_rows
from arrs_desk.services.relationships import relationship, visible_staff_ids
from arrs_desk.services.shared_reads import shared, shared_reads
from arrs_desk.store.database import Database
from arrs_desk.store.models import (
    CheckinCompletion, CheckinTally, Organisation, Role, Setting, Staff,
    StaffPractice,
)

SCHEDULE_KEY = "assurance.checkin_schedule"
GROUPINGS = ("role", "practice")

_LOCK_KEY = 7_243_010
"""PostgreSQL advisory lock taken by every check-in write, so two people answering at once
cannot both release (or both miss) the same batch. SQLite writes are already one at a time."""


@dataclass(frozen=True, slots=True)
class CheckinSchedule:
    months: tuple[int, ...]
    repeat_every: int
    version: int | None
    edited: bool


@dataclass(frozen=True)
class MyCheckins:
    """The signed-in person's schedule: which check-ins are done, open, missed or to come.
    Their answers are not here: once sent, they belong to no one."""

    staff_id: int
    start_date: date
    statements: tuple[rules.Statement, ...]
    scale: tuple[str, ...]
    points: tuple[rules.CheckinPoint, ...]

    @property
    def due(self) -> rules.CheckinPoint | None:
        return next((p for p in self.points if p.status is rules.PointStatus.DUE), None)


@dataclass(frozen=True, slots=True)
class DueCheckin:
    """A check-in open now for someone the actor looks after: a reminder, nothing more."""

    staff_id: int
    display_name: str
    months: int
    closes_on: date  # the first day it is no longer open

    @property
    def last_open_day(self) -> date:
        return self.closes_on - timedelta(days=1)


class CheckinService:
    def __init__(self, db: Database, today: Callable[[], date]):
        self._db = db
        self._today = today

    # ======================================================================= schedule
    def schedule(self) -> CheckinSchedule:
        config = rules.builtin_checkins()
        with self._db.read() as session:
            row = reference.setting(session, SCHEDULE_KEY)
        if row is None or not isinstance(row.value, dict):
            return CheckinSchedule(tuple(config.schedule_months), config.repeat_every_months, None, False)
        return CheckinSchedule(tuple(row.value["months"]), int(row.value["repeat"]), row.version, True)

    def set_schedule(self, actor: Actor, *, months: Sequence[int], repeat_every: int,
                     expected_version: int | None) -> CheckinSchedule:
        require(actor, Action.MANAGE_SETTINGS)
        months = list(months)
        problem = rules.schedule_problem(months, repeat_every)
        if problem:
            raise ValidationError.single("schedule", problem)
        value = {"months": months, "repeat": repeat_every}
        with self._db.write() as session:
            row = session.get(Setting, SCHEDULE_KEY)
            old = row.value if row else None
            if row is None:
                session.add(Setting(key=SCHEDULE_KEY, value=value))
            else:
                apply_update(session, row, {"value": value}, expected_version or 0, "setting")
            audit.record(session, actor, "update", "setting", SCHEDULE_KEY,
                         f"Check-ins at {', '.join(map(str, months))} months, then every {repeat_every}",
                         audit.diff({"schedule": old}, {"schedule": value}))
        return self.schedule()

    def points(self, *, start: date, done: Iterable[int], schedule: CheckinSchedule | None = None,
                today: date | None = None) -> list[rules.CheckinPoint]:
        schedule = schedule or self.schedule()
        return rules.checkin_points(start, today or self._today(), schedule.months, schedule.repeat_every,
                                    rules.builtin_checkins().window_days, done)

    # ======================================================================= the person's own
    def my_checkins(self, actor: Actor) -> MyCheckins:
        if actor.staff_id is None:
            raise PermissionDenied("Check-ins are for people with a staff record.")
        config = rules.builtin_checkins()
        with self._db.read() as session:
            person = session.get(Staff, actor.staff_id)
            if person is None:
                raise NotFound("Your staff record no longer exists.")
            done = session.execute(select(CheckinCompletion.months)
                                   .where(CheckinCompletion.staff_id == actor.staff_id)).scalars().all()
        return MyCheckins(actor.staff_id, person.start_date, config.statements, config.scale,
                          tuple(self.points(start=person.start_date, done=done)))

    def submit_checkin(self, actor: Actor, *, months: int, answers: dict[str, int]) -> rules.CheckinPoint:
        """Only the person themself answers, once per point of their schedule. Returns the point,
        now done; the answers go on anonymously and cannot be read back or changed."""
        if actor.staff_id is None:
            raise PermissionDenied("Check-ins are for people with a staff record.")
        config = rules.builtin_checkins()
        problems = rules.answer_problems(answers, config.statements)
        if problems:
            raise ValidationError(problems)
        today = self._today()
        with self._db.write() as session:
            self._lock(session)
            require(actor, Action.ANSWER_CHECKIN, relationship(session, actor, actor.staff_id, today))
            person = session.get(Staff, actor.staff_id)
            if person is None:
                raise NotFound("Your staff record no longer exists.")
            done = set(session.execute(select(CheckinCompletion.months)
                                       .where(CheckinCompletion.staff_id == person.id)).scalars())
            point = next((p for p in self.points(start=person.start_date, done=done, today=today) if p.months == months), None)
            if point is None or point.status is not rules.PointStatus.DUE:
                raise ValidationError.single("months", "That check-in is not open now (it may already be answered).")
            session.add(CheckinCompletion(staff_id=person.id, months=months))
            audit.record(session, ANONYMOUS, "checkin", "checkin_round", rules.round_of(today),
                         "A check-in was answered. The answers are anonymous and are not linked to this entry.")
            file_answers(session, [Filing(person.id, dict(answers), today)])
        return rules.CheckinPoint(point.months, point.due_on, point.closes_on, rules.PointStatus.DONE)

    # ======================================================================= anonymous answers
    # Filed and released by `services.checkin_filing` (set-based: one answer or the demo's thousands).
    def _lock(self, session: Session) -> None:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})

    # ======================================================================= summaries and reminders
    def checkin_summary(self, actor: Actor, *, by: str = "role") -> list[rules.GroupSummary]:
        """Released answers of the last twelve months, by role or practice. Line managers see the
        groups of the people they look after; administrators every group. Groups are listed
        whether or not anyone has answered, so the list itself never changes when someone does."""
        if not (actor.has(AccessRole.ADMINISTRATOR) or actor.has(AccessRole.LINE_MANAGER) or actor.sole_user):
            raise PermissionDenied("Only administrators and line managers can see the check-in summary.")
        if by not in GROUPINGS:
            raise ValidationError.single("by", "Group by role or practice.")
        config = rules.builtin_checkins()
        today = self._today()
        with self._db.read() as session:
            visible = visible_staff_ids(session, actor, today)
            in_post = self._in_post(session, today, visible)
            if by == "role":
                labels = dict(session.execute(select(Role.code, Role.title)).all())
                keys = {code for _, code in session.execute(select(Staff.id, Staff.role_code)
                                                            .where(Staff.id.in_(in_post or [-1])))}
            else:
                labels = {str(i): n for i, n in session.execute(select(Organisation.id, Organisation.name))}
                keys = {str(o) for o in session.execute(select(StaffPractice.organisation_id)
                                                        .where(StaffPractice.staff_id.in_(in_post or [-1]))).scalars()}
            tallies = session.execute(select(CheckinTally.group_key, CheckinTally.responses, CheckinTally.counts).where(
                CheckinTally.dimension == by, CheckinTally.round >= rules.first_round_shown(today))).all()
        if visible is not None:
            tallies = [t for t in tallies if t.group_key in keys]
        else:
            keys |= {t.group_key for t in tallies}
        return rules.summarise_tallies((labels.get(k, k) for k in keys),
                                       ((labels.get(t.group_key, t.group_key), t.responses, t.counts) for t in tallies),
                                       config.statements)

    @shared
    def checkins_due(self, actor: Actor) -> tuple[DueCheckin, ...]:
        """Check-ins open now for the people the actor looks after (everyone, for administrators),
        not counting their own: who might welcome a reminder. Says nothing about answers."""
        today = self._today()
        _, rows = shared_reads(self._db).by_person(("checkins.due", actor, today),
                                                   lambda only: self._due_rows(actor, today, only))
        return tuple(sorted(rows.values(), key=lambda d: (d.closes_on, staff_rules.search_key(d.display_name),
                                                          d.staff_id)))

    def _due_rows(self, actor: Actor, today: date, only: frozenset[int] | None) -> tuple[None, dict[int, DueCheckin]]:
        """The check-ins open for the people in `only` (everyone, for None), by person."""
        schedule = self.schedule()
        with self._db.read() as session:
            visible = visible_staff_ids(session, actor, today)
            in_post = reference.in_post_ids(session, today)
            people = [p for p in reference.staff(session).values()
                      if p.id in in_post
                      and (visible is None or p.id in visible) and (only is None or p.id in only)]
            done: dict[int, set[int]] = {}
            stmt = select(CheckinCompletion.staff_id, CheckinCompletion.months)
            # Plain rows: the ORM's result handling of a PCN's ~16,000 completions cost more than
            # all the rest of this read.
            for staff_id, months in plain_rows(session, stmt if only is None else
                                               stmt.where(CheckinCompletion.staff_id.in_(only))):
                done.setdefault(staff_id, set()).add(months)
        due = {}
        window = rules.builtin_checkins().window_days
        for p in people:
            if p.id == actor.staff_id:
                continue
            point = rules.open_checkin(p.start_date, today, schedule.months, schedule.repeat_every, window,
                                       done.get(p.id, ()))
            if point is not None:
                name = staff_rules.display_name(p.given_name, p.family_name, p.preferred_name)
                due[p.id] = DueCheckin(p.id, name, point.months, point.closes_on)
        return None, due

    @staticmethod
    def _in_post(session: Session, today: date, visible: set[int] | None) -> list[int]:
        stmt = select(Staff.id).where(*reference.in_post_where(today))
        return [i for i in session.execute(stmt).scalars() if visible is None or i in visible]
