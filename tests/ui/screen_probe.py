"""Opens every page of the main window and every dialog ARRS Desk has, the way the app opens them,
and reports where each window lies on the screen Qt was given.

Run by tests/ui/test_fits_the_screen.py in a child process on a 1366x728 offscreen screen (a
1366x768 laptop less its taskbar), at 100% and 150% text; also useful by hand:

    QT_QPA_PLATFORM=offscreen:configfile=screen.json ARRS_DESK_TEXT_SCALE=150 \\
        python -m tests.ui.screen_probe demo.sqlite3 --shots /tmp/shots

Every dialog's exec() is replaced by "show it, measure it, press its main button once with what
the form holds (so problems appear under fields), measure it again, open what it opens, close
it". Message boxes and file choosers answer at once. The report is one JSON object per window
on stdout: name, class, frame, available geometry, and the problems found.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractScrollArea, QApplication, QDialog, QDialogButtonBox, QFileDialog, QInputDialog,
    QMessageBox, QWidget,
)

TITLE_BAR = 30
"""Room a window needs above its contents for the title bar (Windows 10/11: about 31 px at 100%);
the offscreen screen draws none, so it is counted here."""


def _rect(r: QRect) -> list[int]:
    return [r.x(), r.y(), r.width(), r.height()]


def _in_scroll_area(widget: QWidget, window: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def window_problems(window: QWidget) -> list[str]:
    """What keeps this window from being usable on its screen: parts off the screen, no room for a
    title bar, or buttons cut off or squashed by a layout that needs more room than it has."""
    screen = window.screen()
    available = screen.availableGeometry()
    frame, inner = window.frameGeometry(), window.geometry()
    # Windows draws a title bar of about 30 px; a platform that draws less (offscreen draws 2 px)
    # is measured as if it drew one, so a window that fits here fits there.
    title = max(inner.top() - frame.top(), TITLE_BAR)
    framed = QRect(frame.left(), inner.top() - title, frame.width(), frame.bottom() - inner.top() + title + 1)
    problems = []
    if not available.contains(framed):
        problems.append(f"frame {_rect(framed)} (with a {title} px title bar) is not inside the screen's "
                        f"available area {_rect(available)}")
    whole = window.rect()
    for button in window.findChildren(QAbstractButton):
        if not button.isVisibleTo(window) or _in_scroll_area(button, window):
            continue
        box = QRect(button.mapTo(window, QPoint(0, 0)), button.size())
        name = button.text() or button.accessibleName() or button.objectName()
        if not whole.contains(box):
            problems.append(f"button '{name}' at {_rect(box)} is outside the window {_rect(whole)}")
        elif button.visibleRegion().boundingRect().size() != button.size() and button.isVisible():
            problems.append(f"button '{name}' is partly hidden by its container")
        elif button.height() < button.minimumSizeHint().height() - 1:
            problems.append(f"button '{name}' is squashed to {button.height()} px")
    return problems


def _scrolling(window: QWidget) -> str:
    """'' when the window shows all of itself; 'down' or 'sideways' when its form had to scroll."""
    from PySide6.QtWidgets import QScrollArea

    scroll = window.findChild(QScrollArea, "fitScroll")
    if scroll is None:
        return ""
    ways = [w for w, bar in (("down", scroll.verticalScrollBar()), ("sideways", scroll.horizontalScrollBar()))
            if bar.isVisible()]
    return " and ".join(ways)


class Probe:
    """Records each window as it is shown; `hooks` open what a dialog of that class opens."""

    def __init__(self, app: QApplication, shots: Path | None):
        self.app = app
        self.shots = shots
        self.hooks: dict[str, list[Callable[[QDialog], object]]] = {}
        self.pokes: dict[str, Callable[[QDialog], object]] = {}
        self.seen: list[dict] = []
        self.depth = 0

    def settle(self) -> None:
        """Let layouts, the fitting and its follow-up checks run, as they do before anyone looks."""
        for _ in range(10):
            self.app.processEvents()

    def record(self, window: QWidget, name: str) -> None:
        self.settle()
        entry = {
            "name": name, "class": type(window).__name__, "module": type(window).__module__,
            "frame": _rect(window.frameGeometry()), "geometry": _rect(window.geometry()),
            "available": _rect(window.screen().availableGeometry()),
            "minimum": [window.minimumSizeHint().width(), window.minimumSizeHint().height()],
            "problems": window_problems(window),
            "scrolls": _scrolling(window),
        }
        self.seen.append(entry)
        if self.shots is not None:
            safe = "".join(c if c.isalnum() else "-" for c in name).strip("-")
            window.grab().save(str(self.shots / f"{len(self.seen):03d}-{safe}.png"))
        print(json.dumps(entry), flush=True)

    def exec_dialog(self, dialog: QDialog) -> int:
        """Instead of a modal loop: show, measure, poke, measure, open children, close."""
        name = type(dialog).__name__ + (f": {dialog.windowTitle()}" if dialog.windowTitle() else "")
        dialog.show()
        self.record(dialog, name)
        self.depth += 1
        try:
            poke = self.pokes.get(type(dialog).__name__, press_main_button)
            if poke(dialog) and dialog.isVisible():
                self.record(dialog, name + " (after pressing its main button)")
            for hook in self.hooks.get(type(dialog).__name__, []):
                if dialog.isVisible():
                    hook(dialog)
        finally:
            self.depth -= 1
        dialog.hide()
        return 0

    def install(self, monkey: Callable[[object, str, object], None]) -> None:
        probe = self
        monkey(QDialog, "exec", lambda self: probe.exec_dialog(self))
        for name in ("information", "warning", "critical"):
            monkey(QMessageBox, name, staticmethod(lambda *a, **k: QMessageBox.StandardButton.Ok))
        monkey(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.No))
        monkey(QMessageBox, "exec", lambda box: 0)  # an "are you sure?" (`ui.common.confirm`): closed, so No
        monkey(QMessageBox, "about", staticmethod(lambda *a, **k: None))
        monkey(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: ("", "")))
        monkey(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: ""))
        monkey(QInputDialog, "getText", staticmethod(lambda *a, **k: ("", False)))
        monkey(QInputDialog, "getInt", staticmethod(lambda *a, **k: (0, False)))


def press_main_button(dialog: QDialog) -> bool:
    """Press Save/OK once as the form stands, so a form's problems show under its fields; True if
    the dialog is one that shows problems (it then stays open)."""
    if not any(hasattr(dialog, name) for name in ("errors", "error", "problem", "summary")):
        return False
    from PySide6.QtWidgets import QComboBox, QLineEdit, QListWidget, QPlainTextEdit

    for edit in dialog.findChildren(QLineEdit) + dialog.findChildren(QPlainTextEdit):  # an empty form
        if edit.isEnabled() and not edit.isReadOnly() and not isinstance(edit.parentWidget(), QComboBox) \
                and edit.parentWidget().metaObject().className() not in ("DateEdit", "QDateEdit", "QSpinBox"):
            edit.clear()
    for combo in dialog.findChildren(QComboBox):
        if combo.isEnabled() and combo.isVisibleTo(dialog):
            combo.setCurrentIndex(-1)
    for listing in dialog.findChildren(QListWidget):
        for i in range(listing.count()):
            if listing.item(i).flags() & Qt.ItemFlag.ItemIsUserCheckable:
                listing.item(i).setCheckState(Qt.CheckState.Unchecked)
    boxes = [b for b in dialog.findChildren(QDialogButtonBox) if b.isVisibleTo(dialog)]
    for box in boxes:
        for button in box.buttons():
            if box.buttonRole(button) in (QDialogButtonBox.ButtonRole.AcceptRole, QDialogButtonBox.ButtonRole.YesRole) \
                    and button.isEnabled():
                button.click()
                return True
    return False


def _people(ws):
    from sqlalchemy import select

    from arrs_desk.services.actor import Actor
    from arrs_desk.store.models import UserAccount

    with ws.db.read() as session:
        return {u.username: Actor(u.id, u.username, u.display_name, frozenset(u.roles), u.staff_id)
                for u in session.execute(select(UserAccount)).scalars()}


def _first(items, test=lambda _x: True):
    return next((x for x in items if test(x)), None)


def _select_row(table, test) -> bool:
    from arrs_desk.ui.supervision.supervision_model import ROW_ROLE

    model = table.model()
    for r in range(model.rowCount()):
        if test(model.index(r, 0).data(ROW_ROLE)):
            table.selectRow(r)
            return True
    return False


def _checklist_hooks(probe: Probe) -> None:
    def item_actions(dialog) -> None:
        panel = dialog.checklist
        view = panel.view
        for flag, action in (("can_sign_off", "return_item"), ("can_sign_off", "sign_off"), ("can_tick", "tick"),
                             ("can_mark_na", "mark_not_applicable"), ("can_renew", "renew"),
                             ("can_record_signature", "record_paper_signature")):
            entry = _first(view.items, lambda i, f=flag: getattr(i, f, False))
            if entry is not None and panel.select_item(entry.id):
                getattr(panel, action)()
        entry = _first(view.items, lambda i: i.validity_months)
        if entry is not None and panel.select_item(entry.id):
            panel.change_validity()

    probe.hooks.setdefault("ChecklistDialog", []).append(item_actions)


def _supervision_hooks(probe: Probe) -> None:
    def actions(dialog) -> None:
        dialog.arrange()
        if _select_row(dialog.arrangement_table, lambda a: True):
            dialog.edit_arrangement()
        dialog.log_session()
        if _select_row(dialog.session_table, lambda s: s.can_edit):
            dialog.edit_session()
        if _select_row(dialog.session_table, lambda s: s.can_record_confirmation):
            dialog.record_external_confirmation()
        if _select_row(dialog.session_table, lambda s: True):
            dialog.write_reflection()

    probe.hooks.setdefault("PersonSupervisionDialog", []).append(actions)


def _review_hooks(probe: Probe) -> None:
    def actions(dialog) -> None:
        dialog.new_review()
        if dialog.detail is not None:
            dialog.write_self_assessment()
            dialog.sign()
            dialog.record_paper()
        dialog.add_impact()
        dialog.open_pack()

    def editor(dialog) -> None:
        dialog.add_objective()
        dialog.add_pdp()

    probe.hooks.setdefault("PersonReviewsDialog", []).append(actions)
    probe.hooks.setdefault("ReviewEditor", []).append(editor)


def _programme_hooks(probe: Probe) -> None:
    def actions(dialog) -> None:
        for name in ("hold_milestone", "log_time", "pause", "extend", "withdraw", "complete", "edit"):
            if dialog.view is not None and dialog.isVisible():
                getattr(dialog, name)()

    probe.hooks.setdefault("ProgrammeDialog", []).append(actions)


def _supervisee(ws, actor) -> int | None:
    """Someone whose session log has an external supervisor's session to confirm, else any sessions."""
    fallback = None
    for row in ws.supervision.matrix(actor).rows[:60]:
        person = ws.supervision.person(actor, staff_id=row.staff_id)
        if any(s.can_record_confirmation for s in person.sessions):
            return row.staff_id
        if person.sessions and fallback is None:
            fallback = row.staff_id
    return fallback


