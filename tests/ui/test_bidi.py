"""An Arabic name at the start of an English heading keeps the heading left-to-right."""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel


def _first_ink_column(label: QLabel) -> int:
    image = label.grab().toImage()
    text_colour = label.palette().color(label.foregroundRole()).lightness()
    columns = [x for x in range(image.width()) for y in range(0, image.height(), 2)
               if abs(QColor(image.pixel(x, y)).lightness() - text_colour) < 60]
    return min(columns)


def test_the_staff_editor_heading_starts_at_the_left_for_an_arabic_name(qtbot, demo_workspace, system_actor):
    from arrs_desk.ui.staff.staff_editor import StaffEditor

    row = next(r for r in demo_workspace.staff.list_rows(system_actor) if r.display_name.startswith("محمد"))
    editor = StaffEditor(demo_workspace, system_actor, demo_workspace.staff.get(system_actor, staff_id=row.id))
    qtbot.addWidget(editor)
    editor.show()
    heading = editor.ui.heading
    assert heading.text().startswith("\u2068" + row.display_name + "\u2069")
    assert _first_ink_column(heading) < heading.width() // 4  # left-aligned, not pushed to the right


def test_isolates_keep_a_plain_label_left_to_right(qtbot):
    from arrs_desk.ui.common.bidi import isolate

    bare, isolated = QLabel("محمد الحسن · Clinical pharmacist"), QLabel(isolate("محمد الحسن") + " · Clinical pharmacist")
    for label in (bare, isolated):
        qtbot.addWidget(label)
        label.setFixedWidth(600)
        label.show()
    assert _first_ink_column(bare) > 300  # the case the isolates are for: a right-to-left paragraph
    assert _first_ink_column(isolated) < 20
