"""Each person's training statuses, worked out by the database without the matrix, equal the
matrix's (issue 18): Home's card and the Assurance page's training check read them
(`TrainingService.statuses`), kept person by person, whether or not the Training page was read."""

from __future__ import annotations

import pytest
from arrs_desk.services.shared_reads import shared_reads


@pytest.mark.parametrize("username", ["helen.whitfield", "practice.manager", "gp.supervisor", "zoe.okubo"])
def test_training_statuses_alone_equal_the_matrixs(demo_workspace, demo_people, username):
    actor = demo_people[username]
    kept = shared_reads(demo_workspace.db)
    kept.clear()
    alone = demo_workspace.training.statuses(actor)  # worked out by the database, without the matrix
    some = frozenset(list(alone)[::2])
    part = demo_workspace.training.statuses(actor, only=some)
    matrix = demo_workspace.training.matrix(actor)
    from_matrix = {row.staff_id: tuple(cell.status for cell in row.cells) for row in matrix.rows}
    assert alone == from_matrix and alone
    assert part == {i: cells for i, cells in from_matrix.items() if i in some}
    assert demo_workspace.training.statuses(actor) == from_matrix  # kept: the same
    assert demo_workspace.training.statuses(actor, only=some) == part
