"""Open ARRS Desk on the demonstration PCN at a programme screen, for screenshots and manual checks.

Creates the demo database when the file does not exist, then opens the main window on the
Programmes page as one of the demo's people, skipping the sign-in dialog; optionally opens one
person's programme page, the enrolment form or the programme editor on top:

    .venv/bin/python scripts/programme_screens.py shots/demo.sqlite3 --as helen.whitfield
    .venv/bin/python scripts/programme_screens.py shots/demo.sqlite3 --person "Siobhán Ní Bhriain" --tab 0
    .venv/bin/python scripts/programme_screens.py shots/demo.sqlite3 --enrol
    .venv/bin/python scripts/programme_screens.py shots/demo.sqlite3 --editor
    .venv/bin/python scripts/programme_screens.py shots/demo.sqlite3 --certificate shots/certificate.pdf

With ../shared/tools/screenshot: `screenshot shots/x.png --size 1600x900 -- .venv/bin/python scripts/...`.
The demo's dates are relative to the day it is built, so build and view on the same day.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer


def demo_workspace(path: Path):
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
    return ws, people


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("database", type=Path)
    parser.add_argument("--as", dest="username", default="helen.whitfield")
    parser.add_argument("--person", help="open this person's programme page")
    parser.add_argument("--tab", type=int, default=0, help="which tab of the programme page to show")
    parser.add_argument("--enrol", action="store_true", help="open the enrolment form")
    parser.add_argument("--editor", action="store_true", help="open the programme editor")
    parser.add_argument("--certificate", type=Path, help="write the completed demo programme's certificate and stop")
    args = parser.parse_args()

    if args.certificate:
        from arrs_desk.domain.programmes import EnrolmentStatus
        from arrs_desk.reports.certificate_pdf import build_certificate_pdf

        ws, people = demo_workspace(args.database)
        actor = people[args.username]
        done = next(r for r in ws.programmes.overview(actor) if r.status is EnrolmentStatus.COMPLETED)
        build_certificate_pdf(args.certificate, ws.programmes.certificate(actor, enrolment_id=done.enrolment_id))
        ws.close()
        print(args.certificate)
        return 0

    from arrs_desk.ui.shell.app import make_application
    from arrs_desk.ui.shell.main_window import MainWindow

    app = make_application()
    ws, people = demo_workspace(args.database)
    actor = people[args.username]
    settings = QSettings(str(args.database.with_suffix(".ini")), QSettings.Format.IniFormat)
    window = MainWindow(settings=settings, workspace=ws, actor=actor)
    window.show()
    window.show_page("Programmes")
    page = window.page("Programmes")

    def extra():
        if args.person:
            from arrs_desk.ui.programmes.programme_dialog import ProgrammeDialog

            row = next(r for r in page.model.rows() if r.display_name == args.person)
            dialog = ProgrammeDialog(ws, actor, row.enrolment_id, window)
            dialog.tabs.setCurrentIndex(args.tab)
            dialog.exec()
        elif args.enrol:
            page.enrol()
        elif args.editor:
            page.edit_programmes()

    QTimer.singleShot(300, extra)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
