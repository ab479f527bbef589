"""Facts the database aggregates equal what the Python rules work out from every row (issue 18).

The supervision matrix takes each person's latest session of each type from a grouped query
(`latest_sessions_query`), never loading the sessions. Here random histories (sessions on month
ends, leap days, year ends, today and days still to come, groups and one-to-ones) go into the
database, and every matrix cell must show the latest session a plain Python reading of those rows
finds, and the status the domain rule gives for it.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from arrs_desk.domain.supervision import arrangement_status, builtin_supervision_catalogue, months_in_post
from arrs_desk.store.models import SupervisionAttendance, SupervisionSession
from tests.supervision_support import STARTED, TODAY, arrange, make_team

TYPES = ("clinical", "professional", "safeguarding")
HARD_DAYS = (date(2024, 2, 29), date(2025, 12, 31), date(2026, 1, 1), date(2026, 10, 31), date(2026, 2, 28),
             TODAY, TODAY - timedelta(days=1), TODAY + timedelta(days=1))
"""Leap day, year end and start, month ends, today and either side of it."""


@pytest.fixture
def team(workspace, system_actor):
    team = make_team(workspace, system_actor)
    for person in (team.zoe_id, *team.peer_ids[:2]):
        for type_code in TYPES:
            arrange(workspace, team.admin, person, type_code=type_code, supervisor_id=team.gp_id)
    return team


days = st.one_of(st.sampled_from(HARD_DAYS),
                 st.dates(min_value=TODAY - timedelta(days=800), max_value=TODAY + timedelta(days=60)))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=st.lists(st.tuples(st.sampled_from(TYPES), days, st.sets(st.integers(0, 2), min_size=1)),
                        max_size=12))
def test_each_cell_shows_the_latest_session_held_by_today(workspace, team, history):
    people = [team.zoe_id, *team.peer_ids[:2]]
    with workspace.db.write() as session:
        session.execute(delete(SupervisionAttendance))
        session.execute(delete(SupervisionSession))
        for type_code, held_on, who in history:
            row = SupervisionSession(type_code=type_code, held_on=held_on, supervisor_staff_id=team.gp_id,
                                     supervisor_name="Yusuf", format="group" if len(who) > 1 else "one-to-one")
            session.add(row)
            session.flush()
            for i in sorted(who):
                session.add(SupervisionAttendance(session_id=row.id, staff_id=people[i], type_code=type_code,
                                                  held_on=held_on))
    matrix = workspace.supervision.matrix(team.admin)
    codes = [t.code for t in matrix.types]
    catalogue = builtin_supervision_catalogue()
    months = months_in_post(STARTED, TODAY)  # all three started on STARTED, their arrangements too
    for row in (r for r in matrix.rows if r.staff_id in people):
        person = people.index(row.staff_id)
        for type_code in TYPES:
            cell = row.cells[codes.index(type_code)]
            held = [d for t, d, who in history if t == type_code and person in who and d <= TODAY]
            latest = max(held, default=None)
            assert cell.last_session == latest
            # ...and the cell's next due date is the domain rule's for that fact.
            rule = catalogue.requirement(type_code, row.role_code)
            expected = arrangement_status(
                today=TODAY, arrangement_start=STARTED, arrangement_end=None,
                frequency=rule.frequency_at(months) if rule else None,
                last_session=latest, supervisor_active=True, due_soon_days=matrix.due_soon_days)
            assert (cell.next_due, cell.days_overdue) == (expected.next_due, expected.days_overdue)
