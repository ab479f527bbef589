"""File > Import staff…: choose a file, say which column is which, check every row, then import.

The preview checks each row exactly as the import will and says what it would do (a new person,
an update with each change, or nothing), so the Import button is offered only when every row is
right and something would change; the import itself writes all rows or none. Checking and
importing run in a worker with progress and a Cancel button; cancelling writes nothing. The
check page's table is a model over precomputed cells, so thousands of rows cost the window
almost nothing once the worker has checked them.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
    QLineEdit, QProgressBar, QPushButton, QTableView, QTableWidget, QTableWidgetItem, QVBoxLayout,
    QWizard, QWizardPage,
)

from arrs_desk.errors import ArrsDeskError, Cancelled
from arrs_desk.ui.common.changes import STAFF
from arrs_desk.ui.common.error_display import report_unexpected, show_status
from arrs_desk.ui.common.operation import Operation
from arrs_desk.ui.imports.import_preview_model import PROBLEM, PreviewModel, explanation
from arrs_desk.ui.common.table_model import ROW_ROLE

NOT_IN_FILE = "(not in the file)"
FROM_THE_DATES = "(from the dates: pre-start, in induction or active)"


class _Worker:
    """One background operation for a page, with its progress bar and Cancel button."""

    def __init__(self, page: QWizardPage):
        self.page = page
        self.operation: Operation | None = None
        self.bar = QProgressBar()
        self.bar.setAccessibleName("Progress")
        self.bar.setFormat("%v of %m rows")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop; nothing is saved")
        self.cancel_button.clicked.connect(self.cancel)
        self.row = QHBoxLayout()
        self.row.addWidget(self.bar, 1)
        self.row.addWidget(self.cancel_button)

    def start(self, operation: Operation, on_success, on_failure) -> None:
        """Run `operation` (made `with_progress`) in the background, showing its progress here."""
        self.bar.setRange(0, 0)
        self.bar.show()
        self.cancel_button.show()
        self.cancel_button.setEnabled(True)

        def succeeded(result) -> None:
            self._finished()
            on_success(result)

        def failed(exc) -> None:
            self._finished()
            on_failure(exc)

        self.operation = operation.on_progress(self._progress).success(succeeded).failure(failed).run_in_background()

    def _progress(self, done: int, total: int, _text: str) -> None:
        self.bar.setRange(0, total)
        self.bar.setValue(done)

    def _finished(self) -> None:
        self.operation = None
        self.bar.hide()
        self.cancel_button.hide()

    def cancel(self) -> None:
        if self.operation is not None:
            self.operation.cancel()
            self.cancel_button.setEnabled(False)

    @property
    def running(self) -> bool:
        return self.operation is not None and self.operation.running

    def stop_and_wait(self) -> None:
        if self.operation is not None:
            self.operation.cancel()
            self.operation.wait()


def _problem_text(exc: Exception, cancelled: str) -> str:
    """What a failed check or import says on its page: the service's words; a bug goes to the crash log."""
    if isinstance(exc, Cancelled):
        return cancelled
    if isinstance(exc, ArrsDeskError):
        return exc.message
    report_unexpected(exc)
    return "ARRS Desk met an unexpected problem, so nothing was saved. The details are in its log file."


