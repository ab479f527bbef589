"""The ZIP file a full export and a record bundle share (`services.export_archive`): rows are
decoded against their columns with messages that say where the problem is, and the file is
written whole or not at all, with entries that do not vary from one export to the next."""

from __future__ import annotations

import os
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest

from arrs_desk.domain import export_format as fmt
from arrs_desk.errors import ValidationError
from arrs_desk.services import data_export, export_archive, record_bundle
from arrs_desk.services.export_archive import decode_rows, write_archive
from arrs_desk.store.models import Organisation
from tests.conftest import NOW

ORGANISATION = Organisation.__table__
SHA = "ab" * 32


def organisation_row(**changes) -> dict:
    row = {"id": 3, "kind": "practice", "name": "Alpha Surgery", "ods_code": "A11111", "active": True, "version": 2,
           "created_at": fmt.encode(NOW - timedelta(days=30)), "updated_at": fmt.encode(NOW)}
    row.update(changes)
    return row


def test_rows_come_back_as_the_values_they_were():
    (row,) = decode_rows(ORGANISATION, [organisation_row()], "table organisation in export.zip")
    assert row["created_at"] == NOW - timedelta(days=30) and row["updated_at"] == NOW
    assert (row["id"], row["name"], row["active"], row["version"]) == (3, "Alpha Surgery", True, 2)


@pytest.mark.parametrize(("row", "message"), [
    ({k: v for k, v in organisation_row().items() if k != "ods_code"},
     "Row 2 of organisation in bundle.zip does not have this table's columns."),
    (organisation_row(extra="x"), "Row 2 of organisation in bundle.zip does not have this table's columns."),
    (["not", "a", "row"], "Row 2 of organisation in bundle.zip does not have this table's columns."),
    (organisation_row(ods_code="A" * 11), "Row 2 of organisation in bundle.zip, column ods_code: "),
    (organisation_row(active="yes"), "Row 2 of organisation in bundle.zip, column active: "),
])
def test_a_row_that_does_not_fit_is_refused_saying_which_row_and_column(row, message):
    with pytest.raises(ValidationError) as refused:
        decode_rows(ORGANISATION, [organisation_row(), row], "organisation in bundle.zip")
    assert list(refused.value.errors) == ["file"]
    assert refused.value.errors["file"].startswith(message)


def test_both_kinds_of_export_decode_with_the_one_decoder():
    assert record_bundle.decode_rows is data_export.decode_rows is export_archive.decode_rows


def evidence_source(tmp_path: Path, content: bytes) -> Path:
    source = tmp_path / "scan.pdf"
    source.write_bytes(content)
    os.utime(source, (1_700_000_000, 1_700_000_000))  # its own time must not reach the archive
    return source


def test_the_archive_holds_manifest_data_and_evidence_in_entries_that_never_vary(tmp_path):
    source = evidence_source(tmp_path, b"%PDF-1.4 scan")
    steps = []
    path = tmp_path / "bundle.zip"
    sha, size = write_archive(path, {"format": "x"}, b'{"tables": {}}', [(SHA, source)],
                              lambda done, total: steps.append((done, total)))
    assert (sha, size) == export_archive.file_sha256(path)
    assert steps == [(0, 3), (2, 3), (3, 3)]
    with zipfile.ZipFile(path) as archive:
        entries = archive.infolist()
        assert [e.filename for e in entries] == [fmt.MANIFEST_NAME, fmt.DATA_NAME, fmt.EVIDENCE_PREFIX + SHA]
        assert archive.read(fmt.EVIDENCE_PREFIX + SHA) == b"%PDF-1.4 scan"
        assert archive.read(fmt.MANIFEST_NAME) == fmt.canonical_json({"format": "x"})
    assert {(e.date_time, e.external_attr >> 16, e.compress_type) for e in entries} == {
        ((1980, 1, 1, 0, 0, 0), 0o600, zipfile.ZIP_DEFLATED)}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bundle.zip", "scan.pdf"]


def test_a_file_that_cannot_be_written_whole_leaves_the_old_one_as_it_was(tmp_path):
    path = tmp_path / "everything.zip"
    path.write_bytes(b"last week's export")
    with pytest.raises(ValidationError, match="Cannot write .*everything.zip"):
        write_archive(path, {"format": "x"}, b"{}", [(SHA, tmp_path / "gone.pdf")])
    assert path.read_bytes() == b"last week's export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["everything.zip"]
