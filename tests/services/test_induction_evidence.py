"""Evidence files: kept by content hash, checked by content not name, limited in size, and a
refused file leaves nothing behind."""

import hashlib
import threading
import time
import zipfile

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from arrs_desk.domain.induction import ItemStatus
from arrs_desk.errors import PermissionDenied, SessionEnded, ValidationError
from arrs_desk.paths import evidence_dir
from arrs_desk.errors import NotFound
from arrs_desk.services.evidence import MAX_EVIDENCE_BYTES, MAX_NAME_CHARS, clean_name
from arrs_desk.store.models import AuditEntry, InductionEvidence
from tests.induction_support import item, make_team
from tests.support.pcn import turn_off_account

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def team(workspace, system_actor):
    return make_team(workspace, system_actor)


@pytest.fixture
def target(workspace, team):
    return item(workspace.induction.checklist(team.starter, staff_id=team.starter_id), "basic-life-support")


def stored_files() -> list:
    return sorted(p.name for p in evidence_dir().rglob("*") if p.is_file())


def counts(workspace):
    with workspace.db.read() as session:
        return (session.execute(select(func.count()).select_from(InductionEvidence)).scalar(),
                session.execute(select(func.count()).select_from(AuditEntry)).scalar())


def write_zip(path, members: dict[str, bytes]):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_attach_a_pdf_keeps_it_under_its_hash_and_opens_it(workspace, team, target, tmp_path):
    source = tmp_path / "BLS certificate – Zoë.pdf"
    source.write_bytes(PDF_BYTES)
    row = workspace.induction.attach_evidence(team.starter, item_id=target.id, source=source)
    digest = hashlib.sha256(PDF_BYTES).hexdigest()
    assert row.original_name == "BLS certificate – Zoë.pdf" and row.media_type == "application/pdf"
    assert stored_files() == [f"{digest}.pdf"]
    path = workspace.induction.evidence_file(team.manager, evidence_id=row.id)
    assert path.read_bytes() == PDF_BYTES and path.parent.parent == evidence_dir()
    assert source.exists()  # copied, never moved
    view = workspace.induction.checklist(team.starter, staff_id=team.starter_id)
    assert [e.original_name for e in item(view, "basic-life-support").evidence] == [row.original_name]

    again = tmp_path / "copy.pdf"
    again.write_bytes(PDF_BYTES)
    other = item(view, "supervision-agreement-signed")
    workspace.induction.attach_evidence(team.starter, item_id=other.id, source=again)
    assert stored_files() == [f"{digest}.pdf"]  # same content on another item, stored once
    with pytest.raises(PermissionDenied):
        workspace.induction.evidence_file(team.bystander, evidence_id=row.id)


@pytest.mark.parametrize(
    ("name", "make", "media_type"),
    [
        ("scan.png", lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64), "image/png"),
        ("photo.JPEG", lambda p: p.write_bytes(b"\xff\xd8\xff\xe0" + b"\0" * 64), "image/jpeg"),
        ("letter.docx", lambda p: write_zip(p, {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}),
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("letter.odt", lambda p: write_zip(p, {"mimetype": b"application/vnd.oasis.opendocument.text",
                                               "content.xml": b"<x/>"}), "application/vnd.oasis.opendocument.text"),
        ("certificate-without-extension", lambda p: p.write_bytes(PDF_BYTES), "application/pdf"),
    ],
)
def test_kinds_are_recognised_by_content(workspace, team, target, tmp_path, name, make, media_type):
    source = tmp_path / name
    make(source)
    assert workspace.induction.attach_evidence(team.starter, item_id=target.id, source=source).media_type == media_type


