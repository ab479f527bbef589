"""Regulator packs through the service, on SQLite and PostgreSQL: who may print whose, the file
owner-only with only its subject's data, the audit entry, and a clear word when there is no pack."""

from __future__ import annotations

import stat
import unicodedata
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from arrs_desk.domain.dates import add_months, months_window_start
from arrs_desk.errors import PermissionDenied, ValidationError
from arrs_desk.services.audit_log import ACTION_LABELS
from arrs_desk.services.revalidation import CpdInput, EvidenceInput
from arrs_desk.store.models import AuditEntry, Staff
from tests.conftest import NOW
from tests.support.pcn import ALPHA, BETA, BOGDAN, HELEN, Member, build_small_pcn

TODAY = NOW.date()
NADIA = Member("nadia", "Nadia", "Okonjo", TODAY - timedelta(days=800), role="GPN", manager="helen", roles={"staff"})
PETRA = Member("petra", "Petra", "Lindqvist", TODAY - timedelta(days=500), role="CPH", manager="helen",
               roles={"staff"})
RAVI = Member("ravi", "Ravi", "Shah", TODAY - timedelta(days=1500), role="PARA", manager="helen", roles={"staff"})
OMAR = Member("omar", "Omar", "Haddad", TODAY - timedelta(days=500), role="SPLW", manager="helen", roles={"staff"})


@pytest.fixture
def team(workspace, system_actor):
    pcn = build_small_pcn(workspace, system_actor, members=[HELEN, BOGDAN, NADIA, PETRA, OMAR, RAVI], admin="Ada Admin",
                          practices=(ALPHA, BETA), multi_user=True)
    with workspace.db.write() as session:
        session.get(Staff, pcn.staff_ids["nadia"]).registration_renewal = add_months(TODAY, 7)
        session.get(Staff, pcn.staff_ids["petra"]).registration_renewal = add_months(TODAY, 5)
    nadia, petra = pcn.staff_ids["nadia"], pcn.staff_ids["petra"]
    ws = workspace.revalidation
    for days, hours in ((30, 6.0), (60, 2.5)):
        ws.add_cpd(pcn.actors["nadia"], data=CpdInput(nadia, TODAY - timedelta(days=days), f"Asthma update {days}",
                                                      "course", hours, participatory=days == 30,
                                                      reflection="I now check inhaler technique."))
    ws.add_evidence(pcn.actors["nadia"], data=EvidenceInput(nadia, "discussion", TODAY - timedelta(days=3),
                                                            "Reflective discussion", partner_name="Sam Reid",
                                                            partner_registration="09I1234E"))
    ws.add_cpd(pcn.actors["petra"], data=CpdInput(petra, TODAY - timedelta(days=10),
                                                  "Petra's secret antibiotics course", "course", 4.0, planned=True))
    return pcn


def text_of(path) -> str:
    return " ".join(unicodedata.normalize("NFKC", "\n".join(p.extract_text() for p in PdfReader(str(path)).pages))
                    .split())


def test_the_nurse_prints_her_own_nmc_pack_with_only_her_figures_owner_only_and_audited(workspace, team, tmp_path):
    target = tmp_path / "nadia.pdf"
    saved = workspace.regulator_packs.save_pack(team.actors["nadia"], staff_id=team.staff_ids["nadia"], path=target)
    assert saved.path == target and saved.people == 1
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    text = text_of(target)
    assert "NMC revalidation confirmation pack" in text and "Nadia Okonjo" in text
    assert "CPD hours: 8.5 hours recorded of 35 hours required · ✗ Not met" in text
    assert "Participatory CPD hours: 6 hours recorded of 20 hours required" in text
    assert "Sam Reid 09I1234E" in text and "71A2998E" in text
    assert "Petra" not in text and "antibiotics" not in text
    with workspace.db.read() as session:
        [entry] = session.execute(select(AuditEntry).where(AuditEntry.action == "regulator_pack")).scalars().all()
    assert entry.subject_staff_id == team.staff_ids["nadia"] and entry.actor_name == "Nadia Okonjo"
    assert "NMC revalidation confirmation pack of Nadia Okonjo" in entry.summary and str(target) in entry.summary
    assert ACTION_LABELS[entry.action] == "Printed a regulator pack"


