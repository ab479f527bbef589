"""The Revalidation page's "Print regulator pack…": ask the service for the pack's file name (which
also says plainly why there is none, or why the reader may not print it), offer the save dialog,
and save the PDF in the background through the operation runner, as the other PDF exports do."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from arrs_desk.ui.common.error_display import show_status
from arrs_desk.ui.common.operation import Operation
from arrs_desk.ui.reviews.appraisal_pack_dialogs import documents_folder


def ask_save_path(parent: QWidget, suggested: Path) -> str:
    path, _ = QFileDialog.getSaveFileName(parent, "Save the regulator pack", str(suggested), "PDF documents (*.pdf)")
    if path and not path.lower().endswith(".pdf"):
        path += ".pdf"
    return path


def print_regulator_pack(page, staff_id: int) -> None:
    """Everything after the button: the page needs only `actor` and a parent for the dialogs."""
    actor = page.actor

    def save(name: str) -> None:
        path = ask_save_path(page, documents_folder() / name)
        if not path:
            return
        Operation(page, lambda ws: ws.regulator_packs.save_pack(actor, staff_id=staff_id, path=path)) \
            .progress_dialog("Making the regulator pack…") \
            .success(lambda saved: show_status(page, f"Saved the regulator pack to {saved.path}", 8000)) \
            .run_in_background()

    Operation(page, lambda ws: ws.regulator_packs.suggested_name(actor, staff_id=staff_id)).success(save).run()
