"""Revision 0011: staff gain a title and an employee number, existing data is carried over, and a
title typed at the front of a preferred name ("Dr Patel") moves into the new field, in the audit
trail, only where that is sure."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from arrs_desk.services.actor import SYSTEM
from arrs_desk.services.workspace import Workspace
from arrs_desk.store import migrate
from arrs_desk.store.database import Database, to_url
from arrs_desk.store.models import AuditEntry

PEOPLE = [  # (id, given, family, preferred)
    (1, "Priya", "Patel", "Dr Patel"),
    (2, "Joanne", "Smith", "Mrs Jo"),
    (3, "Ann", "Lee", "Dr"),  # nothing after the title: left alone
    (4, "Drew", "Barrymore", "Drew"),
    (5, "Sam", "Ode", ""),
    (6, "Kit", "Marlow", "Revd Kit"),  # not a title this upgrade is sure of
]


@pytest.mark.sqlite_only("the revision is checked on a file saved at revision 0009")
def test_staff_saved_before_0011_keep_their_data_and_sure_titles_move(tmp_path):
    path = tmp_path / "old.sqlite3"
    db = Database(to_url(path))
    migrate.upgrade(db, "0009")
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO organisation (id, created_at, updated_at, version, kind, name, ods_code, active)"
                          " VALUES (1, '2025-01-01', '2025-01-01', 1, 'practice', 'Old Town Surgery', 'Y80001', 1)"))
        conn.execute(text("INSERT INTO role (code, created_at, updated_at, version, title, clinical, arrs, registers,"
                          " registration_required, typical_band, requirements, builtin, catalogue_version, active)"
                          " VALUES ('CCO', '2025-01-01', '2025-01-01', 1, 'Care coordinator', 0, 1, '[]', 0, '4', '',"
                          " 1, 1, 1)"))
        for sid, given, family, preferred in PEOPLE:
            conn.execute(text(
                "INSERT INTO staff (id, created_at, updated_at, version, given_name, family_name, preferred_name,"
                " role_code, employer_id, employment_model, start_date, leaving_reason, afc_band, register_code,"
                " registration_number, email, status) VALUES (:id, '2025-01-01', '2025-01-01', 1, :given, :family,"
                " :preferred, 'CCO', 1, 'pcn', '2025-02-03', '', '4', '', '', '', 'active')"),
                {"id": sid, "given": given, "family": family, "preferred": preferred})
    db.engine.dispose()

    ws = Workspace.open(path)
    records = {sid: ws.staff.get(SYSTEM, staff_id=sid) for sid, *_ in PEOPLE}
    assert {sid: (r.data.title, r.data.preferred_name) for sid, r in records.items()} == {
        1: ("Dr", ""), 2: ("Mrs", "Jo"), 3: ("", "Dr"), 4: ("", "Drew"), 5: ("", ""), 6: ("", "Revd Kit")}
    assert records[1].display_name == "Priya Patel" and records[1].formal_name == "Dr Priya Patel"
    assert all(r.data.employee_number == "" for r in records.values())
    with ws.db.read() as session:
        entries = session.execute(select(AuditEntry).where(AuditEntry.actor_name == "ARRS Desk (database upgrade)")
                                  .order_by(AuditEntry.id)).scalars().all()
    assert [(e.subject_staff_id, e.changes) for e in entries] == [
        (1, {"title": ["", "Dr"], "preferred_name": ["Dr Patel", ""]}),
        (2, {"title": ["", "Mrs"], "preferred_name": ["Mrs Jo", "Jo"]}),
    ]
    # The employee number is unique per employer once given; many people may have none.
    with pytest.raises(IntegrityError):
        with ws.db.write() as session:
            session.execute(text("UPDATE staff SET employee_number = 'E1' WHERE id IN (1, 2)"))
    ws.close()
