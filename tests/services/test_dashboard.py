"""The Home page's figures: each agrees with the service behind the page it links to."""

import pytest

from arrs_desk.domain.induction import ItemStatus
from arrs_desk.services.actor import Actor
from arrs_desk.services.dashboard import DashboardService


@pytest.fixture
def people(demo_people):
    return demo_people


def by_key(dashboard):
    return {item.key: item for item in dashboard.items}


def test_manager_sees_their_teams_figures_matching_the_pages(demo_workspace, people):
    helen = people["helen.whitfield"]
    items = by_key(DashboardService(demo_workspace).attention(helen))
    overview = [r for r in demo_workspace.induction.overview(helen, include_without_checklist=False)
                if r.staff_id != helen.staff_id]
    assert items["induction-overdue"].count == sum(r.overdue for r in overview) > 0
    assert items["signoff"].count == len(demo_workspace.induction.awaiting_signoff(helen))
    # Helen administers the PCN, so she is shown every waiting item, not only hers to sign (and is
    # told which are hers: see test_an_administrator_who_line_manages_is_told_which_sign_offs_are_theirs).
    assert items["signoff"].title == "Waiting for sign-off"
    assert items["signoff"].detail.endswith("to sign as their line manager") or \
        items["signoff"].detail.endswith("for their line managers to sign")
    manager = people["practice.manager"]
    mine = by_key(DashboardService(demo_workspace).attention(manager)).get("signoff")
    assert mine is None or mine.title == "Waiting for your sign-off"
    assert items["training"].count == sum(r.expired + r.expiring for r in overview)
    matrix = demo_workspace.supervision.matrix(helen)  # the page opens on ARRS roles only, and so counts Home
    assert items["supervision"].count == sum(c.needs_action for row in matrix.rows if row.arrs for c in row.cells) > 0
    due = [r for r in demo_workspace.reviews.due(helen) if r.arrs]
    assert items["reviews"].count == sum(str(r.status) in ("overdue", "due-soon") for r in due) > 0
    assert items["induction-overdue"].tone == "bad" and items["induction-overdue"].page == "Induction"
    assert all(item.detail for item in items.values())  # words, not just a number and a colour


def test_a_starter_sees_their_own_checklist_not_other_peoples(demo_workspace, people):
    zoe = people["zoe.okubo"]
    dashboard = DashboardService(demo_workspace).attention(zoe)
    items = by_key(dashboard)
    own = demo_workspace.induction.checklist(zoe, staff_id=zoe.staff_id)
    assert dashboard.greeting == "Hello Zoë"
    theirs = [i for i in own.items if i.status is ItemStatus.OVERDUE and i.completed_by != "manager"]
    assert items["my-induction"].count == len(theirs) > 0
    assert items["my-induction"].page == "My induction"
    assert "induction-overdue" not in items and "signoff" not in items


def test_a_line_manager_counts_fewer_than_the_administrator(demo_workspace, people):
    everyone = by_key(DashboardService(demo_workspace).attention(people["helen.whitfield"]))
    team = by_key(DashboardService(demo_workspace).attention(people["practice.manager"]))
    assert team["supervision"].count < everyone["supervision"].count
    assert team["induction-overdue"].count <= everyone["induction-overdue"].count


def test_supervision_and_reviews_count_the_arrs_roles_their_pages_open_on(demo_workspace, people):
    """The demo's GPs and practice managers have appraisals overdue and supervision to arrange: the
    Reviews and Supervision pages open on ARRS roles only, so Home's cards leave them out too."""
    helen = people["helen.whitfield"]
    items = by_key(DashboardService(demo_workspace).attention(helen))
    everyone = demo_workspace.reviews.due(helen)
    others = [r for r in everyone if not r.arrs and str(r.status) in ("overdue", "due-soon")]
    assert others  # the demo has some, or this test would prove nothing
    assert items["reviews"].count == sum(str(r.status) in ("overdue", "due-soon") for r in everyone) - len(others)
    assert "in ARRS roles" in items["reviews"].detail and "in ARRS roles" in items["supervision"].detail
    matrix = demo_workspace.supervision.matrix(helen)
    assert any(c.needs_action for row in matrix.rows if not row.arrs for c in row.cells)
    assert items["supervision"].count < sum(c.needs_action for row in matrix.rows for c in row.cells)


