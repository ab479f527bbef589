"""Issue 15 item 13: staff files as HR systems really export them. Roles written every which way,
titles typed into names, starters who have not started yet, and employee numbers that find people
again: a second import of the same file changes nothing, a changed one says what it would change,
field by field, and writes nothing until it is confirmed."""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from arrs_desk.services.staff_import import ImportOptions, ImportRejected, read_table
from arrs_desk.store.models import AuditEntry, InductionChecklist, InductionItem, Staff
from tests.conftest import TODAY
from tests.review_support import make_review_team

HEADINGS = ["Employee No", "Title", "Forename", "Surname", "Known As", "E-mail Address", "Job Title",
            "Employing Organisation", "Base Site", "Date Started", "Contracted Hours", "Registration Number", "Status"]
LONG_AGO = TODAY - timedelta(days=900)


def uk(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def hr_row(number: str, forename: str, surname: str, **changes) -> list[str]:
    row = {"Employee No": number, "Title": "", "Forename": forename, "Surname": surname, "Known As": "",
           "E-mail Address": f"{forename}.{surname}@nhs.net".lower().replace(" ", ""),
           "Job Title": "Care Co-ordinator", "Employing Organisation": "A11111", "Base Site": "Alpha Surgery",
           "Date Started": uk(LONG_AGO), "Contracted Hours": "30", "Registration Number": "", "Status": "Active"}
    row.update(changes)
    return [row[h] for h in HEADINGS]


def write_csv(path, rows, headings=HEADINGS):
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(headings)
        out.writerows(rows)
    return path


@pytest.fixture
def team(workspace, system_actor):
    return make_review_team(workspace, system_actor)


def load(tmp_path, rows, name="hr.csv"):
    table = read_table(write_csv(tmp_path / name, rows))
    return table, ImportOptions(mapping=table.guess_mapping())


def count(workspace, model, *where) -> int:
    with workspace.db.read() as session:
        return session.execute(select(func.count()).select_from(model).where(*where)).scalar()


def by_row(preview):
    return {row.row_number: row for row in preview.rows}


def test_roles_are_read_as_nhs_exports_write_them_and_the_preview_says_as_what(workspace, system_actor, team, tmp_path):
    table, options = load(tmp_path, [
        hr_row("E1", "Ada", "One", **{"Job Title": "Care Co-ordinator"}),
        hr_row("E2", "Ben", "Two", **{"Job Title": "SPLW"}),
        hr_row("E3", "Cy", "Three", **{"Job Title": "Social Prescriber"}),
        hr_row("E4", "Di", "Four", **{"Job Title": "Clinical Pharmacist (PCN)", "Registration Number": "2012345"}),
        hr_row("E5", "Ed", "Five", **{"Job Title": "FCP Physio", "Registration Number": "PH012345"}),
        hr_row("E6", "Flo", "Six", **{"Job Title": "Health & Well-being Coach"}),
        hr_row("E7", "Gus", "Seven", **{"Job Title": "PCN care  co-ordinator"}),
    ])
    preview = workspace.staff_import.preview(system_actor, table=table, options=options)
    assert preview.problems == []
    rows = by_row(preview)
    assert rows[2].role_matched == "Care Co-ordinator → Care coordinator"
    assert rows[3].role_matched == "Social prescribing link worker"  # its code: nothing to point out
    assert rows[4].role_matched == "Social Prescriber → Social prescribing link worker"
    assert rows[6].role_matched == "FCP Physio → First contact physiotherapist"
    result = workspace.staff_import.import_rows(system_actor, table=table, options=options)
    roles = [workspace.staff.get(system_actor, staff_id=i).data.role_code for i in result.staff_ids]
    assert roles == ["CCO", "SPLW", "SPLW", "CPH", "FCPP", "HWBC", "CCO"]


def test_a_role_that_cannot_be_read_says_why_and_suggests(workspace, system_actor, team, tmp_path):
    table, options = load(tmp_path, [hr_row("E1", "Ada", "One", **{"Job Title": "Care coordinater"}),
                                     hr_row("E2", "Ben", "Two", **{"Job Title": "FCP"})])
    problems = {p.row_number: p.message for p in workspace.staff_import.preview(system_actor, table=table, options=options).problems}
    assert "Did you mean Care coordinator?" in problems[2]
    assert "'FCP' is not a role" in problems[3]  # dietitians and podiatrists can be FCPs too: no guess


def test_a_starter_who_has_not_started_is_pre_start_with_a_checklist(workspace, system_actor, team, tmp_path):
    future, recent = TODAY + timedelta(days=30), TODAY - timedelta(days=10)
    table, options = load(tmp_path, [
        hr_row("E1", "Ada", "Future", **{"Date Started": uk(future), "Status": "Active"}),
        hr_row("E2", "Ben", "Recent", **{"Date Started": uk(recent), "Status": ""}),
        hr_row("E3", "Cy", "Settled", **{"Status": "Active"}),
        hr_row("E4", "Di", "Slow", **{"Date Started": uk(TODAY - timedelta(days=200)), "Status": "In induction"}),
        hr_row("E5", "Ed", "Leaving", **{"Date Started": uk(future), "Status": "In induction"}),
    ])
    preview = workspace.staff_import.preview(system_actor, table=table, options=options)
    rows = by_row(preview)
    assert [rows[n].status for n in range(2, 7)] == ["Pre-start", "In induction", "Active", "In induction", "Pre-start"]
    assert f"they start on {uk(future)}" in rows[2].notes[0] and "not Active as the file says" in rows[2].notes[0]
    assert rows[3].notes == () and rows[4].notes == () and rows[5].notes == ()
    result = workspace.staff_import.import_rows(system_actor, table=table, options=options)
    ids = dict(zip(("future", "recent", "settled", "slow", "leaving"), result.staff_ids))
    statuses = {k: workspace.staff.get(system_actor, staff_id=i).data.status for k, i in ids.items()}
    assert statuses == {"future": "pre_start", "recent": "induction", "settled": "active", "slow": "induction",
                        "leaving": "pre_start"}
    # As when adding a person by hand: a pre-start or new starter gets their checklist at once.
    for key in ("future", "recent", "slow", "leaving"):
        assert count(workspace, InductionChecklist, InductionChecklist.staff_id == ids[key]) == 1, key
        assert count(workspace, InductionItem, InductionItem.staff_id == ids[key]) > 10, key
    assert count(workspace, InductionChecklist, InductionChecklist.staff_id == ids["settled"]) == 0
    view = workspace.induction.checklist(system_actor, staff_id=ids["future"])
    hand = workspace.staff.create(system_actor, data=replace(workspace.staff.get(system_actor, staff_id=ids["future"]).data,
                                                        given_name="Hand", email="", employee_number=""))
    by_hand = workspace.induction.checklist(system_actor, staff_id=hand.id)
    assert [(i.title, i.due_on) for i in view.items] == [(i.title, i.due_on) for i in by_hand.items]


def test_the_same_file_imported_again_changes_nothing(workspace, system_actor, team, tmp_path):
    rows = [hr_row(f"E{i}", f"Name{i}", "Person", **{"Contracted Hours": str(20 + i)}) for i in range(1, 6)]
    rows.append(hr_row("E9", "Dr Priya", "Patel", **{"Known As": "Dr Patel", "Date Started": uk(TODAY + timedelta(days=9))}))
    table, options = load(tmp_path, rows)
    first = workspace.staff_import.import_rows(system_actor, table=table, options=options)
    assert first.created == 6
    before = (count(workspace, Staff), count(workspace, AuditEntry), count(workspace, InductionChecklist))
    table, options = load(tmp_path, rows, "again.csv")
    preview = workspace.staff_import.preview(system_actor, table=table, options=options)
    assert [r.action for r in preview.rows] == ["unchanged"] * 6 and preview.to_write == 0
    assert all(r.matched_by == "employee number" for r in preview.rows)
    again = workspace.staff_import.import_rows(system_actor, table=table, options=options)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 6)
    after = (count(workspace, Staff), count(workspace, AuditEntry), count(workspace, InductionChecklist))
    assert after == (before[0], before[1] + 1, before[2])  # only the import itself is in the audit trail


