"""Where this PC puts the backups of each SQLite database: a small JSON file in the config folder.

The choice is per PC (a local folder or a mapped drive or share that only this PC may see) and
must be readable when the database itself cannot be, so it is kept outside the database, keyed
by the database's resolved path. Plain stdlib, so the command line and the automatic daily
backup read it without Qt.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path

from arrs_desk import paths
from arrs_desk.errors import ValidationError

log = logging.getLogger(__name__)

SETTINGS_FILE = "backup-folders.json"
FIELD = "backup_folder"
LABEL = "Backup folder"


def settings_file() -> Path:
    return paths.config_dir() / SETTINGS_FILE


def database_key(database: Path | str) -> str:
    """The same file reached by another spelling (relative, a symlink, other case on Windows) shares one entry."""
    return os.path.normcase(str(Path(database).expanduser().resolve()))


EARLIER_KEPT = 5
"""How many folders used before are still searched for copies; each may be a share that is slow to answer."""


COPIES_KEPT = 200
"""How many copies saved under a name of their own are remembered per database, newest first."""


def _read_all() -> tuple[dict[str, str], dict[str, list[str]], dict[str, list[str]]]:
    """Every remembered folder, the folders used before them and the copies saved under names of
    their own; a damaged or unreadable file counts as none, so backups still go somewhere."""
    path = settings_file()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}, {}, {}
    except (OSError, ValueError) as exc:
        log.warning("ignoring unreadable backup settings %s: %s", path, exc)
        return {}, {}, {}
    if not isinstance(data, dict):
        return {}, {}, {}
    folders = data.get("backup_folders")
    folders = {str(k): v for k, v in folders.items() if isinstance(v, str) and v} if isinstance(folders, dict) else {}
    earlier, copies = (_lists(data.get(name)) for name in ("earlier_backup_folders", "copies_on_request"))
    return folders, earlier, copies


def _lists(value) -> dict[str, list[str]]:
    return {str(k): [f for f in v if isinstance(f, str) and f] for k, v in value.items() if isinstance(v, list)} \
        if isinstance(value, dict) else {}


def chosen_folder(database: Path | str) -> Path | None:
    """The folder chosen on this PC for this database, or None for the default beside it."""
    value = _read_all()[0].get(database_key(database))
    return Path(value) if value else None


def earlier_folders(database: Path | str) -> list[Path]:
    """Folders chosen for this database before the one in use, most recent first: their copies stay in view."""
    return [Path(f) for f in _read_all()[1].get(database_key(database), [])]


def copies_on_request(database: Path | str) -> list[Path]:
    """Copies of this database this PC saved under a name of their own (Back up now… to a chosen
    file), newest first: the app wrote them, so they are listed with its backups, while any other
    file in a backup folder (another PCN's database, say) is not."""
    return [Path(f) for f in _read_all()[2].get(database_key(database), [])]


def remember_copy(database: Path | str, copy: Path) -> None:
    """Add a copy saved under a name of its own to `copies_on_request`."""
    folders, earlier, copies = _read_all()
    key = database_key(database)
    copies[key] = list(dict.fromkeys([str(Path(copy).resolve()), *copies.get(key, [])]))[:COPIES_KEPT]
    _write(folders, earlier, copies)


def remember_folder(database: Path | str, folder: Path | None) -> None:
    """Save (or, with None, forget) the folder for this database, replacing the file in one step.
    The folder it replaces joins the earlier folders, still searched for copies."""
    folders, earlier, copies = _read_all()
    key = database_key(database)
    old, new = folders.get(key), str(folder) if folder is not None else None
    if new is None:
        folders.pop(key, None)
    else:
        folders[key] = new
    before = [f for f in ([old] if old and old != new else []) + earlier.get(key, []) if f != new]
    earlier[key] = list(dict.fromkeys(before))[:EARLIER_KEPT]
    if not earlier[key]:
        earlier.pop(key)
    _write(folders, earlier, copies)


def _write(folders: dict[str, str], earlier: dict[str, list[str]], copies: dict[str, list[str]]) -> None:
    """Replace the settings file in one step."""
    data = {"backup_folders": folders, "earlier_backup_folders": earlier}
    if copies:
        data["copies_on_request"] = copies
    target = settings_file()
    fd, tmp = tempfile.mkstemp(prefix=".backup-folders-", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:  # mkstemp makes it readable by its owner only
            json.dump(data, handle, indent=2, sort_keys=True)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _problem(message: str) -> ValidationError:
    return ValidationError.single(FIELD, f"{LABEL}: {message}")


def validate_folder(text: str | Path | None, *, evidence: Path) -> Path | None:
    """The folder to remember, checked by actually creating it and writing a file there; None for blank
    (the default). ValidationError names the field and says what would be accepted."""
    raw = str(text or "").strip()
    if not raw:
        return None
    folder = Path(raw).expanduser()
    if not folder.is_absolute():
        raise _problem(f"give the full path of the folder, such as D:\\ARRS backups or "
                       f"\\\\server\\share\\ARRS backups, not \"{raw}\".")
    folder = Path(os.path.abspath(folder))
    evidence_root = Path(os.path.abspath(evidence))
    try:
        resolved, resolved_evidence = folder.resolve(), evidence_root.resolve()
    except OSError:
        resolved, resolved_evidence = folder, evidence_root
    if resolved == resolved_evidence or resolved.is_relative_to(resolved_evidence):
        raise _problem(f"{folder} is inside the evidence folder ({evidence_root}). "
                       "Choose a folder outside it.")
    if folder.exists() and not folder.is_dir():
        raise _problem(f"{folder} is a file, not a folder.")
    try:
        paths.private_folder(folder)
    except OSError as exc:
        raise _problem(f"{folder} does not exist and could not be created ({exc.strerror or exc}). "
                       "Check the drive or share is connected, or choose another folder.")
    try:
        fd, probe = tempfile.mkstemp(prefix=".arrs-desk-write-test-", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise _problem(f"ARRS Desk cannot save files in {folder} ({exc.strerror or exc}). "
                       "Choose a folder you can save files in.")
    return folder
