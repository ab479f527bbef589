"""Importing staff from CSV and Excel files: column guessing, UK dates, duplicates in the file and
in the database, every problem named by row and field, and all-or-nothing writes."""

import csv
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from arrs_desk.errors import Cancelled, PermissionDenied, ValidationError
from arrs_desk.services.actor import Actor
from arrs_desk.services.staff_import import ImportOptions, ImportRejected, read_table, sheet_names
from arrs_desk.store.models import AuditEntry, Staff, StaffPractice
from tests.conftest import TODAY
from tests.support.pcn import ALPHA, BETA, Member, build_small_pcn

RECENT = TODAY - timedelta(days=30)  # a starter still in their first 90 days
HEADINGS = ["Surname", "Forename", "E-mail Address", "Job Title", "Employing Organisation", "Base Site",
            "Date Started", "Contracted Hours", "Pay Band", "Registration Number", "Status"]


@pytest.fixture
def pcn(workspace, system_actor):
    built = build_small_pcn(workspace, system_actor, name="Riverside PCN", practices=(ALPHA, BETA), members=[
        Member("esther", "Esther", "Existing", date(2024, 1, 8), role="PARA", number="PA100001",
               email="esther.existing@nhs.net")])
    (alpha, beta), existing = built.practice_ids, built.staff_ids["esther"]
    return {"alpha": alpha, "beta": beta, "existing": existing}


def person_row(i: int, **changes) -> list[str]:
    row = {
        "Surname": f"Person{i}", "Forename": f"Test{i}", "E-mail Address": f"test{i}.person@nhs.net",
        "Job Title": "Social prescribing link worker", "Employing Organisation": "A11111",
        "Base Site": "Alpha Surgery" if i % 2 else "Alpha Surgery; B22222", "Date Started": "03/02/2025",
        "Contracted Hours": "37.5", "Pay Band": "Band 5", "Registration Number": "", "Status": "Active",
    }
    row.update(changes)
    return [row[h] for h in HEADINGS]


def write_csv(path, rows, headings=HEADINGS, encoding="utf-8-sig", delimiter=","):
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(headings)
        writer.writerows(rows)
    return path


def count(workspace, model) -> int:
    with workspace.db.read() as session:
        return session.execute(select(func.count()).select_from(model)).scalar()


def options_for(table, **extra) -> ImportOptions:
    return ImportOptions(mapping=table.guess_mapping(), **extra)


def test_a_csv_from_hr_is_imported_with_its_columns_guessed(workspace, system_actor, pcn, tmp_path):
    path = write_csv(tmp_path / "hr.csv", [
        person_row(1),
        person_row(2, **{"Job Title": "Paramedic", "Registration Number": "pa 123456", "Date Started": "2025-09-01"}),
        person_row(3, **{"Job Title": "CPH", "Registration Number": "2071234", "Status": "In induction",
                         "Date Started": f"{RECENT.day} {RECENT:%b %Y}", "Surname": "Ní Bhriain", "Forename": "Siobhán"}),
    ])
    table = read_table(path)
    options = options_for(table)
    assert {k: table.headings[c] for k, c in options.mapping.items()}["start_date"] == "Date Started"
    preview = workspace.staff_import.preview(system_actor, table=table, options=options)
    assert preview.problems == [] and preview.ok_count == 3
    assert [r.row_number for r in preview.rows] == [2, 3, 4]
    result = workspace.staff_import.import_rows(system_actor, table=table, options=options)
    assert result.created == 3
    records = [workspace.staff.get(system_actor, staff_id=i) for i in result.staff_ids]
    assert [r.display_name for r in records] == ["Test1 Person1", "Test2 Person2", "Siobhán Ní Bhriain"]
    assert records[0].data.practice_ids == [pcn["alpha"]]
    assert records[1].data.practice_ids == [pcn["alpha"], pcn["beta"]]
    assert (records[1].data.register_code, records[1].data.registration_number) == ("HCPC-PA", "PA123456")
    assert (records[2].data.register_code, records[2].data.registration_number) == ("GPHC-PHARMACIST", "2071234")
    assert records[2].data.start_date == RECENT and records[2].data.status == "induction"
    assert records[0].data.afc_band == "5" and records[0].data.hours_per_week == 37.5
    with workspace.db.read() as session:
        imports = session.execute(select(AuditEntry).where(AuditEntry.action == "import")).scalars().all()
        creates = session.execute(select(AuditEntry).where(
            AuditEntry.action == "create", AuditEntry.entity_type == "staff",
            AuditEntry.subject_staff_id.in_(result.staff_ids))).scalars().all()
    assert len(imports) == 1 and "3 staff records from hr.csv" in imports[0].summary
    assert len(creates) == 3 and all("imported from hr.csv" in e.summary for e in creates)


