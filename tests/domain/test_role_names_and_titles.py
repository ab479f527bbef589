"""Rules behind imports as HR systems export them: reading role names forgivingly from catalogue
data, the catalogue's checks on that data, titles typed into names, and the status the dates give."""

from __future__ import annotations

import json
from datetime import date

import pytest

from arrs_desk.domain import staff as rules
from arrs_desk.domain.catalogue import RoleCatalogue, builtin_catalogue
from arrs_desk.domain.datafiles import parse_data
from arrs_desk.domain.role_names import RoleNames
from arrs_desk.domain.staff import StaffStatus
from arrs_desk.domain.staff_import import guess_mapping
from arrs_desk.errors import ResourceFileError
from arrs_desk.paths import resource_path


@pytest.mark.parametrize(("written", "code"), [
    ("Care Co-ordinator", "CCO"), ("care coordinator", "CCO"), ("CARE CO-ORDINATOR (PCN)", "CCO"),
    ("PCN Care Co-ordinator", "CCO"), ("SPLW", "SPLW"), ("Social Prescriber", "SPLW"), ("Link Worker", "SPLW"),
    ("Clinical Pharmacist (PCN)", "CPH"), ("Practice Pharmacist", "CPH"), ("FCP Physio", "FCPP"),
    ("MSK FCP", "FCPP"), ("Health & Wellbeing Coach", "HWBC"), ("Health and Well-being Coach", "HWBC"),
    ("Dietician", "DIET"), ("Physician Assistant", "PA"), ("Paramedic - ARRS", "PARA"), ("HCA", "HCSW"),
    ("Advanced Clinical Practitioner", "AP"), ("Pharmacy Technician", "PTECH"), ("  paramedic ", "PARA"),
])
def test_roles_are_read_as_hr_exports_write_them(written, code):
    assert builtin_catalogue().role_names().match(written).code == code


@pytest.mark.parametrize(("written", "fragment"), [
    ("FCP", "'FCP' is not a role"),  # a first contact practitioner may be a physio, dietitian, OT or podiatrist
    ("Care coordinater", "Did you mean Care coordinator?"),
    ("", "Role is empty"),
    ("Astronaut", "'Astronaut' is not a role in ARRS Desk's catalogue."),
])
def test_names_that_are_not_one_role_are_refused_with_a_reason(written, fragment):
    with pytest.raises(ValueError) as caught:
        builtin_catalogue().role_names().match(written)
    assert fragment in str(caught.value)


def test_a_pcns_own_titles_win_over_other_names_and_a_clash_is_not_guessed():
    names = RoleNames([("CCO", "Care coordinator"), ("SPLW", "Social prescriber")],
                      {"CCO": ["Social prescriber"]})  # the PCN renamed SPLW; its title wins
    assert names.match("Social Prescriber").code == "SPLW"
    clash = RoleNames([("A", "Lead"), ("B", "Lead")])
    with pytest.raises(ValueError, match="could be Lead or Lead"):
        clash.match("lead")


def test_the_matched_role_is_described_only_where_it_differs():
    names = builtin_catalogue().role_names()
    assert names.match("care coordinator").describe() == "Care coordinator"
    assert names.match("Care Co-ordinator").describe() == "Care Co-ordinator → Care coordinator"


def _catalogue_with(**changes) -> dict:
    data = json.loads(resource_path("catalogue", "roles.json").read_text(encoding="utf-8"))
    data.update(changes)
    return data


@pytest.mark.parametrize(("other_names", "ignored", "fragment"), [
    ([{"role": "XYZ", "names": ["Thing"], "source": "A made-up role for the test."}], None, "unknown role XYZ"),
    ([{"role": "CCO", "names": ["Paramedic"], "source": "Collides with another role's title."}], None,
     "reads as role PARA"),
    ([{"role": "CCO", "names": ["Link worker"], "source": "Collides with another role's other name."},
      {"role": "SPLW", "names": ["Link-Worker"], "source": "The other side of the collision."}], None,
     "reads as role CCO"),
    ([{"role": "CCO", "names": ["Care navigator"]}], None, "source"),
    ([{"role": "CCO", "names": ["--"], "source": "No letters at all in this name."}], None, "no letters or digits"),
    ([], {"words": ["Paramedic"], "reason": "Words that make up a whole title."}, "whole title of role PARA"),
])
def test_the_catalogue_refuses_other_names_that_would_mislead(other_names, ignored, fragment):
    changes = {"other_names": other_names}
    if ignored is not None:
        changes["ignored_in_role_names"] = ignored
    with pytest.raises(ResourceFileError) as caught:
        parse_data(RoleCatalogue, _catalogue_with(**changes), source="roles.json")
    assert fragment in str(caught.value)


