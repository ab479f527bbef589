from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from arrs_desk.domain.catalogue import builtin_catalogue
from arrs_desk.domain.programmes import (
    Extension,
    MilestoneStatus,
    Pause,
    behind_reasons,
    builtin_programme,
    builtin_programmes,
    check_dates,
    check_extension,
    check_pause,
    check_pauses,
    expected_end,
    expected_progress_by_now,
    expected_protected_hours,
    load_programme,
    load_programmes,
    milestone_due,
    milestone_status,
    overall_progress,
    programmes_for_role,
    protected_time_shortfall,
    schedule,
    shift_for_pauses,
)
from arrs_desk.errors import ResourceFileError

START = date(2025, 1, 6)  # a Monday


def days(n: int) -> timedelta:
    return timedelta(days=n)


# --- Built-in programmes --------------------------------------------------------------------------


def test_builtin_programmes_cover_the_main_pathways():
    codes = {p.code for p in builtin_programmes()}
    assert {"PC-PRECEPT", "PARA-PC12", "GPA", "PCPEP", "FCP-S2", "NPM-CORE", "PA-PRECEPT"} <= codes


@pytest.mark.parametrize("programme", builtin_programmes(), ids=lambda p: p.code)
def test_builtin_programme_is_usable(programme):
    known_roles = {r.code for r in builtin_catalogue().roles}
    assert set(programme.roles) <= known_roles
    assert 4 <= len(programme.domains) <= 6
    assert all(3 <= len(d.competencies) <= 6 for d in programme.domains)
    # Every programme closes with a sign-off at its end, which is what extensions move.
    last = programme.milestones_in_order[-1]
    assert (last.week, last.kind) == (programme.length_weeks, "sign-off")


def test_paramedic_preceptorship_is_twelve_weeks_with_a_week_four_review():
    para = builtin_programme("PARA-PC12")
    assert para is not None
    assert para.length_weeks == 12
    assert para.protected_hours_per_week == 7.5  # one taught day a week
    assert any(m.week == 4 and m.kind == "review" for m in para.milestones)
    assert para in programmes_for_role("PARA")
    assert para not in programmes_for_role("CPH")


def test_pharmacy_pathway_is_eighteen_months_for_pharmacists_and_technicians():
    pcpep = builtin_programme("PCPEP")
    assert pcpep.length_weeks == 78
    assert {"CPH", "PTECH"} <= set(pcpep.roles)
    assert pcpep.milestones_in_order[-1].key == "statement-of-progression"


def test_programmes_for_role_without_a_programme_is_empty():
    assert programmes_for_role("DTL") == ()


def test_nursing_first_meeting_is_overdue_after_two_weeks():
    npm = builtin_programme("NPM-CORE")
    first = npm.milestone("initial-meeting")
    due = milestone_due(START, first.week)
    assert milestone_status(due, START + days(13)) is MilestoneStatus.DUE
    assert milestone_status(due, START + days(14)) is MilestoneStatus.OVERDUE


# --- Malformed programme files -----------------------------------------------------------------


def minimal_programme(**changes) -> dict:
    data = {
        "schema": "arrs-desk/programme",
        "version": 1,
        "code": "TEST",
        "title": "Test programme",
        "description": "For tests.",
        "roles": ["PARA"],
        "length_weeks": 12,
        "protected_hours_per_week": 7.5,
        "milestones": [
            {"key": "start", "title": "Start", "week": 0, "kind": "meeting"},
            {"key": "end", "title": "End", "week": 12, "kind": "sign-off"},
        ],
        "domains": [
            {
                "code": "A",
                "title": "Domain A",
                "competencies": [
                    {"key": "one", "title": "One", "description": "First.", "evidence": "A CbD."},
                    {"key": "two", "title": "Two", "description": "Second.", "evidence": "A COT."},
                ],
            },
            {
                "code": "B",
                "title": "Domain B",
                "competencies": [
                    {"key": "three", "title": "Three", "description": "Third.", "evidence": "A log."},
                ],
            },
        ],
    }
    data.update(changes)
    return data


def write(directory: Path, data: dict | str, name: str = "test.json") -> Path:
    path = directory / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def test_minimal_programme_loads(tmp_path):
    programme = load_programme(write(tmp_path, minimal_programme()))
    assert [c.key for c in programme.competencies] == ["one", "two", "three"]


def test_bad_json_names_the_file(tmp_path):
    path = write(tmp_path, '{"schema": "arrs-desk/programme",', name="broken.json")
    with pytest.raises(ResourceFileError) as caught:
        load_programme(path)
    assert "broken.json" in caught.value.message
    assert "not valid JSON" in caught.value.message


