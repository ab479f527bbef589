from datetime import date

from PySide6.QtCore import QDate, QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QPushButton

from arrs_desk.ui.staff.staff_model import ROW_ROLE
from tests.support.qt import double_click


def visible_names(window) -> list[str]:
    proxy = window.staff_page.proxy
    return [proxy.index(r, 0).data(ROW_ROLE).display_name for r in range(proxy.rowCount())]


def open_editor_then(qtbot, trigger, act):
    """Run `act(editor)` on the modal editor once it opens, then let `trigger` return."""
    from arrs_desk.ui.staff.staff_editor import StaffEditor

    seen = {}

    def poll():
        editor = next((w for w in QApplication.topLevelWidgets() if isinstance(w, StaffEditor) and w.isVisible()), None)
        if editor is None:
            QTimer.singleShot(20, poll)
            return
        seen["editor"] = editor
        act(editor)

    QTimer.singleShot(0, poll)
    trigger()
    return seen["editor"]


def fill_new_person(editor, *, number="PA654321", end=None):
    ui = editor.ui
    ui.given_name.setText("Аня")
    ui.family_name.setText("Петрова")
    ui.email.setText("anya.petrova@nhs.net")
    ui.role_code.setCurrentIndex(ui.role_code.findText("Paramedic"))
    ui.employer_id.setCurrentIndex(1)
    ui.practice_ids.item(0).setCheckState(Qt.CheckState.Checked)
    ui.start_date.setDate(QDate(2026, 11, 2))
    ui.status.setCurrentIndex(ui.status.findData("induction"))
    ui.registration_number.setText(number)
    if end:
        ui.end_date_known.setChecked(True)
        ui.end_date.setDate(QDate(end.year, end.month, end.day))


def test_window_lists_current_staff_by_default(main_window):
    names = visible_names(main_window)
    total = main_window.staff_page.model.rowCount()
    assert 40 <= len(names) < total  # leavers hidden until asked for
    assert "Zoë Ōkubo" in names
    assert "people" in main_window.staff_page.count_label.text() or "shown" in main_window.staff_page.count_label.text()


def test_search_is_accent_and_case_insensitive(main_window, qtbot):
    page = main_window.staff_page
    qtbot.keyClicks(page.search, "ZOE OKU")
    qtbot.waitUntil(lambda: visible_names(main_window) == ["Zoë Ōkubo"])
    page.search.clear()
    qtbot.keyClicks(page.search, "nobody-has-this-name")
    qtbot.waitUntil(lambda: page.empty.isVisibleTo(page) and not page.table.isVisibleTo(page))
    assert "No one matches" in page.empty.title.text()
    assert page.empty.button_texts() == ["Clear search and filters"]


def test_a_search_pasted_from_a_whole_document_does_not_stretch_the_window(main_window, qtbot):
    """The heading quotes the search on one short line: 10,000 characters with no space to wrap at
    (Hangul, ligatures, a lone accent, mathematical letters) once pushed it off both sides of the
    page and squeezed the navigation."""
    page = main_window.staff_page
    navigation = main_window.nav.width()
    page.search.setText("nobody")
    qtbot.waitUntil(lambda: page.empty.isVisibleTo(page))
    narrowest = page.minimumSizeHint().width()
    huge = ("한국ﬁß\u0301" + chr(0x1D400)) * 2_000
    page.search.setText(huge)
    qtbot.waitUntil(lambda: "…" in page.empty.title.text())
    qtbot.wait(50)
    title = page.empty.title.text()
    assert title.startswith("No one matches “") and title.endswith("…\u2069”") and len(title) < 90
    assert page.minimumSizeHint().width() <= narrowest
    assert page.empty.title.geometry().right() <= page.empty.width()
    assert main_window.nav.width() == navigation


