"""An induction completed before records began travels in a full export with its scanned record,
and comes back from the import as it was."""

from __future__ import annotations

from datetime import timedelta

from arrs_desk.services.data_export import DataExportService
from arrs_desk.services.induction_prior import PriorInductionInput
from arrs_desk.services.workspace import Workspace
from tests.supervision_support import make_team
from tests.support.exports import PASSPHRASE

PDF = b"%PDF-1.4\n% induction record signed 2025\n%%EOF\n"


def test_the_scanned_record_is_exported_and_imported(workspace, system_actor, backend, request, tmp_path):
    team = make_team(workspace, system_actor)
    scan = tmp_path / "induction.pdf"
    scan.write_bytes(PDF)
    start = workspace.staff.get(team.helen, staff_id=team.zoe_id).data.start_date
    view = workspace.induction_prior.record(team.helen, staff_id=team.zoe_id, evidence_file=scan, data=PriorInductionInput(
        start + timedelta(days=30), "Bogdan Popescu", "Practice manager"))
    path = tmp_path / "export.zip"
    result = workspace.data_export.export_all(system_actor, path=path, passphrase=PASSPHRASE)
    assert result.evidence_files == 1

    if backend == "postgres":
        databases = request.getfixturevalue("postgres_databases")
        url = databases.fresh("migrated")
    else:
        url = tmp_path / "target.sqlite3"
    target = Workspace.open(url)
    try:
        root = tmp_path / "target-evidence"
        loaded = DataExportService(target.db, evidence_root=lambda: root).import_all(path=path, run_by="tester", passphrase=PASSPHRASE)
        assert loaded.evidence_files == 1
        stored = list(root.rglob("*.pdf"))
        assert [p.read_bytes() for p in stored] == [PDF]
        copied = target.induction_prior.get(system_actor, staff_id=team.zoe_id)
        assert copied.text == view.text and copied.evidence_filename == "induction.pdf"
    finally:
        target.close()
        if backend == "postgres":
            databases.drop(url)
