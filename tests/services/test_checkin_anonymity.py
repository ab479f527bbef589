"""Check-in answers cannot be tied to the person who gave them by anyone using ARRS Desk: not by
comparing summaries before and after someone answers, not from the audit trail, not from a full
export, not from a record bundle. Who has done which check-in is still known, for what is due."""

from __future__ import annotations

import json
import re
import zipfile

import pytest
from sqlalchemy import inspect, select

from arrs_desk.domain import assurance as rules
from arrs_desk.errors import ValidationError
from arrs_desk.services.checkins import ANONYMOUS
from arrs_desk.store.models import AuditEntry, CheckinCompletion, CheckinPending, CheckinPendingPerson, CheckinTally
from tests.checkin_support import answers, newcomers
from tests.conftest import TODAY
from tests.support.exports import export_plain
from tests.supervision_support import make_team

SPLW = "Social prescribing link worker"


@pytest.fixture
def team(workspace, system_actor):
    return make_team(workspace, system_actor)


def summaries(workspace, actor) -> dict[str, list]:
    return {by: workspace.checkins.checkin_summary(actor, by=by) for by in ("role", "practice")}


def audit_since(workspace, last_id: int) -> list[AuditEntry]:
    with workspace.db.read() as session:
        return list(session.execute(select(AuditEntry).where(AuditEntry.id > last_id)).scalars())


def last_audit_id(workspace) -> int:
    with workspace.db.read() as session:
        return max(session.execute(select(AuditEntry.id)).scalars(), default=0)


def test_comparing_summaries_before_and_after_one_person_answers_reveals_nothing(workspace, system_actor, team):
    starters = newcomers(workspace, system_actor, [team.alpha], 11, manager_id=team.helen_id)
    watchers = (team.admin, team.helen)
    for index, starter in enumerate(starters[:4]):
        before = {w.username: summaries(workspace, w) for w in watchers}
        workspace.checkins.submit_checkin(starter, months=1, answers=answers(index + 1))
        assert {w.username: summaries(workspace, w) for w in watchers} == before
    workspace.checkins.submit_checkin(starters[4], months=1, answers=answers(5))
    released = summaries(workspace, team.admin)
    role = {g.group: g for g in released["role"]}[SPLW]
    assert role.shown and role.responses == 5 and role.averages["welcome"] == 3.0  # 1 + 2 + 3 + 4 + 5
    for starter in starters[5:9]:  # the next batch fills up: a very unhappy person among them
        before = summaries(workspace, team.admin)
        workspace.checkins.submit_checkin(starter, months=1, answers=answers(1))
        assert summaries(workspace, team.admin) == before == released
    workspace.checkins.submit_checkin(starters[9], months=1, answers=answers(5))
    role = {g.group: g for g in summaries(workspace, team.admin)["role"]}[SPLW]
    assert role.responses == 10  # the change is a batch of five: no single answer stands out
    assert role.averages["welcome"] == round((15 + 4 * 1 + 5) / 10, 2)


def test_a_batch_needs_answers_from_five_different_people(workspace, system_actor, team, clock):
    four = newcomers(workspace, system_actor, [team.alpha], 4, manager_id=team.helen_id)
    for person in four:
        workspace.checkins.submit_checkin(person, months=1, answers=answers(2))
    three_months = workspace.checkins.my_checkins(four[0]).points[1]
    clock.advance(three_months.due_on - TODAY)
    for person in four:  # eight answers now wait, but from four people: one could be told apart
        workspace.checkins.submit_checkin(person, months=3, answers=answers(4))
    assert not {g.group: g for g in workspace.checkins.checkin_summary(team.admin)}[SPLW].shown
    fifth = newcomers(workspace, system_actor, [team.alpha], 1, manager_id=team.helen_id, prefix="late")[0]
    workspace.checkins.submit_checkin(fifth, months=1, answers=answers(3))
    role = {g.group: g for g in workspace.checkins.checkin_summary(team.admin)}[SPLW]
    assert role.shown and role.responses == 9
    with workspace.db.read() as session:
        assert not session.execute(select(CheckinPending).where(CheckinPending.dimension == "role")).first()
        assert not session.execute(select(CheckinPendingPerson).where(CheckinPendingPerson.dimension == "role")).first()


def test_answers_carry_no_person_no_date_and_no_arrival_order(workspace, system_actor, team):
    starters = newcomers(workspace, system_actor, [team.alpha], 7, manager_id=team.helen_id)
    for starter in starters:
        workspace.checkins.submit_checkin(starter, months=1, answers=answers(3))
    columns = {name: {c["name"] for c in inspect(workspace.db.engine).get_columns(name)}
               for name in ("checkin_pending", "checkin_tally", "checkin_completion")}
    assert columns["checkin_pending"] == {"id", "dimension", "group_key", "answers"}
    assert columns["checkin_tally"] == {"dimension", "group_key", "round", "responses", "counts"}
    assert columns["checkin_completion"] == {"staff_id", "months"}
    with workspace.db.read() as session:
        ids = list(session.execute(select(CheckinPending.id)).scalars())
        rounds = set(session.execute(select(CheckinTally.round)).scalars())
        done = set(session.execute(select(CheckinCompletion.staff_id, CheckinCompletion.months)).all())
    assert len(ids) == 4 and all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)  # two left in each of two groups
    assert rounds == {rules.round_of(TODAY)}
    assert done == {(s.staff_id, 1) for s in starters}


