"""Each person's training states, read without the matrix's names and practices, equal the
matrix's (issue 18): the Assurance page's training check reads them alone when the matrix is not
kept (`TrainingService.states`), and from the kept matrix when Home has read it."""

from __future__ import annotations

import pytest
from arrs_desk.services.shared_reads import shared_reads


@pytest.mark.parametrize("username", ["helen.whitfield", "practice.manager", "gp.supervisor", "zoe.okubo"])
def test_training_states_alone_equal_the_matrixs(demo_workspace, demo_people, username):
    actor = demo_people[username]
    kept = shared_reads(demo_workspace.db)
    kept.clear()
    alone = demo_workspace.training.states(actor)  # worked out without the matrix
    some = frozenset(list(alone)[::2])
    part = demo_workspace.training.states(actor, only=some)
    matrix = demo_workspace.training.matrix(actor)
    from_matrix = {row.staff_id: row.cells for row in matrix.rows}
    assert alone == from_matrix and alone
    assert part == {i: cells for i, cells in from_matrix.items() if i in some}
    assert demo_workspace.training.states(actor) == from_matrix  # now from the kept matrix
    assert demo_workspace.training.states(actor, only=some) == part
