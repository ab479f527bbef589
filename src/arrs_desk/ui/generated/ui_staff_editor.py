# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'staff_editor.ui'
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
    QFrame, QGroupBox, QHBoxLayout, QLabel,
    QLineEdit, QListWidget, QListWidgetItem, QScrollArea,
    QSizePolicy, QSpacerItem, QVBoxLayout, QWidget)

from arrs_desk.ui.common.date_edit import DateEdit

class Ui_StaffEditor(object):
    def setupUi(self, StaffEditor):
        if not StaffEditor.objectName():
            StaffEditor.setObjectName(u"StaffEditor")
        StaffEditor.resize(900, 640)
        self.outer = QVBoxLayout(StaffEditor)
        self.outer.setObjectName(u"outer")
        self.heading = QLabel(StaffEditor)
        self.heading.setObjectName(u"heading")

        self.outer.addWidget(self.heading)

        self.summary_error = QLabel(StaffEditor)
        self.summary_error.setObjectName(u"summary_error")
        self.summary_error.setWordWrap(True)

        self.outer.addWidget(self.summary_error)

        self.scroll = QScrollArea(StaffEditor)
        self.scroll.setObjectName(u"scroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.NoFrame)
        self.scroll_contents = QWidget()
        self.scroll_contents.setObjectName(u"scroll_contents")
        self.columns = QHBoxLayout(self.scroll_contents)
        self.columns.setObjectName(u"columns")
        self.left_column = QVBoxLayout()
        self.left_column.setObjectName(u"left_column")
        self.person_group = QGroupBox(self.scroll_contents)
        self.person_group.setObjectName(u"person_group")
        self.person_form = QFormLayout(self.person_group)
        self.person_form.setObjectName(u"person_form")
        self.person_form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.title_label = QLabel(self.person_group)
        self.title_label.setObjectName(u"title_label")

        self.person_form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.title_label)

        self.title = QComboBox(self.person_group)
        self.title.setObjectName(u"title")
        self.title.setEditable(True)
        self.title.setInsertPolicy(QComboBox.NoInsert)

        self.person_form.setWidget(0, QFormLayout.ItemRole.FieldRole, self.title)

        self.given_name_label = QLabel(self.person_group)
        self.given_name_label.setObjectName(u"given_name_label")

        self.person_form.setWidget(1, QFormLayout.ItemRole.LabelRole, self.given_name_label)

        self.given_name = QLineEdit(self.person_group)
        self.given_name.setObjectName(u"given_name")
        self.given_name.setMaxLength(100)

        self.person_form.setWidget(1, QFormLayout.ItemRole.FieldRole, self.given_name)

        self.family_name_label = QLabel(self.person_group)
        self.family_name_label.setObjectName(u"family_name_label")

        self.person_form.setWidget(2, QFormLayout.ItemRole.LabelRole, self.family_name_label)

        self.family_name = QLineEdit(self.person_group)
        self.family_name.setObjectName(u"family_name")
        self.family_name.setMaxLength(100)

        self.person_form.setWidget(2, QFormLayout.ItemRole.FieldRole, self.family_name)

        self.preferred_name_label = QLabel(self.person_group)
        self.preferred_name_label.setObjectName(u"preferred_name_label")

        self.person_form.setWidget(3, QFormLayout.ItemRole.LabelRole, self.preferred_name_label)

        self.preferred_name = QLineEdit(self.person_group)
        self.preferred_name.setObjectName(u"preferred_name")
        self.preferred_name.setMaxLength(100)

        self.person_form.setWidget(3, QFormLayout.ItemRole.FieldRole, self.preferred_name)

        self.email_label = QLabel(self.person_group)
        self.email_label.setObjectName(u"email_label")

        self.person_form.setWidget(4, QFormLayout.ItemRole.LabelRole, self.email_label)

        self.email = QLineEdit(self.person_group)
        self.email.setObjectName(u"email")
        self.email.setMaxLength(254)

        self.person_form.setWidget(4, QFormLayout.ItemRole.FieldRole, self.email)

        self.employee_number_label = QLabel(self.person_group)
        self.employee_number_label.setObjectName(u"employee_number_label")

        self.person_form.setWidget(5, QFormLayout.ItemRole.LabelRole, self.employee_number_label)

        self.employee_number = QLineEdit(self.person_group)
        self.employee_number.setObjectName(u"employee_number")
        self.employee_number.setMaxLength(30)

        self.person_form.setWidget(5, QFormLayout.ItemRole.FieldRole, self.employee_number)


        self.left_column.addWidget(self.person_group)

        self.registration_group = QGroupBox(self.scroll_contents)
        self.registration_group.setObjectName(u"registration_group")
        self.registration_form = QFormLayout(self.registration_group)
        self.registration_form.setObjectName(u"registration_form")
        self.registration_form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.register_code_label = QLabel(self.registration_group)
        self.register_code_label.setObjectName(u"register_code_label")

        self.registration_form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.register_code_label)

        self.register_code = QComboBox(self.registration_group)
        self.register_code.setObjectName(u"register_code")

        self.registration_form.setWidget(0, QFormLayout.ItemRole.FieldRole, self.register_code)

        self.registration_number_label = QLabel(self.registration_group)
        self.registration_number_label.setObjectName(u"registration_number_label")

        self.registration_form.setWidget(1, QFormLayout.ItemRole.LabelRole, self.registration_number_label)

        self.registration_number = QLineEdit(self.registration_group)
        self.registration_number.setObjectName(u"registration_number")
        self.registration_number.setMaxLength(20)

        self.registration_form.setWidget(1, QFormLayout.ItemRole.FieldRole, self.registration_number)

        self.renewal_known_label = QLabel(self.registration_group)
        self.renewal_known_label.setObjectName(u"renewal_known_label")

        self.registration_form.setWidget(2, QFormLayout.ItemRole.LabelRole, self.renewal_known_label)

        self.registration_renewal_row = QHBoxLayout()
        self.registration_renewal_row.setObjectName(u"registration_renewal_row")
        self.renewal_known = QCheckBox(self.registration_group)
        self.renewal_known.setObjectName(u"renewal_known")

        self.registration_renewal_row.addWidget(self.renewal_known)

        self.registration_renewal = DateEdit(self.registration_group)
        self.registration_renewal.setObjectName(u"registration_renewal")
        self.registration_renewal.setCalendarPopup(True)

        self.registration_renewal_row.addWidget(self.registration_renewal)

        self.registration_renewal_spacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.registration_renewal_row.addItem(self.registration_renewal_spacer)


        self.registration_form.setLayout(2, QFormLayout.ItemRole.FieldRole, self.registration_renewal_row)


        self.left_column.addWidget(self.registration_group)

        self.left_spacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.left_column.addItem(self.left_spacer)


        self.columns.addLayout(self.left_column)

        self.right_column = QVBoxLayout()
        self.right_column.setObjectName(u"right_column")
        self.employment_group = QGroupBox(self.scroll_contents)
        self.employment_group.setObjectName(u"employment_group")
        self.employment_form = QFormLayout(self.employment_group)
        self.employment_form.setObjectName(u"employment_form")
        self.employment_form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.role_code_label = QLabel(self.employment_group)
        self.role_code_label.setObjectName(u"role_code_label")

        self.employment_form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.role_code_label)

        self.role_code = QComboBox(self.employment_group)
        self.role_code.setObjectName(u"role_code")

        self.employment_form.setWidget(0, QFormLayout.ItemRole.FieldRole, self.role_code)

        self.employer_id_label = QLabel(self.employment_group)
        self.employer_id_label.setObjectName(u"employer_id_label")

        self.employment_form.setWidget(1, QFormLayout.ItemRole.LabelRole, self.employer_id_label)

        self.employer_id = QComboBox(self.employment_group)
        self.employer_id.setObjectName(u"employer_id")

        self.employment_form.setWidget(1, QFormLayout.ItemRole.FieldRole, self.employer_id)

        self.employment_model_label = QLabel(self.employment_group)
        self.employment_model_label.setObjectName(u"employment_model_label")

        self.employment_form.setWidget(2, QFormLayout.ItemRole.LabelRole, self.employment_model_label)

        self.employment_model = QComboBox(self.employment_group)
        self.employment_model.setObjectName(u"employment_model")

        self.employment_form.setWidget(2, QFormLayout.ItemRole.FieldRole, self.employment_model)

        self.practice_ids_label = QLabel(self.employment_group)
        self.practice_ids_label.setObjectName(u"practice_ids_label")

        self.employment_form.setWidget(3, QFormLayout.ItemRole.LabelRole, self.practice_ids_label)

        self.practice_ids = QListWidget(self.employment_group)
        self.practice_ids.setObjectName(u"practice_ids")
        self.practice_ids.setMaximumSize(QSize(16777215, 110))

        self.employment_form.setWidget(3, QFormLayout.ItemRole.FieldRole, self.practice_ids)

        self.line_manager_id_label = QLabel(self.employment_group)
        self.line_manager_id_label.setObjectName(u"line_manager_id_label")

        self.employment_form.setWidget(4, QFormLayout.ItemRole.LabelRole, self.line_manager_id_label)

        self.line_manager_id = QComboBox(self.employment_group)
        self.line_manager_id.setObjectName(u"line_manager_id")
        self.line_manager_id.setEditable(True)

        self.employment_form.setWidget(4, QFormLayout.ItemRole.FieldRole, self.line_manager_id)

        self.afc_band_label = QLabel(self.employment_group)
        self.afc_band_label.setObjectName(u"afc_band_label")

        self.employment_form.setWidget(5, QFormLayout.ItemRole.LabelRole, self.afc_band_label)

        self.afc_band = QComboBox(self.employment_group)
        self.afc_band.setObjectName(u"afc_band")

        self.employment_form.setWidget(5, QFormLayout.ItemRole.FieldRole, self.afc_band)

        self.hours_per_week_label = QLabel(self.employment_group)
        self.hours_per_week_label.setObjectName(u"hours_per_week_label")

        self.employment_form.setWidget(6, QFormLayout.ItemRole.LabelRole, self.hours_per_week_label)

        self.hours_row = QHBoxLayout()
        self.hours_row.setObjectName(u"hours_row")
        self.hours_per_week = QDoubleSpinBox(self.employment_group)
        self.hours_per_week.setObjectName(u"hours_per_week")
        self.hours_per_week.setDecimals(2)
        self.hours_per_week.setMaximum(60.000000000000000)
        self.hours_per_week.setSingleStep(0.500000000000000)

        self.hours_row.addWidget(self.hours_per_week)

        self.wte_label = QLabel(self.employment_group)
        self.wte_label.setObjectName(u"wte_label")

        self.hours_row.addWidget(self.wte_label)


        self.employment_form.setLayout(6, QFormLayout.ItemRole.FieldRole, self.hours_row)


        self.right_column.addWidget(self.employment_group)

        self.dates_group = QGroupBox(self.scroll_contents)
        self.dates_group.setObjectName(u"dates_group")
        self.dates_form = QFormLayout(self.dates_group)
        self.dates_form.setObjectName(u"dates_form")
        self.dates_form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.start_date_label = QLabel(self.dates_group)
        self.start_date_label.setObjectName(u"start_date_label")

        self.dates_form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.start_date_label)

        self.start_date = DateEdit(self.dates_group)
        self.start_date.setObjectName(u"start_date")
        self.start_date.setCalendarPopup(True)

        self.dates_form.setWidget(0, QFormLayout.ItemRole.FieldRole, self.start_date)

        self.status_label = QLabel(self.dates_group)
        self.status_label.setObjectName(u"status_label")

        self.dates_form.setWidget(1, QFormLayout.ItemRole.LabelRole, self.status_label)

        self.status = QComboBox(self.dates_group)
        self.status.setObjectName(u"status")

        self.dates_form.setWidget(1, QFormLayout.ItemRole.FieldRole, self.status)

        self.end_date_known_label = QLabel(self.dates_group)
        self.end_date_known_label.setObjectName(u"end_date_known_label")

        self.dates_form.setWidget(2, QFormLayout.ItemRole.LabelRole, self.end_date_known_label)

        self.end_date_row = QHBoxLayout()
        self.end_date_row.setObjectName(u"end_date_row")
        self.end_date_known = QCheckBox(self.dates_group)
        self.end_date_known.setObjectName(u"end_date_known")

        self.end_date_row.addWidget(self.end_date_known)

        self.end_date = DateEdit(self.dates_group)
        self.end_date.setObjectName(u"end_date")
        self.end_date.setCalendarPopup(True)

        self.end_date_row.addWidget(self.end_date)

        self.end_date_spacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.end_date_row.addItem(self.end_date_spacer)


        self.dates_form.setLayout(2, QFormLayout.ItemRole.FieldRole, self.end_date_row)

        self.leaving_reason_label = QLabel(self.dates_group)
        self.leaving_reason_label.setObjectName(u"leaving_reason_label")

        self.dates_form.setWidget(3, QFormLayout.ItemRole.LabelRole, self.leaving_reason_label)

        self.leaving_reason = QComboBox(self.dates_group)
        self.leaving_reason.setObjectName(u"leaving_reason")
        self.leaving_reason.setEditable(True)

        self.dates_form.setWidget(3, QFormLayout.ItemRole.FieldRole, self.leaving_reason)


        self.right_column.addWidget(self.dates_group)

        self.right_spacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.right_column.addItem(self.right_spacer)


        self.columns.addLayout(self.right_column)

        self.scroll.setWidget(self.scroll_contents)

        self.outer.addWidget(self.scroll)

        self.buttons = QDialogButtonBox(StaffEditor)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.Cancel|QDialogButtonBox.Save)

        self.outer.addWidget(self.buttons)

