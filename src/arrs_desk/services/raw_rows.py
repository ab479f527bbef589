"""Reading thousands of rows quickly: values as the database driver hands them over, and each
stored day made a date once.

The overview pages read tens of thousands of rows for everyone in a PCN (issue 18). SQLAlchemy's
Date type converts every value in Python, and the ORM's result handling adds a step per row:
SQLite's ISO text read untyped and parsed by `date.fromisoformat`, once per distinct day, is a
fraction of that. PostgreSQL's driver hands over dates already, which pass through unchanged.
"""

from __future__ import annotations

from sqlalchemy import String, type_coerce
from sqlmodel import Session

from arrs_desk.domain.dates import stored_date


def as_stored(column):
    """`column` as the driver gives it, with no conversion per row (a date as SQLite's text)."""
    return type_coerce(column, String)


class Days(dict):
    """stored value -> date: each day made once, as thousands of rows share a few hundred days."""

    def __missing__(self, value):
        found = self[value] = stored_date(value)
        return found


def plain_rows(session: Session, stmt) -> list:
    """The statement's rows as plain tuples, without the ORM's bookkeeping, fetched at once (a
    Core result iterated fetches them one at a time)."""
    return session.connection().execute(stmt).all()
