"""Child process for opening.py: opens a database in the real window and prints wall-clock marks.

`shown`: the main window is on screen; `editable`: the database is open and changes can be made
(its pages enabled); `settled`: nothing is left running in the background (the whole-file check
and the daily backup, where they run after opening). Then the window closes as a person closes it.
"""

import sys
import time

from PySide6.QtCore import QTimer

from arrs_desk.services.actor import Actor
from arrs_desk.ui.common.operation import running_operations
from arrs_desk.ui.shell.app import make_application, ui_settings
from arrs_desk.ui.shell.main_window import MainWindow

database = sys.argv[1]
app = make_application()
window = MainWindow(settings=ui_settings())
window.show()
app.processEvents()
print("shown", time.time(), flush=True)
# Whoever signs in is not what is measured: a multi-user demo database would wait for a person here.
window.authenticate = lambda workspace, **_: Actor(None, "bench", "Benchmark", frozenset({"administrator"}))
window.open_in_background(database)
seen: set[str] = set()


def poll():
    """Runs inside the event loop (a zero timer), so app.quit() ends it."""
    if "editable" not in seen and window.workspace is not None and window.new_action.isEnabled():
        seen.add("editable")
        print("editable", time.time(), flush=True)
    if "editable" in seen and not running_operations():
        print("settled", time.time(), flush=True)
        window.close()  # a clean close, as a person leaves the app
        app.quit()
        return
    QTimer.singleShot(1, poll)


QTimer.singleShot(600_000, lambda: app.exit(3))  # never hang a benchmark run: exit 3 fails it loudly
QTimer.singleShot(0, poll)
sys.exit(app.exec())
