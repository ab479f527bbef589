from datetime import date, datetime

import pytest

from arrs_desk.domain.staff_import import (
    cell_text, guess_mapping, normalise_heading, parse_band, parse_date, parse_hours, split_list,
)


@pytest.mark.parametrize(("text", "expected"), [
    ("01/09/2026", date(2026, 9, 1)),
    ("1/9/2026", date(2026, 9, 1)),
    ("04/05/2026", date(2026, 5, 4)),  # always day first: 4 May, never April 5th
    ("29/02/2028", date(2028, 2, 29)),
    ("01-09-2026", date(2026, 9, 1)),
    ("01.09.2026", date(2026, 9, 1)),
    ("2026-09-01", date(2026, 9, 1)),
    ("2026-09-01T00:00:00", date(2026, 9, 1)),
    ("1 Sep 2026", date(2026, 9, 1)),
    ("01-SEP-2026", date(2026, 9, 1)),
    ("1 September 2026", date(2026, 9, 1)),
    (" 01/09/2026 ", date(2026, 9, 1)),
    (datetime(2026, 9, 1, 0, 0), date(2026, 9, 1)),
    (date(2026, 9, 1), date(2026, 9, 1)),
    ("", None),
    (None, None),
])
def test_dates_in_uk_and_iso_form(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(("text", "fragment"), [
    ("31/02/2027", "February 2027 has 28 days"),
    ("29/02/2027", "February 2027 has 28 days"),
    ("31/04/2026", "April 2026 has 30 days"),
    ("2026-13-01", "no month 13"),
    ("12/25/2026", "no month 25"),  # an American date is refused, not silently swapped
    ("01/09/26", "year in full"),
    ("next Tuesday", "not a date"),
    ("0/09/2026", "September 2026 has 30 days"),
    ("45689", "spreadsheet day number (01/02/2025?). Format the column as dates"),
    ("46082.0", "spreadsheet day number (01/03/2026?)"),
])
def test_impossible_or_ambiguous_dates_are_refused_with_a_reason(text, fragment):
    with pytest.raises(ValueError) as caught:
        parse_date(text)
    assert fragment in str(caught.value) and text.strip() in str(caught.value)


def test_headings_from_hr_exports_are_recognised():
    headings = ["Employee No", "Surname", "Forename", "Known As", "E-mail Address", "Job Title", "Base Site",
                "Date Started", "Contracted Hours", "Pay Band", "NMC PIN", "Line Manager Email", "Employing Organisation"]
    mapping = guess_mapping(headings)
    assert mapping == {
        "employee_number": 0, "family_name": 1, "given_name": 2, "preferred_name": 3, "email": 4, "role": 5, "practices": 6,
        "start_date": 7, "hours_per_week": 8, "afc_band": 9, "registration_number": 10, "line_manager": 11,
        "employer": 12,
    }


def test_exact_headings_win_and_no_column_is_used_twice():
    mapping = guess_mapping(["Line manager email", "Email", "First name", "Family name", "Start"])
    assert mapping["email"] == 1 and mapping["line_manager"] == 0 and mapping["start_date"] == 4
    assert guess_mapping(["Notes", "", None]) == {}
    assert normalise_heading(" E-mail  Address (work) ") == "e mail address"


def test_cells_hours_bands_and_lists():
    assert cell_text(2071234.0) == "2071234" and cell_text(37.5) == "37.5" and cell_text(None) == ""
    assert parse_hours("37.5") == 37.5 and parse_hours("22,5 hrs") == 22.5 and parse_hours(30) == 30.0
    assert parse_hours("") is None
    with pytest.raises(ValueError, match="not a number of hours"):
        parse_hours("full time")
    assert parse_band("Band 6") == "6" and parse_band("AfC Band 8A") == "8a" and parse_band(7) == "7"
    assert split_list("Old Town Surgery; B22222 , Riverside|") == ["Old Town Surgery", "B22222", "Riverside"]
