"""The main window: navigation, menus and shortcuts, and the pages they lead to.

The window is shown before the database is opened (opening imports the database layer and
may run migrations), so the user sees ARRS Desk at once and a clear message if opening fails.

Why it is longer than ~600 lines: it is the one place that wires every feature to the menus,
the page list, sign-in, locking and the database being opened, closed, backed up and restored.
The parts with a life of their own are already elsewhere (shell/lock_screen.py, shell/idle.py,
shell/day_watcher.py, shell/account_dialogs.py, admin/backup_dialogs.py, imports/, exports/); what remains are short
handlers that each connect one menu action to one of them, and reading them together is how the
window's states (no database, signed out, locked, signed in) are checked by eye.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication, QLabel, QListWidget, QListWidgetItem, QMainWindow, QSplitter, QStackedWidget, QWidget,
)

from arrs_desk import APP_NAME, __version__
from arrs_desk.ui.common.changes import EVERYTHING, ORGANISATIONS as ORGANISATION_CHANGES, ROLES, STAFF
from arrs_desk.ui.common.changes import announce, changes_of, refresh_when_free
from arrs_desk.ui.common.first_paint import after_first_paint
from arrs_desk.ui.common.enabled import set_enabled_with_reason
from arrs_desk.ui.common.error_display import show_error
from arrs_desk.ui.common.operation import Operation, running_operations
from arrs_desk.ui.shell.figures_ahead import work_out_home_ahead
from arrs_desk.ui.common.icons import app_icon
from arrs_desk.ui.common.accessibility import keyboard_friendly
from arrs_desk.ui.common.page import Page


@dataclass(frozen=True)
class PageSpec:
    """A navigation page, imported and built the first time someone opens it (keeps start-up fast)."""

    title: str
    module: str
    class_name: str
    required_action: str | None = None  # an `Action` value; the page is listed only for those allowed


ORGANISATIONS = "Practices and employers"
STAFF_LIST_SHOWS = frozenset({STAFF, ORGANISATION_CHANGES, ROLES})
_ASK = object()
"""`open_in_background`: find the database's key first (it is encrypted, or may be)."""
_NO_KEY = object()
"""`_key_for`: the database is encrypted and nobody entered its passphrase."""
"""The areas whose changes the staff list shows (names, roles, practices)."""

# Feature pages in navigation order, after Staff. Add new pages here.
FEATURE_PAGES: tuple[PageSpec, ...] = (
    PageSpec("Home", "arrs_desk.ui.home.home_page", "HomePage"),
    PageSpec("My induction", "arrs_desk.ui.induction.induction_pages", "MyInductionPage"),
    # Administrators and line managers (CREATE_STAFF's holders): the people who look after starters.
    PageSpec("Induction", "arrs_desk.ui.induction.induction_pages", "InductionPage", "create_staff"),
    PageSpec("Supervision", "arrs_desk.ui.supervision.supervision_page", "SupervisionPage"),
    PageSpec("Programmes", "arrs_desk.ui.programmes.programmes_page", "ProgrammesPage"),
    PageSpec("Reviews", "arrs_desk.ui.reviews.reviews_page", "ReviewsPage"),
    PageSpec("Training", "arrs_desk.ui.training.page", "TrainingPage"),
    PageSpec("Revalidation", "arrs_desk.ui.revalidation.page", "RevalidationPage"),
    PageSpec("My check-ins", "arrs_desk.ui.checkins.checkins_page", "MyCheckinsPage"),
    PageSpec("Assurance", "arrs_desk.ui.assurance.assurance_page", "AssurancePage", "create_staff"),
    PageSpec("Retention", "arrs_desk.ui.admin.retention_page", "RetentionPage", "create_staff"),
    PageSpec(ORGANISATIONS, "arrs_desk.ui.admin.organisations_page", "OrganisationsPage", "manage_organisations"),
    PageSpec("Roles", "arrs_desk.ui.admin.roles_page", "RolesPage", "manage_templates"),
    PageSpec("User accounts", "arrs_desk.ui.admin.users_page", "UsersPage", "manage_users"),
    PageSpec("Audit trail", "arrs_desk.ui.audit.audit_page", "AuditPage", "view_audit"),
    PageSpec("Records retention", "arrs_desk.ui.records_retention.page", "RecordsRetentionPage", "manage_settings"),
    PageSpec("Data security (DSPT)", "arrs_desk.ui.dspt.page", "DsptPage", "view_audit"),
)


