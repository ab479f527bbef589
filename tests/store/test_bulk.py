"""Rows inserted in bulk get their ids back in the order given, on SQLite (numbered under the
write lock) and on PostgreSQL (from the INSERT itself); what was already there keeps its id, the
next single insert follows on, and SQLite gets the rows in one statement, not one each."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, select

from arrs_desk.store.bulk import insert_with_ids
from arrs_desk.store.models import ExternalPerson
from tests.support.statements import statements_sent

TABLE = ExternalPerson.__table__


def _people(names):
    return [{"name": name, "organisation": "Trust", "job_title": "Supervisor", "email": ""} for name in names]


def test_ids_come_back_in_the_order_given_and_name_the_rows_inserted(workspace):
    names = ["Zoë Ōkubo", "Аня Петрова", "محمد Álvarez", "A" * 200] + [f"Person {i}" for i in range(60)]
    with workspace.db.write() as session:
        first = session.execute(TABLE.insert().values(**_people(["Earlier"])[0]).returning(TABLE.c.id)).scalar_one()
    with workspace.db.write() as session:
        session.execute(delete(TABLE).where(TABLE.c.id == first))  # the largest id gone: numbering still follows on
        ids = insert_with_ids(session, TABLE, _people(names))
        assert insert_with_ids(session, TABLE, []) == []
    with workspace.db.write() as session:
        after = session.execute(TABLE.insert().values(**_people(["Later"])[0]).returning(TABLE.c.id)).scalar_one()
    with workspace.db.read() as session:
        stored = dict(session.execute(select(TABLE.c.id, TABLE.c.name)).all())
    assert [stored[i] for i in ids] == names
    assert len(set(ids)) == len(ids) and after > max(ids)


def test_sqlite_inserts_the_rows_in_one_statement(workspace):
    if not workspace.db.is_sqlite:
        pytest.skip("PostgreSQL batches them in the INSERT itself (SQLAlchemy's insertmanyvalues)")
    with workspace.db.write() as session:
        with statements_sent(workspace.db.engine) as seen:
            insert_with_ids(session, TABLE, _people(f"P{i}" for i in range(50)))
    assert len(seen) == 2, seen  # the largest id, then the rows
    with workspace.db.write() as session:
        with statements_sent(workspace.db.engine) as seen:
            insert_with_ids(session, TABLE, _people(["One"]))
    assert len(seen) == 1, seen  # one row: its id comes back from the INSERT


def test_a_date_typed_column_is_stored_as_a_date(workspace):
    """The rows go through the table's own types, as the ORM would write them."""
    from arrs_desk.store.models import SupervisionSession

    with workspace.db.write() as session:
        [session_id] = insert_with_ids(session, SupervisionSession.__table__, [
            {"type_code": "clinical", "held_on": date(2028, 2, 29), "format": "one-to-one"}])
    with workspace.db.read() as session:
        row = session.get(SupervisionSession, session_id)
        assert row.held_on == date(2028, 2, 29) and row.version == 1 and row.created_at is not None