def test_one_bad_row_in_500_writes_nothing_and_names_the_row_and_field(workspace, system_actor, pcn, tmp_path):
    rows = [person_row(i) for i in range(1, 501)]
    rows[316] = person_row(317, **{"Date Started": "31/02/2027"})
    table = read_table(write_csv(tmp_path / "five-hundred.csv", rows))
    staff_before, links_before, audit_before = count(workspace, Staff), count(workspace, StaffPractice), count(workspace, AuditEntry)
    with pytest.raises(ImportRejected) as caught:
        workspace.staff_import.import_rows(system_actor, table=table, options=options_for(table))
    assert [(p.row_number, p.field, p.field_label) for p in caught.value.problems] == [(318, "start_date", "Start date")]
    assert "February 2027 has 28 days" in caught.value.problems[0].message
    assert "Row 318, Start date: '31/02/2027' is not a real date" in caught.value.message
    assert "Nothing was imported" in caught.value.message
    assert (count(workspace, Staff), count(workspace, StaffPractice), count(workspace, AuditEntry)) == (
        staff_before, links_before, audit_before)


def test_every_problem_is_listed_by_row_and_field_and_nothing_is_written(workspace, system_actor, pcn, tmp_path):
    path = write_csv(tmp_path / "mixed.csv", [
        person_row(1),                                                      # row 2: fine
        person_row(2, **{"Job Title": "Astronaut"}),                        # row 3
        person_row(3, **{"Base Site": "Nowhere Medical Centre"}),           # row 4
        person_row(4, **{"E-mail Address": "TEST1.person@nhs.net"}),        # row 5: same as row 2
        person_row(5, **{"E-mail Address": "Esther.Existing@nhs.net"}),     # row 6: already in the database
        person_row(6, **{"Job Title": "Paramedic", "Registration Number": "PA100001"}),  # row 7: in the database
        person_row(7, **{"Forename": "", "Contracted Hours": "lots"}),      # row 8: two problems
        person_row(8, **{"Job Title": "Paramedic"}),                        # row 9: must be registered
        person_row(9, **{"Date Started": "12/25/2026", "Status": "Retired"}),  # row 10
    ])
    table = read_table(path)
    preview = workspace.staff_import.preview(system_actor, table=table, options=options_for(table))
    found = {(p.row_number, p.field) for p in preview.problems}
    assert found == {
        (3, "role"), (4, "practices"), (5, "email"), (6, "email"), (7, "registration_number"),
        (8, "given_name"), (8, "hours_per_week"), (9, "registration_number"), (10, "start_date"), (10, "status"),
    }
    messages = {(p.row_number, p.field): p.message for p in preview.problems}
    assert "also on row 2 of this file" in messages[(5, "email")]
    assert "Esther Existing" in messages[(6, "email")] and "Esther Existing" in messages[(7, "registration_number")]
    assert "'Astronaut' is not a role" in messages[(3, "role")]
    assert "'Nowhere Medical Centre' is not a practice" in messages[(4, "practices")]
    assert preview.ok_count == 1 and preview.problem_rows == 8
    assert count(workspace, Staff) == 1
    with pytest.raises(ImportRejected) as caught:
        workspace.staff_import.import_rows(system_actor, table=table, options=options_for(table))
    assert {(p.row_number, p.field) for p in caught.value.problems} == found
    assert count(workspace, Staff) == 1