def test_milestone_beyond_programme_length_names_the_field(tmp_path):
    data = minimal_programme()
    data["milestones"][1]["week"] = 13
    with pytest.raises(ResourceFileError) as caught:
        load_programme(write(tmp_path, data))
    assert "test.json" in caught.value.message
    assert "milestones[1].week" in caught.value.message
    assert "12-week" in caught.value.message


def test_duplicate_competency_key_across_domains_names_both_places(tmp_path):
    data = minimal_programme()
    data["domains"][1]["competencies"][0]["key"] = "one"
    with pytest.raises(ResourceFileError) as caught:
        load_programme(write(tmp_path, data))
    assert "test.json" in caught.value.message
    assert "domains[1].competencies[0].key" in caught.value.message
    assert "domains[0].competencies[0]" in caught.value.message


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"length_weeks": 0}, "length_weeks"),
        ({"protected_hours_per_week": -1}, "protected_hours_per_week"),
        ({"roles": ["PARA", "para"]}, "roles[1]"),
        ({"roles": []}, "roles"),
        ({"milestones": [{"key": "a", "title": "A", "week": 0, "kind": "party"}]}, "milestones[0].kind"),
        ({"unexpected": True}, "unexpected"),
    ],
)
def test_invalid_fields_are_named(tmp_path, changes, field):
    with pytest.raises(ResourceFileError) as caught:
        load_programme(write(tmp_path, minimal_programme(**changes)))
    assert f"\n{field}:" in caught.value.message
    assert caught.value.message.startswith("test.json is not valid")


def test_duplicate_milestone_key_is_rejected(tmp_path):
    data = minimal_programme()
    data["milestones"][1]["key"] = "start"
    with pytest.raises(ResourceFileError, match=r"milestones\[1\]\.key: duplicate milestone key"):
        load_programme(write(tmp_path, data))


def test_programme_directory_requires_file_names_to_match_codes(tmp_path):
    write(tmp_path, minimal_programme(), name="other.json")
    with pytest.raises(ResourceFileError, match=r"other\.json.*\ncode: TEST does not match"):
        load_programmes(tmp_path)


def test_programme_directory_loads_matching_files(tmp_path):
    write(tmp_path, minimal_programme(), name="test.json")
    write(tmp_path, minimal_programme(code="TEST-2"), name="test-2.json")
    assert [p.code for p in load_programmes(tmp_path)] == ["TEST-2", "TEST"]


# --- Scheduling with pauses and extensions ---------------------------------------------------------


def test_two_week_pause_moves_later_milestones_and_end_only():
    para = builtin_programme("PARA-PC12")
    pause = Pause(date(2025, 2, 10), date(2025, 2, 23), "sickness")
    assert pause.days == 14
    before = {s.milestone.key: s.due for s in schedule(para, START)}
    after = {s.milestone.key: s.due for s in schedule(para, START, [pause])}
    for key, due in before.items():
        expected = due + days(14) if due >= pause.start else due
        assert after[key] == expected, key
    assert after["week-4-review"] == date(2025, 2, 3)  # before the pause: unchanged
    assert after["week-8-review"] == date(2025, 3, 17)
    assert expected_end(START, 12, [pause]) == date(2025, 4, 14)


def test_date_on_the_first_day_of_a_pause_moves_and_the_day_before_does_not():
    pause = Pause(date(2025, 3, 1), date(2025, 3, 14))
    assert shift_for_pauses(date(2025, 3, 1), [pause]) == date(2025, 3, 15)
    assert shift_for_pauses(date(2025, 2, 28), [pause]) == date(2025, 2, 28)


def test_date_inside_a_pause_resumes_after_it_with_the_same_days_left():
    pause = Pause(date(2025, 3, 1), date(2025, 3, 14))
    assert shift_for_pauses(date(2025, 3, 5), [pause]) == date(2025, 3, 19)


def test_two_pauses_add_up_and_a_date_pushed_into_the_second_moves_again():
    first = Pause(date(2025, 2, 10), date(2025, 2, 23), "sickness")  # 14 days
    second = Pause(date(2025, 3, 10), date(2025, 3, 16), "compassionate leave")  # 7 days
    # Week 8 was planned for 3 March, before the second pause; the first pushes it to 17 March,
    # inside the second, so it moves on by a further 7 days.
    assert milestone_due(START, 8, [first, second]) == date(2025, 3, 24)
    assert milestone_due(START, 8, [second, first]) == date(2025, 3, 24)
    assert expected_end(START, 12, [first, second]) == date(2025, 3, 31) + days(21)
    assert milestone_due(START, 4, [first, second]) == date(2025, 2, 3)


