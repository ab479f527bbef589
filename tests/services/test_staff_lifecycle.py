"""A staff record's life: status that follows the dates, leaving on a last day, and coming back."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from arrs_desk.domain import staff as staff_rules
from arrs_desk.errors import PermissionDenied, ValidationError
from arrs_desk.services import reference
from arrs_desk.store.models import Staff
from tests.conftest import TODAY
from tests.date_support import days_ago, days_ahead, uk
from tests.support.pcn import HELEN, Member, build_small_pcn

LENA = Member("lena", "Lena", "Leaver", days_ago(400), role="PARA")


@pytest.fixture
def pcn(workspace, system_actor):
    return build_small_pcn(workspace, system_actor, members=(HELEN, LENA))


def save(workspace, actor, staff_id: int, **changes):
    record = workspace.staff.get(actor, staff_id=staff_id)
    for name, value in changes.items():
        setattr(record.data, name, value)
    return workspace.staff.update(actor, staff_id=staff_id, data=record.data, expected_version=record.version)


def test_a_last_day_of_today_is_accepted_and_a_day_gone_is_not(workspace, system_actor, pcn):
    """The end date is the last day in post: today's is still to be worked, yesterday's has passed."""
    lena = pcn.staff_ids["lena"]
    assert save(workspace, system_actor, lena, end_date=TODAY).data.end_date == TODAY
    with pytest.raises(ValidationError) as caught:
        save(workspace, system_actor, lena, end_date=days_ago(1))
    assert f"The end date ({uk(days_ago(1))}) has passed" in caught.value.errors["status"]


SAM = Member("sam", "Sam", "Starter", days_ahead(5), role="PARA", status="pre_start", number="PA654321")


def on_each_page(workspace, actor) -> dict[str, set[int]]:
    """Whom each page that lists people in post lists."""
    return {
        "assurance": {r.staff_id for r in workspace.assurance.matrix(actor).rows},
        "reviews due": {r.staff_id for r in workspace.reviews.due(actor)},
        "revalidation": {r.staff_id for r in workspace.revalidation.statuses(actor)},
        "training": {r.staff_id for r in workspace.training.matrix(actor).rows},
    }


def test_the_status_follows_the_dates_on_every_page(workspace, system_actor, clock):
    """Nobody edits a record the morning a starter starts or the day after a leaver's last day:
    ten days on, Sam (saved as Pre-start) is in post and Lena (last day a week ago) has left."""
    pcn = build_small_pcn(workspace, system_actor, members=(HELEN, LENA, SAM))
    lena, sam = pcn.staff_ids["lena"], pcn.staff_ids["sam"]
    save(workspace, system_actor, lena, end_date=days_ahead(3))
    before = on_each_page(workspace, system_actor)
    assert all(lena in ids and sam not in ids for ids in before.values()), before

    clock.advance(timedelta(days=10))
    after = on_each_page(workspace, system_actor)
    assert all(sam in ids and lena not in ids for ids in after.values()), after
    statuses = {r.id: r.status for r in workspace.staff.list_rows(system_actor)}
    assert (statuses[sam], statuses[lena]) == ("induction", "left")
    assert workspace.staff.get(system_actor, staff_id=sam).data.status == "induction"  # as the editor offers it
    assert workspace.reviews.person(system_actor, staff_id=lena).next is None  # nothing falls due for a leaver


def test_the_database_and_the_rule_agree_on_who_is_in_post(workspace, system_actor):
    """`reference.in_post_where` (the SQL filters) says what `domain.staff.in_post` says."""
    people = [Member(f"p{i}", "Person", f"Number{i}", start, status=status)
              for i, (start, status) in enumerate([(days_ago(30), "pre_start"), (days_ahead(3), "pre_start"),
                                                   (days_ago(300), "active"), (days_ago(300), "on_leave"),
                                                   (days_ahead(2), "active"), (days_ago(30), "induction")])]
    pcn = build_small_pcn(workspace, system_actor, members=people)
    save(workspace, system_actor, pcn.staff_ids["p2"], end_date=TODAY)
    save(workspace, system_actor, pcn.staff_ids["p3"], status="left", end_date=TODAY, leaving_reason="Relocation")
    with workspace.db.write() as session:  # a last day that has passed since the record was saved
        session.get(Staff, pcn.staff_ids["p5"]).end_date = days_ago(1)
    with workspace.db.read() as session:
        by_rule = {p.id for p in reference.staff(session).values()
                   if staff_rules.in_post(p.status, p.start_date, p.end_date, TODAY)}
        by_sql = set(session.execute(select(Staff.id).where(*reference.in_post_where(TODAY))).scalars())
        not_left = set(session.execute(select(Staff.id).where(*reference.not_left_where(TODAY))).scalars())
        kept = reference.in_post_ids(session, TODAY)  # worked out once for the page's reads
        assert reference.in_post_ids(session, TODAY) is kept
        assert reference.statuses(session, TODAY) == {
            p.id: staff_rules.effective_status(p.status, p.start_date, p.end_date, TODAY)
            for p in reference.staff(session).values()}
        later = reference.in_post_ids(session, days_ahead(3))  # another day is another answer
    ids = pcn.staff_ids
    assert by_rule == by_sql == kept == {ids["p0"], ids["p2"]}
    assert later == {ids["p0"], ids["p1"], ids["p4"]}
    assert not_left == {ids["p0"], ids["p1"], ids["p2"], ids["p4"]}


def test_left_with_a_last_day_still_to_come_is_refused_and_the_reason_can_wait_for_it(workspace, system_actor, pcn,
                                                                                      clock):
    """Left means gone: before their last day a leaver is in post, and the end date alone makes
    them Left the day after it. The reason for leaving may be given as soon as the day is known."""
    lena = pcn.staff_ids["lena"]
    with pytest.raises(ValidationError) as caught:
        save(workspace, system_actor, lena, status="left", end_date=days_ahead(10), leaving_reason="Relocation")
    assert f"The end date ({uk(days_ahead(10))}) is still to come" in caught.value.errors["status"]
    saved = save(workspace, system_actor, lena, end_date=days_ahead(10), leaving_reason="Relocation")
    assert (saved.data.status, saved.data.leaving_reason) == ("active", "Relocation")
    clock.advance(timedelta(days=11))
    record = workspace.staff.get(system_actor, staff_id=lena)
    assert (record.data.status, record.data.leaving_reason) == ("left", "Relocation")
    assert save(workspace, system_actor, lena).data.status == "left"  # saved as it now reads, with nothing to add


@pytest.mark.parametrize("how", ["left", "last day passed"])
def test_a_line_manager_who_has_left_holds_nothing_over_their_former_team(workspace, system_actor, clock, how):
    """Helen's account stays open after she leaves, but managing Lena was her job, not her account's."""
    pcn = build_small_pcn(workspace, system_actor, members=(HELEN, Member("lena", "Lena", "Leaver", days_ago(400),
                                                                          role="PARA", manager="helen")))
    helen, lena = pcn.actors["helen"], pcn.staff_ids["lena"]
    assert workspace.staff.get(helen, staff_id=lena).id == lena
    if how == "left":
        save(workspace, system_actor, pcn.staff_ids["helen"], status="left", end_date=TODAY,
             leaving_reason="Retirement")
    else:
        save(workspace, system_actor, pcn.staff_ids["helen"], end_date=TODAY)
        clock.advance(timedelta(days=1))
    with pytest.raises(PermissionDenied):
        workspace.staff.get(helen, staff_id=lena)
    assert {r.id for r in workspace.staff.list_rows(helen)} == {pcn.staff_ids["helen"]}
    assert lena not in {r.staff_id for r in workspace.reviews.due(helen)}
    with pytest.raises(PermissionDenied):
        save(workspace, helen, lena, preferred_name="Lee")


def test_a_supervisor_who_has_left_sees_nobody_they_supervised(workspace, system_actor, clock):
    from tests.supervision_support import arrange
    from tests.support.pcn import YUSUF

    pcn = build_small_pcn(workspace, system_actor, members=(YUSUF, LENA))
    yusuf, lena = pcn.actors["yusuf"], pcn.staff_ids["lena"]
    arrange(workspace, system_actor, lena, supervisor_id=pcn.staff_ids["yusuf"], start=days_ago(100))
    assert lena in {r.id for r in workspace.staff.list_rows(yusuf)}
    save(workspace, system_actor, pcn.staff_ids["yusuf"], end_date=TODAY)
    clock.advance(timedelta(days=1))
    assert {r.id for r in workspace.staff.list_rows(yusuf)} == {pcn.staff_ids["yusuf"]}
    with pytest.raises(PermissionDenied):
        workspace.staff.get(yusuf, staff_id=lena)


def test_a_returner_starts_probation_again_and_the_earlier_leaving_is_recorded(workspace, system_actor):
    """Zoë left a year ago (for relocation) and came back a month ago: her old 6-month probation
    review answers nothing in her new employment, and the return says what it followed."""
    from arrs_desk.domain.dates import add_months
    from arrs_desk.store.models import AuditEntry
    from tests.review_support import make_review_team, review_input
    from tests.supervision_support import STARTED

    team = make_review_team(workspace, system_actor)
    six_months = add_months(STARTED, 6)
    workspace.reviews.create_review(team.helen, data=review_input(
        team, kind="probation", probation_month=6, meeting=six_months, start=STARTED, end=six_months,
        outcome="agreed"))
    save(workspace, system_actor, team.zoe_id, status="left", end_date=days_ago(365), leaving_reason="Relocation")
    back = days_ago(30)
    save(workspace, system_actor, team.zoe_id, status="induction", start_date=back, end_date=None)

    due = workspace.reviews.person(system_actor, staff_id=team.zoe_id).due
    assert [(d.kind, d.probation_month) for d in due if d.kind == "probation"] == [("probation", 3),
                                                                                ("probation", 6)]
    row = next(r for r in workspace.reviews.due(system_actor) if r.staff_id == team.zoe_id)
    assert row.next.kind == "probation" and row.next.due_on == add_months(back, 3)
    with workspace.db.read() as session:
        entry = session.execute(select(AuditEntry).where(AuditEntry.entity_type == "staff",
                                                         AuditEntry.entity_id == team.zoe_id)
                                .order_by(AuditEntry.id.desc())).scalars().first()
    assert (f"came back: starts again on {uk(back)}, after an earlier employment from {uk(STARTED)} to "
            f"{uk(days_ago(365))} (left for: Relocation)") in entry.summary
    assert entry.changes["leaving_reason"] == ["Relocation", ""]
