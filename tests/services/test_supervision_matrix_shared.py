"""The supervision matrix works out once what many people share (the rules for a role and months in
post, the row of cells nobody is arranged for) and leaves out what it never shows (arrangements'
notes and agreements): its cells must still be those each person's own page works out alone, and
the shared rules the catalogue's own answers."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arrs_desk.domain.staff import StaffStatus
from arrs_desk.domain.supervision import (
    RoleRequirement, builtin_supervision_catalogue, expected_frequency, is_required, months_in_post, with_overrides,
)
from arrs_desk.services.supervision.compliance import (
    _arranged_cell, arrangement_rows, evaluate, matrix_cells, type_columns,
)
from arrs_desk.services.supervision.facts import NO_RULE, ArrangementFacts, Facts, Person, gather_facts
from arrs_desk.store.models import ExternalPerson
from tests.date_support import days_ago, days_ahead
from tests.supervision_support import arrange, log, make_team

CATALOGUE = builtin_supervision_catalogue()
ROLES = sorted({role for stype in CATALOGUE.types for rule in stype.requirements for role in rule.roles
                if role != "*"}) + ["SPLW", "HWBC", "NO-SUCH-ROLE"]


def _overridden():
    monthly, quarterly = CATALOGUE.frequency("monthly"), CATALOGUE.frequency("quarterly")
    steps = tuple((m, f) for m, f in ((0, monthly), (12, quarterly)) if f is not None)
    return with_overrides(CATALOGUE, {("clinical", "SPLW"): RoleRequirement(True, steps, 24, ""),
                                      ("coaching", "HWBC"): RoleRequirement(False, steps, None, "")})


@settings(max_examples=300, deadline=None)
@given(asked=st.lists(st.tuples(st.sampled_from(ROLES), st.integers(min_value=-3, max_value=700)), min_size=1,
                      max_size=30), edited=st.booleans())
def test_the_rules_for_a_role_are_the_catalogues_answers_for_each_type(asked, edited):
    """One read's facts answer many roles and months in post, sharing one answer per role and stage
    (`Facts.stage`): each must be the catalogue's own answer for those months."""
    catalogue = _overridden() if edited else CATALOGUE
    facts = Facts(catalogue, 7, {}, {}, {}, {})
    for role, months in asked:
        rules = facts.rules_for(role, months)
        assert list(rules) == list(catalogue.type_codes)
        for code in catalogue.type_codes:
            assert rules[code] == (is_required(catalogue, code, role, months),
                                   expected_frequency(catalogue, code, role, months)), (role, months, code)
        assert rules.get("no-such-type", NO_RULE) == (is_required(catalogue, "no-such-type", role, months),
                                                      expected_frequency(catalogue, "no-such-type", role, months))


@pytest.fixture
def team(workspace, system_actor):
    return make_team(workspace, system_actor)


def test_every_matrix_row_is_the_row_a_persons_own_page_works_out(workspace, team):
    """Rows built from the shared row of a role and months in post, with only a person's arranged
    or attended types worked out, against each person's page (which shares nothing)."""
    arrange(workspace, team.admin, team.zoe_id, supervisor_id=team.gp_id)  # in date after a session
    log(workspace, team.helen, [team.zoe_id], days_ago(10), supervisor_id=team.gp_id)
    arrange(workspace, team.admin, team.zoe_id, supervisor_id=team.helen_id, start=days_ahead(20))  # not started
    arrange(workspace, team.admin, team.peer_ids[0], type_code="safeguarding", supervisor_id=team.gp_id,
            end=days_ago(3))  # ended
    log(workspace, team.helen, [team.peer_ids[1]], days_ago(40), type_code="peer-group",
        supervisor_id=team.gp_id)  # a session with no arrangement of its type
    log(workspace, team.gp, [team.gp_id], days_ago(30), type_code="peer-group",
        supervisor_id=team.helen_id)  # and by someone with no arrangement (nor line manager) at all
    arrange(workspace, team.admin, team.peer_ids[2], supervisor_id=team.gp_id, frequency="monthly")  # never held
    arrange(workspace, team.admin, team.peer_ids[2], supervisor_id=team.helen_id)  # two live: the better decides
    matrix = workspace.supervision.matrix(team.admin)
    assert len(matrix.rows) >= 8
    for row in matrix.rows:
        page = workspace.supervision.person(team.admin, staff_id=row.staff_id)
        assert row.cells == page.cells, row.display_name
    peer_group = [t.code for t in matrix.types].index("peer-group")
    last = {row.staff_id: row.cells[peer_group].last_session for row in matrix.rows}
    assert (last[team.peer_ids[1]], last[team.gp_id], last[team.zoe_id]) == (days_ago(40), days_ago(30), None)
    assert len({row.cells[0].status for row in matrix.rows}) >= 3  # the cases above differ


def test_facts_gathered_without_details_are_not_used_for_an_arrangements_row(workspace, team):
    arrange(workspace, team.admin, team.zoe_id, supervisor_id=team.gp_id)
    with workspace.db.read() as session:
        plain = gather_facts(session, workspace.today(), None, details=False)
        full = gather_facts(session, workspace.today(), None)
    person = full.people[team.zoe_id]
    assert arrangement_rows(full, person, type_columns(full.catalogue), workspace.today())
    with pytest.raises(ValueError, match="details"):
        arrangement_rows(plain, person, type_columns(plain.catalogue), workspace.today())
    strip = lambda facts: {i: [a[:9] for a in rows] for i, rows in facts.arrangements.items()}  # noqa: E731
    assert strip(plain) == strip(full)