def test_the_audit_trail_says_a_checkin_was_answered_but_not_by_whom(workspace, system_actor, team):
    starters = newcomers(workspace, system_actor, [team.alpha], 5, manager_id=team.helen_id)
    for starter in starters[:4]:
        workspace.checkins.submit_checkin(starter, months=1, answers=answers(2))
    mark = last_audit_id(workspace)
    priya = starters[4]
    workspace.checkins.submit_checkin(priya, months=1, answers=answers(5))  # the fifth: releases the batches
    entries = audit_since(workspace, mark)
    assert {e.action for e in entries} == {"checkin", "release"}
    answered = [e for e in entries if e.action == "checkin"]
    assert len(answered) == 1 and answered[0].entity_id == rules.round_of(TODAY)
    round_ = rules.round_of(TODAY)
    assert {e.entity_id for e in entries} == {round_, f"role/SPLW/{round_}", f"practice/{team.alpha}/{round_}"}
    for entry in entries:
        assert (entry.user_id, entry.actor_name, entry.subject_staff_id) == (None, ANONYMOUS.display_name, None)
        text = json.dumps([entry.summary, entry.changes], ensure_ascii=False)
        assert priya.display_name not in text and priya.username not in text and "staff" not in entry.changes


def test_a_full_export_links_no_one_to_answers(workspace, system_actor, team, tmp_path):
    starters = newcomers(workspace, system_actor, [team.alpha], 7, manager_id=team.helen_id)
    for index, starter in enumerate(starters):
        workspace.checkins.submit_checkin(starter, months=1, answers=answers(1 + index % 5))
    path = tmp_path / "all.zip"
    export_plain(workspace.data_export, team.admin, path)
    data = json.loads(zipfile.ZipFile(path).read("data.json"))["tables"]
    assert "checkin_pending" not in data and "checkin_pending_person" not in data and "checkin_response" not in data
    for row in data["checkin_tally"]:
        assert set(row) == {"dimension", "group_key", "round", "responses", "counts"}
        assert re.fullmatch(r"\d{4}-\d{2}", row["round"]) and row["responses"] >= rules.MIN_GROUP
    assert sorted(data["checkin_completion"], key=lambda r: r["staff_id"]) == [
        {"staff_id": s.staff_id, "months": 1} for s in sorted(starters, key=lambda s: s.staff_id)]
    role = next(r for r in data["checkin_tally"] if r["dimension"] == "role")
    assert role["responses"] == 5  # the two answers still waiting are nowhere in the file
    for row in data["audit_entry"]:
        if row["entity_type"] in ("checkin_round", "checkin_tally"):
            assert row["user_id"] is None and row["subject_staff_id"] is None
            assert not any(s.display_name in row["summary"] for s in starters)


def test_a_record_bundle_carries_no_checkins(workspace, system_actor, team, tmp_path):
    starters = newcomers(workspace, system_actor, [team.alpha], 5, manager_id=team.helen_id)
    for starter in starters:
        workspace.checkins.submit_checkin(starter, months=1, answers=answers(4))
    path = tmp_path / "bundle.zip"
    workspace.record_bundles.export_bundle(team.admin, staff_id=starters[0].staff_id, path=path)
    document = zipfile.ZipFile(path).read("data.json").decode("utf-8")
    assert "checkin" not in document


def test_who_is_due_is_known_to_those_who_look_after_them(workspace, system_actor, team):
    # The long-serving team's yearly check-ins open on days of their own (a PCN-wide list may hold one today).
    already = {d.staff_id for d in workspace.checkins.checkins_due(team.admin)}
    starters = newcomers(workspace, system_actor, [team.alpha], 3, manager_id=team.helen_id)
    due = [d for d in workspace.checkins.checkins_due(team.helen) if d.staff_id not in already]
    assert {d.staff_id for d in due} == {s.staff_id for s in starters}
    assert all(d.months == 1 and d.closes_on > TODAY for d in due)
    workspace.checkins.submit_checkin(starters[0], months=1, answers=answers(3))
    assert {d.staff_id for d in workspace.checkins.checkins_due(team.admin)} == already | {s.staff_id for s in starters[1:]}
    assert workspace.checkins.checkins_due(team.bogdan) == ()  # not his team
    assert workspace.checkins.checkins_due(starters[1]) == ()  # one's own is on one's own page
    with pytest.raises(ValidationError):
        workspace.checkins.submit_checkin(starters[0], months=1, answers=answers(3))


def test_anyone_with_a_staff_record_answers_their_own_checkin_whatever_their_roles(workspace, system_actor, team):
    from tests.supervision_support import account

    starter = newcomers(workspace, system_actor, [team.alpha], 1, manager_id=team.helen_id)[0]
    as_manager = account(workspace, "lead", starter.display_name, {"line_manager"}, starter.staff_id)
    workspace.checkins.submit_checkin(as_manager, months=1, answers=answers(4))
    assert workspace.checkins.my_checkins(starter).due is None
