"""When each contract check applies, and that every answer says why in words.

Pure rules given explicit dates (and `TODAY` where the day does not matter). The probation check
and the Reviews page's list of what is due are asked the same question over many dates: they
must never disagree.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from arrs_desk.domain import assurance as a
from arrs_desk.domain import reviews as r
from arrs_desk.domain.assurance import CheckStatus as S
from arrs_desk.domain.dates import add_months
from arrs_desk.domain.reviews import ReviewFact

DAY = date(2027, 3, 15)
"""An ordinary day for the rules that only compare dates."""


def check(code: str, today: date = DAY, **facts) -> a.CheckResult:
    base = dict(staff_id=1, start_date=date(2020, 1, 6), has_checklist=True)
    base.update(facts)
    return next(x for x in a.evaluate(a.PersonFacts(**base), today) if x.code == code)


def probation(month: int, day: date | None) -> ReviewFact:
    return ReviewFact("probation", month, day)


# --------------------------------------------------------------------------- the checks file


def test_every_check_records_its_source_and_the_probation_grace_is_data():
    checks = a.builtin_checks()
    assert all(len(c.source) > 20 for c in checks)
    assert all(any(word in c.source for word in ("Network Contract", "DES")) for c in checks if c.kind != "training")
    training = next(c for c in checks if c.kind == "training")  # an employer's duty, not a contract clause
    assert "regulation 18" in training.source and "Core Skills Training Framework" in training.source
    grace = a.probation_check().grace_months
    assert grace == 6 and r.probation_grace_months() == grace
    pathway = next(c for c in checks if c.kind == "pathway")
    assert {"CPH", "PTECH", "FCPP", "PARA"} <= set(pathway.roles) and "MHP" not in pathway.roles


# --------------------------------------------------------------------------- probation


def test_probation_never_applies_to_someone_long_in_post():
    result = check("probation", start_date=date(2019, 4, 1))
    assert result.status is S.NOT_APPLICABLE
    assert "probation period ended 01/10/2019" in result.reason.lower()


def test_probation_applies_until_the_end_of_the_period_plus_the_grace():
    start = date(2026, 1, 10)
    ends = add_months(start, 6)  # 10/07/2026, the 6-month review is due
    last_day = add_months(start, 12) - timedelta(days=1)
    assert check("probation", last_day, start_date=start).status is S.NOT_MET
    closed = check("probation", last_day + timedelta(days=1), start_date=start)
    assert closed.status is S.NOT_APPLICABLE and "10/07/2026" in closed.reason
    assert check("probation", ends, start_date=start, reviews=(probation(3, add_months(start, 3)),)).status is S.MET


def test_probation_stops_once_passed_and_says_when():
    start = date(2026, 1, 10)
    passed = check("probation", date(2026, 8, 1), start_date=start, reviews=(probation(6, date(2026, 7, 12)),))
    assert passed.status is S.MET and passed.reason == "Probation passed: 6-month probation review held 12/07/2026"


def test_an_overdue_probation_stage_is_not_met_even_when_booked():
    start = date(2026, 9, 1)
    late = check("probation", date(2026, 12, 5), start_date=start)
    assert late.status is S.NOT_MET and "3-month probation review was due 01/12/2026" in late.reason
    booked = check("probation", date(2026, 12, 5), start_date=start, reviews=(probation(3, date(2026, 12, 9)),))
    assert booked.status is S.NOT_MET and booked.reason.endswith("booked for 09/12/2026")
    early = check("probation", date(2026, 11, 1), start_date=start)
    assert early.status is S.NOT_APPLICABLE and early.reason.startswith("Not due yet")


@settings(max_examples=300, deadline=None)
@given(start=st.dates(date(2024, 1, 1), date(2028, 12, 31)), days=st.integers(-30, 600),
       three=st.sampled_from([None, -20, 5, 40]), six=st.sampled_from([None, -10, 3, 30]),
       grace=st.integers(0, 12))
def test_the_probation_check_and_the_reviews_page_never_disagree(start, days, three, six, grace):
    today = start + timedelta(days=days)
    facts = []
    if three is not None:  # a 3-month review held (or booked) this many days after it fell due
        facts.append(probation(3, add_months(start, 3) + timedelta(days=three)))
    if six is not None:
        facts.append(probation(6, add_months(start, 6) + timedelta(days=six)))
    definition = a.probation_check().model_copy(update={"grace_months": grace})
    result = a.evaluate(a.PersonFacts(staff_id=1, start_date=start, reviews=tuple(facts)), today, [definition])[0]
    listed = [d for d in r.due_reviews(start, facts, today, grace) if d.kind == "probation"]
    late = [d for d in listed if d.due_on < today]
    assert (result.status is S.NOT_MET) == bool(late)
    if not listed:  # the Reviews page has stopped asking: passed, or the grace is over
        assert result.status is not S.NOT_MET
        assert result.reason.startswith(("Probation passed", "Probation no longer applies"))
    assert result.reason


# --------------------------------------------------------------------------- the other checks


def test_supervision_and_appraisal_pause_while_on_leave_but_registration_does_not():
    leave = dict(on_leave=True, supervision_status="overdue", registration_required=True,
                 registration_number="12A3456E", registration_renewal=DAY - timedelta(days=1))
    for code in ("supervisor", "review"):
        paused = check(code, **leave)
        assert paused.status is S.NOT_APPLICABLE and paused.reason.startswith("On leave")
    assert check("registration", **leave).status is S.NOT_MET


def test_registration_needs_a_number_as_well_as_a_renewal_date():
    missing = check("registration", registration_required=True, registration_renewal=DAY)
    assert missing.status is S.NOT_MET and missing.reason == "No registration number recorded"
    assert check("registration", registration_required=True, registration_number="2123456",
                 registration_renewal=DAY).status is S.MET


def test_the_pathway_check_covers_the_roles_whose_minimum_requirements_include_one():
    other = check("pathway", role_code="MHP", role_has_pathway=True)
    assert other.status is S.NOT_APPLICABLE and "not among this role's minimum requirements" in other.reason
    start = DAY - timedelta(days=10)
    new = check("pathway", role_code="CPH", start_date=start, role_has_pathway=True)
    assert new.status is S.NOT_APPLICABLE and new.reason == f"Not due yet: enrolment is expected by {add_months(start, 1):%d/%m/%Y}"
    assert check("pathway", role_code="CPH", role_has_pathway=True).status is S.NOT_MET
    enrolled = check("pathway", role_code="CPH", enrolments=(("Primary care pharmacy education pathway", "behind"),))
    assert enrolled.status is S.MET and enrolled.reason == "Enrolled on Primary care pharmacy education pathway"


def test_induction_items_count_only_once_they_are_due():
    waiting = check("it-access", induction_tags={"it-access": a.TagProgress(3, 1, next_due=DAY + timedelta(days=5))})
    assert waiting.status is S.NOT_APPLICABLE and waiting.reason.startswith("Not due yet: 1 of 3 items complete")
    signed = check("job-plan", induction_tags={"job-plan": a.TagProgress(1, 0, late=1, awaiting=1)})
    assert signed.status is S.NOT_MET and "awaiting the line manager's sign-off" in signed.reason


def test_an_induction_completed_before_records_began_answers_the_induction_checks():
    prior = a.PriorInduction(date(2021, 3, 1), "Bogdan Popescu", "Practice manager")
    for code in ("it-access", "job-plan"):
        result = check(code, has_checklist=False, prior_induction=prior)
        assert result.status is S.MET
        assert result.reason == ("Induction completed before records began (01/03/2021), attested by Bogdan Popescu, "
                                 "Practice manager")
    missing = check("it-access", has_checklist=False)
    assert missing.status is S.NOT_MET and "before records began" in missing.reason


@settings(max_examples=200, deadline=None)
@given(start=st.dates(date(2018, 1, 1), date(2027, 3, 14)), on_leave=st.booleans(),
       supervision=st.sampled_from([None, "in-date", "due-soon", "overdue", "never-held", "not-arranged", "ended",
                                    "supervisor-left", "not-applicable"]),
       role=st.sampled_from(["CPH", "SPLW", "PARA", "MHP"]), checklist=st.booleans(),
       registration=st.booleans(), end=st.one_of(st.none(), st.integers(10, 400)))
def test_every_answer_says_why_in_words(start, on_leave, supervision, role, checklist, registration, end):
    facts = a.PersonFacts(
        staff_id=1, start_date=start, end_date=None if end is None else start + timedelta(days=end),
        on_leave=on_leave, role_code=role, registration_required=registration, supervision_status=supervision,
        supervision_last=start + timedelta(days=20), supervision_next_due=DAY, has_checklist=checklist,
        induction_tags={"it-access": a.TagProgress(2, 1, next_due=DAY)} if checklist else {})
    for result in a.evaluate(facts, DAY):
        assert len(result.reason.split()) >= 3, result
        assert not result.reason.startswith(("N/A", "Not applicable:")), result
