"""What can be done to one checklist item, and when it may be said to have been done.

An item moves between the states of `ItemState`; which moves are open depends on its state, on
who completes it (the starter, the manager or either) and on what the viewer may do for this
person. The checklist shows a button for each open move; these functions decide them in one
place, as plain functions, so the rules can be read and tested without a database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from arrs_desk.domain.dates import add_months, format_uk
from arrs_desk.domain.induction import CompletedBy, ItemState, may_complete

MAX_PAST_COMPLETION_YEARS = 10


@dataclass(frozen=True, slots=True)
class ViewerRights:
    """What the viewer may do for the person whose checklist it is (from the permission policy)."""

    tick: bool
    sign: bool
    record: bool
    """Record a sign-off given on paper or by e-mail on the signer's behalf."""
    edit: bool
    """Edit the person's record, such as how long their training stays valid."""
    is_self: bool
    manages: bool


@dataclass(frozen=True, slots=True)
class ItemActions:
    tick: bool
    untick: bool
    sign_off: bool
    record_signature: bool
    mark_na: bool
    reopen: bool
    attach: bool
    edit_validity: bool
    renew: bool


def item_actions(state: ItemState | str, completed_by: CompletedBy | str, *, needs_signoff: bool,
                 validity_months: int | None, rights: ViewerRights) -> ItemActions:
    """The moves open to this viewer on an item in this state.

    The one who completes an item ticks it, unticks it until it is signed off, marks it not
    applicable and puts it back; the line manager signs off what waits for sign-off; evidence
    can be attached to anything still on the list.
    """
    state = ItemState(state)
    mine = rights.tick and may_complete(completed_by, is_self=rights.is_self, manages=rights.manages)
    to_do = state in (ItemState.OPEN, ItemState.RETURNED)
    signed_off = state is ItemState.COMPLETE and needs_signoff
    expires = validity_months is not None
    return ItemActions(
        tick=mine and to_do,
        untick=mine and (state is ItemState.AWAITING or (state is ItemState.COMPLETE and not signed_off)),
        sign_off=rights.sign and state is ItemState.AWAITING,
        record_signature=rights.record and state is ItemState.AWAITING and needs_signoff,
        mark_na=mine and to_do,
        reopen=mine and state is ItemState.NOT_APPLICABLE,
        attach=rights.tick and state is not ItemState.NOT_APPLICABLE,
        # How long training stays valid decides when it shows as expired: the line manager's or an
        # administrator's to set, not the starter's (who could otherwise clear an expiry).
        edit_validity=rights.edit,
        renew=mine and state is ItemState.COMPLETE and expires,
    )


def completion_date_problem(day: date, today: date) -> str | None:
    """What is wrong with the day an item (or its renewal) was done: not in the future, and not
    so long ago that the year is surely mistyped."""
    if day > today:
        return f"The completion date ({format_uk(day)}) is in the future; enter the day it was done."
    if day < add_months(today, -12 * MAX_PAST_COMPLETION_YEARS):
        return (f"The completion date ({format_uk(day)}) is more than {MAX_PAST_COMPLETION_YEARS} years ago; "
                "check the year.")
    return None


def renewal_date_problem(day: date, recorded: date | None) -> str | None:
    """A renewal is done after the completion already recorded."""
    if recorded is not None and day < recorded:
        return f"The renewal date ({format_uk(day)}) is before the date already recorded ({format_uk(recorded)})."
    return None
