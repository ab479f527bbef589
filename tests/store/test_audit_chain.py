"""The audit trail's hash chain: `arrs-desk verify` names the first entry where someone changed
the trail behind the app's back, and the app puts back the guard triggers they dropped.

Each tampering is done the way an insider with the database would: plain SQL on the tables,
outside the app, after dropping a trigger where the database refuses the change.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from arrs_desk import cli
from arrs_desk.errors import PermissionDenied
from arrs_desk.services import audit
from arrs_desk.services.actor import SYSTEM, Actor
from arrs_desk.services.workspace import Workspace
from arrs_desk.store import audit_chain, audit_guard
from arrs_desk.store.models import AuditEntry

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _write(workspace: Workspace, n: int = 3) -> None:
    for i in range(n):
        with workspace.db.write() as session:
            audit.record(session, SYSTEM, "update", "staff", i, f"Changed something {i}", {"note": [None, i]})


def _raw(workspace: Workspace, *statements: str) -> None:
    """SQL outside the app, committed."""
    with workspace.db.engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))


def _ids(workspace: Workspace) -> list[int]:
    with workspace.db.read() as session:
        return list(session.execute(select(AuditEntry.id).where(AuditEntry.chain_seq.is_not(None))
                                    .order_by(AuditEntry.chain_seq)).scalars())


def _verify_cli(workspace: Workspace, capsys) -> tuple[int, str]:
    capsys.readouterr()
    code = cli.main(["--database", workspace.db.url if workspace.db.path is None else str(workspace.db.path), "verify"])
    return code, capsys.readouterr().out.strip()


def test_every_entry_the_app_writes_is_linked_and_verify_passes(workspace, capsys):
    _write(workspace)
    with workspace.db.write() as session:  # one by one, then a batch, then one more, in one transaction
        audit.record(session, SYSTEM, "update", "staff", "a", "first")
        audit.record_many(session, [audit.entry_values(SYSTEM, "create", "staff", n, f"batch {n}") for n in range(3)], by=SYSTEM)
        audit.record(session, SYSTEM, "update", "staff", "b", "last")
    with workspace.db.read() as session:
        rows = session.execute(select(AuditEntry).order_by(AuditEntry.chain_seq)).scalars().all()
        head = session.execute(text("SELECT seq, entry_hash FROM audit_chain_head")).one()
    assert [r.summary for r in rows[-5:]] == ["first", "batch 0", "batch 1", "batch 2", "last"]
    assert [r.chain_seq for r in rows] == list(range(1, len(rows) + 1))
    assert all(r.prev_hash == before.entry_hash for before, r in zip(rows, rows[1:]))
    assert tuple(head) == (rows[-1].chain_seq, rows[-1].entry_hash)
    check = workspace.audit_verify.verify(SYSTEM)
    assert check.ok and check.checked == len(rows), check.message
    assert _verify_cli(workspace, capsys) == (0, f"The audit trail is intact: all {len(rows)} entries checked, "
                                                 "every link holds.")


def test_a_forged_insert_is_named(workspace, capsys):
    _write(workspace)
    _raw(workspace, "INSERT INTO audit_entry (at, actor_name, action, entity_type, entity_id, summary, changes) "
                    "VALUES ('2026-11-20 10:00:00', 'Helen', 'sign_off', 'review', '7', 'Signed', '{}')")
    with workspace.db.read() as session:
        forged = session.execute(select(func.max(AuditEntry.id))).scalar_one()
    code, out = _verify_cli(workspace, capsys)
    assert code == 1
    assert out == f"The audit trail breaks at entry {forged}: it is not part of the chain: it was added behind the app's back."
    assert not workspace.audit_verify.quick_check(SYSTEM).ok


def test_a_forged_insert_with_a_recomputed_link_is_named_too(workspace):
    _write(workspace)
    with workspace.db.read() as session:
        seq, last = session.execute(text("SELECT seq, entry_hash FROM audit_chain_head")).one()
    values = audit.entry_values(SYSTEM, "sign_off", "review", 7, "Signed")
    values.update(chain_seq=seq + 1, prev_hash=last)
    values["entry_hash"] = audit_chain.entry_hash(values, seq + 1, last)
    with workspace.db.engine.begin() as conn:
        forged = conn.execute(AuditEntry.__table__.insert().values(**values)).inserted_primary_key[0]
    check = workspace.audit_verify.verify(SYSTEM)
    assert (check.ok, check.broken_entry_id, check.broken_position) == (False, forged, seq + 1)
    assert "added behind the app's back" in check.message


def _drop_guards(workspace: Workspace) -> None:
    if workspace.db.is_sqlite:
        _raw(workspace, "DROP TRIGGER audit_entry_no_update", "DROP TRIGGER audit_entry_no_delete")
    else:
        _raw(workspace, "DROP TRIGGER audit_entry_append_only ON audit_entry")


def test_an_update_after_dropping_the_trigger_is_named(workspace, capsys):
    _write(workspace, 4)
    target, after = _ids(workspace)[-3:-1]
    with pytest.raises(Exception, match="cannot be changed"):
        _raw(workspace, f"UPDATE audit_entry SET summary = 'Nothing happened' WHERE id = {target}")
    _drop_guards(workspace)
    _raw(workspace, f"UPDATE audit_entry SET summary = 'Nothing happened' WHERE id = {target}",
         f"UPDATE audit_entry SET actor_name = 'Someone else' WHERE id = {after}")
    code, out = _verify_cli(workspace, capsys)
    position = _ids(workspace).index(target) + 1
    assert (code, out) == (1, f"The audit trail breaks at entry {target} (position {position} in the chain): "
                              "its content was changed after it was written.")


def test_a_delete_after_dropping_the_trigger_names_the_missing_place(workspace, capsys):
    _write(workspace, 4)
    ids = _ids(workspace)
    _drop_guards(workspace)
    _raw(workspace, f"DELETE FROM audit_entry WHERE id = {ids[-2]}")
    code, out = _verify_cli(workspace, capsys)
    assert code == 1
    assert out.startswith(f"The audit trail breaks at an entry (position {len(ids) - 1} in the chain): this entry is "
                          f"missing (the chain jumps to entry {ids[-1]}")


def test_opening_puts_back_dropped_triggers_and_audits_it(workspace):
    _drop_guards(workspace)
    with workspace.db.read() as session:
        assert audit_guard.missing_guards(session.connection())
    again = Workspace.open(workspace.db.url if workspace.db.path is None else workspace.db.path)
    try:
        with again.db.read() as session:
            assert audit_guard.missing_guards(session.connection()) == []
            repair = session.execute(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).scalar_one()
        assert repair.action == "repair" and repair.actor_name == "ARRS Desk (on opening)"
        assert repair.changes["recreated_triggers"]
        assert again.audit_verify.verify(SYSTEM).ok
        with pytest.raises(Exception, match="cannot be changed"):
            _raw(again, f"UPDATE audit_entry SET summary = 'x' WHERE id = {repair.id}")
    finally:
        again.close()


def test_the_chain_head_cannot_be_removed_or_moved_back(workspace):
    _write(workspace, 1)
    with pytest.raises(Exception, match="cannot be removed or moved back"):
        _raw(workspace, "DELETE FROM audit_chain_head")
    with pytest.raises(Exception, match="cannot be removed or moved back"):
        _raw(workspace, "UPDATE audit_chain_head SET seq = 1")


@pytest.mark.postgres_only("TRUNCATE and its trigger are PostgreSQL's")
def test_truncate_is_refused_and_verify_names_the_first_missing_entry_when_forced(workspace, capsys):
    _write(workspace)
    with pytest.raises(Exception, match="cannot be changed"):
        _raw(workspace, "TRUNCATE audit_entry")
    with pytest.raises(Exception, match="cannot be removed"):
        _raw(workspace, "TRUNCATE audit_chain_head")
    _raw(workspace, "DROP TRIGGER audit_entry_no_truncate ON audit_entry", "TRUNCATE audit_entry")
    code, out = _verify_cli(workspace, capsys)  # opening puts the trigger back first, and audits that
    assert (code, out) == (1, "The audit trail breaks at an entry (position 1 in the chain): the chain's first "
                              "entry is missing: entries have been removed, or the trail emptied.")
    assert not workspace.audit_verify.quick_check(SYSTEM).ok


def test_the_quick_check_sees_a_recent_change_and_a_missing_trigger(workspace):
    _write(workspace, 3)
    assert workspace.audit_verify.quick_check(SYSTEM).ok
    _drop_guards(workspace)
    _raw(workspace, f"UPDATE audit_entry SET summary = 'x' WHERE id = {_ids(workspace)[-1]}")
    assert not workspace.audit_verify.quick_check(SYSTEM).ok


def test_only_administrators_may_verify(workspace):
    clerk = Actor(None, "clerk", "A Clerk", frozenset({"line_manager"}))
    with pytest.raises(PermissionDenied):
        workspace.audit_verify.verify(clerk)


@pytest.mark.sqlite_only("the saved databases are SQLite files")
def test_an_older_database_starts_its_chain_over_the_entries_it_had(tmp_path, capsys):
    path = tmp_path / "old.sqlite3"
    shutil.copyfile(FIXTURES / "schema-0011.sqlite3", path)
    ws = Workspace.open(path)
    try:
        with ws.db.read() as session:
            start = session.execute(select(AuditEntry).where(AuditEntry.chain_seq == 1)).scalar_one()
            before = session.execute(select(func.count()).where(AuditEntry.chain_seq.is_(None))).scalar_one()
        assert start.action == "chain_start" and start.changes["entries_before"] == before > 0
        assert ws.audit_verify.verify(SYSTEM).ok
        _raw(ws, "DROP TRIGGER audit_entry_no_update", "UPDATE audit_entry SET summary = 'x' WHERE id = 1")
        check = ws.audit_verify.verify(SYSTEM)
        assert not check.ok and "before the chain began" in check.message
    finally:
        ws.close()


def test_two_writers_at_once_keep_one_line(workspace):
    """Two PCs saving at the same moment queue at the chain head: no fork, no gap."""
    import threading

    errors: list[BaseException] = []

    def writer(name: str) -> None:
        try:
            for i in range(15):
                with workspace.db.write() as session:
                    audit.record(session, SYSTEM, "update", "staff", i, f"{name} {i}")
        except BaseException as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(name,)) for name in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    check = workspace.audit_verify.verify(SYSTEM)
    assert check.ok, check.message
    with workspace.db.read() as session:
        summaries = session.execute(select(AuditEntry.summary).where(AuditEntry.action == "update")).scalars().all()
    assert len(summaries) == 30