TODAY_ = date(2026, 11, 24)
OFFSETS = (-400, -30, -7, 0, 1, 20)
NEAR = st.sampled_from([TODAY_ + timedelta(days=d) for d in OFFSETS])
PAST = st.sampled_from([TODAY_ + timedelta(days=d) for d in OFFSETS if d <= 0])
"""Few days (either side of a month, of due soon, of today), so random arrangements often share
what a cell reads."""
TYPES = ("clinical", "professional", "safeguarding")


@st.composite
def _pcn(draw):
    """Supervisors 1-3 (some left), one active and one inactive external, and people 10.. with
    arrangements (sometimes two of a type, sometimes a frequency of their own) and last sessions."""
    supervisors = {i: Person(i, f"Supervisor {i}", "GP", date(2020, 1, 1), None, "active", None) for i in (1, 2, 3)}
    statuses = {i: StaffStatus.LEFT if draw(st.booleans()) else StaffStatus.ACTIVE for i in supervisors}
    externals = {1: ExternalPerson(id=1, name="Dr Outside", active=True),
                 2: ExternalPerson(id=2, name="Dr Retired", active=False)}
    people, arrangements, latest = dict(supervisors), {}, {}
    next_id = 1
    for pid in range(10, 10 + draw(st.integers(1, 15))):
        start = draw(st.one_of(NEAR, st.just(TODAY_ - timedelta(days=700))))
        people[pid] = Person(pid, f"Person {pid}", draw(st.sampled_from(("SPLW", "HWBC"))), start, None,
                             "active", None)
        statuses[pid] = StaffStatus.ACTIVE
        for code in TYPES:
            if draw(st.booleans()):
                latest.setdefault(pid, {})[code] = draw(PAST)
            for _ in range(draw(st.sampled_from((0, 1, 1, 1, 2)))):
                staff_sup, external = draw(st.sampled_from(((1, None), (2, None), (3, None), (None, 1), (None, 2))))
                end = draw(st.one_of(st.none(), NEAR))
                arrangements.setdefault(pid, []).append(ArrangementFacts(
                    next_id, 1, pid, code, staff_sup, external, draw(st.sampled_from(("", "", "monthly"))),
                    draw(st.one_of(NEAR, st.just(start))), end))
                next_id += 1
    return Facts(CATALOGUE, draw(st.sampled_from((0, 7, 30))), people, externals, arrangements, latest,
                 statuses=statuses, details=False)


@settings(max_examples=100, deadline=None)
@given(facts=_pcn())
def test_cells_shared_across_a_read_are_those_each_person_works_out_alone(facts):
    """`matrix_cells` hands people with equal inputs the same cell: each must equal the cell worked
    out for that person alone, from each arrangement's own `evaluate`."""
    types = type_columns(CATALOGUE)
    kept: dict = {}
    for person in facts.people.values():
        shared_row = matrix_cells(facts, person, types, TODAY_, kept)
        rules = facts.rules_for(person.role_code, months_in_post(person.start_date, TODAY_))
        sessions = facts.latest.get(person.id, {})
        alone, unarranged = [], matrix_cells(facts, person, types, TODAY_)
        for column in types:
            mine = [a for a in facts.arrangements.get(person.id, ()) if a.type_code == column.code]
            if mine:
                alone.append(_arranged_cell(facts, column.code, rules.get(column.code, NO_RULE),
                                            sessions.get(column.code),
                                            [(a, *evaluate(facts, a, person, rules, sessions, TODAY_)) for a in mine]))
            else:
                alone.append(unarranged[len(alone)])
        assert shared_row == tuple(alone), person.name


def test_arrangements_not_started_share_no_cell_across_their_start_days():
    """Two people alike but for the day their arrangement begins, after a session each held on the
    same day: each cell names its own start ("Supervisor 1 from ..."), though the status is equal."""
    people = {1: Person(1, "Supervisor 1", "GP", date(2020, 1, 1), None, "active", None)}
    arrangements = {}
    for pid, begins in ((10, TODAY_ + timedelta(days=1)), (11, TODAY_ + timedelta(days=20))):
        people[pid] = Person(pid, f"Person {pid}", "SPLW", date(2024, 1, 1), None, "active", None)
        arrangements[pid] = [ArrangementFacts(pid, 1, pid, "clinical", 1, None, "", begins, None)]
    latest = {10: {"clinical": TODAY_ - timedelta(days=7)}, 11: {"clinical": TODAY_ - timedelta(days=7)}}
    facts = Facts(CATALOGUE, 7, people, {}, arrangements, latest,
                  statuses={pid: StaffStatus.ACTIVE for pid in people}, details=False)
    types, kept = type_columns(CATALOGUE), {}
    column = [t.code for t in types].index("clinical")
    first, second = (matrix_cells(facts, people[pid], types, TODAY_, kept)[column] for pid in (10, 11))
    assert first.status == second.status
    assert (first.supervisors, second.supervisors) == ("Supervisor 1 from 25/11/2026", "Supervisor 1 from 14/12/2026")
