from __future__ import annotations

import copy
import json
import random
import time
from datetime import date, timedelta

import pytest

from arrs_desk.domain.catalogue import builtin_catalogue
from arrs_desk.domain.datafiles import load_data_file
from arrs_desk.domain.supervision import (
    STATUS_SEVERITY,
    ArrangementCompliance,
    ComplianceStatus as S,
    Frequency,
    SupervisionCatalogue,
    add_months,
    arrangement_status,
    best_arrangement,
    builtin_supervision_catalogue,
    cell_status,
    decided_cell,
    expected_frequency,
    is_required,
    months_in_post,
    next_due,
    status_label,
    supervisor_hours,
)
from arrs_desk.errors import ResourceFileError

WEEKLY = Frequency("weekly", "Weekly", days=7)
MONTHLY = Frequency("monthly", "Monthly", months=1)
QUARTERLY = Frequency("quarterly", "Every three months", months=3)


def status(today, *, start=date(2024, 1, 1), end=None, frequency=MONTHLY, last=None, active=True, soon=7):
    return arrangement_status(
        today=today,
        arrangement_start=start,
        arrangement_end=end,
        frequency=frequency,
        last_session=last,
        supervisor_active=active,
        due_soon_days=soon,
    )


# --------------------------------------------------------------------------- calendar arithmetic


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year
        (date(2100, 1, 31), 1, date(2100, 2, 28)),  # century, not a leap year
        (date(2000, 1, 31), 1, date(2000, 2, 29)),  # 400-year leap year
        (date(2024, 3, 31), 1, date(2024, 4, 30)),
        (date(2023, 11, 30), 3, date(2024, 2, 29)),
        (date(2023, 12, 15), 1, date(2024, 1, 15)),  # year rollover
        (date(2024, 8, 31), 6, date(2025, 2, 28)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2024, 5, 17), 12, date(2025, 5, 17)),
    ],
)
def test_add_months_clamps_to_month_end(start, months, expected):
    assert add_months(start, months) == expected


def test_next_due_is_measured_from_the_last_session_not_a_fixed_day_of_month():
    # A session on 31 Jan falls due on 29 Feb; held then, the next is due 29 Mar, not 31 Mar.
    first = next_due(date(2024, 1, 31), MONTHLY)
    assert first == date(2024, 2, 29)
    assert next_due(first, MONTHLY) == date(2024, 3, 29)


def test_next_due_in_days():
    assert next_due(date(2024, 12, 28), WEEKLY) == date(2025, 1, 4)
    assert next_due(date(2024, 2, 20), Frequency("six-weekly", "Six weeks", days=42)) == date(2024, 4, 2)


@pytest.mark.parametrize(
    ("start", "today", "expected"),
    [
        (date(2024, 1, 15), date(2024, 1, 15), 0),
        (date(2024, 1, 15), date(2024, 2, 14), 0),
        (date(2024, 1, 15), date(2024, 2, 15), 1),
        (date(2024, 1, 15), date(2024, 4, 14), 2),
        (date(2024, 1, 15), date(2024, 4, 15), 3),
        (date(2023, 1, 31), date(2023, 2, 27), 0),
        (date(2023, 1, 31), date(2023, 2, 28), 1),  # same clamping as add_months
        (date(2023, 6, 1), date(2025, 5, 31), 23),
        (date(2024, 6, 1), date(2024, 3, 1), 0),  # not started yet
    ],
)
def test_months_in_post(start, today, expected):
    assert months_in_post(start, today) == expected


@pytest.mark.parametrize(("days", "months"), [(0, 0), (7, 1), (-7, 0)])
def test_frequency_needs_exactly_one_positive_interval(days, months):
    with pytest.raises(ValueError):
        Frequency("bad", "Bad", days=days, months=months)


# --------------------------------------------------------------------------- one arrangement


def test_due_today_is_due_soon_not_overdue():
    result = status(date(2024, 3, 10), last=date(2024, 2, 10))
    assert result == ArrangementCompliance(S.DUE_SOON, date(2024, 2, 10), date(2024, 3, 10), 0)