def test_extension_moves_the_end_and_final_sign_off_but_not_earlier_reviews():
    gpa = builtin_programme("GPA")
    extension = Extension(weeks=13, reason="long-term sickness of GP mentor")
    plain = {s.milestone.key: s.due for s in schedule(gpa, START)}
    extended = {s.milestone.key: s.due for s in schedule(gpa, START, extensions=[extension])}
    assert extended["portfolio-sign-off"] == plain["portfolio-sign-off"] + days(91)
    assert extended["six-month-review"] == plain["six-month-review"]
    assert expected_end(START, 39, extensions=[extension]) == START + timedelta(weeks=52)


def test_extension_and_pause_combine():
    pause = Pause(date(2025, 2, 10), date(2025, 2, 23), "sickness")
    end = expected_end(START, 12, [pause], [Extension(days=10, reason="missed taught days")])
    assert end == date(2025, 3, 31) + days(14 + 10)


def test_pause_during_an_extension_still_moves_the_end():
    pause = Pause(date(2025, 4, 7), date(2025, 4, 13), "annual leave")  # after the planned end
    assert expected_end(START, 12, [pause]) == date(2025, 3, 31)
    assert expected_end(START, 12, [pause], [Extension(weeks=2, reason="x")]) == date(2025, 4, 21)


# --- Validation of dates, pauses and extensions -------------------------------------------------


def test_overlapping_pause_is_rejected_naming_the_existing_one():
    existing = Pause(date(2025, 2, 10), date(2025, 2, 23), "sickness")
    clash = Pause(date(2025, 2, 20), date(2025, 3, 2), "parental leave")
    errors = check_pause(clash, enrolment_start=START, others=[existing])
    assert set(errors) == {"start"}
    assert "10 Feb 2025" in errors["start"] and "sickness" in errors["start"]


def test_adjacent_pauses_are_allowed():
    first = Pause(date(2025, 2, 10), date(2025, 2, 23), "sickness")
    second = Pause(date(2025, 2, 24), date(2025, 3, 2), "annual leave")
    assert check_pauses([first, second], START) == {}


def test_pause_list_errors_are_keyed_by_position():
    pauses = [
        Pause(date(2025, 2, 10), date(2025, 2, 23), "sickness"),
        Pause(date(2025, 2, 23), date(2025, 2, 27), "leave"),
        Pause(date(2025, 3, 10), date(2025, 3, 1), "leave"),
    ]
    errors = check_pauses(pauses, START)
    assert set(errors) == {"pauses[1].start", "pauses[2].end"}


def test_pause_before_enrolment_and_without_reason():
    errors = check_pause(Pause(START - days(1), START + days(3)), enrolment_start=START)
    assert set(errors) == {"start", "reason"}
    assert "6 Jan 2025" in errors["start"]


def test_pause_ending_before_it_starts():
    errors = check_pause(Pause(START + days(5), START + days(4), "leave"), enrolment_start=START)
    assert set(errors) == {"end"}


def test_one_day_pause_is_valid_and_lasts_one_day():
    pause = Pause(START + days(5), START + days(5), "training day")
    assert check_pause(pause, enrolment_start=START) == {}
    assert pause.days == 1


@pytest.mark.parametrize(
    "extension", [Extension(reason="x"), Extension(weeks=-1, reason="x"), Extension(weeks=1, days=-7, reason="x")]
)
def test_extension_must_add_time(extension):
    assert set(check_extension(extension)) == {"length"}


def test_extension_needs_a_reason():
    assert set(check_extension(Extension(weeks=4, reason="  "))) == {"reason"}
    assert check_extension(Extension(weeks=4, reason="portfolio incomplete")) == {}


def test_end_date_before_start_date():
    assert set(check_dates(START, START - days(1))) == {"end_date"}
    assert check_dates(START, START) == {}
    assert check_dates(START, None) == {}
    assert set(check_dates(None, START)) == {"start_date"}


# --- Milestone status -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("offset", "status"),
    [
        (-1, MilestoneStatus.UPCOMING),
        (0, MilestoneStatus.DUE),
        (6, MilestoneStatus.DUE),
        (7, MilestoneStatus.OVERDUE),
        (90, MilestoneStatus.OVERDUE),
    ],
)
def test_milestone_status_boundaries(offset, status):
    due = date(2025, 3, 3)
    assert milestone_status(due, due + days(offset)) is status


def test_held_milestone_is_held_whatever_the_date():
    due = date(2025, 3, 3)
    assert milestone_status(due, due + days(60), held=True) is MilestoneStatus.HELD
    assert milestone_status(due, due - days(3), held=True) is MilestoneStatus.HELD


