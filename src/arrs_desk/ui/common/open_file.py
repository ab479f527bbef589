"""Opening a file ARRS Desk saved or keeps (a pack, a signature sheet, an evidence file) in the
program Windows uses for it, without ever failing silently.

On a locked-down practice PC there is often no PDF reader set up, and QDesktopServices.openUrl
then just returns False: the user ticked "Open the PDF once it is saved" and nothing happened.
`open_file` says so, says where the file is, and offers to open its folder instead; if even the
folder cannot be opened, it says where to find it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

OPEN_FOLDER = "Open the folder"


def open_file(parent: QWidget | None, path: str | Path, *, what: str = "") -> bool:
    """Open `path` in its usual program; True when that worked. `what` names the file for the
    message ("The appraisal pack"), else its file name is used."""
    path = Path(path)
    if QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        return True
    kind = path.suffix.lstrip(".").upper() or "this kind of"
    name = what or f"“{path.name}”"
    box = QMessageBox(QMessageBox.Icon.Information, "No program to open the file",
                      f"{name} could not be opened: this PC has no program set up to open {kind} files.",
                      QMessageBox.StandardButton.Close, parent)
    box.setInformativeText(f"The file is {path.name}, in the folder:\n{path.parent}")
    folder_button = box.addButton(OPEN_FOLDER, QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(folder_button)
    box.exec()
    if box.clickedButton() is folder_button:
        open_folder(parent, path.parent, showing=path.name)
    return False


def open_folder(parent: QWidget | None, folder: str | Path, *, showing: str = "") -> bool:
    """Open a folder in File Explorer; if that fails too, say where it is (and the file in it)."""
    folder = Path(folder)
    if QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
        return True
    called = f"\n\nThe file is called {showing}." if showing else ""
    QMessageBox.information(parent, "Could not open the folder",
                            f"ARRS Desk could not open the folder either. In File Explorer, go to:\n{folder}{called}")
    return False
