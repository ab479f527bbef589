"""The "Registration and revalidation on track" check at its edges: at risk just inside and just
outside the regulator's notice period, overdue, a lapsed registration whatever the evidence, and
a register without rules (not known). The standing comes from `domain.revalidation` itself, as the
service hands it over, so the check never works out a date of its own."""

from datetime import timedelta

from arrs_desk.domain import assurance as a
from arrs_desk.domain.assurance import CheckStatus as S
from arrs_desk.domain.regulators import builtin_rules
from arrs_desk.domain.revalidation import (
    CpdFact, EvidenceFact, Judge, Status, Tally, assess, cycle_ending, window_cycle,
)
from tests.conftest import TODAY
from tests.date_support import days_ago, days_ahead, uk

RULES = builtin_rules()
NMC = RULES.for_register("NMC")
GPHC = RULES.for_register("GPHC-PHARMACIST")
# The NMC's 60-day notice with the application due on the expiry date itself, so that the notice
# period can begin on any day of the month (the real NMC date is the first of the expiry month).
NOTICE_60 = NMC.model_copy(update={"cycle": NMC.cycle.model_copy(update={"due": "expiry"})})
COMPLETE_GPHC = Tally(cpd_records=4, planned_cpd_records=2,
                      evidence_counts={"discussion": 1, "reflective-account": 1})


def standing(regulator, register: str, renewal, counted: Tally | None = None) -> a.RevalidationFact:
    cycle = cycle_ending(regulator, register, renewal)
    verdict = assess(regulator, register, cycle, counted or Tally(), TODAY, at_risk_days=RULES.at_risk_days,
                     warning_days=RULES.warning_days)
    return a.RevalidationFact(verdict.status.value, verdict.reason, verdict.cycle.opens if verdict.cycle else None)


def check(renewal, revalidation: a.RevalidationFact | None, **facts) -> a.CheckResult:
    base = {"staff_id": 1, "start_date": days_ago(900), "registration_required": True,
            "registration_number": "12A3456E", "registration_renewal": renewal, "revalidation": revalidation}
    base.update(facts)
    return next(r for r in a.evaluate(a.PersonFacts(**base), TODAY) if r.code == "registration")


def test_at_risk_counts_from_the_first_day_of_the_notice_period():
    renewal = days_ahead(60)  # the 60-day notice begins today
    inside = standing(NOTICE_60, "NMC", renewal)
    assert inside.status == Status.AT_RISK.value and inside.notice_from == TODAY
    result = check(renewal, inside)
    assert result.status is S.NOT_MET and result.evidence == "Revalidation"
    assert result.reason.startswith(f"At risk within the regulator's notice period (began {uk(TODAY)}): "
                                    "NMC revalidation due")


def test_at_risk_the_day_before_the_notice_period_is_met_and_says_when_it_will_count():
    renewal = days_ahead(61)
    outside = standing(NOTICE_60, "NMC", renewal)
    assert outside.status == Status.AT_RISK.value and outside.notice_from == days_ahead(1)
    result = check(renewal, outside)
    assert result.status is S.MET
    assert (f"revalidation due soon, counted as not met from {uk(days_ahead(1))} when the regulator's notice period "
            "begins" in result.reason and "still to meet" in result.reason)


def test_overdue_revalidation_is_not_met_while_the_registration_still_runs():
    renewal = days_ahead(10)  # GPhC records were due two months before expiry
    overdue = standing(GPHC, "GPHC-PHARMACIST", renewal)
    assert overdue.status == Status.OVERDUE.value
    result = check(renewal, overdue)
    assert result.status is S.NOT_MET and result.reason == overdue.reason.rstrip(".")
    assert "is incomplete" in result.reason


def test_a_lapsed_registration_is_not_met_even_with_every_record_in():
    ready = standing(GPHC, "GPHC-PHARMACIST", days_ahead(200), COMPLETE_GPHC)
    assert ready.status == Status.READY.value
    result = check(days_ago(1), ready)
    assert result.status is S.NOT_MET and result.reason == f"Registration renewal was due {uk(days_ago(1))}"
    assert check(TODAY, ready).status is S.MET  # the last day of the registration still counts


