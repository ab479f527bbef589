"""A permission check's one statement agrees with the questions it stands for (issue 18).

`relationship` asks in a single statement whether the actor's account link is trusted and whether
they manage (anywhere up the line-management chain), supervise, assess or appraise the person:
across sites each statement is a round trip, and every save and every record opened checks a
permission. Here random line-management trees (with loops and chains longer than the limit),
trust rows, arrangements (ending before, on and after today, or never), enrolments in every
status, and reviews naming the GP or someone else go into the database, and the answer for each
person must be what `link_trusted`, `is_manager_of`, `supervises`, `assesses` and `appraises` say
one by one.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select, update

from arrs_desk.services.account_safety import link_trusted
from arrs_desk.domain.permissions import AccessRole
from arrs_desk.services.relationships import (
    MAX_CHAIN, appraisee_ids, appraises, assessed_ids, assesses, is_manager_of, managed_ids, relationship,
    relationships, supervisee_ids, supervises, visible_staff_ids,
)
from arrs_desk.store.models import (
    AccountLinkTrust, ProgrammeEnrolment, ProgrammeTemplate, Review, Staff, SupervisionArrangement,
)
from arrs_desk.store.models.core import utcnow
from tests.support.statements import statements_sent
from tests.supervision_support import STARTED, TODAY, make_team


@pytest.fixture
def team(workspace, system_actor):
    return make_team(workspace, system_actor)


ENDS = st.sampled_from([None, TODAY - timedelta(days=1), TODAY, TODAY + timedelta(days=1), TODAY + timedelta(days=400)])
STATUSES = st.sampled_from(["active", "completed", "withdrawn"])


def _as_they_are(session, actor, staff_id):
    return (link_trusted(session, actor.user_id), is_manager_of(session, actor.staff_id, staff_id),
            supervises(session, actor.staff_id, staff_id, TODAY), assesses(session, actor.staff_id, staff_id),
            appraises(session, actor.staff_id, staff_id))


def _visible_one_by_one(session, actor):
    """Whom the actor may see, asked one question at a time."""
    visible = {actor.staff_id}
    if AccessRole.LINE_MANAGER in actor.roles:
        visible |= managed_ids(session, actor.staff_id)
    if AccessRole.SUPERVISOR in actor.roles:
        visible |= supervisee_ids(session, actor.staff_id, TODAY) | assessed_ids(session, actor.staff_id)
    if AccessRole.APPRAISER in actor.roles:
        visible |= appraisee_ids(session, actor.staff_id)
    return visible


def _as_one_statement_says(session, actor, staff_id):
    found = relationship(session, actor, staff_id, TODAY)
    return found.link_trusted, found.manages, found.supervises, found.assesses, found.appraises


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(arrangements=st.lists(st.tuples(st.integers(0, 2), st.booleans(), ENDS), max_size=5),
       enrolments=st.lists(st.tuples(st.integers(0, 2), st.booleans(), STATUSES), max_size=4),
       reviews=st.lists(st.tuples(st.integers(0, 2), st.booleans()), max_size=4),
       trust=st.sampled_from([None, True, False]))
def test_one_statement_answers_as_the_questions_asked_one_by_one(workspace, team, arrangements, enrolments,
                                                                 reviews, trust):
    people = [team.zoe_id, *team.peer_ids[:2]]

    def who(by_gp: bool) -> int:
        return team.gp_id if by_gp else team.helen_id

    with workspace.db.write() as session:
        for model in (SupervisionArrangement, ProgrammeEnrolment, Review, AccountLinkTrust):
            session.execute(delete(model))
        if trust is not None:
            session.add(AccountLinkTrust(user_id=team.gp.user_id, trusted=trust, changed_at=utcnow()))
        template = session.execute(select(ProgrammeTemplate).limit(1)).scalar_one()
        for person, by_gp, end in arrangements:
            session.add(SupervisionArrangement(staff_id=people[person], type_code="clinical",
                                               supervisor_staff_id=who(by_gp), start_date=STARTED, end_date=end))
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
            assert _as_one_statement_says(session, team.gp, person) == _as_they_are(session, team.gp, person)
        assert _as_one_statement_says(session, team.gp, 987654) == _as_they_are(session, team.gp, 987654)
        asked = [*people, team.gp_id, 987654]  # the actor themself, and an id on nobody's record
        assert relationships(session, team.gp, asked, TODAY) == {
            person: relationship(session, team.gp, person, TODAY) for person in asked}
        both = team.gp.__class__(team.gp.user_id, team.gp.username, team.gp.display_name,
                                 frozenset({AccessRole.SUPERVISOR.value, AccessRole.APPRAISER.value}), team.gp.staff_id)
        for actor in (team.gp, team.helen, both):
            assert visible_staff_ids(session, actor, TODAY) == _visible_one_by_one(session, actor)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_managing_is_found_anywhere_up_the_chain_within_its_limit(workspace, team, data):
    """Random line managers for everyone, loops and all; and one chain longer than the limit."""
    with workspace.db.read() as session:
        everyone = list(session.execute(select(Staff.id).order_by(Staff.id)).scalars())
    managers = data.draw(st.lists(st.one_of(st.none(), st.sampled_from(everyone)),
                                  min_size=len(everyone), max_size=len(everyone)))
    with workspace.db.write() as session:
        for staff_id, manager_id in zip(everyone, managers):
            session.execute(update(Staff).where(Staff.id == staff_id).values(line_manager_id=manager_id))
    with workspace.db.read() as session:
        for staff_id in everyone:
            if staff_id != team.gp.staff_id:
                assert _as_one_statement_says(session, team.gp, staff_id) == _as_they_are(session, team.gp, staff_id)
        assert relationships(session, team.gp, everyone, TODAY) == {
            staff_id: relationship(session, team.gp, staff_id, TODAY) for staff_id in everyone}


def test_a_chain_longer_than_the_limit_is_followed_as_far_as_it_and_no_further(workspace, team, system_actor):
    from tests.support.pcn import staff_input

    # The GP at the top, then a chain of MAX_CHAIN people below them, each managing the next.
    chain = [team.gp_id]
    for n in range(MAX_CHAIN):
        person = workspace.staff.create(system_actor, data=staff_input([team.alpha], given=f"Link{n}",
                                                                      family="Chain", start=STARTED))
        chain.append(person.id)
    with workspace.db.write() as session:
        for above, below in zip(chain, chain[1:]):
            session.execute(update(Staff).where(Staff.id == below).values(line_manager_id=above))
    with workspace.db.read() as session:
        found = {staff_id: relationship(session, team.gp, staff_id, TODAY).manages for staff_id in chain[1:]}
        walked = {staff_id: is_manager_of(session, team.gp_id, staff_id) for staff_id in chain[1:]}
    assert found == walked
    assert found[chain[1]] and found[chain[MAX_CHAIN]]  # MAX_CHAIN steps up: still found
    with workspace.db.write() as session:  # one more link below: its chain to the GP is one step too long
        last = workspace.staff.create(system_actor, data=staff_input([team.alpha], given="Beyond", family="Chain",
                                                                    start=STARTED)).id
        session.execute(update(Staff).where(Staff.id == last).values(line_manager_id=chain[-1]))
    with workspace.db.read() as session:
        assert relationship(session, team.gp, last, TODAY).manages is is_manager_of(session, team.gp_id, last) is False
        together = relationships(session, team.gp, [*chain[1:], last], TODAY)
    assert {staff_id: rel.manages for staff_id, rel in together.items()} == {**found, last: False}


def test_a_permission_check_is_one_statement(workspace, team):
    """Trust, the whole chain above the person, and the records naming the actor: one round trip."""
    with workspace.db.read() as session, statements_sent(workspace.db.engine) as asked:
        found = relationship(session, team.helen, team.zoe_id, TODAY)
    assert found.manages
    assert len(asked) == 1, asked


def test_several_people_are_asked_about_in_one_statement(workspace, team):
    """A group session's attendees: one statement for them all, each answered as on their own."""
    people = [team.zoe_id, *team.peer_ids]
    with workspace.db.read() as session, statements_sent(workspace.db.engine) as asked:
        found = relationships(session, team.helen, people, TODAY)
    assert len(asked) == 1, asked
    assert all(found[person].manages for person in people)
    with workspace.db.read() as session:
        assert found == {person: relationship(session, team.helen, person, TODAY) for person in people}


def test_whom_a_supervisor_and_appraiser_may_see_is_one_statement(workspace, team):
    """Every page's read asks it first: whom they supervise, assess and appraise, together."""
    gp = team.gp.__class__(team.gp.user_id, team.gp.username, team.gp.display_name,
                           frozenset({AccessRole.SUPERVISOR.value, AccessRole.APPRAISER.value}), team.gp.staff_id)
    with workspace.db.read() as session, statements_sent(workspace.db.engine) as seen:
        visible = visible_staff_ids(session, gp, TODAY)
    assert len(seen) == 1, seen
    with workspace.db.read() as session:
        assert visible == _visible_one_by_one(session, gp)
