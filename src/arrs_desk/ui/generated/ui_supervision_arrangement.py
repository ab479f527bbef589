# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'supervision_arrangement.ui'
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
    QDialog, QDialogButtonBox, QFormLayout, QGroupBox,
    QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit,
    QPushButton, QRadioButton, QSizePolicy, QSpacerItem,
    QVBoxLayout, QWidget)

from arrs_desk.ui.common.date_edit import DateEdit

class Ui_SupervisionArrangementDialog(object):
    def setupUi(self, SupervisionArrangementDialog):
        if not SupervisionArrangementDialog.objectName():
            SupervisionArrangementDialog.setObjectName(u"SupervisionArrangementDialog")
        SupervisionArrangementDialog.resize(980, 560)
        self.outer = QVBoxLayout(SupervisionArrangementDialog)
        self.outer.setObjectName(u"outer")
        self.heading = QLabel(SupervisionArrangementDialog)
        self.heading.setObjectName(u"heading")
        self.heading.setWordWrap(True)

        self.outer.addWidget(self.heading)

        self.summary_error = QLabel(SupervisionArrangementDialog)
        self.summary_error.setObjectName(u"summary_error")
        self.summary_error.setWordWrap(True)

        self.outer.addWidget(self.summary_error)

        self.columns = QHBoxLayout()
        self.columns.setObjectName(u"columns")
        self.left_column = QVBoxLayout()
        self.left_column.setObjectName(u"left_column")
        self.arrangement_group = QGroupBox(SupervisionArrangementDialog)
        self.arrangement_group.setObjectName(u"arrangement_group")
        self.arrangement_form = QFormLayout(self.arrangement_group)
        self.arrangement_form.setObjectName(u"arrangement_form")
        self.arrangement_form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.type_code_label = QLabel(self.arrangement_group)
        self.type_code_label.setObjectName(u"type_code_label")

        self.arrangement_form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.type_code_label)

        self.type_code = QComboBox(self.arrangement_group)
        self.type_code.setObjectName(u"type_code")

        self.arrangement_form.setWidget(0, QFormLayout.ItemRole.FieldRole, self.type_code)

        self.type_hint = QLabel(self.arrangement_group)
        self.type_hint.setObjectName(u"type_hint")
        self.type_hint.setWordWrap(True)

        self.arrangement_form.setWidget(1, QFormLayout.ItemRole.FieldRole, self.type_hint)

        self.supervisor_source_label = QLabel(self.arrangement_group)
        self.supervisor_source_label.setObjectName(u"supervisor_source_label")

        self.arrangement_form.setWidget(2, QFormLayout.ItemRole.LabelRole, self.supervisor_source_label)

        self.supervisor_source_row = QHBoxLayout()
        self.supervisor_source_row.setObjectName(u"supervisor_source_row")
        self.colleague_radio = QRadioButton(self.arrangement_group)
        self.colleague_radio.setObjectName(u"colleague_radio")
        self.colleague_radio.setChecked(True)

        self.supervisor_source_row.addWidget(self.colleague_radio)

        self.external_radio = QRadioButton(self.arrangement_group)
        self.external_radio.setObjectName(u"external_radio")

        self.supervisor_source_row.addWidget(self.external_radio)

        self.new_external_radio = QRadioButton(self.arrangement_group)
        self.new_external_radio.setObjectName(u"new_external_radio")

        self.supervisor_source_row.addWidget(self.new_external_radio)

        self.source_spacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.supervisor_source_row.addItem(self.source_spacer)


        self.arrangement_form.setLayout(2, QFormLayout.ItemRole.FieldRole, self.supervisor_source_row)

        self.supervisor_label = QLabel(self.arrangement_group)
        self.supervisor_label.setObjectName(u"supervisor_label")

        self.arrangement_form.setWidget(3, QFormLayout.ItemRole.LabelRole, self.supervisor_label)

        self.supervisor_box = QVBoxLayout()
        self.supervisor_box.setObjectName(u"supervisor_box")
        self.supervisor_staff_id = QComboBox(self.arrangement_group)
        self.supervisor_staff_id.setObjectName(u"supervisor_staff_id")
        self.supervisor_staff_id.setEditable(True)

        self.supervisor_box.addWidget(self.supervisor_staff_id)

        self.supervisor_external_id = QComboBox(self.arrangement_group)
        self.supervisor_external_id.setObjectName(u"supervisor_external_id")

        self.supervisor_box.addWidget(self.supervisor_external_id)


        self.arrangement_form.setLayout(3, QFormLayout.ItemRole.FieldRole, self.supervisor_box)

        self.frequency_code_label = QLabel(self.arrangement_group)
        self.frequency_code_label.setObjectName(u"frequency_code_label")

        self.arrangement_form.setWidget(4, QFormLayout.ItemRole.LabelRole, self.frequency_code_label)

        self.frequency_code = QComboBox(self.arrangement_group)
        self.frequency_code.setObjectName(u"frequency_code")

        self.arrangement_form.setWidget(4, QFormLayout.ItemRole.FieldRole, self.frequency_code)

        self.start_date_label = QLabel(self.arrangement_group)
        self.start_date_label.setObjectName(u"start_date_label")

        self.arrangement_form.setWidget(5, QFormLayout.ItemRole.LabelRole, self.start_date_label)

        self.start_row = QHBoxLayout()
        self.start_row.setObjectName(u"start_row")
        self.start_date = DateEdit(self.arrangement_group)
        self.start_date.setObjectName(u"start_date")
        self.start_date.setCalendarPopup(True)

        self.start_row.addWidget(self.start_date)

        self.start_spacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.start_row.addItem(self.start_spacer)


        self.arrangement_form.setLayout(5, QFormLayout.ItemRole.FieldRole, self.start_row)

        self.end_date_known_label = QLabel(self.arrangement_group)
        self.end_date_known_label.setObjectName(u"end_date_known_label")

        self.arrangement_form.setWidget(6, QFormLayout.ItemRole.LabelRole, self.end_date_known_label)

        self.end_date_row = QHBoxLayout()
        self.end_date_row.setObjectName(u"end_date_row")
        self.end_date_known = QCheckBox(self.arrangement_group)
        self.end_date_known.setObjectName(u"end_date_known")

        self.end_date_row.addWidget(self.end_date_known)

        self.end_date = DateEdit(self.arrangement_group)
        self.end_date.setObjectName(u"end_date")
        self.end_date.setCalendarPopup(True)

        self.end_date_row.addWidget(self.end_date)

        self.end_spacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.end_date_row.addItem(self.end_spacer)


        self.arrangement_form.setLayout(6, QFormLayout.ItemRole.FieldRole, self.end_date_row)


        self.left_column.addWidget(self.arrangement_group)

        self.new_external_group = QGroupBox(SupervisionArrangementDialog)
        self.new_external_group.setObjectName(u"new_external_group")
        self.external_form = QFormLayout(self.new_external_group)
        self.external_form.setObjectName(u"external_form")
        self.external_form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.external_name_label = QLabel(self.new_external_group)
        self.external_name_label.setObjectName(u"external_name_label")

        self.external_form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.external_name_label)

        self.external_name = QLineEdit(self.new_external_group)
        self.external_name.setObjectName(u"external_name")
        self.external_name.setMaxLength(200)

        self.external_form.setWidget(0, QFormLayout.ItemRole.FieldRole, self.external_name)

        self.external_organisation_label = QLabel(self.new_external_group)
        self.external_organisation_label.setObjectName(u"external_organisation_label")

        self.external_form.setWidget(1, QFormLayout.ItemRole.LabelRole, self.external_organisation_label)

        self.external_organisation = QLineEdit(self.new_external_group)
        self.external_organisation.setObjectName(u"external_organisation")
        self.external_organisation.setMaxLength(200)

        self.external_form.setWidget(1, QFormLayout.ItemRole.FieldRole, self.external_organisation)

        self.external_profession_label = QLabel(self.new_external_group)
        self.external_profession_label.setObjectName(u"external_profession_label")

        self.external_form.setWidget(2, QFormLayout.ItemRole.LabelRole, self.external_profession_label)

        self.external_profession = QLineEdit(self.new_external_group)
        self.external_profession.setObjectName(u"external_profession")
        self.external_profession.setMaxLength(120)

        self.external_form.setWidget(2, QFormLayout.ItemRole.FieldRole, self.external_profession)

        self.external_email_label = QLabel(self.new_external_group)
        self.external_email_label.setObjectName(u"external_email_label")

        self.external_form.setWidget(3, QFormLayout.ItemRole.LabelRole, self.external_email_label)

        self.external_email = QLineEdit(self.new_external_group)
        self.external_email.setObjectName(u"external_email")
        self.external_email.setMaxLength(254)

        self.external_form.setWidget(3, QFormLayout.ItemRole.FieldRole, self.external_email)

        self.external_phone_label = QLabel(self.new_external_group)
        self.external_phone_label.setObjectName(u"external_phone_label")

        self.external_form.setWidget(4, QFormLayout.ItemRole.LabelRole, self.external_phone_label)

        self.external_phone = QLineEdit(self.new_external_group)
        self.external_phone.setObjectName(u"external_phone")
        self.external_phone.setMaxLength(40)

        self.external_form.setWidget(4, QFormLayout.ItemRole.FieldRole, self.external_phone)


        self.left_column.addWidget(self.new_external_group)


        self.columns.addLayout(self.left_column)

        self.agreement_group = QGroupBox(SupervisionArrangementDialog)
        self.agreement_group.setObjectName(u"agreement_group")
        self.agreement_form = QFormLayout(self.agreement_group)
        self.agreement_form.setObjectName(u"agreement_form")
        self.agreement_form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.notes_label = QLabel(self.agreement_group)
        self.notes_label.setObjectName(u"notes_label")

        self.agreement_form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.notes_label)

        self.notes = QPlainTextEdit(self.agreement_group)
        self.notes.setObjectName(u"notes")
        self.notes.setTabChangesFocus(True)

        self.agreement_form.setWidget(0, QFormLayout.ItemRole.FieldRole, self.notes)

        self.agreement_label = QLabel(self.agreement_group)
        self.agreement_label.setObjectName(u"agreement_label")

        self.agreement_form.setWidget(1, QFormLayout.ItemRole.LabelRole, self.agreement_label)

        self.agreement_row = QHBoxLayout()
        self.agreement_row.setObjectName(u"agreement_row")
        self.agreement_file = QLabel(self.agreement_group)
        self.agreement_file.setObjectName(u"agreement_file")
        self.agreement_file.setWordWrap(True)

        self.agreement_row.addWidget(self.agreement_file)

        self.choose_agreement = QPushButton(self.agreement_group)
        self.choose_agreement.setObjectName(u"choose_agreement")

        self.agreement_row.addWidget(self.choose_agreement)


        self.agreement_form.setLayout(1, QFormLayout.ItemRole.FieldRole, self.agreement_row)


        self.columns.addWidget(self.agreement_group)

        self.columns.setStretch(0, 3)
        self.columns.setStretch(1, 2)

        self.outer.addLayout(self.columns)

        self.buttons = QDialogButtonBox(SupervisionArrangementDialog)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.Cancel|QDialogButtonBox.Save)

        self.outer.addWidget(self.buttons)