class FilePage(QWizardPage):
    def __init__(self, wizard: ImportWizard):
        super().__init__()
        self.setTitle("Choose the file")
        self.setSubTitle("A CSV or Excel (.xlsx) file with a heading row and one person per row, such as an export "
                         "from your HR or payroll system.")
        self._wizard = wizard
        self.path = QLineEdit()
        self.path.setAccessibleName("File to import")
        self.path.setPlaceholderText("Choose a .csv or .xlsx file")
        self.path.textChanged.connect(self._path_changed)
        browse = QPushButton("&Choose file…")
        browse.clicked.connect(self.browse)
        self.sheet = QComboBox()
        self.sheet.setAccessibleName("Worksheet")
        self.sheet_label = QLabel("&Worksheet:")
        self.sheet_label.setBuddy(self.sheet)
        tips = QLabel("Dates may be written 01/09/2026 or 2026-09-01. Each person needs a first name, family name, "
                      "role, employer, base practice and start date; employer and practice can be chosen for "
                      "everyone on the next step if the file does not have them. Nothing is saved until the last step.")
        tips.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        sheet_row = QHBoxLayout()
        sheet_row.addWidget(self.sheet_label)
        sheet_row.addWidget(self.sheet, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addLayout(sheet_row)
        layout.addWidget(tips)
        layout.addStretch(1)
        self._set_sheets([])

    def browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import staff from…", "",
                                              "Spreadsheets (*.csv *.xlsx);;CSV files (*.csv);;Excel workbooks (*.xlsx)")
        if path:
            self.path.setText(path)

    def _path_changed(self, text: str) -> None:
        sheets = []
        if text.lower().endswith(".xlsx") and Path(text).is_file():
            from arrs_desk.services.staff_import import sheet_names

            found = Operation(self, lambda _ws: sheet_names(text))
            sheets = found.result if found.run() else []
        self._set_sheets(sheets)
        self.completeChanged.emit()

    def _set_sheets(self, names: list[str]) -> None:
        self.sheet.clear()
        self.sheet.addItems(names)
        self.sheet.setVisible(len(names) > 1)
        self.sheet_label.setVisible(len(names) > 1)

    def isComplete(self) -> bool:  # noqa: N802
        return bool(self.path.text().strip())

    def validatePage(self) -> bool:  # noqa: N802
        from arrs_desk.services.staff_import import read_table

        sheet, path = self.sheet.currentText() or None, self.path.text().strip()
        table = Operation(self, lambda _ws: read_table(path, sheet))
        if not table.run():
            return False
        self._wizard.table = table.result
        self._wizard.source = (path, sheet)  # read again in another encoding from the next page
        return True


