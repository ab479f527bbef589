"""Issue 15 item 10: opening a file ARRS Desk saved never fails silently (ui/common/open_file.py).

With no PDF reader set up, QDesktopServices.openUrl returns False. The user is then told the file
could not be opened and where it is, and offered its folder instead; if the folder cannot be
opened either, they are told where to find it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox

from arrs_desk.ui.common.open_file import OPEN_FOLDER, open_file
from tests.review_support import make_review_team


@pytest.fixture
def viewer(monkeypatch):
    """QDesktopServices.openUrl answering as a PC would: `works` says which paths it can open."""
    state = {"opened": [], "tried": [], "works": lambda path: True}

    def open_url(url):
        path = url.toLocalFile()
        state["tried"].append(path)
        if state["works"](Path(path)):
            state["opened"].append(path)
            return True
        return False

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(open_url))
    return state


@pytest.fixture
def message_boxes(monkeypatch, no_dialogs):
    """Message boxes built and exec'd by the helper: recorded, and `answer` (a button text) pressed."""
    shown = {"boxes": [], "answer": None}

    def fake_exec(box):
        buttons = {b.text(): b for b in box.buttons()}
        shown["boxes"].append((box.windowTitle(), box.text(), box.informativeText(), sorted(buttons)))
        if shown["answer"] in buttons:
            buttons[shown["answer"]].click()
        else:
            box.button(QMessageBox.StandardButton.Close).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    shown["statics"] = no_dialogs
    return shown


def test_a_file_that_opens_needs_no_message(qtbot, viewer, message_boxes, tmp_path):
    pdf = tmp_path / "pack.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    assert open_file(None, pdf) is True
    assert viewer["opened"] == [str(pdf)] and message_boxes["boxes"] == []


def test_with_no_pdf_viewer_the_user_is_told_where_the_file_is_and_offered_its_folder(qtbot, viewer, message_boxes,
                                                                                    tmp_path):
    pdf = tmp_path / "packs" / "Zoë Ōkubo appraisal pack.pdf"
    pdf.parent.mkdir()
    pdf.write_bytes(b"%PDF-1.4\n")
    viewer["works"] = lambda path: path.suffix != ".pdf"
    message_boxes["answer"] = OPEN_FOLDER
    assert open_file(None, pdf, what="The appraisal pack") is False
    (title, text, where, buttons), = message_boxes["boxes"]
    assert "no program set up to open PDF files" in text and text.startswith("The appraisal pack")
    assert str(pdf.parent) in where and pdf.name in where
    assert OPEN_FOLDER in buttons
    assert viewer["opened"] == [str(pdf.parent)], "the folder is opened instead"


def test_closing_the_message_opens_nothing_else(qtbot, viewer, message_boxes, tmp_path):
    pdf = tmp_path / "sheet.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    viewer["works"] = lambda path: False
    assert open_file(None, pdf) is False
    assert viewer["tried"] == [str(pdf)] and len(message_boxes["boxes"]) == 1


def test_when_even_the_folder_will_not_open_the_user_is_told_where_to_look(qtbot, viewer, message_boxes, tmp_path):
    pdf = tmp_path / "sheet.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    viewer["works"] = lambda path: False
    message_boxes["answer"] = OPEN_FOLDER
    open_file(None, pdf)
    assert viewer["tried"] == [str(pdf), str(tmp_path)]
    (kind, title, text), = message_boxes["statics"]
    assert title == "Could not open the folder" and str(tmp_path) in text and "sheet.pdf" in text


@pytest.fixture
def team(workspace, system_actor):
    return make_review_team(workspace, system_actor)


def test_the_pack_dialog_says_so_when_the_saved_pdf_cannot_be_opened(qtbot, workspace, team, viewer, message_boxes,
                                                                    monkeypatch, tmp_path):
    """The report that started item 10: "Open the PDF once it is saved" did nothing on a PC
    without a PDF reader."""
    from arrs_desk.ui.reviews.appraisal_pack_dialogs import PackDialog

    target = tmp_path / "zoe pack.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "PDF")))
    viewer["works"] = lambda path: path.suffix != ".pdf"
    dialog = PackDialog(workspace, team.helen, team.zoe_id, "Zoë Ōkubo")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.open_after.isChecked()
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.saved_path is not None, timeout=15000)
    dialog.wait()
    assert target.exists()
    (title, text, where, buttons), = message_boxes["boxes"]
    assert text.startswith("The appraisal pack could not be opened") and str(tmp_path) in where