class MainWindow(QMainWindow):
    def __init__(self, *, settings: QSettings, workspace=None, actor=None):
        super().__init__()
        self.settings = settings
        self.workspace = None
        self.actor = actor
        self._staff_stale = False  # changed while another page was showing: reload when shown
        self.setWindowTitle(APP_NAME)
        self.setWindowIcon(app_icon())
        self.setMinimumSize(720, 480)

        self._staff_page = None  # built just after the first paint: see `staff_page`
        self._adds_staff = True  # whether whoever is signed in may add staff (`_apply_permissions`)
        self.specs: tuple[PageSpec, ...] = FEATURE_PAGES
        self._built: dict[str, Page] = {}
        self.pages = QStackedWidget()
        self.nav = QListWidget()
        self.nav.setAccessibleName("Sections")
        self.nav.setMaximumWidth(240)
        self.pages.addWidget(QWidget())  # the staff page's place until it is built
        QListWidgetItem("Staff", self.nav)
        for spec in self.specs:
            self.pages.addWidget(QWidget())  # replaced by the real page when first shown
            QListWidgetItem(spec.title, self.nav)
        # Every section name readable in full, at any text size.
        widest = self.nav.sizeHintForColumn(0) + 2 * self.nav.frameWidth() + 12
        self.nav.setMinimumWidth(widest)
        self.nav.setMaximumWidth(max(240, widest))
        self.nav.currentRowChanged.connect(self._show_page)
        splitter = QSplitter()
        splitter.setObjectName("main_splitter")
        splitter.addWidget(self.nav)
        splitter.addWidget(self.pages)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter
        self.setCentralWidget(splitter)

        self.location_label = QLabel()
        self.user_label = QLabel()
        self.statusBar().addPermanentWidget(self.user_label)
        self.statusBar().addPermanentWidget(self.location_label)

        self._idle_watcher = None
        self._day_watcher = None
        self._idle_minutes_at_sign_in: int | None = None  # read with the last sign-in, used once
        self._lock_keys = None
        self._locked = None  # the LockedScreen while waiting for someone to sign in
        self._make_actions()
        self.nav.setCurrentRow(0)
        self._restore_geometry()
        self._set_enabled(False)
        if workspace is not None:
            self.set_workspace(workspace, actor)

    @property
    def staff_page(self):
        """The staff list, built on first use. The window frame, menus and navigation are shown
        first: the list's module and Qt's large enum namespace cost tens of milliseconds that the
        user would otherwise spend looking at nothing (issue 2's start-up target)."""
        if self._staff_page is None:
            from arrs_desk.ui.staff.staff_page import StaffPage

            page = StaffPage()
            keyboard_friendly(page)
            page.open_requested.connect(self.edit_staff)
            page.new_requested.connect(self.new_staff)
            page.demo_requested.connect(self.load_demo)
            page.setup_requested.connect(lambda: self.show_page(ORGANISATIONS))
            page.export_bundle_requested.connect(self.export_record_bundle)
            page.set_may_add(self._adds_staff)
            header = self.settings.value("staff_table/header")
            if isinstance(header, QByteArray) and not header.isEmpty():
                page.table.horizontalHeader().restoreState(header)
                page._column_widths_set = True
            placeholder = self.pages.widget(0)
            self.pages.insertWidget(0, page)
            self.pages.removeWidget(placeholder)
            placeholder.deleteLater()
            if self.nav.currentRow() == 0:
                self.pages.setCurrentIndex(0)
            self._staff_page = page
        return self._staff_page

    # --- actions and menus --------------------------------------------------------------
    def _action(self, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            # setShortcuts, not setShortcut: PySide resolving setShortcut's overloads builds all
            # of Qt's key enums (~15 ms), which would delay the first sight of the window.
            action.setShortcuts([QKeySequence(shortcut)])
        action.setStatusTip(tip)
        action.triggered.connect(slot)
        return action

    def _make_actions(self) -> None:
        self.new_action = self._action("&New staff member…", self.new_staff, QKeySequence.StandardKey.New,
                                       "Add a person to the staff list")
        self.open_action = self._action("&Open database…", self.choose_database, QKeySequence.StandardKey.Open,
                                        "Open another ARRS Desk database file")
        self.demo_action = self._action("Load &demonstration data", self.load_demo, None,
                                        "Fill an empty database with a fictional PCN")
        self.quit_action = self._action("E&xit", self.close, QKeySequence.StandardKey.Quit)
        self.lock_action = self._action("&Lock or switch user", self.lock, "Ctrl+Shift+L",
                                        "Sign out and leave ARRS Desk ready for the next person")
        self.password_action = self._action("Change my &password…", self.change_password, None)
        self.two_step_action = self._action("T&wo-step sign-in…", self.two_step, None,
                                            "Sign in with a code from an authenticator app as well as your password")
        self.import_action = self._action("&Import staff…", self.import_staff, None,
                                          "Add staff from a CSV or Excel file, such as an HR export")
        self.backup_action = self._action("&Back up now…", self.back_up_now, None, "Save a checked copy of the database")
        self.restore_action = self._action("&Restore from backup…", self.restore_from_backup, None,
                                           "Put back a copy of the database made earlier")
        self.bundle_action = self._action("Import record b&undle…", self.import_record_bundle, None,
                                          "Add someone joining from another PCN, with their record")
        self.my_copy_action = self._action("Copy of everything held about &me…", self._copy_of_mine, None,
                                           "Save a PDF and a ZIP of your own records (subject access)")
        self.subject_copy_action = self._action("Subject access copy for the selected person…",
                                                self._copy_for_selected, None,
                                                "Save a PDF and a ZIP of everything held about the selected person")
        self.export_action = self._action("&Export all data…", self.export_all_data, None,
                                          "Save everything, with evidence files, to one ZIP file (docs/export-format.md)")
        self.settings_action = self._action("&Settings…", self.show_settings, QKeySequence.StandardKey.Preferences,
                                            "Appearance on this PC; the PCN's shared settings for administrators")
        self.edit_action = self._action("&Open selected record…", self._edit_selected, "Ctrl+E",
                                        "Open the selected person's record")
        self.find_action = self._action("&Find…", self._find, QKeySequence.StandardKey.Find, "Search the staff list")
        self.refresh_action = self._action("&Refresh", self.refresh, QKeySequence.StandardKey.Refresh,
                                           "Reload from the database (shows changes made on other PCs)")
        self.guide_action = self._action("ARRS Desk &user guide", self.show_guide, QKeySequence.StandardKey.HelpContents)
        self.about_action = self._action("&About ARRS Desk", self.show_about)

        file_menu = self.menuBar().addMenu("&File")
        file_menu.addActions([self.new_action, self.open_action])
        file_menu.addSeparator()
        file_menu.addActions([self.import_action, self.bundle_action, self.demo_action])
        file_menu.addSeparator()
        file_menu.addActions([self.backup_action, self.restore_action, self.export_action])
        file_menu.addActions([self.my_copy_action, self.subject_copy_action])
        file_menu.addSeparator()
        file_menu.addActions([self.settings_action, self.password_action, self.two_step_action, self.lock_action])
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = self.menuBar().addMenu("&Edit")
        edit_menu.addActions([self.edit_action, self.find_action])
        view_menu = self.menuBar().addMenu("&View")
        self.page_actions = []
        for row in range(self.nav.count()):
            shortcut = f"Ctrl+{row + 1}" if row < 9 else None  # Ctrl+1 to Ctrl+9 for the first nine pages
            action = self._action(self.nav.item(row).text(), lambda _=False, r=row: self.nav.setCurrentRow(r), shortcut)
            self.page_actions.append(action)
            view_menu.addAction(action)
        view_menu.addSeparator()
        self.columns_menu = view_menu.addMenu("&Columns shown")
        self.columns_menu.setStatusTip("Show or hide the columns of the list on this page")
        view_menu.aboutToShow.connect(self._offer_columns)
        view_menu.addAction(self.refresh_action)
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addActions([self.guide_action, self.about_action])

    def _offer_columns(self) -> None:
        """View > Columns shown: the current page's column choice (`ui.common.column_choice`), the
        keyboard's way to what a right-click on the list's heading offers; greyed where there is none."""
        from arrs_desk.ui.common.column_choice import column_choice_in

        choice = column_choice_in(self.pages.currentWidget()) if self.pages.isEnabled() else None
        self.columns_menu.clear()
        if choice is not None:
            choice.fill(self.columns_menu)
        self.columns_menu.menuAction().setEnabled(choice is not None)

    def _set_enabled(self, enabled: bool, why: str = "Available once a database is open and you have signed in.") -> None:
        for action in (self.new_action, self.demo_action, self.edit_action, self.find_action, self.refresh_action,
                       self.lock_action, self.password_action, self.two_step_action, self.settings_action,
                       self.import_action,
                       self.backup_action, self.restore_action, self.export_action, self.bundle_action,
                       self.my_copy_action, self.subject_copy_action, *self.page_actions[1:]):
            set_enabled_with_reason(action, enabled, why)
        self.pages.setEnabled(enabled)
        self.nav.setEnabled(enabled)

    def _show_page(self, row: int) -> None:
        if row > 0 and self.workspace is not None:
            self.page(self.specs[row - 1].title)
        self.pages.setCurrentIndex(row)
        page = self.pages.currentWidget()
        if isinstance(page, Page) and self.workspace is not None:
            self._refresh_page(page)
        elif row == 0 and self._staff_stale and self.workspace is not None:
            self._refresh_staff()

    def _refresh_page(self, page: Page) -> None:
        """Any page's refresh, with whatever error it meets shown the standard way. A page that reads
        here, not in the background (`load_data`), reads in one session for the person signed in,
        whose account is checked first, as a save checks it: a leaver's window locks."""
        Operation(self, lambda ws: ws.read_at_once(lambda _ws: page.refresh(), reader=self.actor)).run()

    def page(self, title: str) -> Page:
        """The page with this title, built on first use."""
        if title not in self._built:
            import importlib

            index = next(i for i, spec in enumerate(self.specs) if spec.title == title)
            spec = self.specs[index]
            page = getattr(importlib.import_module(spec.module), spec.class_name)()
            placeholder = self.pages.widget(index + 1)
            self.pages.insertWidget(index + 1, page)
            self.pages.removeWidget(placeholder)
            placeholder.deleteLater()
            self._built[title] = page
            keyboard_friendly(page)
            if self.workspace is not None:
                page.set_context(self.workspace, self.actor)
        return self._built[title]

    def show_page(self, title: str) -> None:
        self.nav.setCurrentRow(1 + next(i for i, spec in enumerate(self.specs) if spec.title == title))

    # --- opening a database -------------------------------------------------------------
    def start(self, target: str) -> None:
        """Show what can be shown at once, then open the database properly in the background.

        In single-user mode the staff list is filled straight away from a light read of the file,
        so it can be browsed and searched while the full database layer loads; changes wait for it.
        The screen fitter (`fit`) is installed once that list is painted: installing it makes PySide
        build every Qt class not yet needed (about 10 ms), and this window is already on screen.
        """
        from arrs_desk.services.quick_start import single_user_quick_start

        page = self.staff_page  # built now that the window is on screen
        key = self._key_for(target)
        if key is _NO_KEY:
            self.close()
            return
        quick = single_user_quick_start(target, key)
        if quick is None:
            self._fit_every_window()
            self.open_in_background(target, key)
            return
        page.set_rows(quick.rows)
        self.user_label.setText(f"Signed in: {quick.actor.display_name}")
        self.pages.setEnabled(True)

        def painted() -> None:
            self._fit_every_window()
            self.open_in_background(target, key)

        after_first_paint(page.table.viewport(), painted)

    @staticmethod
    def _fit_every_window() -> None:
        from arrs_desk.ui.common import fit

        fit.install(QApplication.instance())  # every window, this one and the dialogs to come, within the screen

    def _key_for(self, target: str):
        """None for a plain database; an encrypted one's key, remembered on this PC or asked for;
        `_NO_KEY` when the person chose not to enter it."""
        from arrs_desk.services import encryption_keys

        if not encryption_keys.needs_key(target):
            return None
        key = encryption_keys.remembered_key(target)
        if key is not None:
            return key
        from arrs_desk.ui.shell.encryption_dialogs import PassphrasePrompt

        self._fit_every_window()  # the prompt, like every window, within the screen
        prompt = PassphrasePrompt(target, self)
        return prompt.key if prompt.exec() and prompt.key is not None else _NO_KEY

    def ask_restore_passphrase(self, backup: str, target: str):
        """The key of `target`'s encrypted backups, asked for to restore one (`backup`, the newest), or None."""
        from arrs_desk.ui.shell.encryption_dialogs import PassphrasePrompt

        prompt = PassphrasePrompt(backup, self, restoring=target)
        return prompt.key if prompt.exec() else None

    def open_in_background(self, target: str, key=_ASK) -> None:
        """Open (and, if needed, upgrade) the database without freezing the window; an encrypted
        one's key is found first (`_key_for`) unless the caller has it."""
        if key is _ASK:
            key = self._key_for(target)
            if key is _NO_KEY:
                self.statusBar().showMessage(f"{target} was not opened: it is encrypted and no passphrase was "
                                             "given.", 15000)
                return
        self.statusBar().showMessage(f"Opening {target}…")

        def open_workspace(_none):
            from arrs_desk.services.workspace import Workspace

            return Workspace.open(target, key=key)

        Operation(self, open_workspace, workspace=None).success(self._opened) \
            .failure(lambda exc: self._open_failed(exc, target, key)).run_in_background()

    def _opened(self, workspace) -> None:
        self.statusBar().clearMessage()
        actor = self.actor or self.authenticate(workspace)
        if actor is None:
            workspace.close()
            self.close()
            return
        self.set_workspace(workspace, actor)
        self.after_opening(workspace)
        work_out_home_ahead(self.statusBar(), workspace, actor)

    def after_opening(self, workspace) -> Operation:
        """The whole-file check and the daily backup, in a worker once the window is usable (the busy
        cursor only over the status bar); the person hears of them only if the file is damaged."""

        def damaged(exc: Exception) -> None:
            from arrs_desk.errors import DatabaseDamaged

            if not isinstance(exc, DatabaseDamaged):
                show_error(self, exc)
            elif workspace is self.workspace:
                from arrs_desk.ui.admin.backup_dialogs import offer_restore

                workspace.db.dispose()  # this PC's connections closed before a restore replaces the file
                offer_restore(self, workspace.location, exc.message, key=workspace.encryption.key)

        return Operation(self.statusBar(), lambda ws: ws.after_opening(), workspace=workspace) \
            .failure(damaged).run_in_background()

    def authenticate(self, workspace, *, locked_by: str = ""):
        """Whoever is at the keyboard: first-run set-up, single-user mode, or a sign-in."""
        from arrs_desk.services.accounts import SINGLE_USER
        from arrs_desk.ui.shell.account_dialogs import ChangePasswordDialog, FirstRunDialog, LoginDialog

        from PySide6.QtWidgets import QMessageBox

        accounts = workspace.accounts
        mode = accounts.mode()  # read once: on a server across sites each read is a round trip
        if mode is None:  # the first run: no administrator yet, and single-user mode not chosen
            first = FirstRunDialog(workspace, self)
            if not first.exec():
                return None
            if first.chosen == FirstRunDialog.IMPORT:  # its accounts came with it: sign in as one of them
                self.statusBar().showMessage(f"Loaded {first.imported.rows:,} records from the export", 10000)
                return self.authenticate(workspace)
            if first.chosen != FirstRunDialog.DEMO:
                return first.actor
            QMessageBox.information(
                self, "Demonstration PCN ready",
                "A fictional PCN has been created. Sign in as any of these people to see ARRS Desk as they would:\n\n"
                "helen.whitfield (PCN manager, administrator)\nsamuel.okonkwo (clinical director)\n"
                "practice.manager (a practice manager)\ngp.supervisor (a GP supervisor and appraiser)\n"
                f"zoe.okubo (a new starter)\n\nThe password for all of them is: {first.demo_password}")
            mode = accounts.mode()  # as the demonstration left it
        if mode == SINGLE_USER:
            single = Operation(self, lambda ws: ws.accounts.single_user_actor(), workspace=workspace)
            return single.result if single.run() else None
        login = LoginDialog(workspace, locked_by=locked_by, parent=self)
        if not login.exec():
            return None
        signed_in = login.signed_in  # what to ask next, read with the sign-in (one transaction)
        actor = signed_in.actor
        self._idle_minutes_at_sign_in = signed_in.idle_lock_minutes
        from arrs_desk.ui.sign_in.notices import show_account_notices

        show_account_notices(self, signed_in.notices)
        if signed_in.must_change_password:
            if not ChangePasswordDialog(workspace, actor, forced=True, parent=self).exec():
                Operation(self, lambda ws: ws.accounts.sign_out(actor), workspace=workspace).run()
                return None
        if signed_in.two_step_setup_needed:  # an administrator of a shared PostgreSQL database
            from arrs_desk.ui.shell.two_step_dialog import TwoStepDialog

            if not TwoStepDialog(workspace, actor, forced=True, parent=self).exec():
                Operation(self, lambda ws: ws.accounts.sign_out(actor), workspace=workspace).run()
                return None
        return actor

    def _open_failed(self, exc: Exception, target: str = "", key=None) -> None:
        """`key`: an encrypted database's, which restoring one of its backups needs."""
        from arrs_desk.errors import ArrsDeskError, DatabaseDamaged, DatabaseProblem

        self.statusBar().clearMessage()
        self.location_label.setText("No database open")
        if isinstance(exc, DatabaseDamaged) and target:
            from arrs_desk.ui.admin.backup_dialogs import offer_restore

            offer_restore(self, target, exc.message, key=key)  # with the newest good backup as the way forward
            return
        if not isinstance(exc, ArrsDeskError):  # a driver's own error: say what it said, as opening failed
            exc = DatabaseProblem(f"{type(exc).__name__}: {exc}")
        show_error(self, exc)

    def reopen(self, target: str, key=None) -> None:
        """After a restore the records and accounts are the backup's: open afresh and sign in again.
        `key`: the one the restore used, when no database was open (a restore keeps the key)."""
        self.idle_watcher.stop()
        self._set_enabled(False)
        self.staff_page.set_rows([])
        self.actor = None
        if key is None:
            key = self.workspace.encryption.key if self.workspace is not None else _ASK
        self.open_in_background(target, key)

    def back_up_now(self) -> None:
        from arrs_desk.ui.admin.backup_dialogs import back_up_now

        back_up_now(self)

    def export_all_data(self):
        from arrs_desk.ui.exports.export_dialogs import export_all_data

        return export_all_data(self)

    def export_record_bundle(self, staff_id: int) -> None:
        from arrs_desk.ui.exports.export_dialogs import export_record_bundle

        export_record_bundle(self, staff_id)

    def import_record_bundle(self):
        from arrs_desk.ui.exports.export_dialogs import import_record_bundle

        return import_record_bundle(self)

    def restore_from_backup(self) -> None:
        from arrs_desk.ui.admin.backup_dialogs import restore_from_backup

        restore_from_backup(self)

    def import_staff(self) -> None:
        if self.workspace is None:
            return
        from arrs_desk.ui.imports.import_wizard import ImportWizard

        wizard = ImportWizard(self.workspace, self.actor, self)
        wizard.exec()
        if wizard.result_ids:  # the list has followed the change (changes.STAFF)
            self.statusBar().showMessage(f"Imported {len(wizard.result_ids)} staff records", 8000)

    def set_workspace(self, workspace, actor) -> None:
        if self.workspace is not None and self.workspace is not workspace and self.actor is not None:
            self._sign_out(self.actor)
        if self.workspace is not None and self.workspace is not workspace:
            changes_of(self.workspace).changed.disconnect(self._workspace_changed)
            self.workspace.close()
        if self.workspace is not workspace:
            changes_of(workspace).changed.connect(self._workspace_changed)
        self.workspace, self.actor = workspace, actor
        self.location_label.setText(workspace.location)
        self.location_label.setToolTip(f"Database: {workspace.location}")
        self.user_label.setText(f"Signed in: {actor.display_name}")
        self._set_enabled(True)
        for page in self._built.values():
            page.set_context(workspace, actor)
        self._apply_permissions()
        self._build_the_page_asked_for()
        if self.day_watcher.catch_up():  # a new day came while nobody was signed in: read afresh below
            workspace.forget_figures_of_other_days(self.day_watcher.day)
        self.refresh()
        self.idle_watcher.stop()
        if actor.user_id is not None and not actor.sole_user:  # shared PCs lock when left
            self.idle_watcher.start(self._idle_lock_minutes(workspace))
            self.lock_keys.armed = True
        self.statusBar().showMessage("Ready", 3000)
        from arrs_desk.ui.audit_verify import check_on_open

        check_on_open(self, workspace, actor)  # administrators are warned if the audit trail was changed

    def _build_the_page_asked_for(self) -> None:
        """A page asked for while the database was still opening (the staff list's "set up
        practices" button, say) could not be built then and showed nothing: build it now, or go
        back to the staff list if this person may not use it."""
        row = self.nav.currentRow()
        if row <= 0 or isinstance(self.pages.currentWidget(), Page):
            return
        if self.nav.item(row).isHidden():
            self.nav.setCurrentRow(0)
            return
        self.page(self.specs[row - 1].title)
        self.pages.setCurrentIndex(row)

    def _idle_lock_minutes(self, workspace) -> int:
        """As read with the sign-in that just happened (a round trip fewer across sites), else now."""
        known, self._idle_minutes_at_sign_in = self._idle_minutes_at_sign_in, None
        return known if known is not None else workspace.accounts.idle_lock_minutes()

    @property
    def idle_watcher(self):
        """Made when first needed: it is only wanted once someone has signed in."""
        if self._idle_watcher is None:
            from arrs_desk.ui.shell.idle import IdleWatcher

            self._idle_watcher = IdleWatcher(self)
            self._idle_watcher.idle.connect(lambda: self.lock(idle=True))
        return self._idle_watcher

    @property
    def day_watcher(self):
        """Made when first needed, once someone has signed in (`_new_day`)."""
        if self._day_watcher is None:
            from arrs_desk.ui.shell.day_watcher import DayWatcher

            self._day_watcher = DayWatcher(self)
            self._day_watcher.new_day.connect(self._new_day)
        return self._day_watcher

    def _new_day(self, day) -> None:
        """Midnight has passed with the window open: yesterday's figures go, the page showing and
        the list read again as after a change, and Home's worked out ahead for whoever is signed
        in. Behind the lock screen only the figures go: signing in reads the rest."""
        if self.workspace is None:
            return
        self.workspace.forget_figures_of_other_days(day)
        if self.actor is None or self._locked is not None:
            return
        from arrs_desk.domain.dates import format_uk

        announce(self.workspace, EVERYTHING)
        status = self.statusBar()  # said once the figures are ready: a page's "Loading…" would hide it before
        work_out_home_ahead(status, self.workspace, self.actor, then=lambda: status.showMessage(
            f"A new day ({format_uk(day)}): what is due and overdue has been worked out again for today.", 15000))

    def _apply_permissions(self) -> None:
        """List only the pages this person may use; the services refuse the rest anyway."""
        from arrs_desk.domain.permissions import Action, denial

        def allowed(spec: PageSpec) -> bool:
            return spec.required_action is None or denial(self.actor.roles, Action(spec.required_action)) is None

        for row, spec in enumerate(self.specs, start=1):
            self.nav.item(row).setHidden(not allowed(spec))
            self.page_actions[row].setVisible(allowed(spec))
        self.demo_action.setVisible(denial(self.actor.roles, Action.MANAGE_ORGANISATIONS) is None)
        # Adding staff: offered only to those who may (a starter filled in the whole form, then was told no).
        adds_staff = denial(self.actor.roles, Action.CREATE_STAFF) is None
        for action in (self.new_action, self.import_action, self.bundle_action):
            action.setVisible(adds_staff)
        self._adds_staff = adds_staff
        if self._staff_page is not None:
            self._staff_page.set_may_add(adds_staff)
        for action in (self.backup_action, self.restore_action):
            action.setVisible(denial(self.actor.roles, Action.MANAGE_SETTINGS) is None)
        self.export_action.setVisible(denial(self.actor.roles, Action.EXPORT_DATA) is None)
        self.my_copy_action.setVisible(self.actor.staff_id is not None)
        self.subject_copy_action.setVisible(denial(self.actor.roles, Action.SUBJECT_ACCESS) is None)
        if self.nav.currentItem() is None or self.nav.currentItem().isHidden():
            self.nav.setCurrentRow(0)

    @property
    def lock_keys(self):
        """Ctrl+Shift+L from any window, dialogs included; armed while someone is signed in."""
        if self._lock_keys is None:
            from arrs_desk.ui.shell.lock_screen import LockKeyWatcher

            self._lock_keys = LockKeyWatcher(self)
            self._lock_keys.lock_requested.connect(self.lock)
        return self._lock_keys

    def lock(self, idle: bool = False) -> None:
        """Cover every window, sign the person out, and wait for the next person to sign in.

        Open dialogs stay open under their covers: the same person signing in finds their unsaved
        edits as they left them; anyone else gets them discarded, and the audit trail says so.
        """
        if self.workspace is None or self.actor is None or self._locked is not None:
            return
        from arrs_desk.ui.shell.lock_screen import cover_windows

        previous = self.actor
        self.idle_watcher.stop()
        self.lock_keys.armed = False
        self._locked = screen = cover_windows(self)
        self._sign_out(previous)
        self.staff_page.set_rows([])
        self.actor = None
        self._set_enabled(False, "ARRS Desk is locked: sign in to carry on.")
        self.user_label.setText("Locked")
        try:
            actor = self.authenticate(self.workspace, locked_by=previous.display_name if idle else "")
        finally:
            self._locked = None
        if actor is None:
            screen.discard_dialogs()
            screen.uncover()
            self.close()
            return
        someone_else = actor.user_id != previous.user_id or actor.username != previous.username
        # The same person, but an administrator took a role away or relinked the account meanwhile (a
        # save refused as "changed after you signed in" locked the window): a dialog left open shows
        # what the old access read, and would only be refused again, so it goes as for someone else.
        narrower = not previous.roles <= actor.roles or actor.staff_id != previous.staff_id
        if someone_else or narrower:
            self.workspace.forget_figures_of(previous)  # what they could see is not held for the next person
            if someone_else:
                self.staff_page.clear_filters()  # nor whom they were looking up ("Abrahams" in the search box)
                for page in self._built.values():  # on any page
                    page.clear_filters()
            discarded = screen.discard_dialogs()
            if discarded:
                Operation(self, lambda ws: ws.accounts.record_discarded_work(
                    actor, previous_name=previous.display_name, windows=discarded)).run()
        screen.uncover()
        self.set_workspace(self.workspace, actor)
        if actor.user_id != previous.user_id:
            work_out_home_ahead(self.statusBar(), self.workspace, actor)

    def show_settings(self) -> None:
        from arrs_desk.ui.shell.settings_dialog import SettingsDialog

        if self.workspace is None or self.actor is None:
            return
        if SettingsDialog(self.workspace, self.actor, self.settings, self).exec():
            if self.actor.user_id is not None and not self.actor.sole_user:
                self.idle_watcher.stop()
                self.idle_watcher.start(self.workspace.accounts.idle_lock_minutes())
            self.statusBar().showMessage("Settings saved.", 5000)  # what they changed was announced

    def change_password(self) -> None:
        from arrs_desk.ui.shell.account_dialogs import ChangePasswordDialog

        if self.actor is None or self.actor.user_id is None:
            return
        if ChangePasswordDialog(self.workspace, self.actor, parent=self).exec():
            self.statusBar().showMessage("Password changed.", 5000)

    def two_step(self) -> None:
        from arrs_desk.ui.shell.two_step_dialog import TwoStepDialog

        if self.actor is None or self.actor.user_id is None or self.actor.sole_user:
            self.statusBar().showMessage("Two-step sign-in is for personal accounts; this database is in "
                                         "single-user mode.", 8000)
            return
        before = self.workspace.two_step.status(self.actor).enabled
        if TwoStepDialog(self.workspace, self.actor, parent=self).exec():
            self.statusBar().showMessage("Two-step sign-in turned " + ("off." if before else "on."), 5000)

    def choose_database(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(self, "Open an ARRS Desk database", "",
                                              "ARRS Desk databases (*.sqlite3 *.sqlite *.db);;All files (*)")
        if path:
            if self.workspace is not None and self.actor is not None:
                self._sign_out(self.actor)
            self.idle_watcher.stop()
            self._set_enabled(False)
            self.actor = None
            self.open_in_background(path)

    def _sign_out(self, actor) -> None:
        Operation(self, lambda ws: ws.accounts.sign_out(actor)).run()

    # --- pages --------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload the staff list and the page showing (F5: changes made on other PCs)."""
        if self.workspace is None or not self._refresh_staff():
            return
        page = self.pages.currentWidget()
        if isinstance(page, Page):
            self._refresh_page(page)

    def _refresh_staff(self) -> bool:
        def show(rows) -> None:
            self._staff_stale = False
            self.staff_page.set_rows(rows, database_empty=not rows and self.workspace.is_empty())

        return Operation(self, lambda ws: ws.read_at_once(lambda ws: ws.staff.list_rows(self.actor),
                                                         reader=self.actor)).success(show).run()

    def _workspace_changed(self, areas: frozenset[str]) -> None:
        """The staff list follows changes to what it shows; the pages follow their own."""
        if self.workspace is None or self.actor is None or not areas & STAFF_LIST_SHOWS:
            return
        if self.nav.currentRow() == 0:
            refresh_when_free(self.staff_page, self._refresh_staff)
        else:
            self._staff_stale = True

    def new_staff(self) -> None:
        if self.workspace is None:
            return
        from arrs_desk.ui.staff.staff_editor import StaffEditor

        from PySide6.QtWidgets import QMessageBox

        choices = Operation(self, lambda ws: ws.staff.form_choices(self.actor))
        if not choices.run():
            return
        if not choices.result.practices:
            QMessageBox.information(self, "Set up practices first",
                                    "Add your PCN's practices under Practices and employers before adding staff.")
            self.show_page(ORGANISATIONS)
            return
        editor = StaffEditor(self.workspace, self.actor, parent=self)
        if editor.exec() and editor.saved_record:  # the list has followed the change (changes.STAFF)
            self.staff_page.select_staff(editor.saved_record.id)
            self.statusBar().showMessage(f"Added {editor.saved_record.display_name}", 5000)

    def edit_staff(self, staff_id: int) -> None:
        from arrs_desk.ui.staff.staff_editor import StaffEditor

        if self.workspace is None:
            self.statusBar().showMessage("Still opening the database; try again in a moment.", 3000)
            return
        found = Operation(self, lambda ws: ws.staff.get(self.actor, staff_id=staff_id))
        if not found.run():
            self.refresh()  # gone, or no longer theirs to see: show the list as it is now
            return
        editor = StaffEditor(self.workspace, self.actor, found.result, parent=self)
        if editor.exec() and editor.saved_record:  # the list has followed the change (changes.STAFF)
            self.staff_page.select_staff(staff_id)
            self.statusBar().showMessage(f"Saved {editor.saved_record.display_name}", 5000)

    def _edit_selected(self) -> None:
        staff_id = self.staff_page.selected_staff_id()
        if staff_id is None:
            self.statusBar().showMessage("Select a person in the list first.", 4000)
            return
        self.edit_staff(staff_id)

    def _copy_of_mine(self) -> None:
        from arrs_desk.ui.subject_access.actions import save_copy

        if self.workspace is not None and self.actor.staff_id is not None:
            save_copy(self, self.actor, self.actor.staff_id)

    def _copy_for_selected(self) -> None:
        from arrs_desk.ui.subject_access.actions import save_copy

        staff_id = self.staff_page.selected_staff_id()
        if staff_id is None:
            self.nav.setCurrentRow(0)
            self.statusBar().showMessage("Select the person in the staff list first.", 5000)
            return
        save_copy(self, self.actor, staff_id, whose="this person")

    def _find(self) -> None:
        self.nav.setCurrentRow(0)
        self.staff_page.focus_search()

    def load_demo(self):
        """Fill an empty database with a fictional PCN, in a worker; returns the running operation."""
        from PySide6.QtWidgets import QMessageBox

        if self.workspace is None:
            return None
        if not self.workspace.is_empty():
            QMessageBox.information(self, "Demonstration data",
                                    "Demonstration data can only go into an empty database, so nothing real is mixed with it. "
                                    "Use File > Open database… to open or create another file.")
            return None
        actor = self.actor

        def build(workspace):
            from arrs_desk.demo.pcn import build_demo

            return build_demo(workspace, actor=actor)

        def done(summary):
            from arrs_desk.demo.pcn import DEMO_PASSWORD

            self.statusBar().showMessage(
                f"Demonstration PCN created: {summary.practices} practices, {summary.staff} staff.", 8000)
            people = "\n".join(f"{username}  ({name})" for username, name in summary.accounts)
            QMessageBox.information(self, "Demonstration PCN ready",
                                    f"{summary.staff} fictional staff in {summary.practices} practices were created, "
                                    f"with sample accounts you can sign in as (Lock or switch user):\n\n{people}\n\n"
                                    f"Password for all of them: {DEMO_PASSWORD}")

        def failed(exc):
            show_error(self, exc)
            self.refresh()  # whatever was made before the problem

        return Operation(self, build).changes(*EVERYTHING).progress_dialog("Creating a fictional PCN…") \
            .success(done).failure(failed).run_in_background()

    # --- help ---------------------------------------------------------------------------
    def show_guide(self) -> None:
        from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout

        from arrs_desk.paths import resource_path

        dialog = QDialog(self)
        dialog.setWindowTitle("ARRS Desk user guide")
        browser = QTextBrowser()
        browser.setOpenExternalLinks(True)
        browser.setMarkdown(resource_path("help", "guide.md").read_text(encoding="utf-8"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(browser)
        layout.addWidget(buttons)
        dialog.resize(720, 620)
        dialog.exec()

    def show_about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(
            self, f"About {APP_NAME}",
            f"<h3>{APP_NAME} {__version__}</h3>"
            "<p>Induction checklists, supervision, preceptorship and appraisal records for staff "
            "employed under the Additional Roles Reimbursement Scheme in primary care networks.</p>"
            f"<p>Database: {self.workspace.location if self.workspace else 'none open'}</p>"
            "<p>Records are kept on this computer or your PCN's shared database; nothing is sent elsewhere.</p>",
        )

    # --- window state -------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        geometry = self.settings.value("main_window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            screen = QApplication.primaryScreen().availableGeometry()
            self.resize(min(1280, int(screen.width() * 0.9)), min(800, int(screen.height() * 0.9)))
        splitter = self.settings.value("main_window/splitter")
        if isinstance(splitter, QByteArray) and not splitter.isEmpty():
            self.splitter.restoreState(splitter)
        else:
            self.splitter.setSizes([190, 1000])

    def closeEvent(self, event) -> None:  # noqa: N802
        self.settings.setValue("main_window/geometry", self.saveGeometry())
        self.settings.setValue("main_window/splitter", self.splitter.saveState())
        if self._staff_page is not None:
            self.settings.setValue("staff_table/header", self._staff_page.table.horizontalHeader().saveState())
        self.settings.sync()
        for operation in running_operations():
            if operation.workspace is self.workspace or operation.window is self:
                operation.wait(deliver=False)  # a database job must finish before the database is closed
        self.idle_watcher.stop()
        if self.workspace is not None:
            if self.actor is not None and self.actor.user_id is not None:
                self._sign_out(self.actor)
            self.workspace.close()
        super().closeEvent(event)
