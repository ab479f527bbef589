"""A transaction that links audit entries at many flushes reads the chain's head once and keeps it
(`audit_chain._HELD`): one statement, and across sites one round trip, fewer per flush. The chain
stays whole through savepoints rolled back, transactions rolled back, batches and re-sealing."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select

from arrs_desk.services import audit
from arrs_desk.services.actor import SYSTEM
from arrs_desk.store import audit_chain
from arrs_desk.store.models import AuditEntry


def _entry(session, summary: str) -> None:
    audit.record(session, SYSTEM, "test", "thing", summary, summary)
    session.flush()


def _chain(workspace) -> tuple[bool, list[str]]:
    with workspace.db.snapshot() as session:  # as the Verify check reads it
        report = audit_chain.verify(session)
        tests = [e.summary for e in session.execute(select(AuditEntry).where(AuditEntry.action == "test")
                                                    .order_by(AuditEntry.chain_seq)).scalars()]
    return report.ok, tests


def test_many_flushes_in_one_transaction_read_the_head_once(workspace):
    head_reads = []
    listener = lambda _c, _cur, statement, *_rest: head_reads.append(statement) \
        if statement.lstrip().startswith("SELECT") and "FROM audit_chain_head" in statement else None  # noqa: E731
    event.listen(workspace.db.engine, "before_cursor_execute", listener)
    try:
        with workspace.db.write() as session:
            for n in range(5):
                _entry(session, f"flush {n}")
            audit.record_many(session, [audit.entry_values(SYSTEM, "test", "thing", "b", "batch")], by=SYSTEM)
    finally:
        event.remove(workspace.db.engine, "before_cursor_execute", listener)
    assert len(head_reads) == 1
    assert _chain(workspace) == (True, ["flush 0", "flush 1", "flush 2", "flush 3", "flush 4", "batch"])


def test_a_savepoint_rolled_back_takes_its_entries_and_leaves_the_chain_whole(workspace):
    with workspace.db.write() as session:
        _entry(session, "before")
        nested = session.begin_nested()
        _entry(session, "undone")
        nested.rollback()
        _entry(session, "after")
    assert _chain(workspace) == (True, ["before", "after"])


def test_a_transaction_rolled_back_leaves_nothing_held_for_the_next(workspace):
    with pytest.raises(RuntimeError), workspace.db.write() as session:
        _entry(session, "lost")
        raise RuntimeError("the save failed")
    with workspace.db.write() as session:
        _entry(session, "kept")
    assert _chain(workspace) == (True, ["kept"])
