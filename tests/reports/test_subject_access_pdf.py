"""The subject access copy prints whatever a person's records hold, at the longest each field allows."""

from __future__ import annotations

from datetime import timezone

from pypdf import PdfReader

from arrs_desk.reports.subject_access_pdf import write_subject_access_pdf


def _document(**tables) -> dict:
    return {"made_for": "Siobhán Ní Bhriain", "made_by": "Ada Admin", "made_at": "2026-11-24T12:00:00+00:00",
            "tables": tables}


def _words(path) -> list[str]:
    return " ".join(page.extract_text() for page in PdfReader(str(path)).pages).split()


def test_a_reflection_longer_than_a_page_is_printed_whole_across_pages(tmp_path):
    """An 8,000-character reflective note (the field's limit) made one table row taller than a page:
    ReportLab raised LayoutError and the person got no copy at all."""
    note = " ".join(f"zq{i:04d}" for i in range(560))[:8000]
    path = tmp_path / "copy.pdf"
    write_subject_access_pdf(path, _document(supervision_attendance=[
        {"held_on": "2026-11-01", "type_code": "clinical", "reflective_notes": note}]),
        evidence_files=[], private_included=True, zone=timezone.utc)
    words = _words(path)
    assert [w for w in words if w.startswith("zq")] == note.split()  # every word, in order, once


def test_rows_shorter_than_a_page_are_never_cut_across_pages(tmp_path):
    """Only a row taller than a page is split; splitting inside rows everywhere cut a row at the
    foot of every page and repeated the heading row mid-page."""
    notes = [" ".join(f"r{row:02d}w{i:03d}" for i in range(90)) for row in range(30)]
    path = tmp_path / "copy.pdf"
    write_subject_access_pdf(path, _document(supervision_attendance=[
        {"held_on": "2026-11-01", "type_code": "clinical", "reflective_notes": note} for note in notes]),
        evidence_files=[], private_included=True, zone=timezone.utc)
    pages = [page.extract_text().split() for page in PdfReader(str(path)).pages]
    assert len(pages) > 2
    for row in range(30):
        holding = [n for n, words in enumerate(pages) if any(w.startswith(f"r{row:02d}w") for w in words)]
        assert len(holding) == 1, f"row {row} is on pages {holding}"
