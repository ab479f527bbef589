"""An HCPC letter picking a person for the CPD audit: it speaks in the reason and holds the status
at risk until the profile is recorded as sent on or after it; a letter of an earlier cycle is
ignored. Dated from the suite's clock (the cycles are the profession's windows around it)."""

from __future__ import annotations

from datetime import date, timedelta

from arrs_desk.domain.dates import format_uk
from arrs_desk.domain.regulators import builtin_rules
from arrs_desk.domain.revalidation import (
    CpdFact, EvidenceFact, Judge, audit_pick, previous_cycle, window_cycle,
)
from tests.conftest import TODAY

RULES = builtin_rules()
HCPC = RULES.for_register("HCPC-PH")
NMC = RULES.for_register("NMC")


def _everything(cycle) -> tuple[list[CpdFact], list[EvidenceFact]]:
    """All the HCPC asks for at renewal, dated on the cycle's first day."""
    return [CpdFact(cycle.start, 2.0, True, True)], [EvidenceFact("declaration", cycle.start)]


def _judge(today: date, extra: list[EvidenceFact]):
    cycle = window_cycle(HCPC, "HCPC-PH", today)
    cpd, evidence = _everything(cycle)
    return Judge(RULES, today)("HCPC-PH", None, cpd, iter(evidence + extra)), cycle


def test_the_rules_say_how_long_the_profile_may_take_with_their_source():
    assert HCPC.audit.profile_months == 3 and HCPC.audit.registered_at_least_months == 24
    assert any("cpd/dates" in s.url for s in HCPC.sources)
    assert NMC.audit is None


def test_without_a_letter_everything_in_is_ready():
    verdict, _cycle = _judge(TODAY, [])
    assert verdict.status.value == "ready" and verdict.audit is None and "audit" not in verdict.reason


def test_a_letter_in_the_cycle_puts_a_ready_person_at_risk_with_the_profile_due_three_months_on():
    verdict, cycle = _judge(TODAY, [EvidenceFact("audit-selection", TODAY)])
    due = verdict.audit.due
    assert verdict.status.value == "at_risk"
    assert (due.month - TODAY.month) % 12 in (2, 3) and TODAY < due <= TODAY + timedelta(days=92)
    assert verdict.reason.startswith(f"Picked for HCPC CPD audit on {format_uk(TODAY)}: send the CPD profile by "
                                     f"{format_uk(due)}.")
    assert verdict.notice_from == min(cycle.opens, TODAY)


def test_the_profile_is_due_on_the_last_day_of_the_three_months_from_the_letter_at_month_ends():
    cycle = window_cycle(HCPC, "HCPC-PH", date(2026, 1, 1))  # 1 May 2024 to 30 April 2026
    due = {day: audit_pick(HCPC, cycle, [EvidenceFact("audit-selection", day)]).due
           for day in (date(2026, 2, 1), date(2025, 11, 30), date(2025, 11, 29), date(2024, 12, 31))}
    assert due == {date(2026, 2, 1): date(2026, 4, 30), date(2025, 11, 30): date(2026, 2, 28),
                   date(2025, 11, 29): date(2026, 2, 28), date(2024, 12, 31): date(2025, 3, 30)}
    leap = window_cycle(HCPC, "HCPC-PH", date(2028, 1, 1))  # to 30 April 2028: a leap February
    assert audit_pick(HCPC, leap, [EvidenceFact("audit-selection", date(2027, 11, 28))]).due == date(2028, 2, 27)
    assert audit_pick(HCPC, leap, [EvidenceFact("audit-selection", date(2027, 11, 30))]).due == date(2028, 2, 29)
    assert audit_pick(HCPC, leap, [EvidenceFact("audit-selection", date(2027, 12, 1))]).due == date(2028, 2, 29)


def test_a_letter_on_the_cycle_s_last_day_counts_and_one_the_day_after_belongs_to_the_next_cycle():
    cycle = window_cycle(HCPC, "HCPC-PH", TODAY)
    assert audit_pick(HCPC, cycle, [EvidenceFact("audit-selection", cycle.end)]).picked_on == cycle.end
    assert audit_pick(HCPC, cycle, [EvidenceFact("audit-selection", cycle.start)]).picked_on == cycle.start
    assert audit_pick(HCPC, cycle, [EvidenceFact("audit-selection", cycle.end + timedelta(days=1))]) is None


def test_a_letter_from_the_previous_cycle_is_ignored_even_with_no_profile_sent():
    cycle = window_cycle(HCPC, "HCPC-PH", TODAY)
    before = previous_cycle(HCPC, "HCPC-PH", cycle)
    verdict, _cycle = _judge(TODAY, [EvidenceFact("audit-selection", before.end)])
    assert verdict.status.value == "ready" and verdict.audit is None
    assigned = [EvidenceFact("audit-selection", cycle.start, 0.0, before.end)]  # dated now, assigned to before
    assert audit_pick(HCPC, cycle, assigned) is None


def test_a_profile_sent_the_same_day_as_the_letter_clears_it_and_one_sent_before_does_not():
    letter = EvidenceFact("audit-selection", TODAY)
    verdict, _cycle = _judge(TODAY, [letter, EvidenceFact("cpd-profile-sent", TODAY)])
    assert verdict.status.value == "ready"
    assert verdict.reason.startswith(f"Picked for HCPC CPD audit on {format_uk(TODAY)}; CPD profile sent "
                                     f"{format_uk(TODAY)}.")
    earlier = EvidenceFact("cpd-profile-sent", TODAY - timedelta(days=1))
    verdict, _cycle = _judge(TODAY, [letter, earlier])
    assert verdict.status.value == "at_risk" and verdict.audit.sent_on is None


def test_once_the_profile_is_past_due_and_not_sent_the_cycle_is_overdue():
    cycle = window_cycle(HCPC, "HCPC-PH", TODAY)
    letter = audit_pick(HCPC, cycle, [EvidenceFact("audit-selection", cycle.start)])
    if letter.due >= cycle.end:  # the profile's due date falls after the cycle: nothing to see
        return
    day = letter.due + timedelta(days=1)
    cpd, evidence = _everything(cycle)
    verdict = Judge(RULES, day)("HCPC-PH", None, cpd, evidence + [EvidenceFact("audit-selection", cycle.start)])
    on_due = Judge(RULES, letter.due)("HCPC-PH", None, cpd, evidence + [EvidenceFact("audit-selection", cycle.start)])
    assert on_due.status.value == "at_risk"
    assert verdict.status.value == "overdue"
    assert f"the CPD profile was due by {format_uk(letter.due)} and is not recorded as sent" in verdict.reason


def test_a_regulator_that_audits_no_one_ignores_audit_kinds():
    cycle = window_cycle(HCPC, "HCPC-PH", TODAY)
    assert audit_pick(NMC, cycle, [EvidenceFact("audit-selection", TODAY)]) is None
