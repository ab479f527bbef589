"""What is due, worked out from the few facts the database aggregates, equals the domain rule
applied to every review a person has (issue 18).

The Reviews page and Home no longer load everyone's whole review history: grouped statements
(`services/reviews/due_facts.py`) give per person the earliest and latest meeting of each kind
held, the earliest booked, and the latest review held and of all. Here random histories (meetings
on leap days, month and year ends, today and either side of it, booked with and without a date,
several on one day) go into the database for three people with random start dates (in probation,
at the edge of its grace, long in post, not yet started), and every due row must equal what
`arrs_desk.domain.reviews.due_reviews` and `latest_review` make of every row.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, update

from arrs_desk.domain import reviews as rules
from arrs_desk.domain.dates import add_months
from arrs_desk.domain.review_dates import latest_review
from arrs_desk.store.models import Review, ReviewObjective, ReviewPdpItem, ReviewSignOff, Staff
from tests.conftest import TODAY
from tests.review_support import make_review_team


def _month_ends(around: date) -> list[date]:
    return [date(y, m, calendar.monthrange(y, m)[1]) for y in (around.year - 1, around.year) for m in (1, 2, 11, 12)]


_LEAP_DAYS = [date(y, 2, 29) for y in range(TODAY.year - 3, TODAY.year + 1) if calendar.isleap(y)]
HARD_DAYS = tuple(sorted({
    *_LEAP_DAYS, *_month_ends(TODAY), date(TODAY.year, 1, 1), date(TODAY.year - 1, 12, 31),
    TODAY, TODAY - timedelta(days=1), TODAY + timedelta(days=1),
    add_months(TODAY, -6), add_months(TODAY, -12), add_months(TODAY, 6),
}))
"""Leap days, month and year ends, today and either side, six and twelve months either way."""
_GRACE = rules.probation_grace_months()
STARTS = tuple(sorted({
    *_LEAP_DAYS, *(d for d in _month_ends(TODAY) if d <= TODAY), TODAY, TODAY + timedelta(days=3),
    add_months(TODAY, -3), add_months(TODAY, -6), add_months(TODAY, -6) - timedelta(days=1),
    add_months(TODAY, -(6 + _GRACE)), add_months(TODAY, -(6 + _GRACE)) + timedelta(days=1),
    add_months(TODAY, -(6 + _GRACE)) - timedelta(days=1), add_months(TODAY, -30),
}))
"""Start dates: in probation, at its end, either side of the end of its grace, years in post,
and one still to come (not in post: no row)."""

days = st.one_of(st.sampled_from(HARD_DAYS),
                 st.dates(min_value=TODAY - timedelta(days=3 * 366), max_value=TODAY + timedelta(days=200)))
kinds = st.one_of(st.tuples(st.just("probation"), st.sampled_from((3, 6, 3, 6, None))),
                  st.tuples(st.sampled_from(("annual", "interim")), st.just(None)))
statuses = st.lists(st.sampled_from([s.value for s in rules.ObjectiveStatus]), max_size=3)
review = st.tuples(st.integers(0, 2), kinds, st.one_of(st.none(), days), days, statuses,
                   st.sampled_from(("Dr Yusuf Adeyemi", "Dr Ines Carvalho", "")))


@pytest.fixture
def team(workspace, system_actor):
    return make_review_team(workspace, system_actor)


def _record(workspace, people, starts, history) -> list[Review]:
    """Replace every review with `history`; give the three people their start dates."""
    kept = []
    with workspace.db.write() as session:
        for model in (ReviewObjective, ReviewPdpItem, ReviewSignOff, Review):
            session.execute(delete(model))
        for staff_id, start in zip(people, starts):
            session.execute(update(Staff).where(Staff.id == staff_id).values(start_date=start))
        for who, (kind, month), meeting, period_end, objective_statuses, appraiser in history:
            row = Review(staff_id=people[who], kind=kind, probation_month=month,
                         period_start=period_end - timedelta(days=180), period_end=period_end,
                         meeting_date=meeting, appraiser_name=appraiser)
            session.add(row)
            session.flush()
            for position, status in enumerate(objective_statuses):
                session.add(ReviewObjective(review_id=row.id, staff_id=row.staff_id, position=position,
                                            description=f"Objective {position}", status=status))
            kept.append((row.id, row.staff_id, kind, month, meeting, period_end, appraiser,
                         sum(1 for s in objective_statuses if s in rules.OPEN_OBJECTIVE_STATUSES)))
    return kept


class _Kept:
    """One recorded review as the Python rules read it."""

    def __init__(self, review_id, staff_id, kind, month, meeting, period_end, appraiser, open_):
        self.id, self.staff_id, self.kind, self.probation_month = review_id, staff_id, kind, month
        self.meeting_date, self.period_end, self.appraiser_name, self.open = meeting, period_end, appraiser, open_


_TWO_OF_EACH = [  # two held of each kind, booked with and without a date, for one person
    (0, ("annual", None), add_months(TODAY, -25), add_months(TODAY, -25), ["in-progress"], "Dr A"),
    (0, ("annual", None), add_months(TODAY, -13), add_months(TODAY, -13), [], "Dr B"),
    (0, ("interim", None), add_months(TODAY, -19), add_months(TODAY, -19), [], "Dr A"),
    (0, ("interim", None), add_months(TODAY, -7), add_months(TODAY, -7), ["not-started"], "Dr B"),
    (0, ("interim", None), None, TODAY, [], ""),
    (0, ("annual", None), TODAY + timedelta(days=40), TODAY, [], "Dr C"),
    (1, ("probation", 6), add_months(TODAY, -1), add_months(TODAY, -1), [], ""),
    (1, ("probation", 3), add_months(TODAY, -2), add_months(TODAY, -2), [], ""),
]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(starts=st.tuples(*(st.sampled_from(STARTS),) * 3), history=st.lists(review, max_size=14))
@example(starts=(add_months(TODAY, -30), add_months(TODAY, -7), TODAY), history=_TWO_OF_EACH)
def test_due_rows_from_aggregated_facts_equal_the_rule_on_every_review(workspace, team, starts, history):
    people = [team.zoe_id, team.newbie_id, team.anya_id]
    kept = [_Kept(*k) for k in _record(workspace, people, starts, history)]
    rows = {r.staff_id: r for r in workspace.reviews.overview(team.admin, held=False).due_rows}
    for staff_id, start in zip(people, starts):
        own = [k for k in kept if k.staff_id == staff_id]
        if start > TODAY:
            assert staff_id not in rows
            continue
        due = rules.due_reviews(start, [rules.ReviewFact(k.kind, k.probation_month, k.meeting_date) for k in own],
                                TODAY)
        upcoming = rules.next_due(due)
        this_job = [k for k in own if rules.in_this_employment(k.meeting_date, start)]
        last = latest_review(k for k in this_job if rules.is_held(k.meeting_date, TODAY))
        latest = latest_review(this_job)
        row = rows[staff_id]
        assert row.due == due
        assert (row.next, row.status) == (upcoming, upcoming.status if upcoming else rules.DueStatus.UP_TO_DATE)
        assert (row.last_review, row.last_review_on) == (
            (rules.kind_label(last.kind, last.probation_month), last.meeting_date) if last else ("", None))
        assert (row.appraiser, row.open_objectives) == ((latest.appraiser_name, latest.open) if latest else ("", 0))
    # Home's card counts the same statuses without the rows (no last review, appraiser or names
    # read): for the administrator, who sees everyone, and for line managers, who see their team.
    for actor in (team.admin, team.helen, team.bogdan):
        shown = [r for r in workspace.reviews.due(actor) if r.arrs]
        assert workspace.reviews.due_counts(actor) == (
            len(shown), sum(r.status is rules.DueStatus.OVERDUE for r in shown),
            sum(r.status is rules.DueStatus.DUE_SOON for r in shown))


def test_a_returner_row_shows_nothing_of_the_earlier_job(workspace, team):
    """Zoë came back four months ago: her row showed the appraisal of the job she had left as her
    last review, its appraiser, and its open objective, beside a probation review now overdue."""
    back = add_months(TODAY, -4)
    _record(workspace, [team.zoe_id], (back,), [
        (0, ("annual", None), add_months(TODAY, -14), add_months(TODAY, -14), ["in-progress"], "Dr A")])
    row = next(r for r in workspace.reviews.overview(team.admin, held=False).due_rows if r.staff_id == team.zoe_id)
    assert (row.last_review, row.last_review_on, row.appraiser, row.open_objectives) == ("", None, "", 0)
    assert (row.next.kind, row.next.probation_month, row.status) == ("probation", 3, rules.DueStatus.OVERDUE)


def test_the_due_list_and_the_full_overview_agree(workspace, team):
    """Reading what is due alone (the Reviews page's first read, and Home's) gives the same rows as
    the overview with every review held, and the reviews held read on their own are the same too."""
    people = [team.zoe_id, team.newbie_id, team.anya_id]
    _record(workspace, people, (add_months(TODAY, -20), add_months(TODAY, -4), add_months(TODAY, -9)), [
        (0, ("annual", None), add_months(TODAY, -13), add_months(TODAY, -13), ["in-progress", "achieved"], "Dr A"),
        (0, ("interim", None), add_months(TODAY, -7), add_months(TODAY, -7), [], "Dr B"),
        (0, ("annual", None), None, TODAY, ["not-started"], "Dr C"),
        (1, ("probation", 3), add_months(TODAY, -1), add_months(TODAY, -1), [], ""),
        (2, ("probation", 6), TODAY + timedelta(days=10), TODAY, [], "Dr D"),
    ])
    full = workspace.reviews.overview(team.admin)
    alone = workspace.reviews.overview(team.admin, held=False)
    assert alone.due_rows == full.due_rows and alone.held_rows == ()
    assert workspace.reviews.held(team.admin) == full.held_rows
    assert [r.id for r in full.held_rows][:1] and len(full.held_rows) == 5
    zoe = next(r for r in alone.due_rows if r.staff_id == team.zoe_id)
    # Latest of all: the annual appraisal booked without a date, dated by its period's end (today).
    assert (zoe.appraiser, zoe.open_objectives) == ("Dr C", 1)
    assert (zoe.last_review, zoe.last_review_on) == ("Interim review (6-month)", add_months(TODAY, -7))
    assert zoe.next.kind == "annual" and str(zoe.next.status) == "booked"
