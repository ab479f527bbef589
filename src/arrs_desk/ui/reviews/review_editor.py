"""Recording or correcting a review: its kind and dates, the appraiser, the discussion and outcome,
and its objectives and development plan, saved together in one go.

The form is the Designer form forms/review_editor.ui, used by composition. Objectives and plan
items are edited in small dialogs and held here until Save, when the service checks everything
and reports every problem at once; each message appears beside the part it is about.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHeaderView, QLabel,
    QPlainTextEdit, QVBoxLayout, QWidget,
)

from arrs_desk.ui.common.text import plural
from arrs_desk.ui.common.date_edit import DateEdit
from arrs_desk.ui.common.bidi import isolate
from arrs_desk.ui.common.form_errors import FieldErrors, show_message
from arrs_desk.ui.generated.ui_review_editor import Ui_ReviewEditorDialog
from arrs_desk.ui.common.changes import REVIEWS
from arrs_desk.ui.common.operation import Operation
from arrs_desk.ui.reviews.reviews_model import OBJECTIVE_COLUMNS, PDP_COLUMNS
from arrs_desk.ui.common.table_model import RowsModel
from arrs_desk.ui.common.tables import record_table
from arrs_desk.ui.common.dates import pydate, qdate


def appraiser_key(kind: str, value: int) -> str:
    """Item data for the appraiser list: 'staff:12' or 'external:3' (plain strings survive Qt)."""
    return f"{kind}:{value}"


def parse_appraiser(key: str | None) -> tuple[int | None, int | None]:
    if not key:
        return None, None
    kind, _, value = key.partition(":")
    return (int(value), None) if kind == "staff" else (None, int(value))


def quieten(dialog: QWidget) -> None:
    """Stop a finished dialog's widgets and selection models from signalling. When Qt later
    destroys the dialog, a combo box losing its items or a table losing its selection would
    otherwise call back into Python code whose widgets are already half gone."""
    from PySide6.QtCore import QItemSelectionModel, QObject

    for child in dialog.findChildren(QObject):
        if isinstance(child, (QWidget, QItemSelectionModel)):
            child.blockSignals(True)


def _heading_font(label: QLabel) -> None:
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.3)
    font.setBold(True)
    label.setFont(font)


class _OptionalDate(QWidget):
    """A date that may be left empty: a date field plus a 'No date' check box."""

    def __init__(self, value: date | None, accessible: str, empty_text: str, default: date, parent=None):
        super().__init__(parent)
        from PySide6.QtWidgets import QCheckBox, QHBoxLayout

        self.edit = DateEdit(qdate(value or default))
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("dd/MM/yyyy")
        self.edit.setAccessibleName(accessible)
        self.none = QCheckBox(empty_text)
        self.none.setAccessibleName(f"{accessible}: {empty_text.lower()}")
        self.none.setChecked(value is None)
        self.edit.setEnabled(value is not None)
        self.none.toggled.connect(self._toggled)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit)
        row.addWidget(self.none)
        row.addStretch(1)

    def _toggled(self, checked: bool) -> None:
        self.edit.setEnabled(not checked)

    def value(self) -> date | None:
        return None if self.none.isChecked() else pydate(self.edit.date())


class _ItemDialog(QDialog):
    """A small form for one objective or plan item; checked as a whole when the review is saved."""

    def __init__(self, title: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName("Problem to fix")
        self.problem.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept_if_complete)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.problem)
        layout.addLayout(self.form)
        layout.addWidget(buttons)
        self.resize(620, 460)

    def _text(self, label: str, accessible: str, value: str, placeholder: str, lines: int = 3) -> QPlainTextEdit:
        edit = QPlainTextEdit(value)
        edit.setAccessibleName(accessible)
        edit.setTabChangesFocus(True)
        edit.setPlaceholderText(placeholder)
        edit.setMinimumHeight(edit.fontMetrics().lineSpacing() * lines + 12)
        self.form.addRow(label, edit)
        return edit

    def _combo(self, label: str, accessible: str, choices, current: str) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(accessible)
        for choice in choices:
            combo.addItem(choice.label, choice.value)
        combo.setCurrentIndex(max(combo.findData(current), 0))
        self.form.addRow(label, combo)
        return combo

    def missing(self) -> str:
        return ""

    def done(self, result: int) -> None:
        quieten(self)
        super().done(result)

    def _accept_if_complete(self) -> None:
        problem = self.missing()
        if problem:
            show_message(self.problem, "⚠ " + problem)  # room made within the screen, nothing squeezed
            return
        self.accept()


class ObjectiveDialog(_ItemDialog):
    """One SMART objective: what, how it is measured, by when, and how it is going."""

    def __init__(self, choices, objective=None, *, today: date, parent=None):
        super().__init__("Objective" if objective else "New objective", parent)
        o = objective
        intro = QLabel("Specific, measurable, achievable, relevant and time-bound: say what will be done, how you "
                       "will both know it has been, and by when.")
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.description = self._text("&Objective", "Objective", o.description if o else "",
                                      "What is to be achieved", 3)
        self.measure = self._text("&Measured by", "How it is measured", o.measure if o else "",
                                  "The evidence or figure that shows it is done", 2)
        self.due = DateEdit(qdate(o.due_date if o and o.due_date else date(today.year + 1, today.month, 1)))
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("dd/MM/yyyy")
        self.due.setAccessibleName("Due date")
        self.form.addRow("&Due by", self.due)
        self.status = self._combo("&Status", "Status", choices.objective_statuses, o.status if o else "not-started")
        self.progress = self._text("&Progress", "Progress", o.progress if o else "",
                                   "How it is going, as reviewed at this meeting", 2)
        if o is not None and o.carried_from:
            note = QLabel(o.carried_from + ".")
            note.setWordWrap(True)
            note.setAccessibleName("Where this objective came from")
            self.form.addRow("History", note)
        self._original = o

    def missing(self) -> str:
        if not self.description.toPlainText().strip():
            return "Describe the objective."
        if not self.measure.toPlainText().strip():
            return "Say how achievement will be measured."
        return ""

    def row(self, position: int):
        from arrs_desk.services.reviews import ObjectiveRow

        base = self._original
        return ObjectiveRow(
            id=base.id if base else None, position=position, description=self.description.toPlainText().strip(),
            measure=self.measure.toPlainText().strip(), due_date=pydate(self.due.date()),
            status=self.status.currentData(), status_label=self.status.currentText(),
            progress=self.progress.toPlainText().strip(), carried_from_id=base.carried_from_id if base else None,
            carried_from=base.carried_from if base else "", carried_to=base.carried_to if base else "",
        )


class PdpDialog(_ItemDialog):
    """One line of the personal development plan."""

    def __init__(self, choices, item=None, *, today: date, parent=None):
        super().__init__("Development plan item" if item else "New development plan item", parent)
        p = item
        self.need = self._text("&Need", "Development need", p.need if p else "", "What you want to learn or improve", 2)
        self.action = self._text("&Action", "Action", p.action if p else "", "What will be done to meet the need", 2)
        self.support = self._text("S&upport", "Support", p.support if p else "",
                                  "Time, funding, a mentor or a course", 2)
        self.target = _OptionalDate(p.target_date if p else None, "Target date", "No target date",
                                    date(today.year + 1, today.month, 1))
        if p is None:
            self.target.none.setChecked(False)
        self.form.addRow("&Target", self.target)
        self.status = self._combo("&Status", "Status", choices.pdp_statuses, p.status if p else "planned")
        self._original = p

    def missing(self) -> str:
        if not self.need.toPlainText().strip():
            return "Say what the development need is."
        if not self.action.toPlainText().strip():
            return "Say what will be done to meet it."
        return ""

    def row(self, position: int):
        from arrs_desk.services.reviews import PdpRow

        return PdpRow(id=self._original.id if self._original else None, position=position,
                      need=self.need.toPlainText().strip(), action=self.action.toPlainText().strip(),
                      support=self.support.toPlainText().strip(), target_date=self.target.value(),
                      status=self.status.currentData(), status_label=self.status.currentText())


class ReviewEditor(QDialog):
    """Create with `detail=None` to record a new review for `staff_id`; `saved` holds the result."""

    TAB_OF = {"objectives": 1, "pdp": 2}

    def __init__(self, workspace, actor, staff_id: int, choices, *, detail=None, parent: QWidget | None = None):
        super().__init__(parent)
        self.ui = Ui_ReviewEditorDialog()
        self.ui.setupUi(self)
        self._workspace, self._actor, self._staff_id, self._choices, self._detail = (
            workspace, actor, staff_id, choices, detail)
        self.saved = None
        ui = self.ui
        _heading_font(ui.heading)
        self.errors = FieldErrors(self, {
            "kind": ui.kind, "probation_month": ui.probation_month, "period": ui.period_row,
            "meeting_date": ui.meeting_row, "appraiser": ui.appraiser, "appraiser_summary": ui.appraiser_summary,
            "outcome": ui.outcome, "outcome_note": ui.outcome_note, "objectives": ui.objectives_box,
            "pdp": ui.pdp_box,
        }, ui.summary_error)
        for choice in choices.kinds:
            ui.kind.addItem(choice.label, choice.value)
        for month in choices.probation_months:
            ui.probation_month.addItem(f"At {month} months", month)
        for choice in choices.outcomes:
            ui.outcome.addItem(choice.label, choice.value)
        ui.appraiser.addItem("Choose the appraiser…", None)
        for choice in choices.appraisers:
            ui.appraiser.addItem(f"{choice.label} – {choice.hint}", appraiser_key("staff", choice.value))
        if choices.externals:
            ui.appraiser.insertSeparator(ui.appraiser.count())
            for choice in choices.externals:
                ui.appraiser.addItem(f"{choice.label} ({choice.hint})" if choice.hint else choice.label,
                                     appraiser_key("external", choice.value))
        ui.appraiser.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = ui.appraiser.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(completer.CompletionMode.PopupCompletion)
        today = choices.today
        for edit in (ui.period_start, ui.period_end, ui.meeting_date):
            edit.setMinimumDate(QDate(1990, 1, 1))

        self.objectives = RowsModel(OBJECTIVE_COLUMNS, self)
        self.pdp = RowsModel(PDP_COLUMNS, self)
        for view, model in ((ui.objectives, self.objectives), (ui.pdp, self.pdp)):
            view.setModel(model)
            view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            view.setAlternatingRowColors(True)
            view.setWordWrap(False)
            view.verticalHeader().hide()
            view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
            view.horizontalHeader().setStretchLastSection(True)
        ui.objectives_hint.setText("SMART objectives agreed at this review. Open ones are carried to the next review "
                                   "as linked copies; double-click one to change it.")
        ui.pdp_hint.setText("The personal development plan: what the person needs to learn, how, and with what "
                            "support.")

        if detail is None:
            self.setWindowTitle(f"New review: {choices.display_name}")
            ui.heading.setText(f"Record a review · {choices.display_name}")
            ui.kind.setCurrentIndex(0)
            ui.meeting_set.setChecked(True)
            ui.meeting_date.setDate(qdate(today))
            self._suggest_period()
            ui.carry_forward.setChecked(bool(choices.previous_open))
            ui.carry_forward.setEnabled(bool(choices.previous_open))
            ui.carry_forward.setText(
                f"Carry forward the {plural(len(choices.previous_open), 'open objective')} of the previous review"
                if choices.previous_open
                else "The previous review has no open objectives to carry forward")
            self._preview_carried(choices.previous_open)
        else:
            self._load(detail)
            ui.carry_forward.hide()
            ui.carry_label.hide()
        self._show_self_assessment(detail)
        ui.kind.currentIndexChanged.connect(self._kind_changed)
        ui.meeting_set.toggled.connect(ui.meeting_date.setEnabled)
        ui.meeting_date.dateChanged.connect(self._meeting_changed)
        ui.add_objective.clicked.connect(self.add_objective)
        ui.edit_objective.clicked.connect(self.edit_objective)
        ui.remove_objective.clicked.connect(self.remove_objective)
        ui.objective_up.clicked.connect(self.objective_up)
        ui.objective_down.clicked.connect(self.objective_down)
        ui.objectives.doubleClicked.connect(self.edit_objective)
        ui.add_pdp.clicked.connect(self.add_pdp)
        ui.edit_pdp.clicked.connect(self.edit_pdp)
        ui.remove_pdp.clicked.connect(self.remove_pdp)
        ui.pdp.doubleClicked.connect(self.edit_pdp)
        ui.buttons.accepted.connect(self.save)
        ui.buttons.rejected.connect(self.reject)
        ui.buttons.button(QDialogButtonBox.StandardButton.Save).setDefault(True)
        self._kind_changed()
        ui.meeting_date.setEnabled(ui.meeting_set.isChecked())
        self._fit_columns()
        ui.tabs.setCurrentIndex(0)
        ui.kind.setFocus()

    def done(self, result: int) -> None:
        quieten(self)
        super().done(result)

    # --- loading ------------------------------------------------------------------------
    def _load(self, detail) -> None:
        ui, row = self.ui, detail.row
        self.setWindowTitle(f"{row.kind_label}: {row.display_name}")
        ui.heading.setText(f"{row.kind_label} · {isolate(row.display_name)}")
        ui.kind.setCurrentIndex(max(ui.kind.findData(row.kind), 0))
        if row.probation_month:
            ui.probation_month.setCurrentIndex(max(ui.probation_month.findData(row.probation_month), 0))
        ui.period_start.setDate(qdate(row.period_start))
        ui.period_end.setDate(qdate(row.period_end))
        ui.meeting_set.setChecked(row.meeting_date is not None)
        ui.meeting_date.setDate(qdate(row.meeting_date or self._choices.today))
        key = (appraiser_key("staff", row.appraiser_staff_id) if row.appraiser_staff_id
               else appraiser_key("external", row.appraiser_external_id) if row.appraiser_external_id else None)
        index = ui.appraiser.findData(key) if key else 0
        if key and index < 0:
            ui.appraiser.addItem(row.appraiser_name, key)
            index = ui.appraiser.count() - 1
        ui.appraiser.setCurrentIndex(max(index, 0))
        ui.appraiser_summary.setPlainText(detail.appraiser_summary)
        ui.outcome.setCurrentIndex(max(ui.outcome.findData(row.outcome), 0))
        ui.outcome_note.setPlainText(detail.outcome_note)
        self.objectives.set_rows(detail.objectives)
        self.pdp.set_rows(detail.pdp)

    def _show_self_assessment(self, detail) -> None:
        from html import escape

        ui = self.ui
        if detail is None:
            ui.self_hint.setText("The person writes their own self-assessment and reflections once the review is "
                                 "recorded; they appear here for the appraiser to read.")
            ui.self_assessment.hide()
            return
        if detail.self_assessment is None:
            ui.self_hint.setText("The self-assessment is private to the person and those who manage or appraise them.")
            ui.self_assessment.hide()
            return
        ui.self_hint.setText("Written by the person appraised; only they can change it.")

        def block(title: str, text: str) -> str:
            body = escape(text).replace("\n", "<br/>") if text else "<i>Not written yet.</i>"
            return f"<h3>{escape(title)}</h3><p>{body}</p>"

        ui.self_assessment.setHtml(block("Self-assessment", detail.self_assessment)
                                   + block("Reflections", detail.reflections or ""))

    def _preview_carried(self, previous_open) -> None:
        """Under the objectives, those the save will carry forward from the previous review, while
        "Carry forward" is ticked: the tab was empty then, and nobody could see what would be carried.
        Read-only, and not rows of the form: the save copies them itself, linked to the originals
        (`create_review(carry_forward=True)`), after the objectives entered here. Their progress and
        history are left out: a copy starts with neither."""
        if not previous_open:
            return
        self.carried = RowsModel(OBJECTIVE_COLUMNS, self)
        self.carried.set_rows(list(previous_open))
        heading = QLabel(f"Carried forward from the previous review when you save "
                         f"({plural(len(previous_open), 'objective')}; untick “Carry forward” on the Review tab "
                         f"to leave them out):")
        heading.setWordWrap(True)
        view = record_table(self.carried, "Objectives carried forward from the previous review")
        for column in (4, 5):  # progress and history: a carried copy starts without them
            view.setColumnHidden(column, True)
        for column, width in enumerate((260, 200, 84, 120)):
            view.setColumnWidth(column, width)
        rows = min(len(previous_open), 4)  # a few rows in view, the rest scroll
        row = max(view.verticalHeader().defaultSectionSize(), view.sizeHintForRow(0))
        view.setMaximumHeight(view.horizontalHeader().sizeHint().height() + rows * row + 2 * view.frameWidth() + 6)
        self.ui.objectives_box.addWidget(heading)
        self.ui.objectives_box.addWidget(view)
        self.carried_heading, self.carried_view = heading, view

        def show(ticked: bool) -> None:
            heading.setVisible(ticked)
            view.setVisible(ticked)

        self.ui.carry_forward.toggled.connect(show)
        show(self.ui.carry_forward.isChecked())

    def _fit_columns(self) -> None:
        for view, widths in ((self.ui.objectives, (260, 200, 84, 120, 200)), (self.ui.pdp, (200, 200, 160, 84))):
            for column, width in enumerate(widths):
                view.setColumnWidth(column, width)

    # --- behaviour ----------------------------------------------------------------------
    def _kind_changed(self, *_args) -> None:
        probation = self.ui.kind.currentData() == "probation"
        self.ui.probation_month.setVisible(probation)
        self.ui.probation_month_label.setVisible(probation)
        if self._detail is None:
            self._suggest_period()

    def _meeting_changed(self, *_args) -> None:
        if self._detail is None:
            self._suggest_period()

    def _suggest_period(self) -> None:
        ui = self.ui
        meeting = pydate(ui.meeting_date.date())
        start, end = self._choices.suggested_period(ui.kind.currentData() or "annual", meeting)
        ui.period_start.setDate(qdate(start))
        ui.period_end.setDate(qdate(end))

    def add_objective(self) -> None:
        dialog = ObjectiveDialog(self._choices, today=self._choices.today, parent=self)
        if dialog.exec():
            self.objectives.set_rows([*self.objectives.rows(), dialog.row(self.objectives.rowCount())])
            self.ui.objectives.selectRow(self.objectives.rowCount() - 1)

    def edit_objective(self, *_args) -> None:
        index = self.ui.objectives.currentIndex()
        if not index.isValid():
            return
        rows = list(self.objectives.rows())
        dialog = ObjectiveDialog(self._choices, rows[index.row()], today=self._choices.today, parent=self)
        if dialog.exec():
            rows[index.row()] = dialog.row(index.row())
            self.objectives.set_rows(rows)
            self.ui.objectives.selectRow(index.row())

    def add_pdp(self) -> None:
        dialog = PdpDialog(self._choices, today=self._choices.today, parent=self)
        if dialog.exec():
            self.pdp.set_rows([*self.pdp.rows(), dialog.row(self.pdp.rowCount())])
            self.ui.pdp.selectRow(self.pdp.rowCount() - 1)

    def edit_pdp(self, *_args) -> None:
        index = self.ui.pdp.currentIndex()
        if not index.isValid():
            return
        rows = list(self.pdp.rows())
        dialog = PdpDialog(self._choices, rows[index.row()], today=self._choices.today, parent=self)
        if dialog.exec():
            rows[index.row()] = dialog.row(index.row())
            self.pdp.set_rows(rows)
            self.ui.pdp.selectRow(index.row())

    def remove_objective(self) -> None:
        self._remove(self.objectives, self.ui.objectives)

    def remove_pdp(self) -> None:
        self._remove(self.pdp, self.ui.pdp)

    def objective_up(self) -> None:
        self._move(-1)

    def objective_down(self) -> None:
        self._move(1)

    @staticmethod
    def _remove(model: RowsModel, view) -> None:
        index = view.currentIndex()
        if index.isValid():
            rows = list(model.rows())
            del rows[index.row()]
            model.set_rows(rows)

    def _move(self, step: int) -> None:
        index = self.ui.objectives.currentIndex()
        if not index.isValid():
            return
        rows = list(self.objectives.rows())
        here, there = index.row(), index.row() + step
        if 0 <= there < len(rows):
            rows[here], rows[there] = rows[there], rows[here]
            self.objectives.set_rows(rows)
            self.ui.objectives.selectRow(there)

    # --- saving -------------------------------------------------------------------------
    def collect(self):
        from arrs_desk.services.reviews import ReviewInput

        ui = self.ui
        index = ui.appraiser.findText(ui.appraiser.currentText())
        staff_id, external_id = parse_appraiser(ui.appraiser.itemData(index) if index >= 0 else None)
        kind = ui.kind.currentData()
        return ReviewInput(
            staff_id=self._staff_id, kind=kind,
            probation_month=ui.probation_month.currentData() if kind == "probation" else None,
            period_start=pydate(ui.period_start.date()), period_end=pydate(ui.period_end.date()),
            meeting_date=pydate(ui.meeting_date.date()) if ui.meeting_set.isChecked() else None,
            appraiser_staff_id=staff_id, appraiser_external_id=external_id,
            appraiser_summary=ui.appraiser_summary.toPlainText(), outcome=ui.outcome.currentData() or "",
            outcome_note=ui.outcome_note.toPlainText(),
            objectives=[r.as_input() for r in self.objectives.rows()],
            pdp=[r.as_input() for r in self.pdp.rows()],
        )

    def save(self) -> None:
        if self.errors.refuse_date_problems():
            return
        data, actor, detail = self.collect(), self._actor, self._detail
        if detail is None:
            carry = self.ui.carry_forward.isChecked()
            operation = Operation(self, lambda ws: ws.reviews.create_review(actor, data=data, carry_forward=carry))
        else:
            operation = Operation(self, lambda ws: ws.reviews.update_review(
                actor, review_id=detail.id, data=data, expected_version=detail.version))
        operation.changes(REVIEWS).fields(self._show_problems).success(self._saved).run()

    def _show_problems(self, error) -> None:
        self.errors.show(error.errors)
        first = next(iter(error.errors), "")
        self.ui.tabs.setCurrentIndex(self.TAB_OF.get(first, 0))

    def _saved(self, review) -> None:
        self.saved = review
        self.accept()
