"""Full export and import: the round trip is byte-identical, and a bad file or a used database
is refused with nothing written. Each test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import hashlib
import json
import zipfile
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select

from arrs_desk.errors import NotFound, PermissionDenied, ValidationError
from arrs_desk.paths import evidence_dir
from arrs_desk.services import evidence
from arrs_desk.services.actor import Actor
from arrs_desk.services.data_export import DataExportService
from arrs_desk.services.workspace import Workspace
from arrs_desk.store.models import AuditEntry, InductionEvidence, InductionItem, Organisation, Staff, SupervisionArrangement
from tests.conftest import TODAY
from tests.support.exports import PASSPHRASE, export_plain, members

PDF_BYTES = b"%PDF-1.4\n% certificate for Zo\xc3\xab\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"agreement scan" * 10


@pytest.fixture
def empty_target(backend, request, tmp_path):
    """A freshly opened database (seeded roles, templates and programmes only) on the same backend."""
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


@pytest.fixture
def target_evidence(tmp_path) -> Path:
    return tmp_path / "target-evidence"


def importer(ws: Workspace, root: Path) -> DataExportService:
    return DataExportService(ws.db, evidence_root=lambda: root)


def add_evidence(ws: Workspace, tmp_path: Path) -> tuple[str, str]:
    """An induction certificate and a supervision agreement, stored as the services store them."""
    source = tmp_path / "BLS – Zoë.pdf"
    source.write_bytes(PDF_BYTES)
    pdf = evidence.store_file(source, evidence_dir())
    scan = tmp_path / "agreement.png"
    scan.write_bytes(PNG_BYTES)
    png = evidence.store_file(scan, evidence_dir())
    with ws.db.write() as session:
        item = session.execute(select(InductionItem).order_by(InductionItem.id)).scalars().first()
        session.add(InductionEvidence(item_id=item.id, staff_id=item.staff_id, sha256=pdf.sha256, stored_name=pdf.stored_name,
                                      original_name=source.name, media_type=pdf.kind.media_type, size=pdf.size,
                                      added_by_name="Helen Whitfield"))
        arrangement = session.execute(select(SupervisionArrangement).order_by(SupervisionArrangement.id)).scalars().first()
        arrangement.agreement_sha256 = png.sha256
        arrangement.agreement_filename = scan.name
        arrangement.agreement_media_type = png.kind.media_type
        arrangement.agreement_size = png.size
        arrangement.agreement_added_at = datetime(2026, 11, 20, 9, 30, tzinfo=timezone.utc)
    return pdf.stored_name, png.stored_name


def rewrite(path: Path, out: Path, change) -> Path:  # noqa: ANN001
    """A copy of an export with `change(files)` applied to its {name: bytes}."""
    files = members(path)
    change(files)
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out


def manifest_of(files: dict[str, bytes]) -> dict:
    return json.loads(files["manifest.json"])


def set_manifest(members_: dict[str, bytes], **changes) -> None:
    members_["manifest.json"] = json.dumps({**manifest_of(members_), **changes}).encode()


def row_counts(ws: Workspace) -> dict[str, int]:
    with ws.db.read() as session:
        return {m.__tablename__: session.execute(select(func.count()).select_from(m)).scalar_one()
                for m in (Staff, Organisation, AuditEntry, InductionEvidence)}


@pytest.fixture
def exported(demo_workspace, system_actor, tmp_path) -> Path:
    add_evidence(demo_workspace, tmp_path)
    path = tmp_path / "export.zip"
    export_plain(demo_workspace.data_export, system_actor, path)  # the ZIP inside, to change
    return path


def test_round_trip_is_byte_identical_apart_from_the_export_time(
        demo_workspace, empty_target, system_actor, tmp_path, target_evidence):
    pdf_name, png_name = add_evidence(demo_workspace, tmp_path)
    first = tmp_path / "first.zip"
    result = demo_workspace.data_export.export_all(system_actor, path=first, passphrase=PASSPHRASE)
    assert result.evidence_files == 2 and result.sha256 == hashlib.sha256(first.read_bytes()).hexdigest()
    # The export's own audit row comes after the snapshot: in the database, not in the file.
    recorded = demo_workspace.audit_log.entries(system_actor)[0]
    assert recorded.action == "export_all" and recorded.changes["sha256"] == result.sha256
    data = json.loads(members(first)["data.json"])
    assert "export_all" not in {row["action"] for row in data["tables"]["audit_entry"]}

    audit_before = row_counts(empty_target)["audit_entry"]
    assert audit_before > 0  # the seeding's own record, replaced by the import
    loaded = importer(empty_target, target_evidence).import_all(path=first, run_by="tester", passphrase=PASSPHRASE)
    assert loaded.rows == result.rows and loaded.evidence_files == 2 and loaded.staff == len(data["tables"]["staff"])
    assert (target_evidence / pdf_name[:2] / pdf_name).read_bytes() == PDF_BYTES
    assert (target_evidence / png_name[:2] / png_name).read_bytes() == PNG_BYTES

    second = tmp_path / "second.zip"
    importer(empty_target, target_evidence).export_all(system_actor, path=second, passphrase=PASSPHRASE)
    a, b = members(first), members(second)
    assert set(a) == set(b)
    assert a["data.json"] == b["data.json"]
    assert all(a[name] == b[name] for name in a if name.startswith("evidence/"))
    manifest_a, manifest_b = manifest_of(a), manifest_of(b)
    assert manifest_a.pop("exported_at") and manifest_b.pop("exported_at")
    assert manifest_a == manifest_b
    assert manifest_a["files"]["data.json"]["sha256"] == hashlib.sha256(a["data.json"]).hexdigest()
    assert [t["name"] for t in manifest_a["tables"]][:4] == [
        "audit_chain_head", "audit_entry", "checkin_tally", "destruction_log"]
    assert {e["sha256"] for e in manifest_a["evidence"]} == {pdf_name[:64], png_name[:64]}


def test_values_are_encoded_canonically(exported):
    text = members(exported)["data.json"].decode("utf-8")
    data = json.loads(text)
    staff = data["tables"]["staff"][0]
    assert list(staff) == sorted(staff)
    assert date.fromisoformat(staff["start_date"])
    assert staff["created_at"].endswith("+00:00")
    ids = [row["id"] for row in data["tables"]["staff"]]
    assert ids == sorted(ids)
    assert "\\u" not in text  # UTF-8 as it is, never escaped


def test_import_refuses_a_database_that_is_not_empty(demo_workspace, exported, target_evidence):
    before = row_counts(demo_workspace)
    with pytest.raises(ValidationError, match="already holds records"):
        importer(demo_workspace, target_evidence).import_all(path=exported)
    assert row_counts(demo_workspace) == before
    assert not target_evidence.exists()


def test_a_changed_data_file_is_refused(exported, empty_target, tmp_path, target_evidence):
    def tamper(files):
        files["data.json"] = files["data.json"].replace(b'"Practice', b'"Prectice', 1)

    bad = rewrite(exported, tmp_path / "tampered.zip", tamper)
    with pytest.raises(ValidationError, match="does not match the SHA-256"):
        importer(empty_target, target_evidence).import_all(path=bad)
    assert empty_target.data_export.emptiness_problem() is None
    assert not target_evidence.exists()


def test_a_missing_evidence_file_is_refused(exported, empty_target, tmp_path, target_evidence):
    def drop(files):
        for name in [n for n in files if n.startswith("evidence/")][:1]:
            del files[name]

    bad = rewrite(exported, tmp_path / "missing.zip", drop)
    with pytest.raises(ValidationError, match="lacks 1 evidence file"):
        importer(empty_target, target_evidence).import_all(path=bad)
    assert empty_target.data_export.emptiness_problem() is None
    assert not target_evidence.exists()


def test_changed_evidence_is_refused(exported, empty_target, tmp_path, target_evidence):
    def swap(files):
        name = next(n for n in files if n.startswith("evidence/"))
        files[name] = files[name] + b"extra"

    bad = rewrite(exported, tmp_path / "swapped.zip", swap)
    with pytest.raises(ValidationError, match="does not match its name"):
        importer(empty_target, target_evidence).import_all(path=bad)
    assert not target_evidence.exists()


def test_a_file_from_a_newer_version_is_refused(exported, empty_target, tmp_path, target_evidence):
    bad = rewrite(exported, tmp_path / "newer.zip", lambda f: set_manifest(f, schema_revision="9999", app_version="9.0.0"))
    with pytest.raises(ValidationError, match=r"made by ARRS Desk 9\.0\.0 \(database schema 9999\).*Install"):
        importer(empty_target, target_evidence).import_all(path=bad)
    assert empty_target.data_export.emptiness_problem() is None


@pytest.mark.parametrize(("change", "message"), [
    (lambda f: f.__setitem__("../../escape.txt", b"x"), "not part of an ARRS Desk export"),
    (lambda f: f.__setitem__("evidence/../../etc", b"x"), "not part of an ARRS Desk export"),
    (lambda f: f.__setitem__("manifest.json", b"{" + b" " * (1024 * 1024 + 10) + b"}"), "more than the"),
    (lambda f: f.__setitem__("manifest.json", b'{"format": "arrs-desk-export", "name": "\xff\xfe"}'), "not UTF-8"),
    (lambda f: f.__setitem__("manifest.json", b"[1, 2]"), "does not hold a JSON object"),
    (lambda f: f.pop("data.json"), "has no data.json"),
    (lambda f: set_manifest(f, format="something-else"), "not an ARRS Desk export"),
    (lambda f: set_manifest(f, format_version=2), "version 2 of the format"),
    (lambda f: set_manifest(f, tables=manifest_of(f)["tables"][1:]), "does not list the tables and row counts"),
], ids=["traversal", "evidence-traversal", "huge-manifest", "not-utf8", "not-object", "no-data", "format", "version",
        "counts"])
def test_hostile_files_are_refused_with_nothing_written(exported, empty_target, tmp_path, target_evidence, change, message):
    bad = rewrite(exported, tmp_path / "hostile.zip", change)
    with pytest.raises(ValidationError, match=message):
        importer(empty_target, target_evidence).import_all(path=bad)
    assert empty_target.data_export.emptiness_problem() is None
    assert not target_evidence.exists()
    assert not (tmp_path.parent / "escape.txt").exists()


def test_a_value_that_does_not_fit_its_column_is_named(exported, empty_target, tmp_path, target_evidence):
    def bad_date(files):
        data = json.loads(files["data.json"])
        data["tables"]["staff"][0]["start_date"] = "31/02/2026"
        files["data.json"] = json.dumps(data).encode()
        set_manifest(files, files={"data.json": {"sha256": hashlib.sha256(files["data.json"]).hexdigest()}})

    bad = rewrite(exported, tmp_path / "bad-date.zip", bad_date)
    with pytest.raises(ValidationError, match="table staff .*column start_date"):
        importer(empty_target, target_evidence).import_all(path=bad)
    assert empty_target.data_export.emptiness_problem() is None


def test_an_evidence_name_that_could_leave_the_folder_is_refused(exported, empty_target, tmp_path, target_evidence):
    def escape(files):
        data = json.loads(files["data.json"])
        data["tables"]["induction_evidence"][0]["stored_name"] = "../../../escape.pdf"
        files["data.json"] = json.dumps(data).encode()
        set_manifest(files, files={"data.json": {"sha256": hashlib.sha256(files["data.json"]).hexdigest()}})

    bad = rewrite(exported, tmp_path / "escape.zip", escape)
    with pytest.raises(ValidationError, match="not a stored evidence name"):
        importer(empty_target, target_evidence).import_all(path=bad)
    assert not target_evidence.exists() and not list(tmp_path.parent.glob("escape.pdf"))


def test_evidence_names_from_a_file_are_cleaned_as_chosen_ones_are(exported, empty_target, tmp_path, target_evidence):
    """A name in an export is data from outside this PC: it is cleaned on the way in as a file chosen
    here is (`evidence.clean_name`), not only length-checked, so no bidi override, path or device
    name reaches the lists and audit entries."""
    def hostile(files):
        data = json.loads(files["data.json"])
        data["tables"]["induction_evidence"][0]["original_name"] = "..\\..\\BLS \u202efdp.exe"
        [arrangement] = [a for a in data["tables"]["supervision_arrangement"] if a["agreement_sha256"]]
        arrangement["agreement_filename"] = "CON.png"
        files["data.json"] = json.dumps(data).encode()
        set_manifest(files, files={"data.json": {"sha256": hashlib.sha256(files["data.json"]).hexdigest()}})

    bad = rewrite(exported, tmp_path / "names.zip", hostile)
    importer(empty_target, target_evidence).import_all(path=bad, override_reason="names edited by hand")
    with empty_target.db.read() as session:
        assert session.execute(select(InductionEvidence.original_name)).scalars().all() == ["_.._BLS fdp.exe"]
        assert session.execute(select(SupervisionArrangement.agreement_filename).where(
            SupervisionArrangement.agreement_sha256 != "")).scalars().all() == ["_CON.png"]
        assert "" in session.execute(select(SupervisionArrangement.agreement_filename)).scalars().all()  # none stays none


def test_not_a_zip_is_refused(empty_target, tmp_path, target_evidence):
    bad = tmp_path / "notes.zip"
    bad.write_text("hello")
    with pytest.raises(ValidationError, match="not a readable ZIP"):
        importer(empty_target, target_evidence).import_all(path=bad)


def test_a_backup_chosen_as_an_export_says_where_a_backup_goes(empty_target, tmp_path, target_evidence):
    """A backup loaded as a full export was "not a readable ZIP file", which did not say that
    Restore from backup is where it goes. A plain SQLite file and an encrypted one (no readable
    header, named as ARRS Desk names backups) both say so."""
    plain = tmp_path / "notes.bin"
    plain.write_bytes(b"SQLite format 3\x00" + bytes(200))
    encrypted = tmp_path / "arrs-desk-auto-20261201-090000.sqlite3"
    encrypted.write_bytes(bytes(range(256)) * 4)
    for path in (plain, encrypted):
        with pytest.raises(ValidationError, match="is a database or a backup of one, not an ARRS Desk export. To go "
                                                  "back to a backup, use File > Restore from backup"):
            importer(empty_target, target_evidence).import_all(path=path)


def test_a_failed_write_leaves_no_copied_evidence(exported, empty_target, target_evidence, monkeypatch):
    def broken(self, session, data):  # noqa: ANN001
        session.execute(select(1))
        raise ValidationError.single("file", "simulated failure while loading")

    monkeypatch.setattr(DataExportService, "_replace_all", broken)
    with pytest.raises(ValidationError, match="simulated failure"):
        importer(empty_target, target_evidence).import_all(path=exported)
    assert [p for p in target_evidence.rglob("*") if p.is_file()] == []
    assert empty_target.data_export.emptiness_problem() is None


def test_only_an_administrator_may_export(demo_workspace, tmp_path):
    manager = Actor(1, "helen", "Helen Whitfield", frozenset({"line_manager", "staff"}), None)
    path = tmp_path / "not-allowed.zip"
    with pytest.raises(PermissionDenied, match="Only an administrator can export"):
        demo_workspace.data_export.export_all(manager, path=path)
    assert list(tmp_path.glob("*.zip*")) == [] and list(tmp_path.glob(".*partial")) == []


def test_export_refuses_when_evidence_is_not_on_this_computer(demo_workspace, system_actor, tmp_path):
    pdf_name, _ = add_evidence(demo_workspace, tmp_path)
    (evidence_dir() / pdf_name[:2] / pdf_name).unlink()
    audit_before = row_counts(demo_workspace)["audit_entry"]
    with pytest.raises(NotFound, match="not in this computer's evidence folder"):
        demo_workspace.data_export.export_all(system_actor, path=tmp_path / "incomplete.zip", passphrase=PASSPHRASE)
    assert not (tmp_path / "incomplete.zip").exists()
    assert row_counts(demo_workspace)["audit_entry"] == audit_before


def test_records_added_after_an_import_get_new_ids(exported, empty_target, system_actor, target_evidence):
    importer(empty_target, target_evidence).import_all(path=exported)
    with empty_target.db.read() as session:
        top_org = session.execute(select(func.max(Organisation.id))).scalar_one()
        top_audit = session.execute(select(func.max(AuditEntry.id))).scalar_one()
    made = empty_target.organisations.create(system_actor, kind="practice", name="New Surgery", ods_code="Z99999")
    assert made.id == top_org + 1
    with empty_target.db.read() as session:
        assert session.execute(select(func.max(AuditEntry.id))).scalar_one() > top_audit
    # The audit trail is append-only again after the import.
    with pytest.raises(Exception):
        with empty_target.db.write() as session:
            session.execute(AuditEntry.__table__.delete())


def test_a_cpd_certificate_travels_with_the_whole_database(demo_workspace, empty_target, system_actor, tmp_path,
                                                          target_evidence):
    from arrs_desk.store.models import CpdEntry, RevalidationFile

    source = tmp_path / "sepsis-certificate.pdf"
    source.write_bytes(PDF_BYTES.replace(b"Zo\xc3\xab", b"sepsis"))
    stored = evidence.store_file(source, evidence_dir())
    with demo_workspace.db.write() as session:
        staff = session.execute(select(Staff).order_by(Staff.id)).scalars().first()
        entry = CpdEntry(staff_id=staff.id, occurred_on=TODAY, title="Sepsis update", method="course", hours=2.0)
        session.add(entry)
        session.flush()
        session.add(RevalidationFile(staff_id=staff.id, cpd_entry_id=entry.id, sha256=stored.sha256,
                                     stored_name=stored.stored_name, original_name=source.name,
                                     media_type=stored.kind.media_type, size=stored.size))
    path = tmp_path / "export.zip"
    assert demo_workspace.data_export.export_all(system_actor, path=path, passphrase=PASSPHRASE).evidence_files >= 1
    importer(empty_target, target_evidence).import_all(path=path, run_by="tester", passphrase=PASSPHRASE)
    name = stored.stored_name
    assert (target_evidence / name[:2] / name).read_bytes() == source.read_bytes()


def test_an_export_carries_no_sign_in_details_in_the_clear_and_loads_with_its_passphrase(
        demo_workspace, empty_target, tmp_path, target_evidence, clock):
    """A plain database's export was a plain ZIP holding every password hash and two-step secret,
    made to leave the PC. It is sealed now with a passphrase the administrator chooses, and the
    accounts it carries sign in where it is loaded, two-step codes and all, as before."""
    from datetime import timedelta

    import pyotp

    from arrs_desk.demo.pcn import DEMO_PASSWORD
    from arrs_desk.services.export_archive import is_encrypted_export

    helen = demo_workspace.accounts.sign_in(username="helen.whitfield", password=DEMO_PASSWORD)
    setup = demo_workspace.two_step.new_setup(helen)
    demo_workspace.two_step.turn_on(helen, secret=setup.secret, code=pyotp.TOTP(setup.secret).at(clock.now()))
    path = tmp_path / "everything.zip"
    for given, says in ((None, "Choose a passphrase"), ("short", "at least 10 characters")):
        with pytest.raises(ValidationError) as refused:
            demo_workspace.data_export.export_all(helen, path=path, passphrase=given)
        assert says in refused.value.errors["passphrase"] and not path.exists()

    result = demo_workspace.data_export.export_all(helen, path=path, passphrase=PASSPHRASE)
    raw = path.read_bytes()
    assert result.encrypted and is_encrypted_export(path) and not zipfile.is_zipfile(path)
    assert b"$argon2" not in raw and setup.secret.encode() not in raw and b"data.json" not in raw
    assert b"$argon2id$" in members(path)["data.json"]  # inside: what lets people sign in where it is loaded

    with pytest.raises(ValidationError, match="Enter the passphrase it was exported with"):
        importer(empty_target, target_evidence).import_all(path=path, run_by="tester")
    loaded = importer(empty_target, target_evidence).import_all(path=path, run_by="tester", passphrase=PASSPHRASE)
    assert loaded.sha256 == result.sha256  # the file's, as the export's audit entry names it
    clock.advance(timedelta(seconds=30))  # a code is accepted once: the next one
    there = empty_target.accounts.sign_in(username="helen.whitfield", password=DEMO_PASSWORD,
                                          code=pyotp.TOTP(setup.secret).at(clock.now()))
    assert there.username == "helen.whitfield"