def test_the_preview_gives_no_status_worked_out_from_a_refused_date(workspace, system_actor, pcn, tmp_path):
    """A row's status follows its dates: while its start date (or end date, or status) is refused, the
    preview says no status, rather than "Active" beside the refusal, nor a note reasoning from it."""
    far = f"{TODAY + timedelta(days=3000):%d/%m/%Y}"
    path = write_csv(tmp_path / "dates.csv", [
        person_row(1, **{"Date Started": "31/02/2025"}),                  # row 2: not a real date
        person_row(2, **{"Date Started": ""}),                            # row 3: empty
        person_row(3, **{"Date Started": far}),                           # row 4: read, then refused
        person_row(4, **{"Status": "Retired"}),                           # row 5: the status refused
        person_row(5, **{"Surname": "Existing", "Forename": "Esther", "E-mail Address": "esther.existing@nhs.net",
                         "Job Title": "Paramedic", "Date Started": "31/02/2025"}),  # row 6: someone on the list
        person_row(6, **{"Date Started": f"{RECENT:%d/%m/%Y}"}),          # row 7: fine, so its status shows
    ])
    table = read_table(path)
    preview = workspace.staff_import.preview(system_actor, table=table, options=options_for(table))
    rows = {r.row_number: r for r in preview.rows}
    assert {n: {p.field for p in r.problems} for n, r in rows.items() if r.problems} == {
        2: {"start_date"}, 3: {"start_date"}, 4: {"start_date"}, 5: {"status"}, 6: {"start_date"}}
    assert [rows[n].status for n in range(2, 8)] == ["", "", "", "", "", "In induction"]
    assert not any(note.startswith("Status ") for n in range(2, 7) for note in rows[n].notes)
    assert rows[7].notes == (f"Status In induction, not Active as the file says: they started on "
                             f"{RECENT:%d/%m/%Y}, within the last 90 days.",)


def test_a_start_date_from_before_the_nhs_began_is_refused_by_the_import(workspace, system_actor, pcn, tmp_path):
    """01/01/1900, or a date of birth in the start date column, was imported without a word: the
    import refuses it with the staff editor's own message."""
    path = write_csv(tmp_path / "old.csv", [
        person_row(1, **{"Date Started": "01/01/1900"}),
        person_row(2, **{"Date Started": "1935-03-14"}),
        person_row(3, **{"Date Started": "05/07/1948"}),
    ])
    table = read_table(path)
    preview = workspace.staff_import.preview(system_actor, table=table, options=options_for(table))
    assert [(p.row_number, p.field, p.message.split(";")[0]) for p in preview.problems] == [
        (2, "start_date", "The start date (01/01/1900) is before the NHS began on 05/07/1948"),
        (3, "start_date", "The start date (14/03/1935) is before the NHS began on 05/07/1948")]
    assert {r.row_number: r.status for r in preview.rows} == {2: "", 3: "", 4: "Active"}


