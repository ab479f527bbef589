"""A page read holds what it loaded (`store.engine._keep_what_is_loaded`): when two services it asks
each read the same row by its key, the second is answered from memory, not the database (an
appraisal pack read one staff row eleven times, each a round trip to a server across sites), and a
read session refuses a change made through it."""

import pytest
from sqlalchemy import event, select

from arrs_desk.store.models import Staff


def test_the_same_row_asked_for_twice_in_a_page_read_is_read_once(demo_workspace):
    db = demo_workspace.db
    with db.read() as session:
        staff_id = session.execute(select(Staff.id).order_by(Staff.id).limit(1)).scalar_one()
    statements = []
    event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))

    def name_of_the_person() -> str:  # as a service does: a read, then nothing of it kept
        with db.read() as session:
            return session.get(Staff, staff_id).family_name

    with db.one_read():
        first, again = name_of_the_person(), name_of_the_person()
    assert first == again
    assert sum("FROM staff" in s for s in statements) == 1
    statements.clear()
    name_of_the_person(), name_of_the_person()  # outside a page read: a session each, as before
    assert sum("FROM staff" in s for s in statements) == 2


def test_a_change_made_through_a_read_session_is_refused_and_nothing_is_saved(demo_workspace):
    """On SQLite it would be rolled back unseen; on a server, where reads run without a transaction,
    it would be kept at once: either way it is a bug, stopped where it starts."""
    db = demo_workspace.db
    with db.read() as session:
        staff_id = session.execute(select(Staff.id).order_by(Staff.id).limit(1)).scalar_one()
    with pytest.raises(RuntimeError, match="read session"), db.read() as session:
        session.get(Staff, staff_id).family_name = "Changed-Through-A-Read"
        session.flush()
    with db.read() as session:
        assert session.get(Staff, staff_id).family_name != "Changed-Through-A-Read"
