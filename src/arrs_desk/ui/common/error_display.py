"""The one way an error reaches the person at the keyboard.

Every operation that fails ends here unless its caller handles the error itself. The services
raise errors a person can act on (`arrs_desk.errors`), each with a title saying what happened and
a message saying what to do; those are shown as they are, in a message box over the window that
asked. A file the operating system refused is explained the same way. Anything else is a bug: it
goes to the crash handler (`ui.app.install_crash_handler`: the details to the log file, a calm
message on screen), never a raw traceback in a message box.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox, QWidget

from arrs_desk.errors import ArrsDeskError, Cancelled, DatabaseProblem

FILE_PROBLEM = "Could not use the file"


def show_error(parent: QWidget | None, error: BaseException) -> None:
    """Show `error` the standard way (see the module docstring)."""
    if isinstance(error, Cancelled):
        show_status(parent, error.message)  # the person asked for it: a note, not a dialog
    elif isinstance(error, DatabaseProblem):
        QMessageBox.critical(parent, error.title, error.message)
    elif isinstance(error, ArrsDeskError):
        QMessageBox.warning(parent, error.title, error.message)
    elif isinstance(error, OSError):
        QMessageBox.warning(parent, FILE_PROBLEM, file_problem_text(error))
    else:
        report_unexpected(error)


def problem(title: str, message: str) -> ArrsDeskError:
    """A problem a screen finds itself (before asking a service), to show like any other."""
    error = ArrsDeskError(message)
    error.title = title
    return error


def file_problem_text(error: OSError) -> str:
    where = f" ({error.filename})" if error.filename else ""
    return (f"{error.strerror or error}{where}. Check that the folder exists and that you may save there, and "
            "close the file if another program has it open.")


def report_unexpected(error: BaseException) -> None:
    """Through the crash handler, as if the error had escaped a slot: logged with its traceback."""
    sys.excepthook(type(error), error, error.__traceback__)


def show_status(widget: QWidget | None, text: str, milliseconds: int = 8000) -> None:
    """A passing note in the status bar of the widget's main window, if it has one."""
    window = widget.window() if widget is not None else None
    while window is not None and not hasattr(window, "statusBar"):
        parent = window.parentWidget()
        window = parent.window() if parent is not None else None
    if window is not None:
        window.statusBar().showMessage(text, milliseconds)


def end_session(widget: QWidget | None) -> None:
    """After a refusal that ends the session (`SessionEnded`, once its message has been shown):
    the main window locks, as when left idle, so the window no longer shows or saves anything
    for an account that may not act. Only another person can sign in there."""
    window = widget.window() if widget is not None else None
    while window is not None and not hasattr(window, "lock"):
        parent = window.parentWidget()
        window = parent.window() if parent is not None else None
    if window is not None:
        QTimer.singleShot(0, window.lock)  # once the dialog or page that asked has had the error