def test_an_excel_file_with_real_dates_and_numbers(workspace, system_actor, pcn, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Notes"
    sheet = book.create_sheet("Staff")
    sheet.append(["First name", "Last name", "Role", "Practice ODS code", "Start date", "GPhC number", "Hours"])
    sheet.append(["Amir", "Haddad", "Clinical pharmacist", "B22222", date(2025, 4, 7), 2071234, 30])
    sheet.append(["Beth", "Jones", "Care coordinator", "A11111", "07/04/2025", None, 22.5])
    book.save(tmp_path / "staff.xlsx")
    assert sheet_names(tmp_path / "staff.xlsx") == ["Notes", "Staff"]
    table = read_table(tmp_path / "staff.xlsx", "Staff")
    options = options_for(table, default_employer_id=pcn["beta"])
    assert set(options.mapping) == {"given_name", "family_name", "role", "practices", "start_date",
                                    "registration_number", "hours_per_week"}
    result = workspace.staff_import.import_rows(system_actor, table=table, options=options)
    amir, beth = (workspace.staff.get(system_actor, staff_id=i).data for i in result.staff_ids)
    assert (amir.registration_number, amir.start_date, amir.employer_id) == ("2071234", date(2025, 4, 7), pcn["beta"])
    assert (beth.start_date, beth.hours_per_week, beth.practice_ids) == (date(2025, 4, 7), 22.5, [pcn["alpha"]])


def test_defaults_fill_columns_the_file_does_not_have(workspace, system_actor, pcn, tmp_path):
    starts = TODAY + timedelta(days=20)  # a pre-start status fits only someone who has not started
    path = write_csv(tmp_path / "short.csv", [["Ann", "Ash", "Care coordinator", f"{starts:%d/%m/%Y}"]],
                     headings=["First name", "Surname", "Role", "Start date"])
    table = read_table(path)
    with pytest.raises(ValidationError) as caught:
        workspace.staff_import.preview(system_actor, table=table, options=options_for(table))
    assert "Employer" in caught.value.errors["mapping"] and "Base practice" in caught.value.errors["mapping"]
    options = options_for(table, default_employer_id=pcn["beta"], default_practice_ids=[pcn["beta"]],
                          default_status="pre_start", default_employment_model="pcn")
    result = workspace.staff_import.import_rows(system_actor, table=table, options=options)
    data = workspace.staff.get(system_actor, staff_id=result.staff_ids[0]).data
    assert (data.employer_id, data.practice_ids, data.status, data.employment_model) == (
        pcn["beta"], [pcn["beta"]], "pre_start", "pcn")


def test_a_practice_whose_name_has_a_comma_is_read_whole(workspace, system_actor, pcn, tmp_path):
    """'Drs Patel, Shah and Partners' written as the practice list shows it was split at its comma and
    refused as "'Drs Patel' is not a practice ARRS Desk knows"; commas between practices still separate."""
    comma = workspace.organisations.create(system_actor, kind="practice", name="Drs Patel, Shah and Partners",
                                           ods_code="C33333").id
    path = write_csv(tmp_path / "hr.csv", [
        person_row(1, **{"Base Site": "Drs Patel, Shah and Partners"}),
        person_row(2, **{"Base Site": "Drs Patel, Shah and Partners, Alpha Surgery"}),
        person_row(3, **{"Base Site": "Alpha Surgery; Drs Patel, Shah and Partners"}),
        person_row(4, **{"Base Site": "Alpha Surgery, B22222"}),
    ])
    table = read_table(path)
    preview = workspace.staff_import.preview(system_actor, table=table, options=options_for(table))
    assert preview.problems == []
    result = workspace.staff_import.import_rows(system_actor, table=table, options=options_for(table))
    assert [workspace.staff.get(system_actor, staff_id=i).data.practice_ids for i in result.staff_ids] == [
        [comma], sorted([comma, pcn["alpha"]]), sorted([comma, pcn["alpha"]]), sorted([pcn["alpha"], pcn["beta"]])]


def test_a_practice_marked_not_active_is_named_as_such_not_as_unknown(workspace, system_actor, pcn, tmp_path):
    """A practice that has left the PCN is still listed under Practices and employers: "'Beta Surgery' is
    not a practice ARRS Desk knows. Use its name or ODS code as shown under Practices and employers"
    sent the person there to find it shown exactly as the file wrote it."""
    beta = next(o for o in workspace.organisations.list(system_actor) if o.id == pcn["beta"])
    workspace.organisations.update(system_actor, org_id=beta.id, name=beta.name, ods_code=beta.ods_code,
                                   active=False, expected_version=beta.version)
    path = write_csv(tmp_path / "hr.csv", [person_row(1, **{"Base Site": beta.name}),
                                           person_row(3, **{"Employing Organisation": beta.ods_code})])
    table = read_table(path)
    preview = workspace.staff_import.preview(system_actor, table=table, options=options_for(table))
    messages = {(p.row_number, p.field): p.message for p in preview.problems}
    assert messages == {
        (2, "practices"): f"'{beta.name}' is marked as not active under Practices and employers, so nobody can be "
                          "added to it. Make it active again there, or correct the file.",
        (3, "employer"): f"'{beta.ods_code}' ({beta.name}) is marked as not active under Practices and employers, so "
                         "nobody can be added to it. Make it active again there, or correct the file.",
    }


def test_practices_named_alike_but_for_words_in_brackets_are_told_apart(workspace, system_actor, pcn, tmp_path):
    """Names were compared with the words in brackets dropped (as a heading's '(dd/mm/yyyy)' is), so a
    starter at 'The Health Centre (Lowtown)' was saved, without a word, as at '(Hightown)'."""
    high, low = (workspace.organisations.create(system_actor, kind="practice", name=f"The Health Centre ({town})",
                                                ods_code=code).id for town, code in (("Hightown", "H11111"),
                                                                                     ("Lowtown", "L11111")))
    path = write_csv(tmp_path / "hr.csv", [
        person_row(1, **{"Employing Organisation": "The Health Centre (Lowtown)",
                         "Base Site": "The Health Centre (Lowtown); The Health Centre (Hightown)"}),
        person_row(3, **{"Employing Organisation": "the health centre lowtown", "Base Site": "The Health Centre"}),
    ])
    table = read_table(path)
    preview = workspace.staff_import.preview(system_actor, table=table, options=options_for(table))
    assert [(p.row_number, p.field) for p in preview.problems] == [(3, "practices")]  # which one: not guessed
    first = workspace.staff_import.import_rows(system_actor, table=read_table(write_csv(tmp_path / "one.csv", [
        person_row(1, **{"Employing Organisation": "The Health Centre (Lowtown)",
                         "Base Site": "The Health Centre (Lowtown); The Health Centre (Hightown)"})])),
        options=options_for(table)).staff_ids[0]
    data = workspace.staff.get(system_actor, staff_id=first).data
    assert (data.employer_id, data.practice_ids) == (low, sorted([low, high]))


def test_a_name_two_organisations_share_is_not_guessed(workspace, system_actor, pcn, tmp_path):
    """A database made before names had to differ may hold two practices of one name: the import
    took whichever was added first, without a word. It now asks for the ODS code, which it reads."""
    from arrs_desk.store.models import Organisation

    with workspace.db.write() as session:
        alpha, beta = session.get(Organisation, pcn["alpha"]), session.get(Organisation, pcn["beta"])
        beta.name, beta_code = alpha.name, beta.ods_code
    path = write_csv(tmp_path / "hr.csv", [person_row(1, **{"Base Site": alpha.name}),
                                           person_row(3, **{"Base Site": beta_code})])
    table = read_table(path)
    preview = workspace.staff_import.preview(system_actor, table=table, options=options_for(table))
    assert {(p.row_number, p.field): p.message for p in preview.problems} == {
        (2, "practices"): f"'{alpha.name}' is the name of more than one organisation under Practices and employers. "
                          "Use the ODS code of the one meant."}


def test_semicolon_separated_windows_encoded_csv(workspace, system_actor, pcn, tmp_path):
    path = write_csv(tmp_path / "excel-export.csv", [person_row(1, Surname="Öztürk", Forename="José")],
                     encoding="cp1252", delimiter=";")
    table = read_table(path)
    result = workspace.staff_import.import_rows(system_actor, table=table, options=options_for(table))
    assert workspace.staff.get(system_actor, staff_id=result.staff_ids[0]).display_name == "José Öztürk"


def test_files_that_cannot_be_imported_say_why(tmp_path):
    cases = {
        "old.xls": (b"\xd0\xcf\x11\xe0", "save it as .xlsx or CSV"),
        "empty.csv": (b"", "is empty"),
        "headings.csv": (b"First name,Surname\n", "no staff rows"),
        "photo.png": (b"\x89PNG", "not a CSV or Excel"),
        "broken.xlsx": (b"not a zip file", "cannot be read as an Excel workbook"),
    }
    for name, (content, fragment) in cases.items():
        (tmp_path / name).write_bytes(content)
        with pytest.raises(ValidationError) as caught:
            read_table(tmp_path / name)
        assert fragment in caught.value.errors["file"], name


def _excel_with_formulas(path, results: dict[str, str]):
    """A staff list whose Role column (C) is worked out by formulas, saved as a program that does not
    work formulas out saves it (openpyxl: each formula with an empty result), then given the saved
    results in `results` ({cell: the <v> element and type, as Excel or LibreOffice saves them})."""
    import zipfile

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["First name", "Last name", "Role", "Start date"])
    for row, (given, family) in enumerate((("Amir", "Haddad"), ("Beth", "Jones"), ("Cara", "Lee")), start=2):
        book.active.append([given, family, f'=IF(A{row}="","","Care coordinator")', "07/04/2025"])
    book.save(path)
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    for cell, saved in results.items():
        start = sheet.index(f'<c r="{cell}"')
        end = sheet.index("</c>", start)
        formula = sheet[sheet.index("<f>", start):sheet.index("</f>", start) + 4]
        sheet = sheet[:start] + f'<c r="{cell}"{saved[0]}>{formula}{saved[1]}' + sheet[end:]
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return path


