"""Saving a subject access copy (a PDF and a ZIP of everything held about one person) into a
folder the user chooses, in the background, then saying where the two files went."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from arrs_desk.ui.common.operation import Operation


def save_copy(parent: QWidget, actor, staff_id: int, *, whose: str = "you") -> bool:
    """Ask for a folder, then have the service write both files; False when the user cancelled."""
    folder = QFileDialog.getExistingDirectory(parent, f"Save a copy of everything held about {whose}")
    if not folder:
        return False
    Operation(parent, lambda ws: ws.subject_access.export(actor, staff_id=staff_id, folder=folder)) \
        .progress_dialog("Gathering everything held…").success(lambda result: _saved(parent, result)) \
        .run_in_background()
    return True


def _saved(parent: QWidget, result) -> None:
    notes = ("Private notes are included." if result.private_notes_included else
             "Private notes are listed as held but not printed: the person can make their own copy with them.")
    QMessageBox.information(parent, "Copy saved", (
        f"Saved {result.pdf.name} (to read or print) and {result.archive.name} (the same records for a computer, "
        f"with {result.evidence_files} evidence file{'s' if result.evidence_files != 1 else ''}) in {result.pdf.parent}."
        f"\n\n{notes} Both files hold personal data: keep them safe."))
