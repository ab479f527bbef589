"""Every file holding personal data is recorded in the audit trail as it is written: who made it,
what it holds, for how many people, in which format and where it went. One test per kind of
export; a file that cannot be written, or whose audit entry cannot be, leaves neither behind."""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from arrs_desk.clock import UK, in_uk
from arrs_desk.errors import ValidationError
from arrs_desk.paths import is_private
from arrs_desk.services.actor import Actor
from arrs_desk.services.programmes import EnrolmentStatus
from arrs_desk.store.models import AuditEntry, UserAccount
from tests.conftest import TODAY
from tests.support.exports import PASSPHRASE, members


@pytest.fixture
def people(demo_workspace):
    with demo_workspace.db.read() as session:
        users = session.execute(select(UserAccount)).scalars().all()
    return {u.username: Actor(u.id, u.username, u.display_name, frozenset(u.roles), u.staff_id) for u in users}


@pytest.fixture
def admin(people):
    return people["helen.whitfield"]


def entries(workspace, action: str = "export") -> list[AuditEntry]:
    with workspace.db.read() as session:
        return list(session.execute(select(AuditEntry).where(AuditEntry.action == action)
                                    .order_by(AuditEntry.id)).scalars())


def recorded(workspace, actor, path: Path, *, record: str, people: int, file_format: str,
             action: str = "export", summary_says_format: bool = True) -> AuditEntry:
    """The one audit entry naming this file, checked field by field against what was written.
    Every summary names where the file went; those written by `save_audited` say the rest too."""
    found = [e for e in entries(workspace, action) if e.changes.get("path") == str(path.absolute())]
    assert len(found) == 1, f"expected one {action} entry for {path}, found {len(found)}"
    entry = found[0]
    assert path.is_file() and not list(path.parent.glob(".*.partial"))
    assert is_private(path), f"{path} is readable by others: {path.stat().st_mode:o}"  # issue 20 item 4
    assert (entry.user_id, entry.actor_name) == (actor.user_id, actor.display_name)
    assert entry.entity_type == record
    assert entry.changes["people"] == people
    assert entry.changes["format"] == file_format
    assert entry.changes["what"]
    if summary_says_format:
        assert str(path.absolute()) in entry.summary and entry.changes["what"] in entry.summary
        assert f"({people} {'person' if people == 1 else 'people'}) as {file_format}" in entry.summary
    return entry


def csv_rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


# --------------------------------------------------------------------------- induction
def test_induction_checklist_csv(demo_workspace, people, tmp_path):
    zoe = people["zoe.okubo"]
    path = tmp_path / "zoe.csv"
    count = demo_workspace.induction.export_csv(zoe, staff_id=zoe.staff_id, target=path)
    entry = recorded(demo_workspace, zoe, path, record="induction_checklist", people=1, file_format="CSV")
    assert entry.subject_staff_id == zoe.staff_id and entry.changes["rows"] == count == len(csv_rows(path)) - 1
    assert "Zoë Ōkubo" in entry.summary


def test_induction_signature_sheet_pdf(demo_workspace, people, admin, tmp_path):
    zoe = people["zoe.okubo"]
    path = demo_workspace.signature_sheets.induction_sheet(admin, staff_id=zoe.staff_id, target=tmp_path / "sheet.pdf")
    entry = recorded(demo_workspace, admin, path, record="induction_checklist", people=1, file_format="PDF",
                     action="print")
    assert entry.subject_staff_id == zoe.staff_id and path.read_bytes().startswith(b"%PDF")


# --------------------------------------------------------------------------- supervision
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_supervision_matrix(demo_workspace, people, tmp_path, file_format):
    manager = people["samuel.okonkwo"]
    shown = [r.staff_id for r in demo_workspace.supervision.matrix(manager).rows][:3]
    path = tmp_path / f"matrix.{file_format}"
    saved = demo_workspace.exports.supervision_matrix(manager, path=path, file_format=file_format, staff_ids=shown)
    entry = recorded(demo_workspace, manager, path, record="supervision_matrix", people=len(shown),
                     file_format=file_format.upper())
    assert saved.people == len(shown) == entry.changes["rows"] and saved.path == path
    if file_format == "csv":
        assert len(csv_rows(path)) == len(shown) + 1


