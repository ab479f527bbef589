"""File > Export all data…: everything to one ZIP file, written in a worker with a progress dialog.

The export can be cancelled: the worker stops at its next progress report and the half-written
file is removed, so only complete exports are ever left on disk. Loading a full export into an
empty database is done from the command line (`arrs-desk import`), see docs/export-format.md.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog

from arrs_desk.errors import Cancelled
from arrs_desk.ui.tasks import BackgroundCall

EXPORT_FILES = "ARRS Desk exports (*.zip);;All files (*)"


def export_all_data(window) -> BackgroundCall | None:
    """Ask where to save, then export in a worker; returns the running task (tests wait on it)."""
    workspace, actor = window.workspace, window.actor
    if workspace is None:
        return None
    suggested = Path.home() / f"arrs-desk-export-{date.today().isoformat()}.zip"
    path, _ = QFileDialog.getSaveFileName(window, "Export all data to…", str(suggested), EXPORT_FILES)
    if not path:
        return None
    if not path.lower().endswith(".zip"):
        path += ".zip"
    progress = QProgressDialog("Exporting all data and evidence files…", "Cancel", 0, 0, window)
    progress.setWindowTitle("Export all data")
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(300)
    progress.setAccessibleName("Exporting all data")
    task = BackgroundCall(lambda report: workspace.data_export.export_all(actor, path, progress=report), window,
                          with_progress=True)

    def moved(done: int, total: int) -> None:
        progress.setMaximum(total)
        progress.setValue(done)

    def done(result) -> None:
        progress.close()
        window.statusBar().showMessage(f"Exported all data to {result.path}", 10000)
        QMessageBox.information(
            window, "Export made",
            f"Everything was exported to:\n{result.path}\n\n{result.rows:,} rows, {result.evidence_files} evidence "
            f"file(s), {result.size / (1024 * 1024):.1f} MB.\nSHA-256: {result.sha256}\n\n"
            "The file holds personal data and password hashes: keep it as securely as the database itself.")

    def failed(exc) -> None:
        progress.close()
        if isinstance(exc, Cancelled):
            window.statusBar().showMessage("Export cancelled; no file was saved.", 8000)
            return
        QMessageBox.warning(window, getattr(exc, "title", "Export all data"), getattr(exc, "message", str(exc)))

    task.progress.connect(moved)
    task.succeeded.connect(done)
    task.failed.connect(failed)
    progress.canceled.connect(task.cancel)
    task.finished.connect(task.deleteLater)
    window._export_task = task  # kept alive until it finishes
    task.start()
    return task