def test_filters_by_practice_role_and_status(main_window):
    page = main_window.staff_page
    page.role_filter.setCurrentIndex(page.role_filter.findData("PARA"))
    rows = [page.proxy.index(r, 0).data(ROW_ROLE) for r in range(page.proxy.rowCount())]
    assert rows and all(r.role_code == "PARA" for r in rows)
    page.role_filter.setCurrentIndex(0)
    practice_id = page.practice_filter.itemData(1)
    page.practice_filter.setCurrentIndex(1)
    rows = [page.proxy.index(r, 0).data(ROW_ROLE) for r in range(page.proxy.rowCount())]
    assert rows and all(practice_id in r.practice_ids for r in rows)
    page.practice_filter.setCurrentIndex(0)
    page.status_filter.setCurrentIndex(page.status_filter.findData("left"))
    rows = [page.proxy.index(r, 0).data(ROW_ROLE) for r in range(page.proxy.rowCount())]
    assert rows and all(r.status == "left" for r in rows)


def test_add_staff_member_through_the_editor(main_window, qtbot):
    def act(editor):
        fill_new_person(editor)
        qtbot.mouseClick(editor.ui.buttons.button(editor.ui.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)

    editor = open_editor_then(qtbot, main_window.new_action.trigger, act)
    assert editor.saved_record is not None
    assert "Аня Петрова" in visible_names(main_window)
    assert main_window.staff_page.selected_staff_id() == editor.saved_record.id


def test_bad_registration_number_and_end_date_are_marked_and_nothing_is_saved(main_window, qtbot):
    before = main_window.workspace.staff.list_rows(main_window.actor)
    messages = {}

    def act(editor):
        fill_new_person(editor, number="PH12", end=date(2026, 10, 1))
        editor.save()
        messages["number"] = editor.error_text("registration_number")
        messages["end"] = editor.error_text("end_date")
        messages["summary"] = editor.ui.summary_error.text()
        messages["still_open"] = editor.isVisible()
        editor.reject()

    open_editor_then(qtbot, main_window.new_action.trigger, act)
    assert "PA and up to 6 digits" in messages["number"]
    assert "before the start date" in messages["end"]
    assert "Nothing has been saved" in messages["summary"]
    assert messages["still_open"]
    assert main_window.workspace.staff.list_rows(main_window.actor) == before


def test_edit_existing_person_keeps_version_and_updates_list(main_window, qtbot):
    page = main_window.staff_page
    qtbot.keyClicks(page.search, "zoe okubo")
    qtbot.waitUntil(lambda: page.proxy.rowCount() == 1)
    index = page.proxy.index(0, 0)

    def act(editor):
        editor.ui.preferred_name.setText("Zo")
        editor.save()

    open_editor_then(qtbot, lambda: double_click(qtbot, page.table, index), act)
    page.search.clear()
    assert "Zo Ōkubo" in visible_names(main_window)


def test_double_clicking_a_row_opens_one_editor(main_window, qtbot, monkeypatch):
    from arrs_desk.ui.staff.staff_editor import StaffEditor

    opened = []
    monkeypatch.setattr(StaffEditor, "exec", lambda self: opened.append(self.windowTitle()) or 0)
    page = main_window.staff_page
    qtbot.keyClicks(page.search, "zoe okubo")
    qtbot.waitUntil(lambda: page.proxy.rowCount() == 1)
    double_click(qtbot, page.table, page.proxy.index(0, 0))
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert opened == ["Zoë Ōkubo: staff record"] * 2  # once for the double-click, once for Enter


def test_empty_database_offers_setup_and_demo(qtbot, workspace, system_actor, ui_settings, no_dialogs):
    from arrs_desk.ui.shell.main_window import MainWindow

    window = MainWindow(settings=ui_settings, workspace=workspace, actor=system_actor)
    qtbot.addWidget(window)
    window.show()
    page = window.staff_page
    assert page.empty.isVisibleTo(page) and not page.table.isVisibleTo(page)
    assert page.empty.button_texts() == ["Set up practices…", "Load demonstration data"]
    window.load_demo()
    from arrs_desk.ui.common.operation import running_operations

    qtbot.waitUntil(lambda: not running_operations(), timeout=60000)  # the build runs in a worker thread
    qtbot.waitUntil(lambda: page.model.rowCount() > 40)
    assert page.table.isVisibleTo(page) and not page.empty.isVisibleTo(page)
    qtbot.waitUntil(lambda: bool(no_dialogs))
    assert "riverside-moorland-demo" in no_dialogs[-1][2] and "zoe.okubo" in no_dialogs[-1][2]


def test_an_empty_staff_list_offers_import_as_well_as_new(qtbot, workspace, ui_settings, monkeypatch, no_dialogs):
    """With practices set up and no one on the list, "No staff yet" offered only New staff member…
    though File has Import staff…: it offers both, Import being the window's own action."""
    from arrs_desk.ui.shell.main_window import MainWindow
    from tests.support.pcn import build_small_pcn

    admin = workspace.accounts.create_first_administrator(
        username="helen.whitfield", display_name="Helen Whitfield", password="riverside-moorland-demo")
    build_small_pcn(workspace, admin)
    opened = []
    monkeypatch.setattr(MainWindow, "import_staff", lambda self: opened.append("import"))
    window = MainWindow(settings=ui_settings, workspace=workspace, actor=admin)
    qtbot.addWidget(window)
    window.show()
    page = window.staff_page
    qtbot.waitUntil(lambda: page.empty.title.text() == "No staff yet")
    assert page.empty.button_texts() == ["New staff member…", "Import staff…"]
    assert "File > Import staff" in page.empty.body.text()
    next(b for b in page.empty.findChildren(QPushButton) if b.text() == "Import staff…").click()
    assert opened == ["import"]


def test_new_staff_without_practices_points_to_setup(qtbot, workspace, system_actor, ui_settings, no_dialogs):
    from arrs_desk.ui.shell.main_window import MainWindow

    window = MainWindow(settings=ui_settings, workspace=workspace, actor=system_actor)
    qtbot.addWidget(window)
    window.new_action.trigger()
    assert no_dialogs and no_dialogs[0][1] == "Set up practices first"
    assert window.pages.currentWidget() is window.page("Practices and employers")


def test_window_geometry_is_remembered(qtbot, demo_workspace, system_actor, tmp_path):
    from arrs_desk.ui.shell.main_window import MainWindow

    settings = QSettings(str(tmp_path / "g.ini"), QSettings.Format.IniFormat)
    first = MainWindow(settings=settings, workspace=demo_workspace, actor=system_actor)
    qtbot.addWidget(first)
    first.show()
    first.resize(760, 540)
    first.close()
    second = MainWindow(settings=QSettings(str(tmp_path / "g.ini"), QSettings.Format.IniFormat), actor=system_actor)
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == (760, 540)


def test_shortcuts_a_windows_user_expects(main_window):
    from PySide6.QtGui import QKeySequence

    assert main_window.new_action.shortcut() == QKeySequence("Ctrl+N")
    assert main_window.find_action.shortcut() == QKeySequence("Ctrl+F")
    assert main_window.refresh_action.shortcut() == QKeySequence("F5")
    assert main_window.guide_action.shortcut() == QKeySequence("F1")
    menus = [a.text() for a in main_window.menuBar().actions()]
    assert menus == ["&File", "&Edit", "&View", "&Help"]


def test_find_focuses_search(main_window, qtbot):
    main_window.find_action.trigger()
    qtbot.waitUntil(lambda: main_window.staff_page.search.hasFocus())


def test_table_model_without_a_window(demo_workspace, system_actor):
    from arrs_desk.ui.staff.staff_model import HEADERS, STATUS, StaffTableModel

    model = StaffTableModel()
    model.set_rows(demo_workspace.staff.list_rows(system_actor))
    assert model.columnCount() == len(HEADERS)
    first = model.index(0, STATUS)
    assert first.data() in {"Active", "In induction", "Pre-start", "On leave", "Left"}
    assert first.data(Qt.ItemDataRole.DecorationRole) is not None


def test_open_in_background_reports_a_bad_file(qtbot, tmp_path, ui_settings, no_dialogs, monkeypatch):
    from arrs_desk.ui.admin.backup_dialogs import DatabaseProblemDialog
    from arrs_desk.ui.shell.main_window import MainWindow

    shown = []  # an unreadable file gets the "Cannot open the database" dialog, with its ways forward
    monkeypatch.setattr(DatabaseProblemDialog, "exec", lambda dialog: shown.append(dialog.message.text()) or 0)
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database" * 100)
    window = MainWindow(settings=ui_settings)
    qtbot.addWidget(window)
    window.open_in_background(str(junk))
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    assert "junk.sqlite3" in shown[0] and no_dialogs == []
    assert window.workspace is None
