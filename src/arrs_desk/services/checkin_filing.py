"""Filing anonymous check-in answers into their groups' waiting batches, and releasing a batch
into the group's monthly counts once it holds answers from enough different people.

The rules are in `services.checkins` (its threat model) and `domain.assurance` (`may_release`);
this is how they are written, set-based: one answer or a thousand (the demonstration PCN's) read
the waiting batches of the groups concerned once, work through the answers in the order given,
and write what is left waiting in a few statements. Across sites every statement is a round trip,
and one answer asked about each of its groups in turn (about a dozen statements).
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import delete, insert, select, tuple_
from sqlmodel import Session

from arrs_desk.domain import assurance as rules
from arrs_desk.services import audit
from arrs_desk.services.actor import Actor
from arrs_desk.store.models import CheckinPending, CheckinPendingPerson, CheckinTally, Staff, StaffPractice

ANONYMOUS = Actor(None, "anonymous", "Anonymous check-in")
"""Who the audit trail says answered a check-in or released a batch: nobody."""
Group = tuple[str, str]
"""(dimension, group key): ("role", "SPLW") or ("practice", "12")."""


@dataclass(frozen=True, slots=True)
class Filing:
    """One person's answers to one check-in, released (if their batch fills) in the round of `on`."""

    staff_id: int
    answers: dict[str, int]
    on: date


@dataclass(slots=True)
class _Batch:
    """One group's waiting batch as the filing goes: who is in it, the answers it holds, and
    whether the rows stored before the filing are to go (the batch was released meanwhile)."""

    people: set[int]
    answers: list[dict[str, int]]
    new_people: set[int] = field(default_factory=set)
    new_answers: list[dict[str, int]] = field(default_factory=list)
    stored_released: bool = False


def groups_of(session: Session, staff_ids: Iterable[int]) -> dict[int, list[Group]]:
    """Each person's groups: their role, then their practices in id order."""
    ids = sorted(set(staff_ids))
    found: dict[int, list[Group]] = {
        staff_id: [("role", role)] for staff_id, role in session.execute(
            select(Staff.id, Staff.role_code).where(Staff.id.in_(ids)))}
    for staff_id, practice in session.execute(
            select(StaffPractice.staff_id, StaffPractice.organisation_id)
            .where(StaffPractice.staff_id.in_(ids)).order_by(StaffPractice.staff_id, StaffPractice.organisation_id)):
        found[staff_id].append(("practice", str(practice)))
    return found


def file_answers(session: Session, filings: Sequence[Filing]) -> int:
    """File each answer in the waiting batch of each of its person's groups, in the order given,
    releasing every batch that comes to hold answers from enough different people. Returns the
    number of batches released."""
    if not filings:
        return 0
    groups = groups_of(session, (f.staff_id for f in filings))
    wanted = sorted({g for f in filings for g in groups.get(f.staff_id, ())})
    batches = _stored_batches(session, wanted)
    tallies: dict[tuple[str, str, str], CheckinTally] = {}
    entries: list[dict] = []
    for filing in filings:
        for group in groups.get(filing.staff_id, ()):
            batch = batches[group]
            batch.answers.append(filing.answers)
            batch.new_answers.append(filing.answers)
            if filing.staff_id not in batch.people:
                batch.people.add(filing.staff_id)
                batch.new_people.add(filing.staff_id)
            if rules.may_release(len(batch.people)):
                entries.append(_release(session, tallies, group, batch, filing.on))
    _store_waiting(session, batches)
    audit.record_many(session, entries, by=ANONYMOUS)
    return len(entries)


def _stored_batches(session: Session, wanted: list[Group]) -> dict[Group, _Batch]:
    """The batches of these groups as stored: who is waiting and their answers."""
    batches = {group: _Batch(set(), []) for group in wanted}
    if not wanted:
        return batches
    for dimension, key, staff_id in session.execute(
            select(CheckinPendingPerson.dimension, CheckinPendingPerson.group_key, CheckinPendingPerson.staff_id)
            .where(tuple_(CheckinPendingPerson.dimension, CheckinPendingPerson.group_key).in_(wanted))):
        batches[(dimension, key)].people.add(staff_id)
    for dimension, key, answers in session.execute(
            select(CheckinPending.dimension, CheckinPending.group_key, CheckinPending.answers)
            .where(tuple_(CheckinPending.dimension, CheckinPending.group_key).in_(wanted))):
        batches[(dimension, key)].answers.append(dict(answers))
    return batches


def _release(session: Session, tallies: dict, group: Group, batch: _Batch, on: date) -> dict:
    """Add the batch's answers to the group's counts for the round of `on`, and empty the batch;
    returns the audit entry saying so (written with the rest at the end)."""
    dimension, key = group
    round_ = rules.round_of(on)
    row = tallies.get((dimension, key, round_)) or session.get(CheckinTally, (dimension, key, round_))
    if row is None:
        row = CheckinTally(dimension=dimension, group_key=key, round=round_, responses=0,
                           counts=rules.empty_counts(rules.builtin_checkins().statements))
        session.add(row)
    tallies[(dimension, key, round_)] = row
    row.counts = rules.add_to_counts(row.counts, batch.answers)
    row.responses += len(batch.answers)
    entry = audit.entry_values(
        ANONYMOUS, "release", "checkin_tally", f"{dimension}/{key}/{round_}",
        f"Added {len(batch.answers)} anonymous check-in answers from {len(batch.people)} people to the summary "
        f"by {dimension}", {"responses": len(batch.answers), "people": len(batch.people)}, None)
    batch.people.clear()
    batch.answers.clear()
    batch.new_people.clear()
    batch.new_answers.clear()
    batch.stored_released = True
    return entry


def _store_waiting(session: Session, batches: dict[Group, _Batch]) -> None:
    """Write what is left waiting: a released batch's stored rows go; new answers and people are
    added, each answer under a new random id and in a shuffled order (nothing in the table
    follows the order they came in)."""
    gone = [group for group, batch in batches.items() if batch.stored_released]
    if gone:
        session.execute(delete(CheckinPending).where(
            tuple_(CheckinPending.dimension, CheckinPending.group_key).in_(gone)))
        session.execute(delete(CheckinPendingPerson).where(
            tuple_(CheckinPendingPerson.dimension, CheckinPendingPerson.group_key).in_(gone)))
    answers = [{"id": uuid.uuid4().hex, "dimension": dimension, "group_key": key, "answers": answers}
               for (dimension, key), batch in batches.items() for answers in batch.new_answers]
    random.SystemRandom().shuffle(answers)
    people = [{"dimension": dimension, "group_key": key, "staff_id": staff_id}
              for (dimension, key), batch in batches.items() for staff_id in sorted(batch.new_people)]
    if answers:
        session.execute(insert(CheckinPending), answers)
    if people:
        session.execute(insert(CheckinPendingPerson), people)
