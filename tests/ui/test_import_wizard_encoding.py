"""The import wizard shows the encoding it assumed for a CSV that does not say, with names read in
it, and reads the file again in the encoding the person picks."""

from __future__ import annotations

from tests.hostile import make_corpus as corpus
from arrs_desk.ui.imports.import_wizard import ImportWizard


def test_the_assumed_encoding_and_names_are_shown_and_can_be_changed(qtbot, workspace, system_actor, tmp_path):
    path = corpus.encoded_csv(tmp_path, "iso8859_2")
    wizard = ImportWizard(workspace, system_actor)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path.setText(str(path))
    wizard.next()
    page = wizard.mapping_page
    assert wizard.currentPage() is page
    assert page.encoding_note.isVisible() and "Check that names look right" in page.encoding_note.text()
    assert wizard.table.encoding_label in page.encoding_note.text()
    page.encoding.setCurrentIndex(page.encoding.findData("iso8859_2"))
    page.encoding.activated.emit(page.encoding.currentIndex())
    assert wizard.table.encoding == "iso8859_2" and wizard.table.sample_names(1) == ["Jiří Dvořák"]
    assert "Jiří Dvořák" in page.encoding_note.text()


def test_a_utf8_file_shows_no_encoding_row(qtbot, workspace, system_actor, tmp_path):
    path = corpus.staff_csv(tmp_path / "plain.csv", [corpus.staff_row(1, "Ní Bhriain", "Siobhán")])
    wizard = ImportWizard(workspace, system_actor)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path.setText(str(path))
    wizard.next()
    assert not wizard.mapping_page.encoding_note.isVisible() and not wizard.mapping_page.encoding.isVisible()
