# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'programme_enrolment.ui'
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
    QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout,
    QHBoxLayout, QLabel, QPlainTextEdit, QPushButton,
    QRadioButton, QSizePolicy, QSpacerItem, QVBoxLayout,
    QWidget)

from arrs_desk.ui.common.date_edit import DateEdit

class Ui_ProgrammeEnrolmentDialog(object):
    def setupUi(self, ProgrammeEnrolmentDialog):
        if not ProgrammeEnrolmentDialog.objectName():
            ProgrammeEnrolmentDialog.setObjectName(u"ProgrammeEnrolmentDialog")
        ProgrammeEnrolmentDialog.resize(720, 640)
        self.outer = QVBoxLayout(ProgrammeEnrolmentDialog)
        self.outer.setObjectName(u"outer")
        self.heading = QLabel(ProgrammeEnrolmentDialog)
        self.heading.setObjectName(u"heading")
        self.heading.setWordWrap(True)

        self.outer.addWidget(self.heading)

        self.intro = QLabel(ProgrammeEnrolmentDialog)
        self.intro.setObjectName(u"intro")
        self.intro.setWordWrap(True)

        self.outer.addWidget(self.intro)

        self.summary_error = QLabel(ProgrammeEnrolmentDialog)
        self.summary_error.setObjectName(u"summary_error")
        self.summary_error.setWordWrap(True)

        self.outer.addWidget(self.summary_error)

        self.enrolment_form = QFormLayout()
        self.enrolment_form.setObjectName(u"enrolment_form")
        self.enrolment_form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.staff_id_label = QLabel(ProgrammeEnrolmentDialog)
        self.staff_id_label.setObjectName(u"staff_id_label")

        self.enrolment_form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.staff_id_label)

        self.staff_id = QComboBox(ProgrammeEnrolmentDialog)
        self.staff_id.setObjectName(u"staff_id")

        self.enrolment_form.setWidget(0, QFormLayout.ItemRole.FieldRole, self.staff_id)

        self.programme_code_label = QLabel(ProgrammeEnrolmentDialog)
        self.programme_code_label.setObjectName(u"programme_code_label")

        self.enrolment_form.setWidget(1, QFormLayout.ItemRole.LabelRole, self.programme_code_label)

        self.programme_code = QComboBox(ProgrammeEnrolmentDialog)
        self.programme_code.setObjectName(u"programme_code")

        self.enrolment_form.setWidget(1, QFormLayout.ItemRole.FieldRole, self.programme_code)

        self.show_all = QCheckBox(ProgrammeEnrolmentDialog)
        self.show_all.setObjectName(u"show_all")

        self.enrolment_form.setWidget(2, QFormLayout.ItemRole.FieldRole, self.show_all)

        self.programme_hint = QLabel(ProgrammeEnrolmentDialog)
        self.programme_hint.setObjectName(u"programme_hint")
        self.programme_hint.setWordWrap(True)

        self.enrolment_form.setWidget(3, QFormLayout.ItemRole.FieldRole, self.programme_hint)

        self.start_date_label = QLabel(ProgrammeEnrolmentDialog)
        self.start_date_label.setObjectName(u"start_date_label")

        self.enrolment_form.setWidget(4, QFormLayout.ItemRole.LabelRole, self.start_date_label)

        self.start_date = DateEdit(ProgrammeEnrolmentDialog)
        self.start_date.setObjectName(u"start_date")
        self.start_date.setCalendarPopup(True)

        self.enrolment_form.setWidget(4, QFormLayout.ItemRole.FieldRole, self.start_date)

        self.planned_end_label = QLabel(ProgrammeEnrolmentDialog)
        self.planned_end_label.setObjectName(u"planned_end_label")

        self.enrolment_form.setWidget(5, QFormLayout.ItemRole.LabelRole, self.planned_end_label)

        self.planned_end = DateEdit(ProgrammeEnrolmentDialog)
        self.planned_end.setObjectName(u"planned_end")
        self.planned_end.setCalendarPopup(True)

        self.enrolment_form.setWidget(5, QFormLayout.ItemRole.FieldRole, self.planned_end)

        self.end_hint = QLabel(ProgrammeEnrolmentDialog)
        self.end_hint.setObjectName(u"end_hint")
        self.end_hint.setWordWrap(True)

        self.enrolment_form.setWidget(6, QFormLayout.ItemRole.FieldRole, self.end_hint)

        self.protected_label = QLabel(ProgrammeEnrolmentDialog)
        self.protected_label.setObjectName(u"protected_label")

        self.enrolment_form.setWidget(7, QFormLayout.ItemRole.LabelRole, self.protected_label)

        self.protected_hours_per_week = QDoubleSpinBox(ProgrammeEnrolmentDialog)
        self.protected_hours_per_week.setObjectName(u"protected_hours_per_week")
        self.protected_hours_per_week.setDecimals(2)
        self.protected_hours_per_week.setMaximum(37.500000000000000)
        self.protected_hours_per_week.setSingleStep(0.250000000000000)

        self.enrolment_form.setWidget(7, QFormLayout.ItemRole.FieldRole, self.protected_hours_per_week)

        self.preceptor_label = QLabel(ProgrammeEnrolmentDialog)
        self.preceptor_label.setObjectName(u"preceptor_label")

        self.enrolment_form.setWidget(8, QFormLayout.ItemRole.LabelRole, self.preceptor_label)

        self.preceptor_box = QWidget(ProgrammeEnrolmentDialog)
        self.preceptor_box.setObjectName(u"preceptor_box")
        self.preceptor_layout = QVBoxLayout(self.preceptor_box)
        self.preceptor_layout.setObjectName(u"preceptor_layout")
        self.preceptor_layout.setContentsMargins(0, 0, 0, 0)
        self.preceptor_source = QHBoxLayout()
        self.preceptor_source.setObjectName(u"preceptor_source")
        self.preceptor_colleague_radio = QRadioButton(self.preceptor_box)
        self.preceptor_colleague_radio.setObjectName(u"preceptor_colleague_radio")
        self.preceptor_colleague_radio.setChecked(True)

        self.preceptor_source.addWidget(self.preceptor_colleague_radio)

        self.preceptor_external_radio = QRadioButton(self.preceptor_box)
        self.preceptor_external_radio.setObjectName(u"preceptor_external_radio")

        self.preceptor_source.addWidget(self.preceptor_external_radio)

        self.preceptor_spacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.preceptor_source.addItem(self.preceptor_spacer)


        self.preceptor_layout.addLayout(self.preceptor_source)

        self.preceptor_staff_id = QComboBox(self.preceptor_box)
        self.preceptor_staff_id.setObjectName(u"preceptor_staff_id")

        self.preceptor_layout.addWidget(self.preceptor_staff_id)

        self.preceptor_external_id = QComboBox(self.preceptor_box)
        self.preceptor_external_id.setObjectName(u"preceptor_external_id")

        self.preceptor_layout.addWidget(self.preceptor_external_id)


        self.enrolment_form.setWidget(8, QFormLayout.ItemRole.FieldRole, self.preceptor_box)

        self.assessor_label = QLabel(ProgrammeEnrolmentDialog)
        self.assessor_label.setObjectName(u"assessor_label")

        self.enrolment_form.setWidget(9, QFormLayout.ItemRole.LabelRole, self.assessor_label)

        self.assessor_box = QWidget(ProgrammeEnrolmentDialog)
        self.assessor_box.setObjectName(u"assessor_box")
        self.assessor_layout = QVBoxLayout(self.assessor_box)
        self.assessor_layout.setObjectName(u"assessor_layout")
        self.assessor_layout.setContentsMargins(0, 0, 0, 0)
        self.assessor_source = QHBoxLayout()
        self.assessor_source.setObjectName(u"assessor_source")
        self.assessor_colleague_radio = QRadioButton(self.assessor_box)
        self.assessor_colleague_radio.setObjectName(u"assessor_colleague_radio")
        self.assessor_colleague_radio.setChecked(True)

        self.assessor_source.addWidget(self.assessor_colleague_radio)

        self.assessor_external_radio = QRadioButton(self.assessor_box)
        self.assessor_external_radio.setObjectName(u"assessor_external_radio")

        self.assessor_source.addWidget(self.assessor_external_radio)

        self.assessor_same_radio = QRadioButton(self.assessor_box)
        self.assessor_same_radio.setObjectName(u"assessor_same_radio")

        self.assessor_source.addWidget(self.assessor_same_radio)

        self.assessor_spacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.assessor_source.addItem(self.assessor_spacer)


        self.assessor_layout.addLayout(self.assessor_source)

        self.assessor_staff_id = QComboBox(self.assessor_box)
        self.assessor_staff_id.setObjectName(u"assessor_staff_id")

        self.assessor_layout.addWidget(self.assessor_staff_id)

        self.assessor_external_id = QComboBox(self.assessor_box)
        self.assessor_external_id.setObjectName(u"assessor_external_id")

        self.assessor_layout.addWidget(self.assessor_external_id)

        self.assessor_hint = QLabel(self.assessor_box)
        self.assessor_hint.setObjectName(u"assessor_hint")
        self.assessor_hint.setWordWrap(True)

        self.assessor_layout.addWidget(self.assessor_hint)


        self.enrolment_form.setWidget(9, QFormLayout.ItemRole.FieldRole, self.assessor_box)

        self.new_external = QPushButton(ProgrammeEnrolmentDialog)
        self.new_external.setObjectName(u"new_external")

        self.enrolment_form.setWidget(10, QFormLayout.ItemRole.FieldRole, self.new_external)

        self.notes_label = QLabel(ProgrammeEnrolmentDialog)
        self.notes_label.setObjectName(u"notes_label")

        self.enrolment_form.setWidget(11, QFormLayout.ItemRole.LabelRole, self.notes_label)

        self.notes = QPlainTextEdit(ProgrammeEnrolmentDialog)
        self.notes.setObjectName(u"notes")
        self.notes.setTabChangesFocus(True)

        self.enrolment_form.setWidget(11, QFormLayout.ItemRole.FieldRole, self.notes)


        self.outer.addLayout(self.enrolment_form)

        self.buttons = QDialogButtonBox(ProgrammeEnrolmentDialog)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.Cancel|QDialogButtonBox.Save)

        self.outer.addWidget(self.buttons)