def test_due_today_is_due_soon_even_with_no_warning_window():
    assert status(date(2024, 3, 10), last=date(2024, 2, 10), soon=0).status is S.DUE_SOON


def test_due_tomorrow():
    assert status(date(2024, 3, 9), last=date(2024, 2, 10)).status is S.DUE_SOON
    assert status(date(2024, 3, 9), last=date(2024, 2, 10), soon=0).status is S.IN_DATE


def test_due_soon_window_edges():
    last = date(2024, 2, 10)  # due 10 March
    assert status(date(2024, 3, 3), last=last).status is S.DUE_SOON  # exactly 7 days ahead
    edge = status(date(2024, 3, 2), last=last)  # 8 days ahead
    assert edge.status is S.IN_DATE and edge.next_due == date(2024, 3, 10) and edge.days_overdue == 0


def test_overdue_from_the_day_after_next_due():
    result = status(date(2024, 3, 11), last=date(2024, 2, 10))
    assert result.status is S.OVERDUE
    assert result.days_overdue == 1
    assert result.next_due == date(2024, 3, 10)


def test_missed_month_counts_days_since_the_first_missed_due_date():
    # Last held 15 Jan; the February session was missed and it is now mid-March.
    result = status(date(2024, 3, 16), last=date(2024, 1, 15))
    assert result.status is S.OVERDUE
    assert result.next_due == date(2024, 2, 15)
    assert result.days_overdue == 30


def test_never_held_is_in_date_until_the_first_session_falls_due():
    start = date(2024, 1, 31)  # first session due one interval later: 29 Feb
    early = status(date(2024, 2, 1), start=start)
    assert early == ArrangementCompliance(S.IN_DATE, None, date(2024, 2, 29), 0)
    assert status(date(2024, 2, 29), start=start).status is S.DUE_SOON
    late = status(date(2024, 3, 1), start=start)
    assert late == ArrangementCompliance(S.NEVER_HELD, None, date(2024, 2, 29), 1)


def test_arrangement_that_has_not_started_yet_owes_nothing():
    """Nothing is due or overdue on it, and it covers nothing yet (not "In date")."""
    result = status(date(2024, 1, 1), start=date(2024, 2, 1))
    assert (result.status, result.next_due, result.days_overdue) == (S.NOT_STARTED, date(2024, 3, 1), 0)


def test_change_of_supervisor_does_not_reset_the_clock():
    # The person's last session was under the previous arrangement.
    result = status(date(2024, 4, 20), start=date(2024, 4, 1), last=date(2024, 2, 1))
    assert result.status is S.OVERDUE
    assert result.next_due == date(2024, 3, 1)


def test_ended_arrangement():
    yesterday = status(date(2024, 3, 11), end=date(2024, 3, 10), last=date(2024, 1, 1))
    assert yesterday == ArrangementCompliance(S.ENDED, date(2024, 1, 1), None, 0)
    # Ending today still counts as live, so the overdue session still shows.
    assert status(date(2024, 3, 10), end=date(2024, 3, 10), last=date(2024, 1, 1)).status is S.OVERDUE


def test_supervisor_left_takes_precedence_over_in_date():
    result = status(date(2024, 3, 1), last=date(2024, 2, 25), active=False)
    assert result.status is S.SUPERVISOR_LEFT
    assert result.next_due == date(2024, 3, 25)
    assert status(date(2024, 6, 1), last=date(2024, 2, 25), active=False).status is S.SUPERVISOR_LEFT
    assert status(date(2024, 1, 2), active=False).status is S.SUPERVISOR_LEFT


def test_ended_takes_precedence_over_supervisor_left():
    result = status(date(2024, 3, 11), end=date(2024, 3, 1), last=date(2024, 2, 25), active=False)
    assert result.status is S.ENDED


