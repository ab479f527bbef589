"""Subject access (issue 20 item 3): everything held about one person as a PDF and a ZIP, made by
the person themself (private notes included) or an administrator (private notes listed, not
printed), never by anyone else, and audited; no password hash in either file."""

from __future__ import annotations

import json
import zipfile
from datetime import timedelta

import pytest
from pypdf import PdfReader

from arrs_desk.errors import PermissionDenied
from arrs_desk.services.actor import SYSTEM
from arrs_desk.services.audit_log import AuditFilter
from arrs_desk.services.training import TrainingInput
from arrs_desk.store.models import SupervisionAttendance
from tests.conftest import TODAY
from tests.support.pcn import HELEN, Member, build_small_pcn

SAM = Member("sam", "Siobhán", "Ní Bhriain", TODAY - timedelta(days=300), role="CPH", manager="helen",
             roles={"staff"})


@pytest.fixture
def pcn(workspace):
    pcn = build_small_pcn(workspace, SYSTEM, members=(HELEN, SAM), admin="Ada Admin", multi_user=True)
    workspace.training.record(SYSTEM, data=TrainingInput(pcn.staff_ids["sam"], "fire-safety", 1,
                                                         TODAY - timedelta(days=20), provider="e-LfH"))
    return pcn


def _text(path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


def _data(path) -> dict:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("data.json"))


def test_a_person_makes_their_own_copy_with_everything_held(workspace, pcn, tmp_path):
    result = workspace.subject_access.export(pcn.actors["sam"], staff_id=pcn.staff_ids["sam"], folder=tmp_path)
    assert result.private_notes_included and result.pdf.exists() and result.archive.exists()
    text = _text(result.pdf)
    for expected in ("Everything ARRS Desk holds about you", "Siobhán", "Clinical pharmacist", "Sign-in accounts",
                     "Statutory and mandatory training", "fire-safety", "The audit trail about you"):
        assert expected in text, expected
    data = _data(result.archive)
    assert data["format"] == "arrs-desk-subject-access" and data["made_for"] == "Siobhán Ní Bhriain"
    assert [a["username"] for a in data["tables"]["user_account"]] == ["sam"]
    assert "password_hash" not in data["tables"]["user_account"][0]
    assert len(data["tables"]["training_record"]) == 1
    assert all(entry["changes"] == {} for entry in data["tables"]["audit_entry"])  # not an administrator
    raw = result.archive.read_bytes() + result.pdf.read_bytes()
    assert b"not-a-real-hash" not in raw


def test_the_copy_prints_programme_pauses_extensions_time_and_withdrawal(workspace, pcn, tmp_path):
    """They were in the ZIP only: a pause's reason (sickness, parental leave) was in no section of
    the PDF a person reads."""
    from arrs_desk.services.programmes.views import EnrolmentInput

    view = workspace.programmes.enrol(SYSTEM, data=EnrolmentInput(
        staff_id=pcn.staff_ids["sam"], programme_code="PCPEP", start_date=TODAY - timedelta(days=200),
        preceptor_staff_id=pcn.staff_ids["helen"], assessor_staff_id=pcn.staff_ids["helen"]))
    workspace.programmes.pause(SYSTEM, enrolment_id=view.id, expected_version=view.version,
                               start=TODAY - timedelta(days=120), end=TODAY - timedelta(days=100),
                               reason="Parental leave (Ṣọ́lá)")
    result = workspace.subject_access.export(pcn.actors["sam"], staff_id=pcn.staff_ids["sam"], folder=tmp_path)
    text = _text(result.pdf)
    for expected in ("Programme pauses (1)", "Parental leave", "Programme extensions (0)", "Protected learning time",
                     "Programme evidence files (0)", "Withdrawn"):
        assert expected in text, expected