def test_my_induction_counts_only_the_starters_own_overdue_items(workspace, system_actor):
    """Three weeks in, the line manager's checks before day one are overdue too: they are the
    manager's to do, so the starter's Home leaves them out."""
    from tests.induction_support import make_team

    team = make_team(workspace, system_actor)
    own = workspace.induction.checklist(team.starter, staff_id=team.starter_id)
    late = [i for i in own.items if i.status is ItemStatus.OVERDUE]
    theirs = [i for i in late if i.completed_by in ("starter", "either")]
    assert len(theirs) < len(late)
    count = by_key(DashboardService(workspace).attention(team.starter))["my-induction"].count
    assert count == len(theirs)


def test_items_returned_to_a_starter_are_on_their_home(workspace, system_actor):
    """The manager sent two ticked items back with a comment: the starter's Home says so (the items
    are no longer overdue, as they wait for the starter, so the overdue card alone said nothing)."""
    from tests.induction_support import make_team

    team = make_team(workspace, system_actor)
    ind = workspace.induction
    own = ind.checklist(team.starter, staff_id=team.starter_id)
    ticked = [i for i in own.items if i.can_tick and i.needs_signoff and i.status is ItemStatus.OVERDUE][:2]
    for entry in ticked:
        ind.tick(team.starter, item_id=entry.id, expected_version=entry.version)
    for entry in ticked:
        waiting = next(i for i in ind.checklist(team.manager, staff_id=team.starter_id).items if i.id == entry.id)
        ind.return_item(team.manager, item_id=waiting.id, expected_version=waiting.version,
                        comment="Please attach the signed copy")
    items = by_key(DashboardService(workspace).attention(team.starter))
    returned = items["my-induction-returned"]
    assert returned.count == 2 and returned.page == "My induction" and returned.tone == "bad"  # needs action now
    assert "line manager sent back" in returned.detail
    assert "my-induction-returned" not in by_key(DashboardService(workspace).attention(team.manager))


def test_a_starters_own_expiring_training_opens_my_induction(workspace, system_actor):
    """A starter's own training and registration cards open My induction, the page that shows them:
    the Induction page is for those who look after starters, so the cards had no button at all."""
    from datetime import timedelta

    from arrs_desk.domain.dates import add_months
    from arrs_desk.services.staff import StaffInput
    from tests.conftest import TODAY
    from tests.induction_support import make_team

    team = make_team(workspace, system_actor)
    record = workspace.staff.get(system_actor, staff_id=team.starter_id)
    workspace.staff.update(system_actor, staff_id=team.starter_id, expected_version=record.version,
                           data=StaffInput(**{**record.data.__dict__, "registration_renewal": TODAY + timedelta(days=20)}))
    bls = next(i for i in workspace.induction.checklist(team.starter, staff_id=team.starter_id).items
               if i.key == "basic-life-support")
    workspace.induction.tick(team.starter, item_id=bls.id, expected_version=bls.version,
                             completed_on=add_months(TODAY, -12) + timedelta(days=10))
    items = by_key(DashboardService(workspace).attention(team.starter))
    assert items["training"].count == 1 and items["registration"].count == 1
    assert items["training"].page == items["registration"].page == "My induction"
    manager = by_key(DashboardService(workspace).attention(team.manager))
    assert manager["training"].page == manager["registration"].page == "Induction"  # their team's


