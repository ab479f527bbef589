"""Inserting many rows whose new ids the caller needs, in batched statements on every database.

PostgreSQL hands the ids back in the order the rows were given from one batched INSERT ...
RETURNING. SQLite cannot promise that order, so SQLAlchemy falls back to one statement per row
there (its documented behaviour without an "insert sentinel"): 8,000 supervision sessions were
8,000 statements. A write transaction on SQLite holds the database's write lock from its first
statement (`BEGIN IMMEDIATE`, `Database.write`), so nobody else can add rows meanwhile, and
numbering the rows after the largest id is exactly what SQLite would have done (a rowid table
without AUTOINCREMENT takes the largest id plus one). Outside such a transaction a row another
connection added meanwhile would make the INSERT fail on its primary key, never overwrite it.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Table, func, insert, select
from sqlmodel import Session


def insert_with_ids(session: Session, table: Table, rows: Sequence[dict]) -> list[int]:
    """Insert `rows` into `table` (an integer `id` primary key) inside a write transaction, and
    return their ids in the order given."""
    if not rows:
        return []
    if len(rows) == 1 or session.get_bind().dialect.name != "sqlite":  # one row: its id, from the INSERT itself
        return list(session.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows).scalars())
    session.flush()  # rows of this table the session still holds count towards the largest id
    first = (session.execute(select(func.max(table.c.id))).scalar() or 0) + 1
    ids = list(range(first, first + len(rows)))
    session.execute(insert(table), [{**row, "id": row_id} for row, row_id in zip(rows, ids)])
    return ids
