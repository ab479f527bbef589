"""From gathered facts to what the screens show: a status per person and type, a row per arrangement.

The rules themselves (what is due when, which arrangement decides a cell) are in
`arrs_desk.domain.supervision`; this module applies them to the facts one read gathered and
fills in the read shapes, naming supervisors as the person reading them may see them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from sqlmodel import Session

from arrs_desk.domain.dates import format_uk
from arrs_desk.domain.supervision import (
    STATUS_SEVERITY,
    ArrangementCompliance,
    ComplianceStatus,
    Frequency,
    SupervisionCatalogue,
    arrangement_phase,
    arrangement_status,
    decided_cell,
    months_in_post,
    status_label,
)
from arrs_desk.services.supervision.facts import NO_RULE, NO_SESSIONS, Facts, Person, gather_facts
from arrs_desk.services.supervision.views import ArrangementRow, MatrixCell, TypeColumn
from arrs_desk.store.models import SupervisionArrangement


ENDED = ComplianceStatus.ENDED
NOT_STARTED = ComplianceStatus.NOT_STARTED


def type_columns(catalogue: SupervisionCatalogue) -> tuple[TypeColumn, ...]:
    return tuple(TypeColumn(c, catalogue.type(c).title, catalogue.type(c).description) for c in catalogue.type_codes)


def frequency_text(frequency: Frequency | None) -> str:
    return frequency.label if frequency else ""


def evaluate(facts: Facts, arrangement: SupervisionArrangement, person: Person,
             rules: dict[str, tuple[bool, Frequency | None]], sessions: Mapping[str, date], today: date,
             ) -> tuple[ArrangementCompliance, Frequency | None]:
    """One arrangement's status today, and the frequency it is held to (its own, or the one the
    person's role expects now). `rules` is `Facts.rules_for` the person's role and months in post,
    `sessions` the person's latest session of each type (`Facts.latest`)."""
    if arrangement.frequency_code:
        frequency = facts.catalogue.frequency(arrangement.frequency_code)
    else:
        frequency = rules.get(arrangement.type_code, NO_RULE)[1]
    if arrangement.supervisor_staff_id is not None:
        active = facts.active(arrangement.supervisor_staff_id)
    else:
        external = facts.externals.get(arrangement.supervisor_external_id)
        active = external is not None and external.active
    result = arrangement_status(
        today=today, arrangement_start=arrangement.start_date, arrangement_end=arrangement.end_date,
        frequency=frequency, last_session=sessions.get(arrangement.type_code),
        supervisor_active=active, due_soon_days=facts.due_soon, person_start=person.start_date,
    )
    return result, frequency


def _supervisor_name_of(facts: Facts, arrangement) -> str:
    if arrangement.supervisor_staff_id is not None:
        supervisor = facts.people.get(arrangement.supervisor_staff_id)
    else:
        supervisor = facts.externals.get(arrangement.supervisor_external_id)
    return supervisor.name if supervisor is not None else "(removed)"


def _supervisor_label(facts: Facts, arrangement: SupervisionArrangement) -> tuple[str, str]:
    """(name, detail): an external supervisor's detail is their job, organisation and contact."""
    if arrangement.supervisor_staff_id is not None:
        supervisor = facts.people.get(arrangement.supervisor_staff_id)
        return (supervisor.name, "") if supervisor else ("(removed)", "")
    external = facts.externals.get(arrangement.supervisor_external_id)
    if external is None:
        return "(removed)", ""
    detail = ", ".join(x for x in (external.job_title, external.organisation) if x)
    contact = " · ".join(x for x in (external.email, external.phone) if x)
    return external.name, " · ".join(x for x in (detail, contact) if x)