def test_supervision_matrix_leaves_out_people_the_actor_may_not_see(demo_workspace, people, admin, tmp_path):
    everyone = [r.staff_id for r in demo_workspace.supervision.matrix(admin).rows]
    manager = people["practice.manager"]
    mine = {r.staff_id for r in demo_workspace.supervision.matrix(manager).rows}
    assert mine < set(everyone)
    saved = demo_workspace.exports.supervision_matrix(manager, path=tmp_path / "m.csv", staff_ids=everyone)
    assert saved.people == len(mine) == len(csv_rows(tmp_path / "m.csv")) - 1


def test_supervision_calendar_ics(demo_workspace, admin, tmp_path):
    shown = [r.staff_id for r in demo_workspace.supervision.matrix(admin).rows][:4]
    path = tmp_path / "due.ics"
    saved = demo_workspace.exports.supervision_calendar(admin, path=path, staff_ids=shown)
    entry = recorded(demo_workspace, admin, path, record="supervision_calendar", people=4, file_format="ICS")
    assert entry.changes["rows"] == path.read_bytes().count(b"BEGIN:VEVENT") == saved.rows


def test_deployment_pdf_for_one_practice_and_for_all(demo_workspace, admin, tmp_path):
    report = demo_workspace.supervision.deployment(admin)
    practice = report.practices[0]
    one = tmp_path / "one.pdf"
    demo_workspace.exports.deployment_pdf(admin, path=one, practice_id=practice.practice_id)
    entry = recorded(demo_workspace, admin, one, record="deployment", people=len(practice.people), file_format="PDF")
    assert practice.name in entry.summary
    every = tmp_path / "all.pdf"
    demo_workspace.exports.deployment_pdf(admin, path=every)
    recorded(demo_workspace, admin, every, record="deployment", file_format="PDF",
             people=len({p.staff_id for pr in report.practices for p in pr.people}))


def test_deployment_csv(demo_workspace, admin, tmp_path):
    report = demo_workspace.supervision.deployment(admin)
    path = tmp_path / "deployed.csv"
    demo_workspace.exports.deployment_csv(admin, path=path)
    recorded(demo_workspace, admin, path, record="deployment", file_format="CSV",
             people=len({p.staff_id for pr in report.practices for p in pr.people}))


def test_supervisor_load_csv(demo_workspace, admin, tmp_path):
    start, end = TODAY - timedelta(days=365), TODAY
    load = demo_workspace.supervision.supervisor_load(admin, start=start, end=end)
    assert load.rows
    path = tmp_path / "load.csv"
    demo_workspace.exports.supervisor_load_csv(admin, path=path, start=start, end=end)
    entry = recorded(demo_workspace, admin, path, record="supervisor_load", people=len(load.rows), file_format="CSV")
    assert f"{start:%d/%m/%Y}" in entry.summary


# --------------------------------------------------------------------------- assurance and retention
def test_assurance_report_pdf(demo_workspace, admin, tmp_path):
    report = demo_workspace.assurance.report(admin)
    assert report.unmet
    path = tmp_path / "assurance.pdf"
    demo_workspace.exports.assurance_pdf(admin, path=path)
    recorded(demo_workspace, admin, path, record="assurance", people=len(report.unmet), file_format="PDF")


def test_assurance_report_csv(demo_workspace, admin, tmp_path):
    matrix = demo_workspace.assurance.matrix(admin)
    path = tmp_path / "assurance.csv"
    count = demo_workspace.assurance.export_report_csv(admin, path=path, matrix=matrix)
    entry = recorded(demo_workspace, admin, path, record="assurance", people=len(matrix.rows), file_format="CSV")
    # A summary line per check, then one line per person and check.
    assert entry.changes["rows"] == count == len(matrix.checks) * (1 + len(matrix.rows))


def test_retention_csv(demo_workspace, admin, tmp_path):
    report = demo_workspace.assurance.retention(admin, by="practice")
    path = tmp_path / "retention.csv"
    demo_workspace.assurance.export_retention_csv(admin, path=path, report=report)
    t = report.total
    recorded(demo_workspace, admin, path, record="retention", people=t.retained + t.lost + t.too_recent,
             file_format="CSV")


