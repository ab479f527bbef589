"""Open ARRS Desk's staff import on a messy HR export, or the staff editor, for screenshots and checks.

Creates the demo database when the file does not exist. `--wizard` imports a small HR export
once (so the next file has people to update), then writes the messy file a real HR system
gives: job titles as codes, with hyphens, brackets and other names, a title typed into a
forename, starters whose start date is still to come, changed hours and an unknown role; and
opens File > Import staff… at its check page. `--editor NAME` opens the staff editor for the
person whose name contains NAME, with a title set:

    .venv/bin/python scripts/import_screens.py shots/demo.sqlite3 --wizard
    .venv/bin/python scripts/import_screens.py shots/demo.sqlite3 --editor Okonkwo

With ../shared/tools/screenshot: `screenshot shots/x.png --size 1366x768 -- .venv/bin/python scripts/...`.
"""

from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import QTimer

HEADINGS = ["Employee No", "Title", "Forename", "Surname", "Known As", "E-mail Address", "Job Title",
            "Employing Organisation", "Base Site", "Date Started", "Contracted Hours", "Registration Number", "Status"]


def hr_rows(today, practices: list[str], changed: bool) -> list[list[str]]:
    a, b = practices[0], practices[1]
    day = lambda offset: (today + timedelta(days=offset)).strftime("%d/%m/%Y")  # noqa: E731
    rows = [
        ["100231", "", "Grace", "Adeyemi", "", "grace.adeyemi@nhs.net", "Care Co-ordinator", a, a, day(-800), "30", "", "Active"],
        ["100232", "Mr", "Tomasz", "Nowak", "Tom", "tomasz.nowak@nhs.net", "SPLW", a, f"{a}; {b}", day(-500), "37.5", "", "Active"],
        ["100233", "", "Aisha", "Rahman", "", "aisha.rahman@nhs.net", "Clinical Pharmacist (PCN)", b, b, day(-300), "37.5", "2087654", "Active"],
    ]
    if changed:
        rows[0][10] = "37.5"  # Grace's hours go up
        rows[1][8] = a  # Tom no longer works at the second practice
        rows += [
            ["100240", "", "Dr Priya", "Patel", "", "priya.patel@nhs.net", "Clinical pharmacist", b, b, day(21), "30", "2099123", "Active"],
            ["100241", "", "Ewan", "MacLeod", "", "ewan.macleod@nhs.net", "FCP Physio", a, a, day(45), "37.5", "PH123987", "Active"],
            ["100242", "Ms", "Leah", "O'Connor", "", "leah.oconnor@nhs.net", "Social Prescriber", a, a, day(-20), "30", "", ""],
            ["100243", "", "Sunil", "Mehta", "", "sunil.mehta@nhs.net", "Health & Wellbeing Coach", b, b, day(-400), "22.5", "", "Active"],
            ["100244", "", "Nia", "Evans", "", "nia.evans@nhs.net", "Care coordinater", a, a, day(-90), "30", "", "Active"],
        ]
    return rows


def write(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(HEADINGS)
        out.writerows(rows)
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("database", type=Path)
    parser.add_argument("--wizard", action="store_true", help="open the import wizard at its check page")
    parser.add_argument("--editor", metavar="NAME", help="open the staff editor for this person")
    parser.add_argument("--row", type=int, default=0, help="select this row of the check page")
    parser.add_argument("--columns", action="store_true", help="stop at the wizard's column page")
    args = parser.parse_args()

    from arrs_desk.services.actor import SYSTEM
    from arrs_desk.demo.pcn import build_demo
    from arrs_desk.services.staff_import import ImportOptions
    from arrs_desk.services.workspace import Workspace
    from arrs_desk.ui.shell.app import make_application

    app = make_application()
    fresh = not args.database.exists()
    ws = Workspace.open(args.database)
    if fresh:
        build_demo(ws)
    keep = []
    if args.wizard:
        from arrs_desk.ui.imports.import_wizard import ImportWizard

        practices = [o.ods_code for o in ws.organisations.list(SYSTEM) if o.kind == "practice"]
        first = write(args.database.with_name("hr-export-october.csv"), hr_rows(ws.today(), practices, False))
        table = ws.staff_import.read(first)
        if ws.staff_import.preview(SYSTEM, table, ImportOptions(mapping=table.guess_mapping())).to_write:
            ws.staff_import.import_rows(SYSTEM, table, ImportOptions(mapping=table.guess_mapping()))
        messy = write(args.database.with_name("hr-export-november.csv"), hr_rows(ws.today(), practices, True))
        wizard = ImportWizard(ws, SYSTEM)
        wizard.resize(1340, 720)
        wizard.show()
        wizard.file_page.path.setText(str(messy))
        wizard.next()
        if not args.columns:
            wizard.next()

        def pick() -> None:
            if args.columns:
                return
            if wizard.preview_page.preview is None:
                QTimer.singleShot(200, pick)
                return
            wizard.preview_page.only_problems.setChecked(False)
            wizard.preview_page.table.selectRow(args.row)

        QTimer.singleShot(300, pick)
        keep.append(wizard)
    elif args.editor:
        from arrs_desk.ui.staff.staff_editor import StaffEditor

        row = next(r for r in ws.staff.list_rows(SYSTEM) if args.editor.casefold() in r.display_name.casefold())
        record = ws.staff.get(SYSTEM, row.id)
        if not record.data.title:
            record = ws.staff.update(SYSTEM, row.id, replace(record.data, title="Dr", employee_number="004211"),
                                     record.version)
        editor = StaffEditor(ws, SYSTEM, record)
        editor.show()
        keep.append(editor)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