def test_a_changed_file_says_what_it_would_change_and_writes_only_when_confirmed(workspace, system_actor, team,
                                                                                 tmp_path):
    table, options = load(tmp_path, [hr_row("E1", "Ada", "Lovelace"), hr_row("E2", "Ben", "Okri")])
    ada_id, ben_id = workspace.staff_import.import_rows(system_actor, table=table, options=options).staff_ids
    ada_before = workspace.staff.get(system_actor, staff_id=ada_id)
    table, options = load(tmp_path, [
        hr_row("E1", "Ada", "Lovelace", **{"Contracted Hours": "37.5", "E-mail Address": "ada.l@nhs.net",
                                          "Base Site": "Alpha Surgery; B22222", "Title": "Dr"}),
        hr_row("E2", "Ben", "Okri", **{"Contracted Hours": ""}),  # an empty cell leaves the record alone
        hr_row("E3", "Cleo", "New"),
    ], "changed.csv")
    preview = workspace.staff_import.preview(system_actor, table=table, options=options)
    rows = by_row(preview)
    assert [rows[n].action for n in (2, 3, 4)] == ["update", "unchanged", "new"]
    assert rows[2].describe() == ("Update: Title from (none) to Dr; Email from ada.lovelace@nhs.net to ada.l@nhs.net; "
                                  "Base practice(s) from Alpha Surgery to Alpha Surgery, Beta Health Centre; "
                                  "Hours a week from 30 to 37.5")
    assert rows[2].matched_by == "employee number" and preview.to_write == 2
    assert workspace.staff.get(system_actor, staff_id=ada_id) == ada_before  # the preview wrote nothing
    result = workspace.staff_import.import_rows(system_actor, table=table, options=options)
    assert (result.created, result.updated, result.unchanged, result.updated_ids) == (1, 1, 1, (ada_id,))
    ada = workspace.staff.get(system_actor, staff_id=ada_id)
    assert (ada.data.hours_per_week, ada.data.email, ada.data.practice_ids, ada.data.title, ada.version) == (
        37.5, "ada.l@nhs.net", [team.alpha, team.beta], "Dr", ada_before.version + 1)
    assert workspace.staff.get(system_actor, staff_id=ben_id).data.hours_per_week == 30.0
    with workspace.db.read() as session:
        entry = session.execute(select(AuditEntry).where(
            AuditEntry.action == "update", AuditEntry.entity_id == str(ada_id))).scalar_one()
    assert entry.summary.startswith("Updated Ada Lovelace (imported from changed.csv): Title, Email")
    assert entry.changes["hours_per_week"] == [30.0, 37.5] and entry.subject_staff_id == ada_id
    assert entry.changes["practice_ids"] == [[team.alpha], [team.alpha, team.beta]]