# --------------------------------------------------------------------------- programmes
def test_programmes_csv(demo_workspace, admin, tmp_path):
    rows = demo_workspace.programmes.overview(admin)
    chosen = [r.enrolment_id for r in rows[:5]]
    path = tmp_path / "programmes.csv"
    demo_workspace.programmes.export_overview(admin, path=path, enrolment_ids=chosen)
    entry = recorded(demo_workspace, admin, path, record="programme_enrolment", file_format="CSV",
                     people=len({r.staff_id for r in rows[:5]}))
    assert entry.changes["rows"] == 5


def test_completion_certificate_pdf(demo_workspace, admin, tmp_path):
    done = next(r for r in demo_workspace.programmes.overview(admin) if r.status is EnrolmentStatus.COMPLETED)
    path = tmp_path / "certificate.pdf"
    demo_workspace.exports.certificate_pdf(admin, path=path, enrolment_id=done.enrolment_id)
    entry = recorded(demo_workspace, admin, path, record="programme_certificate", people=1, file_format="PDF")
    assert entry.subject_staff_id == done.staff_id and done.display_name in entry.summary


def test_programme_file_json_holds_no_personal_data_and_is_recorded_all_the_same(demo_workspace, admin, tmp_path):
    path = tmp_path / "gpa.json"
    demo_workspace.exports.programme_file(admin, path=path, code="GPA")
    entry = recorded(demo_workspace, admin, path, record="programme_template", people=0, file_format="JSON",
                     summary_says_format=False)
    assert "(no personal data) as JSON" in entry.summary
    assert json.loads(path.read_text(encoding="utf-8"))["code"] == "GPA"


# --------------------------------------------------------------------------- reviews, the trail, imports, ZIPs
def test_appraisal_pack_pdf(demo_workspace, admin, people, tmp_path):
    zoe = people["zoe.okubo"]
    path = demo_workspace.appraisal_packs.save_pack(zoe, staff_id=zoe.staff_id, path=tmp_path / "pack.pdf")
    entry = recorded(demo_workspace, zoe, path, record="appraisal_pack", people=1, file_format="PDF", action="print",
                     summary_says_format=False)
    assert entry.subject_staff_id == zoe.staff_id and entry.summary.endswith("as pack.pdf")


def test_audit_trail_csv(demo_workspace, admin, clock, tmp_path):
    path = tmp_path / "audit.csv"
    summer = datetime(TODAY.year, 7, 1, 12, 0, 5, tzinfo=UK)
    clock.set(summer)  # an entry made in summer, when UK time and UTC differ
    demo_workspace.exports.import_problems_csv(admin, path=tmp_path / "problems.csv", problems=[])
    before = demo_workspace.audit_log.entries(admin)
    count = demo_workspace.audit_log.export_csv(admin, path=path)
    entry = recorded(demo_workspace, admin, path, record="audit", file_format="CSV",
                     people=len({e.subject_staff_id for e in before if e.subject_staff_id is not None}))
    assert entry.changes["rows"] == count == len(before)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    # UK time, as every screen shows it: the file said UTC, an hour behind them all summer.
    assert header[0] == "When (UK time)"
    assert [r[0] for r in rows] == [in_uk(e.at).strftime("%Y-%m-%d %H:%M:%S") for e in before]
    assert f"{TODAY.year}-07-01 12:00:05" in {r[0] for r in rows}


def test_import_problems_csv(demo_workspace, admin, tmp_path):
    from arrs_desk.services.staff_import import RowProblem

    problems = [RowProblem(2, "family_name", "Give the family name."), RowProblem(2, "role", "No such role: XYZ."),
                RowProblem(5, "start_date", "Give the start date as dd/mm/yyyy.")]
    path = tmp_path / "problems.csv"
    demo_workspace.exports.import_problems_csv(admin, path=path, problems=problems)
    entry = recorded(demo_workspace, admin, path, record="staff_import", people=2, file_format="CSV")
    assert entry.changes["rows"] == 3 and csv_rows(path)[1][0] == "2"


