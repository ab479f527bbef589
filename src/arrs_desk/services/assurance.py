"""Assurance: the Network Contract's checks per person, the check-in summary, retention.

Facts come from the records other services keep (supervision matrix, programme overview, reviews,
induction items and inductions completed before records began, the staff record), gathered for
everyone at once: a fixed number of queries whatever the number of staff. The rules live in
`arrs_desk.domain.assurance`. The report and its CSV open with the counts per check, then every
"not met" with its reason.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import select

from arrs_desk.domain import assurance as rules
from arrs_desk.domain import induction as induction_rules
from arrs_desk.domain import staff as staff_rules
from arrs_desk.domain.dates import stored_date
from arrs_desk.domain.reviews import ReviewFact
from arrs_desk.domain.permissions import AccessRole, Action
from arrs_desk.domain.staff import EmploymentModel, StaffStatus
from arrs_desk.domain.workforce_retention import notes as retention_notes
from arrs_desk.errors import NotFound, ValidationError
from arrs_desk.services import reference
from arrs_desk.services.raw_rows import Days, as_stored, plain_rows
from arrs_desk.services import audit
from arrs_desk.services._common import apply_update, require
from arrs_desk.services.actor import Actor
from arrs_desk.services.checkins import CheckinSchedule
from arrs_desk.services.exports import save_audited, write_csv
from arrs_desk.services.relationships import relationship, visible_staff_ids
from arrs_desk.services.shared_reads import shared, shared_reads
from arrs_desk.store.database import Database
from arrs_desk.store.models import (
    AssuranceFlag, InductionChecklist, InductionItem, InductionPriorRecord, InductionTemplateItem,
    Organisation, ProgrammeTemplate, Review, Role, Staff, StaffPractice,
)

_DONE_STATES = ("complete", "na")
_AWAITING_STATE = "awaiting"
_GROUPINGS = {"role": "Role", "practice": "Practice", "model": "Employment model"}


# --------------------------------------------------------------------------- read shapes
@dataclass(frozen=True, slots=True)
class CheckColumn:
    code: str
    short: str
    title: str
    description: str
    source: str = ""
    """Where the requirement comes from, from the checks file."""


class AssuranceRow(NamedTuple):
    """One person against every check: a named tuple, made for everyone in post (see `PersonFacts`)."""

    staff_id: int
    display_name: str
    sort_key: str
    role_code: str
    role_title: str
    practice_ids: tuple[int, ...]
    practices: str
    employment_model: str
    temporary_cover: bool
    results: tuple[rules.CheckResult, ...]
    has_checklist: bool = False
    enrolment_id: int | None = None
    """The person's latest programme enrolment the actor may see, for the pathway check's link."""
    has_unmet: bool = False
    """Whether any check is not met: worked out with the row (in the background), as the page asks
    it of every row on the GUI thread each time a filter changes."""

    @property
    def unmet(self) -> tuple[rules.CheckResult, ...]:
        return tuple(r for r in self.results if r.status is rules.CheckStatus.NOT_MET)


@dataclass(frozen=True)
class AssuranceMatrix:
    today: date
    checks: tuple[CheckColumn, ...]
    rows: tuple[AssuranceRow, ...]
    practices: tuple[tuple[int, str], ...]
    roles: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class SummaryLine:
    title: str
    met: int
    not_met: int
    not_applicable: int
    description: str = ""
    source: str = ""


@dataclass(frozen=True, slots=True)
class UnmetPerson:
    name: str
    role: str
    practices: str
    unmet: tuple[tuple[str, str], ...]
    """(check title, reason)"""


@dataclass(frozen=True)
class AssuranceReport:
    """Plain data for `reports.assurance_pdf` and the report CSV: the counts per check, then each
    person's unmet checks (the PDF lists them check by check)."""

    pcn_name: str
    today: date
    scope: str
    people: int
    summary: tuple[SummaryLine, ...]
    unmet: tuple[UnmetPerson, ...]


