"""Induction checklists through the services: making, ticking, signing off, N/A, expiry, role
change, the overview query, and that bad input writes nothing."""

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from arrs_desk.domain import induction as rules
from arrs_desk.domain.induction import ExpiryStatus, ItemStatus
from arrs_desk.errors import PermissionDenied, StaleEdit, ValidationError
from arrs_desk.services.staff import StaffInput
from arrs_desk.store.models import AuditEntry, InductionChecklist, InductionItem
from arrs_desk.domain.dates import add_months
from tests.conftest import NOW, TODAY
from tests.date_support import days_ago, days_ahead
from tests.induction_support import STARTED, item, make_team, person


@pytest.fixture
def team(workspace, system_actor):
    return make_team(workspace, system_actor)


def count(workspace, model, *where) -> int:
    with workspace.db.read() as session:
        return session.execute(select(func.count()).select_from(model).where(*where)).scalar()


def snapshot(workspace, staff_id):
    """Everything stored about a person's checklist, to prove a refused change wrote nothing."""
    with workspace.db.read() as session:
        items = session.execute(select(InductionItem).where(InductionItem.staff_id == staff_id)
                                .order_by(InductionItem.id)).scalars().all()
        return [i.model_dump() for i in items], count(workspace, AuditEntry)


# --------------------------------------------------------------------------- making checklists


def test_new_starter_gets_generic_and_role_items_with_due_dates_from_start(workspace, team):
    view = workspace.induction.checklist(team.manager, staff_id=team.starter_id)
    expected = rules.items_for_role("PARA")
    assert view.has_checklist
    assert {i.key for i in view.items} == {i.key for i in expected}
    assert [s.title for s in view.sections][-1] == "Paramedic essentials"
    assert [s.title for s in view.sections][0] == "Before day one"
    start = STARTED
    assert item(view, "pre-employment-checks").due_on == start - timedelta(days=14)
    assert item(view, "welcome-meeting").due_on == start
    assert item(view, "para-preceptorship-complete").due_on == start + timedelta(days=84)
    with workspace.db.read() as session:
        entry = session.execute(select(AuditEntry).where(AuditEntry.entity_type == "induction_checklist")
                                .where(AuditEntry.subject_staff_id == team.starter_id)).scalar_one()
    assert "GENERIC v1" in entry.summary and "ROLE-PARA v1" in entry.summary


def test_established_staff_get_a_checklist_only_on_demand(workspace, team, system_actor):
    assert not workspace.induction.checklist(team.manager, staff_id=team.manager_id).has_checklist
    veteran = workspace.staff.create(system_actor, data=person(team.practice_id, given="Ruth", family="Green", role="SPLW",
                                                          status="active", start=days_ago(1051),
                                                          manager_id=team.manager_id)).id
    view = workspace.induction.checklist(team.manager, staff_id=veteran)
    assert not view.has_checklist and view.viewer_can_create
    with pytest.raises(PermissionDenied):
        workspace.induction.create_checklist(team.starter, staff_id=veteran)
    view = workspace.induction.create_checklist(team.manager, staff_id=veteran)
    assert view.has_checklist and len(view.items) > 50
    with pytest.raises(ValidationError, match="already has"):
        workspace.induction.create_checklist(team.manager, staff_id=veteran)


def test_a_refused_staff_record_leaves_no_checklist(workspace, team, system_actor):
    before = count(workspace, InductionChecklist), count(workspace, InductionItem)
    bad = person(team.practice_id, given="", family="Nobody", start=days_ago(4), number="PA999999")
    with pytest.raises(ValidationError):
        workspace.staff.create(system_actor, data=bad)
    assert (count(workspace, InductionChecklist), count(workspace, InductionItem)) == before


def test_moving_the_start_date_moves_the_due_dates(workspace, team, system_actor):
    record = workspace.staff.get(system_actor, staff_id=team.starter_id)
    moved = STARTED + timedelta(days=7)
    data = StaffInput(**{**record.data.__dict__, "start_date": moved})
    workspace.staff.update(system_actor, staff_id=team.starter_id, data=data, expected_version=record.version)
    view = workspace.induction.checklist(team.manager, staff_id=team.starter_id)
    assert item(view, "welcome-meeting").due_on == moved
    assert item(view, "pre-employment-checks").due_on == moved - timedelta(days=14)


