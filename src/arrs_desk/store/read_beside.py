"""A slow read of a page started on a second SQLite connection while the page goes on (issue 18).

Some of a page's reads are nearly all the database's work: everyone's training statuses are one
aggregation over every completion (60 ms at 5,000 staff, 120 at 10,000), handed back as one row
of text. SQLite lets go of Python's lock while it works, so such a read started on a
second thread, on a connection of its own, runs on the machine's second core while the page's
thread works out its other figures in Python; when the page comes to the read, its rows are
waiting (`rows`), or nearly. Only the work inside SQLite overlaps: each row fetched takes Python's
lock back, waiting up to Python's switch interval (5 ms) while the page's thread runs, so a read
of many rows gains little and is not one to start here (the statuses as a row a person gained a
third of what they gain as one row).

The rows must be the ones the page's own snapshot would give. The second connection reads the
head of the audit chain in its transaction, which every audited save from any PC moves (as
`Database.change_mark` relies on), and then how many writes through this `Database` have ended
and whether one is under way. The rows are used only when the head is the page's and no write
through this object ended since the page began or was under way when the second snapshot was
taken: then no save lies between the two snapshots. Otherwise, or if the second read failed, the
page runs the statement itself, as it would have without this.

A PostgreSQL server needs none of it: a page's statements are sent to it together
(`store.read_ahead`), and `start` does nothing there.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Hashable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

THREADS = 2
"""A page's read and Home's figures read ahead after signing in may each have a read beside them."""

_WAITING = "arrs_read_beside"
"""Where a page session's reads started beside it are found (`Session.info`)."""

_HEAD = text("SELECT seq, entry_hash FROM audit_chain_head WHERE id = 1")

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class _Found:
    head: tuple | None
    writing: int
    writes: int
    rows: list


@dataclass(frozen=True, slots=True)
class _Started:
    statement: Any  # held, so that its id is no other's while the page's read lasts
    future: Future
    head: tuple | None  # the page's: the audit chain's head in its snapshot
    writes: int  # writes through the `Database` that had ended when the page's read began


def start(session: Session, engine: Engine, statement, params: Mapping[str, Any] | None, *,
          head: tuple | None, writes: int, counts: Callable[[], tuple[int, int]]) -> None:
    """Run `statement` on a connection of `engine`'s own, on another thread, for the page read
    whose session is `session` (`head` and `writes` as that read saw them; `counts()` gives
    (writes under way, writes ended) through its `Database` now). `rows` hands over the result."""
    key = _key(statement, params)
    waiting = session.info.setdefault(_WAITING, {})
    if key is None or key in waiting:
        return
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(THREADS, thread_name_prefix="arrs-read-beside")
    waiting[key] = _Started(statement, _pool.submit(_read, engine, statement, params, counts), head, writes)


def rows(session: Session, statement, params: Mapping[str, Any] | None = None) -> Sequence:
    """`statement`'s rows in `session`: those read beside it if it was started there (`start`) and
    they are from the same snapshot, else read now."""
    started = session.info.get(_WAITING, {}).pop(_key(statement, params), None)
    if started is not None and started.statement is statement:
        try:
            found = started.future.result()
        except Exception as exc:  # noqa: BLE001 - read here instead, where a failure is the page's
            log.warning("A read beside a page failed (%s); the page reads it itself", type(exc).__name__)
        else:
            if found.head == started.head and found.writing == 0 and found.writes == started.writes:
                return found.rows
    return session.connection().execute(statement, dict(params or {})).all()


def finish(session: Session) -> None:
    """The page's read is over: reads started beside it and never asked for are not waited for
    if they have not begun, and are let finish if they have (so that a read's statements all
    run within it, as whatever counts them expects)."""
    for started in session.info.pop(_WAITING, {}).values():
        if not started.future.cancel():
            started.future.exception()


def _read(engine: Engine, statement, params: Mapping[str, Any] | None,
          counts: Callable[[], tuple[int, int]]) -> _Found:
    with engine.connect() as connection:
        head = connection.execute(_HEAD).first()  # this read's snapshot begins here
        # Under way first, then ended: `Database.write` counts a write as ended before it stops
        # counting it as under way, so one that committed before this snapshot began is seen as
        # one or the other, however the two counts are read between its steps.
        writing, writes = counts()
        found = connection.execute(statement, dict(params or {})).all()
        connection.rollback()
    return _Found(None if head is None else tuple(head), writing, writes, found)


def _key(statement, params: Mapping[str, Any] | None) -> Hashable | None:
    """The statement (the same object each time: a cached one) and its values; None for values
    that cannot be compared."""
    values = tuple(sorted((name, tuple(v) if isinstance(v, list) else v) for name, v in (params or {}).items()))
    key = (id(statement), values)
    try:
        hash(key)
    except TypeError:
        return None
    return key
