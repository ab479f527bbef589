"""`Database.changes_between`: what was saved between two change marks, as the audit trail tells
it, or None when it cannot tell (issue 18: figures after a save are worked out again only for the
people a save touched, so a save the trail does not describe must mean everyone)."""

from __future__ import annotations

import pytest

from arrs_desk.services import audit
from arrs_desk.services.actor import SYSTEM
from arrs_desk.store.models import Setting


def _audited(ws, entity_type="training", action="record", subject=5):
    with ws.db.write() as session:
        audit.record(session, SYSTEM, action, entity_type, 1, "a change", subject_staff_id=subject)


def test_nothing_saved_is_nothing(workspace):
    mark = workspace.db.change_mark()
    assert workspace.db.changes_between(mark, workspace.db.change_mark()) == ()


def test_audited_saves_are_listed_oldest_first(workspace):
    before = workspace.db.change_mark()
    _audited(workspace, "training", "record", 5)
    _audited(workspace, "induction_item", "tick", 7)
    assert workspace.db.changes_between(before, workspace.db.change_mark()) == (
        ("training", "record", 5), ("induction_item", "tick", 7))


def test_a_batch_of_entries_in_one_statement_counts_as_audited(workspace):
    before = workspace.db.change_mark()
    with workspace.db.write() as session:
        audit.record_many(session, [audit.entry_values(SYSTEM, "record", "training", i, "x", None, i) for i in (3, 4)], by=SYSTEM)
    assert workspace.db.changes_between(before, workspace.db.change_mark()) == (
        ("training", "record", 3), ("training", "record", 4))


def test_a_write_that_left_no_audit_entry_cannot_be_told(workspace):
    before = workspace.db.change_mark()
    with workspace.db.write() as session:
        session.add(Setting(key="test.unaudited", value=1))
    assert workspace.db.changes_between(before, workspace.db.change_mark()) is None
    later = workspace.db.change_mark()
    _audited(workspace)
    assert workspace.db.changes_between(later, workspace.db.change_mark()) == (("training", "record", 5),)


def test_a_write_that_failed_changed_nothing(workspace):
    before = workspace.db.change_mark()
    with pytest.raises(ValueError), workspace.db.write() as session:
        session.add(Setting(key="test.failed", value=1))
        raise ValueError("refused")
    assert workspace.db.changes_between(before, workspace.db.change_mark()) == ()


def test_a_chain_that_is_not_the_one_the_old_mark_was_read_from_cannot_be_told(workspace):
    _audited(workspace)
    writes, (_, (seq, _hash)) = workspace.db.change_mark()
    _audited(workspace)
    forged = (writes, ("head", (seq, "0" * 64)))  # the same position, another entry (a restored copy)
    assert workspace.db.changes_between(forged, workspace.db.change_mark()) is None
    ahead = (writes, ("head", (seq + 50, "0" * 64)))  # the chain moved back since
    assert workspace.db.changes_between(ahead, workspace.db.change_mark()) is None
