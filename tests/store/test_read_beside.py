"""A slow read started beside a page on a connection of its own (issue 18; `store.read_beside`):
the page is handed its rows only when they are what its own snapshot holds. A save that lands
between the page's snapshot and the second one, audited or not, or one under way when the second
began, leaves the page to read the statement itself; so does a failure on the second thread.
A PostgreSQL server starts nothing (its statements are sent together instead)."""

from __future__ import annotations

import logging
import threading

import pytest
from sqlalchemy import event, func, select

from arrs_desk.services import audit
from arrs_desk.services.actor import SYSTEM
from arrs_desk.store import read_beside
from arrs_desk.store.models import AuditEntry, Setting

ENTRIES = select(func.count()).select_from(AuditEntry)
SETTINGS = select(func.count()).select_from(Setting)


def _where_run(engine, fragment: str) -> list[str]:
    """The names of the threads each statement containing `fragment` ran on."""
    threads: list[str] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _seen(_conn, _cursor, statement, _parameters, _context, _many):
        if fragment in statement:
            threads.append(threading.current_thread().name)

    return threads


def _in_another_thread(work) -> None:
    """A save made elsewhere while the page's read is open (another window's operation)."""
    failure: list[BaseException] = []

    def run():
        try:
            work()
        except BaseException as exc:  # noqa: BLE001 - raised again below, in the test's thread
            failure.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]


def _audited_save(ws) -> None:
    with ws.db.write() as session:
        audit.record(session, SYSTEM, "record", "training", 1, "a change", subject_staff_id=5)


def _unaudited_save(ws) -> None:
    with ws.db.write() as session:
        session.add(Setting(key="test.beside", value=1))


def _saved_on_another_pc(ws) -> None:
    """An audited save through another copy of the app: this `Database` counts no write of its own."""
    from arrs_desk.services.workspace import Workspace

    other = Workspace.open(ws.db.path)
    try:
        _audited_save(other)
    finally:
        other.close()


def _page_read(ws, statement, between=None):
    """The page's snapshot begins (its change mark), then `between` runs, then the read is started
    beside it and its rows asked for: (rows handed to the page, rows the page's own session reads)."""
    with ws.db.one_read():
        ws.db.change_mark()
        if between is not None:
            between()
        ws.db.start_beside(statement)
        with ws.db.read() as session:
            handed = list(read_beside.rows(session, statement))
            own = list(session.execute(statement).all())
    return handed, own


@pytest.mark.sqlite_only("a second connection to the same SQLite file")
def test_the_rows_read_beside_are_handed_to_the_page(workspace):
    _audited_save(workspace)
    threads = _where_run(workspace.db.engine, "FROM audit_entry")
    handed, own = _page_read(workspace, ENTRIES)
    assert handed == own and handed[0][0] >= 1
    assert threads[0].startswith("arrs-read-beside")  # read there, not again by the page for `rows`
    assert threads[1:] == [threading.current_thread().name]  # the page's own read, for the comparison


@pytest.mark.sqlite_only("a second connection to the same SQLite file")
@pytest.mark.parametrize("save", [_audited_save, _unaudited_save, _saved_on_another_pc],
                         ids=["audited", "unaudited", "on-another-pc"])
def test_a_save_after_the_page_began_leaves_the_page_its_own_snapshot(workspace, save):
    statement = SETTINGS if save is _unaudited_save else ENTRIES
    with workspace.db.read() as session:
        before = session.execute(statement).scalar_one()
    threads = _where_run(workspace.db.engine, "count(*)")
    handed, own = _page_read(workspace, statement, between=lambda: _in_another_thread(lambda: save(workspace)))
    assert handed == own == [(before,)]  # the save is after the page's snapshot: not in what it is handed
    assert sum(name == threading.current_thread().name for name in threads) == 2  # it read it itself
    with workspace.db.read() as session:
        assert session.execute(statement).scalar_one() == before + 1  # the save did land


@pytest.mark.sqlite_only("a second connection to the same SQLite file")
def test_a_save_under_way_when_the_read_beside_began_is_not_trusted(workspace, monkeypatch):
    threads = _where_run(workspace.db.engine, "FROM audit_entry")
    monkeypatch.setattr(workspace.db, "_writing", 1)  # another thread is between its commit and its count
    handed, own = _page_read(workspace, ENTRIES)
    assert handed == own
    assert sum(name == threading.current_thread().name for name in threads) == 2


@pytest.mark.sqlite_only("a second connection to the same SQLite file")
def test_a_read_beside_that_fails_is_read_by_the_page(workspace, monkeypatch, caplog):
    def broken(*_args):
        raise RuntimeError("the second connection could not read")

    monkeypatch.setattr(read_beside, "_read", broken)
    with caplog.at_level(logging.WARNING, logger="arrs_desk.store.read_beside"):
        handed, own = _page_read(workspace, ENTRIES)
    assert handed == own
    assert "RuntimeError" in caplog.text and "could not read" not in caplog.text  # its kind only


@pytest.mark.sqlite_only("a second connection to the same SQLite file")
def test_a_read_beside_never_asked_for_is_over_when_the_page_read_is(workspace):
    threads = _where_run(workspace.db.engine, "FROM setting")
    with workspace.db.one_read():
        workspace.db.change_mark()
        workspace.db.start_beside(SETTINGS)
        with workspace.db.read() as session:
            waiting = dict(session.info[read_beside._WAITING])
    assert all(started.future.done() for started in waiting.values())
    assert len(threads) <= 1  # run beside, or cancelled before it began; never by the page


def test_outside_a_page_read_or_on_a_server_nothing_is_started(workspace):
    threads = _where_run(workspace.db.engine, "FROM audit_entry")
    workspace.db.start_beside(ENTRIES)  # no page read on this thread: nothing to overlap
    with workspace.db.read() as session:
        assert read_beside._WAITING not in session.info
        rows = list(read_beside.rows(session, ENTRIES))
    assert rows and threads == [threading.current_thread().name]
    if not workspace.db.is_sqlite:
        handed, own = _page_read(workspace, ENTRIES)
        assert handed == own
        assert all(name == threading.current_thread().name for name in threads)
