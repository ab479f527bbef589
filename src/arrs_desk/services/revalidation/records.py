"""Reading revalidation: one person's record, and everyone's status at once.

Statuses are worked out when read (`domain.revalidation`) from the staff record's register and
renewal date and every CPD entry and piece of evidence; for many people the facts are fetched in
two queries (plain rows, not ORM objects) and judged in memory by one `Judge` for the day, so the
list of 1,000 people costs two round trips. The assurance check reads statuses the same way
(`assessments`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from sqlalchemy import Select, select
from sqlmodel import Session

from arrs_desk.domain import staff as staff_rules
from arrs_desk.domain.permissions import Action, denial
from arrs_desk.domain.regulator_packs import no_pack_reason, pack_for
from arrs_desk.domain.regulators import EvidenceKind, Regulator, RegulatorRules
from arrs_desk.domain.revalidation import (
    Assessment, CpdFact, CpdMethod, EvidenceFact, Judge, Status, previous_cycle,
)
from arrs_desk.services._common import get_or_404, require
from arrs_desk.services.actor import Actor
from arrs_desk.services.relationships import relationship, visible_staff_ids
from arrs_desk.services.evidence import EvidenceRow
from arrs_desk.services import reference
from arrs_desk.services.raw_rows import Days, as_stored
from arrs_desk.services.revalidation.files import files_of
from arrs_desk.services.revalidation.sources import source_label
from arrs_desk.services.revalidation.views import CpdRow, PersonRevalidation, RevalidationEvidenceRow, StatusRow
from arrs_desk.store.models import CpdEntry, RevalidationEvidence, Staff

# Whom the page lists and `read_assessed` assesses: everyone in post (`domain.staff.in_post`). A
# starter in induction is in post: left off the page, a new nurse whose registration had lapsed
# was counted by Home's "Registration or revalidation not on track" (from the Assurance check)
# but missing from the page it opens.


def cpd_row(entry: CpdEntry, files: list[EvidenceRow] | None = None, source: str = "") -> CpdRow:
    return CpdRow(entry.id, entry.version, entry.staff_id, entry.occurred_on, entry.title, entry.provider, entry.method,
                  CpdMethod(entry.method).label, entry.hours, entry.participatory, entry.planned, entry.reflection,
                  entry.source_kind, entry.source_id, entry.counts_towards, entry.recorded_by_name,
                  entry.verified_by_name, entry.verified_on, tuple(files or ()), source)


def evidence_row(item: RevalidationEvidence, files: list[EvidenceRow] | None = None) -> RevalidationEvidenceRow:
    return RevalidationEvidenceRow(item.id, item.version, item.staff_id, item.kind, EvidenceKind(item.kind).label,
                                   item.occurred_on, item.title, item.details, item.hours, item.partner_name,
                                   item.partner_registration, item.counts_towards, item.recorded_by_name,
                                   item.verified_by_name, item.verified_on, tuple(files or ()))


def cpd_fact(entry: CpdEntry) -> CpdFact:
    return CpdFact(entry.occurred_on, entry.hours, entry.participatory, entry.planned, entry.counts_towards)


def evidence_fact(item: RevalidationEvidence) -> EvidenceFact:
    return EvidenceFact(item.kind, item.occurred_on, item.hours, item.counts_towards)


def judge(rules: RegulatorRules, register: str, renewal: date | None, cpd: Iterable[CpdFact],
          evidence: Iterable[EvidenceFact], today: date) -> Assessment:
    """One person's status (many people: one `Judge` for them all)."""
    return Judge(rules, today)(register, renewal, cpd, evidence)


