"""`arrs-desk backup` and `restore` on a database with personal accounts need an administrator's
sign-in (issue 16); an empty ARRS_DESK_PASSWORD or no terminal gives a message, not a traceback."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import update

from arrs_desk.cli import main
from arrs_desk.services.accounts import _hasher
from arrs_desk.services.workspace import Workspace
from arrs_desk.store.models import UserAccount
from tests.support.pcn import HELEN, build_small_pcn

PASSWORD = "correct horse battery"


@pytest.fixture
def database(tmp_path, migrated_template, system_actor):
    """Multi-user: an administrator and Helen, a line manager, who can both sign in."""
    path = tmp_path / "accounts.sqlite3"
    shutil.copyfile(migrated_template, path)
    ws = Workspace.open(str(path))
    build_small_pcn(ws, system_actor, members=(HELEN,), admin="PCN Administrator", multi_user=True)
    with ws.db.write() as session:
        session.execute(update(UserAccount).values(password_hash=_hasher().hash(PASSWORD)))
    ws.close()
    return path


def run(path, *args):
    return main(["--database", str(path), *args])


def test_backup_and_restore_need_an_administrator(database, tmp_path, monkeypatch, capsys):
    copy = tmp_path / "copy.sqlite3"
    monkeypatch.setenv("ARRS_DESK_PASSWORD", PASSWORD)
    assert run(database, "backup", "--to", str(copy)) == 2
    assert "administrator's sign-in" in capsys.readouterr().err and not copy.exists()
    assert run(database, "backup", "--folder", str(tmp_path), "--remember") == 2
    assert run(database, "backup", "--to", str(copy), "--user", "helen") == 2
    assert "Only an administrator" in capsys.readouterr().err and not copy.exists()
    assert run(database, "backup", "--to", str(copy), "--user", "admin") == 0 and copy.exists()
    assert run(database, "restore", str(copy)) == 2
    assert run(database, "restore", str(copy), "--user", "helen") == 2
    assert "Only an administrator" in capsys.readouterr().err
    assert run(database, "restore", str(copy), "--user", "admin") == 0
    assert "Restored" in capsys.readouterr().out


def test_an_empty_password_or_no_terminal_is_explained(database, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ARRS_DESK_PASSWORD", "")
    assert run(database, "backup", "--to", str(tmp_path / "x.sqlite3"), "--user", "admin") == 2
    assert "ARRS_DESK_PASSWORD is set but empty" in capsys.readouterr().err
    monkeypatch.delenv("ARRS_DESK_PASSWORD")
    monkeypatch.setattr("sys.stdin", None)
    assert run(database, "export", "--out", str(tmp_path / "all.zip"), "--user", "admin") == 2
    assert "No terminal" in capsys.readouterr().err


def test_an_administrator_with_two_step_sign_in_gives_the_code_too(database, tmp_path, monkeypatch, capsys, clock):
    """A scheduled job cannot be asked: ARRS_DESK_CODE holds the code, and without it the message
    says so rather than failing as a wrong password."""
    from datetime import timedelta

    import pyotp

    ws = Workspace.open(str(database))
    admin = ws.accounts.sign_in(username="admin", password=PASSWORD)
    setup = ws.two_step.new_setup(admin)
    ws.two_step.turn_on(admin, secret=setup.secret, code=pyotp.TOTP(setup.secret).at(clock.now()))
    ws.close()
    clock.advance(timedelta(seconds=30))
    monkeypatch.setenv("ARRS_DESK_PASSWORD", PASSWORD)
    monkeypatch.setattr("sys.stdin", None)
    copy = tmp_path / "copy.sqlite3"
    assert run(database, "backup", "--to", str(copy), "--user", "admin") == 2
    assert "set ARRS_DESK_CODE to the code the app shows" in capsys.readouterr().err and not copy.exists()
    monkeypatch.setenv("ARRS_DESK_CODE", "000000" if pyotp.TOTP(setup.secret).at(clock.now()) != "000000" else "1")
    assert run(database, "backup", "--to", str(copy), "--user", "admin") == 2
    assert "code is not right" in capsys.readouterr().err and not copy.exists()
    clock.advance(timedelta(seconds=30))
    monkeypatch.setenv("ARRS_DESK_CODE", pyotp.TOTP(setup.secret).at(clock.now()))
    assert run(database, "backup", "--to", str(copy), "--user", "admin") == 0 and copy.exists()
