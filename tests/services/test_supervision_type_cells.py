"""One supervision type's cells, worked out alone, equal the matrix's (issue 18).

The Assurance page checks clinical supervision only: when the matrix is not kept it reads that
type's arrangements and sessions alone (`SupervisionReading.type_cells`), a quarter of the
matrix's time at 5,000 staff. Each type's cell must be exactly the one the whole matrix has, for
every type (the line-management one stands in the recorded line manager), for people the actor
sees whole or in part, and the Assurance matrix must not depend on which way it was read.
"""

from __future__ import annotations

import pytest
from arrs_desk.services.shared_reads import shared_reads

USERS = ["helen.whitfield", "practice.manager", "gp.supervisor", "zoe.okubo"]


@pytest.mark.parametrize("username", USERS)
def test_each_types_cells_alone_equal_the_matrixs(demo_workspace, demo_people, username):
    actor = demo_people[username]
    kept = shared_reads(demo_workspace.db)
    kept.clear()
    matrix = demo_workspace.supervision.matrix(actor)
    assert matrix.rows
    for column, kind in enumerate(matrix.types):
        from_matrix = {row.staff_id: row.cells[column] for row in matrix.rows}
        assert demo_workspace.supervision.type_cells(actor, type_code=kind.code) == from_matrix  # taken from the kept matrix
        kept.clear()
        assert not kept.has_rows(("supervision.matrix", actor, demo_workspace.today()))
        assert demo_workspace.supervision.type_cells(actor, type_code=kind.code) == from_matrix, kind.code  # worked out alone
        some = frozenset(list(from_matrix)[::3])
        assert demo_workspace.supervision.type_cells(actor, type_code=kind.code, only=some) == {
            i: cell for i, cell in from_matrix.items() if i in some}
        demo_workspace.supervision.matrix(actor)  # kept again for the next type
    assert demo_workspace.supervision.type_cells(actor, type_code="no-such-type") == {}


@pytest.mark.parametrize("username", USERS[:2])
def test_the_assurance_matrix_is_the_same_read_alone_or_after_home(demo_workspace, demo_people, username):
    actor = demo_people[username]
    kept = shared_reads(demo_workspace.db)
    kept.clear()
    alone = demo_workspace.assurance.matrix(actor)  # clinical supervision worked out alone
    kept.clear()
    demo_workspace.supervision.matrix(actor)
    after = demo_workspace.assurance.matrix(actor)  # from the kept matrix, as on Home
    assert alone == after and alone.rows
    assert any(r.results for r in alone.rows)
