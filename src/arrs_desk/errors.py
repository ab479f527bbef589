"""Errors a user can act on. Every layer raises these; the UI shows their messages as they are.

Messages are written for the person at the keyboard: they name the field in plain words and
say what would be accepted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping


class ArrsDeskError(Exception):
    """Base class: anything with a message fit to show a user."""

    title = "ARRS Desk"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ValidationError(ArrsDeskError):
    """Input that cannot be saved. `errors` maps field name to message, in form order."""

    title = "Please check the details"

    def __init__(self, errors: Mapping[str, str] | str, field: str | None = None):
        if isinstance(errors, str):
            errors = {field or "": errors}
        self.errors = dict(errors)
        super().__init__("\n".join(self.errors.values()))

    @classmethod
    def single(cls, field: str, message: str) -> "ValidationError":
        return cls({field: message})


class PermissionDenied(ArrsDeskError):
    title = "Not allowed"


class SessionEnded(PermissionDenied):
    """A refusal after which the session cannot go on: the account's holder has left since signing
    in, or the account was turned off, lost a role or was linked to another staff record. The
    window shows the message, then locks as when left idle (`MainWindow.lock`): a leaver's or a
    turned-off account cannot sign in there again, and a changed one signs in with what it has now."""


class NotFound(ArrsDeskError):
    title = "Not found"


class StaleEdit(ArrsDeskError):
    """Someone else saved the same record since it was opened; nothing was overwritten."""

    title = "Changed by someone else"


class DatabaseBusy(ArrsDeskError):
    title = "Database busy"


class DatabaseUnwritable(ArrsDeskError):
    """A save the database refused for a reason of the storage under it (a read-only file or folder,
    a full disk): nothing was saved, and the message says what to fix. Not a `DatabaseProblem`: the
    records can still be read, so the app stays open."""

    title = "Cannot save"


class DatabaseProblem(ArrsDeskError):
    """The database cannot be opened safely (too new, damaged, unreachable)."""

    title = "Cannot open the database"


class DatabaseReplaced(DatabaseProblem):
    """The file was swapped under an open app (encryption turned on or off, a restore) elsewhere."""

    title = "Database changed elsewhere"


class DatabaseDamaged(DatabaseProblem):
    """The file is damaged or unreadable: restoring a backup is the way forward."""


class ResourceFileError(ArrsDeskError):
    """A built-in or user-supplied data file (catalogue, template) is malformed."""

    title = "Invalid data file"


class BackupProblem(ArrsDeskError):
    """A backup could not be made, or a file cannot be restored; the database was left as it was."""

    title = "Backup and restore"


class Cancelled(ArrsDeskError):
    """The person stopped a long job; whatever it would have written was rolled back."""

    title = "Cancelled"


_PASSWORD_HASH = re.compile(r"\$argon2(?:id|i|d)\$[^\s'\")\]}]*")


def without_secrets(text: str) -> str:
    """Text for a log file or an error's details with any password hash cut out.

    The database engine already keeps statement values out of its errors (hide_parameters); this
    is the second line, for whatever else quotes a row (a repr in a traceback, a driver message).
    """
    return _PASSWORD_HASH.sub("(password hash removed)", text)
