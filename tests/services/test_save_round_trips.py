"""How many statements a record's window and its saves send (issue 18: across sites each is a
round trip, 20 ms each at another site).

Opening one review, or saving or signing it (which hands the review back as it now reads), asks
the same number of questions however many reviews the person has had and however many people
work in the PCN, and about that person's practices only, never every member of staff's; a line
manager's edit of a staff record, and a tick and its sign-off on an induction checklist, ask a
fixed few too; a group supervision session the same whatever the size of the group. The counts below are today's: a change that adds a statement to one of these fails
here, so that it is made on purpose.
"""

from __future__ import annotations

import pytest

from tests.date_support import days_ago
from tests.review_support import make_review_team, review_input
from tests.support.statements import statements_sent

OPEN = 11
"""Opening a review: the review, one permission statement, the person, their reviews, roles,
their practices, practice names, objectives, plan, signatures and who signs in themself."""
RECORD = 25
"""Recording a review after an earlier one, whose open objectives are carried into it, and
handing it back as it now reads (26 until the night of 5 December, when the objectives just
written stopped being counted again to place the carried ones after them)."""
SIGN_AS_APPRAISER = 22
"""Signing as appraiser, and the review handed back; what the signature vouches for is hashed
from the signatures already read to check it may be signed (23 until the night of 5 December)."""
INDUCTION_TICK = 14
"""A new starter ticking an item that waits for sign-off, and the checklist handed back (16 while the
current templates were read on every checklist, not only after a change of role)."""
INDUCTION_SIGN_OFF = 14
"""Their line manager signing it off, and the checklist handed back."""
STAFF_SAVE = 14
"""A line manager's edit of a staff record: the permission, the record, its practices, the checks
on what was typed (role, employer, practices, line manager and the chain above them, a register
number held by someone else), the write with its audit entry, and the record handed back."""


@pytest.fixture
def team(workspace, system_actor):
    return make_review_team(workspace, system_actor)


def _asked(workspace, work) -> list[str]:
    with statements_sent(workspace.db.engine) as seen:
        work()
    return seen


def _round_trips(statements: list[str]) -> int:
    """Statements as a PostgreSQL server receives them: rows of one table inserted together are
    one statement there (SQLite, which cannot hand back their ids in order, is sent one each)."""
    return sum(1 for i, s in enumerate(statements)
               if not (s.startswith("INSERT") and i and statements[i - 1] == s))


def _held(workspace, team, days: int):
    return workspace.reviews.create_review(team.helen, data=review_input(
        team, outcome="agreed", meeting=days_ago(days), start=days_ago(days + 100), end=days_ago(days)))


def test_a_review_is_opened_recorded_and_signed_in_the_same_few_statements_whatever_its_history(workspace, team):
    first = _held(workspace, team, 500)
    opened_first = _asked(workspace, lambda: workspace.reviews.review(team.helen, review_id=first.id))
    record_second = _asked(workspace, lambda: _held(workspace, team, 400))
    for days in (300, 200):
        _held(workspace, team, days)
    recorded: list = []
    record = _asked(workspace, lambda: recorded.append(_held(workspace, team, 3)))
    latest = recorded[0]
    opened = _asked(workspace, lambda: workspace.reviews.review(team.helen, review_id=latest.id))
    mine = workspace.reviews.sign(team.zoe, review_id=latest.id, party="appraisee", expected_version=latest.version)
    signing = _asked(workspace, lambda: workspace.reviews.sign(team.gp, review_id=latest.id, party="appraiser",
                                                               expected_version=mine.version))
    assert _round_trips(opened) == _round_trips(opened_first) == OPEN, opened
    assert _round_trips(record) == _round_trips(record_second) == RECORD, record
    assert _round_trips(signing) == SIGN_AS_APPRAISER, signing
    for statements in (opened, record, signing):
        practices = [s for s in statements if "FROM staff_practice" in s]
        assert practices and all("WHERE staff_practice.staff_id IN" in s for s in practices), practices


def test_a_line_managers_edit_of_a_staff_record_is_a_fixed_few_statements(workspace, system_actor):
    from tests.induction_support import make_team

    team = make_team(workspace, system_actor)
    record = workspace.staff.get(team.manager, staff_id=team.starter_id)
    record.data.preferred_name = "Zed"
    saved = _asked(workspace, lambda: workspace.staff.update(team.manager, staff_id=record.id, data=record.data,
                                                              expected_version=record.version))
    assert _round_trips(saved) == STAFF_SAVE, saved
    assert sum("FROM staff_practice" in s for s in saved) == 1, saved  # read once, not again to write or hand back


def test_a_tick_and_its_sign_off_are_a_fixed_few_statements(workspace, system_actor):
    from tests.induction_support import item, make_team

    team = make_team(workspace, system_actor)
    ind = workspace.induction
    waiting = item(ind.checklist(team.starter, staff_id=team.starter_id), "supervision-agreement-signed")
    ticked = _asked(workspace, lambda: ind.tick(team.starter, item_id=waiting.id, expected_version=waiting.version))
    waiting = item(ind.checklist(team.manager, staff_id=team.starter_id), "supervision-agreement-signed")
    signed = _asked(workspace, lambda: ind.sign_off(team.manager, item_id=waiting.id,
                                                    expected_version=waiting.version))
    assert (_round_trips(ticked), _round_trips(signed)) == (INDUCTION_TICK, INDUCTION_SIGN_OFF), (ticked, signed)


def test_a_group_session_is_recorded_in_the_same_statements_whatever_its_size(workspace, system_actor):
    from datetime import timedelta

    from tests.supervision_support import TODAY, arrange, log, make_team

    team = make_team(workspace, system_actor)
    people = [team.zoe_id, *team.peer_ids]
    for person in people:
        arrange(workspace, team.helen, person, type_code="safeguarding", supervisor_id=team.gp_id)
    pair = _asked(workspace, lambda: log(workspace, team.helen, people[:2], TODAY - timedelta(days=3),
                                         type_code="safeguarding", supervisor_id=team.gp_id))
    five = _asked(workspace, lambda: log(workspace, team.helen, people, TODAY - timedelta(days=2),
                                         type_code="safeguarding", supervisor_id=team.gp_id))
    assert _round_trips(five) == _round_trips(pair), (pair, five)
