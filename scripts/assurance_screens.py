"""Open ARRS Desk on the demonstration PCN at the Assurance page, for screenshots and manual checks.

Creates the demo database when the file does not exist (with the inductions completed before
records began that the demo should record), then opens the main window as one of the demo's
people, skipping the sign-in dialog:

    .venv/bin/python scripts/assurance_screens.py shots/demo.sqlite3
    .venv/bin/python scripts/assurance_screens.py shots/demo.sqlite3 --view 1 --select 3
    .venv/bin/python scripts/assurance_screens.py shots/demo.sqlite3 --open-not-met 0
    .venv/bin/python scripts/assurance_screens.py shots/demo.sqlite3 --prior "Priya Mensah"
    .venv/bin/python scripts/assurance_screens.py shots/demo.sqlite3 --checklist "Grace Novák"
    .venv/bin/python scripts/assurance_screens.py shots/demo.sqlite3 --pdf shots/assurance.pdf

With ../shared/tools/screenshot: `screenshot shots/x.png --size 1366x768 -- .venv/bin/python scripts/...`.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer


def demo_workspace(path: Path):
    from sqlalchemy import select

    from arrs_desk.services.actor import Actor
    from arrs_desk.demo.pcn import build_demo
    from arrs_desk.demo.induction_prior import add_demo_prior_inductions
    from arrs_desk.services.workspace import Workspace
    from arrs_desk.store.models import UserAccount

    fresh = not path.exists()
    ws = Workspace.open(path)
    if fresh:
        build_demo(ws)
        add_demo_prior_inductions(ws, random.Random(7))
    with ws.db.read() as session:
        people = {u.username: Actor(u.id, u.username, u.display_name, frozenset(u.roles), u.staff_id)
                  for u in session.execute(select(UserAccount)).scalars()}
    return ws, people


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("database", type=Path)
    parser.add_argument("--as", dest="username", default="helen.whitfield")
    parser.add_argument("--tab", type=int, default=0, help="0 contract checks, 1 what matters to staff")
    parser.add_argument("--view", type=int, default=0, help="contract checks: 0 counts and not met, 1 by person")
    parser.add_argument("--select", type=int, help="select this row of the by-person matrix")
    parser.add_argument("--open-not-met", type=int, metavar="ROW", help="open this not-met row's record")
    parser.add_argument("--prior", metavar="NAME", help="open the earlier-induction dialog for this person")
    parser.add_argument("--checklist", metavar="NAME", help="open this person's induction checklist")
    parser.add_argument("--pdf", type=Path, help="save the assurance report here and quit")
    args = parser.parse_args()

    from arrs_desk.ui.shell.app import make_application
    from arrs_desk.ui.shell.main_window import MainWindow

    app = make_application()
    ws, people = demo_workspace(args.database)
    actor = people[args.username]
    if args.pdf:
        from arrs_desk.reports.assurance_pdf import build_assurance_pdf

        build_assurance_pdf(args.pdf, ws.assurance.report(actor))
        print(args.pdf)
        return 0
    settings = QSettings(str(args.database.with_suffix(".ini")), QSettings.Format.IniFormat)
    window = MainWindow(settings=settings, workspace=ws, actor=actor)
    window.showMaximized()
    window.show_page("Assurance")
    page = window.page("Assurance")
    page.tabs.setCurrentIndex(args.tab)
    page.views.setCurrentIndex(args.view)

    def extra():
        if args.select is not None:
            page.table.selectRow(args.select)
        if args.open_not_met is not None:
            entry = page.overview.model.entries[args.open_not_met]
            page.open_record(entry.row, entry.evidence)
        if args.checklist:
            row = next(r for r in page.matrix.rows if r.display_name == args.checklist)
            page.open_record(row, "Induction")
        if args.prior:
            from arrs_desk.ui.induction.induction_prior import PriorInductionDialog

            row = next(r for r in page.matrix.rows if r.display_name == args.prior)
            form = ws.induction_prior.form(actor, staff_id=row.staff_id)
            PriorInductionDialog(ws, actor, form, window).exec()

    QTimer.singleShot(300, extra)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