def test_a_new_pcn_is_told_its_first_steps_until_it_has_staff(workspace, system_actor):
    """With no one on the staff list there is nothing to count, and Home said "Nothing needs your
    attention" to an administrator who had not begun: it lists what to do first instead, each step
    on the page it is done on, until the first person is added."""
    from tests.conftest import TODAY
    from tests.support.pcn import account, build_small_pcn, staff_input

    first = workspace.accounts.create_first_administrator(
        username="helen.whitfield", display_name="Helen Whitfield", password="riverside-moorland-demo")

    def steps(actor):
        dashboard = DashboardService(workspace).attention(actor)
        return [(s.key, s.page) for s in dashboard.first_steps], dashboard.items

    assert steps(first) == ([("setup", "Practices and employers"), ("staff", "Staff"),
                             ("link-account", "User accounts")], ())
    pcn = build_small_pcn(workspace, system_actor)
    manager = account(workspace, "lm", "Line Manager", {"line_manager"}, None)
    starter = account(workspace, "new", "New Person", {"staff"}, None)
    assert steps(first) == ([("staff", "Staff"), ("link-account", "User accounts")], ())  # practices are set up
    assert steps(manager) == ([("staff", "Staff")], ())  # adds staff; accounts are an administrator's
    assert steps(starter) == ([], ())  # adds no one: nothing for them to start

    workspace.staff.create(first, data=staff_input(pcn.practice_ids, given="Zoë", family="Okubo",
                                                   start=TODAY))
    assert steps(first)[0] == [] and steps(manager)[0] == []


def test_a_pcn_with_staff_has_no_first_steps(demo_workspace, people):
    for actor in people.values():
        assert DashboardService(demo_workspace).attention(actor).first_steps == ()


def test_an_administrator_who_line_manages_is_told_which_sign_offs_are_theirs(workspace, system_actor):
    """An administrator is shown every item waiting for sign-off; one who is also a line manager
    was told even their own starters' items were "for their line managers to sign", so nothing on
    Home said the items were theirs to sign."""
    from tests.induction_support import make_team

    team = make_team(workspace, system_actor)
    ind = workspace.induction
    manager = team.manager
    admin_manager = Actor(manager.user_id, manager.username, manager.display_name,
                          manager.roles | {"administrator"}, manager.staff_id)

    def tick_one(actor, staff_id):
        entry = next(i for i in ind.checklist(actor, staff_id=staff_id).items if i.can_tick and i.needs_signoff)
        ind.tick(actor, item_id=entry.id, expected_version=entry.version)

    tick_one(team.starter, team.starter_id)  # Zoë's line manager is Helen
    card = by_key(DashboardService(workspace).attention(admin_manager))["signoff"]
    assert card.count == 1 and card.detail == "ticked by 1 person, all for you to sign as their line manager"

    tick_one(team.bystander, team.bystander_id)  # Anya is not in Helen's team
    card = by_key(DashboardService(workspace).attention(admin_manager))["signoff"]
    assert card.count == 2
    assert card.detail == "ticked by 2 people: 1 for you to sign as their line manager, the rest for their line managers"
    admin = by_key(DashboardService(workspace).attention(team.admin))["signoff"]  # manages no one
    assert admin.detail == "ticked by 2 people, for their line managers to sign"


@pytest.mark.parametrize("username", ["helen.whitfield", "practice.manager", "zoe.okubo"])
def test_the_first_look_is_the_first_of_every_card_without_the_pcn_wide_ones(demo_workspace, people, username):
    """Home shows `first_look` while `attention` is read: the same cards, in the same places, with
    the PCN-wide ones (mandatory training, supervision, reviews, the contract checks) after them."""
    actor = people[username]
    service = DashboardService(demo_workspace)
    first, every = service.first_look(actor), service.attention(actor)
    assert (first.complete, every.complete) == (False, True)
    assert every.items[:len(first.items)] == first.items and first.greeting == every.greeting
    wide = {"mandatory-training", "supervision", "reviews", "registration-check", "contract-checks"}
    assert not wide & {item.key for item in first.items}
    assert {item.key for item in every.items[len(first.items):]} <= wide
    if username == "helen.whitfield":
        assert {item.key for item in every.items} >= wide - {"registration-check"} and first.items
