"""Review services: what is due, who may write, read and sign what, carrying objectives forward,
the impact log, and every write validated, audited and all-or-nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from arrs_desk.domain.dates import add_months
from arrs_desk.domain.reviews import DueStatus, ReviewState
from arrs_desk.errors import PermissionDenied, StaleEdit, ValidationError
from arrs_desk.services.relationships import relationship, visible_staff_ids
from arrs_desk.store.models import AuditEntry, Review, ReviewObjective, ReviewSignOff
from tests.conftest import NOW
from tests.date_support import days_ago, days_ahead, uk
from tests.review_support import (
    NEWBIE_STARTED, TODAY, impact, make_review_team, objective, pdp_item, review_input,
)
from tests.supervision_support import STARTED


@pytest.fixture
def team(workspace, system_actor):
    return make_review_team(workspace, system_actor)


def count(workspace, model) -> int:
    with workspace.db.read() as session:
        return session.execute(select(func.count()).select_from(model)).scalar()


def audits(workspace, entity_type: str) -> list[AuditEntry]:
    with workspace.db.read() as session:
        return list(session.execute(select(AuditEntry).where(AuditEntry.entity_type == entity_type)
                                    .order_by(AuditEntry.id)).scalars())


def held_review(workspace, team, **kw):
    """An annual appraisal held today by the GP, with the outcome agreed."""
    kw.setdefault("outcome", "agreed")
    return workspace.reviews.create_review(team.helen, data=review_input(team, **kw))


# --------------------------------------------------------------------------- what is due


def test_the_due_list_shows_each_persons_next_review(workspace, team):
    overview = workspace.reviews.overview(team.helen)
    rows = {r.staff_id: r for r in overview.due_rows}
    assert set(rows) == {team.helen_id, team.zoe_id, team.newbie_id}  # Helen's team and herself
    newbie = rows[team.newbie_id]
    three_months = add_months(NEWBIE_STARTED, 3)
    assert (newbie.next.label, newbie.next.due_on, newbie.status) == (
        "Probation review (3 months)", three_months, DueStatus.OVERDUE)
    zoe = rows[team.zoe_id]
    assert (zoe.next.label, zoe.next.due_on, zoe.status) == (
        "Annual appraisal", add_months(STARTED, 12), DueStatus.OVERDUE)
    assert overview.held_rows == ()

    held_on = three_months + timedelta(days=1)
    held_review(workspace, team, staff_id=team.newbie_id, kind="probation", probation_month=3,
                meeting=held_on, start=NEWBIE_STARTED, end=held_on)
    rows = {r.staff_id: r for r in workspace.reviews.overview(team.helen).due_rows}
    assert rows[team.newbie_id].next.label == "Probation review (6 months)"
    assert rows[team.newbie_id].next.due_on == add_months(NEWBIE_STARTED, 6)
    assert rows[team.newbie_id].status is DueStatus.DUE_SOON
    assert rows[team.newbie_id].last_review == "Probation review (3 months)"


def test_a_booked_review_answers_the_one_due(workspace, team):
    workspace.reviews.create_review(team.helen, data=review_input(team, meeting=days_ahead(9)))
    row = next(r for r in workspace.reviews.overview(team.helen).due_rows if r.staff_id == team.zoe_id)
    assert row.status is DueStatus.BOOKED and row.next.booked_on == days_ahead(9)
    held = workspace.reviews.overview(team.helen).held_rows
    assert [(r.display_name, r.state) for r in held] == [("Zoë Ōkubo", ReviewState.BOOKED)]


# --------------------------------------------------------------------------- writing a review


def test_every_problem_is_reported_at_once_and_nothing_is_written(workspace, team):
    bad = review_input(team, start=days_ago(23), end=days_ago(327), appraiser_id=team.zoe_id,
                       meeting=days_ahead(26), outcome="follow-up",
                       objectives=[objective(measure="", due=None), objective("ok")],
                       pdp=[pdp_item(need="")])
    with pytest.raises(ValidationError) as caught:
        workspace.reviews.create_review(team.helen, data=bad)
    errors = caught.value.errors
    assert set(errors) == {"period", "appraiser", "outcome", "objectives", "pdp"}
    assert "Nobody appraises themself" in errors["appraiser"]
    assert "Objective 1: say how achievement will be measured; give the date" in errors["objectives"]
    assert "Objective 2: describe what is to be achieved" in errors["objectives"]
    assert "once the meeting has been held" in errors["outcome"]
    assert count(workspace, Review) == 0 and audits(workspace, "review") == []


def test_a_mistyped_year_is_refused_in_the_period_objectives_and_plan(workspace, team):
    """A period of 1900 for someone who started in 2022, an objective due 01/01/0001 and a plan
    item aimed at 31/12/9999 were all saved."""
    from datetime import date

    bad = review_input(team, start=date(1900, 1, 1), end=date(1900, 12, 31), meeting=days_ago(1),
                       objectives=[objective(due=date(1, 1, 1))],
                       pdp=[replace(pdp_item(), target_date=date(9999, 12, 31))])
    with pytest.raises(ValidationError) as caught:
        workspace.reviews.create_review(team.helen, data=bad)
    errors = caught.value.errors
    assert "before" in errors["period"] and "when this person started" in errors["period"]
    assert errors["objectives"] == "Objective 1: 01/01/0001 is before 2000; check the year."
    assert errors["pdp"] == "Development plan item 1: 31/12/9999 is more than 10 years ahead; check the year."
    assert count(workspace, Review) == 0


def test_signing_someone_elses_review_names_nobody_to_those_who_may_not_see_them(workspace, team):
    """Stepping through review ids with "sign" named who was appraised and who appraised them."""
    made = workspace.reviews.create_review(team.helen, data=review_input(team))
    outsider = team.anya  # in Bogdan's team: may not see Zoë
    for party in ("appraisee", "appraiser"):
        with pytest.raises(PermissionDenied) as refused:
            workspace.reviews.sign(outsider, review_id=made.id, party=party, expected_version=made.version)
        assert "Zoë" not in str(refused.value) and "Ōkubo" not in str(refused.value)


def test_follow_up_needs_a_note_and_probation_needs_its_month(workspace, team):
    with pytest.raises(ValidationError) as caught:
        workspace.reviews.create_review(team.helen, data=review_input(team, kind="probation", outcome="follow-up"))
    assert set(caught.value.errors) == {"probation_month", "outcome_note"}


def test_the_appraiser_must_be_able_to_sign_in_and_write_reviews(workspace, team):
    with pytest.raises(ValidationError) as caught:
        workspace.reviews.create_review(team.helen, data=review_input(team, appraiser_id=team.anya_id))
    assert "appraiser or line manager role" in caught.value.errors["appraiser"]
    choices = workspace.reviews.form_choices(team.helen, staff_id=team.zoe_id)
    assert {c.label for c in choices.appraisers} == {"Helen Whitfield", "Yusuf Raghunathan", "Bogdan Popescu"}
    assert [c.label for c in choices.externals] == ["Dr Ines Carvalho"]


def test_who_may_write_a_review(workspace, team):
    data = review_input(team)
    for actor in (team.zoe, team.gp, team.bogdan, team.admin):
        with pytest.raises(PermissionDenied):
            workspace.reviews.create_review(actor, data=data)
    detail = workspace.reviews.create_review(team.helen, data=data)
    # Once named, the appraiser may edit the review; the person appraised never may.
    changed = workspace.reviews.update_review(team.gp, review_id=detail.id, data=replace(
        detail.as_input(), appraiser_summary="Discussed workload and the falls clinic."), expected_version=detail.version)
    assert changed.appraiser_summary == "Discussed workload and the falls clinic."
    with pytest.raises(PermissionDenied):
        workspace.reviews.update_review(team.zoe, review_id=detail.id, data=changed.as_input(),
                                        expected_version=changed.version)


def test_naming_an_appraiser_makes_them_appraise_that_person(workspace, team):
    with workspace.db.read() as session:
        assert not relationship(session, team.gp, team.zoe_id).appraises
        assert team.zoe_id not in visible_staff_ids(session, team.gp)
    workspace.reviews.create_review(team.helen, data=review_input(team))
    with workspace.db.read() as session:
        assert relationship(session, team.gp, team.zoe_id).appraises
        assert not relationship(session, team.gp, team.anya_id).appraises
        assert team.zoe_id in visible_staff_ids(session, team.gp)
    assert workspace.reviews.person(team.gp, staff_id=team.zoe_id).can_print_pack
    assert {r.staff_id for r in workspace.reviews.overview(team.gp).due_rows} == {team.gp_id, team.zoe_id}


def test_saving_a_review_unchanged_moves_no_version_and_records_nothing(workspace, team):
    """Reported: saving a review's form as it was moved its version on, so a colleague's open copy
    went stale for nothing (a self-assessment saved unchanged already moved nothing)."""
    detail = held_review(workspace, team, objectives=[objective("Run a weekly falls clinic"),
                                                      objective("Audit social prescribing referrals")])
    entries = len(audits(workspace, "review"))
    again = workspace.reviews.update_review(team.helen, review_id=detail.id, data=detail.as_input(),
                                            expected_version=detail.version)
    assert again.version == detail.version and len(audits(workspace, "review")) == entries
    with pytest.raises(StaleEdit):  # an old version is still refused, changed or not
        workspace.reviews.update_review(team.helen, review_id=detail.id, data=detail.as_input(),
                                        expected_version=detail.version - 1)
    swapped = detail.as_input()
    swapped.objectives.reverse()  # the same objectives in another order is a change
    moved = workspace.reviews.update_review(team.helen, review_id=detail.id, data=swapped,
                                            expected_version=detail.version)
    assert moved.version == detail.version + 1
    assert [o.description for o in moved.objectives] == ["Audit social prescribing referrals",
                                                         "Run a weekly falls clinic"]


def test_a_stale_edit_is_refused_and_changes_nothing(workspace, team):
    detail = held_review(workspace, team)
    first = workspace.reviews.update_review(team.helen, review_id=detail.id, data=replace(
        detail.as_input(), appraiser_summary="First"), expected_version=detail.version)
    with pytest.raises(StaleEdit):
        workspace.reviews.update_review(team.gp, review_id=detail.id, data=replace(
            detail.as_input(), appraiser_summary="Second", objectives=[]), expected_version=detail.version)
    again = workspace.reviews.review(team.helen, review_id=detail.id)
    assert (again.appraiser_summary, len(again.objectives), again.version) == ("First", 1, first.version)


def test_objectives_and_plan_items_are_updated_added_and_removed_with_the_review(workspace, team):
    detail = held_review(workspace, team, objectives=[objective("Run a weekly falls clinic"),
                                                      objective("Audit social prescribing referrals")])
    data = detail.as_input()
    data.objectives[0].status = "achieved"
    data.objectives[0].progress = "42 patients seen; clinic continues."
    del data.objectives[1]
    data.objectives.append(objective("Lead the carers' support group"))
    data.pdp.append(pdp_item("Safeguarding level 3 refresher"))
    after = workspace.reviews.update_review(team.helen, review_id=detail.id, data=data, expected_version=detail.version)
    assert [(o.description, o.status_label) for o in after.objectives] == [
        ("Run a weekly falls clinic", "Achieved"), ("Lead the carers' support group", "In progress")]
    assert after.objectives[0].id == detail.objectives[0].id
    assert [p.need for p in after.pdp] == ["Confidence with motivational interviewing", "Safeguarding level 3 refresher"]
    entry = audits(workspace, "review")[-1]
    assert entry.action == "update" and entry.subject_staff_id == team.zoe_id
    assert entry.changes["objective 1"]["status"] == ["in-progress", "achieved"]
    assert "objective removed: Audit social prescribing referrals" in entry.changes


# --------------------------------------------------------------------------- self-assessment


def test_only_the_person_writes_their_self_assessment_and_it_stays_private(workspace, team):
    detail = workspace.reviews.create_review(team.helen, data=review_input(team, meeting=days_ahead(9)))
    with pytest.raises(PermissionDenied):
        workspace.reviews.write_self_assessment(team.helen, review_id=detail.id, self_assessment="x", reflections="",
                                                expected_version=detail.version)
    mine = workspace.reviews.write_self_assessment(
        team.zoe, review_id=detail.id, self_assessment="I set up the falls clinic.",
        reflections="I need to say no more often.", expected_version=detail.version)
    assert mine.self_assessment == "I set up the falls clinic."
    for reader in (team.helen, team.gp):
        assert workspace.reviews.review(reader, review_id=detail.id).reflections == "I need to say no more often."
    assert workspace.reviews.review(team.admin, review_id=detail.id).self_assessment is None
    entry = audits(workspace, "review_self_assessment")[-1]
    assert entry.changes == {"self_assessment": ["(private)", "(private)"], "reflections": ["(private)", "(private)"]}
    assert "falls clinic" not in entry.summary


def test_saving_a_self_assessment_unchanged_moves_no_version_and_records_nothing(workspace, team):
    detail = workspace.reviews.create_review(team.helen, data=review_input(team, meeting=days_ahead(9)))
    mine = workspace.reviews.write_self_assessment(team.zoe, review_id=detail.id, self_assessment="Falls clinic.",
                                                   reflections="Say no more.", expected_version=detail.version)
    entries = len(audits(workspace, "review_self_assessment"))
    again = workspace.reviews.write_self_assessment(team.zoe, review_id=detail.id, self_assessment="Falls clinic.",
                                                    reflections="Say no more.", expected_version=mine.version)
    assert again.version == mine.version and len(audits(workspace, "review_self_assessment")) == entries
    with pytest.raises(StaleEdit):
        workspace.reviews.write_self_assessment(team.zoe, review_id=detail.id, self_assessment="Falls clinic.",
                                                reflections="Say no more.", expected_version=detail.version)


# --------------------------------------------------------------------------- sign-off


def test_each_party_signs_for_themself_and_a_signed_review_is_kept(workspace, team):
    detail = held_review(workspace, team)
    with pytest.raises(PermissionDenied):  # the line manager is not the named appraiser
        workspace.reviews.sign(team.helen, review_id=detail.id, party="appraiser", expected_version=detail.version)
    with pytest.raises(PermissionDenied):  # nobody signs for the person appraised
        workspace.reviews.sign(team.gp, review_id=detail.id, party="appraisee", expected_version=detail.version)
    signed = workspace.reviews.sign(team.zoe, review_id=detail.id, party="appraisee", expected_version=detail.version,
                                    comment="A fair record.")
    assert signed.can.sign_as_appraisee is False and signed.row.state is ReviewState.HELD
    # Whose signature it waits for: "awaiting signatures" sent Zoë looking for one she had given
    assert signed.row.state_label == "Held, awaiting the appraiser's signature"
    both = workspace.reviews.sign(team.gp, review_id=detail.id, party="appraiser", expected_version=signed.version)
    assert both.row.state is ReviewState.SIGNED and both.locked and not both.can.edit
    assert [(s.party_label, s.name, s.on_paper) for s in both.signatures] == [
        ("Appraiser", "Yusuf Raghunathan", False), ("Appraisee", "Zoë Ōkubo", False)]
    with workspace.db.read() as session:
        row = session.execute(select(ReviewSignOff).where(ReviewSignOff.party == "appraiser")).scalar_one()
        assert (row.signed_by_user_id, row.signed_on, row.created_at) == (team.gp.user_id, TODAY, NOW)
    signing = [a for a in audits(workspace, "review") if a.action == "sign_off"]
    assert [(a.user_id, a.at) for a in signing] == [(team.zoe.user_id, NOW), (team.gp.user_id, NOW)]
    with pytest.raises(ValidationError, match="kept as it was agreed"):
        workspace.reviews.update_review(team.helen, review_id=detail.id, data=both.as_input(),
                                        expected_version=both.version)
    with pytest.raises(ValidationError, match="signed"):
        workspace.reviews.delete_review(team.helen, review_id=detail.id, expected_version=both.version)


def test_a_change_after_one_signature_clears_it(workspace, team):
    detail = held_review(workspace, team)
    signed = workspace.reviews.sign(team.zoe, review_id=detail.id, party="appraisee", expected_version=detail.version)
    changed = workspace.reviews.update_review(team.gp, review_id=detail.id, data=replace(
        signed.as_input(), appraiser_summary="Added the falls clinic figures."), expected_version=signed.version)
    assert changed.signatures == () and changed.can.sign_as_appraiser
    assert workspace.reviews.review(team.zoe, review_id=detail.id).can.sign_as_appraisee
    entry = audits(workspace, "review")[-1]
    assert entry.changes["signatures_cleared"] == ["appraisee"] and "appraisee signature cleared" in entry.summary


def test_signing_waits_for_the_meeting_and_the_outcome(workspace, team):
    booked = workspace.reviews.create_review(team.helen, data=review_input(team, meeting=days_ahead(9)))
    with pytest.raises(ValidationError) as caught:
        workspace.reviews.sign(team.gp, review_id=booked.id, party="appraiser", expected_version=booked.version)
    assert set(caught.value.errors) == {"meeting_date", "outcome"}
    assert count(workspace, ReviewSignOff) == 0


def test_an_external_appraisers_paper_signature_is_recorded_by_the_manager(workspace, team):
    detail = held_review(workspace, team, external=True)
    assert detail.row.appraiser_name == "Dr Ines Carvalho"
    assert detail.can.record_paper_appraiser and not detail.can.record_paper_appraisee
    with pytest.raises(ValidationError) as caught:
        workspace.reviews.record_paper_signature(team.helen, review_id=detail.id, party="appraiser",
                                                 signed_on=days_ahead(6), expected_version=detail.version)
    assert "in the future" in caught.value.errors["signed_on"]
    with pytest.raises(ValidationError, match="sign their review themself"):
        workspace.reviews.record_paper_signature(team.helen, review_id=detail.id, party="appraisee",
                                                 signed_on=TODAY, expected_version=detail.version)
    after = workspace.reviews.record_paper_signature(team.helen, review_id=detail.id, party="appraiser",
                                                     signed_on=TODAY, expected_version=detail.version)
    signature = after.signatures[0]
    assert (signature.name, signature.on_paper, signature.recorded_by) == ("Dr Ines Carvalho", True, "Helen Whitfield")
    with workspace.db.read() as session:
        row = session.execute(select(ReviewSignOff)).scalar_one()
        assert (row.signed_by_external_id, row.recorded_by_user_id, row.signed_by_user_id) == (
            team.external_id, team.helen.user_id, None)


# --------------------------------------------------------------------------- carrying objectives forward


def test_open_objectives_are_carried_forward_as_linked_copies(workspace, team):
    first_meeting, interim_meeting = days_ago(349), days_ago(165)
    first = held_review(workspace, team, meeting=first_meeting, start=STARTED, end=first_meeting,
                        objectives=[objective("Run a weekly falls clinic"),
                                    objective("Audit social prescribing referrals", status="achieved"),
                                    objective("Set up a carers' group", status="not-started")])
    interim = workspace.reviews.create_review(team.helen, data=review_input(
        team, kind="interim", meeting=interim_meeting, start=first_meeting + timedelta(days=1), end=interim_meeting,
        objectives=[objective("Present the falls audit to the PCN board")]))
    assert [(o.description, o.carried_from_id is not None) for o in interim.objectives] == [
        ("Present the falls audit to the PCN board", False), ("Run a weekly falls clinic", True),
        ("Set up a carers' group", True)]
    assert interim.objectives[1].carried_from == f"Carried forward from the annual appraisal of {uk(first_meeting)}"
    original = workspace.reviews.review(team.helen, review_id=first.id)
    assert original.objectives[0].carried_to == (
        f"Carried forward to the interim review (6-month) of {uk(interim_meeting)}")
    assert original.objectives[0].status == "in-progress"  # the original stays as agreed
    with pytest.raises(ValidationError, match="no open objectives left"):
        workspace.reviews.carry_forward(team.helen, review_id=interim.id, expected_version=interim.version)
    data = original.as_input()
    data.objectives = data.objectives[1:]
    with pytest.raises(ValidationError, match="carried forward to a later review"):
        workspace.reviews.update_review(team.helen, review_id=first.id, data=data, expected_version=original.version)
    with pytest.raises(ValidationError, match="carried into a later review"):
        workspace.reviews.delete_review(team.helen, review_id=first.id, expected_version=original.version)
    choices = workspace.reviews.form_choices(team.helen, staff_id=team.zoe_id)
    assert [o.description for o in choices.previous_open] == ["Present the falls audit to the PCN board",
                                                             "Run a weekly falls clinic", "Set up a carers' group"]


def test_carrying_forward_into_an_existing_review(workspace, team):
    held_review(workspace, team, meeting=days_ago(349), start=STARTED, end=days_ago(349))
    later = workspace.reviews.create_review(team.helen, data=review_input(team, meeting=days_ahead(9),
                                                                          objectives=[]), carry_forward=False)
    assert later.objectives == () and later.previous_open == 1
    after = workspace.reviews.carry_forward(team.gp, review_id=later.id, expected_version=later.version)
    assert [o.description for o in after.objectives] == ["Run a weekly falls clinic at Alpha Surgery"]
    assert after.previous_open == 0


def test_carrying_forward_past_the_most_objectives_a_review_holds_is_refused_whole(workspace, team):
    """Carry-forward added every open objective whatever the count: a review of 15 objectives took
    the previous one's 10, held 25, and every later edit of it was refused as "at most 20"."""
    from arrs_desk.services.reviews.validation import MAX_ITEMS

    held_review(workspace, team, meeting=days_ago(349), start=STARTED, end=days_ago(349),
                objectives=[objective(f"Earlier objective {n}") for n in range(10)])
    own = [objective(f"New objective {n}") for n in range(15)]
    with pytest.raises(ValidationError) as refused:
        workspace.reviews.create_review(team.helen, data=review_input(team, meeting=days_ahead(9), objectives=own))
    assert refused.value.errors["objectives"].startswith(
        f"Carrying forward the previous review's 10 open objectives would give this review 25; a review holds at "
        f"most {MAX_ITEMS}.")
    assert len(workspace.reviews.person(team.helen, staff_id=team.zoe_id).reviews) == 1  # nothing written
    later = workspace.reviews.create_review(team.helen, data=review_input(team, meeting=days_ahead(9), objectives=own),
                                            carry_forward=False)
    with pytest.raises(ValidationError, match="would give this review 25"):
        workspace.reviews.carry_forward(team.helen, review_id=later.id, expected_version=later.version)
    workspace.reviews.delete_review(team.helen, review_id=later.id, expected_version=later.version)
    kept = workspace.reviews.create_review(team.helen, data=review_input(
        team, meeting=days_ahead(10), objectives=own[:10]))
    assert len(kept.objectives) == MAX_ITEMS


