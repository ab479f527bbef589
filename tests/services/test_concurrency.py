"""Two copies of ARRS Desk on one database (two windows, two PCs on a share, or a PostgreSQL server):
both stay correct, a write that meets a lock waits briefly and then says so, and a stale edit is
refused instead of silently overwriting. Runs on SQLite and PostgreSQL alike."""

import subprocess
import sys
import textwrap
import threading
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from arrs_desk.errors import DatabaseBusy, StaleEdit
from arrs_desk.services.staff import StaffInput
from arrs_desk.services.workspace import Workspace
from arrs_desk.store import database
from arrs_desk.store.models import AuditEntry, Staff
from tests.support.pcn import build_small_pcn

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def person(workspace, system_actor):
    practice = build_small_pcn(workspace, system_actor).practice_ids[0]
    return workspace.staff.create(system_actor, data=new_person(practice, "Ada", "ada@nhs.net"))


def new_person(practice: int, given: str, email: str = "") -> StaffInput:
    return StaffInput(given_name=given, family_name="Lovelace", role_code="SPLW", employer_id=practice,
                      employment_model="practice", start_date=date(2025, 1, 6), practice_ids=[practice], email=email)


def second_copy(workspace) -> Workspace:
    """Another copy of the app on the same database, with its own connections."""
    return Workspace.open(workspace.db.url, workspace.clock)


def test_a_stale_edit_from_another_copy_is_refused_not_overwritten(workspace, system_actor, person):
    other = second_copy(workspace)
    try:
        mine = workspace.staff.get(system_actor, staff_id=person.id)
        theirs = other.staff.get(system_actor, staff_id=person.id)
        theirs.data.preferred_name = "Countess"
        saved = other.staff.update(system_actor, staff_id=person.id, data=theirs.data, expected_version=theirs.version)
        assert saved.version == mine.version + 1
        mine.data.afc_band = "6"
        with pytest.raises(StaleEdit, match="Someone else changed this staff record"):
            workspace.staff.update(system_actor, staff_id=person.id, data=mine.data, expected_version=mine.version)
        final = workspace.staff.get(system_actor, staff_id=person.id)
        assert (final.data.preferred_name, final.data.afc_band, final.version) == ("Countess", "", saved.version)
        with workspace.db.read() as session:
            updates = session.execute(select(func.count()).where(AuditEntry.action == "update")).scalar()
        assert updates == 1
    finally:
        other.close()


def test_a_stale_edit_from_another_process_is_refused(workspace, system_actor, person):
    mine = workspace.staff.get(system_actor, staff_id=person.id)
    script = textwrap.dedent(f"""
        from arrs_desk.services.actor import SYSTEM
        from arrs_desk.services.workspace import Workspace
        ws = Workspace.open({workspace.db.url!r})
        record = ws.staff.get(SYSTEM, staff_id={person.id})
        record.data.preferred_name = "From the other PC"
        print(ws.staff.update(SYSTEM, staff_id={person.id}, data=record.data, expected_version=record.version).version)
        ws.close()
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) == mine.version + 1
    mine.data.preferred_name = "From this PC"
    with pytest.raises(StaleEdit):
        workspace.staff.update(system_actor, staff_id=person.id, data=mine.data, expected_version=mine.version)
    assert workspace.staff.get(system_actor, staff_id=person.id).data.preferred_name == "From the other PC"


def test_a_write_that_meets_a_lock_waits_briefly_then_says_what_happened(workspace, system_actor, person, monkeypatch):
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 300)
    other = second_copy(workspace)  # opened with the short wait
    try:
        record = other.staff.get(system_actor, staff_id=person.id)
        record.data.preferred_name = "Waiting"
        with workspace.db.write() as holder:  # this copy is half-way through saving the same record
            holder.execute(update(Staff).where(Staff.id == person.id).values(afc_band="7", version=Staff.version + 1))
            with pytest.raises(DatabaseBusy) as caught:
                other.staff.update(system_actor, staff_id=person.id, data=record.data, expected_version=record.version)
        assert "Another copy of ARRS Desk is saving" in caught.value.message
        assert "0.3 seconds" in caught.value.message and "Nothing was saved" in caught.value.message
        assert workspace.staff.get(system_actor, staff_id=person.id).data.preferred_name == ""
        # The save it waited for has finished: trying the same edit again is now a stale edit,
        # and reopening the record shows the other change and lets this one through.
        with pytest.raises(StaleEdit):
            other.staff.update(system_actor, staff_id=person.id, data=record.data, expected_version=record.version)
        record = other.staff.get(system_actor, staff_id=person.id)
        record.data.preferred_name = "Waiting"
        saved = other.staff.update(system_actor, staff_id=person.id, data=record.data, expected_version=record.version)
        assert (saved.data.preferred_name, saved.data.afc_band) == ("Waiting", "7")
    finally:
        other.close()


def test_two_copies_saving_at_once_both_keep_every_record(workspace, system_actor, person):
    practice = person.data.employer_id
    copies = [second_copy(workspace), second_copy(workspace)]
    errors: list[BaseException] = []

    def add_people(ws, prefix):
        try:
            for i in range(15):
                ws.staff.create(system_actor, data=new_person(practice, f"{prefix}{i}", f"{prefix.lower()}{i}@nhs.net"))
        except BaseException as exc:  # noqa: BLE001  (reported by the main thread)
            errors.append(exc)

    threads = [threading.Thread(target=add_people, args=(ws, p)) for ws, p in zip(copies, ("Left", "Right"))]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        for ws in copies:
            ws.close()
    assert errors == []
    names = {r.display_name.split()[0] for r in workspace.staff.list_rows(system_actor)}
    assert names == {"Ada"} | {f"{p}{i}" for p in ("Left", "Right") for i in range(15)}