def test_a_formula_with_no_saved_value_is_named_not_read_as_empty(tmp_path):
    """A file saved by a tool that does not work formulas out: the Role was read as empty (reported
    missing, or a value silently lost). Now the import names the cell and says what to do."""
    path = _excel_with_formulas(tmp_path / "staff.xlsx", {"C2": (' t="str"', "<v>Care coordinator</v>")})
    with pytest.raises(ValidationError) as caught:
        read_table(path)
    assert caught.value.errors["file"] == (
        "staff.xlsx, row 3, column C ('Role') holds a formula with no saved value (and 1 more cell like it): the "
        "program that saved the file does not work formulas out, so the cell would be read as empty. Open the "
        "file in Excel or LibreOffice, save it, and import it again. Nothing was imported.")


def test_formulas_saved_with_their_results_are_read_as_those_results(tmp_path):
    """As Excel saves them: a result, and an empty text result (=IF(..., "", ...)) that is truly empty."""
    path = _excel_with_formulas(tmp_path / "staff.xlsx", {"C2": (' t="str"', "<v>Care coordinator</v>"),
                                                          "C3": (' t="str"', "<v></v>"),
                                                          "C4": (' t="str"', "<v>Care coordinator</v>")})
    table = read_table(path)
    assert [row[2] for row in table.rows] == ["Care coordinator", None, "Care coordinator"]