#if QT_CONFIG(shortcut)
        self.title_label.setBuddy(self.title)
        self.given_name_label.setBuddy(self.given_name)
        self.family_name_label.setBuddy(self.family_name)
        self.preferred_name_label.setBuddy(self.preferred_name)
        self.email_label.setBuddy(self.email)
        self.employee_number_label.setBuddy(self.employee_number)
        self.register_code_label.setBuddy(self.register_code)
        self.registration_number_label.setBuddy(self.registration_number)
        self.renewal_known_label.setBuddy(self.renewal_known)
        self.role_code_label.setBuddy(self.role_code)
        self.employer_id_label.setBuddy(self.employer_id)
        self.employment_model_label.setBuddy(self.employment_model)
        self.practice_ids_label.setBuddy(self.practice_ids)
        self.line_manager_id_label.setBuddy(self.line_manager_id)
        self.afc_band_label.setBuddy(self.afc_band)
        self.hours_per_week_label.setBuddy(self.hours_per_week)
        self.start_date_label.setBuddy(self.start_date)
        self.status_label.setBuddy(self.status)
        self.end_date_known_label.setBuddy(self.end_date_known)
        self.leaving_reason_label.setBuddy(self.leaving_reason)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.title, self.given_name)
        QWidget.setTabOrder(self.given_name, self.family_name)
        QWidget.setTabOrder(self.family_name, self.preferred_name)
        QWidget.setTabOrder(self.preferred_name, self.email)
        QWidget.setTabOrder(self.email, self.employee_number)
        QWidget.setTabOrder(self.employee_number, self.register_code)
        QWidget.setTabOrder(self.register_code, self.registration_number)
        QWidget.setTabOrder(self.registration_number, self.renewal_known)
        QWidget.setTabOrder(self.renewal_known, self.registration_renewal)
        QWidget.setTabOrder(self.registration_renewal, self.role_code)
        QWidget.setTabOrder(self.role_code, self.employer_id)
        QWidget.setTabOrder(self.employer_id, self.employment_model)
        QWidget.setTabOrder(self.employment_model, self.practice_ids)
        QWidget.setTabOrder(self.practice_ids, self.line_manager_id)
        QWidget.setTabOrder(self.line_manager_id, self.afc_band)
        QWidget.setTabOrder(self.afc_band, self.hours_per_week)
        QWidget.setTabOrder(self.hours_per_week, self.start_date)
        QWidget.setTabOrder(self.start_date, self.status)
        QWidget.setTabOrder(self.status, self.end_date_known)
        QWidget.setTabOrder(self.end_date_known, self.end_date)
        QWidget.setTabOrder(self.end_date, self.leaving_reason)

        self.retranslateUi(StaffEditor)

        QMetaObject.connectSlotsByName(StaffEditor)
    # setupUi

    def retranslateUi(self, StaffEditor):
        StaffEditor.setWindowTitle(QCoreApplication.translate("StaffEditor", u"Staff member", None))
        self.heading.setText(QCoreApplication.translate("StaffEditor", u"New staff member", None))