def _stage(ws, zoe) -> None:
    """Zoë ticks two items that need sign-off, so her manager has something to sign off or return."""
    view = ws.induction.checklist(zoe, staff_id=zoe.staff_id)
    for entry in [i for i in view.items if i.can_tick and i.needs_signoff][:2]:
        ws.induction.tick(zoe, item_id=entry.id, expected_version=entry.version, note="Agreed at our meeting on Monday")


def tour(probe: Probe, ws, people, database: Path, username: str) -> None:
    """Every page as `username`, then every dialog reachable from them and from the menus."""
    from arrs_desk.ui.shell.main_window import MainWindow

    actor = people[username]
    settings = QSettings(str(database.with_suffix(".ini")), QSettings.Format.IniFormat)
    window = MainWindow(settings=settings, workspace=ws, actor=actor)
    window.show()
    probe.record(window, f"{username}: Staff")
    for row, spec in enumerate(window.specs, start=1):
        if not window.nav.item(row).isHidden():
            window.show_page(spec.title)
            # As a person looks: once the page's data is on it (its read runs in the background, and
            # switching away would drop it, leaving the page's dialogs nothing to open from).
            loader = getattr(window.page(spec.title), "_loader", None)
            if loader is not None:
                _wait_for(probe, lambda: not loader.loading)
            probe.record(window, f"{username}: {spec.title}")
    window.show_page("Home")
    probe.record(window, f"{username}: Home, after visiting every page")

    _checklist_hooks(probe)
    _supervision_hooks(probe)
    _review_hooks(probe)
    _programme_hooks(probe)
    zoe = people["zoe.okubo"].staff_id
    _stage(ws, people["zoe.okubo"])
    staff = ws.staff.list_rows(actor)
    someone = _first(staff, lambda r: r.id != actor.staff_id) or staff[0]
    window.new_staff()
    window.edit_staff(someone.id)
    window.show_settings()
    window.change_password()
    window.two_step()
    window.show_guide()
    window.import_staff()
    window.restore_from_backup()
    bundle = database.with_name("bundle.arrsbundle")
    from arrs_desk.ui.exports import export_dialogs

    ws.record_bundles.export_bundle(actor, staff_id=zoe, path=bundle)
    original = QFileDialog.getOpenFileName
    QFileDialog.getOpenFileName = staticmethod(lambda *a, **k: (str(bundle), ""))
    try:
        export_dialogs.import_record_bundle(window)
    finally:
        QFileDialog.getOpenFileName = original

    induction = window.page("Induction")
    induction.open_checklist(zoe)
    induction.edit_templates()
    _prior_induction(ws, actor, window)
    supervision = window.page("Supervision")
    supervision.open_person(_supervisee(ws, actor) or zoe)
    supervision.open_settings()
    supervision.export_calendar()
    programmes = window.page("Programmes")
    programmes.enrol()
    programmes.edit_programmes()
    overview = ws.programmes.overview(actor)
    enrolment = _first(overview, lambda e: e.staff_id == zoe) or _first(overview)
    if enrolment is not None:
        programmes.open_enrolment(enrolment.enrolment_id)
    reviews = window.page("Reviews")
    reviewed = _first(ws.reviews.overview(actor).held_rows, lambda r: r.staff_id != zoe)
    reviews.open_person(reviewed.staff_id if reviewed else zoe)
    reviews.make_packs()
    for title, opener in (("Practices and employers", "add"), ("Roles", "add"), ("User accounts", "add")):
        page = window.page(title)
        getattr(page, opener)()
    roles = window.page("Roles")
    roles.table.selectRow(0)
    roles.edit()
    organisations = window.page("Practices and employers")
    organisations.edit(organisations.table.model().index(0, 0))
    users = window.page("User accounts")
    users.table.selectRow(0)
    users.edit()
    users.reset()
    _training_and_revalidation(probe, window, zoe)
    _lone_dialogs(probe, ws, window)
    window.settings.setValue("main_window/geometry", None)
    window.close()


