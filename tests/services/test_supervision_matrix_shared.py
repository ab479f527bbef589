"""The supervision matrix works out once what many people share (the rules for a role and months in
post, the row of cells nobody is arranged for) and leaves out what it never shows (arrangements'
notes and agreements): its cells must still be those each person's own page works out alone, and
the shared rules the catalogue's own answers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arrs_desk.domain.supervision import (
    RoleRequirement, builtin_supervision_catalogue, expected_frequency, is_required, with_overrides,
)
from arrs_desk.services.supervision.compliance import arrangement_rows, type_columns
from arrs_desk.services.supervision.facts import NO_RULE, Facts, gather_facts
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
@given(role=st.sampled_from(ROLES), months=st.integers(min_value=0, max_value=700), edited=st.booleans())
def test_the_rules_for_a_role_are_the_catalogues_answers_for_each_type(role, months, edited):
    catalogue = _overridden() if edited else CATALOGUE
    facts = Facts(catalogue, 7, {}, {}, {}, {})
    rules = facts.rules_for(role, months)
    assert list(rules) == list(catalogue.type_codes)
    for code in catalogue.type_codes:
        assert rules[code] == (is_required(catalogue, code, role, months),
                               expected_frequency(catalogue, code, role, months))
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
