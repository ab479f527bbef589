"""The session log's writes: recording sessions (singly, in batches, in groups), correcting and
removing them, reflective notes, and both sides' confirmations.

A group session is one session with several attendances; each attendee keeps their own
reflective notes and confirmation. Reflective notes never reach the audit trail, which
administrators read: it holds `PRIVATE` in their place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime

from sqlalchemy import delete, insert, select
from sqlmodel import Session

from arrs_desk.domain import staff as staff_rules
from arrs_desk.domain.dates import format_uk
from arrs_desk.domain.permissions import Action, Relationship, denial
from arrs_desk.domain.supervision import SessionFormat, SupervisionCatalogue
from arrs_desk.errors import NotFound, PermissionDenied, ValidationError
from arrs_desk.services import audit, sign_off_fields
from arrs_desk.services._common import apply_update, clean_text, get_or_404, require, stale_edit
from arrs_desk.services.actor import Actor
from arrs_desk.services.external_people import (
    ExternalSignatureInput, received_text, signature_audit, signature_values,
)
from arrs_desk.services.relationships import relationship, relationships
from arrs_desk.services.supervision.base import SupervisionServiceBase
from arrs_desk.services.supervision.facts import load_catalogue, load_staff, staff_name
from arrs_desk.services.supervision.session_log import attendances_of, one_session
from arrs_desk.services.supervision.views import ExternalConfirmation, SessionInput, SessionRow
from arrs_desk.store.bulk import insert_with_ids
from arrs_desk.store.models import ExternalPerson, Staff, SupervisionAttendance, SupervisionSession, utcnow
from arrs_desk.store import signed_content

PRIVATE = "(private)"
"""What the audit trail holds instead of reflective notes, which only the people close to the
supervisee may read; administrators read the audit trail."""

_SESSION_FIELDS = (
    "type_code", "held_on", "supervisor_staff_id", "supervisor_external_id", "supervisor_name",
    "duration_minutes", "format", "topics", "actions_agreed",
)


class SupervisionSessions(SupervisionServiceBase):
    def record_session(self, actor: Actor, *, data: SessionInput) -> SessionRow:
        """One session, with every attendee (a group session is one session with several)."""
        session_id = self.record_sessions(actor, items=[data])[0]
        today = self._today()
        with self._db.read() as session:
            return one_session(session, actor, session_id, data.attendee_ids[0], today)

    def record_sessions(self, actor: Actor, *, items: Iterable[SessionInput]) -> list[int]:
        """Several sessions all-or-nothing (a backlog typed up from paper); returns their ids."""
        today = self._today()
        items = list(items)
        if not items:
            return []
        with self._db.write() as session, session.no_autoflush:
            catalogue = load_catalogue(session)
            _held = load_staff(session, {i for d in items for i in d.attendee_ids}
                               | {d.supervisor_staff_id for d in items if d.supervisor_staff_id is not None})
            # Everyone attending any of them, asked about in one statement (a group of twenty was
            # twenty round trips across sites).
            rels = relationships(session, actor, (i for d in items for i in d.attendee_ids), today)
            prepared = []
            for data in items:
                require_record(session, actor, data.attendee_ids, rels)
                values, notes = session_values(session, catalogue, actor, data, rels, today, session_id=None)
                prepared.append((values, notes, list(dict.fromkeys(data.attendee_ids))))
            # Rows, not ORM objects: a backlog (or the demonstration PCN's thousands of sessions)
            # is a few batched statements, each session's id handed back in the order given.
            table = SupervisionSession.__table__
            ids = insert_with_ids(session, table, [
                {**values, "logged_by_user_id": actor.user_id, "logged_by_name": actor.display_name}
                for values, _notes, _attendees in prepared])
            session.execute(insert(SupervisionAttendance.__table__), [
                {"session_id": session_id, "staff_id": staff_id, "type_code": values["type_code"],
                 "held_on": values["held_on"], "reflective_notes": notes if len(attendee_ids) == 1 and notes else ""}
                for session_id, (values, notes, attendee_ids) in zip(ids, prepared) for staff_id in attendee_ids])
            entries = []
            for session_id, (values, notes, attendee_ids) in zip(ids, prepared):
                title = catalogue.type(values["type_code"]).title
                # Each attendee's own trail has one line for the session; who attended is those lines'
                # subjects (and the attendance rows), so no line repeats the whole list: a group of n
                # writes n small entries, not n entries of n names each (issue 18: growth in
                # proportion to the work recorded).
                changes = audit.diff({}, values)
                if len(attendee_ids) > 1:
                    changes["group_size"] = [None, len(attendee_ids)]
                if notes:
                    changes["reflective_notes"] = [None, PRIVATE]
                entries += [audit.entry_values(
                    actor, "record", "supervision_session", session_id,
                    f"Recorded {title.lower()} on {format_uk(values['held_on'])} for {staff_name(session, staff_id)}"
                    + (f" (group of {len(attendee_ids)})" if len(attendee_ids) > 1 else "")
                    + f" with {values['supervisor_name']}",
                    changes, subject_staff_id=staff_id,
                ) for staff_id in attendee_ids]
            audit.record_many(session, entries, by=actor)
            return ids

    def update_session(self, actor: Actor, *, session_id: int, data: SessionInput, expected_version: int) -> SessionRow:
        """Correct a logged session. Confirmations are cleared when what was confirmed changes."""
        today = self._today()
        with self._db.write() as session:
            row = get_or_404(session, SupervisionSession, session_id, "supervision session")
            attendances = attendances_of(session, session_id)
            current_ids = [a.staff_id for a in attendances]
            rels = relationships(session, actor, current_ids, today)
            require_record(session, actor, current_ids, rels)
            if data.attendee_ids and set(data.attendee_ids) != set(current_ids):
                raise ValidationError.single(
                    "attendee_ids",
                    "Attendees cannot be changed once a session is logged, because each has their own notes "
                    "and confirmation. Log a separate session for anyone missed.",
                )
            data = replace(data, attendee_ids=current_ids)
            catalogue = load_catalogue(session)
            values, notes = session_values(session, catalogue, actor, data, rels, today, session_id=row.id)
            before = {name: getattr(row, name) for name in _SESSION_FIELDS}
            changes = audit.diff(before, values)
            confirmed = bool(row.signed_at) or any(a.signed_at for a in attendances)
            if changes and confirmed:
                values.update(cleared_sign_off())
                changes["confirmations"] = ["kept", "cleared"]
            apply_update(session, row, values, expected_version, "supervision session")
            for attendance in attendances:
                copy = {"type_code": row.type_code, "held_on": row.held_on}
                if changes and confirmed:
                    copy.update(cleared_sign_off())
                if notes is not None and len(attendances) == 1 and notes != attendance.reflective_notes:
                    copy["reflective_notes"] = notes
                    changes["reflective_notes"] = [PRIVATE, PRIVATE]
                if any(getattr(attendance, k) != v for k, v in copy.items()):
                    apply_update(session, attendance, copy, attendance.version, "supervision attendance")
            if changes:
                for staff_id in current_ids:
                    audit.record(session, actor, "update", "supervision_session", row.id,
                                 f"Corrected the supervision session of {format_uk(row.held_on)} for "
                                 f"{staff_name(session, staff_id)}: " + ", ".join(changes),
                                 changes, subject_staff_id=staff_id)
            return one_session(session, actor, row.id, current_ids[0], today)

    def remove_session(self, actor: Actor, *, session_id: int, expected_version: int) -> None:
        """Take away a session logged in error (the wrong person, a duplicate, one that never took
        place), while nobody has confirmed it or written reflective notes on it: those are other
        people's words and signatures, which a correction keeps and a removal would lose."""
        today = self._today()
        with self._db.write() as session:
            row = get_or_404(session, SupervisionSession, session_id, "supervision session")
            attendances = attendances_of(session, session_id)
            attendee_ids = [a.staff_id for a in attendances]
            require_record(session, actor, attendee_ids, relationships(session, actor, attendee_ids, today))
            if row.version != expected_version:
                raise stale_edit("supervision session")
            if row.signed_at or any(a.signed_at for a in attendances):
                raise ValidationError.single(
                    "session", "This session has been confirmed, so it cannot be removed. If it is wrong, correct it: "
                               "the confirmations are then cleared and asked for again.")
            if any(a.reflective_notes.strip() for a in attendances):
                raise ValidationError.single(
                    "session", "Someone has written reflective notes on this session, so it cannot be removed. "
                               "Correct it instead, or ask them to clear their notes first.")
            session.execute(delete(SupervisionAttendance).where(SupervisionAttendance.session_id == session_id))
            session.execute(delete(SupervisionSession).where(SupervisionSession.id == session_id))
            removed = {name: [getattr(row, name), None] for name in ("type_code", "supervisor_staff_id")}
            removed["held_on"] = [row.held_on.isoformat(), None]
            audit.record_many(session, [audit.entry_values(
                actor, "remove", "supervision_session", session_id,
                f"Removed the supervision session of {format_uk(row.held_on)} with {row.supervisor_name} "
                f"for {staff_name(session, staff_id)} (logged in error)", removed, subject_staff_id=staff_id)
                for staff_id in attendee_ids], by=actor)

    def write_reflection(
        self, actor: Actor, *, session_id: int, staff_id: int, text: str, expected_version: int
    ) -> SessionRow:
        today = self._today()
        with self._db.write() as session:
            attendance = session.execute(
                select(SupervisionAttendance).where(SupervisionAttendance.session_id == session_id,
                                                    SupervisionAttendance.staff_id == staff_id)
            ).scalar_one_or_none()
            if attendance is None:
                raise NotFound("That person is not recorded at this session; it may have been changed by someone else.")
            require(actor, Action.WRITE_REFLECTIONS, relationship(session, actor, staff_id, today))
            notes = clean_text(text, multiline=True)
            if len(notes) > 8000:
                raise ValidationError.single("reflective_notes", f"Reflective notes are too long ({len(notes)} characters); 8,000 is the most.")
            if notes == attendance.reflective_notes:  # saved as they were: no version moved, nothing to record
                if attendance.version != expected_version:
                    raise stale_edit("reflective note")
                return one_session(session, actor, session_id, staff_id, today)
            apply_update(session, attendance, {"reflective_notes": notes}, expected_version, "reflective note")
            audit.record(session, actor, "update", "supervision_reflection", attendance.id,
                         f"{staff_name(session, staff_id)} updated their reflective notes",
                         {"reflective_notes": [PRIVATE, PRIVATE]}, subject_staff_id=staff_id)
            return one_session(session, actor, session_id, staff_id, today)

    def confirm_session(self, actor: Actor, *, session_id: int) -> SessionRow:
        """The supervisee confirms their own attendance; the named supervisor confirms the session."""
        today = self._today()
        with self._db.write() as session:
            row = get_or_404(session, SupervisionSession, session_id, "supervision session")
            attendances = attendances_of(session, session_id)
            mine = next((a for a in attendances if actor.staff_id is not None and a.staff_id == actor.staff_id), None)
            now = utcnow()
            if mine is not None:
                require(actor, Action.CONFIRM_SUPERVISION, relationship(session, actor, mine.staff_id, today))
                if mine.signed_at is None:
                    apply_update(session, mine, sign_off(actor, now), mine.version, "supervision attendance")
                    audit.record(session, actor, "confirm", "supervision_session", row.id,
                                 f"{actor.display_name} confirmed attending the supervision session of "
                                 f"{format_uk(row.held_on)}",
                                 {signed_content.HASH_KEY: signed_content.row_hash(session, row)},
                                 subject_staff_id=mine.staff_id)
                return one_session(session, actor, row.id, mine.staff_id, today)
            named = actor.staff_id is not None and actor.staff_id == row.supervisor_staff_id
            rel = Relationship(supervises=True) if named else Relationship()
            require(actor, Action.CONFIRM_SUPERVISION, rel)
            if row.signed_at is None:
                apply_update(session, row, sign_off(actor, now), row.version, "supervision session")
                signed = {signed_content.HASH_KEY: signed_content.row_hash(session, row)}
                for attendance in attendances:
                    audit.record(session, actor, "confirm", "supervision_session", row.id,
                                 f"{actor.display_name} confirmed, as supervisor, the session of {format_uk(row.held_on)} "
                                 f"with {staff_name(session, attendance.staff_id)}",
                                 signed, subject_staff_id=attendance.staff_id)
            return one_session(session, actor, row.id, attendances[0].staff_id, today)

    def record_external_confirmation(self, actor: Actor, *, session_id: int, expected_version: int,
                                     signature: ExternalSignatureInput) -> SessionRow:
        """The external supervisor confirmed the session on paper or by e-mail; the supervisee's
        line manager or an administrator records it on their behalf. It then counts as confirmed
        by the supervisor everywhere, marked as recorded by the actor."""
        today = self._today()
        with self._db.write() as session:
            [(row, attendee_ids)] = _confirm_external(
                session, actor, today, [ExternalConfirmation(session_id, expected_version, signature)])
            return one_session(session, actor, row.id, attendee_ids[0], today)

    def record_external_confirmations(self, actor: Actor, *, items: Iterable[ExternalConfirmation]) -> int:
        """Several confirmations all-or-nothing (a pile of forms back from the post); returns how
        many were recorded. Each is checked as `record_external_confirmation` checks one."""
        today = self._today()
        with self._db.write() as session:
            return len(_confirm_external(session, actor, today, list(items)))