# --------------------------------------------------------------------------- due and overdue


def test_due_today_is_not_overdue_and_weekends_are_not_special(workspace, system_actor):
    team = make_team(workspace, system_actor, start=TODAY)
    view = workspace.induction.checklist(team.manager, staff_id=team.starter_id)
    assert item(view, "welcome-meeting").due_on == TODAY
    assert item(view, "welcome-meeting").status is ItemStatus.DUE  # due today: still on time
    assert item(view, "pre-employment-checks").status is ItemStatus.DUE  # due 14 days before, so by day one
    assert item(view, "practice-policies-read").due_on == TODAY + timedelta(days=5)  # whatever day that is
    assert item(view, "probation-review").status is ItemStatus.NOT_DUE_YET

    # Policies are read within 5 days: a start five days before the last Saturday (before today)
    # makes that Saturday the due day, and it is overdue now whatever the weekend.
    last_saturday = TODAY - timedelta(days=(TODAY.weekday() - 5) % 7 or 7)
    earlier = workspace.staff.create(system_actor, data=person(team.practice_id, given="Kofi", family="Mensah",
                                                          start=last_saturday - timedelta(days=5), number="PA222333",
                                                          manager_id=team.manager_id)).id
    view = workspace.induction.checklist(team.manager, staff_id=earlier)
    saturday = item(view, "practice-policies-read")
    assert saturday.due_on == last_saturday and saturday.due_on.weekday() == 5
    assert saturday.status is ItemStatus.OVERDUE


def test_overdue_counts_in_the_overview_follow_the_rules(workspace, team):
    view = workspace.induction.checklist(team.manager, staff_id=team.starter_id)
    row = next(r for r in workspace.induction.overview(team.manager) if r.staff_id == team.starter_id)
    assert row.overdue == view.overdue == sum(i.status is ItemStatus.OVERDUE for i in view.items)
    assert row.overdue == sum(1 for i in view.items if i.due_on < TODAY)


# --------------------------------------------------------------------------- ticks and sign-off


def test_starter_ticks_manager_signs_off_and_returns(workspace, team):
    ind = workspace.induction
    view = ind.checklist(team.starter, staff_id=team.starter_id)
    policies = item(view, "practice-policies-read")
    assert policies.can_tick and not policies.can_sign_off
    ind.tick(team.starter, item_id=policies.id, expected_version=policies.version, note="Read all of them")
    agreement = item(view, "supervision-agreement-signed")
    job_plan = item(view, "job-plan-agreed")
    ind.tick(team.starter, item_id=agreement.id, expected_version=agreement.version)
    ind.tick(team.starter, item_id=job_plan.id, expected_version=job_plan.version, note="=HYPERLINK(\"http://x\")")

    view = ind.checklist(team.starter, staff_id=team.starter_id)
    assert item(view, "practice-policies-read").status is ItemStatus.COMPLETE
    assert item(view, "practice-policies-read").ticked_by == "Zoë Ōkubo"
    assert item(view, "supervision-agreement-signed").status is ItemStatus.AWAITING_SIGNOFF
    assert view.awaiting == 2
    done_before = view.progress.done

    manager_view = ind.checklist(team.manager, staff_id=team.starter_id)
    agreement = item(manager_view, "supervision-agreement-signed")
    assert agreement.can_sign_off and not agreement.can_tick
    ind.sign_off(team.manager, item_id=agreement.id, expected_version=agreement.version)
    job_plan = item(manager_view, "job-plan-agreed")
    with pytest.raises(ValidationError, match="Say what"):
        ind.return_item(team.manager, item_id=job_plan.id, expected_version=job_plan.version, comment="  ")
    ind.return_item(team.manager, item_id=job_plan.id, expected_version=job_plan.version, comment="Add your clinic days, please.")

    view = ind.checklist(team.starter, staff_id=team.starter_id)
    signed = item(view, "supervision-agreement-signed")
    assert (signed.status, signed.signed_by, signed.signed_at) == (ItemStatus.COMPLETE, "Helen Whitfield", NOW)
    returned = item(view, "job-plan-agreed")
    assert returned.status is ItemStatus.RETURNED and returned.return_comment == "Add your clinic days, please."
    assert returned.can_tick
    assert view.progress.done == done_before + 1
    ind.tick(team.starter, item_id=returned.id, expected_version=returned.version)
    assert item(ind.checklist(team.starter, staff_id=team.starter_id), "job-plan-agreed").status is ItemStatus.AWAITING_SIGNOFF
    with workspace.db.read() as session:
        actions = session.execute(select(AuditEntry.action).where(
            AuditEntry.subject_staff_id == team.starter_id, AuditEntry.entity_type == "induction_item")).scalars().all()
    assert actions.count("tick") == 4 and actions.count("sign_off") == 1 and actions.count("return") == 1


