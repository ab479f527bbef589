"""Where a contract check's evidence lives: each check opens the person's record at the place it
is kept (their supervision, reviews, programme or induction window, the staff record, or their
line of the Training or Revalidation page), over the Assurance page, so the manager can act on it and come back to the same place."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

LINK_TEXT = {
    "Supervision": "Open their supervision",
    "Reviews": "Open their reviews",
    "Programmes": "Open their programme",
    "Induction": "Open their induction",
    "Staff": "Open their staff record",
    "Training": "Open their training",
    "Revalidation": "Open their revalidation",
}


def link_text(evidence: str) -> str:
    return LINK_TEXT.get(evidence, f"Open {evidence}")


def open_evidence(page: QWidget, workspace, actor, row, evidence: str) -> bool:
    """Open `row`'s record where `evidence` says the check's answer comes from. Returns True when
    something was opened (the caller then reloads: the manager may have changed it)."""
    window = page.window()
    staff_id = row.staff_id
    if evidence == "Supervision":
        from arrs_desk.ui.supervision.supervision_person import PersonSupervisionDialog

        return _run(PersonSupervisionDialog(workspace, actor, staff_id, parent=page), "person")
    if evidence == "Reviews":
        from arrs_desk.ui.reviews.review_person import PersonReviewsDialog

        return _run(PersonReviewsDialog(workspace, actor, staff_id, parent=page), "person")
    if evidence == "Induction":
        from arrs_desk.ui.induction.induction_checklist import ChecklistDialog

        dialog = ChecklistDialog(workspace, actor, staff_id, page)
        if dialog.checklist.view is None:
            return False
        dialog.exec()
        return True
    if evidence == "Programmes":
        if row.enrolment_id is not None:
            from arrs_desk.ui.programmes.programme_dialog import ProgrammeDialog

            return _run(ProgrammeDialog(workspace, actor, row.enrolment_id, parent=page), "view")
        if hasattr(window, "page") and _listed(window, "Programmes"):
            window.show_page("Programmes")
            window.page("Programmes").enrol(staff_id)
            return True
    if evidence == "Training" and hasattr(window, "page") and _listed(window, "Training"):
        window.show_page("Training")
        return window.page("Training").select_person(staff_id)
    if evidence == "Revalidation" and hasattr(window, "page") and _listed(window, "Revalidation"):
        window.show_page("Revalidation")
        return window.page("Revalidation").select_person(staff_id)
    if evidence == "Staff" and hasattr(window, "edit_staff"):
        window.edit_staff(staff_id)
        return True
    QMessageBox.information(page, "Not available", f"The {evidence} page is not available to you here.")
    return False


def _run(dialog, loaded: str) -> bool:
    """Show a person window unless it could not load (it has said why)."""
    if getattr(dialog, loaded) is None:
        return False
    dialog.exec()
    return True


def _listed(window, title: str) -> bool:
    return any(spec.title == title for spec in getattr(window, "specs", ()))
