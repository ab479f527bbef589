# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'review_editor.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractButton, QApplication, QCheckBox, QComboBox,
    QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout,
    QHeaderView, QLabel, QPlainTextEdit, QPushButton,
    QSizePolicy, QSpacerItem, QTabWidget, QTableView,
    QTextBrowser, QVBoxLayout, QWidget)

from arrs_desk.ui.common.date_edit import DateEdit

class Ui_ReviewEditorDialog(object):
    def setupUi(self, ReviewEditorDialog):
        if not ReviewEditorDialog.objectName():
            ReviewEditorDialog.setObjectName(u"ReviewEditorDialog")
        ReviewEditorDialog.resize(920, 680)
        self.outer = QVBoxLayout(ReviewEditorDialog)
        self.outer.setObjectName(u"outer")
        self.heading = QLabel(ReviewEditorDialog)
        self.heading.setObjectName(u"heading")
        self.heading.setWordWrap(True)

        self.outer.addWidget(self.heading)

        self.summary_error = QLabel(ReviewEditorDialog)
        self.summary_error.setObjectName(u"summary_error")
        self.summary_error.setWordWrap(True)

        self.outer.addWidget(self.summary_error)

        self.tabs = QTabWidget(ReviewEditorDialog)
        self.tabs.setObjectName(u"tabs")
        self.review_tab = QWidget()
        self.review_tab.setObjectName(u"review_tab")
        self.review_form = QFormLayout(self.review_tab)
        self.review_form.setObjectName(u"review_form")
        self.review_form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.kind_label = QLabel(self.review_tab)
        self.kind_label.setObjectName(u"kind_label")

        self.review_form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.kind_label)

        self.kind = QComboBox(self.review_tab)
        self.kind.setObjectName(u"kind")

        self.review_form.setWidget(0, QFormLayout.ItemRole.FieldRole, self.kind)

        self.probation_month_label = QLabel(self.review_tab)
        self.probation_month_label.setObjectName(u"probation_month_label")

        self.review_form.setWidget(1, QFormLayout.ItemRole.LabelRole, self.probation_month_label)

        self.probation_month = QComboBox(self.review_tab)
        self.probation_month.setObjectName(u"probation_month")

        self.review_form.setWidget(1, QFormLayout.ItemRole.FieldRole, self.probation_month)

        self.period_label = QLabel(self.review_tab)
        self.period_label.setObjectName(u"period_label")

        self.review_form.setWidget(2, QFormLayout.ItemRole.LabelRole, self.period_label)

        self.period_row = QHBoxLayout()
        self.period_row.setObjectName(u"period_row")
        self.period_start = DateEdit(self.review_tab)
        self.period_start.setObjectName(u"period_start")
        self.period_start.setCalendarPopup(True)

        self.period_row.addWidget(self.period_start)

        self.period_to_label = QLabel(self.review_tab)
        self.period_to_label.setObjectName(u"period_to_label")

        self.period_row.addWidget(self.period_to_label)

        self.period_end = DateEdit(self.review_tab)
        self.period_end.setObjectName(u"period_end")
        self.period_end.setCalendarPopup(True)

        self.period_row.addWidget(self.period_end)

        self.period_spacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.period_row.addItem(self.period_spacer)


        self.review_form.setLayout(2, QFormLayout.ItemRole.FieldRole, self.period_row)

        self.meeting_label = QLabel(self.review_tab)
        self.meeting_label.setObjectName(u"meeting_label")

        self.review_form.setWidget(3, QFormLayout.ItemRole.LabelRole, self.meeting_label)

        self.meeting_row = QHBoxLayout()
        self.meeting_row.setObjectName(u"meeting_row")
        self.meeting_set = QCheckBox(self.review_tab)
        self.meeting_set.setObjectName(u"meeting_set")

        self.meeting_row.addWidget(self.meeting_set)

        self.meeting_date = DateEdit(self.review_tab)
        self.meeting_date.setObjectName(u"meeting_date")
        self.meeting_date.setCalendarPopup(True)

        self.meeting_row.addWidget(self.meeting_date)

        self.meeting_spacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.meeting_row.addItem(self.meeting_spacer)


        self.review_form.setLayout(3, QFormLayout.ItemRole.FieldRole, self.meeting_row)

        self.appraiser_label = QLabel(self.review_tab)
        self.appraiser_label.setObjectName(u"appraiser_label")

        self.review_form.setWidget(4, QFormLayout.ItemRole.LabelRole, self.appraiser_label)

        self.appraiser = QComboBox(self.review_tab)
        self.appraiser.setObjectName(u"appraiser")
        self.appraiser.setEditable(True)

        self.review_form.setWidget(4, QFormLayout.ItemRole.FieldRole, self.appraiser)

        self.appraiser_summary_label = QLabel(self.review_tab)
        self.appraiser_summary_label.setObjectName(u"appraiser_summary_label")

        self.review_form.setWidget(5, QFormLayout.ItemRole.LabelRole, self.appraiser_summary_label)

        self.appraiser_summary = QPlainTextEdit(self.review_tab)
        self.appraiser_summary.setObjectName(u"appraiser_summary")
        self.appraiser_summary.setTabChangesFocus(True)

        self.review_form.setWidget(5, QFormLayout.ItemRole.FieldRole, self.appraiser_summary)

        self.outcome_label = QLabel(self.review_tab)
        self.outcome_label.setObjectName(u"outcome_label")

        self.review_form.setWidget(6, QFormLayout.ItemRole.LabelRole, self.outcome_label)

        self.outcome = QComboBox(self.review_tab)
        self.outcome.setObjectName(u"outcome")

        self.review_form.setWidget(6, QFormLayout.ItemRole.FieldRole, self.outcome)

        self.outcome_note_label = QLabel(self.review_tab)
        self.outcome_note_label.setObjectName(u"outcome_note_label")

        self.review_form.setWidget(7, QFormLayout.ItemRole.LabelRole, self.outcome_note_label)

        self.outcome_note = QPlainTextEdit(self.review_tab)
        self.outcome_note.setObjectName(u"outcome_note")
        self.outcome_note.setTabChangesFocus(True)

        self.review_form.setWidget(7, QFormLayout.ItemRole.FieldRole, self.outcome_note)

        self.carry_label = QLabel(self.review_tab)
        self.carry_label.setObjectName(u"carry_label")

        self.review_form.setWidget(8, QFormLayout.ItemRole.LabelRole, self.carry_label)

        self.carry_forward = QCheckBox(self.review_tab)
        self.carry_forward.setObjectName(u"carry_forward")

        self.review_form.setWidget(8, QFormLayout.ItemRole.FieldRole, self.carry_forward)

        self.tabs.addTab(self.review_tab, "")
        self.objectives_tab = QWidget()
        self.objectives_tab.setObjectName(u"objectives_tab")
        self.objectives_form = QFormLayout(self.objectives_tab)
        self.objectives_form.setObjectName(u"objectives_form")
        self.objectives_form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.objectives_label = QLabel(self.objectives_tab)
        self.objectives_label.setObjectName(u"objectives_label")

        self.objectives_form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.objectives_label)

        self.objectives_box = QVBoxLayout()
        self.objectives_box.setObjectName(u"objectives_box")
        self.objectives_hint = QLabel(self.objectives_tab)
        self.objectives_hint.setObjectName(u"objectives_hint")
        self.objectives_hint.setWordWrap(True)

        self.objectives_box.addWidget(self.objectives_hint)

        self.objectives = QTableView(self.objectives_tab)
        self.objectives.setObjectName(u"objectives")

        self.objectives_box.addWidget(self.objectives)

        self.objectives_buttons = QHBoxLayout()
        self.objectives_buttons.setObjectName(u"objectives_buttons")
        self.add_objective = QPushButton(self.objectives_tab)
        self.add_objective.setObjectName(u"add_objective")

        self.objectives_buttons.addWidget(self.add_objective)

        self.edit_objective = QPushButton(self.objectives_tab)
        self.edit_objective.setObjectName(u"edit_objective")

        self.objectives_buttons.addWidget(self.edit_objective)

        self.remove_objective = QPushButton(self.objectives_tab)
        self.remove_objective.setObjectName(u"remove_objective")

        self.objectives_buttons.addWidget(self.remove_objective)

        self.objective_up = QPushButton(self.objectives_tab)
        self.objective_up.setObjectName(u"objective_up")

        self.objectives_buttons.addWidget(self.objective_up)

        self.objective_down = QPushButton(self.objectives_tab)
        self.objective_down.setObjectName(u"objective_down")

        self.objectives_buttons.addWidget(self.objective_down)

        self.objectives_spacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.objectives_buttons.addItem(self.objectives_spacer)


        self.objectives_box.addLayout(self.objectives_buttons)


        self.objectives_form.setLayout(0, QFormLayout.ItemRole.FieldRole, self.objectives_box)

        self.tabs.addTab(self.objectives_tab, "")
        self.pdp_tab = QWidget()
        self.pdp_tab.setObjectName(u"pdp_tab")
        self.pdp_form = QFormLayout(self.pdp_tab)
        self.pdp_form.setObjectName(u"pdp_form")
        self.pdp_form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.pdp_label = QLabel(self.pdp_tab)
        self.pdp_label.setObjectName(u"pdp_label")

        self.pdp_form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.pdp_label)

        self.pdp_box = QVBoxLayout()
        self.pdp_box.setObjectName(u"pdp_box")
        self.pdp_hint = QLabel(self.pdp_tab)
        self.pdp_hint.setObjectName(u"pdp_hint")
        self.pdp_hint.setWordWrap(True)

        self.pdp_box.addWidget(self.pdp_hint)

        self.pdp = QTableView(self.pdp_tab)
        self.pdp.setObjectName(u"pdp")

        self.pdp_box.addWidget(self.pdp)

        self.pdp_buttons = QHBoxLayout()
        self.pdp_buttons.setObjectName(u"pdp_buttons")
        self.add_pdp = QPushButton(self.pdp_tab)
        self.add_pdp.setObjectName(u"add_pdp")

        self.pdp_buttons.addWidget(self.add_pdp)

        self.edit_pdp = QPushButton(self.pdp_tab)
        self.edit_pdp.setObjectName(u"edit_pdp")

        self.pdp_buttons.addWidget(self.edit_pdp)

        self.remove_pdp = QPushButton(self.pdp_tab)
        self.remove_pdp.setObjectName(u"remove_pdp")

        self.pdp_buttons.addWidget(self.remove_pdp)

        self.pdp_spacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.pdp_buttons.addItem(self.pdp_spacer)


        self.pdp_box.addLayout(self.pdp_buttons)


        self.pdp_form.setLayout(0, QFormLayout.ItemRole.FieldRole, self.pdp_box)

        self.tabs.addTab(self.pdp_tab, "")
        self.self_tab = QWidget()
        self.self_tab.setObjectName(u"self_tab")
        self.self_layout = QVBoxLayout(self.self_tab)
        self.self_layout.setObjectName(u"self_layout")
        self.self_hint = QLabel(self.self_tab)
        self.self_hint.setObjectName(u"self_hint")
        self.self_hint.setWordWrap(True)

        self.self_layout.addWidget(self.self_hint)

        self.self_assessment = QTextBrowser(self.self_tab)
        self.self_assessment.setObjectName(u"self_assessment")

        self.self_layout.addWidget(self.self_assessment)

        self.tabs.addTab(self.self_tab, "")

        self.outer.addWidget(self.tabs)

        self.buttons = QDialogButtonBox(ReviewEditorDialog)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.Cancel|QDialogButtonBox.Save)

        self.outer.addWidget(self.buttons)

