"""Review records: the order a person's reviews happened in, which counts as the previous one, what
a viewer may do with a review, and the dates a review, a paper signature and an impact entry may
carry (pure rules, explicit dates)."""

from dataclasses import asdict, dataclass
from datetime import date

import pytest

from arrs_desk.domain.review_dates import (
    MAX_AHEAD_MONTHS, MAX_PAST_YEARS, MAX_PERIOD_MONTHS, chronological_key, impact_date_problem, latest_review,
    meeting_date_problem, paper_signature_problem, period_problem, previous_review,
)
from arrs_desk.domain.reviews import both_signed, review_actions
from arrs_desk.domain.staff import StaffStatus, in_post

TODAY = date(2028, 2, 29)


@dataclass(frozen=True)
class Rec:
    id: int
    meeting_date: date | None
    period_end: date


def test_reviews_are_ordered_by_meeting_then_period_end_then_as_recorded():
    booked_no_date = Rec(5, None, date(2027, 6, 30))
    held = Rec(9, date(2027, 6, 1), date(2027, 6, 1))
    same_day_later_record = Rec(12, date(2027, 6, 1), date(2027, 5, 31))
    ordered = sorted([same_day_later_record, booked_no_date, held], key=chronological_key)
    assert [r.id for r in ordered] == [9, 12, 5]
    assert latest_review([held, booked_no_date, same_day_later_record]) is booked_no_date
    assert latest_review([]) is None


def test_the_previous_review_is_the_latest_one_before_the_current_one():
    first = Rec(1, date(2026, 1, 10), date(2026, 1, 10))
    second = Rec(2, date(2027, 1, 12), date(2027, 1, 12))
    recorded_late_about_2026 = Rec(3, date(2026, 7, 1), date(2026, 7, 1))
    reviews = [first, second, recorded_late_about_2026]
    assert previous_review(reviews, second) is recorded_late_about_2026
    assert previous_review(reviews, recorded_late_about_2026) is first
    assert previous_review(reviews, first) is None
    assert previous_review(reviews, None) is second, "a new review follows the latest of all"
    assert previous_review(iter(reviews), second) is recorded_late_about_2026, "any iterable, read once"


def test_a_review_is_locked_only_when_both_parties_have_signed():
    assert both_signed({"appraiser": object(), "appraisee": object()})
    assert not both_signed({"appraiser": object()})
    assert not both_signed([])


def moves(*, write=False, reflect=False, read=False, is_self=False, appraiser=False, signed=(), held=True,
          appraiser_on_paper=False, appraisee_on_paper=False):
    can = review_actions(may_write=write, may_reflect=reflect, may_read=read, is_self=is_self,
                         is_appraiser=appraiser, signed=set(signed), held=held,
                         appraiser_on_paper=appraiser_on_paper, appraisee_on_paper=appraisee_on_paper)
    return {name for name, allowed in asdict(can).items() if allowed}


def test_the_named_appraiser_edits_and_signs_a_held_review_and_the_person_signs_their_own():
    assert moves(write=True, read=True, appraiser=True) == {"edit", "delete", "read_self_assessment",
                                                             "sign_as_appraiser"}
    assert moves(reflect=True, read=True, is_self=True) == {"read_self_assessment", "write_self_assessment",
                                                             "sign_as_appraisee"}


def test_nobody_signs_a_review_before_its_meeting_or_twice():
    assert not moves(write=True, appraiser=True, held=False) & {"sign_as_appraiser", "record_paper_appraiser"}
    assert "sign_as_appraiser" not in moves(write=True, appraiser=True, signed={"appraiser"})
    assert "sign_as_appraisee" not in moves(reflect=True, is_self=True, signed={"appraisee"})


def test_a_signed_review_is_kept_and_one_signed_by_both_is_no_longer_changed():
    one = moves(write=True, reflect=True, is_self=True, signed={"appraiser"})
    assert "edit" in one and "write_self_assessment" in one and "delete" not in one
    both = moves(write=True, reflect=True, is_self=True, appraiser=True, signed={"appraiser", "appraisee"})
    assert both == set()


def test_a_signature_on_paper_is_entered_only_for_a_party_who_cannot_sign_in_the_app():
    assert moves(write=True, appraiser_on_paper=True) >= {"record_paper_appraiser"}
    assert "record_paper_appraisee" not in moves(write=True)
    assert "record_paper_appraisee" in moves(write=True, appraisee_on_paper=True)
    assert "record_paper_appraisee" not in moves(write=True, appraisee_on_paper=True, signed={"appraisee"})
    assert moves(appraiser_on_paper=True, appraisee_on_paper=True) == set(), "only whoever writes the review"


