"""Editing the CPD log, the cycle an entry counts towards, where it came from, and files on
entries, through the service on SQLite and PostgreSQL (issue 19 items 1 and 2)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from arrs_desk.domain.dates import add_months
from arrs_desk.errors import PermissionDenied, SessionEnded, StaleEdit, ValidationError
from arrs_desk.paths import evidence_dir
from arrs_desk.services.revalidation import EvidenceInput
from arrs_desk.services.supervision import SessionInput
from arrs_desk.store.models import AuditEntry, RevalidationFile, Staff
from tests.retention_support import make_leaver_pcn
from tests.support.pcn import turn_off_account
from tests.services import test_revalidation as base
from tests.services.test_revalidation import TODAY, audits, cpd

team = base.team  # the same small PCN: a nurse (Nadia) and a pharmacist (Petra) line-managed by Helen

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def stored_files() -> list:
    root = evidence_dir()
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def certificate(tmp_path):
    path = tmp_path / "asthma-certificate.pdf"
    path.write_bytes(PDF)
    return path


def test_the_person_edits_their_entry_the_line_manager_verifies_and_an_edit_clears_it(workspace, team):
    nadia, helen = team.actors["nadia"], team.actors["helen"]
    data = cpd(team)
    entry = workspace.revalidation.add_cpd(nadia, data=data).cpd[0]
    entry = workspace.revalidation.update_cpd(nadia, entry_id=entry.id, data=replace(data, hours=7.5),
                                              expected_version=entry.version).cpd[0]
    assert entry.hours == 7.5
    with pytest.raises(PermissionDenied):
        workspace.revalidation.verify_cpd(nadia, entry_id=entry.id, expected_version=entry.version)
    with pytest.raises(PermissionDenied):
        workspace.revalidation.update_cpd(team.actors["petra"], entry_id=entry.id, data=data,
                                          expected_version=entry.version)
    entry = workspace.revalidation.verify_cpd(helen, entry_id=entry.id, expected_version=entry.version).cpd[0]
    assert entry.verified_by == "Helen Whitfield"
    with pytest.raises(StaleEdit):
        workspace.revalidation.update_cpd(nadia, entry_id=entry.id, data=data, expected_version=entry.version - 1)
    entry = workspace.revalidation.update_cpd(nadia, entry_id=entry.id, data=replace(data, title="Asthma review"),
                                              expected_version=entry.version).cpd[0]
    assert (entry.title, entry.verified_by, entry.verified_on) == ("Asthma review", "", None)
    assert [a.action for a in audits(workspace, "cpd_entry")] == ["create", "update", "verify", "update"]


def _renew(workspace, team, months: int):
    with workspace.db.write() as session:
        session.get(Staff, team.staff_ids["nadia"]).registration_renewal = add_months(TODAY, months)


def test_an_entry_counts_only_towards_a_cycle_it_falls_in(workspace, team):
    nadia = team.actors["nadia"]
    _renew(workspace, team, 1)  # the cycle began about three years less a month ago
    record = workspace.revalidation.person(nadia, staff_id=team.staff_ids["nadia"])
    current, previous = record.cycle, record.previous_cycle
    assert previous.end == current.start - timedelta(days=1) and previous.start < previous.end
    old = current.start - timedelta(days=1)  # the previous cycle's last day
    with pytest.raises(ValidationError) as caught:  # dated in the previous cycle: not the current one's
        workspace.revalidation.add_cpd(nadia, data=cpd(team, occurred_on=old, counts_towards=current.end))
    assert set(caught.value.errors) == {"counts_towards"}
    assert "outside the cycle" in caught.value.errors["counts_towards"]
    with pytest.raises(ValidationError, match="outside the cycle"):  # and the other way round
        workspace.revalidation.add_cpd(nadia, data=cpd(team, occurred_on=current.start, counts_towards=previous.end))
    with pytest.raises(ValidationError, match="no cycle of this person's"):
        workspace.revalidation.add_cpd(nadia, data=cpd(team, counts_towards=current.end - timedelta(days=1)))
    kept = workspace.revalidation.add_cpd(nadia, data=cpd(team, occurred_on=old, counts_towards=previous.end))
    assert kept.cpd[0].counts_towards == previous.end
    assert {p.code: p.have for p in kept.progress}["cpd-hours"] == 0  # it counts towards the previous cycle
    first_day = workspace.revalidation.add_cpd(nadia, data=cpd(team, occurred_on=current.start,
                                                                counts_towards=current.end))
    assert {p.code: p.have for p in first_day.progress}["cpd-hours"] == 6
    data = EvidenceInput(staff_id=team.staff_ids["nadia"], kind="feedback", occurred_on=old, title="Patient feedback",
                         counts_towards=current.end)
    with pytest.raises(ValidationError, match="outside the cycle"):
        workspace.revalidation.add_evidence(nadia, data=data)
    assert workspace.revalidation.add_evidence(nadia, data=replace(data, counts_towards=previous.end)).evidence


def test_an_entry_filled_from_a_supervision_session_names_it(workspace, team):
    helen, nadia = team.actors["helen"], team.actors["nadia"]
    held = TODAY - timedelta(days=10)
    workspace.supervision.record_session(helen, data=SessionInput(
        type_code="clinical", held_on=held, supervisor_staff_id=team.staff_ids["helen"], format="one-to-one",
        duration_minutes=90, topics="Asthma reviews", attendee_ids=[team.staff_ids["nadia"]]))
    [source] = [s for s in workspace.revalidation.sources(nadia, staff_id=team.staff_ids["nadia"])
                if s.kind == "supervision"]
    assert (source.occurred_on, source.hours) == (held, 1.5) and "Asthma reviews" in source.title
    with pytest.raises(PermissionDenied):
        workspace.revalidation.sources(team.actors["petra"], staff_id=team.staff_ids["nadia"])
    entry = workspace.revalidation.add_cpd(nadia, data=cpd(team, occurred_on=source.occurred_on, title=source.title,
                                                           hours=source.hours, source_kind="supervision",
                                                           source_id=source.id)).cpd[0]
    assert entry.source_label == f"Supervision session on {held:%d/%m/%Y}"
    with pytest.raises(ValidationError, match="own supervision records"):  # someone else's session
        workspace.revalidation.add_cpd(team.actors["petra"], data=cpd(team, who="petra", source_kind="supervision",
                                                                      source_id=source.id))


def test_files_are_attached_opened_and_removed_by_whoever_may_and_audited(workspace, team, certificate):
    nadia, helen, petra = team.actors["nadia"], team.actors["helen"], team.actors["petra"]
    entry = workspace.revalidation.add_cpd(nadia, data=cpd(team)).cpd[0]
    with pytest.raises(PermissionDenied):
        workspace.revalidation.attach_file(petra, kind="cpd", entry_id=entry.id, source=certificate)
    assert stored_files() == []  # refused before anything was stored
    [file] = workspace.revalidation.attach_file(nadia, kind="cpd", entry_id=entry.id, source=certificate).cpd[0].files
    assert (file.original_name, file.media_type, file.added_by) == ("asthma-certificate.pdf", "application/pdf",
                                                                      "Nadia Okonjo")
    assert workspace.revalidation.file_path(helen, file_id=file.id).read_bytes() == PDF
    with pytest.raises(PermissionDenied):
        workspace.revalidation.file_path(team.actors["bogdan"], file_id=file.id)
    with pytest.raises(PermissionDenied):
        workspace.revalidation.remove_file(petra, file_id=file.id)
    assert workspace.revalidation.remove_file(helen, file_id=file.id).cpd[0].files == ()
    assert stored_files() == []
    trail = audits(workspace, "revalidation_file")
    assert [(a.action, a.actor_name) for a in trail] == [("attach", "Nadia Okonjo"), ("remove", "Helen Whitfield")]
    assert "asthma-certificate.pdf" in trail[0].summary and trail[0].subject_staff_id == team.staff_ids["nadia"]


@pytest.mark.parametrize("kind", ["cpd", "evidence"])
def test_the_same_file_twice_on_one_entry_is_refused(workspace, team, certificate, kind):
    """A second copy of identical content (renamed) on the same CPD entry or piece of evidence is
    refused by its SHA-256, naming the copy already there, and nothing is written; once taken
    off, it may be attached again."""
    nadia = team.actors["nadia"]
    if kind == "cpd":
        entry = workspace.revalidation.add_cpd(nadia, data=cpd(team)).cpd[0]
    else:
        entry = workspace.revalidation.add_evidence(nadia, data=EvidenceInput(
            staff_id=team.staff_ids["nadia"], kind="reflective-account", occurred_on=TODAY,
            title="Reflective account")).evidence[0]
    files_of = (lambda record: record.cpd[0].files) if kind == "cpd" else (lambda record: record.evidence[0].files)
    renamed = certificate.with_name("asthma-certificate (1).pdf")
    renamed.write_bytes(PDF)
    [file] = files_of(workspace.revalidation.attach_file(nadia, kind=kind, entry_id=entry.id, source=certificate))
    with pytest.raises(ValidationError) as caught:
        workspace.revalidation.attach_file(team.actors["helen"], kind=kind, entry_id=entry.id, source=renamed)
    assert caught.value.errors["file"] == (f"This file is already attached to '{entry.title}' "
                                           "(as 'asthma-certificate.pdf'), so it is not added again.")
    assert len(stored_files()) == 1 and len(audits(workspace, "revalidation_file")) == 1
    record = workspace.revalidation.person(nadia, staff_id=team.staff_ids["nadia"])
    assert [f.original_name for f in files_of(record)] == ["asthma-certificate.pdf"]

    workspace.revalidation.remove_file(nadia, file_id=file.id)
    record = workspace.revalidation.attach_file(nadia, kind=kind, entry_id=entry.id, source=renamed)
    assert [f.original_name for f in files_of(record)] == ["asthma-certificate (1).pdf"]
    assert len(stored_files()) == 1


def test_a_changed_account_is_refused_before_it_learns_the_file_is_there(workspace, team, certificate):
    """The account is checked before the duplicate check: a window whose account was turned off
    since sign-in is locked, not told the file is already attached."""
    nadia, helen = team.actors["nadia"], team.actors["helen"]
    entry = workspace.revalidation.add_cpd(nadia, data=cpd(team)).cpd[0]
    workspace.revalidation.attach_file(nadia, kind="cpd", entry_id=entry.id, source=certificate)
    turn_off_account(workspace, helen)
    with pytest.raises(SessionEnded, match="changed after you signed in"):
        workspace.revalidation.attach_file(helen, kind="cpd", entry_id=entry.id, source=certificate)
    assert len(audits(workspace, "revalidation_file")) == 1


def test_removing_an_entry_removes_its_files_but_not_a_file_another_entry_shares(workspace, team, certificate):
    nadia = team.actors["nadia"]
    first = workspace.revalidation.add_cpd(nadia, data=cpd(team)).cpd[0]
    workspace.revalidation.attach_file(nadia, kind="cpd", entry_id=first.id, source=certificate)
    item = workspace.revalidation.add_evidence(nadia, data=EvidenceInput(
        staff_id=team.staff_ids["nadia"], kind="reflective-account", occurred_on=TODAY,
        title="Reflective account")).evidence[0]
    record = workspace.revalidation.attach_file(nadia, kind="evidence", entry_id=item.id, source=certificate)
    assert len(stored_files()) == 1 and len(record.evidence[0].files) == 1  # the same file is stored once
    first = record.cpd[0]
    workspace.revalidation.delete_cpd(nadia, entry_id=first.id, expected_version=first.version)
    assert len(stored_files()) == 1  # the evidence still has it
    item = workspace.revalidation.person(nadia, staff_id=team.staff_ids["nadia"]).evidence[0]
    workspace.revalidation.delete_evidence(nadia, evidence_id=item.id, expected_version=item.version)
    assert stored_files() == []
    with workspace.db.read() as session:
        assert session.execute(select(RevalidationFile)).all() == []
        deleted = session.execute(select(AuditEntry).where(AuditEntry.action == "delete")).scalars().all()
    assert [a.changes.get("files") for a in deleted] == [[1, 0], [1, 0]]


def test_erasing_a_leaver_deletes_their_revalidation_files(workspace, system_actor, tmp_path):
    pcn = make_leaver_pcn(workspace, system_actor, tmp_path)
    quentin, helen = pcn.staff_ids["quentin"], pcn.actors["helen"]
    with workspace.db.write() as session:  # back in post for a moment, to record his CPD
        session.get(Staff, quentin).status = "active"
    source = tmp_path / "reflection.pdf"
    source.write_bytes(PDF.replace(b"1.4", b"1.7"))
    entry = workspace.revalidation.add_cpd(helen, data=cpd(pcn, who="quentin")).cpd[0]
    workspace.revalidation.attach_file(helen, kind="cpd", entry_id=entry.id, source=source)
    with workspace.db.write() as session:
        session.get(Staff, quentin).status = "left"
    assert len(stored_files()) == 2  # his induction evidence and his reflection
    workspace.records_retention.erase(pcn.actors["admin"], staff_id=quentin, action="anonymise")
    assert stored_files() == []
    with workspace.db.read() as session:
        assert session.execute(select(RevalidationFile)).all() == []