@pytest.mark.parametrize(
    ("name", "make", "fragment"),
    [
        ("fake.pdf", lambda p: p.write_text("just some text"), "named like a PDF but its contents are not one"),
        ("notes.txt", lambda p: p.write_text("just some text"), "not a kind of file ARRS Desk keeps"),
        ("macro.xlsx", lambda p: write_zip(p, {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<x/>"}),
         "not a kind of file"),
        ("broken.docx", lambda p: p.write_bytes(b"PK\x03\x04 not really a zip"), "named like a Word document"),
        ("macro.docx", lambda p: write_zip(p, {
            "[Content_Types].xml": b'<Types><Override ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>',
            "word/document.xml": b"<w/>"}), "named like a Word document"),
        ("bomb.docx", lambda p: write_zip(p, {  # its list of parts unpacks to 64 MB
            "[Content_Types].xml": b"<Types>" + b" " * (64 * 1024 * 1024) + b"</Types>",
            "word/document.xml": b"<w/>"}), "named like a Word document"),
        ("empty.pdf", lambda p: p.write_bytes(b""), "is empty"),
        ("huge.pdf", lambda p: (p.write_bytes(PDF_BYTES), p.open("r+b").truncate(MAX_EVIDENCE_BYTES + 1)),
         "evidence files can be at most 20.0 MB"),
        ("missing.pdf", lambda p: None, "Cannot read 'missing.pdf'"),
        ("a-folder.pdf", lambda p: p.mkdir(), "not a file that can be attached"),
    ],
)
def test_bad_files_get_a_clear_message_and_nothing_is_written(workspace, team, target, tmp_path, name, make, fragment):
    source = tmp_path / name
    make(source)
    before = counts(workspace)
    with pytest.raises(ValidationError) as caught:
        workspace.induction.attach_evidence(team.starter, item_id=target.id, source=source)
    assert fragment in caught.value.errors["file"]
    assert counts(workspace) == before
    assert stored_files() == []


def test_the_same_file_twice_on_one_item_is_refused(workspace, team, target, tmp_path):
    """A second copy of identical content (renamed, or attached by someone else) is refused by its
    SHA-256, naming the copy already there; once taken off, it may be attached again."""
    first = tmp_path / "BLS certificate.pdf"
    first.write_bytes(PDF_BYTES)
    renamed = tmp_path / "BLS certificate (1).pdf"
    renamed.write_bytes(PDF_BYTES)
    row = workspace.induction.attach_evidence(team.starter, item_id=target.id, source=first)
    before = counts(workspace)
    with pytest.raises(ValidationError) as caught:
        workspace.induction.attach_evidence(team.manager, item_id=target.id, source=renamed)
    assert "already attached" in caught.value.errors["file"] and "'BLS certificate.pdf'" in caught.value.errors["file"]
    assert counts(workspace) == before and stored_files() == [f"{hashlib.sha256(PDF_BYTES).hexdigest()}.pdf"]
    view = workspace.induction.checklist(team.starter, staff_id=team.starter_id)
    assert [e.original_name for e in item(view, "basic-life-support").evidence] == ["BLS certificate.pdf"]

    workspace.induction.remove_evidence(team.starter, evidence_id=row.id)
    workspace.induction.attach_evidence(team.starter, item_id=target.id, source=renamed)
    view = workspace.induction.checklist(team.starter, staff_id=team.starter_id)
    assert [e.original_name for e in item(view, "basic-life-support").evidence] == ["BLS certificate (1).pdf"]


def test_a_changed_account_is_refused_before_it_learns_the_file_is_there(workspace, team, target, tmp_path):
    """The account is checked before the duplicate check: a window whose account was turned off
    since sign-in is locked, not told the file is already attached."""
    source = tmp_path / "BLS certificate.pdf"
    source.write_bytes(PDF_BYTES)
    workspace.induction.attach_evidence(team.starter, item_id=target.id, source=source)
    turn_off_account(workspace, team.manager)
    before = counts(workspace)
    with pytest.raises(SessionEnded, match="changed after you signed in"):
        workspace.induction.attach_evidence(team.manager, item_id=target.id, source=source)
    assert counts(workspace) == before


@pytest.mark.postgres_only("two PCs on one server; SQLite's write transactions already run one at a time")
def test_two_pcs_attaching_the_same_file_at_once_keep_one_copy(workspace, team, target, tmp_path):
    """Another PC is part way through attaching the same file (it holds the audit chain's head, as
    every audited write does until it commits). This one waits for it before looking for a copy,
    so it sees the other's row once committed and refuses; it used to look first, find nothing,
    and add a second copy (the file tables have no unique index)."""
    source = tmp_path / "BLS certificate.pdf"
    source.write_bytes(PDF_BYTES)
    digest = hashlib.sha256(PDF_BYTES).hexdigest()
    outcome: list[BaseException | None] = []

    def attach():
        try:
            workspace.induction.attach_evidence(team.manager, item_id=target.id, source=source)
            outcome.append(None)
        except BaseException as exc:  # noqa: BLE001  (reported by the main thread)
            outcome.append(exc)

    with Session(workspace.db.engine) as other, other.begin():
        other.execute(text("SELECT seq FROM audit_chain_head WHERE id = 1 FOR UPDATE"))
        thread = threading.Thread(target=attach)
        thread.start()
        for _ in range(200):  # until this PC's attach waits for a lock the other holds
            with workspace.db.engine.connect() as probe:
                if probe.execute(text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                                      "AND datname = current_database()")).scalar_one():
                    break
            time.sleep(0.05)
        other.add(InductionEvidence(item_id=target.id, staff_id=team.starter_id, sha256=digest,
                                    stored_name=f"{digest}.pdf", original_name="BLS certificate.pdf",
                                    media_type="application/pdf", size=len(PDF_BYTES)))
    thread.join(timeout=60)
    assert isinstance(outcome[0], ValidationError) and "already attached" in outcome[0].errors["file"]
    with workspace.db.read() as session:
        assert session.execute(select(func.count()).select_from(InductionEvidence)
                               .where(InductionEvidence.item_id == target.id)).scalar() == 1


@pytest.mark.parametrize(("chosen", "kept"), [
    (".hidden.pdf", "hidden.pdf"),
    ("CON.pdf", "_CON.pdf"),
    ("nul", "_nul"),
    ("com1 .certificate.pdf", "_com1 .certificate.pdf"),
    ("BLS\x07\x1b\tcert\u202efdp.exe", "BLS certfdp.exe"),
    ("..\\..\\Windows\\bls.pdf", "_.._Windows_bls.pdf"),
    ("report: final?.pdf", "report_ final_.pdf"),
    ("certificate. . ", "certificate"),
    ("...", "evidence.pdf"),
])
def test_a_chosen_file_name_is_kept_clean(workspace, team, target, tmp_path, chosen, kept):
    """The name is cleaned once on the way in: it is what the checklist lists, the CSV and the
    audit trail repeat, and it is safe as a file name on any PC."""
    source = tmp_path / chosen
    source.write_bytes(PDF_BYTES)
    row = workspace.induction.attach_evidence(team.starter, item_id=target.id, source=source)
    assert row.original_name == kept
    with workspace.db.read() as session:
        assert session.get(InductionEvidence, row.id).original_name == kept
        assert session.execute(select(AuditEntry.summary).where(AuditEntry.entity_type == "induction_evidence")
                               ).scalar().startswith(f"Attached '{kept}'")


def test_a_long_name_is_shortened_keeping_its_extension():
    name = clean_name("x" * 300 + ".docx")
    assert len(name) == MAX_NAME_CHARS and name.endswith("x.docx")
    assert clean_name("\u200b\u202e", ".png") == "evidence.png"
    assert clean_name("BLS certificate – Zoë.pdf") == "BLS certificate – Zoë.pdf"  # letters of any script stay


def test_a_stored_name_that_is_not_a_hash_is_never_opened(workspace, team, target, tmp_path):
    """A record whose stored name was edited to leave the evidence folder is refused, not followed."""
    source = tmp_path / "bls.pdf"
    source.write_bytes(PDF_BYTES)
    row = workspace.induction.attach_evidence(team.starter, item_id=target.id, source=source)
    with workspace.db.write() as session:
        session.get(InductionEvidence, row.id).stored_name = "../../outside.pdf"
    with pytest.raises(NotFound, match="not a stored evidence name"):
        workspace.induction.evidence_file(team.manager, evidence_id=row.id)


def test_only_the_starter_and_their_manager_attach_and_removal_is_recorded(workspace, team, target, tmp_path):
    source = tmp_path / "bls.pdf"
    source.write_bytes(PDF_BYTES)
    with pytest.raises(PermissionDenied):
        workspace.induction.attach_evidence(team.bystander, item_id=target.id, source=source)
    assert stored_files() == []
    row = workspace.induction.attach_evidence(team.manager, item_id=target.id, source=source)
    workspace.induction.remove_evidence(team.starter, evidence_id=row.id)
    view = workspace.induction.checklist(team.starter, staff_id=team.starter_id)
    assert item(view, "basic-life-support").evidence == ()
    with workspace.db.read() as session:
        assert session.execute(select(AuditEntry.action).where(AuditEntry.entity_type == "induction_evidence")
                               .order_by(AuditEntry.id)).scalars().all() == ["attach", "remove"]


def _ticked_with_a_file(workspace, team, tmp_path):
    """The starter's supervision agreement item with agreement.pdf attached, then ticked: the item
    as it now stands, and the file's row."""
    ind = workspace.induction
    agreement = item(ind.checklist(team.starter, staff_id=team.starter_id), "supervision-agreement-signed")
    source = tmp_path / "agreement.pdf"
    source.write_bytes(PDF_BYTES)
    row = ind.attach_evidence(team.starter, item_id=agreement.id, source=source)
    agreement = item(ind.checklist(team.starter, staff_id=team.starter_id), "supervision-agreement-signed")
    ind.tick(team.starter, item_id=agreement.id, expected_version=agreement.version)
    return item(ind.checklist(team.starter, staff_id=team.starter_id), "supervision-agreement-signed"), row


def test_a_file_attached_after_the_sign_off_can_be_taken_off_again(workspace, team, tmp_path, clock):
    """The file the sign-off was given on stays; one attached since (here by mistake) was never
    vouched for, so it comes off, and the refusal is kept for the file that was signed with."""
    from datetime import timedelta

    ind = workspace.induction
    agreement, kept = _ticked_with_a_file(workspace, team, tmp_path)
    clock.advance(timedelta(minutes=5))
    agreement = item(ind.checklist(team.manager, staff_id=team.starter_id), "supervision-agreement-signed")
    ind.sign_off(team.manager, item_id=agreement.id, expected_version=agreement.version)
    clock.advance(timedelta(minutes=5))
    wrong = tmp_path / "holiday-photo.pdf"
    wrong.write_bytes(PDF_BYTES + b"%another\n")
    mistake = ind.attach_evidence(team.starter, item_id=agreement.id, source=wrong)

    view = ind.remove_evidence(team.starter, evidence_id=mistake.id)
    assert [e.original_name for e in item(view, "supervision-agreement-signed").evidence] == ["agreement.pdf"]
    with pytest.raises(ValidationError, match="signed off with this evidence"):
        ind.remove_evidence(team.starter, evidence_id=kept.id)


def test_a_sign_off_on_files_changed_since_the_manager_looked_is_refused(workspace, team, tmp_path):
    """The manager opened the checklist with the agreement attached; the starter then swapped it
    for another file. Signing off (or returning) what they saw is refused as stale, not vouching
    for a file they never opened."""
    from arrs_desk.errors import StaleEdit

    ind = workspace.induction
    agreement, row = _ticked_with_a_file(workspace, team, tmp_path)
    seen = item(ind.checklist(team.manager, staff_id=team.starter_id), "supervision-agreement-signed")

    ind.remove_evidence(team.starter, evidence_id=row.id)
    with pytest.raises(StaleEdit):
        ind.sign_off(team.manager, item_id=seen.id, expected_version=seen.version)
    seen = item(ind.checklist(team.manager, staff_id=team.starter_id), "supervision-agreement-signed")
    other = tmp_path / "other.pdf"
    other.write_bytes(PDF_BYTES + b"%other\n")
    ind.attach_evidence(team.starter, item_id=seen.id, source=other)
    with pytest.raises(StaleEdit):
        ind.return_item(team.manager, item_id=seen.id, expected_version=seen.version, comment="Attach the signed copy")
    fresh = item(ind.checklist(team.manager, staff_id=team.starter_id), "supervision-agreement-signed")
    assert fresh.status is ItemStatus.AWAITING_SIGNOFF and [e.original_name for e in fresh.evidence] == ["other.pdf"]
    ind.sign_off(team.manager, item_id=fresh.id, expected_version=fresh.version)