def test_who_may_do_what(workspace, team):
    ind = workspace.induction
    view = ind.checklist(team.starter, staff_id=team.starter_id)
    dbs = item(view, "dbs-check")  # the manager's item
    assert not dbs.can_tick
    with pytest.raises(ValidationError, match="line manager completes"):
        ind.tick(team.starter, item_id=dbs.id, expected_version=dbs.version)
    policies = item(view, "practice-policies-read")
    with pytest.raises(PermissionDenied):
        ind.tick(team.bystander, item_id=policies.id, expected_version=policies.version)
    with pytest.raises(PermissionDenied):
        ind.checklist(team.bystander, staff_id=team.starter_id)
    with pytest.raises(PermissionDenied):
        ind.tick(team.admin, item_id=policies.id, expected_version=policies.version)
    with pytest.raises(ValidationError, match="for the starter to tick"):
        ind.tick(team.manager, item_id=policies.id, expected_version=policies.version)
    agreement = item(view, "supervision-agreement-signed")
    ind.tick(team.starter, item_id=agreement.id, expected_version=agreement.version)
    agreement = item(ind.checklist(team.starter, staff_id=team.starter_id), "supervision-agreement-signed")
    with pytest.raises(PermissionDenied, match="your own induction"):
        ind.sign_off(team.starter, item_id=agreement.id, expected_version=agreement.version)
    with pytest.raises(PermissionDenied):
        ind.sign_off(team.admin, item_id=agreement.id, expected_version=agreement.version)


def test_a_manager_ticking_an_item_that_needs_sign_off_signs_it(workspace, team):
    ind = workspace.induction
    scope = item(ind.checklist(team.manager, staff_id=team.starter_id), "para-scope-of-practice")
    ind.tick(team.manager, item_id=scope.id, expected_version=scope.version)
    scope = item(ind.checklist(team.manager, staff_id=team.starter_id), "para-scope-of-practice")
    assert scope.status is ItemStatus.COMPLETE and scope.signed_by == scope.ticked_by == "Helen Whitfield"


def test_two_managers_cannot_both_sign_the_same_version(workspace, team):
    ind = workspace.induction
    agreement = item(ind.checklist(team.starter, staff_id=team.starter_id), "supervision-agreement-signed")
    ind.tick(team.starter, item_id=agreement.id, expected_version=agreement.version)
    stale = item(ind.checklist(team.manager, staff_id=team.starter_id), "supervision-agreement-signed")
    ind.sign_off(team.manager, item_id=stale.id, expected_version=stale.version)
    with pytest.raises(StaleEdit):
        ind.return_item(team.manager, item_id=stale.id, expected_version=stale.version, comment="Something is missing here")


def test_untick_before_sign_off_only(workspace, team):
    ind = workspace.induction
    agreement = item(ind.checklist(team.starter, staff_id=team.starter_id), "supervision-agreement-signed")
    ind.tick(team.starter, item_id=agreement.id, expected_version=agreement.version)
    agreement = item(ind.checklist(team.starter, staff_id=team.starter_id), "supervision-agreement-signed")
    assert agreement.can_untick
    ind.untick(team.starter, item_id=agreement.id, expected_version=agreement.version)
    agreement = item(ind.checklist(team.starter, staff_id=team.starter_id), "supervision-agreement-signed")
    assert agreement.status is ItemStatus.OVERDUE and agreement.ticked_by == ""
    ind.tick(team.starter, item_id=agreement.id, expected_version=agreement.version)
    agreement = item(ind.checklist(team.manager, staff_id=team.starter_id), "supervision-agreement-signed")
    ind.sign_off(team.manager, item_id=agreement.id, expected_version=agreement.version)
    agreement = item(ind.checklist(team.starter, staff_id=team.starter_id), "supervision-agreement-signed")
    assert not agreement.can_untick
    with pytest.raises(ValidationError, match="signed off"):
        ind.untick(team.starter, item_id=agreement.id, expected_version=agreement.version)


