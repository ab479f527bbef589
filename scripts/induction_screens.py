"""Open ARRS Desk on the demonstration PCN at an induction screen, for screenshots and manual checks.

Creates the demo database when the file does not exist, stages a little activity (a starter
ticks two items that need sign-off and attaches a certificate), then opens the main window as
one of the demo's people, skipping the sign-in dialog:

    .venv/bin/python scripts/induction_screens.py shots/demo.sqlite3 --as zoe.okubo --page "My induction"
    .venv/bin/python scripts/induction_screens.py shots/demo.sqlite3 --as helen.whitfield --page Induction
    .venv/bin/python scripts/induction_screens.py shots/demo.sqlite3 --as helen.whitfield --templates
    .venv/bin/python scripts/induction_screens.py shots/demo.sqlite3 --as helen.whitfield --checklist zoe.okubo

With ../shared/tools/screenshot: `screenshot shots/x.png --size 1600x900 -- .venv/bin/python scripts/...`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer


def staged_workspace(path: Path):
    from sqlalchemy import select

    from arrs_desk.services.actor import Actor
    from arrs_desk.demo.pcn import build_demo
    from arrs_desk.services.workspace import Workspace
    from arrs_desk.store.models import UserAccount

    fresh = not path.exists()
    ws = Workspace.open(path)
    if fresh:
        build_demo(ws)
    with ws.db.read() as session:
        people = {u.username: Actor(u.id, u.username, u.display_name, frozenset(u.roles), u.staff_id)
                  for u in session.execute(select(UserAccount)).scalars()}
    if fresh:
        zoe = people["zoe.okubo"]
        view = ws.induction.checklist(zoe, zoe.staff_id)
        for entry in [i for i in view.items if i.can_tick and i.needs_signoff][:2]:
            ws.induction.tick(zoe, entry.id, entry.version, note="Agreed at our meeting on Monday")
        training = next((i for i in view.items if i.can_tick and i.validity_months), None)
        if training is not None:
            certificate = path.with_name("BLS certificate.pdf")
            certificate.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
            ws.induction.attach_evidence(zoe, training.id, certificate)
            ws.induction.tick(zoe, training.id, training.version + 0, note="Certificate attached")
    return ws, people


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("database", type=Path)
    parser.add_argument("--as", dest="username", default="helen.whitfield")
    parser.add_argument("--page", default="Induction")
    parser.add_argument("--templates", action="store_true", help="open the template editor")
    parser.add_argument("--checklist", metavar="USERNAME", help="open this person's checklist as a dialog")
    args = parser.parse_args()

    from arrs_desk.ui.shell.app import make_application
    from arrs_desk.ui.shell.main_window import MainWindow

    app = make_application()
    ws, people = staged_workspace(args.database)
    actor = people[args.username]
    settings = QSettings(str(args.database.with_suffix(".ini")), QSettings.Format.IniFormat)
    window = MainWindow(settings=settings, workspace=ws, actor=actor)
    window.show()
    window.show_page(args.page)

    def extra():
        if args.templates:
            from arrs_desk.ui.induction.template_editor import TemplateEditorDialog

            dialog = TemplateEditorDialog(ws, actor, window)
            index = dialog.template_choice.findData("ROLE-PARA")
            dialog.template_choice.setCurrentIndex(max(index, 0))
            dialog.table.setCurrentCell(3, 1)
            dialog.exec()
        elif args.checklist:
            from arrs_desk.ui.induction.induction_checklist import ChecklistDialog

            ChecklistDialog(ws, actor, people[args.checklist].staff_id, window).exec()

    QTimer.singleShot(300, extra)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
