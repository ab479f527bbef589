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


def _review(self_assessment: str, reflections: str = "") -> dict:
    return {"id": 1, "kind": "annual", "meeting_date": "2026-11-01", "appraiser_name": "Dr Yusuf",
            "self_assessment": self_assessment, "reflections": reflections, "appraiser_summary": "", "outcome": ""}


def test_long_notes_are_printed_across_the_page_not_in_a_narrow_column(tmp_path):
    """Seven columns shared the page: an 8,000-character self-assessment was a strip a few words
    wide over five pages, cut at each page's foot with the heading row repeated. Long text is now
    printed under its row across the full width, labelled, every word once and in order."""
    first = " ".join(f"zs{i:04d}" for i in range(1200))[:8000]
    second = " ".join(f"zr{i:04d}" for i in range(1200))[:8000]
    path = tmp_path / "copy.pdf"
    write_subject_access_pdf(path, _document(review=[_review(first, second)]), evidence_files=[],
                             private_included=True, zone=timezone.utc)
    words = _words(path)
    assert [w for w in words if w.startswith("zs")] == first.split()
    assert [w for w in words if w.startswith("zr")] == second.split()
    assert "self-assessment:" in words and "reflections:" in words  # each text is labelled where it starts
    assert len(PdfReader(str(path)).pages) <= 5  # two full-width pages of text, not nine narrow ones


def test_a_row_and_its_long_note_stay_on_one_page(tmp_path):
    """A note printed under its row must not be parted from it by a page break."""
    rows = [_review(" ".join(f"n{row:02d}w{i:03d}" for i in range(60))) for row in range(40)]
    for row, review in enumerate(rows):
        review["appraiser_name"] = f"Appraiser{row:02d}"
    path = tmp_path / "copy.pdf"
    write_subject_access_pdf(path, _document(review=rows), evidence_files=[], private_included=True,
                             zone=timezone.utc)
    pages = [page.extract_text().split() for page in PdfReader(str(path)).pages]
    assert len(pages) > 2
    for row in range(40):
        holding = {n for n, words in enumerate(pages)
                   if f"Appraiser{row:02d}" in words or any(w.startswith(f"n{row:02d}w") for w in words)}
        assert len(holding) == 1, f"row {row} is on pages {holding}"