def matrix_cells(facts: Facts, person: Person, types: tuple[TypeColumn, ...], today: date,
                 shared: dict | None = None) -> tuple[MatrixCell, ...]:
    """One cell per supervision type: the best of the person's arrangements of that type decides it.

    `shared` keeps, across the people of one read (and one `types`), cells that depend on no more
    than a few inputs, made once (cells are frozen): those of types nobody is arranged for (the
    type, the rule and the last session), most of a big PCN's cells; by role and `Facts.stage`,
    the row of such cells with no session held, which a person's row starts from, so only the types
    they have arrangements or sessions of are worked out; and those of types arranged once
    (`_one_arrangement_cell`). Its keys are tuples of different lengths, so the kinds never meet."""
    months = months_in_post(person.start_date, today)
    rules = facts.rules_for(person.role_code, months)
    sessions = facts.latest.get(person.id, NO_SESSIONS)
    if shared is None:
        shared = {}
    stage = (person.role_code, facts.stage(person.role_code, months))
    row = shared.get(stage)
    if row is None:
        row = shared[stage] = tuple(
            _unarranged_cell(shared, c.code, *rules.get(c.code, NO_RULE), None) for c in types)
    by_type: dict[str, list] = {}
    for a in facts.arrangements.get(person.id, ()):
        by_type.setdefault(a.type_code, []).append(a)
    if not by_type and not sessions:
        return row
    cells = list(row)
    for i, column in enumerate(types):
        code = column.code
        arranged = by_type.get(code)
        if arranged:
            rule, last = rules.get(code, NO_RULE), sessions.get(code)
            if len(arranged) == 1:
                cells[i] = _one_arrangement_cell(facts, shared, code, rule, last, arranged[0], person, rules,
                                                 sessions, today)
            else:
                cells[i] = _arranged_cell(facts, code, rule, last, [
                    (a, *evaluate(facts, a, person, rules, sessions, today)) for a in arranged])
        elif code in sessions:
            cells[i] = _unarranged_cell(shared, code, *rules.get(code, NO_RULE), sessions[code])
    return tuple(cells)


def _one_arrangement_cell(facts: Facts, kept: dict, code: str, rule: tuple[bool, Frequency | None],
                          last: date | None, arrangement, person: Person,
                          rules: dict[str, tuple[bool, Frequency | None]], sessions: Mapping[str, date],
                          today: date) -> MatrixCell:
    """The cell of a type the person is arranged for once (nearly all arranged cells), made once per
    read for each set of what it reads: the rule, the arrangement's own frequency and supervisor
    (their name and whether they are active), its phase (`arrangement_phase`), the last session, and
    the start only where it counts (the first due date with no session held; a not-started one
    is named with its start). 13,000 arrangements at 5,000 staff share about 2,800 cells."""
    start = arrangement.start_date
    phase = arrangement_phase(today, start, arrangement.end_date, person.start_date)
    key = (code, rule, arrangement.frequency_code, arrangement.supervisor_staff_id,
           arrangement.supervisor_external_id, phase, last,
           start if last is None or phase is NOT_STARTED else None)
    cell = kept.get(key)
    if cell is None:
        cell = kept[key] = _arranged_cell(facts, code, rule, last, [
            (arrangement, *evaluate(facts, arrangement, person, rules, sessions, today))])
    return cell


def _unarranged_cell(kept: dict, code: str, required: bool, expected: Frequency | None,
                     last: date | None) -> MatrixCell:
    """The cell of a type nobody is arranged for, made once per read (`matrix_cells`)."""
    key = (code, required, expected, last)
    cell = kept.get(key)
    if cell is None:
        status = ComplianceStatus.NOT_ARRANGED if required else ComplianceStatus.NOT_APPLICABLE
        cell = kept[key] = MatrixCell(
            type_code=code, status=status, status_label=status_label(status),
            severity=STATUS_SEVERITY[status], required=required, supervisors="", next_due=None,
            last_session=last, days_overdue=0, frequency_label=frequency_text(expected),
            live_arrangements=0,
        )
    return cell


