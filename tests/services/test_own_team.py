"""Issues 15 and 16: a line manager adds and imports people into their own team only, the people
they add stay on their list, and a clash names nobody outside what they may see."""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import timedelta

import pytest

from arrs_desk.errors import ValidationError
from arrs_desk.services.staff_import import ImportOptions, ImportRejected
from tests.conftest import TODAY
from tests.supervision_support import make_team, staff


@pytest.fixture
def team(workspace, system_actor):
    return make_team(workspace, system_actor)


def newcomer(team, **changes):
    data = staff([team.alpha], given="Priya", family="Raghunathan", start=TODAY + timedelta(days=14))
    return replace(data, status="pre_start", **changes)


def test_a_person_a_line_manager_adds_joins_their_team_and_their_list(workspace, team):
    made = workspace.staff.create(team.helen, data=newcomer(team))
    assert made.data.line_manager_id == team.helen_id
    assert made.id in {r.id for r in workspace.staff.list_rows(team.helen)}


def test_a_line_manager_cannot_place_a_new_person_under_another_manager(workspace, team, system_actor):
    before = len(workspace.staff.list_rows(system_actor))
    with pytest.raises(ValidationError) as refused:
        workspace.staff.create(team.helen, data=newcomer(team, line_manager_id=team.bogdan_id))
    assert "own team" in refused.value.errors["line_manager_id"]
    assert len(workspace.staff.list_rows(system_actor)) == before
    # An administrator may.
    placed = workspace.staff.create(team.admin, data=newcomer(team, line_manager_id=team.bogdan_id))
    assert placed.data.line_manager_id == team.bogdan_id


def write_csv(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["Forename", "Surname", "Job title", "Employer", "Base site", "Date started", "Line manager"])
        out.writerows(rows)
    return path


def test_people_a_line_manager_imports_are_theirs_and_shown_to_them(workspace, team, tmp_path):
    started = (TODAY - timedelta(days=30)).strftime("%d/%m/%Y")
    source = write_csv(tmp_path / "hr.csv", [
        ("Amara", "Diallo", "Care coordinator", "A11111", "A11111", started, ""),
        ("Kofi", "Asante", "Health and wellbeing coach", "A11111", "A11111", started, ""),
    ])
    table = workspace.staff_import.read(path=source)
    result = workspace.staff_import.import_rows(team.helen, table=table, options=ImportOptions(mapping=table.guess_mapping()))
    assert result.created == 2
    mine = {r.display_name for r in workspace.staff.list_rows(team.helen)}
    assert {"Amara Diallo", "Kofi Asante"} <= mine


def test_an_import_row_naming_another_manager_is_refused_for_a_line_manager(workspace, team, tmp_path, system_actor):
    started = (TODAY - timedelta(days=30)).strftime("%d/%m/%Y")
    source = write_csv(tmp_path / "hr.csv", [
        ("Amara", "Diallo", "Care coordinator", "A11111", "A11111", started, ""),
        ("Kofi", "Asante", "Health and wellbeing coach", "A11111", "A11111", started, "Bogdan Popescu"),
    ])
    table = workspace.staff_import.read(path=source)
    before = len(workspace.staff.list_rows(system_actor))
    with pytest.raises(ImportRejected) as refused:
        workspace.staff_import.import_rows(team.helen, table=table, options=ImportOptions(mapping=table.guess_mapping()))
    assert [(p.row_number, p.field) for p in refused.value.problems] == [(3, "line_manager")]
    assert len(workspace.staff.list_rows(system_actor)) == before


def test_a_clash_names_only_someone_the_person_may_see(workspace, team, system_actor):
    anya = workspace.staff.get(system_actor, staff_id=team.anya_id)
    workspace.staff.update(system_actor, staff_id=team.anya_id, data=replace(anya.data, email="anya.petrova@nhs.net"), expected_version=anya.version)
    with pytest.raises(ValidationError) as as_manager:
        workspace.staff.create(team.helen, data=newcomer(team, email="anya.petrova@nhs.net"))
    assert "Петрова" not in as_manager.value.errors["email"] and "another person" in as_manager.value.errors["email"]
    with pytest.raises(ValidationError) as as_admin:
        workspace.staff.create(team.admin, data=newcomer(team, email="anya.petrova@nhs.net"))
    assert "Аня Петрова" in as_admin.value.errors["email"]
    zoe = workspace.staff.get(system_actor, staff_id=team.zoe_id)
    workspace.staff.update(system_actor, staff_id=team.zoe_id, data=replace(zoe.data, email="zoe.okubo@nhs.net"), expected_version=zoe.version)
    with pytest.raises(ValidationError) as own_team:
        workspace.staff.create(team.helen, data=newcomer(team, email="zoe.okubo@nhs.net"))
    assert "Zoë Ōkubo" in own_team.value.errors["email"]  # her own team member: she may see the name
