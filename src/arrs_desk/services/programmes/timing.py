"""The programme clock: pauses (sickness, parental leave), extensions agreed with the
educational lead, and the protected learning time the learner logs.

A pause moves everything still to come later by its length; an extension moves only the end.
Each write says in its audit entry how the expected end moved.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from arrs_desk.domain import programmes as rules
from arrs_desk.domain.dates import format_uk
from arrs_desk.errors import ValidationError
from arrs_desk.services import audit
from arrs_desk.services._common import apply_update, clean_text, get_or_404
from arrs_desk.services.actor import Actor
from arrs_desk.services.programme_templates import parse_number
from arrs_desk.services.programmes.base import ProgrammeServiceBase
from arrs_desk.services.programmes.guards import (
    day_problem, enrolment_to_manage, find_enrolment, require_active, require_contributor,
)
from arrs_desk.services.programmes.page import enrolment_view
from arrs_desk.services.programmes.records import expected_end_of, extensions_of, pauses_of, person_name
from arrs_desk.services.programmes.views import EnrolmentView, ExtensionRow
from arrs_desk.store.models import (
    ProgrammeEnrolment, ProgrammeExtension, ProgrammePause, ProgrammeTime, Staff, utcnow,
)

MAX_HOURS_PER_ENTRY = 12.0
MAX_EXTENSION_WEEKS = 104
MAX_PAUSE_DAYS = 2 * 366


class ProgrammeTiming(ProgrammeServiceBase):
    """Pauses and extensions (MANAGE_PROGRAMME), and protected time logged (the learner too)."""

    def pause(self, actor: Actor, *, enrolment_id: int, expected_version: int, start: date | None,
              end: date | None = None, reason: str = "") -> EnrolmentView:
        """Stop the programme clock (sickness, parental leave); leave `end` empty while it is not known.
        Everything still to come moves later by the pause's length."""
        today = self._today()
        reason = clean_text(reason, multiline=True)
        with self._db.write() as session:
            row, rel = enrolment_to_manage(session, actor, enrolment_id, today)
            existing = pauses_of(session, row.id)
            errors = _pause_problems(start, end, reason, row, existing, today, pause_id=None)
            if errors:
                raise ValidationError(errors)
            before = expected_end_of(session, row, today)
            apply_update(session, row, {}, expected_version, "programme enrolment")
            pause = ProgrammePause(enrolment_id=row.id, start_date=start, end_date=end, reason=reason,
                                   recorded_by_user_id=actor.user_id, recorded_by_name=actor.display_name)
            session.add(pause)
            session.flush()
            after = expected_end_of(session, row, today)
            span = (f"from {format_uk(start)} to {format_uk(end)}" if end
                    else f"from {format_uk(start)}, end not yet known")
            audit.record(session, actor, "pause", "programme_enrolment", row.id,
                         f"Paused {person_name(session.get(Staff, row.staff_id))}'s '{row.title}' {span}: {reason}",
                         {"pause": [None, {"start": start.isoformat(), "end": end.isoformat() if end else None,
                                           "reason": reason}], "expected_end": [before.isoformat(), after.isoformat()]},
                         subject_staff_id=row.staff_id)
            return enrolment_view(session, actor, row, rel, today)

    def end_pause(self, actor: Actor, *, pause_id: int, expected_version: int, end: date | None) -> EnrolmentView:
        """Record the day a pause ended (the last day off); later dates move by the days it lasted."""
        today = self._today()
        with self._db.write() as session:
            pause = get_or_404(session, ProgrammePause, pause_id, "pause")
            row, rel = enrolment_to_manage(session, actor, pause.enrolment_id, today)
            others = [p for p in pauses_of(session, row.id) if p.id != pause.id]
            errors = _pause_problems(pause.start_date, end, pause.reason, row, others, today, pause_id=pause.id)
            if end is None:
                errors["end"] = "Enter the last day of the pause."
            errors.pop("reason", None)
            if errors:
                raise ValidationError(errors)
            before = pause.end_date
            apply_update(session, pause, {"end_date": end}, expected_version, "pause")
            audit.record(session, actor, "end_pause", "programme_enrolment", row.id,
                         f"Pause of {person_name(session.get(Staff, row.staff_id))}'s '{row.title}' from "
                         f"{format_uk(pause.start_date)} ends {format_uk(end)}",
                         {"pause_end": [before.isoformat() if before else None, end.isoformat()],
                          "expected_end": [None, expected_end_of(session, row, today).isoformat()]},
                         subject_staff_id=row.staff_id)
            return enrolment_view(session, actor, row, rel, today)

    def extend(self, actor: Actor, *, enrolment_id: int, expected_version: int, weeks: int | str = 0,
               days: int | str = 0, reason: str = "") -> EnrolmentView:
        """More time to finish, agreed with the educational lead; only the end moves."""
        today = self._today()
        reason = clean_text(reason, multiline=True)
        errors: dict[str, str] = {}
        parsed = []
        for name, value in (("weeks", weeks), ("days", days)):
            text = str(value).strip() if value is not None else ""
            if text == "":
                parsed.append(0)
            elif text.lstrip("-").isdigit() and len(text) <= 5:
                parsed.append(int(text))
            else:
                errors["length"] = "Enter the extension as whole numbers of weeks and days."
                parsed.append(0)
        extension = rules.Extension(parsed[0], parsed[1], reason)
        if "length" not in errors:
            errors.update(rules.check_extension(extension))
        if len(reason) > 500:
            errors["reason"] = f"Keep the reason to 500 characters or fewer (it has {len(reason)})."
        with self._db.write() as session:
            row, rel = enrolment_to_manage(session, actor, enrolment_id, today)
            already = sum(x.total_days for x in extensions_of(session, row.id))
            if "length" not in errors and already + extension.total_days > MAX_EXTENSION_WEEKS * 7:
                errors["length"] = (f"Extensions can add at most {MAX_EXTENSION_WEEKS} weeks in all; this one would "
                                    f"make {(already + extension.total_days) / 7:.0f} weeks. Consider enrolling again.")
            if errors:
                raise ValidationError(errors)
            before = expected_end_of(session, row, today)
            apply_update(session, row, {}, expected_version, "programme enrolment")
            session.add(ProgrammeExtension(enrolment_id=row.id, weeks=extension.weeks, days=extension.days,
                                           reason=reason, agreed_on=today, recorded_by_user_id=actor.user_id,
                                           recorded_by_name=actor.display_name))
            session.flush()
            after = expected_end_of(session, row, today)
            audit.record(session, actor, "extend", "programme_enrolment", row.id,
                         f"Extended {person_name(session.get(Staff, row.staff_id))}'s '{row.title}' by "
                         f"{ExtensionRow(0, extension.weeks, extension.days, '', today, '').label}: {reason}",
                         {"expected_end": [before.isoformat(), after.isoformat()], "reason": reason},
                         subject_staff_id=row.staff_id)
            return enrolment_view(session, actor, row, rel, today)

    def log_time(self, actor: Actor, *, enrolment_id: int, taken_on: date | None, hours: float | str | None,
                 activity: str = "") -> EnrolmentView:
        """Protected learning time taken on one day, such as a taught day or study time."""
        today = self._today()
        activity = clean_text(activity)
        value = parse_number(hours)
        with self._db.write() as session:
            row, rel = find_enrolment(session, actor, enrolment_id, today)
            require_contributor(actor, rel, row)
            require_active(row)
            errors = {}
            if problem := day_problem(taken_on, row, today, missing="Enter the date the time was taken.",
                                      future="log time once it has been taken."):
                errors["taken_on"] = problem
            if value is None or not 0 < value <= MAX_HOURS_PER_ENTRY:
                errors["hours"] = (f"Enter the hours taken that day: more than 0 and at most {MAX_HOURS_PER_ENTRY:g} "
                                   "(for example 7.5 for a full day, 3.75 for half a day).")
            if not activity:
                errors["activity"] = "Say what the time was used for, such as 'taught day' or 'portfolio'."
            elif len(activity) > 500:
                errors["activity"] = f"Keep the activity to 500 characters or fewer (it has {len(activity)})."
            if errors:
                raise ValidationError(errors)
            value = round(value, 2)
            entry = ProgrammeTime(enrolment_id=row.id, taken_on=taken_on, hours=value, activity=activity,
                                  logged_by_user_id=actor.user_id, logged_by_name=actor.display_name)
            session.add(entry)
            session.flush()
            audit.record(session, actor, "log_time", "programme_time", entry.id,
                         f"Logged {value:g} h protected time on {format_uk(taken_on)} for "
                         f"{person_name(session.get(Staff, row.staff_id))}: {activity}",
                         {"taken_on": [None, taken_on.isoformat()], "hours": [None, value],
                          "activity": [None, activity]},
                         subject_staff_id=row.staff_id)
            return enrolment_view(session, actor, row, rel, today)

    def remove_time(self, actor: Actor, *, entry_id: int) -> EnrolmentView:
        today = self._today()
        with self._db.write() as session:
            entry = get_or_404(session, ProgrammeTime, entry_id, "time entry")
            row, rel = find_enrolment(session, actor, entry.enrolment_id, today)
            require_contributor(actor, rel, row)
            require_active(row)
            if entry.removed_at is None:
                entry.removed_at = utcnow()
                entry.removed_by_name = actor.display_name
                audit.record(session, actor, "remove_time", "programme_time", entry.id,
                             f"Removed {entry.hours:g} h logged on {format_uk(entry.taken_on)} for "
                             f"{person_name(session.get(Staff, row.staff_id))}", {"hours": [entry.hours, None]},
                             subject_staff_id=row.staff_id)
            return enrolment_view(session, actor, row, rel, today)


def _pause_problems(start: date | None, end: date | None, reason: str, row: ProgrammeEnrolment,
                    existing: Sequence[ProgrammePause], today: date, *, pause_id: int | None) -> dict[str, str]:
    if start is None:
        return {"start": "Enter the first day of the pause."}
    others = [rules.Pause(p.start_date, p.end_date or max(p.start_date, today), p.reason) for p in existing]
    pause = rules.Pause(start, end if end is not None else max(start, today), reason)
    errors = rules.check_pause(pause, enrolment_start=row.start_date, others=others)
    if end is not None and end < start:
        errors["end"] = "A pause cannot end before it starts."
    if pause_id is None and any(p.end_date is None for p in existing) and "start" not in errors:
        errors["start"] = "A pause is still going on: record the day it ends before adding another."
    if pause.days > MAX_PAUSE_DAYS and "end" not in errors:
        errors["end"] = ("A pause can last at most two years; for a longer absence withdraw the person and "
                         "enrol them again on return.")
    if start > today + timedelta(days=366):
        errors["start"] = f"The pause starts more than a year ahead ({format_uk(start)}); check the year."
    if len(reason) > 500:
        errors["reason"] = f"Keep the reason to 500 characters or fewer (it has {len(reason)})."
    return errors