def test_a_returner_first_review_takes_nothing_from_the_earlier_employment(workspace, system_actor, team):
    """Zoë left and came back 200 days ago: the open objective of her last appraisal in her earlier
    job was offered, ticked, for carrying into her first review now, and the period suggested began
    the day after that appraisal's, in the months she was away."""
    from tests.services.test_staff_lifecycle import save

    old = days_ago(500)
    held_review(workspace, team, meeting=old, start=add_months(old, -12) + timedelta(days=1), end=old,
                objectives=[objective("Objective of the earlier job")])
    save(workspace, system_actor, team.zoe_id, status="left", end_date=days_ago(400), leaving_reason="Relocation")
    back = days_ago(200)
    save(workspace, system_actor, team.zoe_id, status="active", start_date=back, end_date=None)

    choices = workspace.reviews.form_choices(team.helen, staff_id=team.zoe_id)
    assert (choices.previous_open, choices.last_period_end) == ((), None)
    assert choices.suggested_period("probation", TODAY) == (back, TODAY)
    new = workspace.reviews.create_review(team.helen, data=review_input(
        team, kind="probation", probation_month=6, start=back, objectives=[], pdp=[]))
    assert (new.objectives, new.previous_open) == ((), 0)
    with pytest.raises(ValidationError, match="no open objectives left"):
        workspace.reviews.carry_forward(team.helen, review_id=new.id, expected_version=new.version)


