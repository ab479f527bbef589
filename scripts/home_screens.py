"""Open ARRS Desk on the demonstration PCN at any page as one of the demo's people, past the
sign-in, for screenshots of Home, My check-ins, Assurance and the audit trail:

    .venv/bin/python scripts/home_screens.py shots/demo.sqlite3 --as samuel.okonkwo
    .venv/bin/python scripts/home_screens.py shots/demo.sqlite3 --as practice.manager --page "My check-ins"
    .venv/bin/python scripts/home_screens.py shots/demo.sqlite3 --page "Audit trail" --search Saved

Creates the demo database when the file does not exist. With ../shared/tools/screenshot:
`screenshot shots/home.png --size 1366x768 -- .venv/bin/python scripts/home_screens.py ...`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtCore import QSettings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("database", type=Path)
    parser.add_argument("--as", dest="username", default="helen.whitfield")
    parser.add_argument("--page", default="Home")
    parser.add_argument("--search", default="", help="text to type into the page's search box, if it has one")
    parser.add_argument("--tab", type=int, help="which tab of the page to show, if it has tabs")
    args = parser.parse_args()

    from sqlalchemy import select

    from arrs_desk.services.actor import Actor
    from arrs_desk.demo.pcn import build_demo
    from arrs_desk.services.workspace import Workspace
    from arrs_desk.store.models import UserAccount
    from arrs_desk.ui.shell.app import make_application
    from arrs_desk.ui.shell.main_window import MainWindow

    app = make_application()
    fresh = not args.database.exists()
    ws = Workspace.open(args.database)
    if fresh:
        build_demo(ws)
    with ws.db.read() as session:
        user = session.execute(select(UserAccount).where(UserAccount.username == args.username)).scalar_one()
        actor = Actor(user.id, user.username, user.display_name, frozenset(user.roles), user.staff_id)
    settings = QSettings(str(args.database.with_suffix(".ini")), QSettings.Format.IniFormat)
    window = MainWindow(settings=settings, workspace=ws, actor=actor)
    window.show()
    window.show_page(args.page)
    page = window.page(args.page)
    if args.tab is not None and hasattr(page, "tabs"):
        page.tabs.setCurrentIndex(args.tab)
    if args.search and hasattr(page, "search"):
        page.search.setText(args.search)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