# --- Progress -----------------------------------------------------------------------------------


def test_progress_with_nothing_to_count_is_zero():
    assert overall_progress(0, 0, 0, 0) == 0.0


def test_progress_when_everything_is_done():
    assert overall_progress(20, 20, 6, 6) == pytest.approx(100.0)


def test_partial_progress_weights_competencies_over_milestones():
    # 30% signed off, 1 of 4 milestones held: 0.7 * 30 + 0.3 * 25
    assert overall_progress(3, 10, 1, 4) == pytest.approx(28.5)
    assert overall_progress(0, 10, 4, 4) == pytest.approx(30.0)


def test_progress_uses_the_only_part_that_has_anything_to_count():
    assert overall_progress(0, 0, 1, 4) == pytest.approx(25.0)
    assert overall_progress(5, 10, 0, 0) == pytest.approx(50.0)


@pytest.mark.parametrize("counts", [(11, 10, 0, 4), (-1, 10, 0, 4), (0, 10, 5, 4)])
def test_impossible_counts_are_refused(counts):
    with pytest.raises(ValueError):
        overall_progress(*counts)


def test_expected_progress_follows_the_calendar():
    end = START + days(100)
    assert expected_progress_by_now(START, end, START - days(10)) == 0.0
    assert expected_progress_by_now(START, end, START) == 0.0
    assert expected_progress_by_now(START, end, START + days(25)) == pytest.approx(25.0)
    assert expected_progress_by_now(START, end, end + days(30)) == 100.0


def test_expected_progress_does_not_count_paused_days():
    pause = Pause(START + days(10), START + days(19), "sickness")  # 10 days
    end = expected_end(START, 10, [pause])  # 70 working days + 10 paused
    assert expected_progress_by_now(START, end, START + days(20), [pause]) == pytest.approx(100 * 10 / 70)
    assert expected_progress_by_now(START, end, START + days(15), [pause]) == pytest.approx(100 * 10 / 70)


def test_behind_reasons_are_readable():
    reasons = behind_reasons(
        milestones_overdue=2,
        competencies_signed=3,
        competencies_total=10,
        time_elapsed_percent=60.0,
        protected_hours_expected=24.0,
        protected_hours_logged=18.0,
    )
    assert reasons == [
        "2 milestones overdue",
        "competency sign-off 30% against 60% of time elapsed",
        "protected time 6.0 h short of the 24.0 h expected by now",
    ]


def test_no_behind_reasons_when_on_track_or_only_slightly_behind():
    assert behind_reasons(
        competencies_signed=5,
        competencies_total=10,
        time_elapsed_percent=58.0,
        protected_hours_expected=24.0,
        protected_hours_logged=30.0,
    ) == []
    assert behind_reasons(milestones_overdue=1) == ["1 milestone overdue"]


# --- Protected time -----------------------------------------------------------------------------


def test_no_protected_time_is_expected_before_the_start_or_on_day_one():
    assert expected_protected_hours(START, START - days(5), 7.5) == 0.0
    assert expected_protected_hours(START, START, 7.5) == 0.0


def test_protected_time_accrues_by_completed_week():
    assert expected_protected_hours(START, START + days(7), 7.5) == 7.5
    assert expected_protected_hours(START, START + days(28), 7.5) == 30.0
    assert expected_protected_hours(START, START + days(31), 7.5) == 30.0


def test_no_protected_time_accrues_during_a_pause():
    pause = Pause(START + days(14), START + days(27), "sickness")
    at_pause_start = expected_protected_hours(START, pause.start, 6.0, [pause])
    at_pause_end = expected_protected_hours(START, pause.end + days(1), 6.0, [pause])
    assert at_pause_start == at_pause_end == 12.0
    assert expected_protected_hours(START, pause.end + days(15), 6.0, [pause]) == 24.0


def test_protected_time_stops_at_the_programme_end():
    pause = Pause(START + days(14), START + days(27), "sickness")
    end = expected_end(START, 12, [pause])
    later = end + days(200)
    assert expected_protected_hours(START, later, 7.5, [pause], end=end) == 12 * 7.5
    assert expected_protected_hours(START, later, 7.5, end=expected_end(START, 12)) == 12 * 7.5


def test_protected_time_shortfall():
    assert protected_time_shortfall(24.0, 18.0) == 6.0
    assert protected_time_shortfall(24.0, 30.0) == 0.0
    assert protected_time_shortfall(0.0, 0.0) == 0.0
    assert protected_time_shortfall(22.5, 22.4) == pytest.approx(0.1)
