"""The regulators' rules at their edges: windows across year ends, leap days, a cycle's first
and last day, counts just under and at the requirement."""

from __future__ import annotations

import calendar
import json
from datetime import date, timedelta

import pytest
from hypothesis import given, strategies as st

from arrs_desk.domain.catalogue import builtin_catalogue
from arrs_desk.domain.datafiles import parse_data
from arrs_desk.domain.dates import add_months
from arrs_desk.domain.regulators import RegulatorRules, builtin_rules
from arrs_desk.domain.revalidation import (
    CpdFact, EvidenceFact, Status, Tally, assess, current_cycle, cycle_ending, tally, warning_stage, window_cycle,
)
from arrs_desk.errors import ResourceFileError
from arrs_desk.paths import resource_path

RULES = builtin_rules()
NMC = RULES.for_register("NMC")
GPHC = RULES.for_register("GPHC-PHARMACIST")
HCPC = RULES.for_register("HCPC-PH")
GMC = RULES.for_register("GMC-DOCTOR")
SWE = RULES.for_register("SWE")


def judge(regulator, register, cycle, counted, today):
    return assess(regulator, register, cycle, counted, today, at_risk_days=RULES.at_risk_days,
                  warning_days=RULES.warning_days)


def test_every_register_in_the_role_catalogue_has_rules_and_every_rule_names_a_known_register():
    catalogue = builtin_catalogue()
    known = {r.code for r in catalogue.registers}
    assert RULES.check_registers(known) == []
    assert all(RULES.for_register(code) is not None for code in known)


def test_every_regulator_records_its_sources_with_the_date_checked():
    for regulator in RULES.regulators:
        assert regulator.sources and all(s.url.startswith("http") and s.checked.year >= 2026 for s in regulator.sources)


def _raw() -> dict:
    return json.loads(resource_path("regulators", "rules.json").read_text(encoding="utf-8"))


def test_a_malformed_file_is_refused_naming_the_file_and_field():
    raw = _raw()
    raw["regulators"][0]["requirements"][0]["at_least"] = -1
    with pytest.raises(ResourceFileError, match=r"rules.json is not valid:\nregulators\[0\]\.requirements\[0\]\.at_least"):
        parse_data(RegulatorRules, raw, source="rules.json")


def test_a_register_claimed_by_two_regulators_is_refused():
    raw = _raw()
    raw["regulators"][1]["registers"].append("NMC")
    with pytest.raises(ResourceFileError, match="NMC is listed by both NMC and GPHC"):
        parse_data(RegulatorRules, raw, source="rules.json")


def test_a_window_on_a_day_the_month_lacks_is_refused():
    raw = _raw()
    raw["regulators"][2]["cycle"]["windows"][0]["closes"] = {"month": 4, "day": 31}
    with pytest.raises(ResourceFileError, match="month 4 has no day 31"):
        parse_data(RegulatorRules, raw, source="rules.json")


# ------------------------------------------------------------------------------------------ NMC
def test_nmc_three_year_cycle_due_on_the_first_of_the_expiry_month():
    cycle = cycle_ending(NMC, "NMC", date(2027, 4, 30))
    assert (cycle.start, cycle.end, cycle.due) == (date(2024, 5, 1), date(2027, 4, 30), date(2027, 4, 1))
    assert cycle.opens == date(2027, 1, 31)  # the NMC writes 60 days before the application date


def test_nmc_cycle_ending_on_a_leap_day_starts_the_day_after_the_anniversary():
    cycle = cycle_ending(NMC, "NMC", date(2028, 2, 29))
    assert cycle.start == date(2025, 3, 1) and cycle.due == date(2028, 2, 1)
    assert cycle.contains(date(2025, 3, 1)) and not cycle.contains(date(2025, 2, 28))
    assert cycle.contains(date(2028, 2, 29)) and not cycle.contains(date(2028, 3, 1))


def _nmc_tally(*, cpd_hours=35.0, participatory=20.0, reflective=5, feedback=5) -> Tally:
    return Tally(cpd_hours, participatory, 10, 0,
                 {"feedback": feedback, "reflective-account": reflective, "discussion": 1, "declaration": 1,
                  "indemnity": 1, "confirmation": 1, "practice-hours": 3}, {"practice-hours": 450.0})


def test_nmc_counts_just_under_and_at_the_requirement():
    cycle = cycle_ending(NMC, "NMC", date(2027, 4, 30))
    today = date(2026, 12, 4)
    assert judge(NMC, "NMC", cycle, _nmc_tally(), today).status is Status.READY
    under = judge(NMC, "NMC", cycle, _nmc_tally(reflective=4, participatory=19.5), today)
    assert under.status is Status.ON_TRACK  # 118 days to go: more than the 90 at which it turns at risk
    assert "Written reflective accounts: 4 of 5" in under.reason and "Participatory CPD hours: 19.5 of 20" in under.reason


