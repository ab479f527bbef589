"""Issue 15 item 7: every window and dialog fits a 1366x768 laptop, at 100% and at 150% text.

The probe (tests/ui/screen_probe.py) runs in a child process on an offscreen screen of 1366x728
(the laptop less its taskbar): it signs in to the demonstration PCN, opens every page of the main
window and every dialog the way the app opens them, presses each form's main button once on an
empty form so its problems appear, and reports each window's frame (with room for a 30 px title
bar) and any button cut off or squashed. A second test keeps the tour honest: every dialog class
in arrs_desk.ui must have been opened by it.

The rest exercise the fitting itself (ui/common/fit.py) in this process, on the suite's own
offscreen screen.
"""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QScrollArea, QVBoxLayout,
)

ROOT = Path(__file__).resolve().parents[2]
LAPTOP = {"name": "laptop", "x": 0, "y": 0, "width": 1366, "height": 728, "logicalDpi": 96,
          "logicalBaseDpi": 96, "dpr": 1}
"""A 1366x768 screen less a 40 px taskbar: what Qt reports as free on the commonest practice PC."""


def _run_probe(database: Path, folder: Path, text_scale: int) -> list[dict]:
    from tests.conftest import NOW

    config = folder / "screen.json"
    config.write_text(json.dumps({"screens": [LAPTOP]}), encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}", ARRS_DESK_TEXT_SCALE=str(text_scale),
               ARRS_DESK_THEME="light",
               PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT), os.environ.get("PYTHONPATH", "")]))
    result = subprocess.run([sys.executable, "-m", "tests.ui.screen_probe", str(database), "--today", NOW.isoformat()],
                            capture_output=True, text=True, timeout=900, cwd=folder, env=env)
    assert result.returncode == 0, f"the probe stopped ({result.returncode}):\n{result.stderr[-3000:]}"
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


@pytest.fixture(scope="module")
def probe_database(demo_template, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("probe") / "demo.sqlite3"
    shutil.copyfile(demo_template, path)
    return path


_reports: dict[int, list[dict]] = {}


def _report(probe_database: Path, tmp_path_factory, text_scale: int) -> list[dict]:
    if text_scale not in _reports:
        _reports[text_scale] = _run_probe(probe_database, tmp_path_factory.mktemp(f"probe{text_scale}"), text_scale)
    return _reports[text_scale]


@pytest.mark.slow
@pytest.mark.parametrize("text_scale", [100, 150])
def test_every_page_and_dialog_lies_within_a_laptop_screen(probe_database, tmp_path_factory, text_scale):
    windows = _report(probe_database, tmp_path_factory, text_scale)
    assert len(windows) > 60, "the tour stopped early"
    assert {w["available"][3] for w in windows} == {LAPTOP["height"]}, "not measured on the laptop screen"
    misfits = [f"{w['name']}: " + "; ".join(w["problems"]) for w in windows if w["problems"]]
    assert not misfits, f"{len(misfits)} windows do not fit at {text_scale}% text:\n" + "\n".join(misfits)
    sideways = [w["name"] for w in windows if "sideways" in w["scrolls"]]
    assert not sideways, "forms that must be scrolled sideways to be read:\n" + "\n".join(sideways)


@pytest.mark.slow
def test_the_tour_opens_every_dialog_the_app_has(probe_database, tmp_path_factory):
    """A new dialog class must join the tour (tests/ui/screen_probe.py), so it is measured too."""
    import arrs_desk.ui

    for module in pkgutil.walk_packages(arrs_desk.ui.__path__, "arrs_desk.ui."):
        importlib.import_module(module.name)

    def leaves(cls):
        subs = [s for s in cls.__subclasses__() if s.__module__.startswith("arrs_desk.ui")]
        return [c for s in subs for c in leaves(s)] if subs else [cls]

    every = {c.__name__ for c in leaves(QDialog) if c is not QDialog}
    seen = {w["class"] for w in _report(probe_database, tmp_path_factory, 100)}
    assert every - seen == set(), f"dialogs the tour never opened: {sorted(every - seen)}"
    after_problems = [w["name"] for w in _report(probe_database, tmp_path_factory, 100) if "after pressing" in w["name"]]
    assert any(name.startswith("SessionDialog") for name in after_problems), "the session form was not tried with problems"


# --- the fitting itself, on this process's screen -----------------------------------------------

@pytest.fixture
def fitter(qapp):
    """The application-wide fitting, as make_application installs it; removed afterwards."""
    from arrs_desk.ui.common import fit

    installed = fit.install(qapp)
    yield installed
    qapp.removeEventFilter(installed)
    shiboken6.delete(installed)  # now, once: the application owns it (deleteLater after a
    # setParent(None) let Python free it as well)


def _area(widget):
    from arrs_desk.ui.common import fit

    return fit.available_area(widget)


def _tall_form(rows: int) -> tuple[QDialog, QDialogButtonBox]:
    dialog = QDialog()
    layout = QVBoxLayout(dialog)
    layout.addWidget(QLabel("A long form, as a 150% text size makes of many of ours."))
    form = QFormLayout()
    for n in range(rows):
        edit = QPlainTextEdit()
        edit.setMinimumHeight(60)
        form.addRow(f"Field {n}", edit)
    layout.addLayout(form)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
    layout.addWidget(buttons)
    return dialog, buttons


def test_a_form_taller_than_the_screen_scrolls_above_buttons_that_stay_in_view(qtbot, fitter):
    dialog, buttons = _tall_form(rows=20)
    qtbot.addWidget(dialog)
    area = _area(dialog)
    assert dialog.minimumSizeHint().height() > area.height(), "the form must need more than the screen"
    dialog.show()
    qtbot.waitExposed(dialog)
    from arrs_desk.ui.common import fit

    assert fit.content_area(dialog).contains(dialog.geometry())
    assert dialog.geometry().top() - 30 >= area.top(), "no room for the title bar"
    scroll = dialog.findChild(QScrollArea, fit.SCROLL_NAME)
    assert scroll is not None and scroll.isVisible()
    assert buttons.parentWidget() is dialog and not scroll.isAncestorOf(buttons)
    assert dialog.rect().contains(buttons.geometry()), "Save and Cancel must stay in the window"
    assert scroll.widget().findChildren(QPlainTextEdit), "the form itself moved into the scroll area"


def test_a_dialog_that_fits_is_left_as_laid_out_and_centred_on_its_window(qtbot, fitter):
    owner = QDialog()
    qtbot.addWidget(owner)
    owner.resize(500, 400)
    owner.show()
    qtbot.waitExposed(owner)
    dialog, _buttons = _tall_form(rows=2)
    dialog.setParent(owner, dialog.windowFlags())
    dialog.resize(400, 300)
    dialog.show()
    qtbot.waitExposed(dialog)
    from arrs_desk.ui.common import fit

    assert dialog.findChild(QScrollArea, fit.SCROLL_NAME) is None
    assert dialog.size().width() == 400
    centre, owner_centre = dialog.geometry().center(), owner.geometry().center()
    assert abs(centre.x() - owner_centre.x()) <= 2 and abs(centre.y() - owner_centre.y()) <= 2


def test_problems_appearing_under_fields_keep_the_buttons_on_the_screen(qtbot, fitter):
    """The session dialog's old fault: the problems grew the window and pushed Save off the bottom."""
    from arrs_desk.ui.common import fit
    from arrs_desk.ui.common.form_errors import FieldErrors

    dialog = QDialog()
    qtbot.addWidget(dialog)
    layout = QVBoxLayout(dialog)
    summary = QLabel()
    layout.addWidget(summary)
    form = QFormLayout()
    fields = {}
    for n in range(12):
        fields[f"field_{n}"] = QLineEdit()
        form.addRow(f"Field {n}", fields[f"field_{n}"])
    layout.addLayout(form)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save)
    layout.addWidget(buttons)
    errors = FieldErrors(dialog, fields, summary)
    dialog.resize(420, _area(dialog).height() - 40)
    dialog.show()
    qtbot.waitExposed(dialog)
    errors.show({name: "This needs a much longer explanation than fits on one line of the form, so it wraps "
                       "over two or three lines under the field it is about." for name in fields})
    qtbot.wait(50)
    assert fit.content_area(dialog).contains(dialog.geometry())
    save = buttons.button(QDialogButtonBox.StandardButton.Save)
    assert dialog.rect().contains(save.geometry().translated(buttons.pos()))
    assert errors.text("field_11").startswith("This needs")


