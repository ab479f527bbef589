"""Supervision across the PCN: who supervises whom at each practice, each supervisor's hours,
and the next-due dates as a calendar file for Outlook.

Each report covers only the staff the actor may see.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from arrs_desk.domain import staff as staff_rules
from arrs_desk.domain.dates import format_uk
from arrs_desk.domain.staff import EMPLOYMENT_MODEL_LABELS, OrganisationKind
from arrs_desk.domain.supervision import ComplianceStatus, supervisor_hours
from arrs_desk.errors import ValidationError
from arrs_desk.services.actor import Actor
from arrs_desk.services.relationships import visible_staff_ids
from arrs_desk.services.supervision.base import SupervisionServiceBase
from arrs_desk.services.supervision.compliance import ENDED, NOT_STARTED, arrangement_rows, matrix_cells, type_columns
from arrs_desk.services.supervision.facts import gather_facts
from arrs_desk.services.supervision.views import (
    DeployedPerson, DeployedSupervision, DeploymentReport, LoadRow, PracticeDeployment, SupervisorLoad,
)
from arrs_desk.store.models import (
    ExternalPerson, Organisation, Role, Staff, StaffPractice, SupervisionAttendance, SupervisionSession, utcnow,
)

SUPERVISOR_LEFT = ComplianceStatus.SUPERVISOR_LEFT


class SupervisionReports(SupervisionServiceBase):
    def deployment(self, actor: Actor) -> DeploymentReport:
        """For each practice, the ARRS staff who work there and who supervises them."""
        today = self._today()
        with self._db.read() as session:
            visible = visible_staff_ids(session, actor, today)
            facts = gather_facts(session, today, visible)
            practices = session.execute(
                select(Organisation).where(Organisation.kind == OrganisationKind.PRACTICE.value, Organisation.active)
                .order_by(Organisation.name)
            ).scalars().all()
            pcn = session.execute(
                select(Organisation.name).where(Organisation.kind == OrganisationKind.PCN.value)).scalars().first()
            roles = {code: (title, arrs) for code, title, arrs in session.execute(select(Role.code, Role.title, Role.arrs))}
            employment = dict(session.execute(select(Staff.id, Staff.employment_model)).all())
            placed: dict[int, list[int]] = {}
            for staff_id, org_id in session.execute(select(StaffPractice.staff_id, StaffPractice.organisation_id)):
                placed.setdefault(staff_id, []).append(org_id)
        names = {p.id: p.name for p in practices}
        types = type_columns(facts.catalogue)
        by_practice: dict[int, list[DeployedPerson]] = {p.id: [] for p in practices}
        for person in facts.people.values():
            title, arrs = roles.get(person.role_code, (person.role_code, False))
            if not arrs or not person.active_on(today) or (visible is not None and person.id not in visible):
                continue
            live = [a for a in arrangement_rows(facts, person, types, today) if a.live]
            clinical = tuple(DeployedSupervision(a.type_code, a.type_title, a.supervisor_name, a.status_label, a.status)
                             for a in live if a.type_code == "clinical")
            other = tuple(DeployedSupervision(a.type_code, a.type_title, a.supervisor_name, a.status_label, a.status)
                          for a in live if a.type_code != "clinical")
            cells = matrix_cells(facts, person, types, today)
            worst = max(cells, key=lambda c: c.severity)
            manager = facts.people.get(person.line_manager_id) if person.line_manager_id else None
            for org_id in placed.get(person.id, ()):
                if org_id not in by_practice:
                    continue
                elsewhere = ", ".join(sorted(names[o] for o in placed[person.id] if o != org_id and o in names))
                by_practice[org_id].append(DeployedPerson(
                    staff_id=person.id, display_name=person.name, role_title=title,
                    employment=EMPLOYMENT_MODEL_LABELS.get(employment.get(person.id), ""),
                    line_manager=manager.name if manager else "", other_practices=elsewhere,
                    clinical=clinical, other=other, worst_label=worst.status_label, worst=worst.severity,
                    not_arranged=tuple(c.type_code for c in cells if c.status is ComplianceStatus.NOT_ARRANGED),
                ))
        result = []
        for practice in practices:
            people = sorted(by_practice[practice.id], key=lambda p: (p.role_title, staff_rules.search_key(p.display_name)))
            result.append(PracticeDeployment(practice.id, practice.name, practice.ods_code, tuple(people)))
        return DeploymentReport(pcn or "", today, tuple(result))

    def supervisor_load(self, actor: Actor, *, start: date, end: date) -> SupervisorLoad:
        """Hours of supervision each supervisor gave between two dates (both included).

        Counted from the sessions of the staff the actor may see. A group session's time is
        shared among everyone who attended, so the supervisor is credited once; for a reader who
        may see only some of its attendees (a line manager), only their share is counted, and
        `partly_seen_groups` says how many sessions that was.
        """
        if start is None or end is None or end < start:
            raise ValidationError.single("end", "The end of the period must be on or after its start.")
        today = self._today()
        with self._db.read() as session:
            visible = visible_staff_ids(session, actor, today)
            counts = (
                select(SupervisionAttendance.session_id, func.count().label("n"))
                .where(SupervisionAttendance.held_on >= start, SupervisionAttendance.held_on <= end)
                .group_by(SupervisionAttendance.session_id).subquery()
            )
            stmt = (
                select(SupervisionSession.id, SupervisionSession.supervisor_staff_id,
                       SupervisionSession.supervisor_external_id, SupervisionSession.supervisor_name,
                       SupervisionSession.held_on, SupervisionSession.duration_minutes,
                       SupervisionAttendance.staff_id, counts.c.n)
                .join(SupervisionAttendance, SupervisionAttendance.session_id == SupervisionSession.id)
                .join(counts, counts.c.session_id == SupervisionSession.id)
                .where(SupervisionSession.held_on >= start, SupervisionSession.held_on <= end)
            )
            if visible is not None:
                stmt = stmt.where(SupervisionAttendance.staff_id.in_(visible or {-1}))
            raw = session.execute(stmt).all()
            staff_ids = {r[1] for r in raw if r[1] is not None}
            staff_info = {
                sid: (staff_rules.display_name(g, f, p), rc)
                for sid, g, f, p, rc in session.execute(
                    select(Staff.id, Staff.given_name, Staff.family_name, Staff.preferred_name, Staff.role_code)
                    .where(Staff.id.in_(staff_ids or {-1})))
            }
            role_titles = dict(session.execute(select(Role.code, Role.title)).all())
            external_ids = {r[2] for r in raw if r[2] is not None}
            externals = {e.id: e for e in session.execute(
                select(ExternalPerson).where(ExternalPerson.id.in_(external_ids or {-1}))).scalars()}

        def key(r) -> tuple[str, object]:
            return ("staff", r[1]) if r[1] is not None else ("external", r[2]) if r[2] is not None else ("name", r[3])

        hours = supervisor_hours(((key(r), r[4], r[5], r[7]) for r in raw), start, end)
        sessions: dict[tuple, set[int]] = {}
        people: dict[tuple, set[int]] = {}
        labels: dict[tuple, tuple[str, str, bool]] = {}
        for r in raw:
            k = key(r)
            sessions.setdefault(k, set()).add(r[0])
            people.setdefault(k, set()).add(r[6])
            if k not in labels:
                if k[0] == "staff":
                    name, role_code = staff_info.get(r[1], (r[3], ""))
                    labels[k] = (name, role_titles.get(role_code, role_code), False)
                elif k[0] == "external" and r[2] in externals:
                    e = externals[r[2]]
                    labels[k] = (e.name, ", ".join(x for x in (e.job_title, e.organisation) if x), True)
                else:
                    labels[k] = (r[3] or "Not recorded", "", False)
        rows = [
            LoadRow(labels[k][0], labels[k][1], labels[k][2], len(sessions[k]), len(people[k]), hours.get(k, 0.0))
            for k in sessions
        ]
        rows.sort(key=lambda r: (-r.hours, staff_rules.search_key(r.supervisor)))
        seen = Counter(r[0] for r in raw)  # attendances the reader may see, per session
        attended = {r[0]: r[7] for r in raw}  # everyone who attended, per session
        partly_seen = sum(1 for session_id, n in attended.items() if seen[session_id] < n)
        return SupervisorLoad(start, end, tuple(rows), partly_seen)

    def calendar(
        self, actor: Actor, *, staff_ids: Collection[int] | None = None, at: time | None = None,
        duration_minutes: int = 60,
    ) -> bytes:
        """Next-due supervision as an iCalendar file that Outlook imports or subscribes to.

        All-day events unless `at` gives a time of day (then in UK time, with its time zone
        definition included). Overdue and never-held supervision is placed on today, so it is
        not lost in the past. Each event's UID is stable for an arrangement and due date, so
        importing a newer export updates events instead of duplicating them.
        """
        from zoneinfo import ZoneInfo

        from icalendar import Calendar, Event

        if at is not None and not 5 <= duration_minutes <= 600:
            raise ValidationError.single("duration_minutes", "Event length must be between 5 and 600 minutes.")
        today = self._today()
        with self._db.read() as session:
            visible = visible_staff_ids(session, actor, today)
            wanted = None if staff_ids is None else set(staff_ids)
            if visible is not None:
                wanted = visible if wanted is None else wanted & visible
            facts = gather_facts(session, today, wanted)
            pcn = session.execute(
                select(Organisation.name, Organisation.ods_code).where(Organisation.kind == OrganisationKind.PCN.value)
            ).first()
        types = type_columns(facts.catalogue)
        domain = f"{(pcn[1] if pcn else 'pcn').lower()}.arrs-desk"
        stamp = utcnow()
        london = ZoneInfo("Europe/London")
        cal = Calendar()
        cal.add("prodid", "-//ARRS Desk//Supervision due dates//EN")
        cal.add("version", "2.0")
        cal.add("method", "PUBLISH")
        cal.add("calscale", "GREGORIAN")
        cal.add("x-wr-calname", f"Supervision due{f' – {pcn[0]}' if pcn else ''}")
        for person in facts.people.values():
            if not person.active_on(today) or (wanted is not None and person.id not in wanted):
                continue
            rows = arrangement_rows(facts, person, types, today)
            # As the matrix has it: an arrangement whose supervisor has left holds no more sessions,
            # so it gets no reminder of one with them; it is flagged, on today, unless another
            # arrangement of the type covers the person (then that one's reminder stands).
            covered = {r.type_code for r in rows if r.status not in (ENDED, NOT_STARTED, SUPERVISOR_LEFT)}
            for row in rows:
                left = row.status is SUPERVISOR_LEFT
                if left and row.type_code in covered or not left and (row.next_due is None or not row.live):
                    continue
                late = not left and row.next_due < today
                day = today if left or late else row.next_due
                event = Event()
                # The line manager on the staff record stands as an arrangement with no id: keyed by
                # the person, or every such review due on one day shared a UID and a calendar kept one.
                # A supervisor who left keeps the UID of the reminder it replaces, so importing the
                # newer export moves that reminder to today rather than leaving it in the diary.
                key = row.id if row.id is not None else f"line-manager-{person.id}"
                due = f"{row.next_due:%Y%m%d}" if row.next_due is not None else "left"
                event.add("uid", f"supervision-{key}-{due}@{domain}")
                event.add("dtstamp", stamp)
                if at is None:
                    event.add("dtstart", day)
                    event.add("dtend", day + timedelta(days=1))
                    event.add("transp", "TRANSPARENT")
                else:
                    begin = datetime.combine(day, at, tzinfo=london)
                    event.add("dtstart", begin)
                    event.add("dtend", begin + timedelta(minutes=duration_minutes))
                if left:
                    summary = f"SUPERVISOR LEFT: {row.type_title}: {person.name}"
                    lines = [
                        f"{row.type_title} for {person.name}: their supervisor, {row.supervisor_name}, has left, so "
                        "nobody can hold the next session.",
                        f"Last session: {format_uk(row.last_session, 'none recorded')}.",
                        "From ARRS Desk; name a new supervisor there, or end the arrangement.",
                    ]
                else:
                    summary = f"{'OVERDUE: ' if late else ''}{row.type_title}: {person.name} with {row.supervisor_name}"
                    lines = [
                        f"{row.type_title} for {person.name}, {row.frequency_label.lower() or 'no set frequency'}.",
                        f"Supervisor: {row.supervisor_name}"
                        + (f" ({row.supervisor_detail})" if row.supervisor_detail else ""),
                        f"Last session: {format_uk(row.last_session, 'none recorded')}.",
                        f"Due: {format_uk(row.next_due)}" + (f" ({row.days_overdue} days overdue)" if late else "") + ".",
                        "From ARRS Desk; log the session there once it has been held.",
                    ]
                event.add("summary", summary)
                event.add("description", "\n".join(lines))
                event.add("categories", ["Supervision"])
                cal.add_component(event)
        if at is not None:
            cal.add_missing_timezones()
        return cal.to_ical()
