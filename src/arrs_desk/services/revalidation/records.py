"""Reading revalidation: one person's record, and everyone's status at once.

Statuses are worked out when read (`domain.revalidation`) from the staff record's register and
renewal date and every CPD entry and piece of evidence; for many people the rows are fetched in
two queries and tallied in memory, so the list of 1,000 people costs two round trips.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from arrs_desk.domain import staff as staff_rules
from arrs_desk.domain.permissions import Action, denial
from arrs_desk.domain.regulator_packs import no_pack_reason, pack_for
from arrs_desk.domain.regulators import EvidenceKind, Regulator, RegulatorRules
from arrs_desk.domain.revalidation import (
    Assessment, CpdFact, CpdMethod, EvidenceFact, Tally, assess, current_cycle, previous_cycle, tally,
)
from arrs_desk.services._common import get_or_404, require
from arrs_desk.services.actor import Actor
from arrs_desk.services.relationships import relationship, visible_staff_ids
from arrs_desk.services.evidence import EvidenceRow
from arrs_desk.services.revalidation.files import files_of
from arrs_desk.services.revalidation.sources import source_label
from arrs_desk.services.revalidation.views import CpdRow, PersonRevalidation, RevalidationEvidenceRow, StatusRow
from arrs_desk.store.models import CpdEntry, RevalidationEvidence, Staff

IN_POST = ("active", "on_leave")


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
    regulator = rules.for_register(register)
    cycle = current_cycle(regulator, register, renewal, today) if regulator else None
    counted = tally(cycle, cpd, evidence) if cycle else Tally()
    return assess(regulator, register, cycle, counted, today, at_risk_days=rules.at_risk_days,
                  warning_days=rules.warning_days)


def status_row(rules: RegulatorRules, person: Staff | Any, verdict: Assessment) -> StatusRow:
    """`person` is a staff row, or a row of the same named columns (the list reads only those)."""
    regulator = rules.for_register(person.register_code)
    return StatusRow(person.id, staff_rules.display_name(person.given_name, person.family_name, person.preferred_name),
                     person.register_code, regulator.name if regulator else "", verdict.status.value,
                     verdict.status.label, verdict.reason, verdict.cycle.due if verdict.cycle else None,
                     verdict.days_to_due, verdict.warning, person.line_manager_id)


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


def read_statuses(session: Session, actor: Actor, today: date, rules: RegulatorRules) -> list[StatusRow]:
    """Everyone in post on a register whom the actor may see, soonest due first."""
    visible = visible_staff_ids(session, actor, today)
    among = [Staff.register_code != "", Staff.status.in_(IN_POST)]
    if visible is not None:
        among.append(Staff.id.in_(visible or {-1}))
    people = session.execute(select(Staff.id, Staff.given_name, Staff.family_name, Staff.preferred_name,
                                     Staff.register_code, Staff.registration_renewal, Staff.line_manager_id)
                              .where(*among)).all()
    ids = select(Staff.id).where(*among).scalar_subquery()  # one statement, however many people
    cpd: dict[int, list[CpdFact]] = defaultdict(list)
    evidence: dict[int, list[EvidenceFact]] = defaultdict(list)
    if people:
        for row in session.execute(select(CpdEntry.staff_id, CpdEntry.occurred_on, CpdEntry.hours,
                                          CpdEntry.participatory, CpdEntry.planned, CpdEntry.counts_towards)
                                   .where(CpdEntry.staff_id.in_(ids))):
            cpd[row[0]].append(CpdFact(*row[1:]))
        for row in session.execute(select(RevalidationEvidence.staff_id, RevalidationEvidence.kind,
                                          RevalidationEvidence.occurred_on, RevalidationEvidence.hours,
                                          RevalidationEvidence.counts_towards)
                                   .where(RevalidationEvidence.staff_id.in_(ids))):
            evidence[row[0]].append(EvidenceFact(*row[1:]))
    rows = [status_row(rules, p, judge(rules, p.register_code, p.registration_renewal, cpd[p.id], evidence[p.id], today))
            for p in people]
    far = date.max
    return sorted(rows, key=lambda r: (r.due or far, r.name.casefold()))


def read_warnings(session: Session, actor: Actor, today: date, rules: RegulatorRules) -> list[StatusRow]:
    """What Home shows: the actor's own cycle and those of the people they line-manage, when a
    warning (90, 60, 30, 7 days) has been reached or the cycle is overdue."""
    return [r for r in read_statuses(session, actor, today, rules)
            if (r.staff_id == actor.staff_id or r.line_manager_id == actor.staff_id or actor.sole_user)
            and (r.warning is not None or r.status == "overdue")]
