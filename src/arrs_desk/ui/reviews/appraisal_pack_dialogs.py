"""Making appraisal packs: one person's (save as PDF, or print), or a batch of PDFs into a folder.

Building a pack takes a fraction of a second, a batch of a hundred half a minute, so both run in
the background (`Operation.run_in_background`): only the GUI thread touches widgets. A batch can
be cancelled between packs; the packs already made are kept.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
    QListWidget, QMessageBox, QPushButton, QVBoxLayout, QWidget,
)

from arrs_desk.ui.common.text import plural, plural_word
from arrs_desk.ui.common.open_file import open_file, open_folder
from arrs_desk.ui.common.enabled import set_enabled_with_reason
from arrs_desk.ui.common.date_edit import DateEdit
from arrs_desk.ui.common.error_display import problem, show_error
from arrs_desk.ui.common.operation import Operation
from arrs_desk.ui.common.dates import pydate, qdate


def _date_edit(value: date, accessible: str) -> DateEdit:
    edit = DateEdit(qdate(value))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd/MM/yyyy")
    edit.setAccessibleName(accessible)
    return edit


def documents_folder() -> Path:
    folder = Path.home() / "Documents"
    return folder if folder.is_dir() else Path.home()


class _Period(QWidget):
    """From and to dates, defaulting to the twelve months up to today."""

    def __init__(self, start: date, end: date, parent=None):
        super().__init__(parent)
        self.start = _date_edit(start, "Pack period from")
        self.end = _date_edit(end, "Pack period to")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.start)
        row.addWidget(QLabel("to"))
        row.addWidget(self.end)
        row.addStretch(1)

    def value(self) -> tuple[date, date]:
        return pydate(self.start.date()), pydate(self.end.date())


class PackDialog(QDialog):
    """One person's appraisal pack: save it as a PDF, or print it."""

    def __init__(self, workspace, actor, staff_id: int, display_name: str, parent=None):
        super().__init__(parent)
        self._workspace, self._actor, self._staff_id, self._name = workspace, actor, staff_id, display_name
        self.saved_path: Path | None = None
        self.printed_pages = 0
        self._saving: Operation | None = None
        self.setWindowTitle(f"Appraisal pack: {display_name}")
        intro = QLabel(f"One document with {display_name}'s year for their appraisal: profile, induction, supervision, "
                       "programmes, reviews, objectives, development plan and impact examples, with a page for "
                       "signatures. It is marked confidential on every page.")
        intro.setWordWrap(True)
        start, end = workspace.appraisal_packs.default_period()
        self.period = _Period(start, end)
        self.open_after = QCheckBox("Open the PDF once it is saved")
        self.open_after.setAccessibleName("Open the PDF once it is saved")
        self.open_after.setChecked(True)
        form = QFormLayout()
        form.addRow("Period covered", self.period)
        form.addRow("", self.open_after)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("What happened")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.save_button = QPushButton("Save as PDF…")
        self.save_button.setAccessibleName("Save the appraisal pack as a PDF")
        self.print_button = QPushButton("Print…")
        self.print_button.setAccessibleName("Print the appraisal pack")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.save_button.clicked.connect(self.save_pdf)
        self.print_button.clicked.connect(self.print_pack)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(560, 240)

    def save_pdf(self) -> None:
        from arrs_desk.services.appraisal_packs import file_name

        start, end = self.period.value()
        suggested = documents_folder() / file_name(self._name, self._staff_id, end)
        path, _ = QFileDialog.getSaveFileName(self, "Save the appraisal pack", str(suggested), "PDF documents (*.pdf)")
        if not path:
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        actor, staff_id = self._actor, self._staff_id
        set_enabled_with_reason(self.save_button, False, "The pack is being made; wait for it to finish.")

        def finish() -> None:
            self._saving = None
            set_enabled_with_reason(self.save_button, True, "")

        def done(saved: Path) -> None:
            finish()
            self.saved_path = saved
            self.status.setText(f"Saved to {saved}")
            if self.open_after.isChecked():
                open_file(self, saved, what="The appraisal pack")

        def failed(exc: Exception) -> None:
            finish()
            show_error(self, exc)

        self._saving = Operation(self, lambda ws: ws.appraisal_packs.save_pack(
            actor, staff_id=staff_id, path=path, start=start, end=end)) \
            .progress_dialog("Making the appraisal pack…").success(done).failure(failed).run_in_background()

    def make_printer(self):
        from arrs_desk.ui.reviews.pack_printing import a4_printer

        return a4_printer()

    def print_pack(self) -> None:
        import shiboken6
        from PySide6.QtPrintSupport import QPrintDialog

        from arrs_desk.ui.reviews.pack_printing import print_pack

        start, end = self.period.value()
        printer = self.make_printer()
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(f"Print the appraisal pack of {self._name}")
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        # The print dialog points at `printer`, which is freed when this method returns: delete
        # the dialog now instead of leaving it among this window's children with that pointer.
        shiboken6.delete(dialog)
        if not accepted:
            return
        actor, staff_id = self._actor, self._staff_id
        content = Operation(self, lambda ws: ws.appraisal_packs.pack_data(actor, staff_id=staff_id, start=start, end=end))
        if not content.run():
            return
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            pages = print_pack(content.result, printer)
        except OSError as exc:
            QGuiApplication.restoreOverrideCursor()
            show_error(self, problem("Printing failed", f"The pack could not be printed: {exc}"))
            return
        QGuiApplication.restoreOverrideCursor()
        where = printer.printerName() or printer.outputFileName()
        Operation(self, lambda ws: ws.appraisal_packs.record_printed(actor, staff_id=staff_id, start=start, end=end,
                                                                      printer=where)).run()
        self.printed_pages = pages
        self.status.setText(f"Sent {plural(pages, 'page')} to {where or 'the printer'}.")

    def wait(self) -> None:
        """Let a save in progress finish: a thread must never be destroyed while it runs."""
        if self._saving is not None:
            self._saving.wait()

    def done(self, result: int) -> None:
        self.wait()
        super().done(result)

    def closeEvent(self, event) -> None:  # noqa: N802
        self.wait()
        super().closeEvent(event)