def test_every_other_name_in_the_built_in_catalogue_has_a_source():
    catalogue = builtin_catalogue()
    assert {entry.role for entry in catalogue.other_names} <= {r.code for r in catalogue.roles}
    assert "CCO" in catalogue.other_names_by_role() and all(len(e.source) >= 10 for e in catalogue.other_names)
    assert catalogue.ignored_in_role_names is not None and catalogue.ignored_in_role_names.reason


@pytest.mark.parametrize(("typed", "expected"), [
    ("Dr Priya", ("Dr", "Priya")), ("Dr. Priya", ("Dr", "Priya")), ("DR.Priya", ("Dr", "Priya")),
    ("Professor Ann Lee", ("Prof", "Ann Lee")), ("Mrs  Jo", ("Mrs", "Jo")), ("Mx Sam", ("Mx", "Sam")),
    ("Miss", ("", "Miss")), ("Drew", ("", "Drew")), ("Mrinal", ("", "Mrinal")), ("Zoë", ("", "Zoë")),
    ("Revd Alan", ("", "Revd Alan")),  # not one of the sure titles: left as typed
])
def test_a_title_is_split_off_a_name_only_when_sure(typed, expected):
    assert rules.split_title(typed) == expected


def test_titles_are_tidied_and_checked():
    assert [rules.normalise_title(t) for t in ("dr.", "PROF", "professor", "Revd", " mx ")] == [
        "Dr", "Prof", "Prof", "Revd", "Mx"]
    assert rules.title_problem("Dr") is None and rules.title_problem("Revd") is None
    assert "at most 20" in rules.title_problem("Professor of Medicine and Surgery")
    assert rules.formal_name("Dr", "Priya", "Patel") == "Dr Priya Patel"
    assert rules.formal_name("", "Priya", "Patel", "Pri") == "Pri Patel"


def test_the_title_column_is_guessed_only_from_a_heading_that_says_title():
    assert guess_mapping(["Title", "Job Title", "Forename"]) == {"title": 0, "role": 1, "given_name": 2}
    assert "title" not in guess_mapping(["Position Title", "Forename"])


START = date(2026, 3, 2)


@pytest.mark.parametrize(("today", "end", "status"), [
    (date(2026, 3, 1), None, StaffStatus.PRE_START),
    (date(2026, 3, 2), None, StaffStatus.INDUCTION),
    (date(2026, 5, 30), None, StaffStatus.INDUCTION),  # day 89
    (date(2026, 5, 31), None, StaffStatus.ACTIVE),  # day 90
    (date(2026, 6, 1), date(2026, 6, 1), StaffStatus.ACTIVE),  # their last day: still in post
    (date(2026, 6, 2), date(2026, 6, 1), StaffStatus.LEFT),
])
def test_the_dates_give_a_status(today, end, status):
    assert rules.status_from_dates(START, end, today) is status


def test_a_status_fits_the_dates_or_not():
    fits = rules.status_fits_dates
    assert not fits(StaffStatus.ACTIVE, START, None, date(2026, 2, 1))  # not started yet
    assert fits(StaffStatus.PRE_START, START, None, date(2026, 2, 1))
    assert not fits(StaffStatus.ACTIVE, START, None, date(2026, 3, 20))  # an HR file's "Active" in week 3
    assert fits(StaffStatus.ACTIVE, START, None, date(2026, 3, 20), strict=False)  # a manager's choice
    assert fits(StaffStatus.INDUCTION, START, None, date(2026, 12, 1))  # an induction that runs long
    assert fits(StaffStatus.ON_LEAVE, START, None, date(2026, 3, 20))
    assert not fits(StaffStatus.PRE_START, START, None, date(2026, 3, 20))
    assert not fits(StaffStatus.ACTIVE, START, date(2026, 4, 1), date(2026, 4, 2))
    # On the last day both fit: still in post, or recorded as a leaver that day; not before it.
    assert fits(StaffStatus.ACTIVE, START, date(2026, 6, 1), date(2026, 6, 1), strict=False)
    assert fits(StaffStatus.LEFT, START, date(2026, 6, 1), date(2026, 6, 1))
    assert not fits(StaffStatus.LEFT, START, date(2026, 6, 1), date(2026, 5, 31))