def test_full_export_and_record_bundle_zip(demo_workspace, admin, people, tmp_path):
    everything = tmp_path / "all.zip"
    result = demo_workspace.data_export.export_all(admin, path=everything, passphrase=PASSPHRASE)
    manifest = json.loads(members(everything)["manifest.json"])
    staff_rows = next(t["rows"] for t in manifest["tables"] if t["name"] == "staff")
    entry = recorded(demo_workspace, admin, everything, record="database", people=staff_rows, file_format="ZIP",
                     action="export_all", summary_says_format=False)
    assert str(everything.absolute()) in entry.summary
    assert entry.changes["sha256"] == result.sha256
    zoe = people["zoe.okubo"]
    bundle = tmp_path / "zoe.zip"
    demo_workspace.record_bundles.export_bundle(admin, staff_id=zoe.staff_id, path=bundle)
    entry = recorded(demo_workspace, admin, bundle, record="staff", people=1, file_format="ZIP",
                     action="export_bundle", summary_says_format=False)
    assert str(bundle.absolute()) in entry.summary and entry.subject_staff_id == zoe.staff_id


@pytest.mark.sqlite_only("a backup is a copy of the SQLite file; PostgreSQL is backed up by its server")
def test_backup_copy(demo_workspace, admin, tmp_path):
    from arrs_desk.store.models import Staff

    with demo_workspace.db.read() as session:
        staff = len(session.execute(select(Staff.id)).all())
    folder = tmp_path / "copies"
    folder.mkdir()
    backup = demo_workspace.backups.back_up(admin, destination=folder / "before-changes.sqlite3")
    entry = recorded(demo_workspace, admin, backup.path, record="database", people=staff, file_format="SQLite",
                     action="backup", summary_says_format=False)
    assert str(backup.path) in entry.summary


# --------------------------------------------------------------------------- all or nothing
def test_a_file_that_cannot_be_written_leaves_no_audit_entry(demo_workspace, admin, tmp_path):
    before = len(entries(demo_workspace))
    with pytest.raises(ValidationError) as caught:
        demo_workspace.exports.deployment_csv(admin, path=tmp_path / "missing" / "x.csv")
    assert "does not exist" in caught.value.errors["path"]
    folder = tmp_path / "taken.csv"
    folder.mkdir()  # a folder where the file should go: the move into place fails
    with pytest.raises(ValidationError) as caught:
        demo_workspace.exports.deployment_csv(admin, path=folder)
    assert caught.value.errors["path"].startswith(f"Could not save where ARRS staff are deployed to {folder}")
    assert len(entries(demo_workspace)) == before
    assert not list(tmp_path.glob(".*.partial"))


def test_no_file_appears_when_its_audit_entry_cannot_be_written(demo_workspace, admin, tmp_path, monkeypatch):
    from arrs_desk.services import audit

    def broken(*args, **kwargs):
        raise RuntimeError("the audit trail is unavailable")

    monkeypatch.setattr(audit, "record", broken)
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(RuntimeError):
        demo_workspace.exports.supervision_matrix(admin, path=folder / "matrix.csv")
    assert not list(folder.iterdir())


def test_no_view_writes_a_personal_data_file_itself():
    """No view writes a file itself: each export goes through a service that audits it."""
    import ast

    ui = Path(__file__).resolve().parents[2] / "src" / "arrs_desk" / "ui"
    offenders = []
    for path in sorted(ui.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            name = getattr(node.func, "attr", getattr(node.func, "id", "")) if isinstance(node, ast.Call) else ""
            if name in ("write_csv", "write_bytes", "write_text", "build_assurance_pdf", "build_deployment_pdf",
                        "build_certificate_pdf", "write_matrix_csv", "write_matrix_xlsx", "write_deployment_csv",
                        "write_load_csv", "build_signature_sheet", "build_appraisal_pack", "dump"):
                offenders.append(f"{path.name}:{node.lineno} {name}")
    assert offenders == []


def test_deployment_pdf_of_an_empty_pcn_says_no_practice_has_staff(workspace, system_actor, tmp_path):
    """With no practice chosen it said "That practice has no ARRS staff", naming a choice not made."""
    from arrs_desk.errors import ValidationError

    with pytest.raises(ValidationError) as refused:
        workspace.exports.deployment_pdf(system_actor, path=tmp_path / "all.pdf")
    assert refused.value.errors["practice_id"] == ("No practice has ARRS staff you can see, so there is nothing to "
                                                   "export.")
    assert not (tmp_path / "all.pdf").exists()
