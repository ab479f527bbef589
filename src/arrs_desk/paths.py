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
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


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
