"""The one way the GUI calls a service: errors become clear messages, never tracebacks.

Validation errors are returned to the caller (forms mark the fields); permission, stale-edit
and database problems are shown in a message box naming what happened.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtWidgets import QWidget

from arrs_desk.errors import ArrsDeskError, ValidationError

T = TypeVar("T")


class Failed:
    """Returned instead of a result when the call did not succeed."""

    def __init__(self, error: ArrsDeskError):
        self.error = error

    def __bool__(self) -> bool:
        return False


def run_service(parent: QWidget | None, call: Callable[..., T], *args: Any, show_validation: bool = True, **kwargs: Any) -> T | Failed:
    try:
        return call(*args, **kwargs)
    except ValidationError as exc:
        if show_validation:
            _warn(parent, exc)
        return Failed(exc)
    except ArrsDeskError as exc:
        _warn(parent, exc)
        return Failed(exc)


def _warn(parent: QWidget | None, exc: ArrsDeskError) -> None:
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.warning(parent, exc.title, exc.message)