# --------------------------------------------------------------------------- not applicable


@pytest.mark.parametrize("reason", ["", "n/a", "N/A", "none", "-", "tbc", "aaaaaa"])
def test_not_applicable_needs_a_real_reason_and_a_bad_one_writes_nothing(workspace, team, reason):
    target = item(workspace.induction.checklist(team.manager, staff_id=team.starter_id), "registration-verified")
    before = snapshot(workspace, team.starter_id)
    with pytest.raises(ValidationError) as caught:
        workspace.induction.mark_not_applicable(team.manager, item_id=target.id, expected_version=target.version, reason=reason)
    assert "reason" in caught.value.errors
    assert snapshot(workspace, team.starter_id) == before


def test_not_applicable_with_reason_leaves_progress_and_can_be_undone(workspace, team):
    ind = workspace.induction
    view = ind.checklist(team.manager, staff_id=team.starter_id)
    target = item(view, "smartcard-access")
    ind.mark_not_applicable(team.manager, item_id=target.id, expected_version=target.version, reason="Already has a smartcard from the trust")
    after = ind.checklist(team.manager, staff_id=team.starter_id)
    marked = item(after, "smartcard-access")
    assert marked.status is ItemStatus.NOT_APPLICABLE and marked.na_by == "Helen Whitfield"
    assert marked.na_reason == "Already has a smartcard from the trust"
    assert after.progress.applicable == view.progress.applicable - 1
    assert after.overdue == view.overdue - 1
    ind.reopen(team.manager, item_id=marked.id, expected_version=marked.version)
    assert item(ind.checklist(team.manager, staff_id=team.starter_id), "smartcard-access").status is ItemStatus.OVERDUE


# --------------------------------------------------------------------------- training that expires


def test_training_expiry_and_renewal(workspace, team):
    ind = workspace.induction
    bls = item(ind.checklist(team.starter, staff_id=team.starter_id), "basic-life-support")
    assert bls.validity_months == 12
    with pytest.raises(ValidationError, match="in the future"):
        ind.tick(team.starter, item_id=bls.id, expected_version=bls.version, completed_on=TODAY + timedelta(days=1))
    completed = days_ago(358)  # a year ago next week
    ind.tick(team.starter, item_id=bls.id, expected_version=bls.version, completed_on=completed)
    bls = item(ind.checklist(team.starter, staff_id=team.starter_id), "basic-life-support")
    assert bls.expires_on == add_months(completed, 12) and bls.expiry is ExpiryStatus.EXPIRING
    row = next(r for r in ind.overview(team.manager) if r.staff_id == team.starter_id)
    assert (row.expiring, row.expired) == (1, 0)

    ind.set_validity(team.manager, item_id=bls.id, expected_version=bls.version, months="36")
    bls = item(ind.checklist(team.starter, staff_id=team.starter_id), "basic-life-support")
    assert bls.expires_on == add_months(completed, 36) and bls.expiry is ExpiryStatus.VALID
    with pytest.raises(ValidationError, match="from 1 to 120"):
        ind.set_validity(team.manager, item_id=bls.id, expected_version=bls.version, months="1.5")
    ind.set_validity(team.manager, item_id=bls.id, expected_version=bls.version, months="6")
    bls = item(ind.checklist(team.starter, staff_id=team.starter_id), "basic-life-support")
    assert bls.expiry is ExpiryStatus.EXPIRED
    assert next(r for r in ind.overview(team.manager) if r.staff_id == team.starter_id).expired == 1
    ind.record_renewal(team.starter, item_id=bls.id, expected_version=bls.version, completed_on=TODAY - timedelta(days=3))
    bls = item(ind.checklist(team.starter, staff_id=team.starter_id), "basic-life-support")
    assert bls.completed_on == TODAY - timedelta(days=3) and bls.expiry is ExpiryStatus.VALID


