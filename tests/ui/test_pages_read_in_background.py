"""Showing a page never reads the database on the GUI thread (issue 18, item 3: never block the
window). Each page whose data grows with the PCN reads it through `Page.load_data`, in a worker:
at 10,000 staff the Training matrix and the check-ins due took a second each when they were read
on the GUI thread, with the window frozen meanwhile.

Left on the GUI thread on purpose, each bounded by something other than the number of staff or
the size of the history: My induction (one person's checklist), Programmes (the people on a
programme; 23 ms at 10,000 staff), Practices and employers, Roles and User accounts; and on the
Revalidation page the record of the one person chosen in its list (read as the arrow keys move).
"""

from __future__ import annotations

import threading

from sqlalchemy import event

from tests.support.qt import finish_loading

READ_IN_BACKGROUND = (
    "Home", "Induction", "Supervision", "Reviews", "Training", "Revalidation", "My check-ins", "Assurance",
    "Retention", "Audit trail", "Records retention", "Data security (DSPT)",
)


def test_every_page_that_grows_with_the_pcn_reads_off_the_gui_thread(main_window, demo_workspace, monkeypatch):
    window = main_window
    on_gui_thread: list[str] = []
    one_person: list[int] = []  # the Revalidation page's reads of the one person chosen
    service = demo_workspace.revalidation
    person = service.person

    def chosen_person(actor, *, staff_id):
        one_person.append(staff_id)
        try:
            return person(actor, staff_id=staff_id)
        finally:
            one_person.append(-1)

    monkeypatch.setattr(service, "person", chosen_person)

    def seen(_conn, _cursor, statement, *_rest):
        reading_one_person = one_person and one_person[-1] != -1
        if threading.current_thread() is threading.main_thread() and not reading_one_person:
            on_gui_thread.append(statement.split("\n")[0][:80])

    titles = [spec.title for spec in window.specs]
    assert set(READ_IN_BACKGROUND) <= set(titles)  # a renamed page must be renamed here too
    for title in READ_IN_BACKGROUND:
        page = window.page(title)  # built first: a page may read its filter choices once, when made
        finish_loading(page)
        event.listen(demo_workspace.db.engine, "before_cursor_execute", seen)
        try:
            window.show_page(title)
            assert page.loader.loading, f"{title} did not start a background read"
            finish_loading(page)
        finally:
            event.remove(demo_workspace.db.engine, "before_cursor_execute", seen)
        assert on_gui_thread == [], f"{title} read on the GUI thread: {on_gui_thread}"
        if title == "Revalidation":
            assert len(one_person) == 2 and window.page(title).record is not None  # read once, not twice
        window.show_page("Roles")  # away, so showing the next page is a fresh visit
