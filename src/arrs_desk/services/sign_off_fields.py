"""The values of the sign-off columns (`store.models.SignOffFields`): the one place that writes them.

Induction items, supervision sessions and attendances, programme competencies and completions
each hold a sign-off. They were written by three small dicts that had drifted apart (one left an
earlier external signer's id in place, one did not say who recorded it). Every writer now takes
the whole set from here, so a sign-off reads the same whichever record holds it; a signature
received from someone without an account adds its details with `external_people.signature_values`.
"""

from __future__ import annotations

from datetime import date, datetime

from arrs_desk.clock import UK
from arrs_desk.services.actor import Actor


def cleared() -> dict:
    """Every sign-off column empty: nobody has signed (or a confirmation was withdrawn)."""
    return {"signed_by_user_id": None, "signed_by_external_id": None, "signed_by_name": "",
            "recorded_by_user_id": None, "signed_on": None, "signed_at": None, "signed_by_role": "",
            "signed_by_organisation": "", "signed_by_registration": "", "received_via": ""}


def signed_in_app(actor: Actor, *, signed_at: datetime, signed_on: date | None = None) -> dict:
    """Signed in the app by the actor, who is also the one who recorded it, at `signed_at`: on
    that instant's date in England unless `signed_on` says otherwise (a programme's sign-off names
    its day). Not the instant's UTC date: signed at 00:30 on a summer night (23:30 UTC) is
    signed that day, not the day before."""
    signed_on = signed_at.astimezone(UK).date() if signed_on is None else signed_on
    return {**cleared(), "signed_by_user_id": actor.user_id, "signed_by_name": actor.display_name,
            "recorded_by_user_id": actor.user_id, "signed_on": signed_on, "signed_at": signed_at}


def signed_by_external(actor: Actor, *, external_id: int, name: str, signed_on: date,
                       signed_at: datetime) -> dict:
    """Signed by someone without an account, recorded by the actor on their behalf."""
    return {**cleared(), "signed_by_external_id": external_id, "signed_by_name": name,
            "recorded_by_user_id": actor.user_id, "signed_on": signed_on, "signed_at": signed_at}