#if QT_CONFIG(shortcut)
        self.type_code_label.setBuddy(self.type_code)
        self.supervisor_label.setBuddy(self.supervisor_staff_id)
        self.frequency_code_label.setBuddy(self.frequency_code)
        self.start_date_label.setBuddy(self.start_date)
        self.end_date_known_label.setBuddy(self.end_date_known)
        self.external_name_label.setBuddy(self.external_name)
        self.external_organisation_label.setBuddy(self.external_organisation)
        self.external_profession_label.setBuddy(self.external_profession)
        self.external_email_label.setBuddy(self.external_email)
        self.external_phone_label.setBuddy(self.external_phone)
        self.notes_label.setBuddy(self.notes)
        self.agreement_label.setBuddy(self.choose_agreement)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(SupervisionArrangementDialog)

        QMetaObject.connectSlotsByName(SupervisionArrangementDialog)
    # setupUi

    def retranslateUi(self, SupervisionArrangementDialog):
        SupervisionArrangementDialog.setWindowTitle(QCoreApplication.translate("SupervisionArrangementDialog", u"Supervision arrangement", None))
        self.heading.setText(QCoreApplication.translate("SupervisionArrangementDialog", u"Arrange supervision", None))
#if QT_CONFIG(accessibility)
        self.heading.setAccessibleName(QCoreApplication.translate("SupervisionArrangementDialog", u"Dialog heading", None))
