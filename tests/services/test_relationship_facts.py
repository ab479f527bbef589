"""A permission check's one statement agrees with the three questions it stands for (issue 18).

`relationship` asks whether the actor supervises, assesses or appraises the person in a single
statement (across sites each statement is a round trip, and every save checks a permission).
Here random arrangements (ending before, on and after today, or never), enrolments in every
status, and reviews naming the GP or someone else go into the database, and the answer for each
person must be what `supervises`, `assesses` and `appraises` say one by one.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, event, select

from arrs_desk.services.relationships import appraises, assesses, relationship, supervises
from arrs_desk.store.models import ProgrammeEnrolment, ProgrammeTemplate, Review, SupervisionArrangement
from tests.supervision_support import STARTED, TODAY, make_team


@pytest.fixture
def team(workspace, system_actor):
    return make_team(workspace, system_actor)


ENDS = st.sampled_from([None, TODAY - timedelta(days=1), TODAY, TODAY + timedelta(days=1), TODAY + timedelta(days=400)])
STATUSES = st.sampled_from(["active", "completed", "withdrawn"])


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(arrangements=st.lists(st.tuples(st.integers(0, 2), st.booleans(), ENDS), max_size=5),
       enrolments=st.lists(st.tuples(st.integers(0, 2), st.booleans(), STATUSES), max_size=4),
       reviews=st.lists(st.tuples(st.integers(0, 2), st.booleans()), max_size=4))
def test_one_statement_answers_as_the_three_questions(workspace, team, arrangements, enrolments, reviews):
    people = [team.zoe_id, *team.peer_ids[:2]]

    def who(by_gp: bool) -> int:
        return team.gp_id if by_gp else team.helen_id

    with workspace.db.write() as session:
        for model in (SupervisionArrangement, ProgrammeEnrolment, Review):
            session.execute(delete(model))
        template = session.execute(select(ProgrammeTemplate).limit(1)).scalar_one()
        for person, by_gp, end in arrangements:
            session.add(SupervisionArrangement(staff_id=people[person], type_code="clinical", supervisor_staff_id=who(by_gp),
                                               start_date=STARTED, end_date=end))
        for person, by_gp, status in enrolments:
            session.add(ProgrammeEnrolment(
                staff_id=people[person], template_id=template.id, programme_code=template.code,
                programme_version=template.version, title=template.title, length_weeks=52,
                protected_hours_per_week=2.0, start_date=STARTED, planned_end=STARTED + timedelta(weeks=52),
                assessor_staff_id=who(by_gp), status=status))
        for person, by_gp in reviews:
            session.add(Review(staff_id=people[person], kind="annual", period_start=STARTED,
                               period_end=STARTED + timedelta(days=365), appraiser_staff_id=who(by_gp)))
    with workspace.db.read() as session:
        for person in people:
            found = relationship(session, team.gp, person, TODAY)
            assert (found.supervises, found.assesses, found.appraises) == (
                supervises(session, team.gp_id, person, TODAY), assesses(session, team.gp_id, person),
                appraises(session, team.gp_id, person))


def test_a_permission_check_asks_the_database_once_about_records_naming_the_actor(workspace, team):
    """Whom the actor manages comes from the staff rows; the records naming them, from one statement."""
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_rest) -> None:
        statements.append(statement)

    with workspace.db.read() as session:
        relationship(session, team.gp, team.zoe_id, TODAY)  # the staff rows and the account, read once
        event.listen(workspace.db.engine, "before_cursor_execute", seen)
        try:
            relationship(session, team.gp, team.peer_ids[0], TODAY)
        finally:
            event.remove(workspace.db.engine, "before_cursor_execute", seen)
    named = [s for s in statements if "supervision_arrangement" in s or "programme_enrolment" in s or "FROM review" in s]
    assert len(named) == 1, statements