def test_nmc_at_risk_from_ninety_days_and_overdue_the_day_after_the_application_date():
    cycle = cycle_ending(NMC, "NMC", date(2027, 4, 30))
    short = _nmc_tally(feedback=4)
    assert judge(NMC, "NMC", cycle, short, date(2026, 12, 31)).status is Status.ON_TRACK  # 91 days, across the year end
    at_risk = judge(NMC, "NMC", cycle, short, date(2027, 1, 1))
    assert at_risk.status is Status.AT_RISK and at_risk.days_to_due == 90 and at_risk.warning == 90
    assert judge(NMC, "NMC", cycle, short, date(2027, 4, 1)).reason.startswith("NMC revalidation due today")
    late = judge(NMC, "NMC", cycle, short, date(2027, 4, 2))
    assert late.status is Status.OVERDUE and "1 day ago" in late.reason
    lapsed = judge(NMC, "NMC", cycle, _nmc_tally(), date(2027, 5, 1))
    assert lapsed.status is Status.OVERDUE and "record the new renewal date" in lapsed.reason


def test_warning_stages_at_90_60_30_and_7_days():
    stages = [warning_stage(d, RULES.warning_days) for d in (91, 90, 61, 60, 31, 30, 8, 7, 0, -1)]
    assert stages == [None, 90, 90, 60, 60, 30, 30, 7, 7, None]


def test_without_a_renewal_date_or_rules_the_status_is_unknown_and_says_why():
    assert current_cycle(NMC, "NMC", None, date(2026, 12, 4)) is None
    assert "No NMC renewal date" in judge(NMC, "NMC", None, Tally(), date(2026, 12, 4)).reason
    assert judge(None, "XYZ", None, Tally(), date(2026, 12, 4)).status is Status.UNKNOWN


def test_cpd_counts_by_date_within_both_ends_or_by_the_cycle_it_was_assigned_to():
    cycle = cycle_ending(NMC, "NMC", date(2027, 4, 30))
    entries = [CpdFact(date(2024, 5, 1), 2, True, False), CpdFact(date(2027, 4, 30), 3, False, True),
               CpdFact(date(2024, 4, 30), 7, True, False),  # the day before: the previous cycle
               CpdFact(date(2024, 4, 30), 5, True, False, counts_towards=date(2027, 4, 30))]
    counted = tally(cycle, entries, [EvidenceFact("practice-hours", date(2025, 1, 1), 120.5)])
    assert (counted.cpd_hours, counted.participatory_hours, counted.cpd_records, counted.planned_cpd_records) == (10, 7, 3, 1)
    assert counted.evidence_hours["practice-hours"] == 120.5


# ----------------------------------------------------------------------------------------- GPhC
def test_gphc_yearly_records_due_two_months_before_expiry_at_a_month_end():
    cycle = cycle_ending(GPHC, "GPHC-PHARMACIST", date(2027, 4, 30))
    assert (cycle.start, cycle.due) == (date(2026, 5, 1), date(2027, 2, 28))
    leap = cycle_ending(GPHC, "GPHC-PHARMACIST", date(2028, 4, 30))
    assert leap.due == date(2028, 2, 29)


def test_gphc_needs_two_planned_among_four_records():
    cycle = cycle_ending(GPHC, "GPHC-PHARMACIST", date(2027, 4, 30))
    base = {"discussion": 1, "reflective-account": 1}
    assert judge(GPHC, "GPHC-PHARMACIST", cycle, Tally(4, 0, 4, 2, base), date(2026, 12, 4)).status is Status.READY
    one_planned = judge(GPHC, "GPHC-PHARMACIST", cycle, Tally(4, 0, 4, 1, base), date(2026, 12, 4))
    assert one_planned.status is Status.AT_RISK and "Planned CPD records: 1 of 2" in one_planned.reason


# ----------------------------------------------------------------------------------------- HCPC
def test_hcpc_physiotherapists_renew_february_to_april_in_even_years():
    cycle = window_cycle(HCPC, "HCPC-PH", date(2026, 12, 4))
    assert (cycle.start, cycle.opens, cycle.end) == (date(2026, 5, 1), date(2028, 2, 1), date(2028, 4, 30))
    on_last_day = window_cycle(HCPC, "HCPC-PH", date(2026, 4, 30))
    assert on_last_day.end == date(2026, 4, 30) and on_last_day.start == date(2024, 5, 1)
    assert window_cycle(HCPC, "HCPC-PH", date(2026, 5, 1)).end == date(2028, 4, 30)


