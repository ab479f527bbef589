"""The checks a write makes before it changes an enrolment: who may, whether the enrolment is
still open, and whether a day recorded on it fits.

Who may do what, beyond the policy's actions:

* enrolling, editing an enrolment, pausing, extending and withdrawing: MANAGE_PROGRAMME (the
  person's line manager or an administrator);
* signing off competencies and completion: ASSESS_PROGRAMME, and only the assessor named on
  *this* enrolment. An assessor from outside the PCN has no account, so their signature is
  recorded by the person's line manager (`signed_by_external_id` + `recorded_by_user_id`);
* recording a milestone as held: MANAGE_PROGRAMME, or the named preceptor or assessor, who run
  the meetings;
* logging protected time and attaching evidence: the learner themself as well as those above.

The permission checks live here, apart from the writes, because the enrolment page asks the
same questions to decide which buttons it offers.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from arrs_desk.domain.dates import format_uk
from arrs_desk.domain.permissions import Action, Relationship, denial
from arrs_desk.domain.programme_progress import COMPLETED, WITHDRAWN
from arrs_desk.errors import PermissionDenied, ValidationError
from arrs_desk.services._common import get_or_404, require
from arrs_desk.services.actor import Actor
from arrs_desk.services.relationships import relationship
from arrs_desk.store.models import ExternalPerson, ProgrammeEnrolment


def find_enrolment(session: Session, actor: Actor, enrolment_id: int,
                   today: date) -> tuple[ProgrammeEnrolment, Relationship]:
    """The enrolment (NotFound when it is not there) and how the actor stands to its learner."""
    row = get_or_404(session, ProgrammeEnrolment, enrolment_id, "programme enrolment")
    return row, relationship(session, actor, row.staff_id, today)


def enrolment_to_manage(session: Session, actor: Actor, enrolment_id: int,
                        today: date) -> tuple[ProgrammeEnrolment, Relationship]:
    """An enrolment the actor may change the terms of (MANAGE_PROGRAMME), and still open."""
    row, rel = find_enrolment(session, actor, enrolment_id, today)
    require(actor, Action.MANAGE_PROGRAMME, rel)
    require_active(row)
    return row, rel


def is_named(actor: Actor, row: ProgrammeEnrolment) -> bool:
    """The actor is this enrolment's preceptor or assessor."""
    return actor.staff_id is not None and actor.staff_id in (row.preceptor_staff_id, row.assessor_staff_id)


def require_view(actor: Actor, rel: Relationship, row: ProgrammeEnrolment) -> None:
    """Whoever may see the person's record, and the preceptor and assessor named on this enrolment."""
    if is_named(actor, row):
        return
    require(actor, Action.VIEW_STAFF, rel)


def require_milestone_recorder(actor: Actor, rel: Relationship, row: ProgrammeEnrolment) -> None:
    if is_named(actor, row) and not rel.is_self:
        return
    if rel.is_self:
        raise PermissionDenied("Your preceptor, assessor or line manager records your meetings and reviews.")
    if denial(actor.roles, Action.MANAGE_PROGRAMME, rel) is not None:
        raise PermissionDenied("Only the person's line manager, their preceptor or their assessor can record "
                               "meetings and reviews as held.")


def require_contributor(actor: Actor, rel: Relationship, row: ProgrammeEnrolment) -> None:
    if rel.is_self or is_named(actor, row):
        return
    if denial(actor.roles, Action.MANAGE_PROGRAMME, rel) is not None:
        raise PermissionDenied("Only the learner, their line manager, their preceptor or their assessor can log "
                               "protected time or add evidence.")


def require_assessor(session: Session, actor: Actor, rel: Relationship,
                     row: ProgrammeEnrolment) -> ExternalPerson | None:
    """Allow only the assessor named on this enrolment; returns the external assessor whose
    signature is being recorded, when it is one."""
    if row.assessor_external_id is not None:
        external = session.get(ExternalPerson, row.assessor_external_id)
        if rel.is_self:
            require(actor, Action.ASSESS_PROGRAMME, rel)  # the never-on-self message
        if not rel.manages:
            raise PermissionDenied(
                f"{external.name if external else 'The assessor'} assesses this programme and signs on paper; "
                "only the person's line manager can record that signature.")
        require(actor, Action.ASSESS_PROGRAMME, Relationship(assesses=True))
        return external
    named = actor.sole_user or (actor.staff_id is not None and actor.staff_id == row.assessor_staff_id)
    require(actor, Action.ASSESS_PROGRAMME, Relationship(is_self=rel.is_self, assesses=rel.assesses and named))
    return None


def require_active(row: ProgrammeEnrolment) -> None:
    """A finished enrolment's record stays as it was on the day it finished."""
    if row.status == COMPLETED:
        raise ValidationError.single("enrolment", f"This programme was completed on {format_uk(row.completed_on)}; "
                                                  "its record can no longer change.")
    if row.status == WITHDRAWN:
        raise ValidationError.single("enrolment", f"This person was withdrawn from the programme on "
                                                  f"{format_uk(row.withdrawn_on)}; its record can no longer change.")


def day_problem(day: date | None, row: ProgrammeEnrolment, today: date, *, future: str,
                missing: str = "Enter the date.") -> str | None:
    """What is wrong with a day recorded on the enrolment, or None: a day must be given, must not
    be after today (`future` says what to do instead) and not before the programme started."""
    if day is None:
        return missing
    if day > today:
        return f"The date ({format_uk(day)}) is in the future; {future}"
    if day < row.start_date:
        return f"The date cannot be before the programme started ({format_uk(row.start_date)})."
    return None
