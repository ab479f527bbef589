"""The CPD log and revalidation record through the service, on SQLite and PostgreSQL:
who may record and verify, the audit of every change, and the status worked out when read."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from arrs_desk.domain.dates import add_months
from arrs_desk.errors import PermissionDenied, StaleEdit, ValidationError
from arrs_desk.services.revalidation import CpdInput, EvidenceInput
from arrs_desk.store.models import AuditEntry, Staff
from tests.conftest import NOW
from tests.support.pcn import ALPHA, BETA, BOGDAN, HELEN, Member, build_small_pcn

TODAY = NOW.date()
NADIA = Member("nadia", "Nadia", "Okonjo", TODAY - timedelta(days=800), role="GPN", manager="helen", roles={"staff"})
PETRA = Member("petra", "Petra", "Lindqvist", TODAY - timedelta(days=500), role="CPH", manager="helen",
               roles={"staff"})


@pytest.fixture
def team(workspace, system_actor):
    pcn = build_small_pcn(workspace, system_actor, members=[HELEN, BOGDAN, NADIA, PETRA], admin="Ada Admin", practices=(ALPHA, BETA),
                          multi_user=True)
    with workspace.db.write() as session:  # the nurse's NMC registration expires in about 7 months
        nurse = session.get(Staff, pcn.staff_ids["nadia"])
        nurse.registration_renewal = add_months(TODAY, 7)
    return pcn


def cpd(team, who="nadia", **kw) -> CpdInput:
    values = dict(staff_id=team.staff_ids[who], occurred_on=TODAY - timedelta(days=30), title="Asthma update",
                  method="course", hours=6.0, participatory=True, provider="Training hub")
    return CpdInput(**{**values, **kw})


def audits(workspace, entity_type):
    with workspace.db.read() as session:
        return session.execute(select(AuditEntry).where(AuditEntry.entity_type == entity_type)
                               .order_by(AuditEntry.id)).scalars().all()


def test_a_staff_member_records_their_own_cpd_and_it_counts_towards_their_cycle(workspace, team):
    nadia = team.actors["nadia"]
    record = workspace.revalidation.add_cpd(nadia, data=cpd(team))
    assert record.can_record and not record.can_verify
    assert record.summary.regulator == "Nursing and Midwifery Council" and record.summary.status == "on_track"
    assert record.cycle.end == add_months(TODAY, 7) and record.cycle.due == record.cycle.end.replace(day=1)
    hours = {p.code: p.have for p in record.progress}
    assert hours["cpd-hours"] == 6 and hours["participatory-hours"] == 6
    assert "CPD hours: 6 of 35" in record.summary.reason
    [entry] = audits(workspace, "cpd_entry")
    assert entry.actor_name == "Nadia Okonjo" and "Asthma update" in entry.summary and entry.subject_staff_id == team.staff_ids["nadia"]


def test_nobody_records_cpd_for_someone_outside_their_team(workspace, team):
    with pytest.raises(PermissionDenied, match="themself or their line manager"):
        workspace.revalidation.add_cpd(team.actors["bogdan"], data=cpd(team))
    with pytest.raises(PermissionDenied):
        workspace.revalidation.add_cpd(team.actors["petra"], data=cpd(team))


def test_someone_outside_the_team_cannot_tell_whether_a_staff_id_exists(workspace, team):
    """Looked up before the permission check, an unknown id said 'no longer exists' and a known one
    was refused, so anyone could find out which staff ids exist."""
    missing = max(team.staff_ids.values()) + 1000
    evidence = EvidenceInput(staff_id=missing, kind="feedback", occurred_on=TODAY - timedelta(days=3),
                             title="Patient feedback")
    for staff_id in (missing, team.staff_ids["nadia"]):
        with pytest.raises(PermissionDenied, match="themself or their line manager"):
            workspace.revalidation.add_cpd(team.actors["bogdan"], data=cpd(team, staff_id=staff_id))
        with pytest.raises(PermissionDenied, match="themself or their line manager"):
            workspace.revalidation.add_evidence(team.actors["bogdan"], data=replace(evidence, staff_id=staff_id))


def test_only_the_line_manager_or_an_administrator_verifies_and_nobody_their_own(workspace, team):
    record = workspace.revalidation.add_cpd(team.actors["nadia"], data=cpd(team))
    entry = record.cpd[0]
    with pytest.raises(PermissionDenied, match="cannot verify your own"):
        workspace.revalidation.verify_cpd(team.actors["nadia"], entry_id=entry.id, expected_version=entry.version)
    with pytest.raises(PermissionDenied, match="line manager or an administrator"):
        workspace.revalidation.verify_cpd(team.actors["bogdan"], entry_id=entry.id, expected_version=entry.version)
    verified = workspace.revalidation.verify_cpd(team.actors["helen"], entry_id=entry.id,
                                                 expected_version=entry.version).cpd[0]
    assert (verified.verified_by, verified.verified_on) == ("Helen Whitfield", TODAY)
    with pytest.raises(ValidationError, match="already verified by Helen Whitfield"):
        workspace.revalidation.verify_cpd(team.actors["admin"], entry_id=entry.id, expected_version=verified.version)
    assert [a.action for a in audits(workspace, "cpd_entry")] == ["create", "verify"]


def test_an_administrator_verifies_evidence_and_a_change_afterwards_drops_the_verification(workspace, team):
    data = EvidenceInput(staff_id=team.staff_ids["nadia"], kind="discussion", occurred_on=TODAY - timedelta(days=3),
                         title="Reflective discussion", partner_name="Sam Reid", partner_registration="09 i 1234 e")
    item = workspace.revalidation.add_evidence(team.actors["nadia"], data=data).evidence[0]
    assert item.partner_registration == "09I1234E"
    item = workspace.revalidation.verify_evidence(team.actors["admin"], evidence_id=item.id,
                                                  expected_version=item.version).evidence[0]
    assert item.verified_by == "Ada Admin"
    changed = workspace.revalidation.update_evidence(team.actors["nadia"], evidence_id=item.id,
                                                     data=replace(data, title="Reflective discussion with Sam"),
                                                     expected_version=item.version).evidence[0]
    assert changed.verified_by == "" and changed.verified_on is None
    with pytest.raises(StaleEdit):
        workspace.revalidation.update_evidence(team.actors["nadia"], evidence_id=item.id, data=data,
                                               expected_version=item.version)
    actions = [(a.action, sorted(a.changes)) for a in audits(workspace, "revalidation_evidence")]
    assert actions[1:] == [("verify", ["verified_by_name", "verified_on"]), ("update", ["title", "verified_by_name"])]


def test_problems_are_reported_by_field(workspace, team):
    bad = cpd(team, title="x", method="osmosis", hours=0, occurred_on=TODAY + timedelta(days=1),
              source_kind="programme", source_id=999)
    with pytest.raises(ValidationError) as caught:
        workspace.revalidation.add_cpd(team.actors["nadia"], data=bad)
    assert set(caught.value.errors) == {"title", "method", "hours", "occurred_on", "source_id"}
    with pytest.raises(ValidationError) as caught:
        workspace.revalidation.add_evidence(team.actors["nadia"], data=EvidenceInput(
            staff_id=team.staff_ids["nadia"], kind="confirmation", occurred_on=None, title="Confirmed"))
    assert set(caught.value.errors) == {"partner_name", "occurred_on"}
    assert audits(workspace, "cpd_entry") == []


def test_removing_an_entry_is_audited_and_refused_when_stale(workspace, team):
    entry = workspace.revalidation.add_cpd(team.actors["helen"], data=cpd(team)).cpd[0]
    assert entry.recorded_by == "Helen Whitfield"
    with pytest.raises(StaleEdit):
        workspace.revalidation.delete_cpd(team.actors["nadia"], entry_id=entry.id, expected_version=entry.version + 1)
    workspace.revalidation.delete_cpd(team.actors["nadia"], entry_id=entry.id, expected_version=entry.version)
    assert workspace.revalidation.person(team.actors["nadia"], staff_id=team.staff_ids["nadia"]).cpd == ()
    assert [a.action for a in audits(workspace, "cpd_entry")] == ["create", "delete"]


def test_statuses_and_home_warnings_show_only_what_the_reader_may_see(workspace, team):
    rows = {r.name: r for r in workspace.revalidation.statuses(team.actors["helen"])}
    assert rows["Nadia Okonjo"].status == "on_track"
    assert rows["Petra Lindqvist"].status == "unknown" and "No GPhC renewal date" in rows["Petra Lindqvist"].reason
    assert "Bogdan Popescu" not in rows
    assert [r.name for r in workspace.revalidation.statuses(team.actors["nadia"])] == ["Nadia Okonjo"]
    assert workspace.revalidation.warnings(team.actors["helen"]) == []
    with workspace.db.write() as session:  # the pharmacist's records are due in 27-30 days (month ends clamp)
        session.get(Staff, team.staff_ids["petra"]).registration_renewal = add_months(TODAY + timedelta(days=30), 2)
    [warning] = workspace.revalidation.warnings(team.actors["helen"])
    assert warning.name == "Petra Lindqvist" and warning.warning == 30 and warning.status == "at_risk"
    assert 27 <= warning.days_to_due <= 30 and "Planned CPD records: 0 of 2" in warning.reason
    assert [w.name for w in workspace.revalidation.warnings(team.actors["petra"])] == ["Petra Lindqvist"]
    assert workspace.revalidation.warnings(team.actors["nadia"]) == []
    assert workspace.revalidation.warnings(team.actors["bogdan"]) == []


def test_home_shows_revalidation_once_a_warning_day_is_reached(workspace, team):
    """Helen (line manager) sees her team's; Petra sees her own in her own words; Nadia, months
    away from hers, sees nothing."""
    from arrs_desk.services.dashboard import DashboardService

    def card(who):
        items = [i for i in DashboardService(workspace).attention(team.actors[who]).items if i.key == "revalidation"]
        return items[0] if items else None

    assert card("helen") is None and card("nadia") is None
    with workspace.db.write() as session:  # the pharmacist's records are due in 27-30 days
        session.get(Staff, team.staff_ids["petra"]).registration_renewal = add_months(TODAY + timedelta(days=30), 2)
    helen = card("helen")
    assert (helen.title, helen.count, helen.tone, helen.page) == ("Revalidation coming up", 1, "warn", "Revalidation")
    assert helen.detail.startswith("\u2068Petra Lindqvist\u2069 due ") and helen.detail.endswith(" (at risk)")
    petra = card("petra")
    assert petra.title == "My revalidation" and petra.detail.startswith("GPhC revalidation due ")
    assert card("nadia") is None
    with workspace.db.write() as session:  # now past the day it was due: "coming up" no longer
        session.get(Staff, team.staff_ids["petra"]).registration_renewal = add_months(TODAY - timedelta(days=5), 2)
    helen = card("helen")
    assert (helen.title, helen.tone) == ("Revalidation overdue", "bad") and "overdue" in helen.detail


def test_a_starter_in_induction_with_a_lapsed_registration_is_on_the_page_home_opens(workspace, team):
    """Home's "Registration or revalidation not on track" (the Assurance check) counted a new nurse
    in induction whose NMC renewal had passed, and opened the Revalidation page, which left out
    everyone in induction: the card said 1 and the page showed nobody."""
    from arrs_desk.services.dashboard import DashboardService

    with workspace.db.write() as session:
        nurse = session.get(Staff, team.staff_ids["nadia"])
        nurse.status, nurse.registration_renewal = "induction", TODAY - timedelta(days=2)
    helen = team.actors["helen"]
    card = next(i for i in DashboardService(workspace).attention(helen).items if i.key == "registration-check")
    assert card.page == "Revalidation" and "Nadia Okonjo" in card.detail
    assert "Nadia Okonjo" in {r.name for r in workspace.revalidation.statuses(helen)}