#endif // QT_CONFIG(accessibility)
        self.summary_error.setText("")
#if QT_CONFIG(accessibility)
        self.summary_error.setAccessibleName(QCoreApplication.translate("SupervisionArrangementDialog", u"Problems to fix", None))
#endif // QT_CONFIG(accessibility)
        self.arrangement_group.setTitle(QCoreApplication.translate("SupervisionArrangementDialog", u"Arrangement", None))
        self.type_code_label.setText(QCoreApplication.translate("SupervisionArrangementDialog", u"&Type", None))
#if QT_CONFIG(accessibility)
        self.type_code.setAccessibleName(QCoreApplication.translate("SupervisionArrangementDialog", u"Type of supervision", None))
#endif // QT_CONFIG(accessibility)
        self.type_hint.setText("")
#if QT_CONFIG(accessibility)
        self.type_hint.setAccessibleName(QCoreApplication.translate("SupervisionArrangementDialog", u"What is expected for this person", None))
#endif // QT_CONFIG(accessibility)
        self.supervisor_source_label.setText(QCoreApplication.translate("SupervisionArrangementDialog", u"Supervised by", None))
        self.colleague_radio.setText(QCoreApplication.translate("SupervisionArrangementDialog", u"A &colleague", None))
#if QT_CONFIG(accessibility)
        self.colleague_radio.setAccessibleName(QCoreApplication.translate("SupervisionArrangementDialog", u"Supervisor is a colleague", None))
