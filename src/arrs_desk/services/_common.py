"""Small helpers every service shares: permission checks, text cleaning, optimistic updates."""

from __future__ import annotations

import re
import unicodedata
from typing import Any, TypeVar

from sqlalchemy import update
from sqlmodel import Session, SQLModel

from arrs_desk.domain.text import BIDI_CONTROLS
from arrs_desk.domain.permissions import ANYONE, Action, Relationship, denial
from arrs_desk.errors import NotFound, PermissionDenied, StaleEdit
from arrs_desk.services.actor import Actor
from arrs_desk.store.models import utcnow

T = TypeVar("T", bound=SQLModel)
_SPACES = re.compile(r" {2,}")


def require(actor: Actor, action: Action, relationship: Relationship = ANYONE) -> None:
    reason = denial(actor.roles, action, relationship)
    if reason:
        raise PermissionDenied(reason)


def clean_text(value: str | None, *, multiline: bool = False) -> str:
    """Trim, normalise to NFC and drop control characters that have no business in a record.

    Single-line fields (names, titles, identifiers) lose bidi controls, and a tab pasted from a
    spreadsheet becomes a space rather than vanishing and running two words together. Free text
    keeps its tabs and any bidi controls as typed; the window and PDFs show it isolated.
    """
    if value is None:
        return ""
    if value.isascii() and value.isprintable():  # most names and codes: nothing to normalise or drop
        return (_SPACES.sub(" ", value) if "  " in value and not multiline else value).strip()
    value = unicodedata.normalize("NFC", value)
    if multiline:
        value = "".join(ch for ch in value if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    else:
        value = value.replace("\t", " ")
        value = "".join(ch for ch in value if unicodedata.category(ch) != "Cc" and ch not in BIDI_CONTROLS)
        value = re.sub(r" {2,}", " ", value)
    return value.strip()


def get_or_404(session: Session, model: type[T], key: Any, what: str) -> T:
    row = session.get(model, key)
    if row is None:
        raise NotFound(f"That {what} no longer exists; it may have been removed by someone else.")
    return row


def stale_edit(what: str) -> StaleEdit:
    """The one refusal when someone else saved the same record first (`what`: "setting", "role")."""
    return StaleEdit(
        f"Someone else changed this {what} after you opened it, so your changes were not saved. "
        "Close it, reopen it to see their changes, and make yours again."
    )


def apply_update(session: Session, row: T, values: dict[str, Any], expected_version: int, what: str) -> T:
    """Write `values` only if nobody else has saved the row since it was read at `expected_version`.

    The check and the write are one UPDATE statement, so two PCs cannot both win. The row comes
    back from the same statement (RETURNING), as the database now holds it: reading it again
    afterwards cost every save one more round trip to a server at another site.
    """
    model = type(row)
    pk_cols = model.__table__.primary_key.columns  # type: ignore[attr-defined]
    conditions = [col == getattr(row, col.name) for col in pk_cols]
    stmt = (
        update(model)
        .where(*conditions, model.version == expected_version)  # type: ignore[attr-defined]
        .values(**values, version=expected_version + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if session.get_bind().dialect.update_returning:
        updated = session.execute(stmt.returning(model), execution_options={"populate_existing": True}).scalars().first()
        if updated is None:
            raise stale_edit(what)
        return updated  # the session's own object for the row, its values replaced by those returned
    result = session.execute(stmt)  # a SQLite too old for RETURNING (before 3.35)
    if result.rowcount != 1:
        raise stale_edit(what)
    session.refresh(row)
    return row
