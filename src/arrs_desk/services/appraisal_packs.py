"""Appraisal packs: one person's year put together for their appraiser, saved as PDF or printed.

The pack is assembled for one staff id only, through the other services' read methods (so each
applies its own permission and privacy rules, such as who may read reflections) plus two reads
of its own: the PCN's supervision frequencies, and the audit trail entries about this person.
Nothing here reads another person's records. Saving or printing a pack is itself recorded in the
audit trail (action "print").
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select

from arrs_desk import clock
from arrs_desk.domain import reviews as review_rules
from arrs_desk.domain import staff as staff_rules
from arrs_desk.domain.appraisal_packs import is_gap_worth_discussing
from arrs_desk.domain.dates import add_months, format_uk, months_window_start
from arrs_desk.domain.induction import ExpiryStatus, ItemStatus
from arrs_desk.domain.permissions import Action, denial
from arrs_desk.domain.staff import EmploymentModel, StaffStatus
from arrs_desk.domain.supervision import is_required, months_in_post
from arrs_desk.domain.text import file_slug
from arrs_desk.errors import ArrsDeskError, ValidationError
from arrs_desk.paths import create_private_file, make_private, private_folder
from arrs_desk.reports.pack_data import (
    AppraisalPackData, PackAuditLine, PackGap, PackImpact, PackInduction, PackInductionItem, PackMilestone,
    PackObjective, PackPdpItem, PackPerson, PackProgramme, PackReview, PackRevalidation, PackSession, PackSignature,
    PackSupervision, PackSupervisionType,
)
from arrs_desk.services import audit
from arrs_desk.services._common import get_or_404, require
from arrs_desk.services.actor import Actor
from arrs_desk.services.exports import export_audit_values
from arrs_desk.services.relationships import relationship
from arrs_desk.services.revalidation.packs import revalidation_summary
from arrs_desk.services.reviews import ReviewDetail
from arrs_desk.services.supervision.facts import load_catalogue
from arrs_desk.store.database import Database
from arrs_desk.store.models import AuditEntry, Staff

log = logging.getLogger(__name__)

MAX_AUDIT_LINES = 600
"""The appendix keeps the newest lines beyond this, and says how many older ones it left out."""
MAX_PERIOD_MONTHS = 24
PACKS_READ_AT_ONCE = 4
"""On a database server across the network, how many packs of a batch are read at the same time
while the one before is built: reading a pack is mostly waiting for the server, building it is not."""
CURRENT_WINDOW_DAYS = 45
"""A review held this close to the end of the period (or later) is the one the pack prepares for."""

ACTION_LABELS = {
    "create": "Recorded", "update": "Changed", "delete": "Removed", "sign_off": "Signed", "tick": "Ticked",
    "untick": "Unticked", "return": "Returned", "record": "Recorded", "confirm": "Confirmed", "print": "Printed",
    "attach": "Attached", "not_applicable": "Not applicable", "reopen": "Reopened", "renew": "Renewed",
    "regulator_pack": "Printed",
}


@dataclass(frozen=True)
class PackBatch:
    """What a batch of packs came to."""

    saved: tuple[Path, ...]
    failed: tuple[tuple[str, str], ...]
    """(person, reason) for each pack that could not be made."""
    cancelled: bool


@dataclass(frozen=True, slots=True)
class PackChoice:
    """Someone the actor may make a pack for, for the batch and the command line."""

    staff_id: int
    display_name: str
    role_title: str


def file_name(display_name: str, staff_id: int, end: date) -> str:
    """A file name that is safe everywhere and unique per person: letters of any script are kept."""
    return f"appraisal-pack-{file_slug(display_name)}-{staff_id}-{end:%Y-%m-%d}.pdf"


class AppraisalPackService:
    def __init__(self, db: Database, today: Callable[[], date], workspace):
        self._db = db
        self._today = today
        self._workspace = workspace

    # ======================================================================= periods and people
    def default_period(self) -> tuple[date, date]:
        """The twelve months up to today (as a review's suggested period counts them)."""
        today = self._today()
        return months_window_start(today, 12), today

    def printable(self, actor: Actor) -> list[PackChoice]:
        """Everyone in post the actor may make a pack for."""
        rows = self._workspace.reviews.overview(actor).due_rows
        return [PackChoice(r.staff_id, r.display_name, r.role_title) for r in rows if r.can_print]

    def _period(self, start: date | None, end: date | None) -> tuple[date, date]:
        default_start, default_end = self.default_period()
        end = end or default_end
        start = start or (months_window_start(end, 12) if end != default_end else default_start)
        if end < start:
            raise ValidationError.single("period", f"The period ends ({format_uk(end)}) before it starts "
                                                   f"({format_uk(start)}); check the dates.")
        if end > add_months(start, MAX_PERIOD_MONTHS):
            raise ValidationError.single("period", f"A pack covers at most {MAX_PERIOD_MONTHS} months; shorten the period.")
        return start, end

    # ======================================================================= assembling
    def pack_data(self, actor: Actor, *, staff_id: int, start: date | None = None,
                  end: date | None = None) -> AppraisalPackData:
        start, end = self._period(start, end)
        return self._assemble(actor, staff_id, start, end, None)

    def _assemble(self, actor: Actor, staff_id: int, start: date, end: date,
                  enrolments: dict[int, list] | None) -> AppraisalPackData:
        """`enrolments` is a batch's list of programme enrolments by person, read once for all.

        One session for all the pack's reads; on a PostgreSQL server, the reads of the last pack
        made are sent together for this person at the start (`store.read_ahead`): a batch of packs
        across sites waits for a round trip or two per pack rather than sixty."""
        with self._db.one_read("appraisal pack", subject=staff_id):
            self._db.reading_afresh()  # nothing in a pack is a kept figure: every pack reads afresh
            return self._assembled(actor, staff_id, start, end, enrolments)

    def _assembled(self, actor: Actor, staff_id: int, start: date, end: date,
                   enrolments: dict[int, list] | None) -> AppraisalPackData:
        today = self._today()
        ws = self._workspace
        with self._db.read() as session:
            require(actor, Action.PRINT_PACK, relationship(session, actor, staff_id, today))
            get_or_404(session, Staff, staff_id, "staff member")
            catalogue = load_catalogue(session)  # the PCN's edits over the built-in file
            audit_lines, omitted = self._audit_lines(session, staff_id, start, end)
        record = ws.staff.get(actor, staff_id=staff_id)
        checklist = ws.induction.checklist(actor, staff_id=staff_id)
        prior = None if checklist.has_checklist else ws.induction_prior.get(actor, staff_id=staff_id)
        supervision = ws.supervision.person(actor, staff_id=staff_id)
        details = ws.reviews.reviews_of(actor, staff_id=staff_id)
        impact = ws.reviews.impact_log(actor, staff_id=staff_id, start=start, end=end)
        programmes = self._programmes(actor, staff_id, start, end, enrolments)

        # Only this employment's reviews: a returner's pack listed the job they had left, its
        # appraiser on the front page and its objectives as this period's.
        details = [d for d in details if review_rules.in_this_employment(d.row.meeting_date, record.data.start_date)]
        current, opening, earlier = _split_reviews(details, start, end, today)
        appraiser = (current or (details[-1] if details else None))
        person = self._person(record, checklist, supervision, appraiser.row.appraiser_name if appraiser else "")
        objective_reviews = ([opening] if opening else []) + earlier
        superseded = {o.carried_from_id for d in objective_reviews for o in d.objectives if o.carried_from_id}
        return AppraisalPackData(
            staff_id=staff_id, organisation=ws.organisations.pcn_name(), period_start=start, period_end=end,
            printed_on=today, printed_by=actor.display_name, person=person,
            induction=_induction(checklist, prior),
            supervision=_supervision(supervision, catalogue, record, start, end, today),
            programmes=programmes,
            earlier_reviews=tuple(_review(d) for d in earlier),
            previous_objectives=tuple(_objective(d, o, today) for d in objective_reviews for o in d.objectives
                                      if o.id not in superseded),
            previous_pdp=tuple(_pdp(p) for d in objective_reviews for p in d.pdp),
            current_review=_review(current) if current else None,
            current_objectives=tuple(_objective(current, o, today) for o in current.objectives) if current else (),
            current_pdp=tuple(_pdp(p) for p in current.pdp) if current else (),
            impact=tuple(PackImpact(i.occurred_on, i.kind_label, i.title, i.description, i.measure, i.value,
                                    i.recorded_by) for i in reversed(impact)),
            audit=audit_lines, audit_omitted=omitted, revalidation=self._revalidation(actor, record),
        )

    def _revalidation(self, actor: Actor, record) -> PackRevalidation | None:
        """The current revalidation cycle, for a person on a register with rules for one."""
        revalidation = self._workspace.revalidation
        if revalidation.rules.for_register(record.data.register_code) is None:
            return None
        found = revalidation.person(actor, staff_id=record.id)
        return revalidation_summary(revalidation.rules, found, record.data.registration_number)

    def _person(self, record, checklist, supervision, appraiser: str) -> PackPerson:
        data = record.data
        hours = ""
        if data.hours_per_week:
            hours = f"{data.hours_per_week:g} hours a week"
            if record.whole_time_equivalent:
                hours += f" ({record.whole_time_equivalent:.2f} WTE)"
        note = ""
        if checklist.registration_status is ExpiryStatus.EXPIRED:
            note = "Registration renewal date has passed"
        elif checklist.registration_status is ExpiryStatus.EXPIRING:
            note = "Renewal due soon"
        return PackPerson(
            display_name=record.display_name, role_title=record.role_title, practices=record.practice_names,
            employer=record.employer_name, employment=EmploymentModel(data.employment_model).label,
            start_date=data.start_date, status_label=StaffStatus(data.status).label, band=data.afc_band, hours=hours,
            registration=checklist.registration, registration_renewal=data.registration_renewal,
            registration_note=note, line_manager=record.line_manager_name,
            supervisors=tuple((a.type_title, a.supervisor_name) for a in supervision.arrangements if a.live),
            appraiser=appraiser, formal_name=record.formal_name,
        )

    def _enrolments(self, actor: Actor) -> dict[int, list]:
        """Every enrolment the actor may see, by person: one read of the programmes overview for a
        whole batch instead of one per pack."""
        found: dict[int, list] = {}
        for summary in self._workspace.programmes.overview(actor):
            found.setdefault(summary.staff_id, []).append(summary)
        return found

    def _programmes(self, actor: Actor, staff_id: int, start: date, end: date,
                    enrolments: dict[int, list] | None) -> tuple[PackProgramme, ...]:
        """Enrolments running in the period, from the programmes service's own read methods."""
        service = self._workspace.programmes
        summaries = (enrolments.get(staff_id, []) if enrolments is not None
                     else service.enrolments_for(actor, staff_id=staff_id))
        found = []
        for summary in summaries:
            view = service.enrolment(actor, enrolment_id=summary.enrolment_id)
            finished = view.completed_on or view.withdrawn_on
            if view.start_date > end or (finished is not None and finished < start):
                continue
            found.append(PackProgramme(
                title=view.title, status_label=view.status.label, start_date=view.start_date,
                expected_end=view.expected_end, completed_on=view.completed_on,
                preceptor=view.preceptor, assessor=view.assessor, progress=view.progress,
                time_elapsed=view.time_elapsed, milestones_held=view.milestones_held,
                milestones_total=view.milestones_total, milestones_overdue=view.milestones_overdue,
                competencies_signed=view.competencies_signed, competencies_total=view.competencies_total,
                protected_logged=view.protected_logged, protected_expected=view.protected_expected,
                behind=tuple(view.behind),
                milestones=tuple(PackMilestone(m.title, m.due, m.status_label, m.held_on) for m in view.milestones),
            ))
        return tuple(found)

    @staticmethod
    def _audit_lines(session, staff_id: int, start: date, end: date) -> tuple[tuple[PackAuditLine, ...], int]:
        since, until = clock.uk_days(start, end)  # the period's days in England, as every other date in the pack
        condition = (AuditEntry.subject_staff_id == staff_id, AuditEntry.at >= since, AuditEntry.at < until)
        total = session.execute(select(func.count()).select_from(AuditEntry).where(*condition)).scalar()
        rows = session.execute(
            select(AuditEntry.at, AuditEntry.actor_name, AuditEntry.action, AuditEntry.summary)
            .where(*condition).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(MAX_AUDIT_LINES)
        ).all()
        lines = tuple(PackAuditLine(clock.in_uk(at), who,
                                    ACTION_LABELS.get(action, action.replace("_", " ").capitalize()), summary)
                      for at, who, action, summary in reversed(rows))
        return lines, max(0, total - len(lines))

    # ======================================================================= saving and printing
    def save_pack(self, actor: Actor, *, staff_id: int, path: Path | str, start: date | None = None,
                  end: date | None = None) -> Path:
        """Write the pack as a PDF; a half-written file never appears under the chosen name."""
        start, end = self._period(start, end)
        return self._save(actor, staff_id, Path(path), start, end, None)

    def _save(self, actor: Actor, staff_id: int, target: Path, start: date, end: date,
              enrolments: dict[int, list] | None, data: AppraisalPackData | None = None) -> Path:
        """`data`: the pack already read (a batch reads ahead), else read now."""
        from arrs_desk.reports.appraisal_pack import build_appraisal_pack

        if data is None:
            data = self._assemble(actor, staff_id, start, end, enrolments)
        partial = target.with_name(f".{target.name}.partial")
        try:
            create_private_file(partial)  # owner-only before the first byte is written
            build_appraisal_pack(partial, data)
            make_private(partial)
            with self._db.write() as session:
                audit.record(session, actor, "print", "appraisal_pack", staff_id,
                             f"Saved the appraisal pack of {data.person.display_name} for {format_uk(data.period_start)} "
                             f"to {format_uk(data.period_end)} as {target.name}",
                             {"period": [data.period_start.isoformat(), data.period_end.isoformat()],
                              "file": target.name,
                              **export_audit_values(what=f"the appraisal pack of {data.person.display_name}",
                                                    people=1, file_format="PDF", path=target)[1]},
                             subject_staff_id=staff_id)
                os.replace(partial, target)
        except OSError as exc:
            raise ValidationError.single("path", (
                f"The pack could not be saved to {target} ({exc.strerror or exc}). Choose another folder, or close "
                "the file if it is open in another program.")) from None
        finally:
            partial.unlink(missing_ok=True)
        return target

    def save_packs(self, actor: Actor, *, staff_ids: Iterable[int], folder: Path | str, start: date | None = None,
                   end: date | None = None, progress: Callable[[int, int, str], None] | None = None,
                   cancelled: Callable[[], bool] | None = None) -> PackBatch:
        """One PDF per person into `folder`. A pack that cannot be made is reported and the rest
        go on; `cancelled` is asked before each pack, so stopping never leaves half a file."""
        ids = list(dict.fromkeys(staff_ids))
        start, end = self._period(start, end)
        target = Path(folder)
        try:
            private_folder(target)  # a folder made for the packs is the owner's only
        except OSError as exc:
            raise ValidationError.single("folder", f"Cannot use the folder {target} ({exc.strerror or exc}).") from None
        names = self._names_you_may_see(actor, ids)
        enrolments = self._enrolments(actor)
        saved, failed = [], []
        stopped = False
        with _PacksAhead(self, actor, [i for i in ids if i in names], start, end, enrolments) as ahead:
            for index, staff_id in enumerate(ids):
                if cancelled is not None and cancelled():
                    stopped = True
                    break
                name = names.get(staff_id)
                if name is None:  # unknown, or not yours: the same words, so neither a name nor existence leaks
                    failed.append((f"staff id {staff_id}",
                                   f"there is nobody with staff id {staff_id} whose appraisal pack you may make"))
                    continue
                if progress is not None:
                    progress(index, len(ids), name)
                try:
                    saved.append(self._save(actor, staff_id, target / file_name(name, staff_id, end), start, end,
                                            enrolments, ahead.data(staff_id)))
                except ArrsDeskError as exc:
                    failed.append((name, exc.message))
                except Exception as exc:  # noqa: BLE001  one pack the PDF maker cannot draw must not cost the rest
                    log.error("the appraisal pack of staff id %s could not be drawn: %s: %s", staff_id,
                              type(exc).__name__, exc)
                    failed.append((name, "the PDF could not be drawn (an unexpected problem, written to the app's "
                                         "log); nothing was saved for this person"))
        if progress is not None and not stopped:
            progress(len(ids), len(ids), "")
        return PackBatch(tuple(saved), tuple(failed), stopped)

    def record_printed(self, actor: Actor, *, staff_id: int, start: date, end: date, printer: str) -> None:
        """Called after the pack went to a printer through the print dialog."""
        today = self._today()
        with self._db.write() as session:
            require(actor, Action.PRINT_PACK, relationship(session, actor, staff_id, today))
            person = get_or_404(session, Staff, staff_id, "staff member")
            name = staff_rules.display_name(person.given_name, person.family_name, person.preferred_name)
            audit.record(session, actor, "print", "appraisal_pack", staff_id,
                         f"Printed the appraisal pack of {name} for {format_uk(start)} to {format_uk(end)}"
                         + (f" on {printer}" if printer else ""),
                         {"period": [start.isoformat(), end.isoformat()], "printer": printer},
                         subject_staff_id=staff_id)

    def _names_you_may_see(self, actor: Actor, staff_ids: list[int]) -> dict[int, str]:
        """Names of the people in `staff_ids` whose pack `actor` may make; nobody else's."""
        today = self._today()
        with self._db.read() as session:
            rows = session.execute(select(Staff.id, Staff.given_name, Staff.family_name, Staff.preferred_name)
                                   .where(Staff.id.in_(staff_ids or [-1]))).all()
            return {r.id: staff_rules.display_name(r.given_name, r.family_name, r.preferred_name) for r in rows
                    if denial(actor.roles, Action.PRINT_PACK, relationship(session, actor, r.id, today)) is None}


# --------------------------------------------------------------------------- pieces


class _PacksAhead:
    """A batch's packs read ahead of their turn, `PACKS_READ_AT_ONCE` at a time, each in its own
    worker and session, on a database server across the network (on a SQLite file, reading is
    work for this computer, not waiting, so each pack is read in its turn). A pack that cannot be
    read raises when its turn comes, as reading it then would have."""

    def __init__(self, service: AppraisalPackService, actor: Actor, staff_ids: list[int], start: date, end: date,
                 enrolments: dict[int, list]):
        self._read = lambda staff_id: service._assemble(actor, staff_id, start, end, enrolments)
        self._order = staff_ids
        self._next = 0
        self._reading: dict[int, Future] = {}
        self._pool = None if service._db.is_sqlite else ThreadPoolExecutor(PACKS_READ_AT_ONCE, "pack-reader")

    def data(self, staff_id: int) -> AppraisalPackData:
        if self._pool is None:
            return self._read(staff_id)
        while self._next < len(self._order) and len(self._reading) < PACKS_READ_AT_ONCE:
            upcoming = self._order[self._next]
            self._next += 1
            self._reading.setdefault(upcoming, self._pool.submit(self._read, upcoming))
        return self._reading.pop(staff_id).result()

    def __enter__(self) -> _PacksAhead:
        return self

    def __exit__(self, *_exc) -> None:
        if self._pool is not None:  # stopped early: packs not begun are not read at all
            self._pool.shutdown(wait=True, cancel_futures=True)


def _split_reviews(details: list[ReviewDetail], start: date, end: date, today: date):
    """(the review the pack prepares for, the review that opened the period, reviews held in it)."""
    window = end - timedelta(days=CURRENT_WINDOW_DAYS)
    candidates = [d for d in details if d.row.when >= window or not review_rules.is_held(d.row.meeting_date, today)]
    current = max(candidates, key=lambda d: (d.row.when, d.id)) if candidates else None
    before = [d for d in details if d is not current and d.row.when < start]
    opening = max(before, key=lambda d: (d.row.when, d.id)) if before else None
    earlier = [d for d in details if d is not current and start <= d.row.when <= end]
    return current, opening, earlier


def _review(detail: ReviewDetail) -> PackReview:
    row = detail.row
    return PackReview(
        kind_label=row.kind_label, meeting_date=row.meeting_date, period_start=row.period_start,
        period_end=row.period_end, appraiser=row.appraiser_name, state_label=row.state_label,
        outcome_label=row.outcome_label, outcome_note=detail.outcome_note, summary=detail.appraiser_summary,
        self_assessment=detail.self_assessment, reflections=detail.reflections,
        signatures=tuple(PackSignature(s.party_label, s.name, s.signed_on,
                                       f"on paper, entered by {s.recorded_by}" if s.on_paper else "in ARRS Desk")
                         for s in detail.signatures),
    )


def _objective(detail: ReviewDetail, objective, today: date) -> PackObjective:
    """An objective with where it comes from: agreed at a meeting held, or only proposed for one
    still to come (a booked review's objectives are a draft until the meeting)."""
    row = detail.row
    kind = row.kind_label.lower()
    if row.meeting_date is None:
        where = f"Proposed for the {kind}, not yet held"
    elif row.meeting_date > today:
        where = f"Proposed for the {kind} booked for {format_uk(row.meeting_date)}"
    else:
        where = f"Agreed at the {kind} of {format_uk(row.meeting_date)}"
    origin = ". ".join(x for x in (where, objective.carried_from, objective.carried_to) if x)
    return PackObjective(objective.description, objective.measure, objective.due_date, objective.status_label,
                         objective.progress, origin + ".")


def _pdp(item) -> PackPdpItem:
    return PackPdpItem(item.need, item.action, item.support, item.target_date, item.status_label)


def _induction(view, prior) -> PackInduction:
    if not view.has_checklist:
        if prior is None:
            return PackInduction(recorded=False)
        return PackInduction(recorded=False, prior=prior.text, prior_note=prior.note,
                             prior_evidence=prior.evidence_filename)
    items = view.items
    outstanding = sorted((i for i in items if i.status not in (ItemStatus.COMPLETE, ItemStatus.NOT_APPLICABLE)),
                         key=lambda i: (i.due_on, i.title))
    alerts = sorted((i for i in items if i.expiry in (ExpiryStatus.EXPIRED, ExpiryStatus.EXPIRING)),
                    key=lambda i: (i.expires_on or date.max, i.title))
    return PackInduction(
        recorded=True, percent=view.progress.percent, done=view.progress.done, applicable=view.progress.applicable,
        overdue=view.overdue, awaiting=view.awaiting,
        outstanding=tuple(PackInductionItem(i.section_title, i.title, i.due_on, i.status.label) for i in outstanding),
        training_alerts=tuple(PackInductionItem(i.section_title, i.title, i.expires_on, i.expiry.label) for i in alerts),
    )


def _supervision(person, catalogue, record, start: date, end: date, today: date) -> PackSupervision:
    """Sessions by kind against what was expected over the period, the gaps, and the themes.

    What was expected, and the gaps, are counted up to today: a period ending at a meeting still
    to come listed the days after printing as sessions missed and as gaps ("overdue from
    16/02/2027") that had not happened."""
    role, started = record.data.role_code, record.data.start_date
    begin = max(start, started)
    end = min(end, today)
    in_period = [s for s in person.sessions if start <= s.held_on <= end]
    types, gaps = [], []
    for column, cell in zip(person.types, person.cells):
        code = column.code
        mine = [s for s in in_period if s.type_code == code]
        arrangements = [a for a in person.arrangements if a.type_code == code]
        live = [a for a in arrangements if a.live]
        if not (cell.required or mine or live):
            continue

        def frequency_at(day: date, code=code, arrangements=arrangements):
            for a in arrangements:
                if a.frequency_code and a.start_date <= day and (a.end_date is None or a.end_date >= day):
                    return catalogue.frequency(a.frequency_code)
            months = months_in_post(started, day)
            if not is_required(catalogue, code, role, months):
                return None
            rule = catalogue.requirement(code, role)
            return rule.frequency_at(months) if rule else None

        expected = review_rules.expected_sessions(begin, end, frequency_at) if end >= begin else 0
        if cell.required or expected:
            all_days = [s.held_on for s in person.sessions if s.type_code == code]
            before = max((d for d in all_days if d < begin), default=None)
            since = max(started, min((a.start_date for a in arrangements), default=started))
            for gap in review_rules.supervision_gaps(all_days, begin, end, frequency_at, before=before, since=since):
                if is_gap_worth_discussing(gap.days):
                    gaps.append(PackGap(column.title, gap.start, gap.end, gap.days))
        types.append(PackSupervisionType(
            title=column.title, required=cell.required, frequency=cell.frequency_label,
            held=len(mine), expected=expected, minutes=sum(s.duration_minutes or 0 for s in mine),
            last_session=max((s.held_on for s in mine), default=None),
            supervisors="; ".join(dict.fromkeys(a.supervisor_name for a in live)),
        ))
    sessions = tuple(PackSession(s.held_on, s.type_title, s.supervisor_name, s.duration_minutes, s.format_label,
                                 s.topics) for s in sorted(in_period, key=lambda s: (s.held_on, s.id)))
    return PackSupervision(
        types=tuple(types), gaps=tuple(sorted(gaps, key=lambda g: g.start)), sessions=sessions,
        themes=tuple(review_rules.topic_themes(s.topics for s in in_period)),
        total_hours=round(sum(s.duration_minutes or 0 for s in in_period) / 60, 1),
    )
