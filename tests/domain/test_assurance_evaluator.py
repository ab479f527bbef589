"""`Evaluator` (the Assurance page's and Home's way of checking everyone) answers exactly as
`evaluate` (the checks one by one, the reference) does, for many people checked by one evaluator:
the answers it shares between people who have the same facts (`_SHARED_BY`) must be theirs."""

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from arrs_desk.domain import assurance as a
from arrs_desk.domain.reviews import ReviewFact
from arrs_desk.domain.training import TrainingStatus

# Few distinct values of each fact, so that people often share a start date, reviews or training
# record (the evaluator's shared answers are then handed on) and still differ in the rest.
_DAYS = st.sampled_from([date(2024, 2, 29), date(2025, 5, 31), date(2025, 11, 24), date(2026, 3, 1),
                         date(2026, 5, 24), date(2026, 8, 31), date(2026, 11, 24), date(2026, 12, 15)])
_MAYBE_DAY = st.none() | _DAYS
_FEW_DAYS = st.none() | st.sampled_from([date(2026, 5, 24), date(2026, 12, 15)])
_REVIEW = st.builds(ReviewFact, st.sampled_from(["probation", "annual", "interim"]),
                    st.none() | st.sampled_from([3, 6]), _MAYBE_DAY)
_T = TrainingStatus
_TRAINING = st.sampled_from([None, (), (("Fire safety", _T.NEVER),), (("Fire safety", _T.IN_DATE),),
                             (("Fire safety", _T.DUE_SOON), ("Safeguarding adults", _T.NEVER)),
                             (("Fire safety", _T.EXPIRED), ("Safeguarding adults", _T.NEVER))])
_FACTS = st.builds(
    a.PersonFacts,
    staff_id=st.integers(1, 50), start_date=_DAYS, end_date=_MAYBE_DAY, on_leave=st.booleans(),
    temporary_cover=st.booleans(), role_code=st.sampled_from(["CPH", "SPLW"]),
    registration_required=st.booleans(), registration_number=st.sampled_from(["", "12A"]),
    registration_renewal=_MAYBE_DAY,
    supervision_status=st.none() | st.sampled_from(["in-date", "overdue", "never-held", "ended", "not-applicable"]),
    supervision_last=_FEW_DAYS, supervision_next_due=_FEW_DAYS, supervision_overdue_days=st.integers(0, 1),
    reviews=st.lists(_REVIEW, max_size=3).map(tuple),
    enrolments=st.lists(st.tuples(st.just("Pathway"), st.sampled_from(["completed", "active", "withdrawn"])),
                        max_size=2).map(tuple),
    role_has_pathway=st.booleans(), has_checklist=st.booleans(),
    prior_induction=st.none() | st.builds(a.PriorInduction, _DAYS, st.sampled_from(["", "Ann Lee"]),
                                          st.sampled_from(["", "Manager"])),
    training=_TRAINING,
)


@settings(max_examples=150, deadline=None)
@given(people=st.lists(_FACTS, min_size=1, max_size=25), today=_DAYS)
def test_the_evaluator_answers_as_evaluate_does(people, today):
    checks = a.builtin_checks()
    evaluate = a.Evaluator(today, checks)
    assert [evaluate(f) for f in people] == [a.evaluate(f, today, checks) for f in people]


@settings(max_examples=100, deadline=None)
@given(people=st.lists(_FACTS, max_size=25), today=_DAYS)
def test_checking_everyone_at_once_answers_as_one_by_one(people, today):
    """`Evaluator.many` (the Assurance matrix's way: check by check over everyone) gives each
    person what `evaluate` gives them alone, in the order given; nobody, nothing."""
    checks = a.builtin_checks()
    assert a.Evaluator(today, checks).many(people) == [a.evaluate(f, today, checks) for f in people]
