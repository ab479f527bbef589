"""A page's reads sent to a PostgreSQL server together, in one round trip (issue 18, item 6).

On a shared server across sites every statement costs a network round trip, and Home's figures,
worked out afresh after a save, are some thirty statements over as many tables: at 20 ms a trip,
most of a second of waiting whatever the PCN's size. What a page reads when it works its figures
out afresh is much the same each time, so the statements its last fresh read ran (their text and
values, kept in this process's memory only) are sent together, in one PostgreSQL pipeline, as soon
as the next fresh read of that page begins, and each is answered from those results when the
page's code runs it. A statement that is not among them, or not with the same values, goes to the
server as before. The read-ahead changes when a result is fetched, never what it is: every answer
comes from the page's own transaction, read a moment earlier than the code asked for it.

Only reads are read ahead, only in a named page read (`Database.one_read(name)`), and only once a
figure of it is being worked out afresh (`SharedReads` says so): a read whose figures are all kept
sends just the one small statement that tells it so, and nothing more.

A read about one person (an appraisal pack) names them as its subject: the next one, about someone
else, is sent last time's statements with the last person's id replaced by the new one's wherever
it was a value. Most of what a pack reads is keyed by the person alone, so a batch of packs reads
each in a round trip or two; a statement whose values came from elsewhere (a review's id) simply
finds no answer waiting and goes to the server as it comes. A page's figures worked out again for
the one person a save touched (`SharedReads.by_person`) are read ahead the same way, from the
statements of the last such read, kept apart from those of a read of everyone."""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import psycopg
from sqlalchemy import event
from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)

MOST_STATEMENTS = 200
"""A page read that runs more statements than this is not one to replay: it keeps the first ones."""

MOST_PAGES = 64
"""How many pages' statements are remembered (a page is a screen of the app: far fewer)."""

SAVEPOINT = "arrs_read_ahead"


@dataclass(frozen=True, slots=True)
class _Answer:
    description: Any
    rows: list
    rowcount: int


class _AnsweredCursor:
    """A statement's results fetched ahead, handed to SQLAlchemy as if it had just run."""

    arraysize = 1

    def __init__(self, answer: _Answer):
        self.description = answer.description
        self.rowcount = answer.rowcount
        self._rows = answer.rows
        self._at = 0

    def fetchone(self):
        if self._at >= len(self._rows):
            return None
        self._at += 1
        return self._rows[self._at - 1]

    def fetchmany(self, size: int | None = None) -> list:
        size = self.arraysize if size is None else size
        rows = self._rows[self._at:self._at + size]
        self._at += len(rows)
        return rows

    def fetchall(self) -> list:
        rows = self._rows[self._at:]
        self._at = len(self._rows)
        return rows

    def close(self) -> None:
        self._rows, self._at = [], 0


@dataclass
class _PageRead:
    """One named page read on this thread: what it ran afresh, and the answers fetched ahead."""

    name: str
    subject: int | None = None  # the person a read about one person is about
    variant: str = ""  # how much it works out afresh (`afresh`): each variant keeps its own statements
    connection: Any = None  # the page session's DBAPI connection, once its figures are read afresh
    due: tuple | None = None  # last time's statements, sent at this read's next statement
    ran: list = field(default_factory=list)
    answers: dict = field(default_factory=dict)


def _is_read(statement: str) -> bool:
    return statement.lstrip()[:6].upper() == "SELECT"


def _for_subject(parameters, old: int, new: int):
    """`parameters` with every value that was the old subject's id made the new subject's."""
    def swap(value):
        return new if type(value) is int and value == old else value

    if parameters is None:
        return None
    if isinstance(parameters, dict):
        return {name: swap(value) for name, value in parameters.items()}
    return type(parameters)(swap(value) for value in parameters)


def _key(statement: str, parameters) -> Hashable | None:
    """The statement and its values as one comparable key; None for values that cannot be compared
    (such a statement is simply run as it comes)."""
    if parameters is None:
        values: Any = None
    elif isinstance(parameters, dict):
        values = tuple(sorted(parameters.items()))
    else:
        values = tuple(parameters)
    key = (statement, values)
    try:
        hash(key)
    except TypeError:
        return None
    return key


