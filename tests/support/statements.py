"""The SQL statements a piece of work sends: what tests of round trips count (issue 18)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event


@contextmanager
def statements_sent(engine) -> Iterator[list[str]]:  # noqa: ANN001
    """The statements `engine` sends inside the block, whitespace folded, leaving out a
    transaction's own start (BEGIN, which SQLite's driver sends as a statement and a PostgreSQL
    connection does not)."""
    seen: list[str] = []

    def note(_conn, _cursor, statement, *_rest) -> None:  # noqa: ANN001
        if statement.strip().upper() not in ("BEGIN", "BEGIN IMMEDIATE"):
            seen.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)