def test_the_line_manager_prints_for_her_team_and_an_administrator_for_anyone(workspace, team, tmp_path):
    workspace.regulator_packs.save_pack(team.actors["helen"], staff_id=team.staff_ids["petra"],
                                        path=tmp_path / "petra.pdf")
    text = text_of(tmp_path / "petra.pdf")
    assert "GPhC revalidation record" in text and "Planned CPD records: 1 recorded of 2 required" in text
    assert "Nadia" not in text
    workspace.regulator_packs.save_pack(team.actors["admin"], staff_id=team.staff_ids["nadia"],
                                        path=tmp_path / "by-admin.pdf")
    assert (tmp_path / "by-admin.pdf").exists()


def test_another_staff_member_or_another_teams_manager_is_refused_and_nothing_is_written(workspace, team, tmp_path):
    for who in ("petra", "bogdan"):
        with pytest.raises(PermissionDenied, match="themself, their line manager or an administrator"):
            workspace.regulator_packs.save_pack(team.actors[who], staff_id=team.staff_ids["nadia"],
                                                path=tmp_path / f"{who}.pdf")
    assert list(tmp_path.glob("*.pdf")) == []
    with workspace.db.read() as session:
        assert session.execute(select(AuditEntry).where(AuditEntry.action == "regulator_pack")).first() is None


def test_someone_on_no_register_or_without_a_renewal_date_is_told_why(workspace, team, tmp_path):
    with pytest.raises(ValidationError, match="Omar Haddad is not on a professional register"):
        workspace.regulator_packs.save_pack(team.actors["helen"], staff_id=team.staff_ids["omar"],
                                            path=tmp_path / "omar.pdf")
    with workspace.db.write() as session:
        session.get(Staff, team.staff_ids["nadia"]).registration_renewal = None
    with pytest.raises(ValidationError, match="No NMC renewal date is recorded"):
        workspace.regulator_packs.suggested_name(team.actors["nadia"], staff_id=team.staff_ids["nadia"])
    assert list(tmp_path.glob("*.pdf")) == []


def test_the_appraisal_pack_gains_the_revalidation_section(workspace, team):
    data = workspace.appraisal_packs.pack_data(team.actors["helen"], staff_id=team.staff_ids["nadia"])
    rv = data.revalidation
    assert rv.regulator == "Nursing and Midwifery Council" and rv.registration_number == "71A2998E"
    assert rv.cycle_end == add_months(TODAY, 7) and rv.status_label == "On track"
    cpd = next(r for r in rv.requirements if r.code == "cpd-hours")
    assert (cpd.have, cpd.need, cpd.met) == (8.5, 35, False)
    assert rv.evidence_counts == (("Reflective or peer discussion", 1),)
    omar = workspace.appraisal_packs.pack_data(team.actors["helen"], staff_id=team.staff_ids["omar"])
    assert omar.revalidation is None


def test_the_hcpc_profile_lists_the_last_two_years_of_cpd_to_the_day(workspace, team):
    ravi = team.staff_ids["ravi"]
    first = months_window_start(TODAY, 24)
    for day, title in ((first, "First day of the two years"), (first - timedelta(days=1), "The day before")):
        workspace.revalidation.add_cpd(team.actors["ravi"], data=CpdInput(ravi, day, title, "course", 1.0))
    data, reqs = workspace.regulator_packs.pack_data(team.actors["ravi"], staff_id=ravi)
    assert data.title == "HCPC CPD profile for audit" and (data.cpd_from, data.cpd_to) == (first, TODAY)
    assert [c.title for c in data.cpd] == ["First day of the two years"]
    assert "2.5%" in data.audit_note and "No letter picking Ravi Shah for audit is recorded" in data.audit_note
    assert [r.code for r in reqs] == ["cpd-records", "declaration"]


