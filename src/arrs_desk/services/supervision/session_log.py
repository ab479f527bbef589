"""The session log as the person reading it may see it.

A person's sessions with everyone who attended, who confirmed them and when, and what the reader
may do with each (confirm, record an external supervisor's confirmation, correct, reflect).
Reflective notes are left out unless the reader may read them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from arrs_desk.domain import staff as staff_rules
from arrs_desk.domain.permissions import AccessRole, Action, Relationship, denial
from arrs_desk.domain.supervision import SessionFormat, builtin_supervision_catalogue
from arrs_desk.services.actor import Actor
from arrs_desk.services.external_people import on_behalf, recorder_names
from arrs_desk.services.relationships import (
    holds_relationships, managed_ids, relationship, relationships, visible_staff_ids,
)
from arrs_desk.services.supervision.views import SessionRow
from arrs_desk.store.models import Staff, SupervisionAttendance, SupervisionSession


def attendances_of(session: Session, session_id: int) -> list[SupervisionAttendance]:
    """Who attended one session, in the order they were recorded."""
    return list(session.execute(
        select(SupervisionAttendance).where(SupervisionAttendance.session_id == session_id)
        .order_by(SupervisionAttendance.id)
    ).scalars())


def sessions_for(session: Session, actor: Actor, staff_id: int, rel: Relationship,
                 today: date, only: int | None = None) -> list[SessionRow]:
    """The person's sessions, newest first (or just session `only`), as `actor` may see them."""
    stmt = (
        select(SupervisionSession, SupervisionAttendance)
        .join(SupervisionAttendance, SupervisionAttendance.session_id == SupervisionSession.id)
        .where(SupervisionAttendance.staff_id == staff_id)
        .order_by(SupervisionSession.held_on.desc(), SupervisionSession.id.desc())
    )
    if only is not None:
        stmt = stmt.where(SupervisionSession.id == only)
    pairs = session.execute(stmt).all()
    if not pairs:
        return []
    ids = [s.id for s, _ in pairs]
    others: dict[int, list[int]] = {}
    for sid, attendee in session.execute(
        select(SupervisionAttendance.session_id, SupervisionAttendance.staff_id)
        .where(SupervisionAttendance.session_id.in_(ids)).order_by(SupervisionAttendance.id)
    ):
        others.setdefault(sid, []).append(attendee)
    visible = visible_staff_ids(session, actor, today)
    wanted = {a for group in others.values() for a in group if visible is None or a in visible}
    names = {
        sid: staff_rules.display_name(g, f, p)
        for sid, g, f, p in session.execute(
            select(Staff.id, Staff.given_name, Staff.family_name, Staff.preferred_name).where(Staff.id.in_(wanted)))
    }
    titles = {t: catalogue_title(t) for t in {s.type_code for s, _ in pairs}}
    recorders = recorder_names(session, (s.recorded_by_user_id for s, _ in pairs if s.signed_by_external_id))
    may_record_for = may_record_signature(session, actor)
    may_read = denial(actor.roles, Action.READ_REFLECTIONS, rel) is None
    may_write = denial(actor.roles, Action.WRITE_REFLECTIONS, rel) is None
    may_record = denial(actor.roles, Action.RECORD_SUPERVISION, rel) is None
    # A correction is saved for every attendee, so the service refuses it unless the actor may
    # record supervision for each of them: offering it for a group session with someone outside
    # the actor's team opened the dialog only for Save to be refused. One statement for them all.
    fellows = {a for group in others.values() for a in group if a != staff_id} if may_record else set()
    unrecordable = {a for a, r in relationships(session, actor, fellows, today).items()
                    if denial(actor.roles, Action.RECORD_SUPERVISION, r) is not None} if fellows else set()
    rows = []
    for s, attendance in pairs:
        named_supervisor = actor.staff_id is not None and actor.staff_id == s.supervisor_staff_id
        if rel.is_self:
            can_confirm = attendance.signed_at is None and denial(actor.roles, Action.CONFIRM_SUPERVISION, rel) is None
        else:
            can_confirm = (named_supervisor and s.signed_at is None
                           and denial(actor.roles, Action.CONFIRM_SUPERVISION, Relationship(supervises=True)) is None)
        attendee_ids = tuple(others.get(s.id, ()))
        shown = tuple(a for a in attendee_ids if a in names)  # the group's other people stay unnamed and unnumbered
        can_record = (s.supervisor_external_id is not None and s.signed_at is None
                      and all(may_record_for(a) for a in attendee_ids))
        try:
            fmt_label = SessionFormat(s.format).label
        except ValueError:
            fmt_label = s.format
        rows.append(SessionRow(
            id=s.id, version=s.version, type_code=s.type_code, type_title=titles[s.type_code], held_on=s.held_on,
            supervisor_staff_id=s.supervisor_staff_id, supervisor_external_id=s.supervisor_external_id,
            supervisor_name=s.supervisor_name, duration_minutes=s.duration_minutes, format=s.format,
            format_label=fmt_label, topics=s.topics, actions_agreed=s.actions_agreed,
            attendee_ids=shown,
            attendees=_attendee_names(attendee_ids, names), attendee_count=len(attendee_ids),
            logged_by_name=s.logged_by_name, supervisor_confirmed_by=s.signed_by_name if s.signed_at else "",
            supervisor_confirmed_at=s.signed_at, supervisor_confirmed_on=s.signed_on if s.signed_at else None,
            supervisor_on_behalf=on_behalf(s, recorders),
            attendee_confirmed_by=attendance.signed_by_name if attendance.signed_at else "",
            attendee_confirmed_at=attendance.signed_at,
            reflective_notes=attendance.reflective_notes if may_read else None,
            has_reflection=bool(attendance.reflective_notes), attendance_version=attendance.version,
            can_confirm=can_confirm, can_record_confirmation=can_record,
            can_edit=may_record and unrecordable.isdisjoint(attendee_ids) and len(shown) == len(attendee_ids),
            can_write_reflection=may_write,
        ))
    return rows


