"""Recording progress: milestones held, competencies signed off with their evidence, and the
completion sign-off.

Only the assessor named on the enrolment signs; an assessor from outside the PCN signs on
paper and the line manager records that signature (see `guards`). A file is on a competency
once: a second copy of the same content there is refused.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from arrs_desk.domain import programmes as rules
from arrs_desk.domain.dates import format_uk
from arrs_desk.domain.programme_progress import COMPLETED
from arrs_desk.errors import ValidationError
from arrs_desk.services import audit, evidence
from arrs_desk.services._common import apply_update, clean_text, get_or_404
from arrs_desk.services.actor import Actor
from arrs_desk.services.programmes.base import ProgrammeServiceBase
from arrs_desk.services.programmes.guards import (
    day_problem, find_enrolment, require_active, require_assessor, require_contributor, require_milestone_recorder,
    require_view,
)
from arrs_desk.services.programmes.page import enrolment_view
from arrs_desk.services.programmes.records import pauses_of, person_name
from arrs_desk.services.programmes.views import EnrolmentView
from arrs_desk.services.relationships import ACTIVE_ENROLMENT
from arrs_desk.store import signed_content
from arrs_desk.services import sign_off_fields
from arrs_desk.store.models import (
    ExternalPerson, ProgrammeCompetency, ProgrammeEnrolment, ProgrammeEvidence, ProgrammeMilestone, Staff, utcnow,
)

MAX_NOTE = 2000


class ProgrammeSignOff(ProgrammeServiceBase):
    """Milestones held, competencies and their evidence, and completion."""

    def hold_milestone(self, actor: Actor, *, milestone_id: int, expected_version: int, held_on: date | None,
                       notes: str = "") -> EnrolmentView:
        """Record a meeting, review or assessment as held (or correct the date and notes of one)."""
        today = self._today()
        notes = clean_text(notes, multiline=True)
        with self._db.write() as session:
            milestone = get_or_404(session, ProgrammeMilestone, milestone_id, "milestone")
            row, rel = find_enrolment(session, actor, milestone.enrolment_id, today)
            require_milestone_recorder(actor, rel, row)
            require_active(row)
            errors = {}
            if problem := day_problem(held_on, row, today, missing="Enter the date it was held.",
                                      future="record it on or after the day."):
                errors["held_on"] = problem
            if len(notes) > MAX_NOTE:
                errors["notes"] = f"Keep the notes to {MAX_NOTE:,} characters or fewer (they have {len(notes):,})."
            if errors:
                raise ValidationError(errors)
            before = {"held_on": milestone.held_on, "notes": milestone.notes}
            apply_update(session, milestone, {"held_on": held_on, "notes": notes, "recorded_by_user_id": actor.user_id,
                                              "recorded_by_name": actor.display_name, "recorded_at": utcnow()},
                         expected_version, "milestone")
            audit.record(session, actor, "hold_milestone", "programme_milestone", milestone.id,
                         f"Recorded '{milestone.title}' as held on {format_uk(held_on)} for "
                         f"{person_name(session.get(Staff, row.staff_id))}",
                         audit.diff(before, {"held_on": held_on, "notes": notes}), subject_staff_id=row.staff_id)
            return enrolment_view(session, actor, row, rel, today)

    def unhold_milestone(self, actor: Actor, *, milestone_id: int, expected_version: int) -> EnrolmentView:
        """Undo a milestone recorded as held by mistake."""
        today = self._today()
        with self._db.write() as session:
            milestone = get_or_404(session, ProgrammeMilestone, milestone_id, "milestone")
            row, rel = find_enrolment(session, actor, milestone.enrolment_id, today)
            require_milestone_recorder(actor, rel, row)
            require_active(row)
            if milestone.held_on is None:
                raise ValidationError.single("milestone", "This milestone is not recorded as held.")
            before = milestone.held_on
            apply_update(session, milestone, {"held_on": None, "notes": "", "recorded_by_user_id": None,
                                              "recorded_by_name": "", "recorded_at": None}, expected_version,
                         "milestone")
            audit.record(session, actor, "unhold_milestone", "programme_milestone", milestone.id,
                         f"Cleared '{milestone.title}' (was held {format_uk(before)}) for "
                         f"{person_name(session.get(Staff, row.staff_id))}",
                         {"held_on": [before.isoformat(), None]}, subject_staff_id=row.staff_id)
            return enrolment_view(session, actor, row, rel, today)

    def sign_off_competency(self, actor: Actor, *, competency_id: int, expected_version: int,
                            signed_on: date | None = None, comment: str = "") -> EnrolmentView:
        """The named assessor signs a competency off (or, for an assessor from outside the PCN, the
        line manager records the date they signed it on paper)."""
        today = self._today()
        comment = clean_text(comment, multiline=True)
        with self._db.write() as session:
            competency = get_or_404(session, ProgrammeCompetency, competency_id, "competency")
            row, rel = find_enrolment(session, actor, competency.enrolment_id, today)
            external = require_assessor(session, actor, rel, row)
            require_active(row)
            if competency.signed_at is not None:
                raise ValidationError.single("competency", f"'{competency.title}' was already signed off by "
                                             f"{competency.signed_by_name} on {format_uk(competency.signed_on)}.")
            day = signed_on or today
            errors = _sign_date_problems(day, row, today, "signed_on")
            if len(comment) > MAX_NOTE:
                errors["comment"] = f"Keep the comment to {MAX_NOTE:,} characters or fewer."
            if errors:
                raise ValidationError(errors)
            apply_update(session, competency, {**_signature(actor, external, day), "comment": comment},
                         expected_version, "competency")
            signer = external.name if external else actor.display_name
            audit.record(session, actor, "sign_off", "programme_competency", competency.id,
                         f"{signer} signed off '{competency.title}' for {person_name(session.get(Staff, row.staff_id))}"
                         + (f" (recorded by {actor.display_name})" if external else ""),
                         {"signed_on": [None, day.isoformat()], "comment": comment,
                          signed_content.HASH_KEY: signed_content.row_hash(session, competency)}, subject_staff_id=row.staff_id)
            return enrolment_view(session, actor, row, rel, today)

    def complete(self, actor: Actor, *, enrolment_id: int, expected_version: int, completed_on: date | None = None,
                 comment: str = "") -> EnrolmentView:
        """The named assessor signs off completion once every competency is signed off. The final
        sign-off milestone is that signature, so it is recorded as held on the same day."""
        today = self._today()
        comment = clean_text(comment, multiline=True)
        with self._db.write() as session:
            row, rel = find_enrolment(session, actor, enrolment_id, today)
            external = require_assessor(session, actor, rel, row)
            require_active(row)
            day = completed_on or today
            errors = _sign_date_problems(day, row, today, "completed_on")
            open_items = session.execute(
                select(ProgrammeCompetency.title).where(ProgrammeCompetency.enrolment_id == row.id,
                                                        ProgrammeCompetency.signed_at.is_(None))
                .order_by(ProgrammeCompetency.position)
            ).scalars().all()
            if open_items:
                shown = "; ".join(open_items[:3]) + ("; …" if len(open_items) > 3 else "")
                errors["competencies"] = (f"{len(open_items)} competenc{'y is' if len(open_items) == 1 else 'ies are'} "
                                          f"not signed off yet ({shown}). Sign them off before completion.")
            last_signed = session.execute(select(func.max(ProgrammeCompetency.signed_on)).where(
                ProgrammeCompetency.enrolment_id == row.id)).scalar_one()
            pauses = pauses_of(session, row.id)
            pause = rules.pause_on(day, [rules.Pause(p.start_date, p.end_date or max(p.start_date, today), p.reason)
                                         for p in pauses])
            still_paused = next((p for p in pauses if p.end_date is None), None)
            if pause is not None:
                errors["completed_on"] = (f"The programme is paused on {format_uk(day)} ({pause.reason}). "
                                          "Record the end of the pause first.")
            elif still_paused is not None:  # a finished programme with a pause that never ends
                errors["completed_on"] = (f"The programme has been paused since {format_uk(still_paused.start_date)} "
                                          f"({still_paused.reason}) with no end recorded. Record the end of the pause "
                                          "first.")
            elif last_signed is not None and "completed_on" not in errors and day < last_signed:
                errors["completed_on"] = (f"Completion cannot be before the last competency was signed off "
                                          f"({format_uk(last_signed)}). Use that day or a later one.")
            if len(comment) > MAX_NOTE:
                errors["comment"] = f"Keep the comment to {MAX_NOTE:,} characters or fewer."
            if errors:
                raise ValidationError(errors)
            apply_update(session, row, {**_signature(actor, external, day), "status": COMPLETED,
                                        "completed_on": day, "completion_comment": comment},
                         expected_version, "programme enrolment")
            for milestone in session.execute(select(ProgrammeMilestone).where(
                    ProgrammeMilestone.enrolment_id == row.id, ProgrammeMilestone.held_on.is_(None),
                    ProgrammeMilestone.week >= row.length_weeks, ProgrammeMilestone.kind == "sign-off")).scalars():
                apply_update(session, milestone, {"held_on": day, "notes": "Held at completion sign-off",
                                                  "recorded_by_user_id": actor.user_id,
                                                  "recorded_by_name": actor.display_name, "recorded_at": utcnow()},
                             milestone.version, "milestone")
            signer = external.name if external else actor.display_name
            audit.record(session, actor, "complete", "programme_enrolment", row.id,
                         f"{signer} signed off completion of '{row.title}' for "
                         f"{person_name(session.get(Staff, row.staff_id))}"
                         + (f" (recorded by {actor.display_name})" if external else ""),
                         {"status": [ACTIVE_ENROLMENT, COMPLETED], "completed_on": [None, day.isoformat()],
                          "comment": comment}, subject_staff_id=row.staff_id)
            return enrolment_view(session, actor, row, rel, today)

    def attach_evidence(self, actor: Actor, *, competency_id: int, path: Path | str) -> EnrolmentView:
        today = self._today()
        source = Path(path)
        with self._db.read() as session:
            competency = get_or_404(session, ProgrammeCompetency, competency_id, "competency")
            row, rel = find_enrolment(session, actor, competency.enrolment_id, today)
            require_contributor(actor, rel, row)
        root = self._evidence_root()
        stored = evidence.store_file(source, root, self._db.key)  # checks size and contents before anything is written
        try:
            with self._db.write() as session:
                competency = get_or_404(session, ProgrammeCompetency, competency_id, "competency")
                row, rel = find_enrolment(session, actor, competency.enrolment_id, today)
                require_contributor(actor, rel, row)
                require_active(row)
                if competency.signed_at is not None:
                    raise ValidationError.single(
                        "file", "This competency is already signed off; its evidence is settled.")
                evidence.refuse_a_second_copy(session, actor, ProgrammeEvidence, stored.sha256, competency.title,
                                              ProgrammeEvidence.competency_id == competency.id,
                                              ProgrammeEvidence.removed_at.is_(None))
                item = ProgrammeEvidence(
                    competency_id=competency.id, enrolment_id=row.id, sha256=stored.sha256,
                    stored_name=stored.stored_name, original_name=stored.original_name,
                    media_type=stored.kind.media_type, size=stored.size, added_by_user_id=actor.user_id,
                    added_by_name=actor.display_name)
                session.add(item)
                session.flush()
                audit.record(session, actor, "attach", "programme_evidence", item.id,
                             f"Attached '{stored.original_name}' to '{competency.title}' for "
                             f"{person_name(session.get(Staff, row.staff_id))}",
                             {"sha256": stored.sha256, "size": stored.size, "media_type": stored.kind.media_type},
                             subject_staff_id=row.staff_id)
                return enrolment_view(session, actor, row, rel, today)
        except BaseException:
            if stored.created:
                evidence.discard(root, stored.stored_name)
            raise

    def evidence_file(self, actor: Actor, *, evidence_id: int) -> Path:
        today = self._today()
        with self._db.read() as session:
            item = get_or_404(session, ProgrammeEvidence, evidence_id, "evidence file")
            row, rel = find_enrolment(session, actor, item.enrolment_id, today)
            require_view(actor, rel, row)
            stored_name = item.stored_name
        return evidence.stored_path(self._evidence_root(), stored_name, self._db.key)

    def remove_evidence(self, actor: Actor, *, evidence_id: int) -> EnrolmentView:
        today = self._today()
        with self._db.write() as session:
            item = get_or_404(session, ProgrammeEvidence, evidence_id, "evidence file")
            competency = get_or_404(session, ProgrammeCompetency, item.competency_id, "competency")
            row, rel = find_enrolment(session, actor, item.enrolment_id, today)
            require_contributor(actor, rel, row)
            if competency.signed_at is not None:
                raise ValidationError.single(
                    "file", "This competency was signed off with this evidence, so the file stays.")
            if item.removed_at is None:
                item.removed_at = utcnow()
                item.removed_by_name = actor.display_name
                audit.record(session, actor, "remove", "programme_evidence", item.id,
                             f"Removed '{item.original_name}' from '{competency.title}'", subject_staff_id=row.staff_id)
            return enrolment_view(session, actor, row, rel, today)


def _signature(actor: Actor, external: ExternalPerson | None, day: date) -> dict:
    now = utcnow()
    if external is not None:
        return sign_off_fields.signed_by_external(actor, external_id=external.id, name=external.name,
                                                  signed_on=day, signed_at=now)
    return sign_off_fields.signed_in_app(actor, signed_on=day, signed_at=now)

def _sign_date_problems(day: date, row: ProgrammeEnrolment, today: date, name: str) -> dict[str, str]:
    problem = day_problem(day, row, today, future="sign off on or after the day.")
    return {name: problem} if problem else {}