def test_a_starter_cannot_clear_the_expiry_of_their_own_training(workspace, team):
    """Blanking the validity of expired basic life support made it never expire, and the expired
    count on the checklist, the overview and Home went to 0: the starter's own word, unchecked."""
    ind = workspace.induction
    bls = item(ind.checklist(team.starter, staff_id=team.starter_id), "basic-life-support")
    ind.tick(team.starter, item_id=bls.id, expected_version=bls.version, completed_on=days_ago(400))
    bls = item(ind.checklist(team.starter, staff_id=team.starter_id), "basic-life-support")
    assert bls.expiry is ExpiryStatus.EXPIRED and not bls.can_edit_validity
    for months in ("", "120"):
        with pytest.raises(PermissionDenied):
            ind.set_validity(team.starter, item_id=bls.id, expected_version=bls.version, months=months)
    assert item(ind.checklist(team.manager, staff_id=team.starter_id), "basic-life-support").can_edit_validity
    assert item(ind.checklist(team.starter, staff_id=team.starter_id), "basic-life-support").expiry is ExpiryStatus.EXPIRED


def test_registration_renewal_shows_in_the_overview(workspace, team, system_actor):
    record = workspace.staff.get(system_actor, staff_id=team.starter_id)
    data = StaffInput(**{**record.data.__dict__, "registration_renewal": TODAY + timedelta(days=30)})
    workspace.staff.update(system_actor, staff_id=team.starter_id, data=data, expected_version=record.version)
    row = next(r for r in workspace.induction.overview(team.manager) if r.staff_id == team.starter_id)
    assert row.registration_status is ExpiryStatus.EXPIRING
    assert workspace.induction.checklist(team.starter, staff_id=team.starter_id).registration_status is ExpiryStatus.EXPIRING


def test_steps_before_day_one_are_due_by_day_one_and_overdue_only_the_day_after(workspace, system_actor, clock):
    team = make_team(workspace, system_actor, start=TODAY)
    ind = workspace.induction

    def before_day_one():
        view = ind.checklist(team.manager, staff_id=team.starter_id)
        row = next(r for r in ind.overview(team.manager) if r.staff_id == team.starter_id)
        return view, [i for i in view.items if i.section == "before-day-one"], row

    view, early, row = before_day_one()
    assert early and all(i.due_on < TODAY for i in early)
    assert {i.status for i in early} == {ItemStatus.DUE}  # their first day: still on time
    assert view.overdue == row.overdue == 0
    clock.advance(timedelta(days=1))
    view, early, row = before_day_one()
    assert {i.status for i in early} == {ItemStatus.OVERDUE}
    assert view.overdue == row.overdue > len(early)  # with day one's own items


# --------------------------------------------------------------------------- role change


def test_role_change_offers_the_new_roles_items_and_keeps_what_was_done(workspace, team, system_actor):
    ind = workspace.induction
    policies = item(ind.checklist(team.starter, staff_id=team.starter_id), "practice-policies-read")
    ind.tick(team.starter, item_id=policies.id, expected_version=policies.version)
    record = workspace.staff.get(system_actor, staff_id=team.starter_id)
    data = StaffInput(**{**record.data.__dict__, "role_code": "AP", "register_code": "HCPC"})
    workspace.staff.update(system_actor, staff_id=team.starter_id, data=data, expected_version=record.version)

    view = ind.checklist(team.manager, staff_id=team.starter_id)
    ap_titles = {i.title for i in rules.items_for_role("AP") if i.key.startswith("ap-")}
    assert view.reinduction_role == "Advanced practitioner"
    assert set(view.reinduction_titles) == ap_titles
    with pytest.raises(PermissionDenied):
        ind.add_reinduction(team.starter, staff_id=team.starter_id)
    started = record.data.start_date
    for wrong in (date(9999, 1, 1), days_ahead(367), started - timedelta(days=1)):  # a mistyped year, before they came
        with pytest.raises(ValidationError, match="The new role cannot start on") as refused:
            ind.add_reinduction(team.manager, staff_id=team.starter_id, change_date=wrong)
        assert list(refused.value.errors) == ["change_date"]
    assert ind.checklist(team.manager, staff_id=team.starter_id).reinduction_titles  # nothing was added
    added = ind.add_reinduction(team.manager, staff_id=team.starter_id, change_date=days_ago(4))
    assert added == len(ap_titles)
    view = ind.checklist(team.manager, staff_id=team.starter_id)
    assert view.reinduction_titles == ()
    assert item(view, "practice-policies-read").status is ItemStatus.COMPLETE
    assert item(view, "para-lone-working")  # the old role's items stay
    new = [i for i in view.items if i.key.startswith("ap-")]
    assert all(i.reinduction for i in new)
    headings = {s.title: {i.key for i in s.items} for s in view.sections}
    assert headings["Advanced practitioner essentials"] == {i.key for i in new}  # not under the old role's
    assert not any(k.startswith("ap-") for k in headings["Paramedic essentials"])
    offsets = {i.key: i.due_offset_days for i in rules.items_for_role("AP")}
    assert all(i.due_on == days_ago(4) + timedelta(days=offsets[i.key]) for i in new)
    with pytest.raises(ValidationError, match="already has every item"):
        ind.add_reinduction(team.manager, staff_id=team.starter_id)