def test_no_frequency_means_nothing_can_fall_due():
    result = status(date(2030, 1, 1), frequency=None, last=None)
    assert result == ArrangementCompliance(S.IN_DATE, None, None, 0)
    assert status(date(2030, 1, 1), frequency=None, active=False).status is S.SUPERVISOR_LEFT


# --------------------------------------------------------------------------- the built-in catalogue


def test_builtin_catalogue_loads_once():
    catalogue = builtin_supervision_catalogue()
    assert catalogue is builtin_supervision_catalogue()
    for code in ("clinical", "professional", "line-management", "peer-group", "safeguarding", "educational", "coaching"):
        assert catalogue.type(code) is not None, code
    assert catalogue.frequency("monthly") == MONTHLY
    assert catalogue.frequency("fortnightly").days == 14
    assert catalogue.frequency("no-such") is None


def test_every_catalogue_role_has_clinical_or_line_management_rules():
    catalogue = builtin_supervision_catalogue()
    for role in builtin_catalogue().roles:
        covered = [t for t in ("clinical", "line-management") if catalogue.requirement(t, role.code)]
        assert covered, f"{role.code} has no clinical or line-management rule"


def test_every_clinical_arrs_role_requires_clinical_supervision_throughout():
    catalogue = builtin_supervision_catalogue()
    for role in builtin_catalogue().roles:
        if role.clinical and getattr(role, "arrs", True):
            for month in (0, 5, 40):
                assert is_required(catalogue, "clinical", role.code, month), (role.code, month)


def test_builtin_frequencies_follow_the_reference():
    c = builtin_supervision_catalogue()
    assert expected_frequency(c, "clinical", "CPH", 10).code == "monthly"
    assert expected_frequency(c, "professional", "CPH", 10).code == "quarterly"
    assert is_required(c, "professional", "CPH", 10)
    assert expected_frequency(c, "clinical", "SPLW", 0).code == "monthly"
    assert expected_frequency(c, "clinical", "MHP", 0).code == "monthly"
    assert expected_frequency(c, "coaching", "HWBC", 0).code == "monthly"
    assert expected_frequency(c, "educational", "PA", 0).code == "weekly"
    assert expected_frequency(c, "safeguarding", "PARA", 0).code == "quarterly"
    assert expected_frequency(c, "line-management", "DTL", 12).code == "six-monthly"


def test_step_down_from_weekly_to_monthly_at_three_months():
    c = builtin_supervision_catalogue()
    assert expected_frequency(c, "clinical", "PA", 0) == WEEKLY
    assert expected_frequency(c, "clinical", "PA", 2) == WEEKLY
    assert expected_frequency(c, "clinical", "PA", 3) == MONTHLY
    assert expected_frequency(c, "clinical", "PA", 30) == MONTHLY

    # Started 20 Jan, last seen 5 Apr: the weekly session fell due on 12 Apr and is overdue on
    # 13 Apr (month 2); from 20 Apr (month 3) the monthly rule applies and the same history is
    # in date again.
    start, last = date(2024, 1, 20), date(2024, 4, 5)
    cases = (
        (date(2024, 4, 12), S.DUE_SOON),
        (date(2024, 4, 13), S.OVERDUE),
        (date(2024, 4, 19), S.OVERDUE),
        (date(2024, 4, 20), S.IN_DATE),
    )
    for today, expected in cases:
        frequency = expected_frequency(c, "clinical", "PA", months_in_post(start, today))
        assert status(today, start=start, frequency=frequency, last=last).status is expected, today


def test_programme_supervision_stops_at_until_month():
    c = builtin_supervision_catalogue()
    assert is_required(c, "educational", "FCPP", 5)
    assert expected_frequency(c, "educational", "FCPP", 5).code == "fortnightly"
    assert not is_required(c, "educational", "FCPP", 6)
    assert expected_frequency(c, "educational", "FCPP", 6) is None
    assert not is_required(c, "educational", "DTL", 0)