def _arranged_cell(facts: Facts, code: str, rule: tuple[bool, Frequency | None], last: date | None,
                   evaluated: list) -> MatrixCell:
    """The cell of a type the person has arrangements of: (arrangement, compliance, frequency) each."""
    required, expected = rule
    if len(evaluated) == 1:  # most cells: one arrangement, which decides the cell unless it has ended
        only = evaluated[0]
        status, best = decided_cell(required, (only[1],))
        live, deciding = ((only,), only) if best is not None else ((), None)
    else:
        status, best = decided_cell(required, [e[1] for e in evaluated])
        live = [e for e in evaluated if e[1].status is not ENDED and e[1].status is not NOT_STARTED]
        deciding = next((e for e in evaluated if e[1] is best), None)
    if len(live) == 1:  # most cells: one supervisor, no list to make
        supervisors = _supervisor_name_of(facts, live[0][0])
    elif live:
        supervisors = ", ".join(dict.fromkeys(_supervisor_name_of(facts, e[0]) for e in live))
    else:  # none live: say who is arranged from a later day, rather than "No supervisor named"
        supervisors = ", ".join(f"{_supervisor_name_of(facts, e[0])} from {format_uk(e[0].start_date)}"
                                for e in evaluated if e[1].status is NOT_STARTED)
    label = frequency_text(deciding[2] if deciding is not None else expected)
    return MatrixCell(
        type_code=code, status=status, status_label=status_label(status), severity=STATUS_SEVERITY[status],
        required=required, supervisors=supervisors,
        next_due=best.next_due if best else None,
        last_session=last,
        days_overdue=best.days_overdue if best else 0,
        frequency_label=label, live_arrangements=len(live),
    )


def arrangement_rows(facts: Facts, person: Person, types: tuple[TypeColumn, ...],
                     today: date) -> tuple[ArrangementRow, ...]:
    """The person's arrangements, live ones first, in the catalogue's type order."""
    if not facts.details:
        raise ValueError("arrangement_rows needs facts gathered with their details (gather_facts)")
    rules = facts.rules_for(person.role_code, months_in_post(person.start_date, today))
    sessions = facts.latest.get(person.id, NO_SESSIONS)
    order = {t.code: i for i, t in enumerate(types)}
    titles = {t.code: t.title for t in types}
    rows = []
    for a in facts.arrangements.get(person.id, ()):
        result, frequency = evaluate(facts, a, person, rules, sessions, today)
        name, detail = _supervisor_label(facts, a)
        label = frequency_text(frequency)
        if not a.frequency_code:
            label = f"{label} (role default)" if label else "None expected now"
        rows.append(ArrangementRow(
            id=a.id, version=a.version, staff_id=a.staff_id, type_code=a.type_code,
            type_title=titles.get(a.type_code, a.type_code), supervisor_staff_id=a.supervisor_staff_id,
            supervisor_external_id=a.supervisor_external_id, supervisor_name=name, supervisor_detail=detail,
            frequency_code=a.frequency_code, frequency_label=label, start_date=a.start_date,
            end_date=a.end_date, notes=a.notes, agreement_filename=a.agreement_filename if a.agreement_sha256 else "",
            agreement_size=a.agreement_size, status=result.status, status_label=status_label(result.status),
            last_session=result.last_session, next_due=result.next_due, days_overdue=result.days_overdue,
        ))
    rows.sort(key=lambda r: (not r.live, order.get(r.type_code, 99), r.start_date))
    return tuple(rows)


def one_arrangement(session: Session, row: SupervisionArrangement, today: date) -> ArrangementRow:
    """The row a write hands back: the arrangement as the person's page now shows it."""
    session.flush()
    facts = gather_facts(session, today, {row.staff_id})
    person = facts.people[row.staff_id]
    rows = arrangement_rows(facts, person, type_columns(facts.catalogue), today)
    return next(r for r in rows if r.id == row.id)