# --------------------------------------------------------------------------- the overview


def test_overview_counts_match_the_rules_for_every_demo_checklist(demo_workspace, system_actor):
    rows = [r for r in demo_workspace.induction.overview(system_actor) if r.has_checklist]
    assert len(rows) >= 8
    for row in rows:
        view = demo_workspace.induction.checklist(system_actor, staff_id=row.staff_id)
        assert (row.done, row.applicable, row.percent) == (view.progress.done, view.progress.applicable,
                                                           view.progress.percent)
        assert (row.overdue, row.awaiting, row.returned) == (view.overdue, view.awaiting, view.returned)
        assert (row.expired, row.expiring) == (view.expired, view.expiring)
    assert any(r.expired or r.expiring for r in rows)


DAYS_ONE = [TODAY - timedelta(days=30), TODAY - timedelta(days=1), TODAY, TODAY + timedelta(days=1),
            TODAY + timedelta(days=30)]
RANDOM_ITEM = st.tuples(st.sampled_from(list(rules.ItemState)), st.integers(-40, 40), st.booleans(),
                        st.one_of(st.none(), st.integers(-10, 120)))
"""An item's state, due date (days from today), which of the person's two checklists holds it, and
for a completed item the days to its expiry (none: no validity)."""


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_overview_counts_match_each_checklist_on_random_items(workspace, team, data):
    """The overview counts everyone's items in one aggregate query, looking day one up only for
    people with a checklist whose day one is today or later; each checklist's own summary follows
    the domain rules item by item. Random states, dates and expiries, over an induction and a
    re-induction each with a random day one (past, today or ahead)."""
    from arrs_desk.services.shared_reads import shared_reads

    people = (team.starter_id, team.bystander_id)
    with workspace.db.write() as session:
        for sid in people:
            made = session.execute(select(InductionChecklist).where(InductionChecklist.staff_id == sid)
                                   .order_by(InductionChecklist.id)).scalars().all()
            if len(made) == 1:
                made.append(InductionChecklist(staff_id=sid, kind="reinduction", role_code=made[0].role_code,
                                               anchor_date=TODAY, template_versions={}, created_by_name="Test"))
                session.add(made[1])
                session.flush()
            for checklist in made:
                checklist.anchor_date = data.draw(st.sampled_from(DAYS_ONE))
            items = session.execute(select(InductionItem).where(InductionItem.staff_id == sid)).scalars().all()
            for entry in items:
                state, due, second, expires = data.draw(RANDOM_ITEM)
                entry.state, entry.due_on = state.value, TODAY + timedelta(days=due)
                entry.checklist_id = made[second].id
                entry.needs_signoff = entry.needs_signoff or state is rules.ItemState.AWAITING
                done_with_expiry = state is rules.ItemState.COMPLETE and expires is not None
                entry.validity_months = 12 if done_with_expiry else None
                entry.completed_on = TODAY - timedelta(days=200) if state is rules.ItemState.COMPLETE else None
                entry.expires_on = TODAY + timedelta(days=expires) if done_with_expiry else None
    shared_reads(workspace.db).clear()
    rows = {r.staff_id: r for r in workspace.induction.overview(team.admin)}
    for sid in people:
        view = workspace.induction.checklist(team.admin, staff_id=sid)
        row = rows[sid]
        assert (row.done, row.applicable, row.percent) == (view.progress.done, view.progress.applicable,
                                                           view.progress.percent)
        assert (row.overdue, row.awaiting, row.returned) == (view.overdue, view.awaiting, view.returned)
        assert (row.expired, row.expiring) == (view.expired, view.expiring)
        assert row.next_due == min((i.due_on for i in view.items if i.state in ("open", "returned")), default=None)


