"""One person's reviews: what is due, every review with its objectives, development plan,
self-assessment and signatures, the impact log, and their appraisal pack."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QSplitter, QTabWidget, QTextBrowser, QVBoxLayout, QWidget,
)

from arrs_desk.ui.common.flow import FlowLayout
from arrs_desk.domain.permissions import Action
from arrs_desk.domain.reviews import is_held
from arrs_desk.ui.common.enabled import first_reason, set_enabled_with_reason, why_not
from arrs_desk.ui.common.changes import REVIEWS
from arrs_desk.ui.common.confirm import confirmed
from arrs_desk.ui.common.operation import Operation
from arrs_desk.ui.reviews.reviews_model import (
    IMPACT_COLUMNS, OBJECTIVE_COLUMNS, PDP_COLUMNS, PERSON_REVIEW_COLUMNS, ROW_ROLE, due_icon,
)
from arrs_desk.ui.common.dates import uk_date
from arrs_desk.ui.common.table_model import RowsModel
from arrs_desk.ui.common.tables import record_table
from arrs_desk.ui.common.widgets import make_button
from arrs_desk.ui.reviews.review_dialogs import (
    SelfAssessmentDialog, SignDialog, PaperSignatureDialog, ImpactDialog,
)


class PersonReviewsDialog(QDialog):
    """Everything about one person's reviews, in one place."""

    def __init__(self, workspace, actor, staff_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self._workspace, self._actor, self._staff_id = workspace, actor, staff_id
        self.person = None
        self.detail = None
        self.changed = False

        self.heading = QLabel()
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setAccessibleName("Person")
        self.about = QLabel()
        self.about.setWordWrap(True)
        self.about.setAccessibleName("About this person")
        self.due = QLabel()
        self.due.setWordWrap(True)
        self.due.setAccessibleName("Reviews due")
        self.due_icon = QLabel()
        due_row = QHBoxLayout()
        due_row.addWidget(self.due_icon)
        due_row.addWidget(self.due, 1)

        self.reviews = RowsModel(PERSON_REVIEW_COLUMNS, self)
        self.review_table = record_table(self.reviews, "Reviews")
        self.new_button = make_button("New review…", "Record a new review")
        self.edit_button = make_button("Edit…", "Edit the selected review")
        self.self_button = make_button("My self-assessment…", "Write your self-assessment for the selected review")
        self.sign_button = make_button("Sign…", "Sign the selected review")
        self.paper_button = make_button("Record paper signature…", "Record a signature from the printed signature page")
        self.carry_button = make_button("Carry forward", "Carry forward the open objectives of the previous review")
        self.delete_button = make_button("Remove", "Remove the selected review")
        review_buttons = FlowLayout()  # onto a second line when the window is narrow
        review_buttons.addWidgets(self.new_button, self.edit_button, self.self_button, self.sign_button,
                                  self.paper_button, self.carry_button, self.delete_button)

        self.objectives = RowsModel(OBJECTIVE_COLUMNS, self)
        self.pdp = RowsModel(PDP_COLUMNS, self)
        self.objective_table = record_table(self.objectives, "Objectives of the selected review")
        self.pdp_table = record_table(self.pdp, "Development plan of the selected review")
        self.summary = QTextBrowser()
        self.summary.setAccessibleName("Summary, self-assessment and signatures of the selected review")
        self.detail_tabs = QTabWidget()
        self.detail_tabs.setAccessibleName("Parts of the selected review")
        self.detail_tabs.addTab(self.objective_table, "Objectives")
        self.detail_tabs.addTab(self.pdp_table, "Development plan")
        self.detail_tabs.addTab(self.summary, "Summary and signatures")
        for view, widths in ((self.objective_table, (260, 200, 84, 120, 200)),
                             (self.pdp_table, (220, 220, 180, 84))):
            for column, width in enumerate(widths):
                view.setColumnWidth(column, width)

        reviews_tab = QWidget()
        split = QSplitter(Qt.Orientation.Vertical)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(review_buttons)
        top_layout.addWidget(self.review_table)
        split.addWidget(top)
        split.addWidget(self.detail_tabs)
        split.setSizes([220, 320])
        QVBoxLayout(reviews_tab).addWidget(split)

        self.impact = RowsModel(IMPACT_COLUMNS, self)
        self.impact_table = record_table(self.impact, "Impact log")
        self.add_impact_button = make_button("Add…", "Add an impact example")
        self.edit_impact_button = make_button("Edit…", "Edit the selected impact example")
        self.delete_impact_button = make_button("Remove", "Remove the selected impact example")
        impact_buttons = QHBoxLayout()
        self.impact_note = QLabel("Case studies, measures and patient-reported outcomes, for appraisal. The appraisal "
                                  "pack includes those in its period.")
        self.impact_note.setWordWrap(True)
        impact_buttons.addWidget(self.impact_note, 1)
        for button in (self.add_impact_button, self.edit_impact_button, self.delete_impact_button):
            impact_buttons.addWidget(button)
        impact_tab = QWidget()
        impact_layout = QVBoxLayout(impact_tab)
        impact_layout.addLayout(impact_buttons)
        impact_layout.addWidget(self.impact_table, 1)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Reviews and impact log")
        self.tabs.addTab(reviews_tab, "Reviews")
        self.tabs.addTab(impact_tab, "Impact log")

        self.pack_button = make_button("Appraisal pack…", "Save or print this person's appraisal pack")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.addButton(self.pack_button, QDialogButtonBox.ButtonRole.ActionRole)
        close.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.about)
        layout.addLayout(due_row)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(close)

        # Bound methods, not lambdas: Qt drops them with the dialog, so a selection change while
        # the dialog is being destroyed never reaches a half-deleted page.
        self.review_table.selectionModel().currentRowChanged.connect(self._current_review_changed)
        self.review_table.doubleClicked.connect(self._review_double_clicked)
        self.new_button.clicked.connect(self.new_review)
        self.edit_button.clicked.connect(self.edit_review)
        self.self_button.clicked.connect(self.write_self_assessment)
        self.sign_button.clicked.connect(self.sign)
        self.paper_button.clicked.connect(self.record_paper)
        self.carry_button.clicked.connect(self.carry_forward)
        self.delete_button.clicked.connect(self.delete_review)
        self.add_impact_button.clicked.connect(self.add_impact)
        self.edit_impact_button.clicked.connect(self.edit_impact)
        self.delete_impact_button.clicked.connect(self.delete_impact)
        self.impact_table.doubleClicked.connect(self._impact_double_clicked)
        self.impact_table.selectionModel().currentRowChanged.connect(self._current_impact_changed)
        self.pack_button.clicked.connect(self.open_pack)
        self.resize(1120, 760)
        self.load()

    def done(self, result: int) -> None:
        from arrs_desk.ui.reviews.review_editor import quieten

        quieten(self)
        super().done(result)

    # --- loading ------------------------------------------------------------------------
    def load(self, select_review: int | None = None) -> None:
        found = Operation(self, lambda ws: ws.reviews.person(self._actor, staff_id=self._staff_id))
        if not found.run():
            return
        person = self.person = found.result
        self.setWindowTitle(f"Reviews: {person.display_name}")
        self.heading.setText(f"Reviews · {person.display_name}")
        self.about.setText(" · ".join(x for x in (
            person.role_title, person.practices, f"started {uk_date(person.start_date)}",
            f"line manager {person.line_manager}" if person.line_manager else "") if x))
        self._show_due(person)
        self.reviews.set_rows(person.reviews)
        self.review_table.resizeColumnsToContents()
        self.impact.set_rows(person.impact)
        self.impact_table.resizeColumnsToContents()
        own = self._actor.staff_id == self._staff_id
        set_enabled_with_reason(self.new_button, person.can_create, why_not(Action.WRITE_REVIEW, on_self=own))
        set_enabled_with_reason(self.add_impact_button, person.can_record_impact, why_not(Action.RECORD_IMPACT))
        set_enabled_with_reason(self.pack_button, person.can_print_pack, why_not(Action.PRINT_PACK))
        row = 0
        if select_review is not None:
            row = next((i for i, r in enumerate(person.reviews) if r.id == select_review), 0)
        if person.reviews:
            self.review_table.selectRow(row)
        self._show_selected()
        self._impact_buttons()

    def _show_due(self, person) -> None:
        if person.next is None:
            self.due.setText("Nothing is due: this person is not in post." if not person.due else "")
            self.due_icon.clear()
            return
        parts = []
        for item in person.due:
            if str(item.status) == "booked":
                parts.append(f"{item.label}: booked for {uk_date(item.booked_on)}" if item.booked_on
                             else f"{item.label}: booked, no date yet")
            else:
                late = f", {item.days_overdue} days late" if item.days_overdue else ""
                parts.append(f"{item.label}: {item.status_label.lower()} (due {uk_date(item.due_on)}{late})")
        nxt = person.next
        self.due.setText(f"<b>Next: {escape(nxt.label)} – {escape(nxt.status_label.lower())}</b>. "
                         + escape("; ".join(parts)) + ".")
        icon = due_icon(nxt.status)
        self.due_icon.setPixmap(icon.pixmap(20, 20) if icon else icon)

    def _current_review_changed(self, *_args) -> None:
        self._show_selected()

    def _review_double_clicked(self, *_args) -> None:
        self.edit_review()

    def _current_impact_changed(self, *_args) -> None:
        self._impact_buttons()

    def _impact_double_clicked(self, *_args) -> None:
        self.edit_impact()

    def selected_review(self):
        index = self.review_table.currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    def _show_selected(self) -> None:
        row = self.selected_review()
        detail = None
        if row is not None:
            found = Operation(self, lambda ws: ws.reviews.review(self._actor, review_id=row.id))
            detail = found.result if found.run() else None
        self.detail = detail
        self.objectives.set_rows(detail.objectives if detail else [])
        self.pdp.set_rows(detail.pdp if detail else [])
        self.summary.setHtml(self._summary_html(detail) if detail else
                             "<p>No reviews recorded yet. Use <b>New review…</b> to book or record one.</p>"
                             if self.person and self.person.can_create else "<p>No reviews recorded yet.</p>")
        self._review_buttons(detail)

    def _review_buttons(self, detail) -> None:
        """Each review button enabled, or disabled with the reason that applies to this review."""
        can = detail.can if detail else None
        own = self._actor.staff_id == self._staff_id
        write = why_not(Action.WRITE_REVIEW, on_self=own)
        pick = (detail is None, "Select a review in the list first." if self.reviews.rowCount()
                else "No reviews are recorded yet.")
        locked = (detail is not None and detail.locked,
                  "Both the appraiser and the person appraised have signed this review, so it is kept as agreed.")
        not_held = (detail is not None and not is_held(detail.row.meeting_date, self.person.today),
                    "A review is signed once its meeting has been held; this one's meeting date is "
                    + (f"{uk_date(detail.row.meeting_date)}." if detail and detail.row.meeting_date else "not set yet."))
        set_enabled_with_reason(self.edit_button, bool(can and can.edit), first_reason(pick, locked, otherwise=write))
        set_enabled_with_reason(self.self_button, bool(can and can.write_self_assessment), first_reason(
            pick, locked, otherwise="Only the person appraised writes their self-assessment."))
        set_enabled_with_reason(
            self.sign_button, bool(can and (can.sign_as_appraiser or can.sign_as_appraisee)), first_reason(
                pick, locked, not_held,
                (own and detail is not None and detail.row.appraisee_signed, "You have already signed this review."),
                (detail is not None and self._actor.staff_id == detail.row.appraiser_staff_id
                 and detail.row.appraiser_signed, "You have already signed this review as its appraiser."),
                otherwise="Only the named appraiser and the person appraised sign a review."))
        set_enabled_with_reason(
            self.paper_button, bool(can and (can.record_paper_appraiser or can.record_paper_appraisee)), first_reason(
                pick, locked, not_held, (can is not None and not can.edit, write),
                otherwise="Everyone still to sign this review has an ARRS Desk account and signs it in the app."))
        set_enabled_with_reason(self.carry_button, bool(can and can.edit and detail.previous_open), first_reason(
            pick, locked, (can is not None and not can.edit, write),
            otherwise="The previous review has no open objectives left to carry forward."))
        set_enabled_with_reason(self.delete_button, bool(can and can.delete), first_reason(
            pick, (detail is not None and bool(detail.signatures), "A review that has been signed cannot be removed."),
            otherwise=write))
        self.self_button.setVisible(bool(self.person and self._actor.staff_id == self.person.staff_id))

    @staticmethod
    def _summary_html(detail) -> str:
        row = detail.row

        def para(title: str, text: str | None, empty: str) -> str:
            body = escape(text).replace("\n", "<br/>") if text else f"<i>{escape(empty)}</i>"
            return f"<h4>{escape(title)}</h4><p>{body}</p>"

        html = [f"<p><b>{escape(row.kind_label)}</b> · {escape(row.state_label)} · meeting "
                f"{escape(uk_date(row.meeting_date) or 'not booked')} · period {escape(uk_date(row.period_start))} to "
                f"{escape(uk_date(row.period_end))} · appraiser {escape(row.appraiser_name or 'not named')}</p>",
                f"<p><b>Outcome:</b> {escape(row.outcome_label)}"
                + (f" – {escape(detail.outcome_note)}" if detail.outcome_note else "") + "</p>",
                para("Discussion and feedback", detail.appraiser_summary, "Not written yet.")]
        if detail.self_assessment is None:
            html.append("<p><i>The self-assessment is private to the person and those who manage or appraise "
                        "them.</i></p>")
        else:
            html.append(para("Self-assessment", detail.self_assessment, "Not written yet."))
            html.append(para("Reflections", detail.reflections, "Not written yet."))
        html.append("<h4>Signatures</h4>")
        if detail.signatures:
            for s in detail.signatures:
                how = f"on paper, entered by {s.recorded_by}" if s.on_paper else "in ARRS Desk"
                html.append(f"<p>✓ {escape(s.party_label)}: {escape(s.name)} (signed {escape(uk_date(s.signed_on))}, "
                            f"{escape(how)})" + (f"<br/>“{escape(s.comment)}”" if s.comment else "") + "</p>")
        else:
            html.append("<p><i>Not signed yet. Both the appraiser and the person appraised sign once the meeting "
                        "has been held.</i></p>")
        if detail.locked:
            html.append("<p>Signed by both, so this review is kept as agreed.</p>")
        return "".join(html)

    def _after_change(self, select_review: int | None = None) -> None:
        self.changed = True
        self.load(select_review)

    # --- reviews ------------------------------------------------------------------------
    def _choices(self, review_id: int | None = None):
        found = Operation(self, lambda ws: ws.reviews.form_choices(self._actor, staff_id=self._staff_id,
                                                                  review_id=review_id))
        return found.result if found.run() else None

    def new_review(self):
        from arrs_desk.ui.reviews.review_editor import ReviewEditor

        choices = self._choices()
        if choices is None:
            return None
        editor = ReviewEditor(self._workspace, self._actor, self._staff_id, choices, parent=self)
        if editor.exec() and editor.saved is not None:
            self._after_change(editor.saved.id)
        return editor

    def edit_review(self):
        from arrs_desk.ui.reviews.review_editor import ReviewEditor

        if self.detail is None or not self.detail.can.edit:
            return None
        choices = self._choices(self.detail.id)
        if choices is None:
            return None
        editor = ReviewEditor(self._workspace, self._actor, self._staff_id, choices, detail=self.detail, parent=self)
        if editor.exec() and editor.saved is not None:
            self._after_change(editor.saved.id)
        return editor

    def write_self_assessment(self):
        if self.detail is None:
            return None
        dialog = SelfAssessmentDialog(self._workspace, self._actor, self.detail, parent=self)
        if dialog.exec() and dialog.saved is not None:
            self._after_change(self.detail.id)
        return dialog

    def sign(self):
        if self.detail is None:
            return None
        can = self.detail.can
        party = "appraiser" if can.sign_as_appraiser else "appraisee"
        dialog = SignDialog(self._workspace, self._actor, self.detail, party, parent=self)
        if dialog.exec() and dialog.saved is not None:
            self._after_change(self.detail.id)
        return dialog

    def record_paper(self):
        if self.detail is None:
            return None
        can, row = self.detail.can, self.detail.row
        parties = []
        if can.record_paper_appraiser:
            parties.append(("appraiser", f"The appraiser, {row.appraiser_name}"))
        if can.record_paper_appraisee:
            parties.append(("appraisee", f"The person appraised, {row.display_name}"))
        dialog = PaperSignatureDialog(self._workspace, self._actor, self.detail, parties, self.person.today, parent=self)
        if dialog.exec() and dialog.saved is not None:
            self._after_change(self.detail.id)
        return dialog

    def carry_forward(self) -> None:
        if self.detail is None:
            return
        detail = self.detail
        if Operation(self, lambda ws: ws.reviews.carry_forward(self._actor, review_id=detail.id,
                                                               expected_version=detail.version)) \
                .changes(REVIEWS).run():
            self._after_change(detail.id)

    def delete_review(self) -> None:
        if self.detail is None:
            return
        row = self.detail.row
        if not confirmed(
                self, "Remove review", f"Remove the {row.kind_label.lower()} of {row.display_name} "
                f"({uk_date(row.meeting_date) or 'no meeting date'}) with its objectives and development plan? "
                "This is for a review recorded by mistake; the audit trail keeps a note of it."):
            return
        version = self.detail.version
        if Operation(self, lambda ws: ws.reviews.delete_review(self._actor, review_id=row.id,
                                                               expected_version=version)).changes(REVIEWS).run():
            self._after_change()

    # --- impact -------------------------------------------------------------------------
    def selected_impact(self):
        index = self.impact_table.currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    def _impact_buttons(self) -> None:
        entry = self.selected_impact()
        why = first_reason((entry is None, "Select an example in the impact log first." if self.impact.rowCount()
                            else "The impact log is empty."), otherwise=why_not(Action.RECORD_IMPACT))
        for button in (self.edit_impact_button, self.delete_impact_button):
            set_enabled_with_reason(button, bool(entry and entry.can_edit), why)

    def add_impact(self):
        dialog = ImpactDialog(self._workspace, self._actor, self._staff_id, self.person.today, parent=self)
        if dialog.exec() and dialog.saved is not None:
            self._after_change(self.detail.id if self.detail else None)
            self.tabs.setCurrentIndex(1)
        return dialog

    def edit_impact(self):
        entry = self.selected_impact()
        if entry is None or not entry.can_edit:
            return None
        dialog = ImpactDialog(self._workspace, self._actor, self._staff_id, self.person.today, entry, parent=self)
        if dialog.exec() and dialog.saved is not None:
            self._after_change(self.detail.id if self.detail else None)
            self.tabs.setCurrentIndex(1)
        return dialog

    def delete_impact(self) -> None:
        entry = self.selected_impact()
        if entry is None:
            return
        if not confirmed(self, "Remove impact example",
                         f"Remove “{entry.title}” ({uk_date(entry.occurred_on)}) from the impact log?"):
            return
        if Operation(self, lambda ws: ws.reviews.delete_impact(self._actor, entry_id=entry.id,
                                                               expected_version=entry.version)) \
                .changes(REVIEWS).run():
            self._after_change(self.detail.id if self.detail else None)
            self.tabs.setCurrentIndex(1)

    # --- pack ---------------------------------------------------------------------------
    def open_pack(self):
        from arrs_desk.ui.reviews.appraisal_pack_dialogs import PackDialog

        if self.person is None:
            return None
        dialog = PackDialog(self._workspace, self._actor, self._staff_id, self.person.display_name, parent=self)
        dialog.exec()
        return dialog