def facts_of(session: Session, ids: Select) -> tuple[dict[int, list[CpdFact]], dict[int, list[EvidenceFact]]]:
    """Every CPD entry and piece of evidence of the people `ids` selects, by person: two
    statements however many people, read as Core rows a batch at a time and kept as plain
    tuples in the facts' field order (`domain.revalidation.tally` reads them by position). Plain
    tuples of dates and numbers drop out of the garbage collector's sight, so thousands of them
    do not set off a collection of the whole heap in the middle of the read."""
    cpd: dict[int, list] = defaultdict(list)
    evidence: dict[int, list] = defaultdict(list)
    day = Days()
    connection = session.connection()  # Core rows: the ORM's per-row bookkeeping is not needed here
    rows = connection.execute(
        select(CpdEntry.staff_id, as_stored(CpdEntry.occurred_on), CpdEntry.hours, CpdEntry.participatory,
               CpdEntry.planned, as_stored(CpdEntry.counts_towards))
        .where(CpdEntry.staff_id.in_(ids.scalar_subquery())))
    for batch in rows.partitions(_BATCH):
        for staff_id, occurred_on, hours, participatory, planned, towards in batch:
            cpd[staff_id].append((day[occurred_on], hours, participatory, planned, day[towards]))
    rows = connection.execute(
        select(RevalidationEvidence.staff_id, RevalidationEvidence.kind, as_stored(RevalidationEvidence.occurred_on),
               RevalidationEvidence.hours, as_stored(RevalidationEvidence.counts_towards))
        .where(RevalidationEvidence.staff_id.in_(ids.scalar_subquery())))
    for batch in rows.partitions(_BATCH):
        for staff_id, kind, occurred_on, hours, towards in batch:
            evidence[staff_id].append((kind, day[occurred_on], hours, day[towards]))
    return cpd, evidence


_BATCH = 2000
"""Rows fetched at a time: few round trips into the driver, and no list of every row at once."""


def assessments(session: Session, people: Iterable[Any], ids: Select, today: date,
                rules: RegulatorRules) -> dict[int, Assessment]:
    """The status of each of `people` (rows with `id`, `register_code`, `registration_renewal`),
    whose ids `ids` selects, in two statements."""
    cpd, evidence = facts_of(session, ids)
    judge_one = Judge(rules, today)
    empty: tuple = ()
    return {p.id: judge_one(p.register_code, p.registration_renewal, cpd.get(p.id, empty), evidence.get(p.id, empty))
            for p in people}


def status_row(rules: RegulatorRules, person: Staff | Any, verdict: Assessment) -> StatusRow:
    """`person` is a staff row, or a row of the same named columns (the list reads only those)."""
    regulator = rules.for_register(person.register_code)
    return StatusRow(person.id, staff_rules.display_name(person.given_name, person.family_name, person.preferred_name),
                     person.register_code, regulator.name if regulator else "", verdict.status.value,
                     verdict.status.label, verdict.reason, verdict.cycle.due if verdict.cycle else None,
                     verdict.days_to_due, verdict.warning, person.line_manager_id,
                     regulator.short if regulator else "")


def read_person(session: Session, actor: Actor, today: date, rules: RegulatorRules, *, staff_id: int) -> PersonRevalidation:
    rel = relationship(session, actor, staff_id, today)
    require(actor, Action.VIEW_STAFF, rel)
    person = get_or_404(session, Staff, staff_id, "staff member")
    cpd = session.execute(select(CpdEntry).where(CpdEntry.staff_id == staff_id)
                          .order_by(CpdEntry.occurred_on.desc(), CpdEntry.id.desc())).scalars().all()
    evidence = session.execute(select(RevalidationEvidence).where(RevalidationEvidence.staff_id == staff_id)
                               .order_by(RevalidationEvidence.occurred_on.desc(),
                                         RevalidationEvidence.id.desc())).scalars().all()
    verdict = judge(rules, person.register_code, person.registration_renewal, map(cpd_fact, cpd),
                    map(evidence_fact, evidence), today)
    regulator = rules.for_register(person.register_code)
    summary = status_row(rules, person, verdict)
    cpd_files, evidence_files = files_of(session, staff_id)
    return PersonRevalidation(
        summary, verdict.cycle, verdict.progress,
        tuple(cpd_row(e, cpd_files.get(e.id), source_label(session, e.source_kind, e.source_id)) for e in cpd),
        tuple(evidence_row(e, evidence_files.get(e.id)) for e in evidence),
        can_record=denial(actor.roles, Action.RECORD_CPD, rel) is None,
        can_verify=denial(actor.roles, Action.VERIFY_CPD, rel) is None,
        cycle_explained=regulator.cycle.explained if regulator else "",
        pack_problem=pack_problem(actor, rel, regulator, summary, verdict),
        previous_cycle=previous_cycle(regulator, person.register_code, verdict.cycle)
        if regulator and verdict.cycle else None)