def test_the_main_window_saved_on_a_bigger_monitor_opens_within_this_screen(qtbot, fitter, tmp_path):
    from arrs_desk.ui.common import fit
    from arrs_desk.ui.shell.main_window import MainWindow

    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    big = MainWindow(settings=settings)
    qtbot.addWidget(big)
    big.setGeometry(300, 200, 1800, 1000)  # as left on a docked 1920x1080 monitor
    settings.setValue("main_window/geometry", big.saveGeometry())
    big.setGeometry(300, 200, 1800, 1000)
    geometry = settings.value("main_window/geometry")
    assert isinstance(geometry, QByteArray)
    window = MainWindow(settings=settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert fit.content_area(window).contains(window.geometry())


def test_the_fitter_installed_after_the_main_window_is_shown_fits_it_at_once(qtbot, qapp, tmp_path):
    """As `run` does it: the window is painted before the fitter exists (so the window shows sooner),
    and installing the fitter fits the window already on screen, then every later one."""
    from arrs_desk.ui.common import fit
    from arrs_desk.ui.shell.main_window import MainWindow

    assert qapp.findChild(fit.ScreenFitter) is None, "another test left a fitter installed"
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings=settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.setGeometry(300, 200, 4000, 3000)  # as restored from a much bigger monitor
    assert not fit.content_area(window).contains(window.geometry())
    installed = fit.install(qapp)
    try:
        assert fit.content_area(window).contains(window.geometry())
        assert window.property(fit.FITTED)
        dialog, _buttons = _tall_form(rows=20)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        assert fit.content_area(dialog).contains(dialog.geometry()), "later windows are fitted as they show"
    finally:
        qapp.removeEventFilter(installed)
        shiboken6.delete(installed)


def test_a_window_deleted_before_its_second_look_is_passed_over(qtbot, fitter):
    """A dialog saved and deleted between its showing and the fitter's second look (queued for when
    events settle) raised "Internal C++ object already deleted" in the event loop: the Python
    wrapper outlives the window it wraps."""
    dialog, _buttons = _tall_form(rows=2)
    dialog.show()
    qtbot.waitExposed(dialog)
    fitter.check_later(dialog)  # as a resize or layout change does
    shiboken6.delete(dialog)  # gone, while this test still holds its wrapper
    qtbot.wait(20)  # the queued look runs: an exception in it fails the test (pytest-qt)
    assert not shiboken6.isValid(dialog)
