"""Figures shared between pages are worked out once per change and never served stale (issue 18,
item 4): a save through any service, a save from another copy of the app on the same database, a
new day, or another person signed in each gets figures worked out afresh; otherwise the Home page,
then the Assurance, Supervision and Reviews pages reuse what the first of them read. Also: a page
read through `Workspace.read_at_once` uses one session (one connection checkout) for all its reads.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event

from arrs_desk.services.dashboard import DashboardService
from arrs_desk.services.shared_reads import shared_reads
from arrs_desk.services.workspace import Workspace
from tests.date_support import days_ago
from tests.supervision_support import arrange, cell, log, make_team


@pytest.fixture
def team(workspace, system_actor):
    team = make_team(workspace, system_actor)
    arrange(workspace, team.admin, team.zoe_id, supervisor_id=team.gp_id)
    return team


def worked_out(workspace) -> int:
    return shared_reads(workspace.db).computed


def test_home_then_the_pages_it_counts_reuse_its_figures(workspace, team):
    DashboardService(workspace).attention(team.admin)
    after_home = worked_out(workspace)
    matrix = workspace.assurance.matrix(team.admin)
    supervision = workspace.supervision.matrix(team.admin)
    assert worked_out(workspace) == after_home  # nothing worked out again
    assert matrix == type(workspace.assurance).matrix.uncached(workspace.assurance, team.admin)
    assert supervision == type(workspace.supervision).matrix.uncached(workspace.supervision, team.admin)
    # Home counts reviews due without the Reviews page's rows (`ReviewService.due_counts`): the page's
    # own read is worked out once, then kept (the window reads it ahead after Home: `figures_ahead`).
    due = workspace.reviews.overview(team.admin, held=False)
    after_reviews = worked_out(workspace)
    assert due.due_rows == workspace.reviews.due(team.admin) and worked_out(workspace) == after_reviews


def test_everyones_cpd_and_evidence_are_read_once_for_home_assurance_and_revalidation(demo_workspace, monkeypatch):
    """Home's revalidation warnings, the Assurance matrix's registration check and the Revalidation
    page each judge every registered person: `RevalidationService.assessed` reads their facts once."""
    from arrs_desk.services.actor import Actor
    from arrs_desk.services.revalidation import records

    admin = Actor(1, "admin", "Admin", frozenset({"administrator"}), None, sole_user=True)
    statuses = demo_workspace.revalidation.statuses(admin)  # uncached: the page's own read, from scratch
    assessed = type(demo_workspace.revalidation).assessed.uncached(demo_workspace.revalidation, admin)
    shared_reads(demo_workspace.db).clear()
    reads = []
    real = records.facts_of
    monkeypatch.setattr(records, "facts_of", lambda *a: reads.append(1) or real(*a))
    DashboardService(demo_workspace).attention(admin)
    demo_workspace.assurance.matrix(admin)
    assert demo_workspace.revalidation.statuses(admin) == statuses
    assert demo_workspace.revalidation.assessed(admin) == assessed and len(assessed) > 10
    assert len(reads) == 1


def test_a_save_through_a_service_is_seen_at_once(workspace, team):
    before = cell(workspace, team.admin, team.zoe_id)
    assert before.last_session is None
    log(workspace, team.gp, [team.zoe_id], days_ago(3), supervisor_id=team.gp_id)
    after = cell(workspace, team.admin, team.zoe_id)
    assert after.last_session == days_ago(3)


def test_a_save_from_another_copy_of_the_app_is_seen(workspace, team, backend):
    assert cell(workspace, team.admin, team.zoe_id).last_session is None
    if backend == "postgres":
        other = Workspace.open(workspace.db.url)
    else:
        other = Workspace.open(workspace.db.path)
    try:  # another PC: its writes do not pass through this workspace's Database
        log(other, team.gp, [team.zoe_id], days_ago(2), supervisor_id=team.gp_id)
    finally:
        other.close()
    assert cell(workspace, team.admin, team.zoe_id).last_session == days_ago(2)


def test_a_new_day_works_the_figures_out_again(workspace, team, clock):
    log(workspace, team.gp, [team.zoe_id], days_ago(3), supervisor_id=team.gp_id)
    today = cell(workspace, team.admin, team.zoe_id)
    clock.advance(timedelta(days=400))
    later = cell(workspace, team.admin, team.zoe_id)
    assert later.next_due == today.next_due and later.days_overdue > today.days_overdue


def test_each_person_gets_their_own_figures(workspace, team):
    everyone = workspace.supervision.matrix(team.admin)
    helens = workspace.supervision.matrix(team.helen)
    bogdans = workspace.supervision.matrix(team.bogdan)
    assert {r.staff_id for r in bogdans.rows} != {r.staff_id for r in helens.rows}
    assert len(everyone.rows) > len(helens.rows)
    assert team.anya_id not in {r.staff_id for r in helens.rows}


def test_a_failed_read_is_not_kept(workspace, team):
    from arrs_desk.errors import PermissionDenied
    from arrs_desk.services.shared_reads import shared

    class Reader:
        def __init__(self, db):
            self._db, self._today, self.calls = db, workspace.today, 0

        @shared
        def figures(self, actor):
            self.calls += 1
            if self.calls == 1:
                raise PermissionDenied("not yet")
            return (self.calls,)

    reader = Reader(workspace.db)
    with pytest.raises(PermissionDenied):
        reader.figures(team.admin)
    assert reader.figures(team.admin) == (2,)  # worked out, not a remembered refusal
    assert reader.figures(team.admin) == (2,) and reader.calls == 2  # then kept


def test_options_left_at_their_defaults_share_one_figure(workspace, team):
    """Home asks for the training matrix with no options, the Training page with every filter at
    "all" (None): the same figure, worked out once; a real filter is a figure of its own."""
    shared_reads(workspace.db).clear()
    before = worked_out(workspace)
    home = workspace.training.matrix(team.admin)
    page = workspace.training.matrix(team.admin, practice_id=None, role_code=None)
    assert page is home and worked_out(workspace) == before + 1
    one_practice = workspace.training.matrix(team.admin, practice_id=team.alpha)
    assert one_practice is not home and worked_out(workspace) == before + 2


def test_a_kept_list_cannot_be_changed_by_one_caller(workspace, team):
    first = workspace.induction.overview(team.admin)
    first.clear()
    assert workspace.induction.overview(team.admin)


def test_a_page_read_at_once_uses_one_session(workspace, team):
    """The page's own reads share one connection; on SQLite, everyone's training statuses are read
    on a second one beside them (`store.read_beside`)."""
    import threading

    checkouts = []
    event.listen(workspace.db.engine, "checkout", lambda *a: checkouts.append(threading.current_thread().name))
    shared_reads(workspace.db).clear()
    workspace.read_at_once(lambda ws: DashboardService(ws).attention(team.admin))
    beside = [name for name in checkouts if name.startswith("arrs-read-beside")]
    assert len(checkouts) - len(beside) == 1
    assert len(beside) == (1 if workspace.db.is_sqlite else 0)
    checkouts.clear()
    shared_reads(workspace.db).clear()
    DashboardService(workspace).attention(team.admin)
    assert len(checkouts) > 5  # what one session saves: a BEGIN and ROLLBACK per service call


def test_a_page_read_at_once_asks_for_the_change_mark_once(workspace, team):
    import threading

    asked = []

    def seen(_conn, _cursor, statement, *_rest):
        if "audit_chain_head" in statement and not threading.current_thread().name.startswith("arrs-read-beside"):
            asked.append(statement)  # a read beside the page (SQLite) checks its own snapshot's head

    event.listen(workspace.db.engine, "before_cursor_execute", seen)
    workspace.read_at_once(lambda ws: DashboardService(ws).attention(team.admin))
    assert len(asked) == 1  # not once per figure: on a server across sites each is a round trip
    asked.clear()
    DashboardService(workspace).attention(team.admin)
    assert len(asked) > 1


def _frozen(value, depth: int = 0) -> bool:
    """Nothing in it can be changed in place: what a kept figure must be, since every caller gets it."""
    import dataclasses
    from datetime import date, datetime
    from enum import Enum
    from types import MappingProxyType

    if depth > 6 or value is None or isinstance(value, str | int | float | bool | date | datetime | Enum | bytes):
        return True
    if isinstance(value, tuple | frozenset):
        return all(_frozen(v, depth + 1) for v in value)
    if isinstance(value, MappingProxyType):  # a read-only view of a dict nobody else holds
        return all(_frozen(k, depth + 1) and _frozen(v, depth + 1) for k, v in value.items())
    if dataclasses.is_dataclass(value):
        return value.__dataclass_params__.frozen and all(
            _frozen(getattr(value, f.name), depth + 1) for f in dataclasses.fields(value))
    return False


def test_every_kept_figure_is_frozen(demo_workspace, system_actor):
    from arrs_desk.services.actor import Actor

    admin = Actor(1, "admin", "Admin", frozenset({"administrator"}), None, sole_user=True)
    found = []
    for service in vars(demo_workspace).values():
        for name in dir(type(service)):
            method = getattr(type(service), name, None)
            if callable(method) and hasattr(method, "uncached"):
                value = getattr(service, name)(admin)
                found.append(name)
                items = value if isinstance(value, list) else [value]  # a list is handed out anew each time
                assert all(_frozen(item) for item in items), f"{type(service).__name__}.{name}"
    assert len(found) >= 8, found


def test_a_page_read_at_once_reads_who_works_where_once(workspace, team):
    """`services.reference`: practice names, who works where and the roles are read once per
    session, however many of the page's services need them; each service alone still reads them."""
    seen = []
    event.listen(workspace.db.engine, "before_cursor_execute",
                 lambda _c, _cur, statement, *_rest: seen.append(statement))
    workspace.read_at_once(lambda ws: DashboardService(ws).attention(team.admin))
    assert sum("FROM staff_practice" in s for s in seen) == 1
    assert sum(s.startswith("SELECT organisation.id, organisation.name") for s in seen) == 1
    seen.clear()
    shared_reads(workspace.db).clear()
    DashboardService(workspace).attention(team.admin)
    assert sum("FROM staff_practice" in s for s in seen) > 1


