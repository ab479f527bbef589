"""One person's programme: where they stand, the timeline, and the milestones, competencies,
protected time, pauses and extensions behind it, with the actions each viewer may take.

Why it is longer than ~600 lines: `ProgrammeDialog` is one window of five tabs that share the
enrolment, its version and the viewer's permissions, and every action refreshes all of them from
one read of the service. The pieces that stand alone are already apart (programme_timeline.py,
programme_enrolment.py, programme_editor.py, programmes_model.py, ui/common/action_dialog.py).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFileDialog, QGridLayout, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMessageBox, QProgressBar, QPushButton, QScrollArea, QSplitter, QTableView, QTabWidget, QTextBrowser, QToolButton, QVBoxLayout, QWidget,
)

from arrs_desk.ui.common.text import plural, plural_word
from arrs_desk.ui.common.open_file import open_file
from arrs_desk.domain.permissions import Action
from arrs_desk.domain.programmes import EnrolmentStatus
from arrs_desk.ui.common.enabled import first_reason, set_enabled_with_reason, why_not
from arrs_desk.ui.common.icons import glyph_icon
from arrs_desk.ui.common.action_dialog import ItemActionDialog
from arrs_desk.ui.common.changes import PROGRAMMES
from arrs_desk.ui.common.error_display import show_error, show_status
from arrs_desk.ui.common.confirm import confirmed
from arrs_desk.ui.common.operation import Operation
from arrs_desk.ui.programmes.programme_timeline import TimelineWidget
from arrs_desk.ui.common.bidi import isolate
from arrs_desk.ui.programmes.programmes_model import PROGRESS_TIP, enrolment_icon, hours, milestone_icon, uk
from arrs_desk.ui.common.table_model import ROW_ROLE, Column, RowsModel
from arrs_desk.ui.common.tables import record_table
from arrs_desk.ui.common.widgets import make_button
from arrs_desk.clock import in_uk

MILESTONE_COLUMNS = (
    Column("Week", lambda m: str(m.week), sort=lambda m: m.week, align_right=True),
    Column("Milestone", lambda m: m.title),
    Column("Kind", lambda m: m.kind_label),
    Column("Due", lambda m: uk(m.due), sort=lambda m: m.due.toordinal()),
    Column("Status", lambda m: m.status_label),
    Column("Notes", lambda m: m.notes.replace("\n", " "), tip=lambda m: m.notes or ""),
    Column("Recorded by", lambda m: m.recorded_by),
)
COMPETENCY_COLUMNS = (
    Column("Competency", lambda c: c.title, tip=lambda c: f"{c.title}\n\n{c.description}"),
    Column("Status", lambda c: f"Signed off {uk(c.signed_on)}" if c.signed else "Not signed off yet"),
    Column("Signed by", lambda c: c.signed_by + (f" (recorded by {c.recorded_by})" if c.recorded_by else "")),
    Column("Evidence", lambda c: plural(len(c.evidence), "file") if c.evidence else "–"),
    Column("Area", lambda c: c.domain_title),
)
TIME_COLUMNS = (
    Column("Date", lambda t: uk(t.taken_on), sort=lambda t: t.taken_on.toordinal()),
    Column("Hours", lambda t: hours(t.hours), sort=lambda t: t.hours, align_right=True),
    Column("Activity", lambda t: t.activity),
    Column("Logged by", lambda t: t.logged_by),
)
PAUSE_COLUMNS = (
    Column("What", lambda p: "Pause" if hasattr(p, "start_date") else "Extension"),
    Column("When", lambda p: (f"{uk(p.start_date)} to {uk(p.end_date) if p.end_date else 'not yet known'}"
                              if hasattr(p, "start_date") else f"agreed {uk(p.agreed_on)}")),
    Column("Length", lambda p: (plural(p.days, "day") + (" so far" if p.ongoing else ""))
           if hasattr(p, "start_date") else p.label),
    Column("Reason", lambda p: p.reason),
    Column("Recorded by", lambda p: p.recorded_by),
)


class _IconRows(RowsModel):
    """RowsModel with a status badge in one column."""

    def __init__(self, columns, icon_column: int, icon, parent=None):
        super().__init__(columns, parent)
        self._icon_column, self._icon = icon_column, icon

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DecorationRole and index.isValid() and index.column() == self._icon_column:
            return self._icon(self.rows()[index.row()])
        return super().data(index, role)


class ProgrammeDialog(QDialog):
    """The person's programme page. `changed` tells the caller to refresh its list."""

    def __init__(self, workspace, actor, enrolment_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self._workspace, self._actor, self._enrolment_id = workspace, actor, enrolment_id
        self._service = workspace.programmes
        self.view = None
        self.changed = False

        self.heading = QLabel()
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setWordWrap(True)
        self.heading.setAccessibleName("Person and programme")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)  # names and titles are shown as typed
        self.subheading = QLabel()
        self.subheading.setWordWrap(True)
        self.subheading.setAccessibleName("Role, dates and people")
        self.subheading.setTextFormat(Qt.TextFormat.PlainText)
        self.subheading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        # Where they stand.
        self.status_icon = QLabel()
        self.status_text = QLabel()
        self.status_text.setAccessibleName("Status")
        bold = self.status_text.font()
        bold.setBold(True)
        self.status_text.setFont(bold)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Progress")
        self.progress.setRange(0, 100)
        self.progress.setFormat("Progress %p%")
        self.progress.setToolTip(PROGRESS_TIP)
        self.elapsed = QProgressBar()
        self.elapsed.setAccessibleName("Time elapsed")
        self.elapsed.setRange(0, 100)
        self.elapsed.setFormat("Time elapsed %p%")
        self.elapsed.setToolTip("How much of the programme's working time has passed; paused days do not count.")
        self.help_button = QToolButton()
        self.help_button.setText("?")
        self.help_button.setAccessibleName("What the progress figure means")
        self.help_button.setToolTip("What the progress figure means")
        self.help_button.clicked.connect(self.explain_progress)
        self.figures = QLabel()
        self.figures.setAccessibleName("Milestones, competencies and protected time")
        self.figures.setWordWrap(True)
        self.reasons = QLabel()
        self.reasons.setAccessibleName("Why behind")
        self.reasons.setWordWrap(True)
        self.note = QLabel()
        self.note.setAccessibleName("About the assessor")
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setWordWrap(True)
        strip = QGridLayout()
        strip.setHorizontalSpacing(14)
        badge = QHBoxLayout()
        badge.setSpacing(6)
        badge.addWidget(self.status_icon)
        badge.addWidget(self.status_text)
        badge.addStretch(1)
        strip.addLayout(badge, 0, 0)
        strip.addWidget(self.progress, 0, 1)
        strip.addWidget(self.elapsed, 0, 2)
        strip.addWidget(self.help_button, 0, 3)
        strip.addWidget(self.figures, 1, 0, 1, 4)
        strip.addWidget(self.reasons, 2, 0, 1, 4)
        strip.addWidget(self.note, 3, 0, 1, 4)
        strip.setColumnStretch(1, 1)
        strip.setColumnStretch(2, 1)

        self.timeline = TimelineWidget()
        timeline_scroll = QScrollArea()
        timeline_scroll.setWidget(self.timeline)
        timeline_scroll.setWidgetResizable(True)
        timeline_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        timeline_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        timeline_scroll.setMinimumHeight(self.timeline.sizeHint().height() + 4)
        timeline_scroll.setAccessibleName("Programme timeline")
        self.timeline_scroll = timeline_scroll

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Programme details")
        self.tabs.addTab(self._milestones_tab(), "Milestones")
        self.tabs.addTab(self._competencies_tab(), "Competencies")
        self.tabs.addTab(self._time_tab(), "Protected time")
        self.tabs.addTab(self._pauses_tab(), "Pauses and extensions")
        self.tabs.addTab(self._about_tab(), "About")

        self.edit_button = make_button("Change details…", "Change dates, protected time, preceptor or assessor")
        self.withdraw_button = make_button("Withdraw…", "Withdraw the person from the programme")
        self.complete_button = make_button("Sign off completion…", "Sign off completion of the programme",
                                       "The named assessor signs off completion once every competency is signed off")
        self.certificate_button = make_button("Certificate PDF…", "Save the completion certificate as PDF")
        self.close_buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.close_buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        for button in (self.edit_button, self.withdraw_button, self.complete_button, self.certificate_button):
            bottom.addWidget(button)
        bottom.addStretch(1)
        bottom.addWidget(self.close_buttons)
        self.edit_button.clicked.connect(self.edit)
        self.withdraw_button.clicked.connect(self.withdraw)
        self.complete_button.clicked.connect(self.complete)
        self.certificate_button.clicked.connect(lambda: self.save_certificate())

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(timeline_scroll)
        split.addWidget(self.tabs)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.subheading)
        layout.addLayout(strip)
        layout.addWidget(split, 1)
        layout.addLayout(bottom)
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        if screen is not None:  # as large as is useful, but never taller than the screen
            self.resize(min(1240, int(screen.width() * 0.96)), min(900, int(screen.height() * 0.92)))
        else:
            self.resize(1240, 860)
        self.reload()

    # --- tabs -----------------------------------------------------------------------------
    def _milestones_tab(self) -> QWidget:
        self.milestones = _IconRows(MILESTONE_COLUMNS, 4, lambda m: milestone_icon(
            m.status, finished=self.view is not None and not self.view.active), self)
        self.milestone_table = record_table(self.milestones, "Milestones")
        self.hold_button = make_button("Record as held…", "Record the selected milestone as held")
        self.unhold_button = make_button("Clear", "Clear the selected milestone recorded as held by mistake")
        self.milestone_table.doubleClicked.connect(lambda _i: self.hold_milestone())
        self.hold_button.clicked.connect(self.hold_milestone)
        self.unhold_button.clicked.connect(self.unhold_milestone)
        self.milestone_table.selectionModel().selectionChanged.connect(self._update_buttons)
        return self._tab(self.milestone_table, [self.hold_button, self.unhold_button],
                         "Meetings, reviews and assessments fall due on their week, moved later by any pause. "
                         "Each counts as due for a week, then overdue.")

    def _competencies_tab(self) -> QWidget:
        self.competencies = _IconRows(COMPETENCY_COLUMNS, 1, lambda c: glyph_icon("✓", "good") if c.signed
                                      else glyph_icon("○", "neutral"), self)
        self.competency_table = record_table(self.competencies, "Competencies")
        self.competency_detail = QTextBrowser()
        self.competency_detail.setAccessibleName("Selected competency")
        self.evidence_list = QListWidget()
        self.evidence_list.setAccessibleName("Evidence files for the selected competency")
        self.evidence_list.setMaximumHeight(110)
        self.sign_button = make_button("Sign off…", "Sign off the selected competency")
        self.attach_button = make_button("Attach evidence…", "Attach an evidence file to the selected competency")
        self.open_evidence_button = make_button("Open", "Open the selected evidence file")
        self.remove_evidence_button = make_button("Remove", "Remove the selected evidence file")
        self.sign_button.clicked.connect(self.sign_off)
        self.attach_button.clicked.connect(self.attach_evidence)
        self.open_evidence_button.clicked.connect(self.open_evidence)
        self.remove_evidence_button.clicked.connect(self.remove_evidence)
        self.evidence_list.itemDoubleClicked.connect(lambda _i: self.open_evidence())
        self.competency_table.selectionModel().selectionChanged.connect(self._competency_selected)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.competency_detail, 1)
        files_label = QLabel("Evidence &files")
        files_label.setBuddy(self.evidence_list)
        right_layout.addWidget(files_label)
        right_layout.addWidget(self.evidence_list)
        files_buttons = QHBoxLayout()
        files_buttons.addWidget(self.open_evidence_button)
        files_buttons.addWidget(self.remove_evidence_button)
        files_buttons.addStretch(1)
        right_layout.addLayout(files_buttons)
        split = QSplitter()
        split.addWidget(self.competency_table)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([700, 420])
        return self._tab(split, [self.sign_button, self.attach_button],
                         "Only the named assessor signs competencies off. Evidence can be added by the learner, "
                         "their preceptor, assessor or line manager: PDF, images, Word or OpenDocument files.")

    def _time_tab(self) -> QWidget:
        self.times = RowsModel(TIME_COLUMNS, self)
        self.time_table = record_table(self.times, "Protected time logged")
        self.time_summary = QLabel()
        self.time_summary.setWordWrap(True)
        self.time_summary.setAccessibleName("Protected time against what is expected")
        self.log_button = make_button("Log time…", "Log protected learning time")
        self.remove_time_button = make_button("Remove entry", "Remove the selected time entry")
        self.log_button.clicked.connect(self.log_time)
        self.remove_time_button.clicked.connect(self.remove_time)
        self.time_table.selectionModel().selectionChanged.connect(self._update_buttons)
        tab = self._tab(self.time_table, [self.log_button, self.remove_time_button], "")
        tab.layout().insertWidget(0, self.time_summary)
        return tab

    def _pauses_tab(self) -> QWidget:
        self.pauses = RowsModel(PAUSE_COLUMNS, self)
        self.pause_table = record_table(self.pauses, "Pauses and extensions")
        self.pause_button = make_button("Pause…", "Pause the programme", "Stop the programme clock, for example for "
                                    "sickness or parental leave; later dates move by the days paused")
        self.end_pause_button = make_button("End pause…", "Record the last day of the pause still going on")
        self.extend_button = make_button("Extend…", "Give more time to finish", "More time agreed at the end; "
                                     "reviews already planned keep their dates")
        self.pause_button.clicked.connect(self.pause)
        self.end_pause_button.clicked.connect(self.end_pause)
        self.extend_button.clicked.connect(self.extend)
        return self._tab(self.pause_table, [self.pause_button, self.end_pause_button, self.extend_button],
                         "A pause stops the clock: every date still to come moves later by its length. An extension "
                         "moves only the end.")

    def _about_tab(self) -> QWidget:
        self.about = QTextBrowser()
        self.about.setAccessibleName("About this programme")
        self.about.setOpenLinks(False)
        return self._tab(self.about, [], "")

    @staticmethod
    def _tab(main: QWidget, buttons: list[QPushButton], intro: str) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        if intro:
            label = QLabel(intro)
            label.setWordWrap(True)
            layout.addWidget(label)
        layout.addWidget(main, 1)
        if buttons:
            row = QHBoxLayout()
            for button in buttons:
                row.addWidget(button)
            row.addStretch(1)
            layout.addLayout(row)
        return tab

    # --- data -----------------------------------------------------------------------------
    def reload(self, view=None) -> bool:
        if view is None:
            found = Operation(self, lambda ws: ws.programmes.enrolment(self._actor, enrolment_id=self._enrolment_id))
            if not found.run():
                return False
            view = found.result
        selections = {table: self._selected_id(table) for table in (self.milestone_table, self.competency_table,
                                                                    self.time_table)}
        self.view = v = view
        self.setWindowTitle(f"Programme: {v.display_name}")  # window managers may not draw isolates
        self.heading.setText(f"{isolate(v.display_name)} · {v.title}")
        ends = f"expected end {uk(v.expected_end)}"
        if v.expected_end != v.planned_end:
            ends += f" (planned {uk(v.planned_end)})"
        if v.status is EnrolmentStatus.COMPLETED:
            ends = f"completed {uk(v.completed_on)}, signed off by {v.completion_signed_by}"
        elif v.status is EnrolmentStatus.WITHDRAWN:
            ends = f"withdrawn {uk(v.withdrawn_on)}: {v.withdrawn_reason}"
        parts = [v.role_title, v.practices, f"{v.programme_code} version {v.programme_version}",
                 f"started {uk(v.start_date)}", ends]
        people = [f"Preceptor or mentor: {isolate(v.preceptor)}" + (f" ({v.preceptor_detail})" if v.preceptor_detail else ""),
                  f"Assessor: {isolate(v.assessor)}" + (f" ({v.assessor_detail})" if v.assessor_detail else "")]
        self.subheading.setText(" · ".join(p for p in parts if p) + "\n" + " · ".join(people))
        self.status_icon.setPixmap(enrolment_icon(v.status).pixmap(20, 20))
        self.status_text.setText(v.status.label)
        self.progress.setValue(round(v.progress))
        self.progress.setAccessibleDescription(f"{v.progress:.0f}% progress. {PROGRESS_TIP}")
        self.elapsed.setValue(round(v.time_elapsed))
        shortfall = f", {hours(v.protected_shortfall)} h short" if v.protected_shortfall else ""
        self.figures.setText(
            f"Milestones held: {v.milestones_held} of {v.milestones_total}"
            + (f" ({v.milestones_overdue} overdue)" if v.milestones_overdue else "")
            + f"  ·  Competencies signed off: {v.competencies_signed} of {v.competencies_total}"
            + f"  ·  Protected time: {hours(v.protected_logged)} of {hours(v.protected_expected)} h expected by now"
            + shortfall)
        if v.behind:
            self.reasons.setText("<b>Behind:</b> " + "; ".join(_escape(r) for r in v.behind) + ".")
        elif v.status is EnrolmentStatus.PAUSED and v.current_pause is not None:
            p = v.current_pause
            self.reasons.setText(f"Paused since {uk(p.start_date)} ({_escape(p.reason)}); nothing falls due while "
                                 "the clock is stopped.")
        else:
            self.reasons.setText("")
        self.reasons.setVisible(bool(self.reasons.text()))
        self.note.setText(v.assessor_note)
        self.note.setVisible(bool(v.assessor_note))
        self.timeline.set_view(v)
        self.milestones.set_rows(v.milestones)
        self.competencies.set_rows(v.competencies)
        self.times.set_rows(v.time_entries)
        self.pauses.set_rows(list(v.pauses) + list(v.extensions))
        self.time_summary.setText(
            f"<b>{hours(v.protected_logged)} h logged</b> against {hours(v.protected_expected)} h expected by now "
            f"({hours(v.protected_hours_per_week)} h a week, counted in whole weeks, paused weeks left out)."
            + (f" <b>{hours(v.protected_shortfall)} h short.</b>" if v.protected_shortfall else ""))
        self.about.setHtml(self._about_html(v))
        for table in (self.milestone_table, self.competency_table, self.time_table, self.pause_table):
            table.resizeColumnsToContents()
            for column in range(table.model().columnCount()):
                table.setColumnWidth(column, min(table.columnWidth(column) + 14, 440))
        for table, wanted in selections.items():
            self._select(table, wanted)
        if not self.competency_table.currentIndex().isValid() and v.competencies:
            self.competency_table.selectRow(next((i for i, c in enumerate(v.competencies) if not c.signed), 0))
        if not self.milestone_table.currentIndex().isValid() and v.milestones:
            self.milestone_table.selectRow(next((i for i, m in enumerate(v.milestones) if m.held_on is None), 0))
        self._competency_selected()
        self._update_buttons()
        return True

    def _about_html(self, v) -> str:
        rows = [("Programme", f"{v.title} ({v.programme_code}, version {v.programme_version})"),
                ("Length", f"{v.length_weeks} weeks"),
                ("Protected time", f"{hours(v.protected_hours_per_week)} hours a week"),
                ("Started", uk(v.start_date)), ("Planned end", uk(v.planned_end)),
                ("Expected end now", uk(v.expected_end))]
        if v.completion_comment:
            rows.append(("Completion comment", v.completion_comment))
        if v.notes:
            rows.append(("Notes", v.notes))
        table = "".join(f"<tr><th align='left' valign='top'>{_escape(k)}</th><td>{_escape(val)}</td></tr>"
                        for k, val in rows)
        return (f"<p>{_escape(v.description)}</p><table cellspacing='4'>{table}</table>"
                f"<p><b>How progress is worked out.</b> {_escape(_definition())}</p>")

    def _update_buttons(self, *_args) -> None:
        v = self.view
        if v is None:
            return
        m = self._current(self.milestone_table)
        c = self._current(self.competency_table)
        can = v.can
        own = self._actor.staff_id == v.staff_id
        ended = (not v.active, f"This programme is {v.status.label.lower()}, so its record is kept as it is.")
        manage = why_not(Action.MANAGE_PROGRAMME)
        contribute = ("Only the person, their preceptor or assessor, and their line manager add to the programme "
                      "record.")
        assess = v.assessor_note or why_not(Action.ASSESS_PROGRAMME, on_self=own)
        pick_milestone = (m is None, "Select a milestone first.")
        pick_competency = (c is None, "Select a competency first.")
        record = ("Milestones are recorded by the preceptor, the assessor or the line manager." if own else
                  "Only the preceptor, the assessor or the line manager records milestones.")
        set_enabled_with_reason(self.hold_button, can.record_milestones and m is not None,
                                first_reason(ended, pick_milestone, otherwise=record))
        self.hold_button.setText("Correct…" if m is not None and m.held_on else "Record as held…")
        set_enabled_with_reason(self.unhold_button, can.record_milestones and m is not None and m.held_on is not None,
                                first_reason(ended, pick_milestone, (m is not None and m.held_on is None,
                                                                     "This milestone is not recorded as held."),
                                             otherwise=record))
        signed = (c is not None and c.signed, "This competency is already signed off, with its evidence.")
        set_enabled_with_reason(self.sign_button, can.assess and c is not None and not c.signed,
                                first_reason(ended, pick_competency, signed, otherwise=assess))
        set_enabled_with_reason(self.attach_button, can.contribute and c is not None and not c.signed,
                                first_reason(ended, pick_competency, signed, otherwise=contribute))
        set_enabled_with_reason(self.log_button, can.contribute, first_reason(ended, otherwise=contribute))
        time_entry = self._current(self.time_table)
        set_enabled_with_reason(self.remove_time_button, can.contribute and time_entry is not None, first_reason(
            ended, (time_entry is None, "Select a time entry first." if v.time_entries else "No time is logged yet."),
            otherwise=contribute))
        pause = v.current_pause or next((p for p in v.pauses if p.ongoing), None)
        set_enabled_with_reason(self.pause_button, can.manage and pause is None, first_reason(
            ended, (pause is not None, "The programme is paused already; record the end of that pause first."),
            otherwise=manage))
        set_enabled_with_reason(self.end_pause_button, can.manage and pause is not None and pause.ongoing,
                                first_reason(ended, (pause is None or not pause.ongoing, "The programme is not paused."),
                                             otherwise=manage))
        for button in (self.extend_button, self.edit_button, self.withdraw_button):
            set_enabled_with_reason(button, can.manage, first_reason(ended, otherwise=manage))
        set_enabled_with_reason(self.complete_button, can.assess, first_reason(ended, otherwise=assess),
                                tip="Sign off completion once every competency is signed off")
        self.complete_button.setVisible(v.active)
        self.certificate_button.setVisible(v.status is EnrolmentStatus.COMPLETED)
        evidence = self.evidence_list.currentItem()
        pick_evidence = (evidence is None, "Select an evidence file first." if self.evidence_list.count()
                         else "No evidence is attached to this competency.")
        set_enabled_with_reason(self.open_evidence_button, evidence is not None,
                                first_reason(pick_competency, otherwise=pick_evidence[1]))
        set_enabled_with_reason(self.remove_evidence_button, evidence is not None and can.contribute and c is not None
                                and not c.signed, first_reason(ended, pick_competency, pick_evidence, signed,
                                                               otherwise=contribute))

    def _competency_selected(self, *_args) -> None:
        c = self._current(self.competency_table)
        self.evidence_list.clear()
        if c is None:
            self.competency_detail.setHtml("")
            self._update_buttons()
            return
        signed = (f"<p><b>Signed off</b> by {_escape(c.signed_by)} on {uk(c.signed_on)}"
                  + (f", recorded by {_escape(c.recorded_by)}" if c.recorded_by else "") + "."
                  + (f"<br>{_escape(c.comment)}" if c.comment else "") + "</p>") if c.signed else \
            "<p><b>Not signed off yet.</b></p>"
        self.competency_detail.setHtml(
            f"<h3>{_escape(c.title)}</h3><p><i>{_escape(c.domain_title)}</i></p><p>{_escape(c.description)}</p>"
            f"<p><b>Evidence expected:</b> {_escape(c.evidence_expected)}</p>{signed}")
        for e in c.evidence:
            item = QListWidgetItem(f"{e.original_name} · added by {e.added_by} on {uk(in_uk(e.added_at))}")
            item.setData(Qt.ItemDataRole.UserRole, e.id)
            self.evidence_list.addItem(item)
        if self.evidence_list.count():
            self.evidence_list.setCurrentRow(0)
        self._update_buttons()

    @staticmethod
    def _current(table: QTableView):
        index = table.currentIndex()
        return index.data(ROW_ROLE) if index.isValid() and table.selectionModel().isSelected(index) else None

    def _selected_id(self, table: QTableView):
        row = self._current(table)
        return row.id if row is not None else None

    @staticmethod
    def _select(table: QTableView, row_id) -> None:
        if row_id is None:
            return
        model = table.model()
        for r in range(model.rowCount()):
            if model.index(r, 0).data(ROW_ROLE).id == row_id:
                table.selectionModel().setCurrentIndex(
                    model.index(r, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows)
                return

    def select_milestone(self, key: str) -> None:
        for r in range(self.milestones.rowCount()):
            if self.milestones.rows()[r].key == key:
                self.milestone_table.selectRow(r)
                return

    def select_competency(self, index: int) -> None:
        self.competency_table.selectRow(index)

    def _done(self, view) -> None:
        self.changed = True
        self.reload(view)

    def _act(self, call, *args, **kwargs) -> None:
        """A change through the programme service (`call`), which returns the enrolment as it now
        is; shown either way."""
        Operation(self, lambda _workspace: call(*args, **kwargs)).changes(PROGRAMMES).success(self._done) \
            .failure(self._refused).run()

    def _refused(self, error: Exception) -> None:
        show_error(self, error)
        self.reload()  # as it is stored now

    def _dialog(self, title: str, intro: str, ok: str, submit) -> ItemActionDialog:
        holder: dict = {}

        def run(values):
            holder["view"] = submit(values)
            return holder["view"]

        dialog = ItemActionDialog(title, intro, ok, run, self, changes=(PROGRAMMES,))
        dialog.intro.setTextFormat(Qt.TextFormat.PlainText)  # titles and names are shown as typed
        dialog.result_holder = holder
        return dialog

    def _run_dialog(self, dialog: ItemActionDialog) -> bool:
        if dialog.exec():
            self._done(dialog.result_holder["view"])
            return True
        self.reload()
        return False

    # --- actions: milestones --------------------------------------------------------------
    def hold_milestone(self) -> None:
        m = self._current(self.milestone_table)
        if m is None or not self.view.can.record_milestones:
            return
        today = self._workspace.today()
        dialog = self._dialog(
            f"{m.title}", f"Record that '{m.title}' was held (due {uk(m.due)}). Notes are kept with the record.",
            "Record", lambda v: self._service.hold_milestone(self._actor, milestone_id=m.id, expected_version=m.version,
                                                           held_on=v["held_on"], notes=v["notes"]))
        dialog.add_date("held_on", "&Held on", m.held_on or (m.due if m.due <= today else today), maximum=today)
        dialog.add_text("notes", "&Notes", text=m.notes, placeholder="What was discussed and agreed")
        self._run_dialog(dialog)

    def unhold_milestone(self) -> None:
        m = self._current(self.milestone_table)
        if m is None or m.held_on is None:
            return
        if not confirmed(self, "Clear milestone", f"Clear '{m.title}', recorded as held on {uk(m.held_on)}? "
                         "Use this only for a mistake."):
            return
        self._act(self._service.unhold_milestone, self._actor, milestone_id=m.id, expected_version=m.version)

    # --- actions: competencies ------------------------------------------------------------
    def sign_off(self) -> None:
        c = self._current(self.competency_table)
        if c is None or c.signed or not self.view.can.assess:
            return
        today = self._workspace.today()
        external = self.view.assessor_is_external
        intro = (f"Record that {self.view.assessor} signed off '{c.title}' on paper, and the date they signed."
                 if external else f"Sign off '{c.title}' for {self.view.display_name}. Evidence expected: "
                 f"{c.evidence_expected}")
        dialog = self._dialog("Sign off competency", intro, "Sign off",
                              lambda v: self._service.sign_off_competency(
                                  self._actor, competency_id=c.id, expected_version=c.version,
                                  signed_on=v["signed_on"], comment=v["comment"]))
        dialog.add_date("signed_on", "Signed &on", today, maximum=today)
        dialog.add_text("comment", "&Comment", placeholder="Optional: what you saw")
        self._run_dialog(dialog)

    def attach_evidence(self) -> None:
        c = self._current(self.competency_table)
        if c is None or not self.view.can.contribute:
            return
        from arrs_desk.services.evidence import FILE_DIALOG_FILTER

        path, _ = QFileDialog.getOpenFileName(self, f"Evidence for '{c.title}'", "", FILE_DIALOG_FILTER)
        if path:
            self._act(self._service.attach_evidence, self._actor, competency_id=c.id, path=path)

    def _chosen_evidence(self) -> int | None:
        item = self.evidence_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def open_evidence(self) -> None:
        evidence_id = self._chosen_evidence()
        if evidence_id is None:
            return
        Operation(self, lambda ws: ws.programmes.evidence_file(self._actor, evidence_id=evidence_id)) \
            .success(lambda path: open_file(self, path)).run()

    def remove_evidence(self) -> None:
        evidence_id = self._chosen_evidence()
        if evidence_id is not None:
            self._act(self._service.remove_evidence, self._actor, evidence_id=evidence_id)

    # --- actions: time --------------------------------------------------------------------
    def log_time(self) -> None:
        if not self.view.can.contribute:
            return
        today = self._workspace.today()
        dialog = self._dialog(
            "Log protected time", f"Protected learning time for {self.view.display_name}: "
            f"{hours(self.view.protected_hours_per_week)} hours a week are expected.", "Log",
            lambda v: self._service.log_time(self._actor, enrolment_id=self.view.id, taken_on=v["taken_on"],
                                             hours=v["hours"], activity=v["activity"]))
        dialog.add_date("taken_on", "&Date", today, maximum=today)
        dialog.add_line("hours", "&Hours", text=hours(min(7.5, self.view.protected_hours_per_week or 7.5)),
                        placeholder="for example 7.5 for a day")
        dialog.add_line("activity", "&Activity", placeholder="for example Taught day with the GP educator")
        self._run_dialog(dialog)

    def remove_time(self) -> None:
        t = self._current(self.time_table)
        if t is None:
            return
        if not confirmed(self, "Remove entry", f"Remove {hours(t.hours)} h logged on {uk(t.taken_on)} ({t.activity})?"):
            return
        self._act(self._service.remove_time, self._actor, entry_id=t.id)

    # --- actions: pauses, extensions, the enrolment ---------------------------------------
    def pause(self) -> None:
        v = self.view
        today = self._workspace.today()
        dialog = self._dialog(
            "Pause the programme", "The programme clock stops from the first day to the last day of the pause; every "
            "date still to come moves later by that many days. Leave 'Last day known' unticked while the return date "
            "is not known.", "Pause",
            lambda values: self._service.pause(
                self._actor, enrolment_id=v.id, expected_version=v.version, start=values["start"],
                end=values["end"] if self._end_known.isChecked() else None, reason=values["reason"]))
        dialog.add_date("start", "&First day", today)
        from PySide6.QtWidgets import QCheckBox

        self._end_known = QCheckBox("Last day known")
        self._end_known.setAccessibleName("Last day of the pause is known")
        self._end_known.setChecked(True)
        dialog.form.addRow("", self._end_known)
        end = dialog.add_date("end", "&Last day", today)
        self._end_known.toggled.connect(end.setEnabled)
        dialog.add_line("reason", "&Reason", placeholder="for example Sickness absence, Parental leave")
        self._run_dialog(dialog)

    def end_pause(self) -> None:
        v = self.view
        pause = next((p for p in v.pauses if p.ongoing), None)
        if pause is None:
            return
        today = self._workspace.today()
        dialog = self._dialog(
            "End the pause", f"The pause from {uk(pause.start_date)} ({pause.reason}): enter its last day. "
            "Later dates move by the days it lasted.", "Save",
            lambda values: self._service.end_pause(self._actor, pause_id=pause.id, expected_version=pause.version,
                                                   end=values["end"]))
        dialog.add_date("end", "&Last day", max(today, pause.start_date))
        self._run_dialog(dialog)

    def extend(self) -> None:
        v = self.view
        dialog = self._dialog(
            "Extend the programme", f"More time to finish, agreed with the educational lead. The expected end "
            f"({uk(v.expected_end)}) moves; reviews already planned keep their dates.", "Extend",
            lambda values: self._service.extend(self._actor, enrolment_id=v.id, expected_version=v.version,
                                                weeks=values["weeks"], days=values["days"], reason=values["reason"]))
        dialog.add_line("weeks", "&Weeks", text="4")
        dialog.add_line("days", "&Days", text="0")
        dialog.add_line("reason", "&Reason", placeholder="for example Missed taught days during sickness")
        self._run_dialog(dialog)

    def edit(self) -> None:
        from arrs_desk.ui.programmes.programme_enrolment import EnrolmentDialog

        choices = Operation(self, lambda ws: ws.programmes.enrolment_choices(self._actor))
        if not choices.run():
            return
        dialog = EnrolmentDialog(self._workspace, self._actor, choices.result, enrolment=self.view, parent=self)
        if dialog.exec() and dialog.saved is not None:
            self._done(dialog.saved)
        else:
            self.reload()

    def withdraw(self) -> None:
        v = self.view
        today = self._workspace.today()
        dialog = self._dialog(
            "Withdraw from the programme", f"Take {v.display_name} off '{v.title}'. The record is kept as it stands; "
            "they can be enrolled again later.", "Withdraw",
            lambda values: self._service.withdraw(self._actor, enrolment_id=v.id, expected_version=v.version,
                                                  on=values["on"], reason=values["reason"]))
        dialog.add_date("on", "&Date", today, maximum=today)
        dialog.add_line("reason", "&Reason", placeholder="for example Left the PCN")
        self._run_dialog(dialog)

    def complete(self) -> None:
        v = self.view
        if not v.can.assess:
            return
        today = self._workspace.today()
        outstanding = v.competencies_total - v.competencies_signed
        intro = (f"Sign off that {v.display_name} has completed '{v.title}'. A certificate can then be printed."
                 if not v.assessor_is_external else
                 f"Record that {v.assessor} signed off completion of '{v.title}', and the date they signed.")
        if outstanding:
            intro += f"\n\n{plural(outstanding, 'competency')} {plural_word(outstanding, 'is')} not signed off yet."
        dialog = self._dialog("Sign off completion", intro, "Sign off completion",
                              lambda values: self._service.complete(
                                  self._actor, enrolment_id=v.id, expected_version=v.version,
                                  completed_on=values["completed_on"], comment=values["comment"]))
        dialog.add_date("completed_on", "Completed &on", today, maximum=today)
        dialog.add_text("comment", "&Comment", placeholder="Optional")
        if self._run_dialog(dialog) and confirmed(
                self, "Certificate", "Completion is signed off. Save the certificate as PDF now?"):
            self.save_certificate()

    def save_certificate(self, path: str | None = None) -> str | None:
        """Ask where (unless given), then save the certificate in the background; returns the path."""
        found = Operation(self, lambda ws: ws.programmes.certificate(self._actor, enrolment_id=self._enrolment_id))
        if not found.run():
            return None
        certificate = found.result
        if path is None:
            safe = "".join(ch if ch.isalnum() else "-" for ch in certificate.person_name).strip("-") or "certificate"
            path, _ = QFileDialog.getSaveFileName(
                self, "Save the certificate", f"certificate-{certificate.programme_code}-{safe}.pdf",
                "PDF documents (*.pdf)")
            if not path:
                return None
        actor, enrolment_id = self._actor, self._enrolment_id
        Operation(self, lambda ws: ws.exports.certificate_pdf(actor, path=path, enrolment_id=enrolment_id)) \
            .progress_dialog("Saving the certificate…") \
            .success(lambda _saved: show_status(self, f"Saved the certificate to {Path(path).name}", 6000)) \
            .run_in_background()
        return path

    # --- help -----------------------------------------------------------------------------
    def explain_progress(self) -> None:
        QMessageBox.information(self, "How progress is worked out", _definition())


def _definition() -> str:
    from arrs_desk.services.programmes import PROGRESS_DEFINITION

    return PROGRESS_DEFINITION


def _escape(value: str) -> str:
    from html import escape

    return escape(value or "").replace("\n", "<br>")
