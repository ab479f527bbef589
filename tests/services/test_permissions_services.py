"""Roles x actions through the services themselves, as the demo's people: permission is enforced
where the data is, not by hiding buttons, and a refusal writes nothing."""

import pytest
from sqlalchemy import func, select

from arrs_desk.errors import PermissionDenied
from arrs_desk.demo.pcn import DEMO_PASSWORD
from arrs_desk.store.models import AuditEntry, UserAccount

PEOPLE = ("helen.whitfield", "practice.manager", "gp.supervisor", "zoe.okubo")


@pytest.fixture
def people(demo_workspace):
    """The demo's accounts as actors. Signing in is tested elsewhere; argon2 on every test is slow."""
    from arrs_desk.services.actor import Actor

    with demo_workspace.db.read() as session:
        users = session.execute(select(UserAccount).where(UserAccount.username.in_(PEOPLE))).scalars().all()
    return {u.username: Actor(u.id, u.username, u.display_name, frozenset(u.roles), u.staff_id) for u in users}


def test_demo_people_can_sign_in(demo_workspace):
    assert demo_workspace.accounts.sign_in(username="practice.manager", password=DEMO_PASSWORD).roles == frozenset({"line_manager"})


@pytest.fixture
def targets(demo_workspace, people, system_actor):
    rows = demo_workspace.staff.list_rows(system_actor)
    manager = people["practice.manager"]
    team = next(r.id for r in rows if r.line_manager and r.id != manager.staff_id
                and demo_workspace.staff.get(system_actor, staff_id=r.id).data.line_manager_id == manager.staff_id)
    other = next(r.id for r in rows if r.id not in (team, manager.staff_id, people["zoe.okubo"].staff_id)
                 and demo_workspace.staff.get(system_actor, staff_id=r.id).data.line_manager_id not in (manager.staff_id,))
    return {"self": people["zoe.okubo"].staff_id, "team": team, "other": other}


def audit_count(ws) -> int:
    with ws.db.read() as session:
        return session.execute(select(func.count()).select_from(AuditEntry)).scalar()


# (person, action, target) -> allowed?
TABLE = [
    ("helen.whitfield", "view", "other", True),
    ("helen.whitfield", "edit", "other", True),
    ("helen.whitfield", "create", None, True),
    ("helen.whitfield", "list_users", None, True),
    ("helen.whitfield", "audit", None, True),
    ("helen.whitfield", "add_practice", None, True),
    ("practice.manager", "view", "team", True),
    ("practice.manager", "edit", "team", True),
    ("practice.manager", "view", "other", False),
    ("practice.manager", "edit", "other", False),
    ("practice.manager", "create", None, True),
    ("practice.manager", "list_users", None, False),
    ("practice.manager", "audit", None, False),
    ("practice.manager", "add_practice", None, False),
    ("gp.supervisor", "view", "other", False),
    ("gp.supervisor", "edit", "other", False),
    ("gp.supervisor", "create", None, False),
    ("gp.supervisor", "audit", None, False),
    ("zoe.okubo", "view", "self", True),
    ("zoe.okubo", "edit", "self", False),
    ("zoe.okubo", "view", "team", False),
    ("zoe.okubo", "create", None, False),
    ("zoe.okubo", "list_users", None, False),
    ("zoe.okubo", "audit", None, False),
    ("zoe.okubo", "add_practice", None, False),
]


@pytest.mark.parametrize(("person", "action", "target", "allowed"), TABLE,
                         ids=[f"{p}-{a}-{t}" for p, a, t, _ in TABLE])
def test_roles_by_actions(demo_workspace, people, targets, system_actor, person, action, target, allowed):
    ws, actor = demo_workspace, people[person]
    staff_id = targets.get(target)

    def run():
        if action == "view":
            return ws.staff.get(actor, staff_id=staff_id)
        if action == "edit":
            record = ws.staff.get(system_actor, staff_id=staff_id)
            data = record.data
            data.preferred_name = "Changed"
            return ws.staff.update(actor, staff_id=staff_id, data=data, expected_version=record.version)
        if action == "create":
            template = ws.staff.get(system_actor, staff_id=targets["team"]).data
            template.given_name, template.email, template.registration_number, template.register_code = "New", "", "", ""
            template.registration_renewal = None
            template.role_code = "CCO"
            return ws.staff.create(actor, data=template)
        if action == "list_users":
            return ws.accounts.list_users(actor)
        if action == "audit":
            return ws.audit_log.entries(actor)
        if action == "add_practice":
            return ws.organisations.create(actor, kind="practice", name="New Surgery", ods_code="Y90099")
        raise AssertionError(action)

    before = audit_count(ws)
    if allowed:
        run()
    else:
        with pytest.raises(PermissionDenied) as caught:
            run()
        assert len(caught.value.message) > 20
        assert audit_count(ws) == before


def test_each_person_sees_only_their_people(demo_workspace, people, system_actor):
    everyone = {r.id for r in demo_workspace.staff.list_rows(system_actor)}
    assert {r.id for r in demo_workspace.staff.list_rows(people["helen.whitfield"])} == everyone
    assert {r.id for r in demo_workspace.staff.list_rows(people["zoe.okubo"])} == {people["zoe.okubo"].staff_id}
    manager = people["practice.manager"]
    team = {r.id for r in demo_workspace.staff.list_rows(manager)}
    assert manager.staff_id in team and 1 < len(team) < len(everyone)
    for staff_id in team - {manager.staff_id}:
        assert demo_workspace.staff.get(system_actor, staff_id=staff_id).data.line_manager_id == manager.staff_id


@pytest.mark.parametrize("username", ["practice.manager", "gp.supervisor"])
def test_an_account_without_the_staff_role_opens_its_own_record(demo_workspace, people, username):
    """The demo's practice manager and GP supervisor have staff records but not the "staff" role:
    "My induction" and their own training answered "You can only see your own record...". Their own
    record is theirs to see and work on, as anyone's is; nobody else's becomes visible."""
    me = people[username]
    ws = demo_workspace
    assert ws.staff.get(me, staff_id=me.staff_id).version >= 1
    assert ws.induction.checklist(me, staff_id=me.staff_id).staff_id == me.staff_id
    assert ws.training.person(me, staff_id=me.staff_id).staff_id == me.staff_id
    assert ws.supervision.person(me, staff_id=me.staff_id).staff_id == me.staff_id
    with pytest.raises(PermissionDenied):
        ws.staff.get(me, staff_id=people["helen.whitfield"].staff_id)  # the administrator: nobody's team
