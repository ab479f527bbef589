"""Signing a review: each party signs for themself in the app, or their signature made on the
printed signature page is entered by whoever writes the review.

Only the named appraiser signs as appraiser and only the person appraised as appraisee; nobody
signs for the other party. A signature on paper is entered only for someone who cannot sign in
the app (an external appraiser, or a person without an account). Once both have signed, the
review is the record of what was agreed.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session

from arrs_desk.domain import reviews as rules
from arrs_desk.domain.dates import format_uk
from arrs_desk.domain.permissions import Action
from arrs_desk.domain.review_dates import paper_signature_problem
from arrs_desk.domain.reviews import Outcome, Party
from arrs_desk.errors import PermissionDenied, ValidationError
from arrs_desk.services import audit, sign_off_fields
from arrs_desk.services._common import apply_update, clean_text, get_or_404, require
from arrs_desk.services.actor import Actor
from arrs_desk.services.relationships import relationship
from arrs_desk.services.reviews.facts import has_account, load_signatures, person_name, review_label
from arrs_desk.services.reviews.writing import check_version
from arrs_desk.store.models import Review, ReviewSignOff, utcnow
from arrs_desk.store import signed_content


def sign(session: Session, actor: Actor, today: date, review_id: int, party: str, expected_version: int,
         comment: str, signed_at: datetime | None = None) -> Review:
    """`signed_at`: now (every signature made in the app), or for the demonstration PCN's history
    the moment in the past it was made, so that what its sign-off vouches for (the hash in the
    audit entry) is the signature as it stands."""
    comment = clean_text(comment, multiline=True)
    review = get_or_404(session, Review, review_id, "review")
    rel = relationship(session, actor, review.staff_id, today)
    # Someone who may not see this person hears no names: stepping through review ids named who
    # was appraised and by whom ("Only Oksana Abrahams can sign as the person appraised").
    require(actor, Action.VIEW_STAFF, rel)
    side = _party(party)
    if side is Party.APPRAISER:
        if actor.staff_id is None or actor.staff_id != review.appraiser_staff_id:
            raise PermissionDenied(
                f"Only the named appraiser{f', {review.appraiser_name},' if review.appraiser_name else ''} "
                "can sign as appraiser.")
        require(actor, Action.WRITE_REVIEW, rel)
    else:
        if not rel.is_self:
            raise PermissionDenied(f"Only {person_name(session, review.staff_id)} can sign as the person appraised.")
        require(actor, Action.WRITE_REFLECTIONS, rel)
    check_version(review, expected_version)
    signed = _check_signable(session, review, side, today, comment)
    row = ReviewSignOff(review_id=review.id, party=side.value, comment=comment,
                        **sign_off_fields.signed_in_app(actor, signed_at=signed_at or utcnow()))
    session.add(row)
    apply_update(session, review, {}, expected_version, "review")
    audit.record(session, actor, "sign_off", "review", review.id,
                 *signed_audit(actor, review, person_name(session, review.staff_id), side, comment,
                               _hash(session, review, signed, row)), subject_staff_id=review.staff_id)
    return review


def record_on_paper(session: Session, actor: Actor, today: date, review_id: int, party: str,
                    signed_on: date | None, expected_version: int) -> Review:
    review = get_or_404(session, Review, review_id, "review")
    require(actor, Action.WRITE_REVIEW, relationship(session, actor, review.staff_id, today))
    side = _party(party)
    check_version(review, expected_version)
    if side is Party.APPRAISER:
        if review.appraiser_external_id is None and has_account(session, review.appraiser_staff_id):
            raise ValidationError.single("party", (
                f"{review.appraiser_name} has an ARRS Desk account, so they sign as appraiser themself."))
        signer = review.appraiser_name
    else:
        if has_account(session, review.staff_id):
            raise ValidationError.single("party", (
                f"{person_name(session, review.staff_id)} has an ARRS Desk account, so they sign their review "
                "themself."))
        signer = person_name(session, review.staff_id)
    if problem := paper_signature_problem(signed_on, review.meeting_date, today):
        raise ValidationError({"signed_on": problem})
    signed = _check_signable(session, review, side, today, "")
    row = ReviewSignOff(review_id=review.id, **on_paper_values(actor, review, side, signer, signed_on))
    session.add(row)
    apply_update(session, review, {}, expected_version, "review")
    audit.record(session, actor, "sign_off", "review", review.id,
                 *on_paper_audit(review, person_name(session, review.staff_id), side, signer, signed_on,
                                 _hash(session, review, signed, row)),
                 subject_staff_id=review.staff_id)
    return review


# --------------------------------------------------------------------------- what is written and said
# Shared with the writer of the demonstration PCN's histories, so both write and say the same.


def on_paper_values(actor: Actor, review, side: Party, signer: str, signed_on: date) -> dict:
    """The sign-off row's values (all but the review's id) for a signature entered from paper."""
    return dict(party=side.value, signed_by_external_id=review.appraiser_external_id if side is Party.APPRAISER else None,
                signed_by_name=signer, recorded_by_user_id=actor.user_id, signed_on=signed_on)


def signed_audit(actor: Actor, review, name: str, side: Party, comment: str, signed_hash: str) -> tuple[str, dict]:
    """The summary and changes of the entry for a signature made in the app; `signed_hash` what it vouches for."""
    return (f"{actor.display_name} signed the {review_label(review)} of {name} as {side.label.lower()}",
            {"party": side.value, "comment": comment, signed_content.HASH_KEY: signed_hash})


def on_paper_audit(review, name: str, side: Party, signer: str, signed_on: date, signed_hash: str) -> tuple[str, dict]:
    return (f"Recorded {signer}'s signature on paper ({format_uk(signed_on)}) as {side.label.lower()} of the "
            f"{review_label(review)} of {name}",
            {"party": side.value, "signed_on": signed_on.isoformat(), "on_paper": True,
             signed_content.HASH_KEY: signed_hash})


def _party(party: str) -> Party:
    try:
        return Party(party)
    except ValueError:
        raise ValidationError.single("party", "Choose who is signing: the appraiser or the person appraised.") from None


def _hash(session: Session, review: Review, signed: dict[str, ReviewSignOff], new: ReviewSignOff) -> str:
    """What the signature vouches for: the review with its signatures, those read before and the
    new one (written by now: the review's UPDATE flushed it), without reading them again."""
    session.flush()
    return signed_content.row_hash(session, review, {ReviewSignOff: [*signed.values(), new]})


def _check_signable(session: Session, review: Review, side: Party, today: date,
                    comment: str) -> dict[str, ReviewSignOff]:
    """A review is signed once its meeting has been held, by a party who has not signed yet; the
    appraiser signs once the outcome is chosen. Returns its signatures so far, by party."""
    errors = {}
    if review.meeting_date is None:
        errors["meeting_date"] = "Record the meeting date first: a review is signed once the meeting has been held."
    elif review.meeting_date > today:
        errors["meeting_date"] = (f"The meeting is booked for {format_uk(review.meeting_date)}; sign the review once "
                                  "it has been held.")
    if side is Party.APPRAISER and review.outcome == Outcome.UNDECIDED:
        errors["outcome"] = "Choose the outcome (agreed, or needs follow-up) before the appraiser signs."
    signed = load_signatures(session, review.id)
    if side.value in signed:
        errors["party"] = f"The {side.label.lower()} has already signed this review."
    if len(comment) > rules.MAX_NOTE:
        errors["comment"] = f"Keep the comment to {rules.MAX_NOTE:,} characters or fewer (it has {len(comment):,})."
    if errors:
        raise ValidationError(errors)
    return signed
