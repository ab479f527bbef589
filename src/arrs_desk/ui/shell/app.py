"""Starting the GUI: the QApplication, the crash handler, and the first window."""

from __future__ import annotations

import sys

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from arrs_desk import APP_NAME, ORG_NAME, __version__


def skip_pysides_source_scan() -> None:
    """Spare every later import PySide's look at its source.

    PySide offers opt-in "features" (snake_case names, true properties) chosen per module with
    `from __feature__ import ...`. To know which modules might, it reads the whole source of every
    module imported after it (`inspect.getsource`) and looks for "PySide6" in it: a hundred files
    read before the staff list is usable, about a twentieth of the time until it is. ARRS Desk
    selects no feature anywhere, so every module runs with PySide's default set whatever the scan
    decides; saying "does not use it" without reading the file changes nothing else. Only if
    PySide still works this way (a private module): otherwise nothing is done."""
    feature = sys.modules.get("shibokensupport.feature")
    if feature is not None and callable(getattr(feature, "_mod_uses_pyside", None)) \
            and isinstance(getattr(feature, "pyside_feature_dict", None), dict):
        feature._mod_uses_pyside = lambda _module: False


skip_pysides_source_scan()

SWITCH_INTERVAL_S = 0.002
"""How long a thread may hold Python's lock while another waits for it (Python's default: 5 ms)."""


def hand_the_window_the_lock_sooner() -> None:
    """Let the window's thread take Python's lock back from a worker within 2 ms, not 5.

    A page's figures are worked out in a worker thread, in Python, while the window goes on
    answering: but every event the window handles in Python (the screen fitter sees them all, a
    table asks its model for each cell it paints) first needs the lock, and a thread holding it
    gives it up only once another has waited the switch interval. At 5,000 staff, while Home's
    figures were worked out, the window stood still for 68-75 ms at a time; with 2 ms, 34-37 ms
    (benchmarks/pages.py's heartbeat, medians of 5 and 7), the figures taking 1-4% longer. The
    longest stand-stills at 10,000 staff were garbage collections; `ui/common/garbage.py` no longer
    walks what a worker makes."""
    sys.setswitchinterval(SWITCH_INTERVAL_S)


def ui_settings() -> QSettings:
    """Window layout and other per-user, per-PC preferences (not shared records)."""
    from arrs_desk.paths import config_dir

    return QSettings(str(config_dir() / "ui.ini"), QSettings.Format.IniFormat)


def write_crash_log(details: str) -> str:
    """Append to the log file in the app's log folder; logging is set up only when first needed."""
    import logging

    from arrs_desk.paths import log_dir

    log_file = log_dir() / "arrs-desk.log"
    log = logging.getLogger("arrs_desk")
    if not log.handlers:
        handler = logging.FileHandler(log_file, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
    from arrs_desk.errors import without_secrets

    log.error("Unexpected error\n%s", without_secrets(details))
    return str(log_file)


def install_crash_handler() -> None:
    """Unexpected errors: write the details to the log file and show a calm message."""

    def excepthook(kind, value, tb):
        import traceback

        from arrs_desk.errors import without_secrets

        details = without_secrets("".join(traceback.format_exception(kind, value, tb)))
        log_file = write_crash_log(details)
        app = QApplication.instance()
        if app is not None:
            from PySide6.QtWidgets import QMessageBox

            box = QMessageBox(QMessageBox.Icon.Critical, "Something went wrong",
                              "ARRS Desk met an unexpected problem. What you had already saved is safe.\n\n"
                              f"The details were written to {log_file}; please send that file to your "
                              "administrator or support contact.")
            box.setDetailedText(details)
            box.exec()

    sys.excepthook = excepthook


def make_application(argv: list[str] | None = None, settings: QSettings | None = None, *,
                     fit_windows: bool = True) -> QApplication:
    """The one QApplication, in the look chosen by ARRS_DESK_THEME / ARRS_DESK_TEXT_SCALE or settings.

    `fit_windows=False` leaves out the screen fitter, for a caller that installs it itself once its
    first window is on screen (`MainWindow.start`)."""
    fresh = QApplication.instance() is None
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORG_NAME)
    app.setApplicationVersion(__version__)
    app.setApplicationDisplayName(APP_NAME)
    hand_the_window_the_lock_sooner()
    from arrs_desk.ui.common import garbage
    from arrs_desk.ui.common.theme import apply_appearance, chosen_appearance

    garbage.install(app)
    if fit_windows:
        from arrs_desk.ui.common import fit

        fit.install(app)  # every window and dialog within the screen it opens on
    if fresh:
        apply_appearance(app, *chosen_appearance(settings))
    return app


def show_main_window(settings: QSettings):
    """The application and its main window, shown and painted, without a database yet.

    Two costs wait until the window is on screen: the screen fitter (the first Python event filter
    on the application makes PySide create every Qt class it has not yet needed, about 10 ms;
    `MainWindow.start` installs it once the staff list is painted, which fits this window then, or
    first if it must ask for a passphrase or wait for the database), and QtCore's `Qt`
    namespace (PySide builds its 93 enums on first use, about 10 ms), so modules on this path
    import `Qt` inside the functions that use it. tests/test_layering.py checks both."""
    app = make_application(settings=settings, fit_windows=False)
    install_crash_handler()
    from arrs_desk.ui.shell.main_window import MainWindow

    window = MainWindow(settings=settings)
    window.show()
    app.processEvents()  # the window on screen first; the fitter, the staff list and the database follow
    return app, window


def run(database: str | None) -> int:
    settings = ui_settings()
    app, window = show_main_window(settings)
    from arrs_desk.paths import default_database

    target = database or default_database()

    # A single-user staff list is filled here, from a light read; the screen fitter follows its first
    # paint (`MainWindow.start`), or comes first when a passphrase or sign-in must be asked for.
    QTimer.singleShot(0, lambda: window.start(target))
    return app.exec()