#if QT_CONFIG(accessibility)
        self.heading.setAccessibleName(QCoreApplication.translate("StaffEditor", u"Dialog heading", None))
#endif // QT_CONFIG(accessibility)
        self.summary_error.setText("")
#if QT_CONFIG(accessibility)
        self.summary_error.setAccessibleName(QCoreApplication.translate("StaffEditor", u"Problems to fix", None))
#endif // QT_CONFIG(accessibility)
        self.person_group.setTitle(QCoreApplication.translate("StaffEditor", u"Person", None))
        self.title_label.setText(QCoreApplication.translate("StaffEditor", u"T&itle", None))
#if QT_CONFIG(tooltip)
        self.title.setToolTip(QCoreApplication.translate("StaffEditor", u"Optional. Printed on letters, certificates and appraisal packs (Dr Priya Patel); lists show names without it. Choose one or type another, such as Revd.", None))
#endif // QT_CONFIG(tooltip)
#if QT_CONFIG(accessibility)
        self.title.setAccessibleName(QCoreApplication.translate("StaffEditor", u"Title", None))
#endif // QT_CONFIG(accessibility)
        self.given_name_label.setText(QCoreApplication.translate("StaffEditor", u"&First name", None))
        self.given_name.setPlaceholderText(QCoreApplication.translate("StaffEditor", u"As on their contract", None))
