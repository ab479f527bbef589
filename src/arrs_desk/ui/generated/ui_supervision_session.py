# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'supervision_session.ui'
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
from PySide6.QtWidgets import (QAbstractButton, QApplication, QComboBox, QDialog,
    QDialogButtonBox, QFormLayout, QGroupBox, QHBoxLayout,
    QLabel, QLineEdit, QListWidget, QListWidgetItem,
    QPlainTextEdit, QSizePolicy, QSpacerItem, QSpinBox,
    QVBoxLayout, QWidget)

from arrs_desk.ui.common.date_edit import DateEdit

class Ui_SupervisionSessionDialog(object):
    def setupUi(self, SupervisionSessionDialog):
        if not SupervisionSessionDialog.objectName():
            SupervisionSessionDialog.setObjectName(u"SupervisionSessionDialog")
        SupervisionSessionDialog.resize(980, 620)
        self.outer = QVBoxLayout(SupervisionSessionDialog)
        self.outer.setObjectName(u"outer")
        self.heading = QLabel(SupervisionSessionDialog)
        self.heading.setObjectName(u"heading")
        self.heading.setWordWrap(True)

        self.outer.addWidget(self.heading)

        self.summary_error = QLabel(SupervisionSessionDialog)
        self.summary_error.setObjectName(u"summary_error")
        self.summary_error.setWordWrap(True)

        self.outer.addWidget(self.summary_error)

        self.columns = QHBoxLayout()
        self.columns.setObjectName(u"columns")
        self.session_group = QGroupBox(SupervisionSessionDialog)
        self.session_group.setObjectName(u"session_group")
        self.session_form = QFormLayout(self.session_group)
        self.session_form.setObjectName(u"session_form")
        self.session_form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.type_code_label = QLabel(self.session_group)
        self.type_code_label.setObjectName(u"type_code_label")

        self.session_form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.type_code_label)

        self.type_code = QComboBox(self.session_group)
        self.type_code.setObjectName(u"type_code")

        self.session_form.setWidget(0, QFormLayout.ItemRole.FieldRole, self.type_code)

        self.held_on_label = QLabel(self.session_group)
        self.held_on_label.setObjectName(u"held_on_label")

        self.session_form.setWidget(1, QFormLayout.ItemRole.LabelRole, self.held_on_label)

        self.held_on_row = QHBoxLayout()
        self.held_on_row.setObjectName(u"held_on_row")
        self.held_on = DateEdit(self.session_group)
        self.held_on.setObjectName(u"held_on")
        self.held_on.setCalendarPopup(True)

        self.held_on_row.addWidget(self.held_on)

        self.held_on_spacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.held_on_row.addItem(self.held_on_spacer)


        self.session_form.setLayout(1, QFormLayout.ItemRole.FieldRole, self.held_on_row)

        self.supervisor_label = QLabel(self.session_group)
        self.supervisor_label.setObjectName(u"supervisor_label")

        self.session_form.setWidget(2, QFormLayout.ItemRole.LabelRole, self.supervisor_label)

        self.supervisor = QComboBox(self.session_group)
        self.supervisor.setObjectName(u"supervisor")
        self.supervisor.setEditable(True)

        self.session_form.setWidget(2, QFormLayout.ItemRole.FieldRole, self.supervisor)

        self.format_label = QLabel(self.session_group)
        self.format_label.setObjectName(u"format_label")

        self.session_form.setWidget(3, QFormLayout.ItemRole.LabelRole, self.format_label)

        self.format = QComboBox(self.session_group)
        self.format.setObjectName(u"format")

        self.session_form.setWidget(3, QFormLayout.ItemRole.FieldRole, self.format)

        self.duration_minutes_label = QLabel(self.session_group)
        self.duration_minutes_label.setObjectName(u"duration_minutes_label")

        self.session_form.setWidget(4, QFormLayout.ItemRole.LabelRole, self.duration_minutes_label)

        self.duration_row = QHBoxLayout()
        self.duration_row.setObjectName(u"duration_row")
        self.duration_minutes = QSpinBox(self.session_group)
        self.duration_minutes.setObjectName(u"duration_minutes")
        self.duration_minutes.setMinimum(0)
        self.duration_minutes.setMaximum(600)
        self.duration_minutes.setSingleStep(15)

        self.duration_row.addWidget(self.duration_minutes)

        self.duration_spacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.duration_row.addItem(self.duration_spacer)


        self.session_form.setLayout(4, QFormLayout.ItemRole.FieldRole, self.duration_row)

        self.attendee_ids_label = QLabel(self.session_group)
        self.attendee_ids_label.setObjectName(u"attendee_ids_label")

        self.session_form.setWidget(5, QFormLayout.ItemRole.LabelRole, self.attendee_ids_label)

        self.attendees_box = QVBoxLayout()
        self.attendees_box.setObjectName(u"attendees_box")
        self.attendees_hint = QLabel(self.session_group)
        self.attendees_hint.setObjectName(u"attendees_hint")
        self.attendees_hint.setWordWrap(True)

        self.attendees_box.addWidget(self.attendees_hint)

        self.attendee_filter = QLineEdit(self.session_group)
        self.attendee_filter.setObjectName(u"attendee_filter")
        self.attendee_filter.setClearButtonEnabled(True)

        self.attendees_box.addWidget(self.attendee_filter)

        self.attendee_ids = QListWidget(self.session_group)
        self.attendee_ids.setObjectName(u"attendee_ids")

        self.attendees_box.addWidget(self.attendee_ids)


        self.session_form.setLayout(5, QFormLayout.ItemRole.FieldRole, self.attendees_box)


        self.columns.addWidget(self.session_group)

        self.notes_group = QGroupBox(SupervisionSessionDialog)
        self.notes_group.setObjectName(u"notes_group")
        self.notes_form = QFormLayout(self.notes_group)
        self.notes_form.setObjectName(u"notes_form")
        self.notes_form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.topics_label = QLabel(self.notes_group)
        self.topics_label.setObjectName(u"topics_label")

        self.notes_form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.topics_label)

        self.topics = QPlainTextEdit(self.notes_group)
        self.topics.setObjectName(u"topics")
        self.topics.setTabChangesFocus(True)

        self.notes_form.setWidget(0, QFormLayout.ItemRole.FieldRole, self.topics)

        self.actions_agreed_label = QLabel(self.notes_group)
        self.actions_agreed_label.setObjectName(u"actions_agreed_label")

        self.notes_form.setWidget(1, QFormLayout.ItemRole.LabelRole, self.actions_agreed_label)

        self.actions_agreed = QPlainTextEdit(self.notes_group)
        self.actions_agreed.setObjectName(u"actions_agreed")
        self.actions_agreed.setTabChangesFocus(True)

        self.notes_form.setWidget(1, QFormLayout.ItemRole.FieldRole, self.actions_agreed)

        self.reflective_notes_label = QLabel(self.notes_group)
        self.reflective_notes_label.setObjectName(u"reflective_notes_label")

        self.notes_form.setWidget(2, QFormLayout.ItemRole.LabelRole, self.reflective_notes_label)

        self.reflection_box = QVBoxLayout()
        self.reflection_box.setObjectName(u"reflection_box")
        self.reflective_notes = QPlainTextEdit(self.notes_group)
        self.reflective_notes.setObjectName(u"reflective_notes")
        self.reflective_notes.setTabChangesFocus(True)

        self.reflection_box.addWidget(self.reflective_notes)

        self.reflection_hint = QLabel(self.notes_group)
        self.reflection_hint.setObjectName(u"reflection_hint")
        self.reflection_hint.setWordWrap(True)

        self.reflection_box.addWidget(self.reflection_hint)


        self.notes_form.setLayout(2, QFormLayout.ItemRole.FieldRole, self.reflection_box)


        self.columns.addWidget(self.notes_group)

        self.columns.setStretch(0, 3)
        self.columns.setStretch(1, 2)

        self.outer.addLayout(self.columns)

        self.buttons = QDialogButtonBox(SupervisionSessionDialog)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.Cancel|QDialogButtonBox.Save)

        self.outer.addWidget(self.buttons)

