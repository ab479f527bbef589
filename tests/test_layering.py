"""The layers stay one-directional: services and domain never pull in Qt; views never the database."""

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "arrs_desk"


def test_services_import_without_qt():
    code = (
        "import sys, arrs_desk.services.workspace, arrs_desk.demo.pcn, arrs_desk.domain.staff;"
        "import arrs_desk.domain.catalogue, arrs_desk.domain.permissions;"
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_views_never_import_the_store_or_database_libraries():
    offenders = []
    for path in (PACKAGE / "ui").rglob("*.py"):
        for name in _imports(path):
            if name.startswith(("sqlmodel", "sqlalchemy", "alembic", "arrs_desk.store")):
                offenders.append(f"{path.name}: {name}")
    assert offenders == []


def test_domain_imports_neither_qt_nor_database():
    offenders = []
    for path in (PACKAGE / "domain").rglob("*.py"):
        for name in _imports(path):
            if name.startswith(("PySide6", "sqlmodel", "sqlalchemy", "alembic", "arrs_desk.store", "arrs_desk.services")):
                offenders.append(f"{path.name}: {name}")
    assert offenders == []


def test_gui_start_path_does_not_import_the_database_layer():
    """The window must appear before SQLModel's ~0.3 s import; it is loaded after show()."""
    code = (
        "import sys, arrs_desk.cli, arrs_desk.ui.shell.app, arrs_desk.ui.shell.main_window;"
        "heavy = [m for m in sys.modules if m.split('.')[0] in ('sqlmodel', 'sqlalchemy', 'alembic', 'reportlab')];"
        "assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True, env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})


def _in_a_fresh_window_process(tmp_path, *steps: str) -> None:
    """Run `steps` in a new process that has just shown the main window (`app`, `window`), the way
    ARRS Desk starts: nothing imported or built by this test session can hide what start-up does."""
    code = ";".join((
        "import sys, PySide6.QtCore as core",
        "from arrs_desk.ui.shell.app import show_main_window, ui_settings",
        "app, window = show_main_window(ui_settings())",
        "sys.excepthook = sys.__excepthook__",  # a failure ends the process, not a crash dialog
        "qt_built_before_the_first_paint = 'Qt' in core.__dict__",
        "from arrs_desk.ui.common import fit",  # after the window: it may build `Qt` itself
        *steps,
    ))
    env = {**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen", "ARRS_DESK_HOME": str(tmp_path)}
    subprocess.run([sys.executable, "-c", code], check=True, env=env, timeout=120)


def test_the_main_window_is_shown_before_qt_builds_its_namespace_or_the_screen_fitter(tmp_path):
    """Up to the first paint, nothing asks for QtCore's `Qt` namespace (PySide builds its 93 enums,
    ~10 ms, on first use) nor installs the screen fitter (the first Python event filter on the
    application makes PySide create every Qt class, ~20 ms): both wait until the window is on screen.
    A module-level `from PySide6.QtCore import Qt` on the start path fails this test."""
    _in_a_fresh_window_process(
        tmp_path,
        "assert window.isVisible()",
        "assert not qt_built_before_the_first_paint, 'the Qt namespace was built before the window was shown'",
        "assert app.findChild(fit.ScreenFitter) is None",
        "fit.install(app)",
        "assert app.findChild(fit.ScreenFitter) is not None and window.property(fit.FITTED)",
    )


def test_an_encrypted_database_installs_the_screen_fitter_before_asking_for_its_passphrase(tmp_path):
    """The fitter now comes after the staff list is painted (`MainWindow.start`); a passphrase prompt
    shown before the list must still be fitted to the screen, so `MainWindow.start` installs it first."""
    _in_a_fresh_window_process(
        tmp_path,
        "from arrs_desk.services import encryption_keys",
        "from arrs_desk.ui.shell import encryption_dialogs",
        "seen = []",
        "encryption_keys.needs_key = lambda target: True",
        "encryption_keys.remembered_key = lambda target: None",
        "encryption_dialogs.PassphrasePrompt.exec = lambda self: seen.append(app.findChild(fit.ScreenFitter)) or 0",
        "assert app.findChild(fit.ScreenFitter) is None",
        "window.start('elsewhere.sqlite3')",
        "assert len(seen) == 1 and seen[0] is not None, seen",
    )


def test_a_single_user_start_fits_the_window_once_the_staff_list_is_painted(tmp_path):
    """`MainWindow.start` fills the list first and installs the screen fitter just after the list's
    first paint (installing it costs about 10 ms the person would otherwise wait for the list)."""
    from arrs_desk.services.workspace import Workspace

    database = tmp_path / "sole.sqlite3"
    ws = Workspace.open(database)
    ws.accounts.choose_single_user(display_name="Sole User")
    ws.close()
    _in_a_fresh_window_process(
        tmp_path,
        "import time",
        f"window.start({str(database)!r})",
        "assert window.pages.isEnabled(), 'the light read did not fill the list'",
        "assert app.findChild(fit.ScreenFitter) is None, 'the fitter came before the list was painted'",
        "deadline = time.monotonic() + 10",
        "exec('while app.findChild(fit.ScreenFitter) is None and time.monotonic() < deadline: app.processEvents()')",
        "assert app.findChild(fit.ScreenFitter) is not None and window.property(fit.FITTED)",
        # the database opens in a worker after that paint: let it finish before the process ends
        "exec('while window.workspace is None and time.monotonic() < deadline: app.processEvents()')",
        "assert window.workspace is not None",
        "from arrs_desk.ui.common.operation import wait_for_operations",
        "wait_for_operations(deliver=False)",  # the checks and figures it starts, before the process ends
    )


def test_the_quick_start_of_a_plain_or_encrypted_database_imports_no_database_layer(tmp_path, system_actor):
    """From start() to the staff list's rows: whether the file needs a key, the key, the light read
    (`services.quick_start`). An import of the key's module once pulled in the ORM (0.75 s) first."""
    from arrs_desk.services.workspace import Workspace
    from tests.supervision_support import make_team

    plain, encrypted = tmp_path / "plain.sqlite3", tmp_path / "encrypted.sqlite3"
    for path in (plain, encrypted):
        ws = Workspace.open(path)
        ws.accounts.choose_single_user(display_name="Sole User")
        make_team(ws, system_actor)
        names = sorted(r.display_name for r in ws.staff.list_rows(system_actor))
        if path == encrypted:
            ws.encryption.turn_on(system_actor, passphrase="a long enough passphrase here",
                                  confirm="a long enough passphrase here", remember_here=False)
            secret = ws.encryption.key.secret
        ws.close()
    code = (
        "import os, sys\n"
        "from arrs_desk.services import encryption_keys\n"
        "from arrs_desk.services.quick_start import single_user_quick_start\n"
        "from arrs_desk.store.cipher import DatabaseKey\n"
        "plain, encrypted = sys.argv[1:3]\n"
        "assert not encryption_keys.needs_key(plain) and encryption_keys.needs_key(encrypted)\n"
        "names = sys.argv[3:]\n"
        "assert sorted(r.display_name for r in single_user_quick_start(plain).rows) == names\n"
        "key = DatabaseKey.from_secret(os.environ['ARRS_TEST_KEY'])\n"
        "assert sorted(r.display_name for r in single_user_quick_start(encrypted, key).rows) == names\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in ('sqlmodel', 'sqlalchemy', 'alembic', 'reportlab')]\n"
        "assert not heavy, heavy\n"
    )
    assert len(names) > 3
    subprocess.run([sys.executable, "-c", code, str(plain), str(encrypted), *names], check=True,
                   env={**__import__("os").environ, "ARRS_TEST_KEY": secret})
