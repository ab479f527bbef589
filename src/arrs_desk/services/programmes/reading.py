"""Reading enrolments: the overview of everyone on a programme, one enrolment's page, and what
the enrolment form offers.

Each enrolment's figures come from the progress rule (`domain.programme_progress`), fed by the
same stored facts as every other screen, so the overview and the page always agree.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, or_, select

from arrs_desk.domain import staff as staff_rules
from arrs_desk.domain.permissions import ANYONE, AccessRole, Action, denial
from arrs_desk.domain.programme_progress import evaluate
from arrs_desk.domain.programmes import EnrolmentStatus
from arrs_desk.services import reference
from arrs_desk.services.actor import Actor
from arrs_desk.services.choices import Choice
from arrs_desk.services.programmes.base import ProgrammeServiceBase
from arrs_desk.services.programmes.guards import find_enrolment, require_view
from arrs_desk.services.programmes.page import enrolment_view
from arrs_desk.services.programmes.records import facts_for, person_name, signers
from arrs_desk.services.programmes.views import EnrolmentChoices, EnrolmentSummary, EnrolmentView, ProgrammeChoice
from arrs_desk.services.relationships import holds_relationships, managed_ids, visible_staff_ids
from arrs_desk.services.shared_reads import shared, shared_reads
from arrs_desk.store.models import (
    ExternalPerson, ProgrammeEnrolment, ProgrammeTemplate, Role, Staff,
)


class ProgrammeReading(ProgrammeServiceBase):
    """The overview, one enrolment's page and the enrolment form's choices."""

    @shared
    def overview(self, actor: Actor) -> list[EnrolmentSummary]:
        """Every enrolment the actor may see (their team's, and any they precept or assess), with
        its progress worked out by the domain rules; six queries whatever the number of people."""
        today = self._today()
        _, rows = shared_reads(self._db).by_person(("programmes.overview", actor, today),
                                                   lambda only: self._overview_rows(actor, today, only))
        return sorted((row for mine in rows.values() for row in mine),
                      key=lambda r: (r.sort_name, r.start_date, r.enrolment_id))

    def _overview_rows(self, actor: Actor, today: date,
                       only: frozenset[int] | None) -> tuple[None, dict[int, tuple[EnrolmentSummary, ...]]]:
        """The enrolments of the people in `only` (everyone's for None) the actor may see, by person."""
        e = ProgrammeEnrolment
        with self._db.read() as session:
            visible = visible_staff_ids(session, actor, today)
            condition = e.id.is_not(None)
            if visible is not None:
                named = [e.staff_id.in_(visible or {-1})]
                if actor.staff_id is not None:
                    named += [e.preceptor_staff_id == actor.staff_id, e.assessor_staff_id == actor.staff_id]
                condition = or_(*named)
            if only is not None:
                condition = and_(condition, e.staff_id.in_(only))
            ids = select(e.id).where(condition)
            enrolments = session.execute(select(e).where(condition)).scalars().all()
            facts = facts_for(session, ids, enrolments)
            staff_ids = {x.staff_id for x in enrolments} | {x.preceptor_staff_id for x in enrolments} | {
                x.assessor_staff_id for x in enrolments}
            everyone = reference.staff(session)
            people = {i: everyone[i] for i in staff_ids if i in everyone}
            externals = dict(session.execute(select(ExternalPerson.id, ExternalPerson.name)).all())
            roles = {code: role.title for code, role in reference.roles(session).items()}
            org_names = reference.practice_names(session)
            practices = reference.practices_by_staff(session)
        rows: dict[int, list[EnrolmentSummary]] = {}
        for enrolment in enrolments:
            f = facts[enrolment.id]
            ev = evaluate(f, today)
            person = people.get(enrolment.staff_id)
            name = person_name(person)
            upcoming = sorted((ev.due[m.id], m.title) for m in f.milestones if m.held_on is None)
            practice_ids = tuple(sorted(practices.get(enrolment.staff_id, ()), key=lambda i: org_names.get(i, "")))
            practice_text = ", ".join(org_names.get(i, "") for i in practice_ids)
            role_title = roles.get(person.role_code, person.role_code) if person else ""
            preceptor = (person_name(people.get(enrolment.preceptor_staff_id)) if enrolment.preceptor_staff_id
                         else externals.get(enrolment.preceptor_external_id, ""))
            assessor = (person_name(people.get(enrolment.assessor_staff_id)) if enrolment.assessor_staff_id
                        else externals.get(enrolment.assessor_external_id, ""))
            rows.setdefault(enrolment.staff_id, []).append(EnrolmentSummary(
                enrolment_id=enrolment.id, staff_id=enrolment.staff_id, display_name=name,
                sort_name=staff_rules.search_key(person.family_name if person else "", name),
                role_code=person.role_code if person else "", role_title=role_title, practice_ids=practice_ids,
                practices=practice_text, programme_code=enrolment.programme_code, programme_title=enrolment.title,
                start_date=enrolment.start_date, expected_end=ev.end, status=ev.status, progress=ev.progress,
                time_elapsed=ev.elapsed, milestones_held=ev.held, milestones_total=len(f.milestones),
                milestones_overdue=ev.overdue,
                next_milestone=upcoming[0][1] if upcoming and ev.status not in (
                    EnrolmentStatus.COMPLETED, EnrolmentStatus.WITHDRAWN) else "",
                next_due=upcoming[0][0] if upcoming and ev.status not in (
                    EnrolmentStatus.COMPLETED, EnrolmentStatus.WITHDRAWN) else None,
                competencies_signed=f.competencies_signed, competencies_total=f.competencies_total,
                protected_logged=round(f.logged_hours, 2), protected_expected=round(ev.expected_hours, 2),
                behind=ev.reasons, preceptor=preceptor, assessor=assessor,
                search_key=staff_rules.search_key(name, role_title, enrolment.title, enrolment.programme_code,
                                                  practice_text, preceptor, assessor),
            ))
        return None, {staff_id: tuple(mine) for staff_id, mine in rows.items()}

    def enrolment(self, actor: Actor, *, enrolment_id: int) -> EnrolmentView:
        today = self._today()
        with self._db.read() as session:
            row, rel = find_enrolment(session, actor, enrolment_id, today)
            require_view(actor, rel, row)
            return enrolment_view(session, actor, row, rel, today)

    def enrolments_for(self, actor: Actor, *, staff_id: int) -> list[EnrolmentSummary]:
        return [r for r in self.overview(actor) if r.staff_id == staff_id]

    def enrolment_choices(self, actor: Actor) -> EnrolmentChoices:
        """What the enrolment form offers: the people this actor may enrol, programmes, and who
        may precept or assess (colleagues and people from outside the PCN)."""
        with self._db.read() as session:
            people = session.execute(
                select(Staff.id, Staff.given_name, Staff.family_name, Staff.preferred_name, Staff.role_code,
                       Staff.start_date).where(*reference.not_left_where(self._today()))
            ).all()
            roles = dict(session.execute(select(Role.code, Role.title)).all())
            if denial(actor.roles, Action.MANAGE_PROGRAMME, ANYONE) is None or actor.sole_user:
                allowed = None
            elif (AccessRole.LINE_MANAGER in actor.roles and actor.staff_id is not None
                  and holds_relationships(session, actor, self._today())):
                allowed = managed_ids(session, actor.staff_id)
            else:
                allowed = set()
            templates = session.execute(select(ProgrammeTemplate).where(ProgrammeTemplate.is_current)).scalars().all()
            programmes = []
            for t in templates:
                interim = [m["week"] for m in t.milestones if m["week"] < t.length_weeks]
                programmes.append(ProgrammeChoice(t.code, t.version, t.title, tuple(t.roles), t.length_weeks,
                                                  t.protected_hours_per_week, max(interim, default=0)))
            externals = session.execute(
                select(ExternalPerson).where(ExternalPerson.active).order_by(ExternalPerson.name)).scalars().all()
            can_sign = signers(session)
        choices = sorted((Choice(p[0], staff_rules.display_name(p[1], p[2], p[3]), roles.get(p[4], p[4]))
                          for p in people), key=lambda c: staff_rules.search_key(c.label))
        return EnrolmentChoices(
            people=tuple(c for c in choices if allowed is None or c.value in allowed),
            person_roles={p[0]: p[4] for p in people},
            person_starts={p[0]: p[5] for p in people},
            programmes=tuple(sorted(programmes, key=lambda p: p.title.casefold())),
            colleagues=tuple(choices),
            externals=tuple(Choice(x.id, x.name, ", ".join(v for v in (x.job_title, x.organisation) if v))
                            for x in externals),
            signers=frozenset(can_sign),
            sole_user=actor.sole_user,
        )
