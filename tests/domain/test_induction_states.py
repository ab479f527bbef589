"""Stored item states read through the same rules as everything else."""

from datetime import date

import pytest

from arrs_desk.domain.induction import CompletedBy, ItemState, ItemStatus, may_complete, status_of

DUE = date(2025, 3, 10)


@pytest.mark.parametrize(
    ("state", "needs_signoff", "today", "expected"),
    [
        (ItemState.OPEN, False, DUE, ItemStatus.DUE),  # due today is not overdue
        (ItemState.OPEN, False, date(2025, 3, 11), ItemStatus.OVERDUE),
        (ItemState.OPEN, True, date(2025, 3, 9), ItemStatus.NOT_DUE_YET),
        (ItemState.AWAITING, True, date(2025, 4, 1), ItemStatus.AWAITING_SIGNOFF),  # the wait is the signer's
        (ItemState.COMPLETE, True, date(2025, 4, 1), ItemStatus.COMPLETE),
        (ItemState.COMPLETE, False, date(2025, 4, 1), ItemStatus.COMPLETE),
        (ItemState.RETURNED, True, date(2025, 4, 1), ItemStatus.RETURNED),
        (ItemState.NOT_APPLICABLE, False, date(2025, 4, 1), ItemStatus.NOT_APPLICABLE),
    ],
)
def test_status_of_a_stored_state(state, needs_signoff, today, expected):
    assert status_of(state, DUE, today, needs_signoff=needs_signoff) is expected
    assert status_of(state.value, DUE, today, needs_signoff=needs_signoff) is expected


def test_due_soon_window():
    assert status_of("open", DUE, date(2025, 3, 3), needs_signoff=False, due_soon_days=7) is ItemStatus.DUE
    assert status_of("open", DUE, date(2025, 3, 2), needs_signoff=False, due_soon_days=7) is ItemStatus.NOT_DUE_YET


@pytest.mark.parametrize(
    ("completed_by", "is_self", "manages", "allowed"),
    [
        (CompletedBy.STARTER, True, False, True),
        (CompletedBy.EITHER, True, False, True),
        (CompletedBy.MANAGER, True, False, False),
        (CompletedBy.MANAGER, False, True, True),
        (CompletedBy.EITHER, False, True, True),
        (CompletedBy.STARTER, False, True, False),
        (CompletedBy.EITHER, False, False, False),
    ],
)
def test_who_completes_an_item(completed_by, is_self, manages, allowed):
    assert may_complete(completed_by, is_self=is_self, manages=manages) is allowed
