"""Where ARRS Desk keeps its files, and where it finds its own resources.

One module owns every path so that the frozen bundle, an installed wheel, a development
checkout and the tests all agree. Nothing here imports Qt or the database layer.
"""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path

from arrs_desk import APP_NAME, ORG_NAME

HOME_ENV = "ARRS_DESK_HOME"
"""Overrides the data directory (database, backups, evidence files, logs)."""

DATABASE_ENV = "ARRS_DESK_DATABASE"
"""Overrides the database: a file path or a SQLAlchemy URL (e.g. postgresql+psycopg://...)."""

DEV_ENV = "ARRS_DESK_DEV"
"""When set to 1, keep all data in ./.arrs-desk-dev so development never touches real records."""

DATABASE_FILENAME = "arrs-desk.sqlite3"


def data_dir() -> Path:
    """The per-user data directory, created with private permissions on first use."""
    override = os.environ.get(HOME_ENV)
    if override:
        path = Path(override).expanduser()
    elif os.environ.get(DEV_ENV) == "1":
        path = Path.cwd() / ".arrs-desk-dev"
    else:
        from platformdirs import user_data_path

        path = user_data_path(APP_NAME, ORG_NAME, roaming=False)
    return _private_dir(path)


def config_dir() -> Path:
    override = os.environ.get(HOME_ENV)
    if override or os.environ.get(DEV_ENV) == "1":
        return _private_dir(data_dir() / "config")
    from platformdirs import user_config_path

    return _private_dir(user_config_path(APP_NAME, ORG_NAME, roaming=True))


def log_dir() -> Path:
    return _private_dir(data_dir() / "logs")


def backup_dir() -> Path:
    return _private_dir(data_dir() / "backups")


def evidence_dir() -> Path:
    return _private_dir(data_dir() / "evidence")


def default_database() -> str:
    """The database to open when none is named on the command line."""
    return os.environ.get(DATABASE_ENV) or str(data_dir() / DATABASE_FILENAME)


def _private_dir(path: Path) -> Path:
    return private_folder(path)


# ------------------------------------------------------------------ private files and folders
# Every file the app writes (PDF, CSV, XLSX, ICS, JSON, ZIP, a database or its copy) holds
# personal data, so it is created readable by its owner only, and every folder the app creates
# for such files is too. On POSIX that is mode 0600 / 0700, set explicitly because `mkdir(mode=)`
# and `open` are narrowed by the umask but never widened, and an existing file keeps its mode when
# truncated. On Windows the modes mean nothing beyond "not read-only": a new file inherits the
# access list of its folder, which under the user's profile is the user's own; nothing else to do.
PRIVATE_FILE_MODE = 0o600
PRIVATE_FOLDER_MODE = 0o700


def private_folder(path: Path | str) -> Path:
    """Create `path` and any missing parents, each readable by its owner only; an existing folder
    (one a user chose) is left as it is. Returns the path."""
    path = Path(path)
    missing = []
    probe = path
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=PRIVATE_FOLDER_MODE)
        except FileExistsError:
            continue  # made at the same moment by someone else: theirs to keep
        _chmod(folder, PRIVATE_FOLDER_MODE)
    if not path.is_dir():
        raise NotADirectoryError(f"{path} is not a folder")
    return path


def create_private_file(path: Path | str) -> Path:
    """Create (or empty) `path` as a file only its owner can read, before a writer that opens it
    by name (ReportLab, openpyxl, zipfile, sqlite3) fills it: the content is never readable by
    others, not even for a moment."""
    path = Path(path)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC | getattr(os, "O_BINARY", 0), PRIVATE_FILE_MODE)
    os.close(fd)
    _chmod(path, PRIVATE_FILE_MODE)
    return path


def make_private(path: Path | str) -> Path:
    """Narrow an existing file to its owner (for files another library created, e.g. a copy)."""
    path = Path(path)
    _chmod(path, PRIVATE_FILE_MODE)
    return path


def is_private(path: Path | str) -> bool:
    """True when nobody but the owner may read, write or enter `path` (always true on Windows)."""
    if os.name == "nt":
        return True
    return Path(path).stat().st_mode & 0o077 == 0


def _chmod(path: Path, mode: int) -> None:
    if os.name != "nt":  # on Windows chmod only toggles read-only; the folder's access list applies
        os.chmod(path, mode)


@cache
def resources_root() -> Path:
    """The `resources/` folder, wherever this copy of ARRS Desk was installed from."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    package_dir = Path(__file__).resolve().parent
    candidates = []
    if frozen_root:
        candidates.append(Path(frozen_root) / "resources")
    candidates += [package_dir / "_resources", package_dir.parent.parent / "resources"]
    for candidate in candidates:
        if (candidate / "catalogue").is_dir():
            return candidate
    raise FileNotFoundError(
        "ARRS Desk cannot find its resources folder; looked in " + ", ".join(map(str, candidates))
    )


def resource_path(*parts: str) -> Path:
    return resources_root().joinpath(*parts)