#if QT_CONFIG(shortcut)
        self.staff_id_label.setBuddy(self.staff_id)
        self.programme_code_label.setBuddy(self.programme_code)
        self.start_date_label.setBuddy(self.start_date)
        self.planned_end_label.setBuddy(self.planned_end)
        self.protected_label.setBuddy(self.protected_hours_per_week)
        self.preceptor_label.setBuddy(self.preceptor_staff_id)
        self.assessor_label.setBuddy(self.assessor_staff_id)
        self.notes_label.setBuddy(self.notes)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(ProgrammeEnrolmentDialog)

        QMetaObject.connectSlotsByName(ProgrammeEnrolmentDialog)
    # setupUi

    def retranslateUi(self, ProgrammeEnrolmentDialog):
        ProgrammeEnrolmentDialog.setWindowTitle(QCoreApplication.translate("ProgrammeEnrolmentDialog", u"Enrol on a programme", None))
        self.heading.setText(QCoreApplication.translate("ProgrammeEnrolmentDialog", u"Enrol on a programme", None))
#if QT_CONFIG(accessibility)
        self.heading.setAccessibleName(QCoreApplication.translate("ProgrammeEnrolmentDialog", u"Dialog heading", None))
#endif // QT_CONFIG(accessibility)
        self.intro.setText(QCoreApplication.translate("ProgrammeEnrolmentDialog", u"The person keeps their own copy of the programme's milestones and competencies, so later changes to the programme do not alter their record.", None))