def test_star_rule_covers_roles_without_their_own_rule():
    c = builtin_supervision_catalogue()
    assert is_required(c, "line-management", "LOCAL-ROLE", 0)
    assert expected_frequency(c, "line-management", "LOCAL-ROLE", 7).code == "six-monthly"
    # An explicit rule replaces the '*' rule entirely.
    assert not is_required(c, "line-management", "GPP", 0)
    assert expected_frequency(c, "line-management", "GPP", 0).code == "annually"


def test_optional_and_unknown_types():
    c = builtin_supervision_catalogue()
    assert not is_required(c, "peer-group", "SPLW", 0)
    assert expected_frequency(c, "peer-group", "SPLW", 0).code == "monthly"
    assert expected_frequency(c, "peer-group", "CPH", 0).code == "quarterly"
    assert expected_frequency(c, "no-such-type", "CPH", 0) is None
    assert not is_required(c, "no-such-type", "CPH", 0)
    assert expected_frequency(c, "coaching", "CPH", 0) is None


def test_negative_months_use_the_first_step():
    c = builtin_supervision_catalogue()
    assert expected_frequency(c, "clinical", "PA", -1) == WEEKLY


# --------------------------------------------------------------------------- cells


def _a(state, next_due=None):
    return ArrangementCompliance(state, None, next_due, 0)


def test_cell_uses_best_live_arrangement():
    arrangements = [_a(S.OVERDUE, date(2024, 1, 1)), _a(S.IN_DATE, date(2024, 5, 1)), _a(S.ENDED)]
    assert cell_status(True, arrangements) is S.IN_DATE
    assert cell_status(True, [_a(S.ENDED), _a(S.OVERDUE, date(2024, 1, 1))]) is S.OVERDUE
    assert cell_status(True, [_a(S.SUPERVISOR_LEFT), _a(S.DUE_SOON, date(2024, 1, 1))]) is S.DUE_SOON
    assert cell_status(True, [_a(S.NEVER_HELD), _a(S.OVERDUE)]) is S.OVERDUE


def test_cell_required_but_not_arranged():
    assert cell_status(True, []) is S.NOT_ARRANGED
    assert cell_status(True, [_a(S.ENDED), _a(S.ENDED)]) is S.NOT_ARRANGED


def test_cell_with_only_a_departed_supervisor_says_so():
    assert cell_status(True, [_a(S.SUPERVISOR_LEFT), _a(S.ENDED)]) is S.SUPERVISOR_LEFT
    assert cell_status(False, [_a(S.SUPERVISOR_LEFT)]) is S.SUPERVISOR_LEFT


def test_cell_not_required():
    assert cell_status(False, []) is S.NOT_APPLICABLE
    assert cell_status(False, [_a(S.ENDED)]) is S.ENDED
    assert cell_status(False, iter([_a(S.OVERDUE)])) is S.OVERDUE


def test_best_arrangement_breaks_ties_on_later_due_date():
    sooner, later = _a(S.IN_DATE, date(2024, 5, 1)), _a(S.IN_DATE, date(2024, 6, 1))
    assert best_arrangement([sooner, later]) is later
    assert best_arrangement([later, sooner]) is later
    assert best_arrangement([_a(S.ENDED)]) is None


def test_cell_from_real_arrangements():
    today = date(2024, 6, 1)
    lapsed = status(today, start=date(2023, 1, 1), last=date(2024, 3, 1))
    replacement = status(today, start=date(2024, 5, 20))
    left = status(today, start=date(2023, 1, 1), last=date(2024, 5, 25), active=False)
    assert (lapsed.status, replacement.status, left.status) == (S.OVERDUE, S.IN_DATE, S.SUPERVISOR_LEFT)
    assert cell_status(True, [lapsed, left, replacement]) is S.IN_DATE
    assert cell_status(True, [lapsed, left]) is S.OVERDUE