#if QT_CONFIG(shortcut)
        self.type_code_label.setBuddy(self.type_code)
        self.held_on_label.setBuddy(self.held_on)
        self.supervisor_label.setBuddy(self.supervisor)
        self.format_label.setBuddy(self.format)
        self.duration_minutes_label.setBuddy(self.duration_minutes)
        self.attendee_ids_label.setBuddy(self.attendee_ids)
        self.topics_label.setBuddy(self.topics)
        self.actions_agreed_label.setBuddy(self.actions_agreed)
        self.reflective_notes_label.setBuddy(self.reflective_notes)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(SupervisionSessionDialog)

        QMetaObject.connectSlotsByName(SupervisionSessionDialog)
    # setupUi

    def retranslateUi(self, SupervisionSessionDialog):
        SupervisionSessionDialog.setWindowTitle(QCoreApplication.translate("SupervisionSessionDialog", u"Supervision session", None))
        self.heading.setText(QCoreApplication.translate("SupervisionSessionDialog", u"Log a supervision session", None))
#if QT_CONFIG(accessibility)
        self.heading.setAccessibleName(QCoreApplication.translate("SupervisionSessionDialog", u"Dialog heading", None))
#endif // QT_CONFIG(accessibility)
        self.summary_error.setText("")
#if QT_CONFIG(accessibility)
        self.summary_error.setAccessibleName(QCoreApplication.translate("SupervisionSessionDialog", u"Problems to fix", None))
#endif // QT_CONFIG(accessibility)
        self.session_group.setTitle(QCoreApplication.translate("SupervisionSessionDialog", u"Session", None))
        self.type_code_label.setText(QCoreApplication.translate("SupervisionSessionDialog", u"&Type", None))