def test_a_refused_row_for_someone_on_the_list_is_never_called_no_change(workspace, system_actor, team, tmp_path):
    """Ben's row with 'lots' for his hours (or 99 hours) changed nothing else, so the preview said
    "No change" beside the refusal: it is an update, as a refused new person's row is "New", that
    cannot be imported until the cell is right."""
    table, options = load(tmp_path, [hr_row("E1", "Ada", "Lovelace"), hr_row("E2", "Ben", "Okri")])
    workspace.staff_import.import_rows(system_actor, table=table, options=options)
    table, options = load(tmp_path, [hr_row("E1", "Ada", "Lovelace", **{"Contracted Hours": "lots"}),
                                     hr_row("E2", "Ben", "Okri", **{"Contracted Hours": "99"}),
                                     hr_row("E3", "Cleo", "New", **{"Contracted Hours": "lots"})], "refused.csv")
    rows = by_row(workspace.staff_import.preview(system_actor, table=table, options=options))
    assert [(rows[n].action_label, [p.field for p in rows[n].problems]) for n in (2, 3, 4)] == [
        ("Update", ["hours_per_week"]), ("Update", ["hours_per_week"]), ("New", ["hours_per_week"])]
    assert rows[3].describe().startswith("Update, refused: Hours a week: Working hours must be")
    # A line manager's row for someone outside their team is theirs to refuse, not a new person.
    record = workspace.staff.get(system_actor, staff_id=team.anya_id)
    workspace.staff.update(system_actor, staff_id=team.anya_id, data=replace(record.data, employee_number="A1"),
                           expected_version=record.version)
    table, options = load(tmp_path, [hr_row("A1", "Anya", "Petrova", **{"Employing Organisation": "B22222",
                                                                        "Base Site": "B22222"})], "anya.csv")
    row = workspace.staff_import.preview(team.helen, table=table, options=options).rows[0]
    assert "not in your team" in row.problems[0].message and row.action_label == "Update"