def test_severity_orders_every_status_worst_first():
    assert set(STATUS_SEVERITY) == set(S)
    worst_first = sorted(S, key=STATUS_SEVERITY.__getitem__, reverse=True)
    assert worst_first[:2] == [S.NOT_ARRANGED, S.SUPERVISOR_LEFT]
    assert worst_first.index(S.NEVER_HELD) < worst_first.index(S.OVERDUE) < worst_first.index(S.DUE_SOON)
    assert worst_first.index(S.DUE_SOON) < worst_first.index(S.IN_DATE)
    assert worst_first[-1] is S.NOT_APPLICABLE


def test_status_labels():
    labels = {s: status_label(s) for s in S}
    assert all(labels.values()) and len(set(labels.values())) == len(labels)
    assert labels[S.OVERDUE] == "Overdue"
    assert all(len(text) <= 16 for text in labels.values())


# --------------------------------------------------------------------------- supervisor hours


def test_group_session_counts_once_for_the_supervisor():
    day = date(2024, 3, 5)
    rows = [("dr-a", day, 60, 3)] * 3 + [("dr-a", day, 30, 1), ("dr-b", day, 45, 1)]
    assert supervisor_hours(rows, date(2024, 3, 1), date(2024, 3, 31)) == {"dr-a": 1.5, "dr-b": 0.75}


def test_group_of_seven_does_not_lose_time_to_rounding():
    rows = [(1, date(2024, 3, 5), 90, 7)] * 7
    assert supervisor_hours(rows, date(2024, 3, 1), date(2024, 3, 31)) == {1: 1.5}


def test_hours_period_is_inclusive_and_filters():
    rows = [
        ("a", date(2024, 2, 29), 60, 1),
        ("a", date(2024, 3, 1), 60, 1),
        ("a", date(2024, 3, 31), 30, 1),
        ("a", date(2024, 4, 1), 60, 1),
        ("b", date(2024, 4, 2), 60, 1),
        ("a", date(2024, 3, 15), None, 1),
        ("c", date(2024, 3, 15), 40, 0),
    ]
    assert supervisor_hours(rows, date(2024, 3, 1), date(2024, 3, 31)) == {"a": 1.5, "c": 0.67}
    assert supervisor_hours([], date(2024, 3, 1), date(2024, 3, 31)) == {}


# --------------------------------------------------------------------------- malformed files


def _valid() -> dict:
    return {
        "schema": "arrs-desk/supervision-types",
        "version": 1,
        "frequencies": [
            {"code": "weekly", "label": "Weekly", "days": 7},
            {"code": "monthly", "label": "Monthly", "months": 1},
        ],
        "types": [
            {
                "code": "clinical",
                "title": "Clinical supervision",
                "requirements": [
                    {"roles": ["CPH"], "required": True, "schedule": [{"from_month": 0, "frequency": "monthly"}]},
                    {"roles": ["*"], "required": False, "schedule": [{"from_month": 0, "frequency": "weekly"}]},
                ],
            }
        ],
    }


def _load(tmp_path, data) -> SupervisionCatalogue:
    path = tmp_path / "types.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return load_data_file(SupervisionCatalogue, path)


def _rejected(tmp_path, mutate) -> str:
    data = copy.deepcopy(_valid())
    mutate(data)
    with pytest.raises(ResourceFileError) as caught:
        _load(tmp_path, data)
    assert "types.json" in caught.value.message
    return caught.value.message


def test_minimal_file_is_accepted(tmp_path):
    catalogue = _load(tmp_path, _valid())
    assert catalogue.type_codes == ("clinical",)
    assert expected_frequency(catalogue, "clinical", "CPH", 0) == MONTHLY
    assert expected_frequency(catalogue, "clinical", "PA", 0).code == "weekly"


def test_bad_json(tmp_path):
    with pytest.raises(ResourceFileError) as caught:
        _load(tmp_path, '{"schema": "arrs-desk/supervision-types", "version": 1,\n "frequencies": [}')
    assert "types.json is not valid JSON" in caught.value.message
    assert "line 2" in caught.value.message