@dataclass(frozen=True)
class RetentionReport:
    today: date
    grouping: str
    rows: tuple[rules.RetentionRow, ...]
    total: rules.RetentionRow
    notes: tuple[str, ...] = ()
    """What the figures count (`workforce_retention.notes`): shown under them and ending the CSV."""


class AssuranceService:
    def __init__(self, db: Database, workspace: Any, today: Callable[[], date]):
        self._db = db
        self._workspace = workspace
        self._today = today

    # ======================================================================= contract checks
    @shared
    def matrix(self, actor: Actor) -> AssuranceMatrix:
        """Every ARRS member of staff in post whom the actor may see, against every check.

        Built on the programme overview and the training matrix, which the Home page reads for its
        own figures too (both `shared`, worked out once per change), and on each person's clinical
        supervision cell, taken from the supervision matrix when Home has read it and otherwise
        worked out for that type alone (`SupervisionReading.type_cells`). After a save, only the
        people it touched are checked again (`shared_reads.by_person`)."""
        today = self._today()
        checks = rules.builtin_checks()
        org_names, by_person = shared_reads(self._db).by_person(
            ("assurance.matrix", actor, today, checks), lambda only: self._matrix_rows(actor, today, checks, only))
        rows = sorted(by_person.values(), key=lambda r: (r.sort_key, r.staff_id))
        used_practices = sorted({i for r in rows for i in r.practice_ids}, key=lambda i: org_names.get(i, ""))
        used_roles = sorted({(r.role_code, r.role_title) for r in rows}, key=lambda pair: pair[1])
        return AssuranceMatrix(
            today=today,
            checks=tuple(CheckColumn(c.code, c.short, c.title, c.description, c.source) for c in checks),
            rows=tuple(rows), practices=tuple((i, org_names.get(i, "")) for i in used_practices),
            roles=tuple(used_roles),
        )

    def _matrix_rows(self, actor: Actor, today: date, checks: Sequence[rules.CheckDefinition],
                     only: frozenset[int] | None) -> tuple[dict[int, str], dict[int, AssuranceRow]]:
        """The practices' names, and the rows of the people in `only` the matrix shows (everyone's
        for None), by person."""
        if only is None and any(c.kind == "training" for c in checks):
            self._workspace.training.start_statuses(actor)  # the database's work, beside what follows
        # Only the clinical supervision cell is checked: read for that type alone, unless the whole
        # matrix is kept (Home reads it for its own card).
        clinical = self._workspace.supervision.type_cells(actor, type_code="clinical", only=only)
        latest: dict[int, int] = {}  # person -> their latest enrolment's id, for the pathway check's link
        enrolments: dict[int, list] = {}
        for summary in self._workspace.programmes.overview(actor):
            enrolments.setdefault(summary.staff_id, []).append(summary)
        assessed = self._workspace.revalidation.assessed(actor) if any(c.kind == "registration" for c in checks) else {}

        def theirs(stmt, column):  # a query of everyone's rows, or of only these people's
            return stmt if only is None else stmt.where(column.in_(only))

        with self._db.read() as session:
            visible = visible_staff_ids(session, actor, today)
            roles = reference.roles(session)
            in_post = reference.in_post_ids(session, today)
            people = [p for p in reference.staff(session).values()
                      if p.id in in_post and (only is None or p.id in only)
                      and (visible is None or p.id in visible) and p.role_code in roles and roles[p.role_code].arrs]
            flags = dict(session.execute(theirs(select(AssuranceFlag.staff_id, AssuranceFlag.temporary_cover),
                                                AssuranceFlag.staff_id)).all())
            org_names = reference.practice_names(session)
            practices = reference.practices_by_staff(session)
            reviews = self._reviews(session, only)
            programme_roles = {code: frozenset(roles_ or ()) for code, roles_ in session.execute(
                select(ProgrammeTemplate.code, ProgrammeTemplate.roles).where(ProgrammeTemplate.is_current))}
            pathway_roles = {role for roles_ in programme_roles.values() for role in roles_}
            with_checklist = set(session.execute(theirs(select(InductionChecklist.staff_id).distinct(),
                                                        InductionChecklist.staff_id)).scalars())
            tags = self._tag_progress(session, checks, today, only)
            training = self._training(session, actor, [p.id for p in people],
                                      {p.id: roles[p.role_code] for p in people}, {p.id: p.role_code for p in people},
                                      today, only) \
                if any(c.kind == "training" for c in checks) else {}
            revalidation = self._revalidation(session, assessed, [p for p in people if p.register_code
                                                               or roles[p.role_code].registration_required], today) \
                if any(c.kind == "registration" for c in checks) else {}
            prior = {staff_id: rules.PriorInduction(stored_date(completed_on), by_name, by_role)
                     for staff_id, completed_on, by_name, by_role in plain_rows(session, theirs(select(
                         InductionPriorRecord.staff_id, as_stored(InductionPriorRecord.completed_on),
                         InductionPriorRecord.attested_by_name, InductionPriorRecord.attested_by_role),
                         InductionPriorRecord.staff_id))}
        not_met = rules.CheckStatus.NOT_MET
        everyone: list[rules.PersonFacts] = []
        for p in people:
            role = roles[p.role_code]
            cell = clinical.get(p.id)
            pathways: tuple[tuple[str, str], ...] = ()
            if p.id in enrolments:
                mine = sorted(enrolments[p.id], key=lambda e: (e.start_date, e.enrolment_id), reverse=True)
                # A pathway counts for the role it is for: after a paramedic became a physiotherapist,
                # the paramedic preceptorship met "Enrolled on a training pathway" for the new role.
                pathways = tuple((e.programme_title, str(e.status)) for e in mine
                                 if p.role_code in programme_roles.get(e.programme_code, (p.role_code,)))
                latest[p.id] = mine[0].enrolment_id
            everyone.append(rules.PersonFacts(
                staff_id=p.id, start_date=p.start_date, end_date=p.end_date,
                on_leave=p.status == StaffStatus.ON_LEAVE.value, temporary_cover=bool(flags.get(p.id, False)),
                role_code=p.role_code, registration_required=role.registration_required,
                registration_number=p.registration_number or "", registration_renewal=p.registration_renewal,
                revalidation=revalidation.get(p.id),
                supervision_status=None if cell is None else str(cell.status),
                supervision_last=None if cell is None else cell.last_session,
                supervision_next_due=None if cell is None else cell.next_due,
                supervision_overdue_days=0 if cell is None else cell.days_overdue,
                reviews=tuple(reviews.get(p.id, ())),
                enrolments=pathways,
                role_has_pathway=p.role_code in pathway_roles,
                has_checklist=p.id in with_checklist, induction_tags=tags.get(p.id, {}),
                prior_induction=prior.get(p.id), training=training.get(p.id),
            ))
        rows = {}
        # Everyone's checks at once, check by check (`Evaluator.many`): it shares answers between people.
        placed: dict[tuple[int, ...], tuple[tuple[int, ...], str]] = {}  # practices -> (ids by name, their names)
        for p, facts, results in zip(people, everyone, rules.Evaluator(today, checks).many(everyone)):
            name = staff_rules.display_name(p.given_name, p.family_name, p.preferred_name)
            sort_key = staff_rules.search_key(name)
            own = practices.get(p.id, ())
            found = placed.get(own)
            if found is None:  # a PCN has a few dozen combinations of practices, shared by thousands
                ids = tuple(sorted(own, key=lambda i: org_names.get(i, "")))
                found = placed[own] = (ids, ", ".join(org_names.get(i, "") for i in ids))
            ids, where = found
            rows[p.id] = AssuranceRow(
                staff_id=p.id, display_name=name, sort_key=sort_key, role_code=p.role_code,
                role_title=roles[p.role_code].title, practice_ids=ids, practices=where,
                employment_model=p.employment_model, temporary_cover=facts.temporary_cover,
                results=results, has_checklist=facts.has_checklist,
                enrolment_id=latest.get(p.id),
                has_unmet=any(r.status is not_met for r in results),
            )
        return org_names, rows

    def _training(self, session, actor: Actor, staff_ids: list[int], roles: dict, role_codes: dict[int, str],
                  today: date, only: frozenset[int] | None) -> dict[int, tuple[tuple[str, str], ...]]:
        """Each person's state in each subject their role needs (`domain.training`). The training
        service's statuses (kept when Home has read them) hold it for everyone in post the actor may
        see; anyone they leave out is worked out here from the newest completion per level that the
        training service's query hands over."""
        from arrs_desk.domain.training import training_state, training_subjects
        from arrs_desk.services.training.reading import completions_by_person

        subjects = training_subjects()
        titles = [s.title for s in subjects.subjects]
        shown = self._workspace.training.statuses(actor, only=only)
        paired: dict[int, tuple] = {}  # people with the same statuses (one object) share their pairs
        found = {}
        for staff_id in staff_ids:
            mine = shown.get(staff_id)
            if mine is not None:
                pairs = paired.get(id(mine))
                found[staff_id] = pairs if pairs is not None else paired.setdefault(id(mine), tuple(zip(titles, mine)))
        rest = [staff_id for staff_id in staff_ids if staff_id not in found]
        done = completions_by_person(session, rest, today) if rest else {}
        for staff_id in rest:
            role = roles[staff_id]
            mine = done.get(staff_id, {})
            found[staff_id] = tuple(
                (s.title, training_state(s, s.required_level(role_codes[staff_id], role.clinical), mine.get(s.code, ()),
                                         today, subjects.due_soon_days).status.value)
                for s in subjects.subjects)
        return found

    def _revalidation(self, session, assessed: Mapping, people: list, today: date) -> dict[int, rules.RevalidationFact]:
        """Each registered person's revalidation status, as the Revalidation page works it out: the
        revalidation service's `assessed` (shared with Home), and for anyone it does not hold (a role
        that needs registration with no register recorded) the same rules on no facts."""
        from arrs_desk.services.revalidation.records import assessments

        verdicts = dict(assessed)
        rest = [p for p in people if p.id not in verdicts]
        if rest:
            verdicts.update(assessments(session, rest, select(Staff.id).where(Staff.id.in_([p.id for p in rest])),
                                        today, self._workspace.revalidation.rules))
        facts = {}
        for p in people:
            v = verdicts[p.id]
            facts[p.id] = rules.RevalidationFact(v.status.value, v.reason, v.notice_from,
                                                 v.audit is not None and v.audit.sent_on is None)
        return facts

    @staticmethod
    def _reviews(session, only: frozenset[int] | None = None) -> dict[int, list[ReviewFact]]:
        """Every review by person (only these people's, if given), held or booked: the domain works
        out the latest one held and how probation stands (one read of the reviews table; its
        service's overview also works out everything due, ten times the cost)."""
        found: dict[int, list[ReviewFact]] = {}
        day = Days()
        stmt = select(Review.staff_id, Review.kind, Review.probation_month, as_stored(Review.meeting_date))
        if only is not None:
            stmt = stmt.where(Review.staff_id.in_(only))
        for staff_id, kind, month, meeting in plain_rows(session, stmt):
            found.setdefault(staff_id, []).append(ReviewFact(kind, month, day[meeting]))
        return found

    @staticmethod
    def _tag_progress(session, checks: Sequence[rules.CheckDefinition], today: date,
                      only: frozenset[int] | None = None) -> dict[int, dict[str, rules.TagProgress]]:
        """Per person and tag the checks ask about: how many items, done, late, awaiting sign-off,
        and the next due date. Each item counts by its own copy of the tags, made with the
        checklist: a template edit that tagged another item must not change the verdict on a
        checklist made before it. Only items whose key carries a wanted tag in some version of a
        template are read (every copied item's tags were once its template item's)."""
        wanted = {c.tag for c in checks if c.tag}
        keys: set[str] = set()
        for key, item_tags in session.execute(select(InductionTemplateItem.key, InductionTemplateItem.tags)):
            if set(item_tags or ()) & wanted:
                keys.add(key)
        if not keys:
            return {}
        counts: dict[int, dict[str, list]] = {}
        day = Days()
        asked: dict[object, set[str]] = {}
        """An item's tags as stored -> those the checks ask about: a few dozen lists of tags,
        each read from JSON once rather than once for each of thousands of items."""
        stmt = select(InductionItem.staff_id, as_stored(InductionItem.tags), InductionItem.state, as_stored(InductionItem.due_on),
                      as_stored(InductionChecklist.anchor_date)).join(
            InductionChecklist, InductionChecklist.id == InductionItem.checklist_id).where(
            InductionItem.key.in_(list(keys)))
        if only is not None:
            stmt = stmt.where(InductionItem.staff_id.in_(only))
        for staff_id, stored_tags, state, due_text, day_one_text in plain_rows(session, stmt):
            if type(stored_tags) is not str:  # PostgreSQL's driver hands JSON over read already
                stored_tags = json.dumps(stored_tags)
            tags = asked.get(stored_tags)
            if tags is None:
                tags = asked[stored_tags] = wanted.intersection(json.loads(stored_tags) or ())
            if not tags:
                continue
            due_on, day_one = day[due_text], day[day_one_text]
            for tag in tags:
                tally = counts.setdefault(staff_id, {}).setdefault(tag, [0, 0, 0, 0, None])
                tally[0] += 1
                if state in _DONE_STATES:
                    tally[1] += 1
                    continue
                if induction_rules.past_due(due_on, today, day_one):
                    tally[2] += 1
                    tally[3] += state == _AWAITING_STATE
                tally[4] = due_on if tally[4] is None else min(tally[4], due_on)
        return {staff_id: {tag: rules.TagProgress(*tally) for tag, tally in by_tag.items()}
                for staff_id, by_tag in counts.items()}

    @staticmethod
    def filter_rows(*, matrix: AssuranceMatrix, practice_id: int | None = None,
                    role_code: str | None = None) -> tuple[AssuranceRow, ...]:
        return tuple(r for r in matrix.rows
                     if (practice_id is None or practice_id in r.practice_ids)
                     and (role_code is None or r.role_code == role_code))

    def report(self, actor: Actor, *, practice_id: int | None = None, role_code: str | None = None,
               matrix: AssuranceMatrix | None = None) -> AssuranceReport:
        """The commissioner's report: counts per check, then each person's unmet checks."""
        matrix = matrix or self.matrix(actor)
        rows = self.filter_rows(matrix=matrix, practice_id=practice_id, role_code=role_code)
        titles = {c.code: c.title for c in matrix.checks}
        summary = []
        for index, check in enumerate(matrix.checks):
            statuses = [r.results[index].status for r in rows]
            summary.append(SummaryLine(check.title, statuses.count(rules.CheckStatus.MET),
                                       statuses.count(rules.CheckStatus.NOT_MET),
                                       statuses.count(rules.CheckStatus.NOT_APPLICABLE), check.description,
                                       check.source))
        unmet = tuple(UnmetPerson(r.display_name, r.role_title, r.practices,
                                  tuple((titles[u.code], u.reason) for u in r.unmet)) for r in rows if r.has_unmet)
        scope = ["ARRS roles"]
        if practice_id is not None:
            scope.append(dict(matrix.practices).get(practice_id, ""))
        if role_code is not None:
            scope.append(dict(matrix.roles).get(role_code, role_code))
        if not actor.has(AccessRole.ADMINISTRATOR):
            # The matrix holds only the people the actor may see (`visible_staff_ids`): a line
            # manager's report must not read to a commissioner as the whole PCN's.
            scope.append(f"only the people {actor.display_name} may see, not the whole PCN")
        with self._db.read() as session:
            pcn = session.execute(select(Organisation.name).where(Organisation.kind == "pcn")).scalars().first()
        return AssuranceReport(pcn or "Primary care network", matrix.today, " - ".join(scope), len(rows),
                               tuple(summary), unmet)

    REPORT_CSV_HEADER = ("Section", "Check", "Met", "Not met", "N/A", "Name", "Role", "Practices", "Status",
                         "Reason", "Evidence")

    def export_report_csv(self, actor: Actor, *, path: Path | str, matrix: AssuranceMatrix,
                          practice_id: int | None = None, role_code: str | None = None) -> int:
        """The report as one table a spreadsheet can sort: a "Summary" line per check with its
        counts, then a "Not met" line for every check not met with its reason, then every other
        result ("Met or N/A"), each with the page holding the evidence. Returns the lines written."""
        require(actor, Action.CREATE_STAFF)
        rows = self.filter_rows(matrix=matrix, practice_id=practice_id, role_code=role_code)
        report = self.report(actor, practice_id=practice_id, role_code=role_code, matrix=matrix)
        results = [(check, row, row.results[index]) for index, check in enumerate(matrix.checks) for row in rows]

        def line(section: str, check: CheckColumn, row: AssuranceRow, result: rules.CheckResult) -> tuple:
            return (section, check.title, "", "", "", row.display_name, row.role_title, row.practices,
                    result.status.label, result.reason, result.evidence)

        lines = [("Summary", s.title, s.met, s.not_met, s.not_applicable, "", "", "", "", "", "")
                 for s in report.summary]
        lines += [line("Not met", *item) for item in results if item[2].status is rules.CheckStatus.NOT_MET]
        lines += [line("Met or N/A", *item) for item in results if item[2].status is not rules.CheckStatus.NOT_MET]
        return save_audited(self._db, actor, path, record="assurance", what="the assurance report", file_format="CSV",
                            people=len({r.staff_id for r in rows}),
                            write=lambda partial: write_csv(partial, self.REPORT_CSV_HEADER, lines)).rows

    def set_temporary_cover(self, actor: Actor, *, staff_id: int, temporary_cover: bool) -> None:
        """Temporary cover is exempt from the six-month engagement check."""
        with self._db.write() as session:
            require(actor, Action.EDIT_STAFF, relationship(session, actor, staff_id, self._today()))
            if session.get(Staff, staff_id) is None:
                raise NotFound("That member of staff no longer exists.")
            row = session.get(AssuranceFlag, staff_id)
            old = bool(row and row.temporary_cover)
            if row is None:
                session.add(AssuranceFlag(staff_id=staff_id, temporary_cover=temporary_cover))
            else:
                apply_update(session, row, {"temporary_cover": temporary_cover}, row.version, "assurance flag")
            audit.record(session, actor, "update", "assurance_flag", staff_id,
                         "Marked as temporary cover" if temporary_cover else "No longer marked as temporary cover",
                         audit.diff({"temporary_cover": old}, {"temporary_cover": temporary_cover}),
                         subject_staff_id=staff_id)

    # ======================================================================= check-ins
    # The rules, storage and anonymity of check-ins live in `services.checkins`; these are the
    # calls the Assurance page makes.
    def schedule(self) -> CheckinSchedule:
        return self._workspace.checkins.schedule()

    def set_schedule(self, actor: Actor, *, months: Sequence[int], repeat_every: int,
                     expected_version: int | None) -> CheckinSchedule:
        return self._workspace.checkins.set_schedule(actor, months=months, repeat_every=repeat_every,
                                                     expected_version=expected_version)

    def checkin_summary(self, actor: Actor, *, by: str = "role") -> list[rules.GroupSummary]:
        return self._workspace.checkins.checkin_summary(actor, by=by)

    @staticmethod
    def _group_names(session, by: str, staff_ids: set[int]) -> dict[int, list[str]]:
        if by == "role":
            titles = dict(session.execute(select(Role.code, Role.title)).all())
            return {sid: [titles.get(code, code)] for sid, code in session.execute(select(Staff.id, Staff.role_code))
                    if sid in staff_ids}
        names = dict(session.execute(select(Organisation.id, Organisation.name)).all())
        result: dict[int, list[str]] = {}
        for sid, org in session.execute(select(StaffPractice.staff_id, StaffPractice.organisation_id)):
            if sid in staff_ids:
                result.setdefault(sid, []).append(names.get(org, ""))
        return result

    # ======================================================================= retention
    def retention(self, actor: Actor, *, by: str = "role") -> RetentionReport:
        """Starters, leavers and 12-month retention of ARRS staff, grouped by role, practice or
        employment model (see the definitions in `domain.workforce_retention`), with notes saying
        what they count."""
        require(actor, Action.CREATE_STAFF)
        if by not in _GROUPINGS:
            raise ValidationError.single("by", "Group by role, practice or employment model.")
        today = self._today()
        with self._db.read() as session:
            visible = visible_staff_ids(session, actor, today)
            roles = {code: (title, arrs) for code, title, arrs in session.execute(select(Role.code, Role.title, Role.arrs))}
            people = [p for p in session.execute(select(Staff.id, Staff.role_code, Staff.employment_model,
                                                        Staff.start_date, Staff.end_date, Staff.leaving_reason))
                      if (visible is None or p.id in visible) and roles.get(p.role_code, ("", False))[1]]
            groups = self._group_names(session, "practice", {p.id for p in people}) if by == "practice" else {}
        buckets: dict[str, list[rules.Tenure]] = {}
        everyone = []
        for p in people:
            tenure = rules.Tenure(p.start_date, p.end_date, p.leaving_reason)
            everyone.append(tenure)
            if p.start_date > today:
                continue  # not in post yet: in no group's row (the total counts them)
            if by == "role":
                names = [roles[p.role_code][0]]
            elif by == "model":
                names = [EmploymentModel(p.employment_model).label if p.employment_model in EmploymentModel._value2member_map_
                         else p.employment_model]
            else:
                names = groups.get(p.id) or ["No practice recorded"]
            for name in names:
                buckets.setdefault(name, []).append(tenure)
        rows = tuple(rules.retention(name, buckets[name], today) for name in sorted(buckets))
        total = rules.retention("All ARRS staff", everyone, today)
        several = sum(len(groups.get(p.id, ())) > 1 for p in people if p.start_date <= today)
        return RetentionReport(today, by, rows, total, retention_notes(by, not_started=total.not_started,
                                                                      at_several_practices=several))

    def export_retention_csv(self, actor: Actor, *, path: Path | str, report: RetentionReport) -> int:
        require(actor, Action.CREATE_STAFF)
        header = (_GROUPINGS[report.grouping], "Starters (12 months)", "Leavers (12 months)", "Retained at 12 months",
                  "Left before 12 months", "Too recent to count", "12-month retention", "Leaving reasons")
        lines = [(r.group, r.starters, r.leavers, r.retained, r.lost, r.too_recent, r.rate_text,
                  "; ".join(f"{reason} ({n})" for reason, n in r.leaving_reasons))
                 for r in (*report.rows, report.total)]
        notes = [(f"Note: {note}",) for note in report.notes]  # what the figures count, after them
        t = report.total  # counts and reasons, no names; a small group's reasons can still point at someone
        return save_audited(self._db, actor, path, record="retention",
                            what=f"retention by {_GROUPINGS[report.grouping].lower()}", file_format="CSV",
                            people=t.retained + t.lost + t.too_recent,
                            write=lambda partial: write_csv(partial, header, lines + notes) - len(notes)).rows