def test_hcpc_paramedics_renew_june_to_august_in_odd_years():
    cycle = window_cycle(HCPC, "HCPC-PA", date(2026, 12, 4))
    assert (cycle.start, cycle.opens, cycle.due) == (date(2025, 9, 1), date(2027, 6, 1), date(2027, 8, 31))


def test_a_window_across_the_year_end_opens_the_year_before_it_closes_and_clamps_a_leap_day():
    raw = _raw()
    raw["regulators"][2]["cycle"]["windows"].append(
        {"register": "HCPC", "profession": "Radiographers", "opens": {"month": 12, "day": 1},
         "closes": {"month": 2, "day": 29}, "closes_in": "even"})
    hcpc = parse_data(RegulatorRules, raw, source="rules.json").for_register("HCPC")
    cycle = window_cycle(hcpc, "HCPC", date(2026, 12, 4))
    assert (cycle.start, cycle.opens, cycle.end) == (date(2026, 3, 1), date(2027, 12, 1), date(2028, 2, 29))
    after = window_cycle(hcpc, "HCPC", date(2028, 3, 1))
    assert (after.start, after.opens, after.end) == (date(2028, 3, 1), date(2029, 12, 1), date(2030, 2, 28))


def test_an_hcpc_register_without_a_window_follows_the_renewal_date():
    cycle = current_cycle(HCPC, "HCPC", date(2027, 3, 31), date(2026, 12, 4))
    assert (cycle.start, cycle.due, cycle.from_window) == (date(2025, 4, 1), date(2027, 3, 31), False)


# ------------------------------------------------------------------------------------- GMC, SWE
def test_gmc_five_year_cycle_needs_each_kind_of_supporting_information_once():
    cycle = cycle_ending(GMC, "GMC-DOCTOR", date(2029, 12, 31))
    assert cycle.start == date(2025, 1, 1) and cycle.due == date(2029, 12, 31)
    kinds = {"quality-improvement": 1, "significant-event": 1, "colleague-feedback": 1, "patient-feedback": 1,
             "complaints-compliments": 1}
    assert judge(GMC, "GMC-DOCTOR", cycle, Tally(1, 0, 1, 0, kinds), date(2026, 12, 4)).status is Status.READY
    no_patients = judge(GMC, "GMC-DOCTOR", cycle, Tally(1, 0, 1, 0, {**kinds, "patient-feedback": 0}),
                        date(2026, 12, 4))
    assert no_patients.status is Status.ON_TRACK and "Feedback from patients: 0 of 1" in no_patients.reason


def test_social_work_england_renews_every_year_by_30_november():
    on_the_day = window_cycle(SWE, "SWE", date(2026, 11, 30))
    assert (on_the_day.start, on_the_day.end) == (date(2025, 12, 1), date(2026, 11, 30))
    after = window_cycle(SWE, "SWE", date(2026, 12, 1))
    assert (after.start, after.opens, after.end) == (date(2026, 12, 1), date(2027, 9, 1), date(2027, 11, 30))


# ----------------------------------------------------------------------------------- properties
days = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))


@given(end=days, regulator=st.sampled_from([NMC, GPHC, GMC]))
def test_a_per_person_cycle_is_consistent_for_any_renewal_date(end, regulator):
    cycle = cycle_ending(regulator, regulator.registers[0], end)
    assert cycle.start <= cycle.opens <= cycle.due <= cycle.end == end
    following = cycle_ending(regulator, regulator.registers[0], add_months(end, regulator.cycle.months))
    if end.month == 2 and end.day == 28 and calendar.isleap(end.year):
        # 28 and 29 February share their anniversary (28 February of a common year), and the
        # following cycle counts 29 February once, for whoever renewed on it (months_window_start)
        assert following.start == cycle.end + timedelta(days=2)
    else:
        assert following.start == cycle.end + timedelta(days=1)


@pytest.mark.parametrize("regulator", [NMC, GPHC, GMC], ids=lambda r: r.code)
def test_a_renewal_on_28_february_of_a_leap_year_is_followed_from_1_march(regulator):
    """Found by the property above: the next renewal (28/02 of a common year) cannot tell a
    renewal on 28/02 from one on 29/02, and its cycle starts the day after 29/02."""
    following = add_months(date(2028, 2, 28), regulator.cycle.months)
    assert following.month == 2 and following.day == 28
    assert cycle_ending(regulator, regulator.registers[0], following).start == date(2028, 3, 1)
    assert cycle_ending(regulator, regulator.registers[0], date(2028, 2, 29)).end + timedelta(days=1) == date(2028, 3, 1)


