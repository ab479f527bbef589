"""The demonstration PCN shows revalidation at every stage on whatever day it is built (the suite
runs on hard days too: ARRS_TEST_TODAY): nurses ready, on track, at risk and overdue, a pharmacist
near GPhC renewal, a paramedic whose registration runs to the close of the HCPC paramedics' window,
a physiotherapist picked for the HCPC CPD audit in the current cycle, with CPD (some verified, some participatory) and the evidence each regulator asks for; and the
assurance check agrees with the Revalidation page while most people stay fine."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from arrs_desk.domain.assurance import CheckStatus
from arrs_desk.domain.regulators import builtin_rules
from arrs_desk.domain.revalidation import window_cycle
from arrs_desk.store.models import CpdEntry, RevalidationEvidence, Staff
from tests.conftest import TODAY


def test_every_stage_is_on_show_with_real_looking_records(demo_workspace, system_actor):
    rows = demo_workspace.revalidation.statuses(system_actor)
    nmc = Counter(r.status for r in rows if r.register_code == "NMC")
    assert all(nmc[stage] >= 1 for stage in ("ready", "on_track", "at_risk", "overdue")), nmc
    pharmacists = [r for r in rows if r.register_code == "GPHC-PHARMACIST" and r.status == "ready"
                   and 0 <= r.days_to_due <= builtin_rules().for_register("GPHC-PHARMACIST").notice_days]
    assert pharmacists, "a pharmacist near GPhC renewal with everything in"
    closes = window_cycle(builtin_rules().for_register("HCPC-PA"), "HCPC-PA", TODAY).end
    with demo_workspace.db.read() as session:
        paramedics = session.execute(select(Staff.id).where(Staff.register_code == "HCPC-PA",
                                                            Staff.registration_renewal == closes)).scalars().all()
        cpd = session.execute(select(CpdEntry.participatory, CpdEntry.verified_on, CpdEntry.occurred_on,
                                     CpdEntry.counts_towards)).all()
        kinds = Counter(session.execute(select(RevalidationEvidence.kind)).scalars())
        partners = session.execute(select(RevalidationEvidence.partner_name).where(
            RevalidationEvidence.kind.in_(["discussion", "confirmation"]))).scalars().all()
    assert paramedics and any(r.staff_id in paramedics for r in rows)
    assert {True, False} <= {c.participatory for c in cpd}
    assert any(c.verified_on for c in cpd) and any(c.verified_on is None for c in cpd)
    assert all(c.occurred_on <= TODAY and c.counts_towards is None for c in cpd)
    for kind in ("reflective-account", "feedback", "discussion", "confirmation", "declaration", "practice-hours"):
        assert kinds[kind], kind
    assert partners and all(partners)


def test_the_assurance_check_reads_the_revalidation_page_and_most_people_are_fine(demo_workspace, system_actor):
    statuses = {r.staff_id: r for r in demo_workspace.revalidation.statuses(system_actor)}
    matrix = demo_workspace.assurance.matrix(system_actor)
    column = [c.code for c in matrix.checks].index("registration")
    results = {r.staff_id: r.results[column] for r in matrix.rows}
    registered = [sid for sid, result in results.items() if result.status is not CheckStatus.NOT_APPLICABLE]
    unmet = [sid for sid in registered if results[sid].status is CheckStatus.NOT_MET]
    assert unmet and len(unmet) <= len(registered) // 4, (len(unmet), len(registered))
    for sid, row in statuses.items():
        if sid not in results:
            continue  # not an ARRS role (the GPs supervising)
        if row.status == "overdue":
            assert results[sid].status is CheckStatus.NOT_MET
        if row.status in ("ready", "on_track"):
            assert results[sid].status is CheckStatus.MET, (row.name, results[sid].reason)
    at_risk = [sid for sid, row in statuses.items() if row.status == "at_risk" and sid in results]
    assert at_risk and all(results[sid].status is CheckStatus.NOT_MET for sid in at_risk)  # within the NMC's notice


def test_a_physiotherapist_is_picked_for_the_hcpc_audit_in_the_current_cycle(demo_workspace, system_actor):
    """The letter is dated from the demo's clock, so it falls in the current cycle on any day."""
    rows = [r for r in demo_workspace.revalidation.statuses(system_actor) if r.register_code == "HCPC-PH"]
    picked = [r for r in rows if r.reason.startswith("Picked for HCPC CPD audit on ")]
    assert len(picked) == 1, [r.reason for r in rows]
    assert picked[0].status == "at_risk" and "send the CPD profile by" in picked[0].reason
    record = demo_workspace.revalidation.person(system_actor, staff_id=picked[0].staff_id)
    letters = [e for e in record.evidence if e.kind == "audit-selection"]
    assert len(letters) == 1 and record.cycle.contains(letters[0].occurred_on) and letters[0].occurred_on <= TODAY