def test_people_added_by_hand_are_found_by_email_and_name_and_get_their_number(workspace, system_actor, team,
                                                                               tmp_path):
    zoe = workspace.staff.get(system_actor, staff_id=team.zoe_id)
    workspace.staff.update(system_actor, staff_id=team.zoe_id, data=replace(zoe.data, email="zoe.okubo@nhs.net"), expected_version=zoe.version)
    table, options = load(tmp_path, [
        hr_row("P77", "Zoë", "Ōkubo", **{"E-mail Address": "Zoe.Okubo@nhs.net", "Job Title": "SPLW",
                                        "Base Site": "Alpha Surgery; Beta Health Centre", "Contracted Hours": "",
                                        "Date Started": uk(zoe.data.start_date), "Status": ""}),
        hr_row("P78", "Somebody", "Else", **{"E-mail Address": "zoe.okubo@nhs.net"}),
    ])
    rows = by_row(workspace.staff_import.preview(system_actor, table=table, options=options))
    assert rows[2].action == "update" and rows[2].matched_by == "email address"
    assert [str(c) for c in rows[2].changes] == ["Employee number from (none) to P77"]
    # The same address on someone with another name is a clash, never an update of Zoë's record.
    assert rows[3].action == "new" and "already the email address of Zoë Ōkubo" in rows[3].problems[0].message


def test_one_person_twice_in_a_file_is_a_problem(workspace, system_actor, team, tmp_path):
    table, options = load(tmp_path, [hr_row("E1", "Ada", "One"), hr_row("E1", "Ada", "Two"),
                                     hr_row("E1", "Ada", "Three", **{"Employing Organisation": "B22222"})])
    preview = workspace.staff_import.preview(system_actor, table=table, options=options)
    problems = {(p.row_number, p.field): p.message for p in preview.problems}
    assert problems == {(3, "employee_number"): "Employee number E1 at the same employer is also on row 2 of this file."}
    table, options = load(tmp_path, [hr_row("E1", "Ada", "One")], "first.csv")
    workspace.staff_import.import_rows(system_actor, table=table, options=options)
    table, options = load(tmp_path, [hr_row("E1", "Ada", "One"), hr_row("E1", "Ada", "One")], "twice.csv")
    problems = {(p.row_number, p.field): p.message
                for p in workspace.staff_import.preview(system_actor, table=table, options=options).problems}
    assert set(problems) == {(3, "employee_number"), (3, "email")}
    assert problems[(3, "employee_number")] == "Row 2 of this file is the same person (the same employee number)."


def test_a_line_manager_updates_only_their_own_team(workspace, system_actor, team, tmp_path):
    for staff_id, number in ((team.zoe_id, "Z1"), (team.anya_id, "A1")):
        record = workspace.staff.get(system_actor, staff_id=staff_id)
        workspace.staff.update(system_actor, staff_id=staff_id, data=replace(record.data, employee_number=number), expected_version=record.version)
    zoe = workspace.staff.get(system_actor, staff_id=team.zoe_id)
    table, options = load(tmp_path, [
        hr_row("Z1", "Zoë", "Ōkubo", **{"Job Title": "SPLW", "Base Site": "Alpha Surgery; B22222",
                                       "Date Started": uk(zoe.data.start_date), "E-mail Address": "",
                                       "Contracted Hours": "22.5", "Status": ""}),
        hr_row("A1", "Аня", "Петрова", **{"Employing Organisation": "B22222", "Base Site": "B22222"}),
    ])
    with pytest.raises(ImportRejected) as refused:
        workspace.staff_import.import_rows(team.helen, table=table, options=options)
    assert [(p.row_number, p.field) for p in refused.value.problems] == [(3, "employee_number")]
    message = refused.value.problems[0].message
    assert "not in your team" in message and "Петрова" not in message and "Аня" not in message
    table, options = load(tmp_path, [read_row for read_row in [hr_row(
        "Z1", "Zoë", "Ōkubo", **{"Job Title": "SPLW", "Base Site": "Alpha Surgery; B22222",
                                "Date Started": uk(zoe.data.start_date), "E-mail Address": "",
                                "Contracted Hours": "22.5", "Status": ""})]], "mine.csv")
    result = workspace.staff_import.import_rows(team.helen, table=table, options=options)
    assert result.updated_ids == (team.zoe_id,)
    assert workspace.staff.get(system_actor, staff_id=team.zoe_id).data.hours_per_week == 22.5