#if QT_CONFIG(accessibility)
        self.type_code.setAccessibleName(QCoreApplication.translate("SupervisionSessionDialog", u"Type of supervision", None))
#endif // QT_CONFIG(accessibility)
        self.held_on_label.setText(QCoreApplication.translate("SupervisionSessionDialog", u"&Date held", None))
        self.held_on.setDisplayFormat(QCoreApplication.translate("SupervisionSessionDialog", u"dd/MM/yyyy", None))
#if QT_CONFIG(accessibility)
        self.held_on.setAccessibleName(QCoreApplication.translate("SupervisionSessionDialog", u"Date the session was held", None))
#endif // QT_CONFIG(accessibility)
        self.supervisor_label.setText(QCoreApplication.translate("SupervisionSessionDialog", u"Su&pervisor", None))
#if QT_CONFIG(accessibility)
        self.supervisor.setAccessibleName(QCoreApplication.translate("SupervisionSessionDialog", u"Supervisor who led the session", None))
#endif // QT_CONFIG(accessibility)
        self.format_label.setText(QCoreApplication.translate("SupervisionSessionDialog", u"&Format", None))
#if QT_CONFIG(accessibility)
        self.format.setAccessibleName(QCoreApplication.translate("SupervisionSessionDialog", u"Format of the session", None))
#endif // QT_CONFIG(accessibility)
        self.duration_minutes_label.setText(QCoreApplication.translate("SupervisionSessionDialog", u"D&uration", None))
        self.duration_minutes.setSuffix(QCoreApplication.translate("SupervisionSessionDialog", u" minutes", None))
        self.duration_minutes.setSpecialValueText(QCoreApplication.translate("SupervisionSessionDialog", u"Not recorded", None))
#if QT_CONFIG(accessibility)
        self.duration_minutes.setAccessibleName(QCoreApplication.translate("SupervisionSessionDialog", u"Duration in minutes", None))
#endif // QT_CONFIG(accessibility)
        self.attendee_ids_label.setText(QCoreApplication.translate("SupervisionSessionDialog", u"&Attended", None))
        self.attendees_hint.setText(QCoreApplication.translate("SupervisionSessionDialog", u"Tick everyone who attended a group session; each gets their own record.", None))
#if QT_CONFIG(accessibility)
        self.attendees_hint.setAccessibleName(QCoreApplication.translate("SupervisionSessionDialog", u"Attendees help", None))
#endif // QT_CONFIG(accessibility)
        self.attendee_filter.setPlaceholderText(QCoreApplication.translate("SupervisionSessionDialog", u"Find a person to add", None))
#if QT_CONFIG(accessibility)
        self.attendee_filter.setAccessibleName(QCoreApplication.translate("SupervisionSessionDialog", u"Find attendees", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.attendee_ids.setAccessibleName(QCoreApplication.translate("SupervisionSessionDialog", u"Attendees", None))
#endif // QT_CONFIG(accessibility)
        self.notes_group.setTitle(QCoreApplication.translate("SupervisionSessionDialog", u"What was discussed", None))
        self.topics_label.setText(QCoreApplication.translate("SupervisionSessionDialog", u"T&opics", None))
#if QT_CONFIG(accessibility)
        self.topics.setAccessibleName(QCoreApplication.translate("SupervisionSessionDialog", u"Topics discussed", None))
#endif // QT_CONFIG(accessibility)
        self.topics.setPlaceholderText(QCoreApplication.translate("SupervisionSessionDialog", u"Cases, themes and questions covered", None))
        self.actions_agreed_label.setText(QCoreApplication.translate("SupervisionSessionDialog", u"Actions a&greed", None))
#if QT_CONFIG(accessibility)
        self.actions_agreed.setAccessibleName(QCoreApplication.translate("SupervisionSessionDialog", u"Actions agreed", None))
#endif // QT_CONFIG(accessibility)
        self.actions_agreed.setPlaceholderText(QCoreApplication.translate("SupervisionSessionDialog", u"Who will do what, by when", None))
        self.reflective_notes_label.setText(QCoreApplication.translate("SupervisionSessionDialog", u"&Reflective notes", None))
#if QT_CONFIG(accessibility)
        self.reflective_notes.setAccessibleName(QCoreApplication.translate("SupervisionSessionDialog", u"Reflective notes (private)", None))
#endif // QT_CONFIG(accessibility)
        self.reflective_notes.setPlaceholderText(QCoreApplication.translate("SupervisionSessionDialog", u"Your own reflections on the session", None))
        self.reflection_hint.setText(QCoreApplication.translate("SupervisionSessionDialog", u"Private: only the supervisee, their line managers and their supervisors can read these.", None))
#if QT_CONFIG(accessibility)
        self.reflection_hint.setAccessibleName(QCoreApplication.translate("SupervisionSessionDialog", u"Reflective notes privacy", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi

