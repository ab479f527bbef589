"""Signed exports (issue 16 item 2): a full export and a record bundle carry an Ed25519 signature
over the manifest; an import says "From ARRS Desk at <PCN>, unchanged", and refuses a file that
was changed (even with every hash recomputed), re-signed elsewhere, or not signed, unless an
administrator gives a reason, which the audit trail records."""

from __future__ import annotations

import base64
import json
import os
import stat
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from arrs_desk.domain import export_format as fmt
from arrs_desk.errors import PermissionDenied, ValidationError
from arrs_desk.services import export_signing
from arrs_desk.services.actor import SYSTEM
from arrs_desk.services.workspace import Workspace
from arrs_desk.store.models import AuditEntry, Setting, Staff
from tests.support.pcn import HELEN, build_small_pcn
from tests.support.exports import PASSPHRASE, members
from tests.date_support import TODAY

PCN = "Riverside Test PCN"


@pytest.fixture
def source(workspace):
    workspace.pcn = build_small_pcn(workspace, SYSTEM, members=[HELEN], name=PCN)
    return workspace


@pytest.fixture
def empty_target(backend, request, tmp_path):
    if backend == "postgres":
        databases = request.getfixturevalue("postgres_databases")
        url = databases.fresh("migrated")
        ws = Workspace.open(url)
        yield ws
        ws.close()
        databases.drop(url)
        return
    ws = Workspace.open(tmp_path / "target.sqlite3")
    yield ws
    ws.close()


def _files(path: Path) -> dict[str, bytes]:
    return members(path)


def _write(files: dict[str, bytes], out: Path) -> Path:
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out


def _forged(path: Path, out: Path) -> Path:
    """The hostile-insider edit: a forged audit row and a swapped password hash, hashes recomputed."""
    files = _files(path)
    data = json.loads(files["data.json"])
    rows = data["tables"]["audit_entry"]
    rows.append({**rows[-1], "id": rows[-1]["id"] + 1000, "summary": "Signed off everything",
                 "chain_seq": None, "prev_hash": None, "entry_hash": None})
    for account in data["tables"]["user_account"]:
        account["password_hash"] = "$argon2id$v=19$m=65536,t=3,p=4$forged$forged"
    files["data.json"] = fmt.canonical_json(data)
    manifest = json.loads(files["manifest.json"])
    manifest["files"]["data.json"] = {"sha256": __import__("hashlib").sha256(files["data.json"]).hexdigest(),
                                      "size": len(files["data.json"])}
    manifest["tables"] = [{"name": t["name"], "rows": len(data["tables"][t["name"]])} for t in manifest["tables"]]
    files["manifest.json"] = fmt.canonical_json(manifest)
    return _write(files, out)


def _count(ws: Workspace, model) -> int:  # noqa: ANN001
    with ws.db.read() as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def test_an_export_is_signed_with_an_owner_only_key_and_imports_as_unchanged(source, empty_target, tmp_path):
    path = tmp_path / "all.zip"
    source.data_export.export_all(SYSTEM, path=path, passphrase=PASSPHRASE)
    manifest = json.loads(_files(path)["manifest.json"])
    key_file = Path(os.environ["ARRS_DESK_HOME"]) / export_signing.KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert manifest["signed_by"]["pcn"] == PCN and manifest["signed_by"]["algorithm"] == "Ed25519"
    with source.db.read() as session:
        trusted = session.get(Setting, export_signing.TRUSTED_KEYS).value
    assert [k["public_key"] for k in trusted] == [manifest["signed_by"]["public_key"]]
    result = empty_target.data_export.import_all(path=path, run_by="tester", passphrase=PASSPHRASE)
    assert result.signature == f"From ARRS Desk at {PCN}, unchanged."


def test_a_changed_export_is_refused_unless_an_administrator_gives_a_reason(source, empty_target, tmp_path):
    path = tmp_path / "all.zip"
    source.data_export.export_all(SYSTEM, path=path, passphrase=PASSPHRASE)
    forged = _forged(path, tmp_path / "forged.zip")
    staff_before = _count(empty_target, Staff)
    with pytest.raises(ValidationError, match="changed since it was exported"):
        empty_target.data_export.import_all(path=forged, run_by="tester")
    assert _count(empty_target, Staff) == staff_before
    result = empty_target.data_export.import_all(path=forged, run_by="tester", override_reason="  Old server died  ")
    assert result.signature.startswith("This export has been changed since it was exported")
    with empty_target.db.read() as session:
        entry = session.execute(select(AuditEntry).where(AuditEntry.action == "import")).scalar_one()
    assert entry.changes["signature"] == "changed" and entry.changes["override_reason"] == "Old server died"
    assert entry.changes["run_by"] == "tester" and "reason given: Old server died" in entry.summary


def test_an_export_re_signed_elsewhere_or_not_signed_is_refused(source, empty_target, tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    path = tmp_path / "all.zip"
    source.data_export.export_all(SYSTEM, path=path, passphrase=PASSPHRASE)
    files = _files(path)
    manifest = json.loads(files["manifest.json"])
    other = Ed25519PrivateKey.generate()
    manifest["signed_by"]["public_key"] = base64.b64encode(other.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)).decode()
    body = {k: v for k, v in manifest.items() if k != "signature"}
    manifest["signature"] = base64.b64encode(other.sign(fmt.canonical_json(body))).decode()
    files["manifest.json"] = fmt.canonical_json(manifest)
    with pytest.raises(ValidationError, match=f"says it is from ARRS Desk at {PCN}, but it was signed by an "
                                              "installation this database does not know"):
        empty_target.data_export.import_all(path=_write(files, tmp_path / "resigned.zip"), run_by="tester")
    unsigned = {k: v for k, v in manifest.items() if k not in ("signature", "signed_by")}
    files["manifest.json"] = fmt.canonical_json(unsigned)
    with pytest.raises(ValidationError, match="not signed"):
        empty_target.data_export.import_all(path=_write(files, tmp_path / "unsigned.zip"), run_by="tester")


def test_a_record_bundle_is_signed_and_a_changed_one_refused(source, empty_target, tmp_path):
    other = build_small_pcn(empty_target, SYSTEM, name="Hillside PCN", ods_code="U22222")
    path = tmp_path / "bundle.zip"
    source.record_bundles.export_bundle(SYSTEM, staff_id=source.pcn.staff_ids["helen"], path=path)
    files = _files(path)
    data = json.loads(files["data.json"])
    data["person"]["staff"]["given_name"] = "Helena"
    files["data.json"] = fmt.canonical_json(data)
    manifest = json.loads(files["manifest.json"])
    manifest["files"]["data.json"]["sha256"] = __import__("hashlib").sha256(files["data.json"]).hexdigest()
    manifest["files"]["data.json"]["size"] = len(files["data.json"])
    files["manifest.json"] = fmt.canonical_json(manifest)
    changed = _write(files, tmp_path / "changed.zip")
    where = dict(employer_id=other.practice_ids[0], practice_ids=other.practice_ids, start_date=TODAY)
    with pytest.raises(ValidationError, match="record bundle has been changed since it was exported"):
        empty_target.record_bundles.import_bundle(SYSTEM, path=changed, **where)
    added = empty_target.record_bundles.import_bundle(SYSTEM, path=path, **where)
    with empty_target.db.read() as session:
        entry = session.execute(select(AuditEntry).where(AuditEntry.action == "import_bundle")).scalar_one()
    assert entry.changes["signature"] == "unchanged" and entry.changes["signed_by_pcn"] == PCN
    assert "override_reason" not in entry.changes and added.display_name.startswith("Helen")


def test_a_bundle_from_a_pcn_this_database_has_not_seen_is_trusted_on_an_administrators_word(
        source, empty_target, tmp_path):
    """The common case: a person moves from another PCN, whose installation this database has
    never seen. The preview says so; a line manager may not import it; an administrator gives a
    reason and may trust that installation, after which its next bundle reads "unchanged"."""
    from tests.support.signing import new_installation_key, resign

    other = build_small_pcn(empty_target, SYSTEM, members=[HELEN], name="Hillside PCN", ods_code="U22222")
    manager = other.actors["helen"]
    theirs = new_installation_key()
    source.record_bundles.export_bundle(SYSTEM, staff_id=source.pcn.staff_ids["helen"], path=tmp_path / "b.zip")
    bundle = resign(tmp_path / "b.zip", tmp_path / "from-riverside.zip", theirs)
    where = dict(employer_id=other.practice_ids[0], practice_ids=other.practice_ids, start_date=TODAY)

    preview = empty_target.record_bundles.preview(SYSTEM, path=bundle)
    assert preview.signature.from_unknown_installation and preview.may_override
    assert preview.signature.message == (f"This record bundle says it is from ARRS Desk at {PCN}, but it was signed "
                                         "by an installation this database does not know.")
    assert not empty_target.record_bundles.preview(manager, path=bundle).may_override
    with pytest.raises(PermissionDenied, match="Only an administrator may import it anyway"):
        empty_target.record_bundles.import_bundle(manager, path=bundle, override_reason="She starts Monday", **where)

    empty_target.record_bundles.import_bundle(SYSTEM, path=bundle, override_reason="Sent by Riverside's manager",
                                              trust_sender=True, **where)
    with empty_target.db.read() as session:
        entry = session.execute(select(AuditEntry).where(AuditEntry.action == "import_bundle")).scalar_one()
    assert entry.changes["sender_trusted_from_now"] is True and entry.changes["signature"] == "unknown_key"
    assert entry.summary.endswith(f"files signed by ARRS Desk at {PCN} are trusted from now on")
    again = resign(tmp_path / "b.zip", tmp_path / "second.zip", theirs)
    assert empty_target.record_bundles.preview(manager, path=again).signature.trusted


def test_a_changed_bundle_never_makes_its_signer_trusted(source, empty_target, tmp_path):
    from tests.support.signing import new_installation_key, resign

    other = build_small_pcn(empty_target, SYSTEM, name="Hillside PCN", ods_code="U22222")
    theirs = new_installation_key()
    source.record_bundles.export_bundle(SYSTEM, staff_id=source.pcn.staff_ids["helen"], path=tmp_path / "b.zip")
    signed = resign(tmp_path / "b.zip", tmp_path / "signed.zip", theirs)
    files = _files(signed)
    manifest = json.loads(files["manifest.json"])
    manifest["exported_by"] = {"name": "Someone else"}  # changed after signing
    files["manifest.json"] = fmt.canonical_json(manifest)
    changed = _write(files, tmp_path / "changed.zip")
    where = dict(employer_id=other.practice_ids[0], practice_ids=other.practice_ids, start_date=TODAY)
    preview = empty_target.record_bundles.preview(SYSTEM, path=changed)
    assert preview.signature.state == export_signing.CHANGED and not preview.signature.from_unknown_installation
    empty_target.record_bundles.import_bundle(SYSTEM, path=changed, override_reason="Checked by phone",
                                              trust_sender=True, **where)
    with empty_target.db.read() as session:
        entry = session.execute(select(AuditEntry).where(AuditEntry.action == "import_bundle")).scalar_one()
        assert "sender_trusted_from_now" not in entry.changes
    assert not empty_target.record_bundles.preview(SYSTEM, path=signed).signature.trusted
