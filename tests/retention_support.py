"""A small PCN with a leaver whose record is past its period (left 31 December seven years before
this year, so due on 1 January this year), a colleague who left recently, and an evidence file and check-in results of the leaver's: for the
records retention tests (tests/services/test_records_retention.py, tests/ui)."""

from __future__ import annotations

from datetime import date

from arrs_desk.store.models import CheckinCompletion, CheckinTally, Staff
from tests.conftest import TODAY
from tests.support.pcn import HELEN, Member, build_small_pcn

LEAVER = "Quentin Zabrowski"
LEFT = date(TODAY.year - 7, 12, 31)
"""When the leaver left: six years on from the end of that year is 1 January this year, so their
record is due on every day of this year, and not due under a seven-year period."""
RECENT_LEFT = date(TODAY.year - 2, 3, 31)
EMAIL = "quentin.zabrowski@nhs.example"


def make_leaver_pcn(workspace, system_actor, tmp_path):
    made = build_small_pcn(workspace, system_actor, admin="Ada Administrator", members=(
        HELEN,
        Member("quentin", "Quentin", "Zabrowski", date(2015, 6, 1), role="SPLW", manager="helen", roles={"staff"}),
        Member("rita", "Rita", "Stays", date(2016, 2, 29), role="SPLW", manager="helen"),
        Member("recent", "Rhian", "Recent", date(2018, 1, 1), role="SPLW"),
    ))
    admin, leaver = made.actors["admin"], made.staff_ids["quentin"]
    checklist = workspace.induction.create_checklist(admin, staff_id=leaver)
    evidence = tmp_path / "dbs.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    workspace.induction.attach_evidence(made.actors["quentin"], item_id=checklist.items[0].id, source=evidence)
    with workspace.db.write() as session:  # left long ago; a colleague left recently
        for key, left in (("quentin", LEFT), ("recent", RECENT_LEFT)):
            person = session.get(Staff, made.staff_ids[key])
            person.end_date, person.status, person.leaving_reason = left, "left", "Moved away"
            person.email = EMAIL if key == "quentin" else ""
            session.add(person)
        session.add(CheckinCompletion(staff_id=leaver, months=3))
        session.add(CheckinTally(dimension="role", group_key="SPLW", round=f"{LEFT.year}-06", responses=5,
                                 counts={"welcome": [0, 0, 1, 2, 2]}))
    return made