def _confirm_external(session: Session, actor: Actor, today: date,
                      items: list[ExternalConfirmation]) -> list[tuple[SupervisionSession, list[int]]]:
    """Record the confirmations, reading the sessions, their attendees, the permission for every
    attendee and the supervisors once for them all; returns each session with its attendees."""
    ids = [item.session_id for item in items]
    rows = {r.id: r for r in session.execute(select(SupervisionSession).where(SupervisionSession.id.in_(ids))).scalars()}
    if any(session_id not in rows for session_id in ids):
        raise NotFound("That supervision session no longer exists; it may have been removed by someone else.")
    attendances: dict[int, list[SupervisionAttendance]] = {}
    for attendance in session.execute(select(SupervisionAttendance).where(SupervisionAttendance.session_id.in_(ids))
                                      .order_by(SupervisionAttendance.id)).scalars():
        attendances.setdefault(attendance.session_id, []).append(attendance)
    for rel in relationships(session, actor, (a.staff_id for found in attendances.values() for a in found),
                             today).values():
        require(actor, Action.RECORD_SIGNATURE, rel)
    _held = load_staff(session, {a.staff_id for found in attendances.values() for a in found})  # their names
    supervisors = {p.id: p for p in session.execute(select(ExternalPerson).where(ExternalPerson.id.in_(
        {r.supervisor_external_id for r in rows.values() if r.supervisor_external_id is not None}))).scalars()}
    done, entries = [], []
    for item in items:
        row = rows[item.session_id]
        attendee_ids = [a.staff_id for a in attendances.get(row.id, ())]
        if row.supervisor_external_id is None:
            raise ValidationError.single("session", (
                f"{row.supervisor_name} has an ARRS Desk account, so they confirm the session themselves."))
        if row.signed_at is not None:
            raise ValidationError.single("session", (
                f"This session was already confirmed by {row.signed_by_name} on {format_uk(row.signed_on)}."))
        if item.signature.external_person_id not in (None, row.supervisor_external_id):
            raise ValidationError.single("external_person_id", (
                f"The confirmation must come from the session's supervisor, {row.supervisor_name}."))
        _signer, values = signature_values(session, actor, item.signature, today=today, earliest=row.held_on,
                                           earliest_what="the session was held",
                                           signer=supervisors.get(row.supervisor_external_id))
        apply_update(session, row, values, item.expected_version, "supervision session")
        how = received_text(values)
        changes = {**signature_audit(values), signed_content.HASH_KEY: signed_content.row_hash(
            session, row, {SupervisionAttendance: attendances.get(row.id, [])})}
        entries += [audit.entry_values(
            actor, "confirm", "supervision_session", row.id,
            f"Recorded, on their behalf, {values['signed_by_name']}'s confirmation as supervisor of the session of "
            f"{format_uk(row.held_on)} with {staff_name(session, staff_id)} (signed "
            f"{format_uk(values['signed_on'])}, {how})",
            changes, subject_staff_id=staff_id) for staff_id in attendee_ids]
        done.append((row, attendee_ids))
    audit.record_many(session, entries, by=actor)
    return done


