"""The small forms of a person's reviews: self-assessment, signing (in the app or on paper) and
impact entries. Each is a `_FormDialog` whose problems are shown under the field they are about;
`PersonReviewsDialog` (review_person.py) opens them."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout,
)

from arrs_desk.ui.common.date_edit import DateEdit
from arrs_desk.ui.common.form_errors import FieldErrors
from arrs_desk.ui.common.changes import REVIEWS
from arrs_desk.ui.common.operation import Operation
from arrs_desk.ui.common.dates import pydate, qdate, uk_date


def _text_edit(accessible: str, value: str, placeholder: str) -> QPlainTextEdit:
    edit = QPlainTextEdit(value)
    edit.setAccessibleName(accessible)
    edit.setTabChangesFocus(True)
    edit.setPlaceholderText(placeholder)
    return edit


def _date_edit(value: date, accessible: str) -> DateEdit:
    edit = DateEdit(qdate(value))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd/MM/yyyy")
    edit.setAccessibleName(accessible)
    edit.setMinimumDate(QDate(1990, 1, 1))
    return edit


def _dialog_buttons(dialog: QDialog, ok_text: str | None = None) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
    if ok_text:
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(ok_text)
    buttons.rejected.connect(dialog.reject)
    return buttons


class _FormDialog(QDialog):
    """A dialog of form rows whose problems are shown under each field."""

    def __init__(self, title: str, intro: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.saved = None
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Problems to fix")
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.buttons = _dialog_buttons(self)
        self.buttons.accepted.connect(self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.summary)
        layout.addLayout(self.form)
        layout.addWidget(self.buttons)
        self.errors: FieldErrors | None = None

    def done(self, result: int) -> None:
        from arrs_desk.ui.reviews.review_editor import quieten

        quieten(self)
        super().done(result)

    def finish_form(self, fields: dict) -> None:
        self.errors = FieldErrors(self, fields, self.summary)

    def call(self, method, *args, **kwargs) -> bool:
        """Save through the review service's `method`; problems go under their fields."""
        if self.errors is not None and self.errors.refuse_date_problems():
            return False
        operation = Operation(self, lambda _workspace: method(*args, **kwargs)).changes(REVIEWS).success(self._saved)
        if self.errors is not None:
            operation.fields(self.errors)
        return operation.run()

    def _saved(self, result) -> None:
        self.saved = result
        self.accept()

    def save(self) -> None:
        raise NotImplementedError


class SelfAssessmentDialog(_FormDialog):
    """The person's own words for their review. Private to them and those who manage or appraise them."""

    def __init__(self, workspace, actor, detail, parent=None):
        super().__init__(f"My self-assessment: {detail.row.kind_label}",
                         "Before the meeting, say how the period went: what went well, what was hard, what you are "
                         "proud of and what you would like to develop. Only you, your line managers and your appraiser "
                         "can read this.", parent)
        self._workspace, self._actor, self._detail = workspace, actor, detail
        self.self_assessment = _text_edit("Self-assessment", detail.self_assessment or "",
                                          "How the period went, against your objectives")
        self.reflections = _text_edit("Reflections", detail.reflections or "",
                                      "What you learned, and what you would do differently")
        self.form.addRow("&Self-assessment", self.self_assessment)
        self.form.addRow("&Reflections", self.reflections)
        self.finish_form({"self_assessment": self.self_assessment, "reflections": self.reflections})
        self.resize(640, 520)

    def save(self) -> None:
        self.call(self._workspace.reviews.write_self_assessment, self._actor, review_id=self._detail.id,
                  self_assessment=self.self_assessment.toPlainText(), reflections=self.reflections.toPlainText(),
                  expected_version=self._detail.version)


class SignDialog(_FormDialog):
    """Signing a review in the app, as the named appraiser or as the person appraised."""

    def __init__(self, workspace, actor, detail, party: str, parent=None):
        row = detail.row
        role = "appraiser" if party == "appraiser" else "person appraised"
        super().__init__(f"Sign the {row.kind_label.lower()}",
                         f"You are signing the {row.kind_label.lower()} of {row.display_name} held on "
                         f"{uk_date(row.meeting_date)} as the {role}. Your name and today's date are recorded. "
                         "If anything changes afterwards, your signature is cleared and you sign again.", parent)
        self._workspace, self._actor, self._detail, self._party = workspace, actor, detail, party
        self.comment = _text_edit("Comment", "", "Anything you want recorded with your signature (optional)")
        self.form.addRow("&Comment", self.comment)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("Sign")
        self.finish_form({"comment": self.comment})
        self.resize(560, 280)

    def save(self) -> None:
        self.call(self._workspace.reviews.sign, self._actor, review_id=self._detail.id, party=self._party,
                  expected_version=self._detail.version, comment=self.comment.toPlainText())