#if QT_CONFIG(accessibility)
        self.given_name.setAccessibleName(QCoreApplication.translate("StaffEditor", u"First name", None))
#endif // QT_CONFIG(accessibility)
        self.family_name_label.setText(QCoreApplication.translate("StaffEditor", u"Family &name", None))
#if QT_CONFIG(accessibility)
        self.family_name.setAccessibleName(QCoreApplication.translate("StaffEditor", u"Family name", None))
#endif // QT_CONFIG(accessibility)
        self.preferred_name_label.setText(QCoreApplication.translate("StaffEditor", u"&Preferred name", None))
        self.preferred_name.setPlaceholderText(QCoreApplication.translate("StaffEditor", u"Optional: the name they go by", None))
#if QT_CONFIG(accessibility)
        self.preferred_name.setAccessibleName(QCoreApplication.translate("StaffEditor", u"Preferred name", None))
#endif // QT_CONFIG(accessibility)
        self.email_label.setText(QCoreApplication.translate("StaffEditor", u"&Email", None))
        self.email.setPlaceholderText(QCoreApplication.translate("StaffEditor", u"name@nhs.net", None))
#if QT_CONFIG(accessibility)
        self.email.setAccessibleName(QCoreApplication.translate("StaffEditor", u"Email address", None))
#endif // QT_CONFIG(accessibility)
        self.employee_number_label.setText(QCoreApplication.translate("StaffEditor", u"Emplo&yee number", None))
        self.employee_number.setPlaceholderText(QCoreApplication.translate("StaffEditor", u"Optional: from the employer's HR or payroll system", None))