class BatchPackDialog(QDialog):
    """Appraisal packs for several people: one PDF each, into a folder chosen here."""

    def __init__(self, workspace, actor, people: list[tuple[int, str]], *, skipped: int = 0, parent=None):
        super().__init__(parent)
        self._workspace, self._actor, self._people = workspace, actor, people
        self.result = None
        self.worker: Operation | None = None
        """The batch being made, while it runs (its `cancel` is the Cancel button's)."""
        self.progress = None
        count = len(people)
        self.setWindowTitle("Appraisal packs")
        intro = QLabel(f"Makes one PDF appraisal pack for each of the {plural(count, 'person')} "
                       "below, named after them, in the folder you choose."
                       + (f" {plural(skipped, 'other')} selected {plural_word(skipped, 'is')} "
                          "left out: packs are for people you appraise or manage." if skipped else ""))
        intro.setWordWrap(True)
        self.names = QListWidget()
        self.names.setAccessibleName("People to make packs for")
        self.names.addItems([name for _, name in people])
        start, end = workspace.appraisal_packs.default_period()
        self.period = _Period(start, end)
        self.folder = QLineEdit(str(documents_folder() / f"appraisal-packs-{end:%Y-%m-%d}"))
        self.folder.setAccessibleName("Folder for the packs")
        browse = QPushButton("Browse…")
        browse.setAccessibleName("Choose the folder for the packs")
        browse.clicked.connect(self.choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        self.open_folder = QCheckBox("Open the folder when the packs are made")
        self.open_folder.setAccessibleName("Open the folder when the packs are made")
        form = QFormLayout()
        form.addRow("Period covered", self.period)
        form.addRow("Save in", folder_row)
        form.addRow("", self.open_folder)
        self.make_button = QPushButton(f"Make {plural(count, 'pack')}")
        self.make_button.setAccessibleName("Make the appraisal packs")
        self.make_button.setDefault(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.make_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.make_button.clicked.connect(self.start)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.names, 1)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(620, 460)

    def wait(self) -> None:
        """Stop a batch in progress at the next pack and let it finish: a thread must never be
        destroyed while it runs."""
        if self.worker is not None:
            self.worker.cancel()
            self.worker.wait()

    def done(self, result: int) -> None:
        self.wait()
        super().done(result)

    def closeEvent(self, event) -> None:  # noqa: N802
        self.wait()
        super().closeEvent(event)

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Choose the folder for the appraisal packs", self.folder.text())
        if folder:
            self.folder.setText(folder)

    def start(self) -> None:
        folder = self.folder.text().strip()
        if not folder:
            QMessageBox.information(self, "Appraisal packs", "Choose the folder to save the packs in.")
            return
        start, end = self.period.value()
        actor, ids = self._actor, [staff_id for staff_id, _ in self._people]
        set_enabled_with_reason(self.make_button, False, "The packs are being made; wait for them to finish, or cancel.")
        self.worker = Operation(self, lambda ws, progress: ws.appraisal_packs.save_packs(
            actor, staff_ids=ids, folder=folder, start=start, end=end, progress=progress.update,
            cancelled=progress.cancelled), with_progress=True) \
            .progress_dialog("Making appraisal packs…", title="Appraisal packs", total=len(ids), cancellable=True,
                             show_after_ms=0) \
            .on_progress(self._progress).success(self._done).failure(self._failed).run_in_background()
        self.progress = self.worker.progress

    def _progress(self, done: int, total: int, name: str) -> None:
        if self.progress is not None and name:
            self.progress.setLabelText(f"Making pack {done + 1} of {total}: {name}")

    def _finish(self) -> None:
        self.worker = self.progress = None
        set_enabled_with_reason(self.make_button, True, "")

    def _failed(self, exc: Exception) -> None:
        self._finish()
        show_error(self, exc)

    def _done(self, batch) -> None:
        self._finish()
        self.result = batch
        folder = self.folder.text().strip()
        made = len(batch.saved)
        lines = [f"{plural(made, 'pack')} {plural_word(made, 'was')} saved in {folder}."]
        if batch.cancelled:
            lines.append("You cancelled before the rest were made; the packs already made are complete.")
        if batch.failed:
            lines.append("These could not be made:")
            lines += [f"• {name}: {reason}" for name, reason in batch.failed]
        show = QMessageBox.warning if batch.failed else QMessageBox.information
        show(self, "Appraisal packs", "\n".join(lines))
        if made and self.open_folder.isChecked():
            open_folder(self, folder)
