"""Starting the GUI: the QApplication, the crash handler, and the first window."""

from __future__ import annotations

import logging
import sys
import traceback

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from arrs_desk import APP_NAME, ORG_NAME, __version__

log = logging.getLogger("arrs_desk")


def ui_settings() -> QSettings:
    """Window layout and other per-user, per-PC preferences (not shared records)."""
    from arrs_desk.paths import config_dir

    return QSettings(str(config_dir() / "ui.ini"), QSettings.Format.IniFormat)


def install_crash_handler() -> None:
    """Unexpected errors: write the details to the log file and show a calm message."""
    from arrs_desk.paths import log_dir

    log_file = log_dir() / "arrs-desk.log"
    handler = logging.FileHandler(log_file, encoding="utf-8", delay=True)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)

    def excepthook(kind, value, tb):
        details = "".join(traceback.format_exception(kind, value, tb))
        log.error("Unexpected error\n%s", details)
        app = QApplication.instance()
        if app is not None:
            box = QMessageBox(QMessageBox.Icon.Critical, "Something went wrong",
                              "ARRS Desk met an unexpected problem. What you had already saved is safe.\n\n"
                              f"The details were written to {log_file}; please send that file to your "
                              "administrator or support contact.")
            box.setDetailedText(details)
            box.exec()

    sys.excepthook = excepthook


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORG_NAME)
    app.setApplicationVersion(__version__)
    app.setApplicationDisplayName(APP_NAME)
    return app


def run(database: str | None) -> int:
    app = make_application()
    install_crash_handler()
    from arrs_desk.paths import default_database
    from arrs_desk.ui.main_window import MainWindow

    window = MainWindow(settings=ui_settings())
    window.show()
    target = database or default_database()
    QTimer.singleShot(0, lambda: window.open_in_background(target))
    return app.exec()