#endif // QT_CONFIG(accessibility)
        self.external_radio.setText(QCoreApplication.translate("SupervisionArrangementDialog", u"An e&xternal supervisor", None))
#if QT_CONFIG(accessibility)
        self.external_radio.setAccessibleName(QCoreApplication.translate("SupervisionArrangementDialog", u"Supervisor is an external supervisor already recorded", None))
#endif // QT_CONFIG(accessibility)
        self.new_external_radio.setText(QCoreApplication.translate("SupervisionArrangementDialog", u"A &new external supervisor", None))
#if QT_CONFIG(accessibility)
        self.new_external_radio.setAccessibleName(QCoreApplication.translate("SupervisionArrangementDialog", u"Supervisor is a new external supervisor", None))
#endif // QT_CONFIG(accessibility)
        self.supervisor_label.setText(QCoreApplication.translate("SupervisionArrangementDialog", u"Su&pervisor", None))
#if QT_CONFIG(accessibility)
        self.supervisor_staff_id.setAccessibleName(QCoreApplication.translate("SupervisionArrangementDialog", u"Colleague who supervises", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.supervisor_external_id.setAccessibleName(QCoreApplication.translate("SupervisionArrangementDialog", u"External supervisor", None))
#endif // QT_CONFIG(accessibility)
        self.frequency_code_label.setText(QCoreApplication.translate("SupervisionArrangementDialog", u"&Frequency", None))
#if QT_CONFIG(accessibility)
        self.frequency_code.setAccessibleName(QCoreApplication.translate("SupervisionArrangementDialog", u"How often sessions are held", None))
#endif // QT_CONFIG(accessibility)
        self.start_date_label.setText(QCoreApplication.translate("SupervisionArrangementDialog", u"&Starts", None))
        self.start_date.setDisplayFormat(QCoreApplication.translate("SupervisionArrangementDialog", u"dd/MM/yyyy", None))
#if QT_CONFIG(accessibility)
        self.start_date.setAccessibleName(QCoreApplication.translate("SupervisionArrangementDialog", u"Start date", None))
#endif // QT_CONFIG(accessibility)
        self.end_date_known_label.setText(QCoreApplication.translate("SupervisionArrangementDialog", u"&Ends", None))
        self.end_date_known.setText(QCoreApplication.translate("SupervisionArrangementDialog", u"Ended or ending on", None))
#if QT_CONFIG(accessibility)
        self.end_date_known.setAccessibleName(QCoreApplication.translate("SupervisionArrangementDialog", u"Arrangement has an end date", None))
#endif // QT_CONFIG(accessibility)
        self.end_date.setDisplayFormat(QCoreApplication.translate("SupervisionArrangementDialog", u"dd/MM/yyyy", None))
#if QT_CONFIG(accessibility)
        self.end_date.setAccessibleName(QCoreApplication.translate("SupervisionArrangementDialog", u"End date", None))
#endif // QT_CONFIG(accessibility)
        self.new_external_group.setTitle(QCoreApplication.translate("SupervisionArrangementDialog", u"New external supervisor", None))
        self.external_name_label.setText(QCoreApplication.translate("SupervisionArrangementDialog", u"Na&me", None))
#if QT_CONFIG(accessibility)
        self.external_name.setAccessibleName(QCoreApplication.translate("SupervisionArrangementDialog", u"External supervisor's name", None))
#endif // QT_CONFIG(accessibility)
        self.external_organisation_label.setText(QCoreApplication.translate("SupervisionArrangementDialog", u"&Organisation", None))
#if QT_CONFIG(accessibility)
        self.external_organisation.setAccessibleName(QCoreApplication.translate("SupervisionArrangementDialog", u"External supervisor's organisation", None))
#endif // QT_CONFIG(accessibility)
        self.external_organisation.setPlaceholderText(QCoreApplication.translate("SupervisionArrangementDialog", u"For example the mental health trust", None))
        self.external_profession_label.setText(QCoreApplication.translate("SupervisionArrangementDialog", u"P&rofession", None))
#if QT_CONFIG(accessibility)
        self.external_profession.setAccessibleName(QCoreApplication.translate("SupervisionArrangementDialog", u"External supervisor's profession", None))
#endif // QT_CONFIG(accessibility)
        self.external_profession.setPlaceholderText(QCoreApplication.translate("SupervisionArrangementDialog", u"For example consultant clinical psychologist", None))
        self.external_email_label.setText(QCoreApplication.translate("SupervisionArrangementDialog", u"Emai&l", None))
#if QT_CONFIG(accessibility)
        self.external_email.setAccessibleName(QCoreApplication.translate("SupervisionArrangementDialog", u"External supervisor's email", None))
#endif // QT_CONFIG(accessibility)
        self.external_email.setPlaceholderText(QCoreApplication.translate("SupervisionArrangementDialog", u"name@nhs.net", None))
        self.external_phone_label.setText(QCoreApplication.translate("SupervisionArrangementDialog", u"P&hone", None))
#if QT_CONFIG(accessibility)
        self.external_phone.setAccessibleName(QCoreApplication.translate("SupervisionArrangementDialog", u"External supervisor's phone", None))
#endif // QT_CONFIG(accessibility)
        self.agreement_group.setTitle(QCoreApplication.translate("SupervisionArrangementDialog", u"Agreement", None))
        self.notes_label.setText(QCoreApplication.translate("SupervisionArrangementDialog", u"A&greement notes", None))
#if QT_CONFIG(accessibility)
        self.notes.setAccessibleName(QCoreApplication.translate("SupervisionArrangementDialog", u"Agreement notes", None))
#endif // QT_CONFIG(accessibility)
        self.notes.setPlaceholderText(QCoreApplication.translate("SupervisionArrangementDialog", u"What was agreed: scope, contact between sessions, how to escalate", None))
        self.agreement_label.setText(QCoreApplication.translate("SupervisionArrangementDialog", u"Signed &agreement", None))
        self.agreement_file.setText(QCoreApplication.translate("SupervisionArrangementDialog", u"None attached", None))
#if QT_CONFIG(accessibility)
        self.agreement_file.setAccessibleName(QCoreApplication.translate("SupervisionArrangementDialog", u"Signed agreement file", None))
#endif // QT_CONFIG(accessibility)
        self.choose_agreement.setText(QCoreApplication.translate("SupervisionArrangementDialog", u"Choose file\u2026", None))
#if QT_CONFIG(accessibility)
        self.choose_agreement.setAccessibleName(QCoreApplication.translate("SupervisionArrangementDialog", u"Choose the signed agreement file", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi

