"""Whether a key is an encrypted database's own, even when the file is damaged (so that opening it
says it is damaged and offers its backups). Apart from `cipher`, which `backup` uses, since this
asks the backups too."""

from __future__ import annotations

from pathlib import Path

from arrs_desk.store import cipher


def key_fits(path: Path | str, key: cipher.DatabaseKey) -> bool:
    """Whether `key` is the encrypted database's own, even when the file is damaged: it opens the
    file; or it reads the file's first page and the damage is further on; or the first page is
    damaged too and the key opens one of the file's backups with the same salt (the passphrase
    makes the same key only with the same salt). A damaged database is still opened with its key,
    so that opening says it is damaged and offers its backups, which need that key to be restored."""
    try:
        return cipher.key_opens(path, key) or _opens_a_backup(Path(path), key)
    except cipher._cipher().DatabaseError:  # not "not a database": the key read the first page; the damage is beyond
        return True


def _opens_a_backup(database: Path, key: cipher.DatabaseKey) -> bool:
    # Here, not at the top: listing backups brings in the database layer, which the quick start of
    # an encrypted database (the key it remembers opens the file itself) never needs.
    from arrs_desk.store.backup import list_backups

    for backup in list_backups(database):  # newest first; one with the same salt answers for them all
        try:
            if cipher.is_encrypted(backup.path) and cipher.file_salt(backup.path) == key.salt:
                return cipher.key_opens(backup.path, key)
        except (OSError, cipher._cipher().DatabaseError):
            continue  # damaged too: ask the next
    return False