def test_overview_and_sign_off_queue_show_only_the_managers_team(workspace, team):
    ind = workspace.induction
    ids = {r.staff_id for r in ind.overview(team.manager)}
    assert team.starter_id in ids and team.bystander_id not in ids
    assert {r.staff_id for r in ind.overview(team.admin)} >= {team.starter_id, team.bystander_id}
    agreement = item(ind.checklist(team.starter, staff_id=team.starter_id), "supervision-agreement-signed")
    ind.tick(team.starter, item_id=agreement.id, expected_version=agreement.version, note="Signed at our first meeting")
    queue = ind.awaiting_signoff(team.manager)
    assert [(q.display_name, q.title, q.note) for q in queue] == [
        ("Zoë Ōkubo", agreement.title, "Signed at our first meeting")]
    assert ind.awaiting_signoff(team.bystander) == []


def test_nobody_is_asked_to_sign_for_someone_whose_last_day_has_passed(workspace, team, system_actor, clock):
    """A leaver's record may stay saved as Active after their last day: their ticks awaiting
    sign-off leave the queue, for their line manager and for administrators, the day after it."""
    ind = workspace.induction
    agreement = item(ind.checklist(team.starter, staff_id=team.starter_id), "supervision-agreement-signed")
    ind.tick(team.starter, item_id=agreement.id, expected_version=agreement.version)
    record = workspace.staff.get(system_actor, staff_id=team.starter_id)
    record.data.end_date = days_ahead(2)
    workspace.staff.update(system_actor, staff_id=team.starter_id, data=record.data, expected_version=record.version)
    clock.advance(timedelta(days=2))
    assert [q.staff_id for q in ind.awaiting_signoff(team.manager)] == [team.starter_id]  # the last day itself
    clock.advance(timedelta(days=1))
    assert ind.awaiting_signoff(team.manager) == [] and ind.awaiting_signoff(team.admin) == []


# --------------------------------------------------------------------------- export


def test_csv_export_neutralises_formulas(workspace, team, tmp_path):
    ind = workspace.induction
    view = ind.checklist(team.starter, staff_id=team.starter_id)
    policies = item(view, "practice-policies-read")
    ind.tick(team.starter, item_id=policies.id, expected_version=policies.version, note='=HYPERLINK("http://evil","x")')
    safeguarding = item(view, "safeguarding-local-procedures")
    ind.tick(team.starter, item_id=safeguarding.id, expected_version=safeguarding.version, note="@SUM(1+1)")
    target = tmp_path / "zoe.csv"
    rows = ind.export_csv(team.manager, staff_id=team.starter_id, target=target)
    assert rows == len(view.items)
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert "Zoë Ōkubo" in text
    assert "'=HYPERLINK" in text and "'@SUM" in text
    assert '\n=HYPERLINK' not in text and ',=HYPERLINK' not in text
    with pytest.raises(PermissionDenied):
        ind.export_csv(team.bystander, staff_id=team.starter_id, target=tmp_path / "no.csv")


def test_csv_export_dates_ticks_and_sign_offs_by_the_day_in_england(workspace, team, tmp_path, clock):
    """Ticked and signed off at 00:30 on a summer night in England (23:30 the day before in UTC):
    the CSV said both were done the day before, beside "Completed on" the right day."""
    import csv
    from datetime import datetime

    from arrs_desk.clock import UK

    ind = workspace.induction
    policies = item(ind.checklist(team.starter, staff_id=team.starter_id), "practice-policies-read")
    clock.set(datetime(2027, 7, 1, 0, 30, tzinfo=UK))
    assert clock.now().date() == date(2027, 6, 30)  # in UTC, still the day before
    ind.tick(team.starter, item_id=policies.id, expected_version=policies.version)
    target = tmp_path / "zoe.csv"
    ind.export_csv(team.manager, staff_id=team.starter_id, target=target)
    row = next(r for r in csv.DictReader(target.read_text("utf-8-sig").splitlines()) if r["Item"] == policies.title)
    assert row["Ticked on"] == "01/07/2027"
