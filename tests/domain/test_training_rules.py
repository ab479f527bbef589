"""Mandatory training rules: which level a role needs, and a subject's state at the edges (the
expiry day itself, month ends, leap days, due soon), plus properties for any completion date."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from hypothesis import example, given, strategies as st

from arrs_desk.domain.datafiles import parse_data
from arrs_desk.domain.training import Completion, SubjectsFile, TrainingStatus, training_state, training_subjects
from arrs_desk.errors import ResourceFileError
from arrs_desk.paths import resource_path

RULES = training_subjects()
RESUS = RULES.subject("resuscitation")  # level 1 and 2, yearly
SAFEGUARDING = RULES.subject("safeguarding-children")  # levels 1-3, three-yearly
IG = RULES.subject("information-governance")


def test_the_framework_has_its_eleven_subjects_a_source_and_a_target():
    assert len(RULES.subjects) == 11
    assert RULES.source.url.startswith("https://") and RULES.target_percent == 85
    assert {s.code for s in RULES.subjects} >= {"fire-safety", "resuscitation", "safeguarding-adults",
                                                 "preventing-radicalisation", "information-governance"}


@pytest.mark.parametrize(("role", "clinical", "level"), [  # the ARRS reference: 3 clinical, 2 patient-facing, 1 admin
    ("CPH", True, 3), ("FCPP", True, 3), ("NA", True, 3), ("GPN", True, 3), ("GP", True, 3),
    ("PTECH", True, 2), ("HCSW", True, 2), ("CCO", False, 2), ("SPLW", False, 2), ("HWBC", False, 2),
    ("DTL", False, 1), ("PM", False, 1),
])
def test_the_level_needed_depends_on_the_role(role, clinical, level):
    assert SAFEGUARDING.required_level(role, clinical) == level


def test_information_governance_is_level_one_for_everyone():
    assert IG.required_level("GP", True) == IG.required_level("CCO", False) == 1


@pytest.mark.parametrize(("completed", "today", "status", "due"), [
    (date(2025, 12, 4), date(2026, 12, 3), TrainingStatus.DUE_SOON, date(2026, 12, 4)),
    (date(2025, 12, 4), date(2026, 12, 4), TrainingStatus.EXPIRED, date(2026, 12, 4)),  # the anniversary itself
    (date(2025, 1, 31), date(2025, 11, 1), TrainingStatus.IN_DATE, date(2026, 1, 31)),
    (date(2024, 2, 29), date(2025, 2, 27), TrainingStatus.DUE_SOON, date(2025, 2, 28)),  # leap day clamps
    (date(2024, 2, 29), date(2025, 2, 28), TrainingStatus.EXPIRED, date(2025, 2, 28)),
    (date(2026, 12, 31), date(2027, 10, 31), TrainingStatus.IN_DATE, date(2027, 12, 31)),  # across a year end
    (date(2026, 12, 31), date(2027, 11, 1), TrainingStatus.DUE_SOON, date(2027, 12, 31)),
])
def test_a_yearly_refresher_at_its_edges(completed, today, status, due):
    state = training_state(RESUS, 1, [Completion(1, completed)], today, RULES.due_soon_days)
    assert (state.status, state.due_on) == (status, due)


def test_a_lower_level_never_counts_and_says_so():
    state = training_state(SAFEGUARDING, 3, [Completion(2, date(2026, 1, 5))], date(2026, 6, 1), 60)
    assert state.status is TrainingStatus.NEVER and "only level 2 recorded" in state.reason


def test_the_completion_that_lasts_longest_decides():
    done = [Completion(3, date(2024, 1, 1)), Completion(2, date(2026, 1, 1)), Completion(1, date(2026, 5, 1))]
    state = training_state(SAFEGUARDING, 2, done, date(2026, 6, 1), 60)
    assert state.completed_on == date(2026, 1, 1) and state.due_on == date(2029, 1, 1)


def test_a_level_the_subject_does_not_define_is_not_in_date_for_ever():
    """Information governance has only level 1 (yearly): a level 2 recorded before the file was
    edited read as "done once" - "Level 2 done 01/01/2019; no refresher needed", in date for
    ever, and outlasting every newer level 1. It is held to the subject's shortest interval."""
    old = Completion(2, date(2019, 1, 1))
    state = training_state(IG, 1, [old], date(2026, 6, 1), 60)
    assert (state.status, state.due_on) == (TrainingStatus.EXPIRED, date(2020, 1, 1))
    newer = training_state(IG, 1, [old, Completion(1, date(2026, 1, 1))], date(2026, 6, 1), 60)
    assert (newer.status, newer.level_done, newer.due_on) == (TrainingStatus.IN_DATE, 1, date(2027, 1, 1))


def test_a_completion_dated_after_today_does_not_count_yet():
    state = training_state(RESUS, 1, [Completion(1, date(2026, 6, 2))], date(2026, 6, 1), 60)
    assert state.status is TrainingStatus.NEVER