#if QT_CONFIG(accessibility)
        self.intro.setAccessibleName(QCoreApplication.translate("ProgrammeEnrolmentDialog", u"About enrolment", None))
#endif // QT_CONFIG(accessibility)
        self.summary_error.setText("")
#if QT_CONFIG(accessibility)
        self.summary_error.setAccessibleName(QCoreApplication.translate("ProgrammeEnrolmentDialog", u"Problems to fix", None))
#endif // QT_CONFIG(accessibility)
        self.staff_id_label.setText(QCoreApplication.translate("ProgrammeEnrolmentDialog", u"&Person", None))
#if QT_CONFIG(accessibility)
        self.staff_id.setAccessibleName(QCoreApplication.translate("ProgrammeEnrolmentDialog", u"Person to enrol", None))
#endif // QT_CONFIG(accessibility)
        self.programme_code_label.setText(QCoreApplication.translate("ProgrammeEnrolmentDialog", u"Pro&gramme", None))
#if QT_CONFIG(accessibility)
        self.programme_code.setAccessibleName(QCoreApplication.translate("ProgrammeEnrolmentDialog", u"Programme", None))
#endif // QT_CONFIG(accessibility)
        self.show_all.setText(QCoreApplication.translate("ProgrammeEnrolmentDialog", u"Also list programmes for other roles", None))