#if QT_CONFIG(tooltip)
        self.employee_number.setToolTip(QCoreApplication.translate("StaffEditor", u"The number the employer's HR or payroll system gives this person. A staff import finds them by it and updates their record instead of adding them again.", None))
#endif // QT_CONFIG(tooltip)
#if QT_CONFIG(accessibility)
        self.employee_number.setAccessibleName(QCoreApplication.translate("StaffEditor", u"Employee number", None))
#endif // QT_CONFIG(accessibility)
        self.registration_group.setTitle(QCoreApplication.translate("StaffEditor", u"Professional registration", None))
        self.register_code_label.setText(QCoreApplication.translate("StaffEditor", u"Re&gister", None))
#if QT_CONFIG(accessibility)
        self.register_code.setAccessibleName(QCoreApplication.translate("StaffEditor", u"Professional register", None))
#endif // QT_CONFIG(accessibility)
        self.registration_number_label.setText(QCoreApplication.translate("StaffEditor", u"Registration n&umber", None))
#if QT_CONFIG(accessibility)
        self.registration_number.setAccessibleName(QCoreApplication.translate("StaffEditor", u"Registration number", None))
#endif // QT_CONFIG(accessibility)
        self.renewal_known_label.setText(QCoreApplication.translate("StaffEditor", u"Rene&wal date", None))
        self.renewal_known.setText(QCoreApplication.translate("StaffEditor", u"Renewal date known", None))
#if QT_CONFIG(accessibility)
        self.renewal_known.setAccessibleName(QCoreApplication.translate("StaffEditor", u"Renewal date known", None))
#endif // QT_CONFIG(accessibility)
        self.registration_renewal.setDisplayFormat(QCoreApplication.translate("StaffEditor", u"dd/MM/yyyy", None))
#if QT_CONFIG(accessibility)
        self.registration_renewal.setAccessibleName(QCoreApplication.translate("StaffEditor", u"Registration renewal date", None))
