"""Issue 15 item 9: a greyed-out button or action always says why (ui/common/enabled.py).

For the demonstration PCN signed in as an administrator and as a line manager, every page and
each person's supervision, reviews, programme and checklist window is opened, and every visible
disabled button or action must carry a reason: a tooltip and status tip that are not its enabled
tooltip, set through `set_enabled_with_reason`.
"""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractButton, QPushButton

from arrs_desk.ui.common.enabled import (
    ENABLED_TIP, disabled_reason, first_reason, set_enabled_with_reason, why_not,
)
from tests.ui.screen_probe import _people

USERS = ("helen.whitfield", "samuel.okonkwo")


def _unexplained(root) -> list[str]:
    """Visible disabled buttons and actions under `root` that do not say why."""
    found = []
    controls = [b for b in root.findChildren(QAbstractButton) if b.isVisible() and not b.isEnabled()]
    controls += [a for a in root.findChildren(QAction) if a.isVisible() and not a.isEnabled() and a.text()
                 and a.parent() is not None and a.parent().metaObject().className() not in ("QLineEdit",)]
    for control in controls:
        tip, reason = control.toolTip(), disabled_reason(control)
        name = control.text() or control.accessibleName() if isinstance(control, QAbstractButton) else control.text()
        if not reason or tip != reason or not tip.strip() or tip == (control.property(ENABLED_TIP) or "") \
                or control.statusTip() != reason:
            found.append(f"{type(root).__name__}: {type(control).__name__} '{name}' (tooltip {tip!r})")
    return found


@pytest.fixture
def people(demo_workspace):
    return _people(demo_workspace)


@pytest.mark.slow
@pytest.mark.parametrize("username", USERS)
def test_every_disabled_control_on_every_page_says_why(qtbot, demo_workspace, people, ui_settings, no_dialogs,
                                                     username):
    from arrs_desk.ui.shell.main_window import MainWindow

    window = MainWindow(settings=ui_settings, workspace=demo_workspace, actor=people[username])
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    problems = _unexplained(window)
    for row, spec in enumerate(window.specs, start=1):
        if window.nav.item(row).isHidden():
            continue
        window.show_page(spec.title)
        qtbot.wait(5)
        problems += [f"{spec.title}: {p}" for p in _unexplained(window)]
    assert not problems, "\n".join(sorted(set(problems)))


def _person_windows(workspace, actor, zoe_id: int):
    from arrs_desk.ui.induction.induction_checklist import ChecklistDialog
    from arrs_desk.ui.programmes.programme_dialog import ProgrammeDialog
    from arrs_desk.ui.reviews.review_person import PersonReviewsDialog
    from arrs_desk.ui.supervision.supervision_person import PersonSupervisionDialog

    reviewed = [r.staff_id for r in workspace.reviews.overview(actor).due_rows][::6]
    for staff_id in reviewed + [zoe_id]:
        yield PersonReviewsDialog(workspace, actor, staff_id)
    for row in workspace.supervision.matrix(actor).rows[::8]:
        yield PersonSupervisionDialog(workspace, actor, row.staff_id)
    for enrolment in workspace.programmes.overview(actor)[::4]:
        yield ProgrammeDialog(workspace, actor, enrolment.enrolment_id)
    yield ChecklistDialog(workspace, actor, zoe_id)


@pytest.mark.slow
@pytest.mark.parametrize("username", USERS)
def test_every_disabled_button_in_a_persons_windows_says_why(qtbot, demo_workspace, people, no_dialogs, username):
    from PySide6.QtWidgets import QTableView

    actor = people[username]
    problems = []
    for dialog in _person_windows(demo_workspace, actor, people["zoe.okubo"].staff_id):
        qtbot.addWidget(dialog)
        dialog.show()
        problems += _unexplained(dialog)
        for table in dialog.findChildren(QTableView):  # each row selected in turn, and none
            if not table.isVisible() or table.model() is None:
                continue
            for row in range(min(table.model().rowCount(), 6)):
                table.selectRow(row)
                problems += _unexplained(dialog)
            table.clearSelection()
            table.setCurrentIndex(table.model().index(-1, -1))
            problems += _unexplained(dialog)
        dialog.close()
    assert not problems, "\n".join(sorted(set(problems)))


def test_an_administrator_is_told_why_new_review_and_appraisal_pack_are_greyed(qtbot, demo_workspace, people):
    """The report that started item 9: Helen administers the PCN but neither manages nor appraises
    everyone, so for those people she may not write a review or make their pack, and is told so."""
    from arrs_desk.domain.permissions import Action
    from arrs_desk.ui.reviews.review_person import PersonReviewsDialog

    helen = people["helen.whitfield"]
    others = [r for r in demo_workspace.reviews.overview(helen).due_rows]
    dialog = None
    for row in others:
        candidate = PersonReviewsDialog(demo_workspace, helen, row.staff_id)
        qtbot.addWidget(candidate)
        if not candidate.new_button.isEnabled():
            dialog = candidate
            break
    assert dialog is not None, "the demo has someone Helen may not review"
    dialog.show()
    assert not dialog.new_button.isEnabled() and not dialog.pack_button.isEnabled()
    assert dialog.new_button.toolTip() == why_not(Action.WRITE_REVIEW)
    assert dialog.pack_button.toolTip() == why_not(Action.PRINT_PACK)
    assert "appraise or manage" in dialog.pack_button.statusTip()
    assert dialog.new_button.accessibleDescription() == dialog.new_button.toolTip()


def test_enabling_again_puts_back_the_controls_own_tips(qtbot):
    button = QPushButton("Sign…")
    qtbot.addWidget(button)
    button.setToolTip("Sign the selected review")
    button.setStatusTip("Sign the selected review")
    set_enabled_with_reason(button, False, "Select a review in the list first.")
    assert not button.isEnabled()
    assert button.toolTip() == button.statusTip() == "Select a review in the list first."
    assert disabled_reason(button) == "Select a review in the list first."
    set_enabled_with_reason(button, True, "Select a review in the list first.")
    assert button.isEnabled() and button.toolTip() == "Sign the selected review"
    assert button.statusTip() == "Sign the selected review" and disabled_reason(button) == ""
    set_enabled_with_reason(button, True, "", tip="Sign as the appraiser")
    assert button.toolTip() == "Sign as the appraiser"


def test_an_action_without_a_tooltip_gets_the_reason_not_its_text(qtbot):
    action = QAction("&Back up now…")
    set_enabled_with_reason(action, False, "Available once a database is open and you have signed in.")
    assert action.toolTip() == action.statusTip() == "Available once a database is open and you have signed in."
    set_enabled_with_reason(action, True, "x")
    assert action.statusTip() == "" and "Back up" in action.toolTip()


def test_a_control_cannot_be_disabled_without_a_reason(qtbot):
    button = QPushButton("Remove")
    qtbot.addWidget(button)
    with pytest.raises(ValueError, match="Remove"):
        set_enabled_with_reason(button, False, "  ")


def test_the_first_reason_that_holds_is_given():
    assert first_reason((False, "a"), (True, "b"), (True, "c"), otherwise="d") == "b"
    assert first_reason((False, "a"), otherwise="d") == "d"


def test_the_main_windows_actions_say_why_before_anyone_signs_in(qtbot, ui_settings):
    from arrs_desk.ui.shell.main_window import MainWindow

    window = MainWindow(settings=ui_settings)
    qtbot.addWidget(window)
    assert not window.backup_action.isEnabled()
    assert window.backup_action.toolTip() == "Available once a database is open and you have signed in."
    assert _unexplained(window) == []