def test_an_hcpc_audit_letter_speaks_in_the_reason_and_the_profile_until_the_profile_is_sent(workspace, team,
                                                                                             tmp_path):
    ravi, nadia = team.staff_ids["ravi"], team.staff_ids["nadia"]
    ws = workspace.revalidation
    ws.add_cpd(team.actors["ravi"], data=CpdInput(ravi, TODAY, "Major trauma update", "course", 3.0))
    ws.add_evidence(team.actors["ravi"], data=EvidenceInput(ravi, "declaration", TODAY, "Professional declaration"))
    assert ws.person(team.actors["helen"], staff_id=ravi).summary.status == "ready"
    letter = TODAY - timedelta(days=1) if ws.person(team.actors["helen"], staff_id=ravi).cycle.start < TODAY else TODAY
    ws.add_evidence(team.actors["helen"], data=EvidenceInput(ravi, "audit-selection", letter, "HCPC audit letter"))
    due = add_months(letter - timedelta(days=1), 3)
    summary = ws.person(team.actors["ravi"], staff_id=ravi).summary
    assert summary.status == "at_risk"
    assert summary.reason.startswith(f"Picked for HCPC CPD audit on {letter:%d/%m/%Y}: send the CPD profile by "
                                     f"{due:%d/%m/%Y}.")
    data, _reqs = workspace.regulator_packs.pack_data(team.actors["ravi"], staff_id=ravi)
    assert data.audit_note.startswith(f"Picked for audit on {letter:%d/%m/%Y}; profile due {due:%d/%m/%Y}.")
    workspace.regulator_packs.save_pack(team.actors["ravi"], staff_id=ravi, path=tmp_path / "ravi.pdf")
    text = text_of(tmp_path / "ravi.pdf")
    assert f"Picked for audit on {letter:%d/%m/%Y}; profile due {due:%d/%m/%Y}" in text
    assert "does not record" not in text and "No letter picking" not in text
    with workspace.db.read() as session:
        summaries = session.execute(select(AuditEntry.summary).where(
            AuditEntry.entity_type == "revalidation_evidence")).scalars().all()
    assert "Recorded picked for CPD audit (HCPC letter) 'HCPC audit letter' for Ravi Shah" in summaries
    ws.add_evidence(team.actors["ravi"], data=EvidenceInput(ravi, "cpd-profile-sent", TODAY, "Profile emailed"))
    assert ws.person(team.actors["ravi"], staff_id=ravi).summary.status == "ready"
    data, _reqs = workspace.regulator_packs.pack_data(team.actors["ravi"], staff_id=ravi)
    assert f"profile due {due:%d/%m/%Y}; sent {TODAY:%d/%m/%Y}." in data.audit_note
    with pytest.raises(ValidationError) as refused:  # the NMC audits no one
        ws.add_evidence(team.actors["nadia"], data=EvidenceInput(nadia, "audit-selection", TODAY, "A letter"))
    assert "NMC does not" in refused.value.errors["kind"]


def test_the_revalidation_record_says_who_may_print_before_anyone_tries(workspace, team):
    nadia = team.staff_ids["nadia"]
    assert workspace.revalidation.person(team.actors["nadia"], staff_id=nadia).pack_problem == ""
    assert workspace.revalidation.person(team.actors["admin"], staff_id=nadia).pack_problem == ""
    with workspace.db.write() as session:
        session.get(Staff, team.staff_ids["petra"]).register_code = "SWE"
    problem = workspace.revalidation.person(team.actors["helen"], staff_id=team.staff_ids["petra"]).pack_problem
    assert "no printed pack for Social Work England" in problem


def test_the_contract_check_says_an_audit_letter_holds_revalidation_at_risk_not_a_notice_period(workspace, team):
    """The registration check read every "at risk" as the renewal's notice period: an HCPC audit
    letter, with renewal far off, was "At risk in the notice period (since <the letter>)"."""
    ravi = team.staff_ids["ravi"]
    ws = workspace.revalidation
    cycle = ws.person(team.actors["helen"], staff_id=ravi).cycle
    with workspace.db.write() as session:
        session.get(Staff, ravi).registration_renewal = cycle.end
    ws.add_cpd(team.actors["ravi"], data=CpdInput(ravi, TODAY, "Major trauma update", "course", 3.0))
    ws.add_evidence(team.actors["ravi"], data=EvidenceInput(ravi, "declaration", TODAY, "Professional declaration"))
    letter = TODAY - timedelta(days=1) if cycle.start < TODAY else TODAY
    ws.add_evidence(team.actors["helen"], data=EvidenceInput(ravi, "audit-selection", letter, "HCPC audit letter"))
    matrix = workspace.assurance.matrix(team.actors["helen"])
    row = next(r for r in matrix.rows if r.staff_id == ravi)
    result = row.results[[c.code for c in matrix.checks].index("registration")]
    assert result.status == "not-met"
    assert result.reason.startswith("At risk until the CPD audit profile is sent: Picked for HCPC CPD audit on "
                                    f"{letter:%d/%m/%Y}")
    assert "notice period" not in result.reason