def require_record(session: Session, actor: Actor, attendee_ids: Iterable[int],
                   rels: dict[int, Relationship]) -> None:
    """Refuse anyone the actor may not record supervision for, naming only those whose record they
    may see: any staff id typed in was turned into a name ("Not allowed for: Sinéad Abrahams...")."""
    refused = [sid for sid in dict.fromkeys(attendee_ids)
               if denial(actor.roles, Action.RECORD_SUPERVISION, rels[sid]) is not None]
    if refused:
        seen = [sid for sid in refused if denial(actor.roles, Action.VIEW_STAFF, rels[sid]) is None]
        unseen = len(refused) - len(seen)
        names = [staff_name(session, sid) for sid in seen] + (
            [f"{unseen} {'person' if unseen == 1 else 'people'} whose records you cannot see"] if unseen else [])
        raise PermissionDenied(
            "You can only record supervision for yourself, your team or people you supervise. "
            f"Not allowed for: {', '.join(names)}."
        )


def session_values(session: Session, catalogue: SupervisionCatalogue, actor: Actor, data: SessionInput,
                   rels: dict[int, Relationship], today: date, session_id: int | None) -> tuple[dict, str | None]:
    """Check every field of a session; collect all problems so the form can mark each one."""
    errors: dict[str, str] = {}
    stype = catalogue.type(data.type_code) if data.type_code else None
    if stype is None:
        errors["type_code"] = "Choose the type of supervision."
    if data.held_on is None:
        errors["held_on"] = "Enter the date the session was held."
    elif data.held_on > today:
        errors["held_on"] = (f"The session date ({format_uk(data.held_on)}) is in the future. Log a session once it "
                             "has been held; the calendar export shows when the next one is due.")
    elif data.held_on.year < 1990:
        errors["held_on"] = "The session date is too far in the past; check the year."
    attendee_ids = list(dict.fromkeys(data.attendee_ids))
    attendees = {sid: person for sid in attendee_ids if (person := session.get(Staff, sid)) is not None}
    if not attendee_ids:
        errors["attendee_ids"] = "Choose who attended (at least one person)."
    elif len(attendees) != len(attendee_ids):
        errors["attendee_ids"] = "One of the chosen attendees is no longer on the staff list."
    elif data.held_on is not None and "held_on" not in errors:
        early = [a for a in attendees.values() if data.held_on < a.start_date]
        late = [a for a in attendees.values() if a.end_date is not None and data.held_on > a.end_date]
        if early:
            a = early[0]
            errors["held_on"] = (f"The session date is before {staff_rules.display_name(a.given_name, a.family_name, a.preferred_name)} "
                                 f"started ({format_uk(a.start_date)}).")
        elif late:
            a = late[0]
            errors["held_on"] = (f"The session date is after {staff_rules.display_name(a.given_name, a.family_name, a.preferred_name)} "
                                 f"left ({format_uk(a.end_date)}).")
    try:
        fmt = SessionFormat(data.format)
    except ValueError:
        errors["format"] = "Choose the format: one-to-one, group, or remote."
        fmt = None
    if fmt is SessionFormat.ONE_TO_ONE and len(attendee_ids) > 1:
        errors["format"] = (f"A one-to-one session has one supervisee, but {len(attendee_ids)} are chosen. "
                            "Choose Group, or untick the others.")
    supervisor_name = ""
    if data.supervisor_staff_id is not None and data.supervisor_external_id is not None:
        errors["supervisor"] = "Choose one supervisor: a colleague or an external supervisor, not both."
    elif data.supervisor_staff_id is not None:
        supervisor = session.get(Staff, data.supervisor_staff_id)
        if supervisor is None:
            errors["supervisor"] = "The chosen supervisor is not on the staff list."
        elif supervisor.id in attendee_ids:
            errors["supervisor"] = "The supervisor cannot also be an attendee of the same session."
        elif (data.held_on is not None and supervisor.end_date is not None and data.held_on > supervisor.end_date
              and "held_on" not in errors):
            # Someone who has left holds no more sessions: one dated after their last day (an
            # arrangement whose supervisor left, logged as usual) is a mistyped date or supervisor,
            # and it made the arrangement look kept up.
            errors["supervisor"] = (
                f"{staff_rules.display_name(supervisor.given_name, supervisor.family_name, supervisor.preferred_name)} "
                f"left on {format_uk(supervisor.end_date)}, before the session date ({format_uk(data.held_on)}). "
                "Check the date, or choose who supervised the session.")
        else:
            supervisor_name = staff_rules.display_name(supervisor.given_name, supervisor.family_name, supervisor.preferred_name)
    elif data.supervisor_external_id is not None:
        external = session.get(ExternalPerson, data.supervisor_external_id)
        if external is None:
            errors["supervisor"] = "The chosen external supervisor is no longer recorded."
        else:
            supervisor_name = external.name
    else:
        errors["supervisor"] = "Choose who supervised the session (a colleague or an external supervisor)."
    duration = data.duration_minutes
    if duration is not None and not 5 <= duration <= 600:
        errors["duration_minutes"] = "Duration must be between 5 and 600 minutes (10 hours)."
    topics = clean_text(data.topics, multiline=True)
    actions = clean_text(data.actions_agreed, multiline=True)
    for name, value, label in (("topics", topics, "Topics"), ("actions_agreed", actions, "Actions agreed")):
        if len(value) > 4000:
            errors[name] = f"{label} is too long ({len(value)} characters); 4,000 is the most."
    notes = None if data.reflective_notes is None else clean_text(data.reflective_notes, multiline=True)
    if notes:
        if len(attendee_ids) > 1:
            errors["reflective_notes"] = ("Reflective notes belong to one person. In a group session each attendee "
                                          "adds their own afterwards from their supervision page.")
        elif attendee_ids and denial(actor.roles, Action.WRITE_REFLECTIONS, rels.get(attendee_ids[0], Relationship())):
            errors["reflective_notes"] = ("Only the supervisee can write their reflective notes. "
                                          "Leave this empty; they can add notes from their own page.")
        elif len(notes) > 8000:
            errors["reflective_notes"] = f"Reflective notes are too long ({len(notes)} characters); 8,000 is the most."
    if errors:
        raise ValidationError(errors)
    values = {
        "type_code": stype.code, "held_on": data.held_on, "supervisor_staff_id": data.supervisor_staff_id,
        "supervisor_external_id": data.supervisor_external_id, "supervisor_name": supervisor_name,
        "duration_minutes": duration, "format": fmt.value, "topics": topics, "actions_agreed": actions,
    }
    return values, notes


def sign_off(actor: Actor, now: datetime) -> dict:
    """The values that mark a session or attendance confirmed by the actor, now."""
    return sign_off_fields.signed_in_app(actor, signed_at=now)


def cleared_sign_off() -> dict:
    """The values of a confirmation withdrawn because what was confirmed has changed."""
    return sign_off_fields.cleared()