def test_unknown_frequency_names_the_step(tmp_path):
    def mutate(d):
        d["types"][0]["requirements"][1]["schedule"][0]["frequency"] = "montly"

    message = _rejected(tmp_path, mutate)
    assert "types[0].requirements[1].schedule[0].frequency" in message
    assert "'montly'" in message and "weekly, monthly" in message


def test_overlapping_rules_are_rejected(tmp_path):
    def mutate(d):
        d["types"][0]["requirements"].append(
            {"roles": ["PA", "CPH"], "required": True, "schedule": [{"from_month": 0, "frequency": "weekly"}]}
        )

    message = _rejected(tmp_path, mutate)
    assert "types[0]" in message and "requirements[2].roles" in message
    assert "CPH" in message and "requirements[0]" in message


def test_two_star_rules_overlap(tmp_path):
    def mutate(d):
        d["types"][0]["requirements"].append(
            {"roles": ["*"], "required": True, "schedule": [{"from_month": 0, "frequency": "monthly"}]}
        )

    assert "'*' already has a rule" in _rejected(tmp_path, mutate)


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d["types"][0]["requirements"][0].update(roles=["cph"]), "types[0].requirements[0].roles[0]"),
        (lambda d: d["types"][0]["requirements"][0].update(roles=[]), "types[0].requirements[0].roles"),
        (lambda d: d["types"][0]["requirements"][0].update(roles=["CPH", "*"]), "'*' must stand alone"),
        (lambda d: d["types"][0]["requirements"][0].update(roles=["CPH", "CPH"]), "listed twice"),
        (lambda d: d["frequencies"][0].update(months=1), "frequencies[0]"),
        (lambda d: d["frequencies"][1].pop("months"), "frequencies[1]"),
        (lambda d: d["frequencies"][1].update(code="weekly"), "frequencies[1].code"),
        (lambda d: d["frequencies"][0].update(days=0), "frequencies[0].days"),
        (lambda d: d["types"].append(copy.deepcopy(d["types"][0])), "types[1].code"),
        (lambda d: d.update(schema="arrs-desk/role-catalogue"), "schema"),
        (lambda d: d["types"][0].update(colour="red"), "types[0].colour"),
        (lambda d: d["types"][0]["requirements"][0]["schedule"].append({"from_month": 0, "frequency": "weekly"}),
         "schedule[1].from_month"),
        (lambda d: d["types"][0]["requirements"][0].update(until_month=0), "types[0].requirements[0].until_month"),
        (lambda d: d["types"][0]["requirements"][0]["schedule"][0].update(from_month=-1),
         "types[0].requirements[0].schedule[0].from_month"),
        (lambda d: d["types"][0]["requirements"][0].pop("required"), "types[0].requirements[0].required"),
    ],
)
def test_malformed_fields_are_named(tmp_path, mutate, expected):
    assert expected in _rejected(tmp_path, mutate)


def test_until_month_must_follow_the_schedule(tmp_path):
    def mutate(d):
        rule = d["types"][0]["requirements"][0]
        rule["schedule"].append({"from_month": 6, "frequency": "weekly"})
        rule["until_month"] = 6

    assert "until_month" in _rejected(tmp_path, mutate)


# --------------------------------------------------------------------------- speed