#if QT_CONFIG(accessibility)
        self.show_all.setAccessibleName(QCoreApplication.translate("ProgrammeEnrolmentDialog", u"Also list programmes for other roles", None))
#endif // QT_CONFIG(accessibility)
        self.programme_hint.setText("")
#if QT_CONFIG(accessibility)
        self.programme_hint.setAccessibleName(QCoreApplication.translate("ProgrammeEnrolmentDialog", u"About the programme", None))
#endif // QT_CONFIG(accessibility)
        self.start_date_label.setText(QCoreApplication.translate("ProgrammeEnrolmentDialog", u"&Start date", None))
#if QT_CONFIG(accessibility)
        self.start_date.setAccessibleName(QCoreApplication.translate("ProgrammeEnrolmentDialog", u"Start date", None))
#endif // QT_CONFIG(accessibility)
        self.start_date.setDisplayFormat(QCoreApplication.translate("ProgrammeEnrolmentDialog", u"dd/MM/yyyy", None))
        self.planned_end_label.setText(QCoreApplication.translate("ProgrammeEnrolmentDialog", u"&Expected end", None))
#if QT_CONFIG(accessibility)
        self.planned_end.setAccessibleName(QCoreApplication.translate("ProgrammeEnrolmentDialog", u"Expected end", None))
#endif // QT_CONFIG(accessibility)
        self.planned_end.setDisplayFormat(QCoreApplication.translate("ProgrammeEnrolmentDialog", u"dd/MM/yyyy", None))
        self.end_hint.setText("")
#if QT_CONFIG(accessibility)
        self.end_hint.setAccessibleName(QCoreApplication.translate("ProgrammeEnrolmentDialog", u"About the expected end", None))
#endif // QT_CONFIG(accessibility)
        self.protected_label.setText(QCoreApplication.translate("ProgrammeEnrolmentDialog", u"Protected &time", None))
#if QT_CONFIG(accessibility)
        self.protected_hours_per_week.setAccessibleName(QCoreApplication.translate("ProgrammeEnrolmentDialog", u"Protected learning hours a week", None))
#endif // QT_CONFIG(accessibility)
        self.protected_hours_per_week.setSuffix(QCoreApplication.translate("ProgrammeEnrolmentDialog", u" hours a week", None))
        self.preceptor_label.setText(QCoreApplication.translate("ProgrammeEnrolmentDialog", u"Preceptor or &mentor", None))
#if QT_CONFIG(accessibility)
        self.preceptor_box.setAccessibleName(QCoreApplication.translate("ProgrammeEnrolmentDialog", u"Preceptor or mentor", None))
#endif // QT_CONFIG(accessibility)
        self.preceptor_colleague_radio.setText(QCoreApplication.translate("ProgrammeEnrolmentDialog", u"A colleague", None))
