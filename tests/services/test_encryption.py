"""Issue 20 item 1 through the service: who may turn encryption on or off, what a bad passphrase is
told, what the audit trail keeps, the key remembered on this PC, and a PostgreSQL server refused."""

from __future__ import annotations

import sqlite3

import keyring
import pytest
from keyring.backend import KeyringBackend
from sqlalchemy import select

from arrs_desk.errors import PermissionDenied, ValidationError
from arrs_desk.services import encryption_keys
from arrs_desk.services.actor import Actor
from arrs_desk.services.workspace import Workspace
from arrs_desk.store import cipher
from arrs_desk.store.cipher import KeyNeeded, WrongKey
from arrs_desk.store.models import AuditEntry

PASSPHRASE = "staple horse battery correct"
OTHER = "a completely different one"
STAFF = Actor(7, "nurse.one", "Niamh Nurse", frozenset({"staff"}))
MANAGER = Actor(8, "manager.one", "Mo Manager", frozenset({"line_manager"}))


class MemoryKeyring(KeyringBackend):
    """The operating system's credential store, as a dictionary."""

    priority = 1

    def __init__(self):
        super().__init__()
        self.kept: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.kept.get((service, username))

    def set_password(self, service, username, password):
        self.kept[(service, username)] = password

    def delete_password(self, service, username):
        self.kept.pop((service, username), None)


@pytest.fixture
def ring():
    before = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    yield memory
    keyring.set_keyring(before)


@pytest.fixture
def cheap_kdf(monkeypatch):
    """argon2 at a small cost: these tests are about who and what, not about guessing cost."""
    monkeypatch.setattr(cipher, "KDF_MEMORY_KIB", 1024)
    monkeypatch.setattr(cipher, "KDF_TIME_COST", 1)


pytestmark = pytest.mark.usefixtures("cheap_kdf")


def _audit(workspace, action: str) -> list[AuditEntry]:
    with workspace.db.read() as session:
        return list(session.execute(select(AuditEntry).where(AuditEntry.action == action)).scalars())


def test_only_an_administrator_turns_it_on_and_off(workspace, system_actor):
    for actor in (STAFF, MANAGER):
        with pytest.raises(PermissionDenied):
            workspace.encryption.turn_on(actor, passphrase=PASSPHRASE, confirm=PASSPHRASE, remember_here=False)
        with pytest.raises(PermissionDenied):
            workspace.encryption.turn_off(actor, current=PASSPHRASE)
    assert not workspace.encryption.status().encrypted


def test_a_bad_new_passphrase_is_refused_naming_the_field(workspace, system_actor, backend):
    if backend == "postgres":
        with pytest.raises(ValidationError) as refused:
            workspace.encryption.turn_on(system_actor, passphrase=PASSPHRASE, confirm=PASSPHRASE, remember_here=False)
        assert "server" in refused.value.errors["database"]
        assert not workspace.encryption.status().possible
        return
    with pytest.raises(ValidationError) as short:
        workspace.encryption.turn_on(system_actor, passphrase="short", confirm="short", remember_here=False)
    assert "at least 10 characters" in short.value.errors["passphrase"]
    with pytest.raises(ValidationError) as different:
        workspace.encryption.turn_on(system_actor, passphrase=PASSPHRASE, confirm=PASSPHRASE + "!", remember_here=False)
    assert "not the same" in different.value.errors["confirm"]
    assert not cipher.is_encrypted(workspace.db.path)


@pytest.mark.sqlite_only("encryption at rest is for a SQLite file; a server encrypts its own disks")
def test_turning_it_on_encrypts_the_database_and_its_backups_and_is_audited(workspace, system_actor, backend):
    workspace.backups.back_up(system_actor)
    result = workspace.encryption.turn_on(system_actor, passphrase=PASSPHRASE, confirm=PASSPHRASE,
                                          remember_here=False)
    assert result.encrypted and result.backups_converted == 2  # the copy made first, and the earlier one
    path = workspace.db.path
    assert cipher.is_encrypted(path) and workspace.encryption.status().encrypted
    assert all(cipher.is_encrypted(b.path) for b in workspace.backups.list(system_actor))
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        sqlite3.connect(path).execute("SELECT count(*) FROM staff").fetchone()
    [entry] = _audit(workspace, "encrypt")
    assert entry.changes["encrypted"] == [False, True] and entry.changes["backups_converted"] == [None, 2]
    assert PASSPHRASE not in str(entry.changes) and PASSPHRASE not in entry.summary
    # and the records are still there, through the same workspace
    assert workspace.organisations.list(system_actor) is not None


@pytest.mark.sqlite_only("encryption at rest is for a SQLite file; a server encrypts its own disks")
def test_other_databases_in_the_backup_folder_are_left_as_they_were(workspace, system_actor, migrated_template):
    """Another PCN's database kept in the same backup folder was encrypted with this database's key."""
    import shutil

    workspace.backups.back_up(system_actor)
    folder = workspace.backups.folder()
    other = folder / "other-pcn.sqlite3"
    shutil.copyfile(migrated_template, other)
    before = other.read_bytes()
    result = workspace.encryption.turn_on(system_actor, passphrase=PASSPHRASE, confirm=PASSPHRASE,
                                          remember_here=False)
    assert result.backups_converted == 2 and not result.backups_left
    assert other.read_bytes() == before


@pytest.mark.sqlite_only("encryption at rest is for a SQLite file; a server encrypts its own disks")
def test_changing_and_turning_off_need_the_current_passphrase(workspace, system_actor, backend):
    workspace.encryption.turn_on(system_actor, passphrase=PASSPHRASE, confirm=PASSPHRASE, remember_here=False)
    before = workspace.db.path.read_bytes()
    with pytest.raises(ValidationError) as wrong:
        workspace.encryption.change_passphrase(system_actor, current=OTHER, passphrase=OTHER, confirm=OTHER,
                                               remember_here=False)
    assert "current passphrase" in wrong.value.errors["current"]
    with pytest.raises(ValidationError):
        workspace.encryption.turn_off(system_actor, current=OTHER)
    assert workspace.db.path.read_bytes() == before  # a wrong passphrase changes nothing
    workspace.encryption.change_passphrase(system_actor, current=PASSPHRASE, passphrase=OTHER, confirm=OTHER,
                                           remember_here=False)
    path = workspace.db.path
    with pytest.raises(WrongKey):
        encryption_keys.unlock(path, PASSPHRASE)
    assert encryption_keys.unlock(path, OTHER).key == workspace.encryption.key.key
    result = workspace.encryption.turn_off(system_actor, current=OTHER)
    assert not result.encrypted and not cipher.is_encrypted(path)
    assert [e.action for e in _audit(workspace, "rekey") + _audit(workspace, "decrypt")] == ["rekey", "decrypt"]


@pytest.mark.sqlite_only("encryption at rest is for a SQLite file; a server encrypts its own disks")
def test_the_key_remembered_on_this_pc_opens_it_without_asking(workspace, system_actor, backend, ring):
    path = workspace.db.path
    workspace.encryption.turn_on(system_actor, passphrase=PASSPHRASE, confirm=PASSPHRASE, remember_here=True)
    assert workspace.encryption.status().remembered
    assert PASSPHRASE not in str(ring.kept)  # the derived key is kept, never the passphrase
    workspace.close()
    key = encryption_keys.remembered_key(path)
    assert key is not None and encryption_keys.needs_key(path)
    reopened = Workspace.open(path, key=key)
    try:
        assert reopened.encryption.status().encrypted
        reopened.encryption.forget_here(system_actor)
        assert encryption_keys.remembered_key(path) is None
    finally:
        reopened.close()


@pytest.mark.sqlite_only("encryption at rest is for a SQLite file; a server encrypts its own disks")
def test_the_command_line_reads_the_passphrase_from_the_environment(workspace, system_actor, backend, monkeypatch):
    path = workspace.db.path
    assert encryption_keys.key_for_command_line(path) is None  # a plain database needs none
    workspace.encryption.turn_on(system_actor, passphrase=PASSPHRASE, confirm=PASSPHRASE, remember_here=False)
    monkeypatch.delenv(encryption_keys.PASSPHRASE_ENV, raising=False)
    with pytest.raises(KeyNeeded, match=encryption_keys.PASSPHRASE_ENV):
        encryption_keys.key_for_command_line(path)
    monkeypatch.setenv(encryption_keys.PASSPHRASE_ENV, OTHER)
    with pytest.raises(WrongKey):
        encryption_keys.key_for_command_line(path)
    monkeypatch.setenv(encryption_keys.PASSPHRASE_ENV, PASSPHRASE)
    assert encryption_keys.key_for_command_line(path).key == workspace.encryption.key.key


@pytest.mark.sqlite_only("encryption at rest is for a SQLite file; a server encrypts its own disks")
def test_the_dspt_report_and_the_restore_test_know_the_database_is_encrypted(workspace, system_actor, backend):
    from arrs_desk.services.dspt.facts import storage_facts

    assert storage_facts(workspace.db).encryption.startswith("Not encrypted")
    workspace.encryption.turn_on(system_actor, passphrase=PASSPHRASE, confirm=PASSPHRASE, remember_here=False)
    assert storage_facts(workspace.db).encryption.startswith("Encrypted at rest")
    workspace.backups.back_up(system_actor)
    result = workspace.dspt.test_restore(system_actor)
    assert result.passed, result.summary


def _damage(path, how: str) -> None:
    data = bytearray(path.read_bytes())
    if how == "first page":
        data[100:4000] = bytes(3900)  # the salt is left: the passphrase still makes the file's key
    else:
        data[4096:] = bytes(len(data) - 4096)
    path.write_bytes(bytes(data))


@pytest.mark.sqlite_only("encryption at rest is for a SQLite file; a server encrypts its own disks")
@pytest.mark.parametrize("how", ["first page", "further on"])
def test_a_damaged_database_takes_its_passphrase_and_says_it_is_damaged(workspace, system_actor, ring, how):
    """The passphrase prompt said "database disk image is malformed", or "That passphrase does not
    open…" to the right passphrase, so a damaged encrypted database never reached the offer of its
    backups, which need its key to be restored."""
    from arrs_desk.errors import DatabaseDamaged

    workspace.encryption.turn_on(system_actor, passphrase=PASSPHRASE, confirm=PASSPHRASE, remember_here=True)
    key, path = workspace.encryption.key, workspace.db.path
    workspace.close()
    _damage(path, how)
    assert encryption_keys.unlock(path, PASSPHRASE).key == key.key
    assert encryption_keys.remembered_key(path).key == key.key
    with pytest.raises(WrongKey):
        encryption_keys.unlock(path, OTHER)  # a wrong passphrase is still told so
    with pytest.raises(DatabaseDamaged):  # so the window offers its backups
        Workspace.open(path, key=key).close()


@pytest.mark.sqlite_only("encryption at rest is for a SQLite file; a server encrypts its own disks")
def test_a_change_cut_short_keeps_the_old_key_that_opens_the_backups_not_yet_converted(
        workspace, system_actor, backend, ring, monkeypatch):
    """The old key was forgotten before the backups were converted: a PC switched off in between
    left backups that only a passphrase just replaced would open."""
    from arrs_desk.services import encryption
    from arrs_desk.store import backup as store_backup

    workspace.encryption.turn_on(system_actor, passphrase=PASSPHRASE, confirm=PASSPHRASE, remember_here=True)

    def power_cut(*_args):
        raise KeyboardInterrupt  # the process ends here, as when the PC goes off

    monkeypatch.setattr(encryption, "_convert_backups", power_cut)
    with pytest.raises(KeyboardInterrupt):
        workspace.encryption.change_passphrase(system_actor, current=PASSPHRASE, passphrase=OTHER, confirm=OTHER,
                                               remember_here=True)
    backups = store_backup.list_backups(workspace.db.path)
    assert backups and all(cipher.is_encrypted(b.path) for b in backups)
    for backup in backups:  # still under the old key, which this PC still holds
        assert encryption_keys.remembered_key(backup.path) is not None, backup.path.name
