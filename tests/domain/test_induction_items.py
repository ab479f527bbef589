"""The moves open on one checklist item, by state, by who completes it and by what the viewer
may do; the dates a completion or renewal may carry; the overview's percentage (pure rules)."""

from dataclasses import asdict
from datetime import date

import pytest

from arrs_desk.domain.induction import CompletedBy, ItemState, percent_done, progress, ItemStatus
from arrs_desk.domain.induction_items import (
    MAX_PAST_COMPLETION_YEARS, ViewerRights, completion_date_problem, item_actions, renewal_date_problem,
)

STARTER = ViewerRights(tick=True, sign=False, record=False, edit=False, is_self=True, manages=False)
MANAGER = ViewerRights(tick=True, sign=True, record=True, edit=True, is_self=False, manages=True)
ADMINISTRATOR = ViewerRights(tick=False, sign=False, record=True, edit=True, is_self=False, manages=False)
BYSTANDER = ViewerRights(tick=False, sign=False, record=False, edit=False, is_self=False, manages=False)


def open_moves(state, rights, completed_by=CompletedBy.STARTER, *, needs_signoff=True, validity_months=None):
    actions = item_actions(state, completed_by, needs_signoff=needs_signoff, validity_months=validity_months,
                           rights=rights)
    return {name for name, allowed in asdict(actions).items() if allowed}


def test_the_starter_ticks_their_own_open_item_and_attaches_evidence():
    assert open_moves(ItemState.OPEN, STARTER) == {"tick", "mark_na", "attach"}
    assert open_moves(ItemState.RETURNED, STARTER) == {"tick", "mark_na", "attach"}


def test_the_manager_signs_off_what_waits_and_the_starter_may_still_untick_it():
    assert open_moves(ItemState.AWAITING, MANAGER) == {"sign_off", "record_signature", "attach", "edit_validity"}
    assert open_moves(ItemState.AWAITING, STARTER) == {"untick", "attach"}


def test_a_signed_off_item_stays_done_but_one_without_sign_off_can_be_unticked():
    assert "untick" not in open_moves(ItemState.COMPLETE, STARTER, needs_signoff=True)
    assert "untick" in open_moves(ItemState.COMPLETE, STARTER, needs_signoff=False)


def test_manager_items_are_the_managers_to_tick():
    assert open_moves(ItemState.OPEN, MANAGER, CompletedBy.MANAGER) >= {"tick", "mark_na"}
    assert not open_moves(ItemState.OPEN, STARTER, CompletedBy.MANAGER) & {"tick", "mark_na", "untick"}
    assert {"tick"} <= open_moves(ItemState.OPEN, STARTER, CompletedBy.EITHER)
    assert {"tick"} <= open_moves(ItemState.OPEN, MANAGER, CompletedBy.EITHER)


def test_not_applicable_items_are_put_back_before_anything_else():
    assert open_moves(ItemState.NOT_APPLICABLE, STARTER) == {"reopen"}


def test_training_with_a_validity_period_is_renewed_by_whoever_completes_it():
    assert open_moves(ItemState.COMPLETE, STARTER, needs_signoff=False, validity_months=12) == {
        "untick", "attach", "renew"}  # how long it stays valid is the manager's to set, not the starter's
    assert "renew" not in open_moves(ItemState.COMPLETE, STARTER, needs_signoff=False, validity_months=None)
    assert "renew" not in open_moves(ItemState.OPEN, STARTER, validity_months=12)


def test_an_administrator_records_paper_signatures_and_edits_validity_but_ticks_nothing():
    assert open_moves(ItemState.AWAITING, ADMINISTRATOR) == {"record_signature", "edit_validity"}
    assert open_moves(ItemState.AWAITING, ADMINISTRATOR, needs_signoff=False) == {"edit_validity"}
    assert open_moves(ItemState.OPEN, BYSTANDER) == set()


def test_states_are_accepted_as_stored_text():
    assert open_moves("open", STARTER, "starter") == open_moves(ItemState.OPEN, STARTER, CompletedBy.STARTER)


TODAY = date(2028, 2, 29)


@pytest.mark.parametrize(("day", "expected"), [
    (TODAY, None),
    (date(2018, 2, 28), None),
    (date(2028, 3, 1), "The completion date (01/03/2028) is in the future; enter the day it was done."),
    (date(2018, 2, 27), f"The completion date (27/02/2018) is more than {MAX_PAST_COMPLETION_YEARS} years ago; "
                        "check the year."),
])
def test_the_day_an_item_was_done(day, expected):
    assert completion_date_problem(day, TODAY) == expected


def test_a_renewal_follows_the_completion_already_recorded():
    assert renewal_date_problem(date(2028, 2, 1), None) is None
    assert renewal_date_problem(date(2028, 2, 1), date(2028, 2, 1)) is None
    assert renewal_date_problem(date(2028, 1, 31), date(2028, 2, 1)) == (
        "The renewal date (31/01/2028) is before the date already recorded (01/02/2028).")


@pytest.mark.parametrize(("done", "applicable", "expected"), [(0, 0, 100), (0, 3, 0), (2, 3, 66), (3, 3, 100)])
def test_the_overview_percentage_is_the_checklists_own(done, applicable, expected):
    assert percent_done(done, applicable) == expected
    statuses = [ItemStatus.COMPLETE] * done + [ItemStatus.OVERDUE] * (applicable - done) + [ItemStatus.NOT_APPLICABLE]
    assert progress(statuses).percent == expected