class MappingPage(QWizardPage):
    def __init__(self, wizard: ImportWizard):
        super().__init__()
        self.setTitle("Say which column is which")
        self.setSubTitle("ARRS Desk has guessed from the headings; change any guess that is wrong.")
        self._wizard = wizard
        from arrs_desk.domain.staff_import import IMPORT_FIELDS

        self.fields = IMPORT_FIELDS
        self.grid = QTableWidget(len(IMPORT_FIELDS), 3)
        self.grid.setAccessibleName("Columns for each field")
        self.grid.setHorizontalHeaderLabels(["ARRS Desk field", "Column in your file", "First values in that column"])
        self.grid.verticalHeader().hide()
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.grid.setTabKeyNavigation(False)
        self.combos: dict[str, QComboBox] = {}
        for row, field in enumerate(IMPORT_FIELDS):
            item = QTableWidgetItem(field.label + (" (required)" if field.required else ""))
            item.setToolTip(field.hint)
            self.grid.setItem(row, 0, item)
            combo = QComboBox()
            combo.setAccessibleName(f"Column for {field.label}")
            combo.setToolTip(field.hint)
            combo.currentIndexChanged.connect(lambda _i, r=row: self._show_sample(r))
            self.combos[field.key] = combo
            self.grid.setCellWidget(row, 1, combo)
            self.grid.setItem(row, 2, QTableWidgetItem(""))
        header = self.grid.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.grid.setColumnWidth(1, 240)

        defaults = QGroupBox("For rows that do not say")
        form = QFormLayout(defaults)
        self.employer = QComboBox()
        self.practice = QComboBox()
        self.status = QComboBox()
        self.model = QComboBox()
        for combo, label in ((self.employer, "&Employer:"), (self.practice, "&Base practice:"),
                             (self.status, "&Status:"), (self.model, "Employment &model:")):
            name = QLabel(label)
            name.setBuddy(combo)
            combo.setAccessibleName(label.replace("&", "").rstrip(":") + " for rows that do not say")
            form.addRow(name, combo)
        # A CSV that does not say its encoding: what was assumed, names read with it, and a way to change it.
        self.encoding_note = QLabel()
        self.encoding_note.setWordWrap(True)
        self.encoding = QComboBox()
        self.encoding.setAccessibleName("Encoding of the file")
        from arrs_desk.services.import_text import COMMON_ENCODINGS, label

        for codec in COMMON_ENCODINGS:
            self.encoding.addItem(label(codec), codec)
        self.encoding.activated.connect(self._reread)
        encoding_row = QHBoxLayout()
        self.encoding_label = QLabel("Read the file &as:")
        self.encoding_label.setBuddy(self.encoding)
        encoding_row.addWidget(self.encoding_label)
        encoding_row.addWidget(self.encoding, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.encoding_note)
        layout.addLayout(encoding_row)
        layout.addWidget(self.grid, 1)
        layout.addWidget(defaults)

    def _reread(self, _index: int) -> None:
        from arrs_desk.services.staff_import import read_table

        (path, sheet), codec = self._wizard.source, self.encoding.currentData()
        again = Operation(self, lambda _ws: read_table(path, sheet, codec))
        if again.run():
            self._wizard.table = again.result
            self.initializePage()

    def _show_encoding(self, table) -> None:  # noqa: ANN001
        shown = bool(table.encoding) and (table.encoding_detected or not table.encoding_label.startswith("UTF"))
        for widget in (self.encoding_note, self.encoding, self.encoding_label):
            widget.setVisible(shown)
        if not shown:
            return
        self.encoding_note.setText(table.encoding_note or f"Read as {table.encoding_label}: e.g. "
                                   + ", ".join(table.sample_names(4)))
        found = self.encoding.findData(table.encoding)
        if found < 0:
            self.encoding.addItem(table.encoding_label, table.encoding)
            found = self.encoding.count() - 1
        self.encoding.setCurrentIndex(found)

    def initializePage(self) -> None:  # noqa: N802
        table = self._wizard.table
        self._show_encoding(table)
        guess = table.guess_mapping()
        for field in self.fields:
            combo = self.combos[field.key]
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(NOT_IN_FILE, None)
            for index, heading in enumerate(table.headings):
                combo.addItem(heading, index)
            combo.setCurrentIndex(combo.findData(guess[field.key]) if field.key in guess else 0)
            combo.blockSignals(False)
        for row in range(len(self.fields)):
            self._show_sample(row)
        choices = self._wizard.choices
        if self.employer.count() == 0:
            self.employer.addItem("(none: the file must say)", None)
            for choice in choices.employers:
                self.employer.addItem(f"{choice.label}  ({choice.hint})", choice.value)
            self.practice.addItem("(none: the file must say)", None)
            for choice in choices.practices:
                self.practice.addItem(f"{choice.label}  ({choice.hint})", choice.value)
            self.status.addItem(FROM_THE_DATES, None)
            for choice in choices.statuses:
                self.status.addItem(choice.label, choice.value)
            self.status.setCurrentIndex(0)
            self.status.setToolTip("Left as it is, each person's status follows their dates: pre-start before "
                                   "their start date, in induction for their first 90 days, then active. A status "
                                   "chosen here, or given in the file, is used only where the dates allow it.")
            for choice in choices.employment_models:
                self.model.addItem(choice.label, choice.value)
            self.model.setCurrentIndex(self.model.findData("practice"))

    def _show_sample(self, row: int) -> None:
        table = self._wizard.table
        column = self.combos[self.fields[row].key].currentData()
        text = ", ".join(table.sample(column)) if table is not None and column is not None else ""
        self.grid.item(row, 2).setText(text)

    def options(self):
        from arrs_desk.services.staff_import import ImportOptions

        mapping = {key: combo.currentData() for key, combo in self.combos.items() if combo.currentData() is not None}
        practice = self.practice.currentData()
        return ImportOptions(
            mapping=mapping, default_employer_id=self.employer.currentData(),
            default_practice_ids=[practice] if practice is not None else [],
            default_status=self.status.currentData(), default_employment_model=self.model.currentData(),
        )

    def validatePage(self) -> bool:  # noqa: N802
        from arrs_desk.services.staff_import import StaffImportService

        options = self.options()
        if not Operation(self, lambda _ws: StaffImportService.check_mapping(options)).run():
            return False
        self._wizard.options = options
        return True


