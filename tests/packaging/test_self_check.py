"""`arrs-desk --self-check` from the source tree, and the packaging inputs the bundle build reads."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"


def run_cli(*args: str, home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ARRS_DESK_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "arrs_desk", *args], capture_output=True, text=True, env=env,
                          timeout=120)


def test_self_check_passes_on_a_new_database(tmp_path):
    result = run_cli("--self-check", home=tmp_path / "home")
    assert result.returncode == 0, result.stdout + result.stderr
    for step in ("resources", "open database and run migrations", "main window offscreen", "PDF with DejaVu"):
        assert f"ok  {step}" in result.stdout
    assert "Self-check passed" in result.stdout


def test_self_check_uses_the_database_given_and_leaves_it_migrated(tmp_path):
    database = tmp_path / "given.sqlite3"
    result = run_cli("--database", str(database), "--self-check", home=tmp_path / "home")
    assert result.returncode == 0, result.stdout + result.stderr
    assert database.is_file() and str(database) in result.stdout


def test_self_check_fails_with_a_message_when_the_database_cannot_open(tmp_path):
    not_a_database = tmp_path / "notes.sqlite3"
    not_a_database.write_text("this is not a database\n" * 100)
    result = run_cli("--database", str(not_a_database), "--self-check", home=tmp_path / "home")
    assert result.returncode == 1
    assert "FAILED  open database and run migrations" in result.stdout
    assert "Self-check passed" not in result.stdout


def test_windows_version_numbers_come_from_the_package_version():
    sys.path.insert(0, str(PACKAGING))
    try:
        import version_info
    finally:
        sys.path.remove(str(PACKAGING))
    assert version_info.version_numbers("0.1.0") == (0, 1, 0, 0)
    assert version_info.version_numbers("1.2.3rc4") == (1, 2, 3, 4)
    assert version_info.version_numbers("2.0") == (2, 0, 0, 0)


def test_committed_icon_files_hold_every_size_windows_asks_for():
    data = (PACKAGING / "arrs-desk.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1)
    sizes = {struct.unpack_from("<B", data, 6 + 16 * i)[0] or 256 for i in range(count)}
    assert {16, 32, 48, 256} <= sizes
    assert (PACKAGING / "arrs-desk.png").read_bytes().startswith(b"\x89PNG")


def test_installer_is_per_user_and_starts_the_windowed_program():
    script = (PACKAGING / "arrs-desk.iss").read_text(encoding="utf-8")
    assert "PrivilegesRequired=lowest" in script
    assert r"DefaultDirName={localappdata}\Programs\ARRS Desk" in script
    assert r'Filename: "{app}\arrs-desk-gui.exe"' in script
    spec = (PACKAGING / "arrs_desk.spec").read_text(encoding="utf-8")
    assert 'name="arrs-desk-gui", console=False' in spec