def test_ready_and_on_track_are_met_with_the_renewal_date():
    ready = check(days_ahead(200), standing(GPHC, "GPHC-PHARMACIST", days_ahead(200), COMPLETE_GPHC))
    assert ready.status is S.MET and ready.reason == f"Registered; renewal due {uk(days_ahead(200))}; revalidation ready"
    far = days_ahead(700)
    on_track = check(far, standing(NMC, "NMC", far))
    assert on_track.status is S.MET and on_track.reason.endswith("revalidation on track")


def test_not_known_is_met_on_the_registration_and_says_why_revalidation_is_not_known():
    verdict = assess(None, "XYZ", None, Tally(), TODAY, at_risk_days=90, warning_days=(90,))
    unknown = a.RevalidationFact(verdict.status.value, verdict.reason)
    result = check(days_ahead(30), unknown)
    assert result.status is S.MET
    assert result.reason == (f"Registered; renewal due {uk(days_ahead(30))}; revalidation not known: "
                             "No revalidation rules are held for the XYZ register")


def test_without_a_number_or_a_renewal_date_it_is_not_met_before_revalidation_is_looked_at():
    on_track = standing(NMC, "NMC", days_ahead(700))
    assert check(days_ahead(700), on_track, registration_number="").reason == "No registration number recorded"
    assert check(None, on_track).reason == "No registration renewal date recorded"
    assert check(None, None, registration_required=False).status is S.NOT_APPLICABLE


def test_the_notice_boundary_is_the_cycles_own_opening_day_on_any_suite_day():
    for renewal in (days_ahead(59), days_ahead(60), days_ahead(61), days_ahead(89)):
        fact = standing(NOTICE_60, "NMC", renewal)
        expected = S.NOT_MET if fact.notice_from <= TODAY else S.MET
        assert fact.notice_from == renewal - timedelta(days=60)
        assert check(renewal, fact).status is expected


def test_someone_on_a_register_their_role_does_not_require_is_held_to_their_revalidation():
    """A mental health practitioner who is a nurse: no registration is required of the role, but an
    overdue NMC revalidation is still a gap; without a register the check does not apply."""
    renewal = days_ahead(10)
    overdue = standing(GPHC, "GPHC-PHARMACIST", renewal)
    result = check(renewal, overdue, registration_required=False)
    assert result.status is S.NOT_MET and result.reason == overdue.reason.rstrip(".")
    fine = check(days_ahead(700), standing(NMC, "NMC", days_ahead(700)), registration_required=False,
                 registration_number="")
    assert fine.status is S.MET and fine.reason.startswith("On a professional register (not required for the role)")
    assert check(None, None, registration_required=False).status is S.NOT_APPLICABLE


def test_an_unanswered_audit_letter_is_at_risk_for_the_profile_not_for_a_notice_period():
    """An HCPC letter picking someone for the CPD audit holds revalidation at risk until the profile
    is sent (`domain.revalidation.with_audit`), with renewal two years off: the check said "At risk in
    the notice period (since <the letter's date>)", as if the renewal's notice had begun."""
    hcpc = RULES.for_register("HCPC-PH")
    cycle = window_cycle(hcpc, "HCPC-PH", TODAY)
    letter = [EvidenceFact("audit-selection", max(cycle.start, days_ago(3)))]
    everything = [CpdFact(cycle.start, 2.0, True, True)], [EvidenceFact("declaration", cycle.start)]
    verdict = Judge(RULES, TODAY)("HCPC-PH", None, everything[0], everything[1] + letter)
    assert verdict.status is Status.AT_RISK and verdict.audit is not None
    fact = a.RevalidationFact(verdict.status.value, verdict.reason, verdict.notice_from, audit_unanswered=True)
    result = check(cycle.end, fact)
    assert result.status is S.NOT_MET
    assert result.reason.startswith("At risk until the CPD audit profile is sent: Picked for HCPC CPD audit on ")
    assert "notice period" not in result.reason
