"""Child process for startup.py: starts a window and prints wall-clock marks as it goes.

`bare`: a plain PySide6 window, the floor. `app`: ARRS Desk's real start-up path on a
single-user database (no sign-in dialog waits for a person): window shown, staff list filled
and searchable. `app-keyring`: the same for an encrypted database whose key the PC remembers
(benchmarks/encryption.py). `app-every-page`: the app's path, then every page of the navigation
shown in turn as a person would click through them, each until its data is on screen, with the
longest time the window stood still meanwhile (a 2 ms heartbeat timer on the GUI thread: the gap
between two of its beats is how long nothing else could run, a click or a repaint); prints the
process's peak resident memory (benchmarks/pages.py: "peak memory after visiting every page").
`app-sign-in`: a database with accounts: the sign-in dialog filled in as soon as it shows (the name
and password in ARRS_BENCH_USERNAME and ARRS_BENCH_PASSWORD) and its button pressed; prints when the
dialog showed and when it was pressed, then when the list was usable (benchmarks/postgres_latency.py:
"sign-in to staff list").
"""

import sys
import time

mode, database = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else "")
ROWS = int(sys.argv[3]) if len(sys.argv) > 3 else 1000  # the list is usable once it holds this many people

if mode == "bare":
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1200, 760)
    window.show()
    app.processEvents()
    print("shown", time.time(), flush=True)
    sys.exit(0)



def install_remembered_key() -> None:
    """An encrypted database whose key this PC remembers, as on a practice PC: the credential store
    (Windows Credential Manager there) is stood in for by one in memory holding the key given. Called
    where the app itself first reads the store: after the window is shown, before the database opens."""
    import os

    import keyring
    from keyring.backend import KeyringBackend

    class _Store(KeyringBackend):
        priority = 1

        def get_password(self, service, username):
            return os.environ["ARRS_BENCH_KEY"] if username == os.environ["ARRS_BENCH_SALT"] else None

        def set_password(self, service, username, password):
            raise NotImplementedError

        def delete_password(self, service, username):
            raise NotImplementedError

    keyring.set_keyring(_Store())


from PySide6.QtCore import QTimer  # noqa: E402

from arrs_desk.ui.shell.app import show_main_window, ui_settings  # noqa: E402

# The same steps as arrs_desk.ui.shell.app.run(), with marks.
app, window = show_main_window(ui_settings())
print("shown", time.time(), flush=True)
if mode == "app-keyring":
    install_remembered_key()
window.start(database)  # installs the screen fitter itself, after the list's first paint


def sign_in_when_asked() -> None:
    """The sign-in dialog runs its own event loop (`exec`): this timer runs inside it, as a person's
    typing would, and presses the button the way a click does (`try_sign_in`)."""
    import os

    from PySide6.QtWidgets import QApplication

    from arrs_desk.ui.shell.account_dialogs import LoginDialog

    dialog = QApplication.activeModalWidget()
    if not isinstance(dialog, LoginDialog):
        QTimer.singleShot(1, sign_in_when_asked)
        return
    print("dialog", time.time(), flush=True)
    dialog.ui.username.setText(os.environ["ARRS_BENCH_USERNAME"])
    dialog.ui.password.setText(os.environ["ARRS_BENCH_PASSWORD"])
    print("pressed", time.time(), flush=True)
    dialog.try_sign_in()


def poll():
    """Runs inside the event loop (a zero timer), so app.quit() ends it; called before exec(),
    quit() would be lost and every run would sit out the guard below."""
    page = window.staff_page
    if page.model.rowCount() >= ROWS and page.proxy.rowCount() > 0 and page.table.isEnabled():
        app.processEvents()
        print("usable", time.time(), flush=True)
        if mode == "app-every-page":
            QTimer.singleShot(0, lambda: when_open(list(window.specs)))
        else:
            app.quit()
    else:
        QTimer.singleShot(1, poll)


def peak_mb() -> float:
    """This process's peak resident memory. Linux's VmHWM, not getrusage's ru_maxrss: that one
    survives exec, so a child started by a big benchmark process reports its parent's peak."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def when_open(pages: list) -> None:
    """The list is usable from a light read before the database is open (`MainWindow.start`):
    the other pages wait for it, as a person's click on them would."""
    if window.workspace is None:
        QTimer.singleShot(5, lambda: when_open(pages))
    else:
        visit(pages)


class Heartbeat:
    """The longest gap between beats of a 2 ms timer on the GUI thread since `reset`: how long the
    window could not answer a click, a key or a repaint (issue 18: "the window never freezes")."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt

        self.longest, self._last = 0.0, time.perf_counter()
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(2)
        self._timer.timeout.connect(self._beat)
        self._timer.start()

    def _beat(self) -> None:
        now = time.perf_counter()
        self.longest, self._last = max(self.longest, now - self._last), now

    def reset(self) -> None:
        self.longest, self._last = 0.0, time.perf_counter()

    def stood_still(self) -> float:
        """Seconds: the longest gap since `reset`, the one still open now included."""
        return max(self.longest, time.perf_counter() - self._last)


heartbeat: Heartbeat | None = None


def visit(remaining: list) -> None:
    """Show the next page and wait, inside the event loop, until its background read is shown."""
    if not remaining:
        app.processEvents()
        print("every-page", time.time(), flush=True)
        print(f"peak-mb {peak_mb():.1f}", flush=True)
        app.quit()
        return
    spec = remaining.pop(0)
    global heartbeat
    heartbeat = heartbeat or Heartbeat()
    heartbeat.reset()
    clicked = time.perf_counter()
    window.show_page(spec.title)  # builds the page on its first showing and starts its read
    page = window.page(spec.title)

    first: list[float] = []  # Home: when its first cards were on screen, if before every card

    def settled() -> None:
        loader = page._loader
        if loader is not None and loader.loading:
            if not first and getattr(page, "dashboard", None) is not None:
                first.append(time.perf_counter() - clicked)
            QTimer.singleShot(5, settled)
        else:
            shown, stood_still = time.perf_counter() - clicked, heartbeat.stood_still()
            if first:
                print(f"page {first[0] * 1000:.0f} {stood_still * 1000:.0f} {spec.title} (its first cards)", flush=True)
            print(f"page {shown * 1000:.0f} {stood_still * 1000:.0f} {spec.title}", flush=True)
            QTimer.singleShot(0, lambda: visit(remaining))

    QTimer.singleShot(0, settled)


# Never hang a benchmark run: exit 3 fails it loudly.
QTimer.singleShot(300_000 if mode == "app-every-page" else 60_000, lambda: app.exit(3))
QTimer.singleShot(0, poll)
if mode == "app-sign-in":
    QTimer.singleShot(0, sign_in_when_asked)
sys.exit(app.exec())