def _attendee_names(attendee_ids: tuple[int, ...], names: dict[int, str]) -> tuple[str, ...]:
    """The attendees the viewer may see by name, then how many others: a group session listed all
    its 24 attendees to a practice manager who could see two of them."""
    shown = tuple(names[a] for a in attendee_ids if a in names)
    hidden = len(attendee_ids) - len(shown)
    return shown + ((f"{hidden} other{'s' if hidden != 1 else ''}",) if hidden else ())


def may_record_signature(session: Session, actor: Actor) -> Callable[[int], bool]:
    """Whether the actor may record a signature for a given attendee: the same answers as
    `relationship` gives `record_external_confirmation`, from one read of the management tree
    rather than one chain walk per attendee of every session shown."""
    managed: set[int] = set()
    if (actor.staff_id is not None and AccessRole.LINE_MANAGER in actor.roles and not actor.sole_user
            and holds_relationships(session, actor)):
        managed = managed_ids(session, actor.staff_id)

    def may(staff_id: int) -> bool:
        is_self = actor.staff_id is not None and staff_id == actor.staff_id
        manages = not is_self and (actor.sole_user or staff_id in managed)
        return denial(actor.roles, Action.RECORD_SIGNATURE, Relationship(is_self=is_self, manages=manages)) is None
    return may


def catalogue_title(code: str) -> str:
    stype = builtin_supervision_catalogue().type(code)
    return stype.title if stype else code


def one_session(session: Session, actor: Actor, session_id: int, staff_id: int, today: date) -> SessionRow:
    """The row a write hands back: the session as it now shows in the person's log."""
    session.flush()
    rel = relationship(session, actor, staff_id, today)
    return sessions_for(session, actor, staff_id, rel, today, only=session_id)[0]