def _prior_induction(ws, actor, window) -> None:
    """The dialog recording an induction completed before records began, for someone with no checklist."""
    from arrs_desk.ui.induction.induction_prior import PriorInductionDialog

    for row in ws.staff.list_rows(actor):
        try:
            form = ws.induction_prior.form(actor, staff_id=row.id)
        except Exception:  # noqa: BLE001  (not theirs to see: try the next person)
            continue
        if form.can_record and not form.has_checklist:
            PriorInductionDialog(ws, actor, form, window).exec()
            return


def _wait_for(probe: Probe, ready: Callable[[], bool]) -> bool:
    """Let a page's background read finish (at most ten seconds)."""
    import time

    deadline = time.monotonic() + 10
    while not ready() and time.monotonic() < deadline:
        probe.app.processEvents()
        time.sleep(0.01)
    return ready()


def _training_and_revalidation(probe: Probe, window, zoe: int) -> None:
    """Recording a completion on the Training page; adding CPD and evidence and printing the regulator
    pack on the Revalidation page."""
    training = window.page("Training")
    window.show_page("Training")
    if _wait_for(probe, lambda: training.matrix is not None) and training.select_person(zoe):
        _wait_for(probe, lambda: not training.loader.loading)  # the cursor goes on her once the matrix is read
        training.record_for_current()
    revalidation = window.page("Revalidation")
    window.show_page("Revalidation")
    _wait_for(probe, lambda: revalidation.record is not None)
    if revalidation.record is not None:
        from arrs_desk.ui.revalidation.entry_parts import SourcePicker

        revalidation._add_cpd()
        revalidation._add_evidence()
        revalidation._print_pack()
        record = revalidation.record
        SourcePicker(revalidation, revalidation.workspace.revalidation.sources(
            revalidation.actor, staff_id=record.summary.staff_id) if record.can_record else []).exec()
    window.show_page("Home")


