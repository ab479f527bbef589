"""Filing check-in answers set-based (`services.checkin_filing`) does what filing them one at a
time into each group in turn did: the same batches released in the same order into the same
rounds, the same answers and people left waiting, whether the answers come in one filing (the
demonstration PCN's thousands) or one transaction each (people answering), and whatever was
already waiting. The rule it follows is written out plainly below (`_expected`) and checked on
random sequences of answers; a person's answer is a fixed, small number of statements."""

from __future__ import annotations

import json
from collections import Counter
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from arrs_desk.domain import assurance as rules
from arrs_desk.services.checkin_filing import Filing, file_answers, groups_of
from arrs_desk.store.models import AuditEntry, CheckinPending, CheckinPendingPerson, CheckinTally
from tests.checkin_support import STATEMENTS, answers, newcomers
from tests.support.statements import statements_sent
from tests.supervision_support import make_team


@pytest.fixture
def people(workspace, system_actor):
    """Twelve people in overlapping groups: two roles, and one practice, the other or both."""
    team = make_team(workspace, system_actor)
    found = []
    for role, places in (("SPLW", [team.alpha]), ("SPLW", [team.beta]), ("HWBC", [team.alpha, team.beta])):
        found += newcomers(workspace, system_actor, places, 4, role=role, prefix=f"{role}{len(found)}")
    return [p.staff_id for p in found]


def _state(workspace):
    """What the database holds: the answers waiting per group (as a multiset), who is waiting,
    the counts per group and round, and every release entry in the audit trail, in order."""
    with workspace.db.read() as session:
        waiting = Counter((d, k, json.dumps(a, sort_keys=True)) for d, k, a in session.execute(
            select(CheckinPending.dimension, CheckinPending.group_key, CheckinPending.answers)))
        who = {(d, k, s) for d, k, s in session.execute(select(
            CheckinPendingPerson.dimension, CheckinPendingPerson.group_key, CheckinPendingPerson.staff_id))}
        tallies = {(t.dimension, t.group_key, t.round): (t.responses, t.counts)
                   for t in session.execute(select(CheckinTally)).scalars()}
        released = [(e.entity_id, e.summary) for e in session.execute(
            select(AuditEntry).where(AuditEntry.action == "release").order_by(AuditEntry.id)).scalars()]
    return waiting, who, tallies, released


def _expected(before, groups: dict, filings: list[Filing]):
    """The rule, one answer and one group at a time: the answer joins the group's batch; once the
    batch holds answers from MIN_GROUP different people, all its answers are added to the
    group's counts for the round of that answer's day, and the batch is emptied."""
    waiting, who, tallies, released = before
    batches: dict = {}
    for (d, k, a), n in waiting.items():
        batches.setdefault((d, k), ([], set()))[0].extend([json.loads(a)] * n)
    for d, k, s in who:
        batches.setdefault((d, k), ([], set()))[1].add(s)
    tallies, released = dict(tallies), list(released)
    for filing in filings:
        for group in groups[filing.staff_id]:
            answered, people = batches.setdefault(group, ([], set()))
            answered.append(filing.answers)
            people.add(filing.staff_id)
            if rules.may_release(len(people)):
                key = (*group, rules.round_of(filing.on))
                responses, counts = tallies.get(key, (0, rules.empty_counts(STATEMENTS)))
                tallies[key] = (responses + len(answered), rules.add_to_counts(counts, answered))
                released.append((f"{group[0]}/{group[1]}/{key[2]}",
                                 f"Added {len(answered)} anonymous check-in answers from {len(people)} people "
                                 f"to the summary by {group[0]}"))
                answered.clear()
                people.clear()
    waiting = Counter()
    for (d, k), (answered, _) in batches.items():
        waiting.update((d, k, json.dumps(a, sort_keys=True)) for a in answered)
    who = {(d, k, s) for (d, k), (_, people) in batches.items() for s in people}
    return waiting, who, tallies, released


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_answers_filed_together_or_one_by_one_release_what_the_rule_releases(workspace, people, data):
    filings = data.draw(st.lists(st.builds(
        Filing, st.sampled_from(people),
        st.fixed_dictionaries({s.key: st.integers(1, 5) for s in STATEMENTS}),
        st.integers(-40, 0).map(lambda days: workspace.today() + timedelta(days=days))), max_size=25))
    together = data.draw(st.booleans(), label="in one filing")
    with workspace.db.read() as session:
        groups = groups_of(session, people)
    expected = _expected(_state(workspace), groups, filings)
    for part in ([filings] if together else [[f] for f in filings]):
        with workspace.db.write() as session:
            file_answers(session, part)
    assert _state(workspace) == expected


def test_one_answer_is_a_few_statements_however_many_groups_and_waiting_answers(workspace, people):
    with workspace.db.write() as session:  # something waiting in every group already
        file_answers(session, [Filing(staff_id, answers(3), workspace.today()) for staff_id in people[:3]])
    with workspace.db.write() as session:
        with statements_sent(workspace.db.engine) as seen:
            assert file_answers(session, [Filing(people[8], answers(2), workspace.today())]) == 0
    # groups (2), who is waiting and their answers (2), the new answers and people (2): one person
    # in three groups used to send a dozen.
    assert len(seen) == 6, "\n".join(seen)
    with workspace.db.write() as session:
        assert file_answers(session, []) == 0