def test_an_unsigned_review_can_be_removed(workspace, team):
    detail = workspace.reviews.create_review(team.helen, data=review_input(team, meeting=days_ahead(9)))
    workspace.reviews.delete_review(team.helen, review_id=detail.id, expected_version=detail.version)
    assert count(workspace, Review) == 0 and count(workspace, ReviewObjective) == 0
    assert audits(workspace, "review")[-1].action == "delete"


# --------------------------------------------------------------------------- the impact log


def test_the_person_and_their_manager_record_impact(workspace, team):
    mine = workspace.reviews.add_impact(team.zoe, data=impact(team.zoe_id))
    assert (mine.kind_label, mine.recorded_by) == ("Case study", "Zoë Ōkubo")
    workspace.reviews.add_impact(team.helen, data=impact(team.zoe_id, kind="process-measure", title="Referrals handled",
                                                         description="", measure="Referrals", value="212",
                                                         day=days_ago(238)))
    for outsider in (team.gp, team.bogdan, team.admin, team.anya):
        with pytest.raises(PermissionDenied):
            workspace.reviews.add_impact(outsider, data=impact(team.zoe_id))
    log = workspace.reviews.impact_log(team.helen, staff_id=team.zoe_id)
    assert [e.title for e in log] == ["Housing referral that prevented an admission", "Referrals handled"]
    assert [e.title for e in workspace.reviews.impact_log(team.helen, staff_id=team.zoe_id,
                                                          start=days_ago(237))] == [mine.title]
    changed = workspace.reviews.update_impact(team.zoe, entry_id=mine.id, data=replace(mine.as_input(), value="1 admission avoided"),
                                              expected_version=mine.version)
    with pytest.raises(StaleEdit):
        workspace.reviews.delete_impact(team.zoe, entry_id=mine.id, expected_version=mine.version)
    workspace.reviews.delete_impact(team.zoe, entry_id=mine.id, expected_version=changed.version)
    assert [a.action for a in audits(workspace, "impact_entry")] == ["create", "create", "update", "delete"]


def test_impact_entries_are_checked(workspace, team):
    with pytest.raises(ValidationError) as caught:
        workspace.reviews.add_impact(team.zoe, data=impact(team.zoe_id, kind="patient-reported", title="",
                                                           day=days_ahead(7)))
    assert set(caught.value.errors) == {"title", "measure", "value", "occurred_on"}
    with pytest.raises(ValidationError) as caught:
        workspace.reviews.add_impact(team.zoe, data=impact(team.zoe_id, description="Went well."))
    assert set(caught.value.errors) == {"description"}


def test_the_kept_list_of_reviews_held_shows_a_new_review_at_once(workspace, team):
    """`held` is kept until a save (`services.shared_reads`): the second visit to the tab costs
    nothing, and a review saved meanwhile is in the list the next time it is read."""
    before = workspace.reviews.held(team.helen)
    assert workspace.reviews.held(team.helen) is before  # kept: nothing changed
    created = held_review(workspace, team)
    after = workspace.reviews.held(team.helen)
    assert created.id in {row.id for row in after} and created.id not in {row.id for row in before}