@given(st.dates(date(2000, 1, 1), date(2040, 12, 31)), st.integers(0, 2000))
def test_any_completion_is_in_date_until_its_due_day_then_expired(completed, days_after):
    today = completed + timedelta(days=days_after)
    state = training_state(RESUS, 1, [Completion(1, completed)], today, RULES.due_soon_days)
    assert state.due_on is not None and state.due_on > completed
    assert (today >= state.due_on) == (state.status is TrainingStatus.EXPIRED)
    assert state.status.in_date == (today < state.due_on)
    if state.status is TrainingStatus.DUE_SOON:
        assert 0 < (state.due_on - today).days <= RULES.due_soon_days


@given(st.dates(date(2000, 1, 1), date(2040, 12, 31)), st.integers(0, 2000))
def test_the_words_name_a_day_it_is_in_date_and_the_day_it_expired(completed, days_after):
    """On its expiry day a course is expired: the day before was the last it counted, so "in date
    until" and "due by" name that day. They named the expiry day itself, on which the matrix said
    Expired while the export said "In date to" it."""
    from arrs_desk.domain.dates import format_uk
    from arrs_desk.reports.training_tables import _cell

    today = completed + timedelta(days=days_after)
    state = training_state(RESUS, 1, [Completion(1, completed)], today, RULES.due_soon_days)
    if state.status is TrainingStatus.EXPIRED:
        assert f"Expired on {format_uk(state.due_on)}" in state.reason and state.due_on <= today
        assert _cell(state) == f"Expired {format_uk(state.due_on)}"
    else:
        named = state.last_day
        assert format_uk(named) in state.reason and format_uk(named) in _cell(state)
        assert today <= named  # a day it is in date
        assert training_state(RESUS, 1, [Completion(1, completed)], named, RULES.due_soon_days).status.in_date
        after = training_state(RESUS, 1, [Completion(1, completed)], named + timedelta(days=1), RULES.due_soon_days)
        assert after.status is TrainingStatus.EXPIRED


def test_a_file_that_asks_for_an_undefined_level_is_refused_naming_it():
    data = json.loads(resource_path("training", "subjects.json").read_text(encoding="utf-8"))
    data["subjects"][0]["clinical_level"] = 4
    with pytest.raises(ResourceFileError) as refused:
        parse_data(SubjectsFile, data, source="subjects.json")
    assert "level 4" in refused.value.message and "conflict-resolution" in refused.value.message


@given(st.lists(st.tuples(st.integers(1, 3), st.dates(date(2018, 1, 1), date(2027, 12, 31))), max_size=12),
       st.integers(1, 3), st.dates(date(2020, 1, 1), date(2028, 12, 31)))
@example([(1, date(2020, 1, 1)), (2, date(2020, 1, 1)), (1, date(2020, 1, 1))], 1, date(2020, 1, 1))
def test_the_newest_completion_of_each_level_decides_as_all_of_them_would(done, required, today):
    from arrs_desk.domain.training import latest_per_level

    completions = [Completion(level, day) for level, day in done]
    upto_today = [c for c in completions if c.completed_on <= today]
    assert training_state(SAFEGUARDING, required, completions, today, 60) == \
        training_state(SAFEGUARDING, required, latest_per_level(upto_today), today, 60)


_MONTHS = st.one_of(st.none(), st.integers(1, 36))


@given(st.dictionaries(st.integers(1, 5), _MONTHS, min_size=1, max_size=5), st.data())
def test_subjects_with_equal_intervals_give_equal_states(months, data):
    """The matrix works a state out once for all subjects with equal `Subject.intervals`: whatever
    else differs (code, titles, levels each role needs), their states agree for any completions, and
    subjects whose levels' intervals differ never share."""
    from arrs_desk.domain.training import Subject

    levels = [{"level": level, "refresher_months": m} for level, m in sorted(months.items())]
    first = Subject(code="first-subject", title="First", short="First", levels=levels, default_level=min(months))
    second = Subject(code="second-subject", title="Second", short="Second", levels=levels[::-1],
                     default_level=max(months), role_levels={"GP": min(months)})
    assert first.intervals == second.intervals
    done = data.draw(st.lists(st.tuples(st.integers(1, 5), st.dates(date(2018, 1, 1), date(2027, 12, 31))),
                              max_size=6))
    required = data.draw(st.sampled_from(sorted(months)))
    today = data.draw(st.dates(date(2020, 1, 1), date(2028, 12, 31)))
    completions = [Completion(level, day) for level, day in done]
    assert training_state(first, required, completions, today, 60) == training_state(second, required, completions,
                                                                                      today, 60)
    other = data.draw(st.dictionaries(st.integers(1, 5), _MONTHS, min_size=1, max_size=5))
    third = Subject(code="third-subject", title="Third", short="Third", default_level=min(other),
                    levels=[{"level": level, "refresher_months": m} for level, m in sorted(other.items())])
    if other != months:
        assert third.intervals != first.intervals