def test_only_people_who_add_staff_may_import_and_cancelling_writes_nothing(workspace, system_actor, pcn, tmp_path):
    table = read_table(write_csv(tmp_path / "hr.csv", [person_row(i) for i in range(1, 601)]))
    starter = Actor(9, "new", "New Starter", frozenset({"staff"}))
    with pytest.raises(PermissionDenied):
        workspace.staff_import.import_rows(starter, table=table, options=options_for(table))
    seen = []

    def cancel_half_way(done, total):
        seen.append(done)
        if done >= 300:
            raise Cancelled("Import cancelled; nothing was imported.")

    with pytest.raises(Cancelled):
        workspace.staff_import.import_rows(system_actor, table=table, options=options_for(table), progress=cancel_half_way)
    assert seen[0] == 0 and seen[-1] >= 300
    assert count(workspace, Staff) == 1


def test_starters_imported_together_each_get_their_whole_checklist_in_order(workspace, system_actor, pcn, tmp_path,
                                                                             monkeypatch):
    """Their items are written a batch at a time (all of 5,000 starters' at once held 600 MB): a batch
    that ends mid-checklist loses, repeats and reorders nothing."""
    from arrs_desk.services.induction import creation
    from arrs_desk.store.models import InductionChecklist, InductionItem

    monkeypatch.setattr(creation, "ITEMS_PER_INSERT", 7)  # far fewer than one checklist's items
    path = write_csv(tmp_path / "starters.csv", [
        person_row(i, **{"Status": "In induction", "Date Started": f"{RECENT:%d/%m/%Y}",
                         "Job Title": "Paramedic" if i % 2 else "Social prescribing link worker",
                         "Registration Number": f"PA{100200 + i}" if i % 2 else ""})
        for i in range(1, 6)])
    table = read_table(path)
    result = workspace.staff_import.import_rows(system_actor, table=table, options=options_for(table))
    assert result.created == 5
    with workspace.db.read() as session:
        for staff_id in result.staff_ids:
            role = session.get(Staff, staff_id).role_code
            planned = [item.key for item in creation.items_for_role(session, role)[0]]
            made = session.execute(select(InductionChecklist.id).where(InductionChecklist.staff_id == staff_id)).all()
            items = session.execute(select(InductionItem.position, InductionItem.key).where(
                InductionItem.staff_id == staff_id).order_by(InductionItem.position)).all()
            assert len(made) == 1 and len(planned) > 7
            assert [(p, k) for p, k in items] == list(enumerate(planned)), role


def test_a_report_title_above_the_headings_is_passed_over(workspace, system_actor, pcn, tmp_path):
    """HR reports put a title above the headings ('Staff list at 01/12/2026' across merged cells):
    it was read as the headings, so nothing was guessed and the real headings were refused as a
    person ("'Date Started' is not a date")."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Riverside PCN: staff list at 01/12/2026"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADINGS))
    sheet.append(["Run by: HR team", "Confidential"])
    sheet.append([])
    sheet.append(HEADINGS)
    sheet.append(person_row(1))
    book.save(tmp_path / "report.xlsx")
    path = tmp_path / "report.csv"
    path.write_text("Riverside PCN: staff list at 01/12/2026\n\n" + ";".join(HEADINGS) + "\n"
                    + ";".join(person_row(3)) + "\n", encoding="utf-8")
    for name, first_row in (("report.xlsx", 5), ("report.csv", 4)):
        table = read_table(tmp_path / name)
        assert table.headings == HEADINGS and table.row_numbers == [first_row], name
        preview = workspace.staff_import.preview(system_actor, table=table, options=options_for(table))
        assert preview.problems == [] and preview.count("new") == 1, name