def test_kept_figures_go_with_their_database(tmp_path, system_actor):
    """The figures are kept beside the database, never holding it: a closed workspace's database,
    its engine and connections go (a copy that opens another database, and every test, would keep
    each one it had ever opened)."""
    import gc
    import weakref

    ws = Workspace.open(tmp_path / "gone.sqlite3")
    ws.supervision.matrix(system_actor)
    assert shared_reads(ws.db).computed == 1
    database = weakref.ref(ws.db)
    ws.close()
    del ws
    gc.collect()
    assert database() is None


def test_rows_kept_person_by_person_are_let_go_least_recently_used_first(workspace):
    """They outlive a save (that is their point), so only the most recently used reads keep theirs:
    a Training page clicked through many filters must not hold every filter's rows for good."""
    kept = shared_reads(workspace.db)
    asked = []

    def read(only):
        asked.append(only)
        return None, {1: "row"}

    for number in range(17):
        kept.by_person(("a read", number), read)
    kept.by_person(("a read", 16), read)
    assert asked[-1] == frozenset()  # kept, and nothing changed since: nobody read again
    kept.by_person(("a read", 0), read)
    assert asked[-1] is None  # the least recently used was let go: everyone read again


def test_a_persons_figures_are_forgotten_when_someone_else_takes_the_window(workspace, team):
    """Locked and signed into by another person (`MainWindow.lock`): what the last person could see
    is not held for the next; anyone else's kept figures stay kept."""
    workspace.supervision.matrix(team.helen)
    workspace.supervision.matrix(team.admin)
    computed = worked_out(workspace)
    assert shared_reads(workspace.db).holds(team.helen)
    workspace.forget_figures_of(team.helen)
    assert not shared_reads(workspace.db).holds(team.helen)
    workspace.supervision.matrix(team.admin)
    assert worked_out(workspace) == computed  # the administrator's figures were kept
    people_read = shared_reads(workspace.db).people_read
    workspace.supervision.matrix(team.helen)
    assert worked_out(workspace) > computed  # Helen's were worked out again, for everyone she may see
    assert shared_reads(workspace.db).people_read == people_read


