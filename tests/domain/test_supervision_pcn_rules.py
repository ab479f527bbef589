"""The PCN's own supervision rules in the domain: the "due soon" window and how an edited schedule reads.

They were private helpers of the supervision service; as domain rules they are checked here
without a database.
"""

from __future__ import annotations

import pytest

from arrs_desk.domain.supervision import (
    DEFAULT_DUE_SOON_DAYS,
    MAX_DUE_SOON_DAYS,
    builtin_supervision_catalogue,
    due_soon_days,
    due_soon_problem,
    schedule_summary,
)

CATALOGUE = builtin_supervision_catalogue()


@pytest.mark.parametrize("days", [0, 1, DEFAULT_DUE_SOON_DAYS, MAX_DUE_SOON_DAYS])
def test_a_window_from_none_to_the_most_days_is_kept(days):
    assert due_soon_problem(days) is None
    assert due_soon_days(days) == days


@pytest.mark.parametrize("stored", [None, -1, MAX_DUE_SOON_DAYS + 1, 7.5, "7", [7]])
def test_no_window_or_an_unusable_one_means_the_default(stored):
    assert due_soon_days(stored) == DEFAULT_DUE_SOON_DAYS == 7


@pytest.mark.parametrize("days", [-1, MAX_DUE_SOON_DAYS + 1, 7.5, "7", None])
def test_an_unusable_window_is_refused_in_words(days):
    assert due_soon_problem(days) == (
        f"The 'due soon' warning must be between 0 and {MAX_DUE_SOON_DAYS} days before the due date.")
    assert MAX_DUE_SOON_DAYS == 60


def test_a_single_frequency_reads_as_its_label():
    assert schedule_summary(CATALOGUE, True, [(0, "monthly")], None) == "Required: Monthly"
    assert schedule_summary(CATALOGUE, False, [(0, "quarterly")], None) == "Optional: Every three months"


def test_later_steps_read_in_lower_case_with_the_month_they_start():
    steps = [(0, "weekly"), (6, "fortnightly"), (24, "six-monthly")]
    assert schedule_summary(CATALOGUE, True, steps, None) == (
        "Required: Weekly, then fortnightly from month 6, then every six months from month 24")


def test_an_end_month_is_said_last():
    assert schedule_summary(CATALOGUE, True, [(0, "daily"), (1, "weekly")], 12) == (
        "Required: Daily (debrief), then weekly from month 1; ends after 12 months")


def test_an_unknown_frequency_is_shown_by_its_code():
    assert schedule_summary(CATALOGUE, False, [(0, "hourly")], 3) == "Optional: hourly; ends after 3 months"