def pack_problem(actor: Actor, rel, regulator: Regulator | None, summary: StatusRow, verdict: Assessment) -> str:
    """Why the reader cannot print this person's regulator pack, in words; '' when they can."""
    refused = denial(actor.roles, Action.PRINT_REGULATOR_PACK, rel)
    if refused is not None:
        return refused
    if pack_for(regulator.code if regulator else None) is None:
        return no_pack_reason(summary.name, summary.register_code, regulator.name if regulator else "")
    return verdict.reason if verdict.cycle is None else ""


def _registered(session: Session, actor: Actor, today: date,
                only: frozenset[int] | None = None) -> tuple[list, list]:
    """The people on a register, in post on `today`, whom the actor may see (from the session's
    one read of the staff list; only these, if given), and where clauses selecting their ids."""
    visible = visible_staff_ids(session, actor, today)
    among = [Staff.register_code != "", *reference.in_post_where(today)]
    if visible is not None:
        among.append(Staff.id.in_(visible or {-1}))
    if only is not None:
        among.append(Staff.id.in_(only or {-1}))
    in_post = reference.in_post_ids(session, today)
    people = [p for p in reference.staff(session).values()
              if p.register_code and p.id in in_post
              and (visible is None or p.id in visible)
              and (only is None or p.id in only)]
    return among, people


def read_assessed(session: Session, actor: Actor, today: date, rules: RegulatorRules,
                  only: frozenset[int] | None = None) -> tuple[None, dict[int, Assessment]]:
    """Everyone on a register whom the actor may see (only these, if given), in post or in
    induction, assessed, by person (`shared_reads.by_person`): what the Revalidation page and Home
    (in post) and the Assurance matrix (induction too) each read."""
    among, people = _registered(session, actor, today, only)
    return None, (assessments(session, people, select(Staff.id).where(*among), today, rules) if people else {})


def read_statuses(session: Session, actor: Actor, today: date, rules: RegulatorRules,
                  verdicts: Mapping[int, Assessment] | None = None) -> list[StatusRow]:
    """Everyone in post on a register whom the actor may see, soonest due first. `verdicts`:
    the same actor's `read_assessed`, when already worked out."""
    return _status_rows(session, actor, today, rules, verdicts)


def _status_rows(session: Session, actor: Actor, today: date, rules: RegulatorRules,
                 verdicts: Mapping[int, Assessment] | None, shown=lambda person, verdict: True) -> list[StatusRow]:
    """`read_statuses`' rows, only of the people `shown` keeps."""
    among, people = _registered(session, actor, today)
    if verdicts is None:
        verdicts = assessments(session, people, select(Staff.id).where(*among), today, rules) if people else {}
    rows = [status_row(rules, p, verdicts[p.id]) for p in people if shown(p, verdicts[p.id])]
    far = date.max
    return sorted(rows, key=lambda r: (r.due or far, r.name.casefold()))


def read_warnings(session: Session, actor: Actor, today: date, rules: RegulatorRules,
                  verdicts: Mapping[int, Assessment] | None = None) -> list[StatusRow]:
    """What Home shows: the actor's own cycle and those of the people they line-manage, when a
    warning (90, 60, 30, 7 days) has been reached or the cycle is overdue. Chosen before their
    rows are made: Home shows a few hundred of the thousands on registers."""
    def shown(person, verdict: Assessment) -> bool:
        return ((person.id == actor.staff_id or person.line_manager_id == actor.staff_id or actor.sole_user)
                and (verdict.warning is not None or verdict.status is Status.OVERDUE))

    return _status_rows(session, actor, today, rules, verdicts, shown)
