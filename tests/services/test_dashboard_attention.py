"""Home's "what needs attention" includes programmes behind, check-ins open and the contract's
checks not met, each for the people the signed-in person looks after (administrators: the PCN),
each agreeing with the page it opens, and each opening what it is about."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from arrs_desk.services.actor import Actor
from arrs_desk.services.dashboard import DashboardService
from arrs_desk.services.programmes import EnrolmentStatus
from arrs_desk.store.models import UserAccount
from tests.checkin_support import answers, newcomers
from tests.supervision_support import account, make_team


@pytest.fixture
def people(demo_workspace):
    with demo_workspace.db.read() as session:
        users = session.execute(select(UserAccount)).scalars().all()
    return {u.username: Actor(u.id, u.username, u.display_name, frozenset(u.roles), u.staff_id) for u in users}


def items(workspace, actor) -> dict:
    return {item.key: item for item in DashboardService(workspace).attention(actor).items}


def test_programmes_behind_match_the_programmes_page(demo_workspace, people):
    for username in ("helen.whitfield", "samuel.okonkwo", "gp.supervisor"):
        actor = people[username]
        behind = [r for r in demo_workspace.programmes.overview(actor)
                  if r.status is EnrolmentStatus.BEHIND and r.staff_id != actor.staff_id]
        item = items(demo_workspace, actor)["programmes-behind"]
        assert item.count == len(behind) > 1
        assert (item.page, item.show, item.tone, item.enrolment_id) == ("Programmes", "behind", "bad", None)
        assert behind[0].display_name in item.detail


def test_one_programme_behind_opens_that_programme(demo_workspace, people, system_actor):
    helen = people["helen.whitfield"]
    behind = [r for r in demo_workspace.programmes.overview(helen) if r.status is EnrolmentStatus.BEHIND]
    learner = account(demo_workspace, "learner", behind[0].display_name, {"staff"}, behind[0].staff_id)
    mine = items(demo_workspace, learner)["my-programme"]
    assert (mine.count, mine.enrolment_id, mine.page) == (1, behind[0].enrolment_id, "Programmes")
    assert behind[0].programme_title in mine.detail and "programmes-behind" not in items(demo_workspace, learner)


def test_contract_checks_not_met_match_the_assurance_page(demo_workspace, people):
    everyone = items(demo_workspace, people["helen.whitfield"])["contract-checks"]
    matrix = demo_workspace.assurance.matrix(people["helen.whitfield"])
    unmet = [r for r in matrix.rows if r.unmet]
    assert everyone.count == len(unmet) > 0 and (everyone.page, everyone.show) == ("Assurance", "unmet")
    assert f"{sum(len(r.unmet) for r in unmet)} checks not met" in everyone.detail
    team = items(demo_workspace, people["practice.manager"])["contract-checks"]
    assert team.count < everyone.count
    assert "contract-checks" not in items(demo_workspace, people["zoe.okubo"])  # not a page staff members have
    assert "contract-checks" not in items(demo_workspace, people["gp.supervisor"])


def test_registration_and_training_checks_are_on_home_as_on_the_assurance_page(demo_workspace, people):
    """Both contract checks a manager acts on person by person have their own line on Home: the
    registration and revalidation check (opening the Revalidation page) and mandatory training."""
    helen = people["helen.whitfield"]
    found = items(demo_workspace, helen)
    matrix = demo_workspace.assurance.matrix(helen)
    column = [c.code for c in matrix.checks].index("registration")
    unmet = [r for r in matrix.rows if r.results[column].status.value == "not-met"]
    item = found["registration-check"]
    assert item.count == len(unmet) > 0 and (item.page, item.tone) == ("Revalidation", "bad")
    assert unmet[0].display_name in item.detail
    # Not every one is about the notice period: an audit letter or a lapsed registration is not
    assert "notice period" not in item.detail and "revalidation overdue or at risk" in item.detail
    assert "mandatory-training" in found and found["mandatory-training"].page == "Training"
    assert "registration-check" not in items(demo_workspace, people["zoe.okubo"])


def test_checkins_open_for_the_team_and_for_oneself(workspace, system_actor):
    team = make_team(workspace, system_actor)
    # The long-serving team's yearly check-ins open on days of their own: count from where they are.
    already = len(workspace.checkins.checkins_due(team.admin))
    mine_already = len(workspace.checkins.checkins_due(team.helen))
    starters = newcomers(workspace, system_actor, [team.alpha], 4, manager_id=team.helen_id)
    helen = items(workspace, team.helen)["checkins-due"]
    assert helen.count == 4 + mine_already and helen.page == "My check-ins" and starters[0].display_name in helen.detail
    assert items(workspace, team.admin)["checkins-due"].count == 4 + already
    assert "checkins-due" not in items(workspace, team.bogdan)
    own = items(workspace, starters[0])
    assert own["my-checkin"].page == "My check-ins" and "anonymous" in own["my-checkin"].detail
    assert "checkins-due" not in own
    workspace.checkins.submit_checkin(starters[0], months=1, answers=answers())
    assert "my-checkin" not in items(workspace, starters[0])
    assert items(workspace, team.helen)["checkins-due"].count == 3 + mine_already


def test_every_item_opens_a_page_the_window_has(demo_workspace, people):
    from arrs_desk.ui.shell.main_window import FEATURE_PAGES

    titles = {spec.title for spec in FEATURE_PAGES}
    for actor in people.values():
        for item in DashboardService(demo_workspace).attention(actor).items:
            assert item.page in titles, (actor.username, item.key, item.page)
            assert item.show in ("", "behind", "unmet")


def test_a_supervisor_is_not_shown_cards_about_inductions_they_do_not_run(demo_workspace, people):
    """A supervisor may see their supervisees' induction progress, but the Induction page and
    sign-off are for line managers and administrators: Home showed "Induction items overdue: 17
    across 3 starters you look after" and "Waiting for your sign-off" with no page to open, and
    counted the supervisees' registrations and induction training as theirs to act on."""
    supervisor = people["gp.supervisor"]
    others = [r for r in demo_workspace.induction.overview(supervisor, include_without_checklist=False)
              if r.staff_id != supervisor.staff_id]
    assert any(r.overdue for r in others)  # what the cards counted
    found = items(demo_workspace, supervisor)
    assert not {"induction-overdue", "signoff"} & set(found)
    for key in ("training", "registration"):  # only ever their own, opening their own checklist
        assert key not in found or found[key].page == "My induction"
    manager = items(demo_workspace, people["samuel.okonkwo"])
    assert manager["induction-overdue"].page == "Induction" and "signoff" in manager