class ReadAhead:
    """The statements each page last read afresh, for one PostgreSQL engine."""

    def __init__(self, engine: Engine):
        self._recipes: dict[tuple[str, str], tuple[int | None, tuple]] = {}  # (page, variant) -> (subject, what it ran)
        self._lock = threading.Lock()
        self._unit = threading.local()
        self.answered = 0  # statements answered from a read-ahead (tests and benchmarks read these)
        self.pipelines = 0  # read-aheads sent
        event.listen(engine, "do_execute", self._do_execute)
        event.listen(engine, "do_execute_no_params", self._do_execute_no_params)

    @contextmanager
    def page(self, name: str | None, subject: int | None = None) -> Iterator[None]:
        """A named page read on this thread: what it runs afresh is remembered for its next one.
        `subject`: the person a read about one person is about (see the module's docstring)."""
        if name is None or getattr(self._unit, "read", None) is not None:
            yield
            return
        read = self._unit.read = _PageRead(name, subject)
        try:
            yield
        finally:
            self._unit.read = None
            if read.connection is not None and read.ran:
                key = (name, read.variant)
                with self._lock:
                    self._recipes.pop(key, None)  # newest last: the oldest page is forgotten first
                    self._recipes[key] = (read.subject, tuple(read.ran))
                    while len(self._recipes) > MOST_PAGES:
                        self._recipes.pop(next(iter(self._recipes)))

    def afresh(self, connection, variant: str = "", subject: int | None = None) -> None:
        """The page read on this thread is working a figure out afresh, on `connection` (its DBAPI
        connection): send what its last fresh read of the same `variant` ran with its next
        statement. `variant` says how much is worked out afresh (everyone's figures, or only one
        person's after a save about them: different statements); `subject`: that one person, whose
        id takes the place of the last one's, as for a read about one person."""
        read = getattr(self._unit, "read", None)
        if read is None or read.connection is not None:
            return
        read.connection, read.variant = connection, variant
        if subject is not None:
            read.subject = subject
        with self._lock:
            subject, due = self._recipes.get((read.name, variant), (None, ()))
        if due and subject is not None and read.subject is not None and subject != read.subject:
            moved = ((statement, _for_subject(parameters, subject, read.subject)) for _was, statement, parameters in due)
            due = tuple((key, statement, parameters) for statement, parameters in moved
                        if (key := _key(statement, parameters)) is not None)
        read.due = due

    # --- the engine's hooks ----------------------------------------------------------------------
    def _do_execute(self, cursor, statement, parameters, context) -> bool:
        return self._answer(cursor, statement, parameters, context)

    def _do_execute_no_params(self, cursor, statement, context) -> bool:
        return self._answer(cursor, statement, None, context)

    def _answer(self, cursor, statement, parameters, context) -> bool:
        read = getattr(self._unit, "read", None)
        if read is None or read.connection is None or cursor.connection is not read.connection \
                or context.executemany or not _is_read(statement):
            return False  # SQLAlchemy runs it as usual
        key = _key(statement, parameters)
        if key is None:
            return False
        if read.due:
            self._send_together(read)
        waiting = read.answers.get(key)
        if waiting:
            context.cursor = _AnsweredCursor(waiting.popleft())  # what SQLAlchemy reads the result from
            self.answered += 1
        elif parameters is None:
            cursor.execute(statement)
        else:
            cursor.execute(statement, parameters)
        if len(read.ran) < MOST_STATEMENTS:
            read.ran.append((key, statement, parameters))
        return True

    def _send_together(self, read: _PageRead) -> None:
        """Last time's statements in one pipeline. If one fails (a table changed under a newer
        version of the app), each statement is then run as it comes; inside a transaction, the
        pipeline sits behind a savepoint so that the transaction is as it was (a page's reads on a
        server run without one: `Database._read_engine`)."""
        due, read.due = read.due, None
        connection = read.connection
        guarded = not connection.autocommit
        sent = []
        try:
            with connection.pipeline():
                if guarded:
                    connection.execute(f"SAVEPOINT {SAVEPOINT}")
                for key, statement, parameters in due:
                    cursor = connection.cursor()
                    cursor.execute(statement, parameters)
                    sent.append((key, cursor))
                if guarded:
                    connection.execute(f"RELEASE SAVEPOINT {SAVEPOINT}")
            for key, cursor in sent:
                rows = cursor.fetchall() if cursor.description is not None else []
                read.answers.setdefault(key, deque()).append(_Answer(cursor.description, rows, cursor.rowcount))
        except psycopg.Error as exc:  # its kind only: a server's message may quote a value read
            log.warning("Reading %s ahead failed (%s); its statements are run one by one", read.name, type(exc).__name__)
            read.answers.clear()
            if guarded:
                connection.execute(f"ROLLBACK TO SAVEPOINT {SAVEPOINT}")
            with self._lock:
                self._recipes.pop((read.name, read.variant), None)
            return
        self.pipelines += 1


def rows_in_one_pipeline(connection, statements) -> list[list[tuple]]:  # noqa: ANN001
    """Each SELECT's rows as plain tuples, all sent in one pipeline on `connection` (a SQLAlchemy
    connection to PostgreSQL): one round trip for reads that do not depend on one another.
    For statements whose values are plain (numbers, text, dates): they reach psycopg as they are,
    without SQLAlchemy's type processing. Each is announced to `before_cursor_execute` listeners
    (with no execution context), so whatever counts statements counts these. A failure is raised as
    SQLAlchemy would raise it, with the values hidden."""
    from sqlalchemy.exc import DBAPIError

    compiled = [statement.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
                for statement in statements]
    dbapi_connection = connection.connection.dbapi_connection
    try:
        cursors = []
        with dbapi_connection.pipeline():
            for each in compiled:
                cursor = dbapi_connection.cursor()
                statement, parameters = str(each), each.params or None
                connection.dispatch.before_cursor_execute(connection, cursor, statement, parameters, None, False)
                cursor.execute(statement, parameters)
                cursors.append(cursor)
        return [[tuple(row) for row in cursor.fetchall()] for cursor in cursors]
    except psycopg.Error as exc:
        raise DBAPIError.instance(None, None, exc, psycopg.Error, hide_parameters=True,
                                  dialect=connection.dialect) from exc