def _lone_dialogs(probe: Probe, ws, window) -> None:
    """Dialogs shown before anyone signs in, or when a database will not open."""
    from arrs_desk.ui.shell.account_dialogs import FirstRunDialog, LoginDialog
    from arrs_desk.ui.admin.backup_dialogs import DatabaseProblemDialog

    LoginDialog(ws, parent=window).exec()
    LoginDialog(ws, locked_by="Helen Whitfield-Amadi", parent=window).exec()
    FirstRunDialog(ws, window).exec()
    from arrs_desk.services.actor import SYSTEM
    from arrs_desk.ui.shell.encryption_dialogs import EncryptionDialog, PassphrasePrompt

    PassphrasePrompt(ws.location, window).exec()
    from arrs_desk.ui.exports.export_dialogs import ExportPassphraseDialog

    ExportPassphraseDialog(window).exec()  # File > Export all data on a database that is not encrypted
    for mode in (EncryptionDialog.TURN_ON, EncryptionDialog.CHANGE, EncryptionDialog.TURN_OFF):
        EncryptionDialog(ws, SYSTEM, mode, window).exec()
    DatabaseProblemDialog("The file is not an ARRS Desk database, or it is damaged: file is not a database.",
                          None, window).exec()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("database", type=Path, help="a demonstration database (copied; the copy is changed)")
    parser.add_argument("--as", dest="users", action="append", help="sign in as (default: helen.whitfield)")
    parser.add_argument("--shots", type=Path, help="save a picture of each window into this folder")
    parser.add_argument("--today", help="run as of this day or instant (the suite's frozen clock)")
    args = parser.parse_args(argv)
    if args.today:
        from arrs_desk import clock

        clock.install(clock.FixedClock(clock.parse_instant(args.today)))

    from arrs_desk.ui.shell.app import make_application
    from arrs_desk.services.workspace import Workspace

    app = make_application()
    probe = Probe(app, args.shots)
    if args.shots is not None:
        args.shots.mkdir(parents=True, exist_ok=True)
    probe.install(setattr)
    with tempfile.TemporaryDirectory() as folder:
        for username in args.users or ["helen.whitfield"]:
            copy = Path(folder) / f"{username}.sqlite3"
            shutil.copyfile(args.database, copy)
            ws = Workspace.open(copy)
            try:
                tour(probe, ws, _people(ws), copy, username)
            finally:
                ws.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