#if QT_CONFIG(accessibility)
        self.preceptor_colleague_radio.setAccessibleName(QCoreApplication.translate("ProgrammeEnrolmentDialog", u"Preceptor or mentor: a colleague", None))
#endif // QT_CONFIG(accessibility)
        self.preceptor_external_radio.setText(QCoreApplication.translate("ProgrammeEnrolmentDialog", u"Someone from outside the PCN", None))
#if QT_CONFIG(accessibility)
        self.preceptor_external_radio.setAccessibleName(QCoreApplication.translate("ProgrammeEnrolmentDialog", u"Preceptor or mentor: from outside the PCN", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.preceptor_staff_id.setAccessibleName(QCoreApplication.translate("ProgrammeEnrolmentDialog", u"Preceptor or mentor (colleague)", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.preceptor_external_id.setAccessibleName(QCoreApplication.translate("ProgrammeEnrolmentDialog", u"Preceptor or mentor (from outside the PCN)", None))
#endif // QT_CONFIG(accessibility)
        self.assessor_label.setText(QCoreApplication.translate("ProgrammeEnrolmentDialog", u"&Assessor", None))
#if QT_CONFIG(accessibility)
        self.assessor_box.setAccessibleName(QCoreApplication.translate("ProgrammeEnrolmentDialog", u"Assessor", None))
#endif // QT_CONFIG(accessibility)
        self.assessor_colleague_radio.setText(QCoreApplication.translate("ProgrammeEnrolmentDialog", u"A colleague", None))
#if QT_CONFIG(accessibility)
        self.assessor_colleague_radio.setAccessibleName(QCoreApplication.translate("ProgrammeEnrolmentDialog", u"Assessor: a colleague", None))
#endif // QT_CONFIG(accessibility)
        self.assessor_external_radio.setText(QCoreApplication.translate("ProgrammeEnrolmentDialog", u"Someone from outside the PCN", None))
#if QT_CONFIG(accessibility)
        self.assessor_external_radio.setAccessibleName(QCoreApplication.translate("ProgrammeEnrolmentDialog", u"Assessor: from outside the PCN", None))
#endif // QT_CONFIG(accessibility)
        self.assessor_same_radio.setText(QCoreApplication.translate("ProgrammeEnrolmentDialog", u"Same as the preceptor", None))
#if QT_CONFIG(accessibility)
        self.assessor_same_radio.setAccessibleName(QCoreApplication.translate("ProgrammeEnrolmentDialog", u"Assessor: same as the preceptor", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.assessor_staff_id.setAccessibleName(QCoreApplication.translate("ProgrammeEnrolmentDialog", u"Assessor (colleague)", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.assessor_external_id.setAccessibleName(QCoreApplication.translate("ProgrammeEnrolmentDialog", u"Assessor (from outside the PCN)", None))
#endif // QT_CONFIG(accessibility)
        self.assessor_hint.setText("")
#if QT_CONFIG(accessibility)
        self.assessor_hint.setAccessibleName(QCoreApplication.translate("ProgrammeEnrolmentDialog", u"About the assessor", None))
#endif // QT_CONFIG(accessibility)
        self.new_external.setText(QCoreApplication.translate("ProgrammeEnrolmentDialog", u"Add someone from outside the PCN\u2026", None))
#if QT_CONFIG(accessibility)
        self.new_external.setAccessibleName(QCoreApplication.translate("ProgrammeEnrolmentDialog", u"Add someone from outside the PCN", None))
#endif // QT_CONFIG(accessibility)
        self.notes_label.setText(QCoreApplication.translate("ProgrammeEnrolmentDialog", u"&Notes", None))
#if QT_CONFIG(accessibility)
        self.notes.setAccessibleName(QCoreApplication.translate("ProgrammeEnrolmentDialog", u"Notes", None))
#endif // QT_CONFIG(accessibility)
        self.notes.setPlaceholderText(QCoreApplication.translate("ProgrammeEnrolmentDialog", u"For example: taught days on Wednesdays at the training hub", None))
    # retranslateUi