@pytest.mark.parametrize(("status", "start", "end", "expected"), [
    (StaffStatus.ACTIVE, date(2027, 3, 1), None, True),
    (StaffStatus.ON_LEAVE, date(2027, 3, 1), None, True),
    (StaffStatus.INDUCTION, TODAY, None, True),  # starting today: in post
    (StaffStatus.ACTIVE, date(2028, 3, 1), None, False),  # not started yet
    (StaffStatus.PRE_START, date(2028, 3, 1), None, False),
    (StaffStatus.PRE_START, date(2027, 3, 1), None, True),  # saved before they started: in post since
    (StaffStatus.LEFT, date(2020, 3, 1), None, False),
    (StaffStatus.ACTIVE, date(2020, 3, 1), TODAY, True),  # their last day
    (StaffStatus.ACTIVE, date(2020, 3, 1), date(2028, 2, 28), False),  # their last day has passed
])
def test_reviews_fall_due_only_for_people_in_post(status, start, end, expected):
    assert in_post(status.value, start, end, TODAY) is expected


def test_the_period_a_review_covers():
    assert period_problem(date(2027, 3, 1), date(2028, 2, 29), TODAY) is None
    assert period_problem(None, date(2028, 2, 29), TODAY).startswith("Enter the period")
    assert period_problem(date(2028, 2, 1), date(2028, 1, 31), TODAY) == (
        "The period ends (31/01/2028) before it starts (01/02/2028); check the dates.")
    assert period_problem(date(2025, 2, 28), date(2027, 2, 28), TODAY) is None  # exactly 24 months
    assert period_problem(date(2025, 2, 28), date(2027, 3, 1), TODAY) == (
        f"A review covers at most {MAX_PERIOD_MONTHS} months; shorten the period.")
    assert period_problem(date(2028, 6, 1), date(2029, 2, 28), TODAY) is None  # 12 months ahead, clamped
    assert period_problem(date(2028, 6, 1), date(2029, 3, 1), TODAY) == (
        f"The period ends more than {MAX_AHEAD_MONTHS} months from now; check the year.")


def test_the_meeting_date():
    started = date(2027, 9, 1)
    assert meeting_date_problem(None, started, TODAY) is None, "a draft has no meeting yet"
    assert meeting_date_problem(started, started, TODAY) is None
    assert meeting_date_problem(date(2027, 8, 31), started, TODAY) == (
        "The meeting date (31/08/2027) is before 01/09/2027, when this person started.")
    assert meeting_date_problem(date(2029, 3, 1), started, TODAY) == (
        f"The meeting date (01/03/2029) is more than {MAX_AHEAD_MONTHS} months ahead; check the year.")
    assert meeting_date_problem(date(2018, 2, 27), date(2010, 1, 1), TODAY) == (
        f"The meeting date (27/02/2018) is more than {MAX_PAST_YEARS} years ago.")
    assert meeting_date_problem(date(2018, 2, 28), date(2010, 1, 1), TODAY) is None


def test_a_signature_made_on_paper_is_dated_at_or_after_the_meeting_and_not_in_the_future():
    meeting = date(2028, 2, 20)
    assert paper_signature_problem(meeting, meeting, TODAY) is None
    assert paper_signature_problem(TODAY, None, TODAY) is None
    assert paper_signature_problem(None, meeting, TODAY) == "Enter the date written beside the signature."
    assert paper_signature_problem(date(2028, 3, 1), meeting, TODAY) == (
        "The signature date (01/03/2028) is in the future; enter the date it was signed.")
    assert paper_signature_problem(date(2028, 2, 19), meeting, TODAY) == (
        "The signature date (19/02/2028) is before the meeting (20/02/2028); a review is signed at or after the "
        "meeting.")


def test_an_impact_entry_is_dated_when_it_happened():
    assert impact_date_problem(TODAY, TODAY) is None
    assert impact_date_problem(None, TODAY) == "Enter the date (or the end of the period) this evidence is from."
    assert impact_date_problem(date(2028, 3, 1), TODAY) == (
        "The date (01/03/2028) is in the future; enter when it happened.")
    assert impact_date_problem(date(2018, 2, 27), TODAY) == (
        f"The date (27/02/2018) is more than {MAX_PAST_YEARS} years ago; check the year.")
