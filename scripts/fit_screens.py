"""Open ARRS Desk on the demonstration PCN at a page, with one of the larger windows on top, for
checking by eye that everything fits a laptop screen (issue 15 items 7-10).

    .venv/bin/python scripts/fit_screens.py shots/demo.sqlite3 --page Reviews
    .venv/bin/python scripts/fit_screens.py shots/demo.sqlite3 --open supervision --errors
    ARRS_DESK_TEXT_SCALE=150 .venv/bin/python scripts/fit_screens.py shots/demo.sqlite3 --open reviews
    ARRS_DESK_THEME=high-contrast .venv/bin/python scripts/fit_screens.py shots/demo.sqlite3 --open checklist

--open: supervision (a person's supervision window), session (its log-session form), reviews (a
person's reviews), programme, checklist, return (an item's return form), settings. --errors
presses the form's main button on an empty form, so its problems show.
With ../shared/tools/screenshot: `screenshot shots/x.png --size 1366x768 -- .venv/bin/python scripts/...`.
The demo's dates are relative to the day it is built, so build and view on the same day.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer


def _open(name: str, window, ws, people, actor, errors: bool) -> None:
    from PySide6.QtWidgets import QDialog, QDialogButtonBox

    zoe = people["zoe.okubo"].staff_id
    dialog: QDialog | None = None
    if name in ("supervision", "session"):
        from arrs_desk.ui.supervision.supervision_person import PersonSupervisionDialog

        rows = ws.supervision.matrix(actor).rows
        staff_id = next((r.staff_id for r in rows if ws.supervision.person(actor, staff_id=r.staff_id).sessions), zoe)
        dialog = PersonSupervisionDialog(ws, actor, staff_id, window)
        if name == "session":
            dialog.show()
            QTimer.singleShot(400, lambda: dialog.log_session())
    elif name == "reviews":
        from arrs_desk.ui.reviews.review_person import PersonReviewsDialog

        held = ws.reviews.overview(actor).held_rows
        dialog = PersonReviewsDialog(ws, actor, held[0].staff_id if held else zoe, window)
    elif name == "programme":
        from arrs_desk.ui.programmes.programme_dialog import ProgrammeDialog

        dialog = ProgrammeDialog(ws, actor, ws.programmes.overview(actor)[0].enrolment_id, window)
    elif name in ("checklist", "return"):
        from arrs_desk.ui.induction.induction_checklist import ChecklistDialog

        zoe_actor = people["zoe.okubo"]
        view = ws.induction.checklist(zoe_actor, zoe)
        for entry in [i for i in view.items if i.can_tick and i.needs_signoff][:1]:
            ws.induction.tick(zoe_actor, entry.id, entry.version, note="Done at our Monday meeting")
        dialog = ChecklistDialog(ws, actor, zoe, window)
        if name == "return":
            panel = dialog.checklist
            entry = next((i for i in panel.view.items if i.can_sign_off), None)
            if entry is not None:
                panel.select_item(entry.id)
                dialog.show()
                QTimer.singleShot(400, panel.return_item)
    elif name == "settings":
        window.show_settings()
        return
    if dialog is None:
        return
    if errors:
        def press() -> None:
            from PySide6.QtWidgets import QApplication

            top = QApplication.activeModalWidget() or dialog
            box = next((b for b in top.findChildren(QDialogButtonBox) if b.isVisible()), None)
            button = next((b for b in box.buttons() if box.buttonRole(b) == QDialogButtonBox.ButtonRole.AcceptRole),
                          None) if box else None
            if button is not None:
                button.click()
        QTimer.singleShot(1200, press)
    dialog.exec()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("database", type=Path)
    parser.add_argument("--as", dest="username", default="helen.whitfield")
    parser.add_argument("--page", default="Staff")
    parser.add_argument("--open", dest="window", help="a window to open on top (see above)")
    parser.add_argument("--errors", action="store_true", help="press the form's main button once")
    args = parser.parse_args()

    from arrs_desk.ui.shell.app import make_application
    from arrs_desk.ui.shell.main_window import MainWindow
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from programme_screens import demo_workspace  # the demo database and its people, as that script makes them

    app = make_application()
    ws, people = demo_workspace(args.database)
    actor = people[args.username]
    settings = QSettings(str(args.database.with_suffix(".ini")), QSettings.Format.IniFormat)
    window = MainWindow(settings=settings, workspace=ws, actor=actor)
    window.show()
    if args.page != "Staff":
        window.show_page(args.page)
    if args.window:
        QTimer.singleShot(300, lambda: _open(args.window, window, ws, people, actor, args.errors))
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