#if QT_CONFIG(shortcut)
        self.kind_label.setBuddy(self.kind)
        self.probation_month_label.setBuddy(self.probation_month)
        self.period_label.setBuddy(self.period_start)
        self.meeting_label.setBuddy(self.meeting_set)
        self.appraiser_label.setBuddy(self.appraiser)
        self.appraiser_summary_label.setBuddy(self.appraiser_summary)
        self.outcome_label.setBuddy(self.outcome)
        self.outcome_note_label.setBuddy(self.outcome_note)
        self.objectives_label.setBuddy(self.objectives)
        self.pdp_label.setBuddy(self.pdp)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(ReviewEditorDialog)

        QMetaObject.connectSlotsByName(ReviewEditorDialog)
    # setupUi

    def retranslateUi(self, ReviewEditorDialog):
        ReviewEditorDialog.setWindowTitle(QCoreApplication.translate("ReviewEditorDialog", u"Review", None))
        self.heading.setText(QCoreApplication.translate("ReviewEditorDialog", u"Review", None))
#if QT_CONFIG(accessibility)
        self.heading.setAccessibleName(QCoreApplication.translate("ReviewEditorDialog", u"Dialog heading", None))
#endif // QT_CONFIG(accessibility)
        self.summary_error.setText("")
#if QT_CONFIG(accessibility)
        self.summary_error.setAccessibleName(QCoreApplication.translate("ReviewEditorDialog", u"Problems to fix", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.tabs.setAccessibleName(QCoreApplication.translate("ReviewEditorDialog", u"Parts of the review", None))
#endif // QT_CONFIG(accessibility)
        self.kind_label.setText(QCoreApplication.translate("ReviewEditorDialog", u"&Kind of review", None))
#if QT_CONFIG(accessibility)
        self.kind.setAccessibleName(QCoreApplication.translate("ReviewEditorDialog", u"Kind of review", None))
#endif // QT_CONFIG(accessibility)
        self.probation_month_label.setText(QCoreApplication.translate("ReviewEditorDialog", u"Probation &stage", None))
#if QT_CONFIG(accessibility)
        self.probation_month.setAccessibleName(QCoreApplication.translate("ReviewEditorDialog", u"Probation stage", None))
#endif // QT_CONFIG(accessibility)
        self.period_label.setText(QCoreApplication.translate("ReviewEditorDialog", u"&Period covered", None))
        self.period_start.setDisplayFormat(QCoreApplication.translate("ReviewEditorDialog", u"dd/MM/yyyy", None))
#if QT_CONFIG(accessibility)
        self.period_start.setAccessibleName(QCoreApplication.translate("ReviewEditorDialog", u"Period covered from", None))
#endif // QT_CONFIG(accessibility)
        self.period_to_label.setText(QCoreApplication.translate("ReviewEditorDialog", u"to", None))
        self.period_end.setDisplayFormat(QCoreApplication.translate("ReviewEditorDialog", u"dd/MM/yyyy", None))
#if QT_CONFIG(accessibility)
        self.period_end.setAccessibleName(QCoreApplication.translate("ReviewEditorDialog", u"Period covered to", None))
#endif // QT_CONFIG(accessibility)
        self.meeting_label.setText(QCoreApplication.translate("ReviewEditorDialog", u"&Meeting", None))
        self.meeting_set.setText(QCoreApplication.translate("ReviewEditorDialog", u"Booked or held on", None))
#if QT_CONFIG(accessibility)
        self.meeting_set.setAccessibleName(QCoreApplication.translate("ReviewEditorDialog", u"The meeting has a date", None))
#endif // QT_CONFIG(accessibility)
        self.meeting_date.setDisplayFormat(QCoreApplication.translate("ReviewEditorDialog", u"dd/MM/yyyy", None))
#if QT_CONFIG(accessibility)
        self.meeting_date.setAccessibleName(QCoreApplication.translate("ReviewEditorDialog", u"Meeting date", None))
#endif // QT_CONFIG(accessibility)
        self.appraiser_label.setText(QCoreApplication.translate("ReviewEditorDialog", u"&Appraiser", None))
#if QT_CONFIG(accessibility)
        self.appraiser.setAccessibleName(QCoreApplication.translate("ReviewEditorDialog", u"Appraiser", None))
#endif // QT_CONFIG(accessibility)
        self.appraiser_summary_label.setText(QCoreApplication.translate("ReviewEditorDialog", u"&Discussion and feedback", None))
#if QT_CONFIG(accessibility)
        self.appraiser_summary.setAccessibleName(QCoreApplication.translate("ReviewEditorDialog", u"Discussion and feedback", None))
#endif // QT_CONFIG(accessibility)
        self.appraiser_summary.setPlaceholderText(QCoreApplication.translate("ReviewEditorDialog", u"The appraiser's summary of the discussion: the year reviewed, feedback, wellbeing, career", None))
        self.outcome_label.setText(QCoreApplication.translate("ReviewEditorDialog", u"&Outcome", None))
#if QT_CONFIG(accessibility)
        self.outcome.setAccessibleName(QCoreApplication.translate("ReviewEditorDialog", u"Outcome", None))
#endif // QT_CONFIG(accessibility)
        self.outcome_note_label.setText(QCoreApplication.translate("ReviewEditorDialog", u"Outcome &note", None))
#if QT_CONFIG(accessibility)
        self.outcome_note.setAccessibleName(QCoreApplication.translate("ReviewEditorDialog", u"Outcome note", None))
#endif // QT_CONFIG(accessibility)
        self.outcome_note.setPlaceholderText(QCoreApplication.translate("ReviewEditorDialog", u"For follow-up: what is needed, by whom and by when", None))
        self.carry_label.setText("")
        self.carry_forward.setText(QCoreApplication.translate("ReviewEditorDialog", u"Carry forward the open objectives of the previous review", None))
#if QT_CONFIG(accessibility)
        self.carry_forward.setAccessibleName(QCoreApplication.translate("ReviewEditorDialog", u"Carry forward open objectives", None))
#endif // QT_CONFIG(accessibility)
        self.tabs.setTabText(self.tabs.indexOf(self.review_tab), QCoreApplication.translate("ReviewEditorDialog", u"Review", None))
        self.objectives_label.setText(QCoreApplication.translate("ReviewEditorDialog", u"O&bjectives", None))
        self.objectives_hint.setText("")
#if QT_CONFIG(accessibility)
        self.objectives_hint.setAccessibleName(QCoreApplication.translate("ReviewEditorDialog", u"O&bjectives help", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.objectives.setAccessibleName(QCoreApplication.translate("ReviewEditorDialog", u"Objectives", None))
#endif // QT_CONFIG(accessibility)
        self.add_objective.setText(QCoreApplication.translate("ReviewEditorDialog", u"&Add\u2026", None))
#if QT_CONFIG(accessibility)
        self.add_objective.setAccessibleName(QCoreApplication.translate("ReviewEditorDialog", u"Add an objective", None))
#endif // QT_CONFIG(accessibility)
        self.edit_objective.setText(QCoreApplication.translate("ReviewEditorDialog", u"&Edit\u2026", None))
#if QT_CONFIG(accessibility)
        self.edit_objective.setAccessibleName(QCoreApplication.translate("ReviewEditorDialog", u"Edit the selected objective", None))
#endif // QT_CONFIG(accessibility)
        self.remove_objective.setText(QCoreApplication.translate("ReviewEditorDialog", u"&Remove", None))
#if QT_CONFIG(accessibility)
        self.remove_objective.setAccessibleName(QCoreApplication.translate("ReviewEditorDialog", u"Remove the selected objective", None))
#endif // QT_CONFIG(accessibility)
        self.objective_up.setText(QCoreApplication.translate("ReviewEditorDialog", u"Move &up", None))
#if QT_CONFIG(accessibility)
        self.objective_up.setAccessibleName(QCoreApplication.translate("ReviewEditorDialog", u"Move the objective up", None))
#endif // QT_CONFIG(accessibility)
        self.objective_down.setText(QCoreApplication.translate("ReviewEditorDialog", u"Move do&wn", None))
#if QT_CONFIG(accessibility)
        self.objective_down.setAccessibleName(QCoreApplication.translate("ReviewEditorDialog", u"Move the objective down", None))
#endif // QT_CONFIG(accessibility)
        self.tabs.setTabText(self.tabs.indexOf(self.objectives_tab), QCoreApplication.translate("ReviewEditorDialog", u"Objectives", None))
        self.pdp_label.setText(QCoreApplication.translate("ReviewEditorDialog", u"Development &plan", None))
        self.pdp_hint.setText("")
#if QT_CONFIG(accessibility)
        self.pdp_hint.setAccessibleName(QCoreApplication.translate("ReviewEditorDialog", u"Development &plan help", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.pdp.setAccessibleName(QCoreApplication.translate("ReviewEditorDialog", u"Personal development plan", None))
#endif // QT_CONFIG(accessibility)
        self.add_pdp.setText(QCoreApplication.translate("ReviewEditorDialog", u"A&dd\u2026", None))
#if QT_CONFIG(accessibility)
        self.add_pdp.setAccessibleName(QCoreApplication.translate("ReviewEditorDialog", u"Add a development plan item", None))
#endif // QT_CONFIG(accessibility)
        self.edit_pdp.setText(QCoreApplication.translate("ReviewEditorDialog", u"Ed&it\u2026", None))
#if QT_CONFIG(accessibility)
        self.edit_pdp.setAccessibleName(QCoreApplication.translate("ReviewEditorDialog", u"Edit the selected development plan item", None))
#endif // QT_CONFIG(accessibility)
        self.remove_pdp.setText(QCoreApplication.translate("ReviewEditorDialog", u"Re&move", None))
#if QT_CONFIG(accessibility)
        self.remove_pdp.setAccessibleName(QCoreApplication.translate("ReviewEditorDialog", u"Remove the selected development plan item", None))
#endif // QT_CONFIG(accessibility)
        self.tabs.setTabText(self.tabs.indexOf(self.pdp_tab), QCoreApplication.translate("ReviewEditorDialog", u"Development plan", None))
        self.self_hint.setText("")
#if QT_CONFIG(accessibility)
        self.self_hint.setAccessibleName(QCoreApplication.translate("ReviewEditorDialog", u"Self-assessment help", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.self_assessment.setAccessibleName(QCoreApplication.translate("ReviewEditorDialog", u"The person's self-assessment and reflections", None))
#endif // QT_CONFIG(accessibility)
        self.tabs.setTabText(self.tabs.indexOf(self.self_tab), QCoreApplication.translate("ReviewEditorDialog", u"Self-assessment", None))
    # retranslateUi

