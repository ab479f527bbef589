"""Evidence files and full exports of an encrypted database are encrypted too (issue 20 item 1):
nothing readable is kept on disk, every reader gets the plain content back, turning encryption on
or off converts every file, a wrong key never changes one, and a full export loads on another PC
with the database's passphrase alone."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from arrs_desk.errors import ValidationError
from arrs_desk.paths import evidence_dir, is_private
from arrs_desk.services import evidence
from arrs_desk.services.actor import SYSTEM
from arrs_desk.services.data_export import DataExportService, is_encrypted_export
from arrs_desk.services.workspace import Workspace
from arrs_desk.store import file_cipher
from arrs_desk.store.cipher import DatabaseKey, WrongKey
from arrs_desk.store.models import InductionEvidence, InductionItem, Staff
from tests.induction_support import item, make_team

pytestmark = pytest.mark.sqlite_only("encryption at rest is for a SQLite file; a PostgreSQL server encrypts its own disks")

PASSPHRASE = "correct horse battery staple"
KEY = DatabaseKey.from_passphrase(PASSPHRASE, bytes(16))
OTHER = DatabaseKey.from_passphrase("another long passphrase", bytes(16))
PDF_BYTES = b"%PDF-1.4\n% certificate for Zo\xc3\xab Okubo, basic life support\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"signed supervision agreement" * 20


def kept(stored_name: str) -> Path:
    return evidence_dir() / stored_name[:2] / stored_name


def store(ws: Workspace, tmp_path: Path, name: str, content: bytes) -> str:
    """A file recorded as induction evidence on the first item, stored as the services store it."""
    source = tmp_path / name
    source.write_bytes(content)
    stored = evidence.store_file(source, evidence_dir(), ws.db.key)
    with ws.db.write() as session:
        first = session.execute(select(InductionItem).order_by(InductionItem.id)).scalars().first()
        session.add(InductionEvidence(item_id=first.id, staff_id=first.staff_id, sha256=stored.sha256,
                                      stored_name=stored.stored_name, original_name=name,
                                      media_type=stored.kind.media_type, size=stored.size, added_by_name="Helen"))
    return stored.stored_name


def test_evidence_of_an_encrypted_database_is_kept_encrypted_and_opens_plain(workspace, system_actor, tmp_path):
    workspace.db.change_key(KEY)
    team = make_team(workspace, system_actor)
    target = item(workspace.induction.checklist(team.starter, staff_id=team.starter_id), "basic-life-support")
    source = tmp_path / "BLS.pdf"
    source.write_bytes(PDF_BYTES)
    row = workspace.induction.attach_evidence(team.starter, item_id=target.id, source=source)
    name = f"{hashlib.sha256(PDF_BYTES).hexdigest()}.pdf"  # named by the plain content, as before
    on_disk = kept(name).read_bytes()
    assert on_disk.startswith(file_cipher.EVIDENCE_MAGIC) and b"Zo\xc3\xab" not in on_disk and b"%PDF" not in on_disk

    opened = workspace.induction.evidence_file(team.manager, evidence_id=row.id)
    assert opened.read_bytes() == PDF_BYTES and opened.suffix == ".pdf"
    assert opened.parent != kept(name).parent and is_private(opened)
    assert kept(name).read_bytes() == on_disk  # opening never rewrites the kept file

    again = tmp_path / "copy.pdf"
    again.write_bytes(PDF_BYTES)
    other = item(workspace.induction.checklist(team.starter, staff_id=team.starter_id), "supervision-agreement-signed")
    workspace.induction.attach_evidence(team.starter, item_id=other.id, source=again)
    assert sorted(p.name for p in evidence_dir().rglob("*") if p.is_file()) == [name]  # stored once
    workspace.close()  # the decrypted copy does not outlive the session that opened it
    assert not opened.exists() and kept(name).exists()


def test_a_plain_database_keeps_plain_files(demo_workspace, tmp_path):
    name = store(demo_workspace, tmp_path, "BLS.pdf", PDF_BYTES)
    assert kept(name).read_bytes() == PDF_BYTES
    assert evidence.stored_path(evidence_dir(), name) == kept(name)


def test_exports_of_an_encrypted_database_carry_the_plain_evidence(demo_workspace, tmp_path):
    demo_workspace.db.change_key(KEY)
    name = store(demo_workspace, tmp_path, "BLS.pdf", PDF_BYTES)
    with demo_workspace.db.read() as session:
        staff_id = session.execute(select(InductionEvidence.staff_id)
                                   .where(InductionEvidence.stored_name == name)).scalar_one()
    bundle = tmp_path / "bundle.zip"
    demo_workspace.record_bundles.export_bundle(SYSTEM, staff_id=staff_id, path=bundle)
    with zipfile.ZipFile(bundle) as archive:  # signed, not encrypted: the receiving PCN has no passphrase
        assert archive.read(f"evidence/{name[:64]}") == PDF_BYTES
    copy = demo_workspace.subject_access.export(SYSTEM, staff_id=staff_id, folder=tmp_path / "sar")
    with zipfile.ZipFile(copy.archive) as archive:
        assert archive.read(f"evidence/{name[:64]}") == PDF_BYTES


def test_turning_encryption_on_and_off_converts_every_evidence_file(demo_workspace, tmp_path):
    names = [store(demo_workspace, tmp_path, "BLS.pdf", PDF_BYTES), store(demo_workspace, tmp_path, "a.png", PNG_BYTES)]
    plain = {n: kept(n).read_bytes() for n in names}

    on = demo_workspace.encryption.turn_on(SYSTEM, passphrase=PASSPHRASE, confirm=PASSPHRASE, remember_here=False)
    assert on.evidence_converted == 2 and not on.evidence_left and "2 evidence file(s) converted" in on.summary
    for n in names:
        data = kept(n).read_bytes()
        assert file_cipher.is_sealed(data) and plain[n] not in data
        assert evidence.plain_bytes(kept(n), demo_workspace.db.key) == plain[n]
    entry = demo_workspace.audit_log.entries(SYSTEM)[0]
    assert entry.action == "encrypt" and entry.changes["evidence_files_converted"] == [None, 2]
    # Run again (as after a kill): everything is already as wanted, so nothing is rewritten.
    assert evidence.convert_evidence(evidence_dir(), None, demo_workspace.db.key) == (0, [])

    new = "a different passphrase entirely"
    rekey = demo_workspace.encryption.change_passphrase(SYSTEM, current=PASSPHRASE, passphrase=new, confirm=new,
                                                        remember_here=False)
    assert rekey.evidence_converted == 2
    assert all(evidence.plain_bytes(kept(n), demo_workspace.db.key) == plain[n] for n in names)

    off = demo_workspace.encryption.turn_off(SYSTEM, current=new)
    assert off.evidence_converted == 2
    assert {n: kept(n).read_bytes() for n in names} == plain
    assert all(hashlib.sha256(plain[n]).hexdigest() == n[:64] for n in names)


def test_a_conversion_cut_short_finishes_when_run_again(tmp_path, monkeypatch):
    root = tmp_path / "evidence"
    names = []
    for i in range(3):
        source = tmp_path / f"{i}.pdf"
        source.write_bytes(PDF_BYTES + bytes([i]))
        names.append(evidence.store_file(source, root).stored_name)
    before = {n: (root / n[:2] / n).read_bytes() for n in names}
    real, calls = file_cipher.write_atomic, []

    def killed_after_one(path, data):
        if calls:
            raise KeyboardInterrupt  # the app killed mid-way
        calls.append(path)
        real(path, data)

    monkeypatch.setattr(file_cipher, "write_atomic", killed_after_one)
    with pytest.raises(KeyboardInterrupt):
        evidence.convert_evidence(root, None, KEY)
    monkeypatch.setattr(file_cipher, "write_atomic", real)
    states = [file_cipher.file_is_sealed(root / n[:2] / n) for n in names]
    assert states.count(True) == 1  # each file whole: old or new
    assert not [p for p in root.rglob("*.partial")]
    assert evidence.convert_evidence(root, None, KEY) == (2, [])
    assert all(evidence.plain_bytes(root / n[:2] / n, KEY) == before[n] for n in names)


def test_a_wrong_key_never_changes_a_file(tmp_path):
    root = tmp_path / "evidence"
    source = tmp_path / "BLS.pdf"
    source.write_bytes(PDF_BYTES)
    name = evidence.store_file(source, root, KEY).stored_name
    path = root / name[:2] / name
    sealed = path.read_bytes()
    converted, left = evidence.convert_evidence(root, OTHER, None)
    assert (converted, left) == (0, [path]) and path.read_bytes() == sealed
    with pytest.raises(WrongKey, match="does not open"):
        evidence.stored_path(root, name, OTHER)
    with pytest.raises(WrongKey, match="encrypted"):
        evidence.stored_path(root, name)
    tampered = bytearray(sealed)
    tampered[-1] ^= 1
    with pytest.raises(WrongKey):
        file_cipher.decrypt_bytes(bytes(tampered), KEY.subkey("evidence"))
    assert path.read_bytes() == sealed and not (tmp_path / "opened").exists()


# ------------------------------------------------------------------------------ full export
@pytest.fixture
def empty_target(tmp_path):
    ws = Workspace.open(tmp_path / "target.sqlite3")
    yield ws
    ws.close()


def staff_count(ws: Workspace) -> int:
    with ws.db.read() as session:
        return session.execute(select(func.count()).select_from(Staff)).scalar_one()


def test_a_full_export_of_an_encrypted_database_is_encrypted_and_loads_with_its_passphrase(
        demo_workspace, empty_target, tmp_path):
    demo_workspace.db.change_key(KEY)
    name = store(demo_workspace, tmp_path, "BLS.pdf", PDF_BYTES)
    path = tmp_path / "export.zip"
    result = demo_workspace.data_export.export_all(SYSTEM, path=path)
    raw = path.read_bytes()
    assert result.encrypted and result.sha256 == hashlib.sha256(raw).hexdigest() and is_private(path)
    assert not zipfile.is_zipfile(path) and is_encrypted_export(path)
    assert b"data.json" not in raw and PDF_BYTES not in raw and raw[8:24] == KEY.salt  # the salt, in clear
    hidden = [p.name for p in tmp_path.iterdir() if p.name.startswith(".") and ".open-" not in p.name]
    assert hidden == []  # no plain copy left behind (the databases' own open markers aside)
    assert demo_workspace.audit_log.entries(SYSTEM)[0].changes["encrypted"] is True

    target_root = tmp_path / "target-evidence"
    importer = DataExportService(empty_target.db, evidence_root=lambda: target_root)
    before = staff_count(empty_target)
    with pytest.raises(ValidationError) as missing:
        importer.import_all(path=path, run_by="tester")
    assert "encrypted" in missing.value.errors["passphrase"]
    with pytest.raises(ValidationError) as wrong:
        importer.import_all(path=path, run_by="tester", passphrase="not the passphrase")
    assert "does not open" in wrong.value.errors["passphrase"]
    assert staff_count(empty_target) == before and not target_root.exists() and path.read_bytes() == raw

    loaded = importer.import_all(path=path, run_by="tester", passphrase=PASSPHRASE)
    assert loaded.rows == result.rows and loaded.evidence_files == result.evidence_files
    assert staff_count(empty_target) > before
    assert (target_root / name[:2] / name).read_bytes() == PDF_BYTES  # a plain database keeps plain files


def test_a_full_export_cut_short_is_refused(demo_workspace, empty_target, tmp_path):
    demo_workspace.db.change_key(KEY)
    path = tmp_path / "export.zip"
    demo_workspace.data_export.export_all(SYSTEM, path=path)
    cut = tmp_path / "cut.zip"
    cut.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(ValidationError, match="cut short or changed|does not open"):
        empty_target.data_export.import_all(path=cut, run_by="tester", passphrase=PASSPHRASE)


def test_a_plain_database_exports_a_file_sealed_with_the_passphrase_chosen_for_it(demo_workspace, tmp_path):
    """It carries every account's password hash and two-step secret (tests/services/test_data_export.py)."""
    path = tmp_path / "export.zip"
    assert demo_workspace.data_export.needs_passphrase()
    assert demo_workspace.data_export.export_all(SYSTEM, path=path, passphrase="a passphrase for the file").encrypted
    assert not zipfile.is_zipfile(path) and is_encrypted_export(path)
    demo_workspace.db.change_key(KEY)
    assert not demo_workspace.data_export.needs_passphrase()  # sealed with the database's own key
