"""`Database.rows_together`: reads that do not depend on one another, sent to a PostgreSQL server
in one pipeline (the staff list's four, on every start across sites), give exactly what each gives
alone, on both backends; a failure is SQLAlchemy's error, with the values hidden."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.exc import DBAPIError

from arrs_desk.store.models import Organisation, Staff


def _alone(workspace, *statements):
    with workspace.db.read() as session:
        return [[tuple(row) for row in session.execute(statement)] for statement in statements]


def test_rows_read_together_are_the_rows_read_one_by_one(demo_workspace):
    ws = demo_workspace
    some = [row[0] for row in _alone(ws, select(Staff.id).order_by(Staff.id).limit(7))[0]]
    statements = (
        select(Organisation.id, Organisation.name).order_by(Organisation.id),
        select(Staff.id, Staff.family_name, Staff.start_date).where(Staff.id.in_(some)).order_by(Staff.id),
        select(Staff.id).where(Staff.start_date <= date(2000, 1, 1)),  # none: an empty answer keeps its place
        select(Staff.id, Staff.given_name).where(Staff.id.in_([-1])),
    )
    seen = []
    listener = lambda _conn, _cursor, statement, *_rest: seen.append(statement[:6])  # noqa: E731
    event.listen(ws.db.engine, "before_cursor_execute", listener)
    try:
        with ws.db.read() as session:
            together = ws.db.rows_together(session, *statements)
    finally:
        event.remove(ws.db.engine, "before_cursor_execute", listener)
    assert together == _alone(ws, *statements)
    assert [len(rows) for rows in together] == [len(together[0]), 7, 0, 0]
    assert all(isinstance(row[2], date) for row in together[1])
    assert seen.count("SELECT") == len(statements)  # each still counted as a statement


def test_a_failing_read_among_them_raises_sqlalchemys_error_without_its_values(workspace):
    with pytest.raises(DBAPIError) as caught, workspace.db.read() as session:
        workspace.db.rows_together(session, select(Organisation.id),
                                   select(text("no_such_column")).select_from(Organisation.__table__)
                                   .where(Organisation.name == "a secret value"))
    assert "a secret value" not in str(caught.value)