def test_an_administrator_makes_anyones_copy_and_it_is_audited(workspace, pcn, tmp_path):
    admin = pcn.actors["admin"]
    result = workspace.subject_access.export(admin, staff_id=pcn.staff_ids["sam"], folder=tmp_path)
    assert not result.private_notes_included
    assert "None are held about you" in _text(result.pdf)  # no private notes: it does not say they are left out
    entries = workspace.audit_log.entries(admin, flt=AuditFilter(action="subject_access"))
    assert len(entries) == 1 and "Siobhán Ní Bhriain" in entries[0].summary
    assert entries[0].subject_staff_id == pcn.staff_ids["sam"]


def test_nobody_else_may_make_one(workspace, pcn, tmp_path):
    folder = tmp_path / "copies"
    folder.mkdir()
    with pytest.raises(PermissionDenied):  # even the line manager: it is the person's right, or an administrator's task
        workspace.subject_access.export(pcn.actors["helen"], staff_id=pcn.staff_ids["sam"], folder=folder)
    assert list(folder.iterdir()) == []


def test_private_notes_are_printed_for_the_person_and_withheld_from_an_administrator(workspace, pcn, tmp_path):
    from arrs_desk.store.models import SupervisionSession

    sid = pcn.staff_ids["sam"]
    with workspace.db.write() as session:
        held = TODAY - timedelta(days=10)
        meeting = SupervisionSession(type_code="clinical", held_on=held, supervisor_name="Dr Yusuf", format="in-person")
        session.add(meeting)
        session.flush()
        session.add(SupervisionAttendance(session_id=meeting.id, staff_id=sid, type_code="clinical", held_on=held,
                                          reflective_notes="I found the anticoagulation case hard"))
    own = tmp_path / "own"
    own.mkdir()
    mine = workspace.subject_access.export(pcn.actors["sam"], staff_id=sid, folder=own)
    assert "anticoagulation case hard" in _text(mine.pdf)
    theirs = workspace.subject_access.export(pcn.actors["admin"], staff_id=sid, folder=tmp_path)
    assert "anticoagulation" not in _text(theirs.pdf)
    assert b"anticoagulation" not in zipfile.ZipFile(theirs.archive).read("data.json")


def test_a_leavers_copy_holds_their_evidence_and_every_file_is_owner_only(workspace, system_actor, tmp_path):
    """With the records-retention cast: an evidence file attached to the record travels in the ZIP, a
    new folder is made owner-only, and both files are private before a byte is written. The copy is
    made by an administrator: a leaver's own account no longer signs in or saves (their request
    comes to the PCN)."""
    from arrs_desk.paths import is_private
    from tests.retention_support import LEAVER, make_leaver_pcn

    cast = make_leaver_pcn(workspace, system_actor, tmp_path)
    result = workspace.subject_access.export(cast.actors["admin"], staff_id=cast.staff_ids["quentin"],
                                             folder=tmp_path / "sar")
    assert is_private(result.pdf) and is_private(result.archive) and is_private(tmp_path / "sar")
    assert result.evidence_files == 1 and LEAVER in _text(result.pdf)
    with zipfile.ZipFile(result.archive) as archive:
        assert sum(name.startswith("evidence/") for name in archive.namelist()) == 1
        data = json.loads(archive.read("data.json"))
    assert data["tables"]["checkin_completion"] == [{"staff_id": cast.staff_ids["quentin"], "months": 3}]
    assert "retention_hold" in data["tables"] and "destruction_log" in data["tables"]