def test_a_figure_asked_for_on_two_threads_at_once_is_worked_out_once(workspace, team):
    """Home's figures worked out ahead after signing in (`ui.shell.figures_ahead`) and the Home page
    opened meanwhile: the page waits for them rather than working them out again beside them."""
    import threading

    kept = shared_reads(workspace.db)
    started, release, results = threading.Event(), threading.Event(), []

    def slow():
        started.set()
        release.wait(5)
        return ("figures",)

    first = threading.Thread(target=lambda: results.append(kept.get(("a figure", team.admin), slow)))
    first.start()
    started.wait(5)
    second = threading.Thread(target=lambda: results.append(kept.get(("a figure", team.admin), lambda: ("again",))))
    second.start()
    second.join(0.2)
    assert second.is_alive()  # waiting for the first, not working it out beside it
    release.set()
    first.join(5)
    second.join(5)
    assert results == [("figures",), ("figures",)]
    assert kept.computed == 1
    rows_read = []

    def rows(only):
        rows_read.append(only)
        return None, {team.zoe_id: "row"}

    threads = [threading.Thread(target=lambda: kept.by_person(("rows", team.admin), rows)) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert rows_read.count(None) == 1  # everyone read once; the others found the rows kept


def test_nothing_read_while_someone_else_signs_in_is_kept(workspace, team):
    """A read under way when another person takes the window (a page's, or Home's figures worked out
    ahead) finishes for whoever asked, but what it read is not held once they have gone."""
    kept = shared_reads(workspace.db)

    def read_while_forgotten():
        workspace.forget_figures_of(team.helen)
        return ("Helen's figures",)

    assert kept.get(("a figure", team.helen), read_while_forgotten) == ("Helen's figures",)
    kept.by_person(("rows", team.helen), lambda only: (workspace.forget_figures_of(team.helen), {1: "row"}))
    assert not kept.holds(team.helen)


def test_yesterdays_figures_are_let_go_on_a_new_day(workspace, team, clock):
    """A window left open overnight (`ui.shell.day_watcher`): nothing asks for yesterday's figures
    again, and with no save to clear them they would be held all weekend. Today's stay kept."""
    DashboardService(workspace).attention(team.admin)
    clock.advance(timedelta(days=1))
    DashboardService(workspace).attention(team.admin)
    computed = worked_out(workspace)
    workspace.forget_figures_of_other_days(workspace.today())
    DashboardService(workspace).attention(team.admin)
    assert worked_out(workspace) == computed  # today's were kept
    clock.advance(timedelta(days=-1))
    DashboardService(workspace).attention(team.admin)
    assert worked_out(workspace) > computed  # yesterday's had gone: worked out again


def test_nothing_read_while_the_day_changes_is_kept(workspace, team):
    """A read under way at midnight may have reckoned from the day before: it finishes for whoever
    asked, but what it read is not held."""
    kept = shared_reads(workspace.db)

    def read_at_midnight():
        workspace.forget_figures_of_other_days(workspace.today())
        return ("figures",)

    assert kept.get(("a figure", team.admin, workspace.today()), read_at_midnight) == ("figures",)
    kept.by_person(("rows", team.admin, workspace.today()),
                   lambda only: (workspace.forget_figures_of_other_days(workspace.today()), {1: "row"}))
    assert not kept.holds(team.admin)
