"""A large PCN for tests that must see the app at scale: the demo plus people imported from an
HR system's CSV export, through the same import service a user runs."""

from __future__ import annotations

import csv
import random
from datetime import timedelta
from pathlib import Path

ROLES = (("Social prescribing link worker", "", ""), ("Care coordinator", "", ""),
         ("Health and wellbeing coach", "", ""), ("Paramedic", "HCPC", "PA{:06d}"),
         ("First contact physiotherapist", "HCPC", "PH{:06d}"), ("Pharmacy technician", "GPhC", "5{:06d}"))


def write_hr_export(path: Path, rows: int, practices: list[tuple[str, str]], today, seed: int = 8,
                    first: int = 0) -> None:
    """A CSV as an HR system writes it: its own column names, dates in two styles, some people at two sites.
    People are numbered from `first`, so a second export brings new people."""
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["Employee number", "Surname", "Forename", "E-mail address", "Job title", "Employing organisation",
                      "Base site", "Date started", "Contracted hours", "Regulator", "Registration number", "Status"])
        for i in range(first, first + rows):
            title, regulator, number = rng.choice(ROLES)
            employer, practice = rng.choice(practices)
            started = today - timedelta(days=rng.randrange(60, 2500))
            sites = practice if rng.random() < 0.8 else f"{practice}; {rng.choice(practices)[0]}"
            out.writerow([f"E{i:06d}", f"Surname{i}", f"Forename{i}", f"forename{i}.surname{i}@nhs.net", title, employer,
                          sites, started.strftime("%d/%m/%Y") if i % 2 else started.isoformat(),
                          rng.choice(["37.5", "30", "22.5"]), regulator, number.format(100000 + i) if number else "",
                          "Active"])


def add_imported_staff(database: Path, rows: int) -> int:
    """Import `rows` people into the PCN in `database`; returns how many were created."""
    from arrs_desk.services.actor import SYSTEM
    from arrs_desk.services.staff_import import ImportOptions
    from arrs_desk.services.workspace import Workspace

    workspace = Workspace.open(database)
    try:
        practices = [(o.ods_code, o.name) for o in workspace.organisations.list(SYSTEM) if o.kind == "practice"]
        source = database.with_suffix(".csv")
        write_hr_export(source, rows, practices, workspace.today())
        table = workspace.staff_import.read(path=source)
        result = workspace.staff_import.import_rows(SYSTEM, table=table, options=ImportOptions(mapping=table.guess_mapping()))
        return result.created
    finally:
        workspace.close()