#endif // QT_CONFIG(accessibility)
        self.employment_group.setTitle(QCoreApplication.translate("StaffEditor", u"Role and employment", None))
        self.role_code_label.setText(QCoreApplication.translate("StaffEditor", u"&Role", None))
#if QT_CONFIG(accessibility)
        self.role_code.setAccessibleName(QCoreApplication.translate("StaffEditor", u"Role", None))
#endif // QT_CONFIG(accessibility)
        self.employer_id_label.setText(QCoreApplication.translate("StaffEditor", u"E&mployer", None))
#if QT_CONFIG(accessibility)
        self.employer_id.setAccessibleName(QCoreApplication.translate("StaffEditor", u"Employing organisation", None))
#endif // QT_CONFIG(accessibility)
        self.employment_model_label.setText(QCoreApplication.translate("StaffEditor", u"Employment m&odel", None))
#if QT_CONFIG(accessibility)
        self.employment_model.setAccessibleName(QCoreApplication.translate("StaffEditor", u"Employment model", None))
#endif // QT_CONFIG(accessibility)
        self.practice_ids_label.setText(QCoreApplication.translate("StaffEditor", u"&Base practice(s)", None))
#if QT_CONFIG(accessibility)
        self.practice_ids.setAccessibleName(QCoreApplication.translate("StaffEditor", u"Base practices", None))
#endif // QT_CONFIG(accessibility)
        self.line_manager_id_label.setText(QCoreApplication.translate("StaffEditor", u"&Line manager", None))
#if QT_CONFIG(accessibility)
        self.line_manager_id.setAccessibleName(QCoreApplication.translate("StaffEditor", u"Line manager", None))
#endif // QT_CONFIG(accessibility)
        self.afc_band_label.setText(QCoreApplication.translate("StaffEditor", u"AfC b&and", None))
#if QT_CONFIG(accessibility)
        self.afc_band.setAccessibleName(QCoreApplication.translate("StaffEditor", u"Agenda for Change band", None))
#endif // QT_CONFIG(accessibility)
        self.hours_per_week_label.setText(QCoreApplication.translate("StaffEditor", u"&Hours per week", None))
        self.hours_per_week.setSpecialValueText(QCoreApplication.translate("StaffEditor", u"Not recorded", None))
#if QT_CONFIG(accessibility)
        self.hours_per_week.setAccessibleName(QCoreApplication.translate("StaffEditor", u"Hours per week", None))
#endif // QT_CONFIG(accessibility)
        self.wte_label.setText("")
        self.dates_group.setTitle(QCoreApplication.translate("StaffEditor", u"Dates and status", None))
        self.start_date_label.setText(QCoreApplication.translate("StaffEditor", u"&Start date", None))
        self.start_date.setDisplayFormat(QCoreApplication.translate("StaffEditor", u"dd/MM/yyyy", None))
#if QT_CONFIG(accessibility)
        self.start_date.setAccessibleName(QCoreApplication.translate("StaffEditor", u"Start date", None))
#endif // QT_CONFIG(accessibility)
        self.status_label.setText(QCoreApplication.translate("StaffEditor", u"S&tatus", None))
#if QT_CONFIG(accessibility)
        self.status.setAccessibleName(QCoreApplication.translate("StaffEditor", u"Status", None))
#endif // QT_CONFIG(accessibility)
        self.end_date_known_label.setText(QCoreApplication.translate("StaffEditor", u"&End date", None))
        self.end_date_known.setText(QCoreApplication.translate("StaffEditor", u"Has an end date", None))
#if QT_CONFIG(accessibility)
        self.end_date_known.setAccessibleName(QCoreApplication.translate("StaffEditor", u"Has an end date", None))
#endif // QT_CONFIG(accessibility)
        self.end_date.setDisplayFormat(QCoreApplication.translate("StaffEditor", u"dd/MM/yyyy", None))
#if QT_CONFIG(accessibility)
        self.end_date.setAccessibleName(QCoreApplication.translate("StaffEditor", u"End date", None))
#endif // QT_CONFIG(accessibility)
        self.leaving_reason_label.setText(QCoreApplication.translate("StaffEditor", u"Leaving rea&son", None))
#if QT_CONFIG(accessibility)
        self.leaving_reason.setAccessibleName(QCoreApplication.translate("StaffEditor", u"Leaving reason", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi

