"""The DSPT evidence rules: the yearly deadline, the report's period, when a review or restore test
falls due (month ends and leap days), a leaver's account, and the data file's validation."""

from __future__ import annotations

import json
from datetime import date

import pytest

from arrs_desk.domain import dspt
from arrs_desk.domain.datafiles import parse_data
from arrs_desk.errors import ResourceFileError
from arrs_desk.paths import resource_path

RULES = dspt.evidence_rules()


def test_the_built_in_file_names_the_four_items_with_a_source_and_the_date_checked():
    assert [item.id for item in RULES.items] == ["1.1.2", "4.2", "4.4.1", "7.3.4"]
    assert RULES.source.url.startswith("https://") and RULES.checked_on <= date(2026, 12, 31)
    assert RULES.access_review_every_months == 3


@pytest.mark.parametrize(("today", "due"), [
    (date(2026, 6, 29), date(2026, 6, 30)), (date(2026, 6, 30), date(2026, 6, 30)),
    (date(2026, 7, 1), date(2027, 6, 30)), (date(2027, 12, 31), date(2028, 6, 30)),
])
def test_the_toolkit_is_due_on_30_june_each_year(today, due):
    assert dspt.next_submission(today, RULES) == due


@pytest.mark.parametrize(("last", "today", "due", "overdue"), [
    (None, date(2026, 12, 4), None, True),
    (date(2026, 11, 30), date(2027, 2, 28), date(2027, 2, 28), False),  # month end clamps, not overdue on the day
    (date(2026, 11, 30), date(2027, 3, 1), date(2027, 2, 28), True),
    (date(2027, 11, 29), date(2028, 2, 29), date(2028, 2, 29), False),  # leap day
    (date(2027, 10, 31), date(2028, 1, 31), date(2028, 1, 31), False),  # across a year end
])
def test_a_quarterly_review_falls_due_three_calendar_months_on(last, today, due, overdue):
    assert dspt.review_due(last, 3, today) == (due, overdue)


def test_the_period_starts_on_the_last_review_or_one_interval_back():
    assert dspt.default_period_start(date(2026, 10, 15), date(2026, 12, 4), RULES) == date(2026, 10, 15)
    assert dspt.default_period_start(None, date(2026, 5, 31), RULES) == date(2026, 2, 28)
    assert dspt.default_period_start(None, date(2028, 5, 29), RULES) == date(2028, 2, 29)


def test_only_an_active_account_of_someone_already_gone_is_a_leaver_still_active():
    today = date(2026, 12, 4)
    assert dspt.leaver_still_active(dspt.AccountFacts(True, date(2026, 12, 3)), today)
    assert not dspt.leaver_still_active(dspt.AccountFacts(True, date(2026, 12, 4)), today)  # their last day
    assert not dspt.leaver_still_active(dspt.AccountFacts(False, date(2020, 1, 1)), today)
    assert not dspt.leaver_still_active(dspt.AccountFacts(True, None), today)


def test_a_bad_evidence_file_is_refused_naming_the_field():
    data = json.loads(resource_path("dspt", "evidence.json").read_text(encoding="utf-8"))
    data["access_review_every_months"] = 0
    data["items"].append(dict(data["items"][0]))
    with pytest.raises(ResourceFileError) as refused:
        parse_data(dspt.EvidenceFile, data, source="evidence.json")
    assert "access_review_every_months" in refused.value.message