@given(today=days, register=st.sampled_from(["HCPC-PH", "HCPC-PA", "HCPC-OT", "HCPC-DT", "HCPC-CH", "SWE"]))
def test_window_cycles_hold_today_and_follow_one_another_without_gap_or_overlap(today, register):
    regulator = RULES.for_register(register)
    cycle = window_cycle(regulator, register, today)
    assert cycle.contains(today) and cycle.start < cycle.opens <= cycle.due == cycle.end
    assert (cycle.end - cycle.opens).days < 100
    following = window_cycle(regulator, register, cycle.end + timedelta(days=1))
    assert following.start == cycle.end + timedelta(days=1)
    assert add_years(cycle.end, regulator.cycle.months // 12) == following.end


def add_years(day: date, years: int) -> date:
    from arrs_desk.domain.dates import add_months

    return add_months(day, 12 * years)


def test_every_register_in_the_role_catalogue_has_its_regulators_rules():
    """A role's register decides its revalidation cycle: each must be one the rules file knows,
    under the same regulator, and physician associates are on the GMC's register, never HCPC's."""
    from arrs_desk.domain.catalogue import builtin_catalogue
    from arrs_desk.domain.regulators import builtin_rules

    catalogue, rules = builtin_catalogue(), builtin_rules()
    for register in catalogue.registers:
        regulator = rules.for_register(register.code)
        assert regulator is not None, register.code
        assert register.regulator.casefold().replace(" ", "") in (regulator.code.casefold(),
                                                                   regulator.name.casefold().replace(" ", "")), register
    assert catalogue.role("PA").registers == ("GMC-PA",)
    assert {catalogue.role(c).typical_band for c in ("GPN", "CNUR", "HCSW")} == {"5-6", "8c", "3"}
    for role in catalogue.roles:
        for code in role.registers:
            assert rules.for_register(code) is not None, (role.code, code)


facts_cpd = st.lists(st.builds(CpdFact, days, st.sampled_from([0.5, 1.0, 2.25, 7.5]), st.booleans(), st.booleans(),
                               st.none() | days), max_size=12)
facts_evidence = st.lists(st.builds(EvidenceFact, st.sampled_from(["feedback", "reflective-account", "discussion",
                                                                   "declaration", "practice-hours"]),
                                    days, st.sampled_from([0.0, 150.0]), st.none() | days), max_size=10)


@given(today=days, people=st.lists(st.tuples(st.sampled_from(["NMC", "GPHC-PHARMACIST", "HCPC-PA", "HCPC-PH", "HCPC",
                                                              "GMC-DOCTOR", "SWE", "", "XYZ"]),
                                             st.none() | days, facts_cpd, facts_evidence), min_size=1, max_size=6))
def test_one_judge_for_everyone_gives_what_judging_each_alone_gives(today, people):
    """The Revalidation page judges everyone with one `Judge` (windows and cycles remembered); each
    verdict is the one `current_cycle`, `tally` and `assess` give for that person alone."""
    from arrs_desk.domain.revalidation import Judge

    everyone = Judge(RULES, today)
    for register, renewal, cpd, evidence in people:
        regulator = RULES.for_register(register)
        cycle = current_cycle(regulator, register, renewal, today) if regulator else None
        alone = judge(regulator, register, cycle, tally(cycle, cpd, evidence) if cycle else Tally(), today)
        assert everyone(register, renewal, cpd, evidence) == alone


@given(today=days, renewals=st.lists(st.none() | days, min_size=1, max_size=3),
       people=st.lists(st.tuples(st.sampled_from(["NMC", "GPHC-PHARMACIST", "HCPC-PH", "GMC-DOCTOR", "SWE", "XYZ"]),
                                 st.integers(0, 2), st.booleans()), min_size=1, max_size=12))
def test_one_verdict_shared_by_everyone_with_nothing_recorded_on_the_same_cycle(today, renewals, people):
    """A `Judge` works out the verdict on someone with no CPD or evidence once per register and
    cycle and hands the same one to everyone alike: each is still the verdict `assess` gives
    that person alone, and someone with something recorded is judged on it."""
    from arrs_desk.domain.revalidation import Judge

    everyone = Judge(RULES, today)
    for register, which, recorded in people:
        renewal = renewals[which % len(renewals)]
        regulator = RULES.for_register(register)
        cycle = current_cycle(regulator, register, renewal, today) if regulator else None
        cpd = [CpdFact(cycle.start, 7.5, True, True)] if recorded and cycle else []
        alone = judge(regulator, register, cycle, tally(cycle, cpd, ()) if cycle else Tally(), today)
        assert everyone(register, renewal, cpd, ()) == alone