def test_the_copy_holds_the_cpd_log_revalidation_evidence_and_their_files(workspace, pcn, tmp_path):
    """A registrant's CPD log, revalidation evidence and the certificates on them were in neither
    file: rows about the person that a record bundle does not carry were left out of the copy."""
    from arrs_desk.services.revalidation.views import CpdInput, EvidenceInput

    sam, sid = pcn.actors["sam"], pcn.staff_ids["sam"]
    entry = workspace.revalidation.add_cpd(sam, data=CpdInput(
        sid, TODAY - timedelta(days=5), "Anticoagulation update", "course", 3.0,
        reflection="I changed how I counsel on DOACs")).cpd[0]
    certificate = tmp_path / "doac-certificate.pdf"
    certificate.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    workspace.revalidation.attach_file(sam, kind="cpd", entry_id=entry.id, source=certificate)
    workspace.revalidation.add_evidence(sam, data=EvidenceInput(
        staff_id=sid, kind="discussion", occurred_on=TODAY - timedelta(days=3), title="Reflective discussion",
        partner_name="Sam Reid", partner_registration="2012345"))
    result = workspace.subject_access.export(sam, staff_id=sid, folder=tmp_path / "copy")
    tables = _data(result.archive)["tables"]
    assert [r["title"] for r in tables["cpd_entry"]] == ["Anticoagulation update"]
    assert [r["title"] for r in tables["revalidation_evidence"]] == ["Reflective discussion"]
    assert [r["original_name"] for r in tables["revalidation_file"]] == ["doac-certificate.pdf"]
    assert result.evidence_files == 1
    with zipfile.ZipFile(result.archive) as archive:
        assert sum(name.startswith("evidence/") for name in archive.namelist()) == 1
    text = _text(result.pdf)
    for expected in ("Your CPD log (1)", "Anticoagulation update", "counsel on DOACs", "Revalidation evidence (1)",
                     "Sam Reid", "Revalidation files (1)", "doac-certificate.pdf"):
        assert expected in text, expected


def test_an_administrators_copy_says_held_only_where_a_private_note_holds_something(workspace, pcn, tmp_path):
    """Every private cell printed '(private: not printed)' in an administrator's copy, an empty one
    too, and the copy said private notes were 'held, not printed' when none were: the bundle blanks
    the private columns, so the PDF could not tell a note left out from no note at all."""
    from arrs_desk.store.models import SupervisionSession

    sid = pcn.staff_ids["sam"]
    admin = pcn.actors["admin"]
    none_held = workspace.subject_access.export(admin, staff_id=sid, folder=tmp_path / "before")
    assert "held, not printed" not in _text(none_held.pdf).lower()
    with workspace.db.write() as session:
        for days, notes in ((10, "I found the anticoagulation case hard"), (40, "")):
            held = TODAY - timedelta(days=days)
            meeting = SupervisionSession(type_code="clinical", held_on=held, supervisor_name="Dr Yusuf",
                                         format="in-person")
            session.add(meeting)
            session.flush()
            session.add(SupervisionAttendance(session_id=meeting.id, staff_id=sid, type_code="clinical",
                                              held_on=held, reflective_notes=notes))
    result = workspace.subject_access.export(admin, staff_id=sid, folder=tmp_path / "after")
    text = _text(result.pdf)
    assert "Private notes: held, not printed" in text
    assert text.count("Held, not printed") == 1 and "(private: not printed)" not in text
    assert "anticoagulation" not in text
    held_rows = _data(result.archive)["private_notes_held"]["supervision_attendance"]
    assert list(held_rows.values()) == [["reflective_notes"]]


def test_about_you_says_status_and_employment_in_words_not_codes(workspace, pcn, tmp_path):
    """"About you" printed the stored codes ("Status active", "Employment practice", "Register
    GPHC-PHARMACIST"); it says what the staff list says ("Active", "Practice-employed", "GPhC"), and
    the ZIP keeps the codes for a computer."""
    result = workspace.subject_access.export(pcn.actors["sam"], staff_id=pcn.staff_ids["sam"], folder=tmp_path)
    text = _text(result.pdf)
    about = text[text.index("About you"):text.index("Sign-in accounts")]
    assert "Status Active" in about and "Employment Practice-employed" in about and "Register GPhC" in about
    assert " active" not in about and " practice " not in about.replace("Practices", "")
    staff = _data(result.archive)["person"]["staff"]
    assert (staff["status"], staff["employment_model"]) == ("active", "practice")