class PaperSignatureDialog(_FormDialog):
    """Entering a signature from the printed signature page, for someone who cannot sign in the app."""

    def __init__(self, workspace, actor, detail, parties: list[tuple[str, str]], today: date, parent=None):
        super().__init__("Record a signature from paper",
                         "For an external appraiser, or someone without an ARRS Desk account, who signed the printed "
                         "signature page. Keep the signed page with the person's file.", parent)
        self._workspace, self._actor, self._detail = workspace, actor, detail
        self.party = QComboBox()
        self.party.setAccessibleName("Who signed")
        for value, label in parties:
            self.party.addItem(label, value)
        self.signed_on = _date_edit(today, "Date signed")
        self.signed_on.setMaximumDate(qdate(today))
        self.form.addRow("&Who signed", self.party)
        self.form.addRow("&Date signed", self.signed_on)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("Record signature")
        self.finish_form({"party": self.party, "signed_on": self.signed_on})
        self.resize(520, 240)

    def save(self) -> None:
        self.call(self._workspace.reviews.record_paper_signature, self._actor, review_id=self._detail.id,
                  party=self.party.currentData(), signed_on=pydate(self.signed_on.date()),
                  expected_version=self._detail.version)


class ImpactDialog(_FormDialog):
    """One entry in the impact log: a case study, a measure, or a patient-reported outcome."""

    def __init__(self, workspace, actor, staff_id: int, today: date, entry=None, parent=None):
        super().__init__("Impact example" if entry else "Add an impact example",
                         "Evidence of the difference the work makes, for appraisal: a patient or service story, a count "
                         "such as referrals handled or clinics run, or an outcome people report, such as goal "
                         "attainment, wellbeing or confidence.", parent)
        from arrs_desk.domain.reviews import ImpactKind

        self._workspace, self._actor, self._staff_id, self._entry = workspace, actor, staff_id, entry
        self.kind = QComboBox()
        self.kind.setAccessibleName("Kind of evidence")
        for kind in ImpactKind:
            self.kind.addItem(kind.label, kind.value)
            self.kind.setItemData(self.kind.count() - 1, kind.hint, Qt.ItemDataRole.ToolTipRole)
        self.kind_hint = QLabel()
        self.kind_hint.setWordWrap(True)
        self.kind_hint.setAccessibleName("What this kind of evidence is")
        self.title_edit = QLineEdit(entry.title if entry else "")
        self.title_edit.setAccessibleName("Title")
        self.title_edit.setPlaceholderText("A short name, such as the service or patient group")
        self.occurred_on = _date_edit(entry.occurred_on if entry else today, "Date")
        self.occurred_on.setMaximumDate(qdate(today))
        self.measure = QLineEdit(entry.measure if entry else "")
        self.measure.setAccessibleName("What was measured")
        self.measure.setPlaceholderText("For example: Referrals handled, or Goal attainment (GAS)")
        self.value = QLineEdit(entry.value if entry else "")
        self.value.setAccessibleName("Result")
        self.value.setPlaceholderText("For example: 212, or +8 points")
        self.description = _text_edit("Description", entry.description if entry else "",
                                      "The story: the need, what was done, and what changed")
        self.form.addRow("&Kind", self.kind)
        self.form.addRow("", self.kind_hint)
        self.form.addRow("&Title", self.title_edit)
        self.form.addRow("&Date", self.occurred_on)
        self.form.addRow("&Measure", self.measure)
        self.form.addRow("&Result", self.value)
        self.form.addRow("D&escription", self.description)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        if entry is not None:
            self.kind.setCurrentIndex(max(self.kind.findData(entry.kind), 0))
        self._kind_changed()
        self.finish_form({"kind": self.kind, "title": self.title_edit, "occurred_on": self.occurred_on,
                          "measure": self.measure, "value": self.value, "description": self.description})
        self.resize(600, 520)

    def _kind_changed(self, *_args) -> None:
        self.kind_hint.setText(self.kind.currentData(Qt.ItemDataRole.ToolTipRole) or "")

    def save(self) -> None:
        from arrs_desk.services.reviews import ImpactInput

        data = ImpactInput(staff_id=self._staff_id, kind=self.kind.currentData(), title=self.title_edit.text(),
                           description=self.description.toPlainText(), measure=self.measure.text(),
                           value=self.value.text(), occurred_on=pydate(self.occurred_on.date()))
        service = self._workspace.reviews
        if self._entry is None:
            self.call(service.add_impact, self._actor, data=data)
        else:
            self.call(service.update_impact, self._actor, entry_id=self._entry.id, data=data,
                      expected_version=self._entry.version)