def test_titles_typed_into_names_move_to_the_title_where_that_is_sure(workspace, system_actor, team, tmp_path):
    table, options = load(tmp_path, [
        hr_row("E1", "Dr Priya", "Patel"),
        hr_row("E2", "Rahul", "Patel", **{"Known As": "Dr Patel"}),
        hr_row("E3", "Dr. Ann", "Lee", **{"Title": "Mrs"}),
        hr_row("E4", "Miss", "Jones"),  # a name, not a title followed by one
        hr_row("E5", "Joy", "Ode", **{"Title": "ms"}),
    ])
    preview = workspace.staff_import.preview(system_actor, table=table, options=options)
    rows = by_row(preview)
    assert (rows[2].name, rows[2].title, rows[2].notes) == ("Priya Patel", "Dr",
                                                           ("Title Dr taken out of the first name 'Dr Priya'.",))
    assert (rows[3].name, rows[3].title) == ("Rahul Patel", "Dr")  # not "Dr Patel Patel"
    assert [(p.field, p.message) for p in rows[4].problems] == [
        ("given_name", "'Dr. Ann' starts with the title Dr, but the Title column says Mrs. Correct one of them in the file.")]
    assert (rows[5].name, rows[5].title, rows[5].notes) == ("Miss Jones", "", ())
    assert rows[6].title == "Ms"
    table, options = load(tmp_path, [hr_row("E1", "Dr Priya", "Patel"),
                                     hr_row("E2", "Rahul", "Patel", **{"Known As": "Dr Patel"})], "clean.csv")
    priya, rahul = (workspace.staff.get(system_actor, staff_id=i) for i in
                    workspace.staff_import.import_rows(system_actor, table=table, options=options).staff_ids)
    assert (priya.data.title, priya.data.given_name, priya.formal_name) == ("Dr", "Priya", "Dr Priya Patel")
    assert (rahul.data.preferred_name, rahul.display_name, rahul.formal_name) == ("", "Rahul Patel", "Dr Rahul Patel")


def test_a_later_start_date_from_hr_moves_the_starters_checklist(workspace, system_actor, team, tmp_path):
    first, later = TODAY + timedelta(days=20), TODAY + timedelta(days=48)
    table, options = load(tmp_path, [hr_row("E1", "Ada", "Starter", **{"Date Started": uk(first)})])
    ada_id = workspace.staff_import.import_rows(system_actor, table=table, options=options).staff_ids[0]
    before = {i.title: i.due_on for i in workspace.induction.checklist(system_actor, staff_id=ada_id).items}
    table, options = load(tmp_path, [hr_row("E1", "Ada", "Starter", **{"Date Started": uk(later)})], "moved.csv")
    row = workspace.staff_import.preview(system_actor, table=table, options=options).rows[0]
    assert [str(c) for c in row.changes] == [f"Start date from {uk(first)} to {uk(later)}"] and row.status == "Pre-start"
    workspace.staff_import.import_rows(system_actor, table=table, options=options)
    after = {i.title: i.due_on for i in workspace.induction.checklist(system_actor, staff_id=ada_id).items}
    assert after == {title: due + timedelta(days=28) for title, due in before.items()}


def test_a_leaver_back_with_a_new_start_date_is_imported_as_their_return(workspace, system_actor, team, tmp_path):
    """HR's file gives a returner their new start date and no end date: the import refused them with
    'The end date (…) is before the start date (…). Enter an end date on or after the start date',
    an end date the file does not have, since an empty cell never clears one."""
    left_on, back_on = TODAY - timedelta(days=200), TODAY - timedelta(days=10)
    table, options = load(tmp_path, [hr_row("E1", "Ada", "Returner")])
    ada_id = workspace.staff_import.import_rows(system_actor, table=table, options=options).staff_ids[0]
    ada = workspace.staff.get(system_actor, staff_id=ada_id)
    workspace.staff.update(system_actor, staff_id=ada_id, expected_version=ada.version, data=replace(
        ada.data, end_date=left_on, status="left", leaving_reason="Relocation"))
    table, options = load(tmp_path, [hr_row("E1", "Ada", "Returner", **{"Date Started": uk(back_on)})], "back.csv")
    row = workspace.staff_import.preview(system_actor, table=table, options=options).rows[0]
    assert row.problems == () and row.action == "update" and row.status == "In induction"
    assert row.notes[0] == (f"Back after leaving on {uk(left_on)}: starts again on {uk(back_on)}, so the earlier "
                            "end date and leaving reason are cleared.")
    workspace.staff_import.import_rows(system_actor, table=table, options=options)
    back = workspace.staff.get(system_actor, staff_id=ada_id)
    assert (back.data.start_date, back.data.end_date, back.data.leaving_reason, back.data.status) == (
        back_on, None, "", "induction")