class PreviewPage(QWizardPage):
    def __init__(self, wizard: ImportWizard):
        super().__init__()
        self.setTitle("Check every row")
        self.setSubTitle("Each row is checked as the import will check it. Nothing has been saved yet.")
        self.setCommitPage(True)
        self._wizard = wizard
        self.preview = None
        self.worker = _Worker(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.model = PreviewModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Rows of the file: what each would do, and any problems")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        header = self.table.horizontalHeader()
        for column, width in enumerate(PreviewModel.WIDTHS):
            self.table.setColumnWidth(column, width)
        header.setStretchLastSection(True)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(PreviewModel.ROW, Qt.SortOrder.AscendingOrder)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setAccessibleName("What the selected row would do")
        self.detail.setMinimumHeight(self.detail.fontMetrics().lineSpacing() * 4)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.table.selectionModel().currentRowChanged.connect(self._show_detail)
        self.only_problems = QCheckBox("Show only rows with &problems")
        self.only_problems.toggled.connect(self._filter)
        self.save_problems = QPushButton("&Save the problems as CSV…")
        self.save_problems.setToolTip("A list of each problem by row and field, to work through in the file")
        self.save_problems.clicked.connect(self.export_problems)
        tools = QHBoxLayout()
        tools.addWidget(self.only_problems)
        tools.addStretch(1)
        tools.addWidget(self.save_problems)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(self.worker.row)
        layout.addLayout(tools)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)

    def _show_detail(self, current, _previous=None) -> None:
        row = current.data(ROW_ROLE) if current.isValid() else None
        self.detail.setText(explanation(row) if row is not None else "")

    def initializePage(self) -> None:  # noqa: N802
        self.preview = None
        self.detail.setText("")
        self.model.set_rows([])
        self.summary.setText(f"Checking {len(self._wizard.table.rows):,} rows…")
        self.only_problems.setEnabled(False)
        self.save_problems.setEnabled(False)
        actor, table, options = self._wizard.actor, self._wizard.table, self._wizard.options
        check = Operation(self, lambda ws, progress: ws.staff_import.preview(actor, table=table, options=options, progress=progress.report),
                          with_progress=True)
        self.worker.start(check, self._checked, self._failed)
        self.completeChanged.emit()

    def cleanupPage(self) -> None:  # noqa: N802
        self.worker.stop_and_wait()

    def _checked(self, preview) -> None:
        self.preview = preview
        self.model.set_rows(preview.rows)
        problems = preview.problems
        new, updates, same = preview.count("new"), preview.count("update"), preview.count("unchanged")
        if problems:
            self.summary.setText(
                f"{PROBLEM}{len(problems)} problem{'s' if len(problems) != 1 else ''} in {preview.problem_rows} of "
                f"{len(preview.rows):,} rows. Nothing can be imported until every row is right: fix them in the file "
                "(or go Back to change the column choices), then import it again.")
        elif not preview.to_write:
            self.summary.setText(f"All {len(preview.rows):,} rows match the staff list already: there is nothing "
                                 "to import.")
        else:
            what = [f"{new:,} new {'person' if new == 1 else 'people'}" if new else "",
                    f"{updates:,} update{'s' if updates != 1 else ''} to people already on the staff list"
                    if updates else "", f"{same:,} already up to date" if same else ""]
            self.summary.setText(f"All {len(preview.rows):,} rows are ready: " + ", ".join(w for w in what if w)
                                 + ". Nothing has been saved yet; choose Import to save them. Select a row to see "
                                 "what it changes.")
        self.only_problems.setEnabled(bool(problems))
        self.only_problems.setChecked(bool(problems))
        self.save_problems.setEnabled(bool(problems))
        self._wizard.setButtonText(QWizard.WizardButton.CommitButton, _commit_text(new, updates, bool(problems)))
        if self.model.rowCount():
            self.table.selectRow(0)
        self.completeChanged.emit()

    def _failed(self, exc) -> None:
        self.summary.setText(_problem_text(exc, "Cancelled: nothing was saved."))
        self.completeChanged.emit()

    def _filter(self, on: bool) -> None:
        self.model.set_only_problems(on)
        if self.model.rowCount():
            self.table.selectRow(0)

    def isComplete(self) -> bool:  # noqa: N802
        return self.preview is not None and not self.preview.problems and self.preview.to_write > 0

    def export_problems(self) -> str | None:
        path, _ = QFileDialog.getSaveFileName(self, "Save the problems", "import-problems.csv", "CSV files (*.csv)")
        if not path:
            return None
        actor, problems = self._wizard.actor, self.preview.problems
        Operation(self, lambda ws: ws.exports.import_problems_csv(actor, path=path, problems=problems)) \
            .success(lambda saved: show_status(self, f"Saved the problems to {saved.path}", 6000)).run_in_background()
        return path


