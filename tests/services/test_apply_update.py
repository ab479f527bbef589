"""`apply_update`, under every save of a record: checked against its version, written in one
statement, and the row handed back as the database now holds it (issue 18: across sites every
statement is a round trip, so the row comes back with the UPDATE, not from a second read)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from arrs_desk.errors import StaleEdit
from arrs_desk.services._common import apply_update
from arrs_desk.store.models import Organisation
from tests.support.statements import statements_sent


@pytest.fixture
def practice_id(workspace) -> int:
    with workspace.db.write() as session:
        row = Organisation(kind="practice", name="Alpha Surgery", ods_code="A12345")
        session.add(row)
        session.flush()
        return row.id


def test_the_row_comes_back_as_written_from_the_one_statement(workspace, practice_id):
    with workspace.db.write() as session:
        row = session.get(Organisation, practice_id)
        before = row.updated_at
        with statements_sent(workspace.db.engine) as seen:
            done = apply_update(session, row, {"name": "Alpha Surgery (Ōkubo wing) \u2014 منطقة"}, 1, "practice")
        assert done is row  # the session's own object, not a copy beside it
        assert (row.name, row.version) == ("Alpha Surgery (Ōkubo wing) \u2014 منطقة", 2)
        assert row.updated_at >= before
        assert len(seen) == 1 and seen[0].lstrip().upper().startswith("UPDATE"), seen
    with workspace.db.read() as session:
        stored = session.execute(select(Organisation.name, Organisation.version, Organisation.updated_at)
                                 .where(Organisation.id == practice_id)).one()
    assert (stored.name, stored.version, stored.updated_at) == (row.name, row.version, row.updated_at)


def test_a_save_from_an_older_version_is_refused_and_changes_nothing(workspace, practice_id):
    with workspace.db.write() as session:
        apply_update(session, session.get(Organisation, practice_id), {"name": "First"}, 1, "practice")
    with pytest.raises(StaleEdit, match="Someone else changed this practice"):
        with workspace.db.write() as session:
            apply_update(session, session.get(Organisation, practice_id), {"name": "Second"}, 1, "practice")
    with workspace.db.read() as session:
        assert session.get(Organisation, practice_id).name == "First"


def test_without_returning_the_row_is_read_again(workspace, practice_id, monkeypatch):
    """A SQLite older than 3.35 has no RETURNING: the row is read back as before."""
    with workspace.db.write() as session:
        monkeypatch.setattr(session.get_bind().dialect, "update_returning", False)
        row = session.get(Organisation, practice_id)
        assert apply_update(session, row, {"name": "Beta"}, 1, "practice") is row
        assert (row.name, row.version) == ("Beta", 2)
        with pytest.raises(StaleEdit):
            apply_update(session, row, {"name": "Gamma"}, 1, "practice")
