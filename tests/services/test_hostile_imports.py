"""The hostile-input corpus run through the staff import (CSV and Excel): every file is either read
right or refused by a message naming the file and row, with nothing written; encodings are
detected and the names read with them shown before anything is imported."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from arrs_desk.errors import ValidationError
from arrs_desk.services import import_table
from arrs_desk.services.staff_import import ImportOptions, ImportRejected, read_table, sheet_names
from arrs_desk.store.models import Staff
from tests.hostile import make_corpus as corpus
from tests.support.pcn import ALPHA, build_small_pcn


@pytest.fixture
def pcn(workspace, system_actor):
    return build_small_pcn(workspace, system_actor, practices=(ALPHA,))


def staff_count(workspace) -> int:
    with workspace.db.read() as session:
        return session.execute(select(func.count()).select_from(Staff)).scalar()


def import_all(workspace, actor, table):
    return workspace.staff_import.import_rows(actor, table=table, options=ImportOptions(mapping=table.guess_mapping()))


@pytest.mark.parametrize("encoding", ["cp1250", "mac_roman", "koi8_r", "shift_jis"])
def test_encodings_are_detected_and_the_names_shown(tmp_path, encoding):
    table = read_table(corpus.encoded_csv(tmp_path, encoding))
    expected = [f"{given} {family}" for family, given in corpus.NAMES_BY_ENCODING[encoding]]
    assert table.encoding_detected and table.encoding_label
    assert table.sample_names(10) == expected  # read right: no garbled names
    assert table.encoding_label in table.encoding_note and expected[0] in table.encoding_note


def test_a_latin2_file_read_as_windows_1252_says_so_and_can_be_read_again_as_latin2(tmp_path):
    path = corpus.encoded_csv(tmp_path, "iso8859_2")
    guessed = read_table(path)
    assert guessed.encoding_detected and "Check that names look right" in guessed.encoding_note
    again = read_table(path, encoding=guessed.encoding if guessed.encoding == "iso8859_2" else "iso8859_2")
    assert again.sample_names(1) == ["Jiří Dvořák"] and not again.encoding_note


def test_an_unknown_encoding_is_named(tmp_path):
    with pytest.raises(ValidationError, match="'klingon' is not an encoding"):
        read_table(corpus.encoded_csv(tmp_path, "cp1250"), encoding="klingon")


def test_utf16_unicode_text_from_excel_is_imported(workspace, system_actor, pcn, tmp_path):
    table = read_table(corpus.utf16_text(tmp_path))
    assert table.encoding_label == "UTF-16" and not table.encoding_note
    result = import_all(workspace, system_actor, table)
    assert [workspace.staff.get(system_actor, staff_id=i).display_name for i in result.staff_ids] == [
        "Siobhán Ní Bhriain", "José Öztürk"]


def test_a_cell_past_the_csv_field_limit_is_named_by_row(workspace, pcn, tmp_path):
    with pytest.raises(ValidationError, match=r"staff-long-cell.csv, row 3: a cell is longer than 131,072"):
        read_table(corpus.long_cell_csv(tmp_path))
    assert staff_count(workspace) == 0


def test_a_long_cell_under_the_csv_limit_is_named_by_row_and_column(tmp_path):
    with pytest.raises(ValidationError, match=r"row 3, column 'Surname' holds 100,000 characters"):
        read_table(corpus.long_cell_csv(tmp_path, size=100_000))


def test_infinite_and_400_digit_hours_are_problems_not_crashes(workspace, system_actor, pcn, tmp_path):
    table = read_table(corpus.numbers_csv(tmp_path))
    with pytest.raises(ImportRejected) as caught:
        import_all(workspace, system_actor, table)
    assert {(p.row_number, p.field) for p in caught.value.problems} == {(2, "hours_per_week"), (3, "hours_per_week")}
    assert staff_count(workspace) == 0


def test_an_excel_file_over_the_row_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(import_table, "MAX_ROWS", 40)
    path = corpus.big_xlsx(tmp_path / "staff.xlsx", 41)
    assert sheet_names(path) == ["Staff"]
    opened = []
    monkeypatch.setattr("openpyxl.load_workbook", lambda *a, **k: opened.append(a))
    with pytest.raises(ValidationError, match="staff.xlsx has 41 rows; ARRS Desk imports at most 40"):
        read_table(path)
    assert opened == []  # refused from the row count alone: openpyxl never parsed the sheet


def test_an_excel_file_at_the_row_limit_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(import_table, "MAX_ROWS", 40)
    table = read_table(corpus.big_xlsx(tmp_path / "staff.xlsx", 40))
    assert len(table.rows) == 40 and table.row_numbers[-1] == 41 and table.encoding == ""


def test_an_excel_file_that_is_not_a_workbook_is_named(tmp_path):
    path = tmp_path / "staff.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ValidationError, match="staff.xlsx cannot be read as an Excel workbook"):
        read_table(path)