def test_matrix_sized_evaluation_is_fast():
    """1,000 staff x 6 types from 100,000 sessions; the bound is generous for slow CI."""
    rng = random.Random(7)
    catalogue = builtin_supervision_catalogue()
    roles = [r.code for r in builtin_catalogue().roles]
    types = catalogue.type_codes[:6]
    today = date(2025, 6, 1)
    staff = [(rng.choice(roles), today - timedelta(days=rng.randint(0, 1500))) for _ in range(1000)]
    sessions = [
        (rng.randint(1, 80), today - timedelta(days=rng.randint(0, 700)), rng.choice((30, 45, 60)), rng.choice((1, 1, 1, 4)))
        for _ in range(100_000)
    ]
    lasts = [today - timedelta(days=rng.randint(0, 120)) for _ in range(6000)]

    began = time.perf_counter()
    cells = []
    i = 0
    for role, start in staff:
        months = months_in_post(start, today)
        for type_code in types:
            frequency = expected_frequency(catalogue, type_code, role, months)
            required = is_required(catalogue, type_code, role, months)
            arrangement = arrangement_status(
                today=today, arrangement_start=start, arrangement_end=None, frequency=frequency,
                last_session=lasts[i], supervisor_active=True,
            )
            cells.append(cell_status(required, [arrangement]))
            i += 1
    hours = supervisor_hours(sessions, date(2024, 6, 1), today)
    elapsed = time.perf_counter() - began

    assert len(cells) == 6000 and hours
    assert elapsed < 1.0, f"took {elapsed:.3f}s"


# --------------------------------------------------------------------------- the PCN's own rules


def test_overrides_replace_one_role_and_leave_the_builtin_catalogue_alone():
    from arrs_desk.domain.supervision import RoleRequirement, with_overrides

    builtin = builtin_supervision_catalogue()
    weekly = builtin.frequency("weekly")
    local = with_overrides(builtin, {("clinical", "SPLW"): RoleRequirement(False, ((0, weekly),))})
    assert expected_frequency(local, "clinical", "SPLW", 5) == weekly
    assert not is_required(local, "clinical", "SPLW", 5)
    assert is_required(builtin, "clinical", "SPLW", 5)  # the shared, cached catalogue is untouched
    assert expected_frequency(local, "line-management", "SPLW", 2) == builtin.frequency("quarterly")  # '*' still applies
    assert with_overrides(builtin, {}) is builtin


@pytest.mark.parametrize(
    ("steps", "until", "fragment"),
    [
        ([], None, "Choose how often"),
        ([(1, "monthly")], None, "month 0"),
        ([(0, "monthly"), (0, "weekly")], None, "after the one before"),
        ([(0, "hourly")], None, "not a known frequency"),
        ([(0, "monthly"), (6, "quarterly")], 6, "must come after the last change"),
    ],
)
def test_schedule_problems_are_explained(steps, until, fragment):
    from arrs_desk.domain.supervision import schedule_problem

    problem = schedule_problem(steps, until, ("monthly", "weekly", "quarterly"))
    assert problem is not None and fragment in problem


def test_a_good_schedule_has_no_problem():
    from arrs_desk.domain.supervision import schedule_problem

    assert schedule_problem([(0, "weekly"), (3, "monthly")], 12, ("monthly", "weekly")) is None


def test_an_arrangement_begins_to_cover_on_its_first_day_or_the_persons():
    """Not started yet until its first day, unless it begins on or before the person's own start:
    made ahead for a starter, it covers them from their first day."""
    today = date(2026, 2, 27)
    later = arrangement_status(today=today, arrangement_start=date(2026, 3, 1), arrangement_end=None,
                               frequency=MONTHLY, last_session=None, supervisor_active=True,
                               person_start=date(2024, 5, 1))
    assert (later.status, later.next_due) == (S.NOT_STARTED, date(2026, 4, 1))
    assert best_arrangement([later]) is None
    assert decided_cell(True, [later]) == (S.NOT_ARRANGED, None)
    assert decided_cell(False, [later]) == (S.NOT_APPLICABLE, None)
    ahead = arrangement_status(today=today, arrangement_start=date(2026, 3, 1), arrangement_end=None,
                               frequency=MONTHLY, last_session=None, supervisor_active=True,
                               person_start=date(2026, 3, 1))
    assert ahead.status is S.IN_DATE
    on_the_day = arrangement_status(today=date(2026, 3, 1), arrangement_start=date(2026, 3, 1), arrangement_end=None,
                                    frequency=MONTHLY, last_session=None, supervisor_active=True,
                                    person_start=date(2024, 5, 1))
    assert on_the_day.status is S.IN_DATE