class ImportPage(QWizardPage):
    def __init__(self, wizard: ImportWizard):
        super().__init__()
        self.setTitle("Import")
        self.setSubTitle("Every row is written together, or none of them.")
        self._wizard = wizard
        self.done = False
        self.worker = _Worker(self)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addLayout(self.worker.row)
        layout.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802
        self.done = False
        count = len(self._wizard.table.rows)
        self.message.setText(f"Importing {count:,} people, all together: if anything stops it, nothing is saved…")
        actor, table, options = self._wizard.actor, self._wizard.table, self._wizard.options
        write = Operation(self, lambda ws, progress: ws.staff_import.import_rows(actor, table=table, options=options, progress=progress.report),
                          with_progress=True).changes(STAFF)
        self.worker.start(write, self._imported, self._failed)

    def _imported(self, result) -> None:
        self._wizard.result_ids = list(result.staff_ids) + list(result.updated_ids)
        updated = f" and updated {result.updated:,}" if result.updated else ""
        self.message.setText(f"Imported {result.created:,} staff records from {self._wizard.table.source}{updated}. "
                             "Each has an entry in the audit trail.")
        self._finish()

    def _failed(self, exc) -> None:
        self.message.setText(f"{PROBLEM}{_problem_text(exc, 'Cancelled: nothing was imported.')}")
        self._finish()

    def _finish(self) -> None:
        self.done = True
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802
        return self.done


def _commit_text(new: int, updates: int, problems: bool) -> str:
    if problems or not (new or updates):
        return "&Import"
    if not updates:
        return f"&Import {new:,} {'person' if new == 1 else 'people'}"
    if not new:
        return f"&Update {updates:,} {'person' if updates == 1 else 'people'}"
    return f"&Import {new:,} new, update {updates:,}"


class ImportWizard(QWizard):
    """File > Import staff…. `result_ids` holds the ids of the records it added or updated once it has succeeded."""

    def __init__(self, workspace, actor, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Import staff")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.workspace = workspace
        self.actor = actor
        self.choices = workspace.staff.form_choices(actor)
        self.table = None
        self.source: tuple[str, str | None] = ("", None)  # the file and worksheet the table was read from
        self.options = None
        self.result_ids: list[int] = []
        self.file_page = FilePage(self)
        self.mapping_page = MappingPage(self)
        self.preview_page = PreviewPage(self)
        self.import_page = ImportPage(self)
        for page in (self.file_page, self.mapping_page, self.preview_page, self.import_page):
            self.addPage(page)
        self.resize(980, 680)

    def done(self, result: int) -> None:
        """Closing mid-check or mid-import cancels the job (rolling it back) before the window goes."""
        for worker in (self.preview_page.worker, self.import_page.worker):
            worker.stop_and_wait()
        super().done(result)
