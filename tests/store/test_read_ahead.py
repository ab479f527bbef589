"""A page's reads are sent to a PostgreSQL server together (issue 18, item 6; `store.read_ahead`):
the second time a page's figures are worked out afresh, what its last fresh read ran goes in one
pipeline, and the page gets exactly what it would have read one statement at a time, including
what a save in between changed. A kept read sends nothing ahead; a statement that fails ahead
leaves the read to run as it comes; a write's own statements are never answered from a page read."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import event, text

from arrs_desk.services.actor import Actor
from arrs_desk.services.dashboard import DashboardService
from arrs_desk.services.shared_reads import shared_reads
from arrs_desk.store import read_ahead
from tests.date_support import days_ago
from tests.supervision_support import arrange, log, make_team

pytestmark = pytest.mark.postgres_only("reading ahead is for a PostgreSQL server across the network")

ADMIN = Actor(1, "admin", "Admin", frozenset({"administrator"}), None, sole_user=True)


def _sent_alone(engine) -> list[str]:
    """Statements that reached the server one at a time (not answered from a read-ahead)."""
    sent: list[str] = []

    @event.listens_for(engine, "after_cursor_execute")
    def _seen(_conn, _cursor, statement, _parameters, context, _many):
        answered = isinstance(context.cursor, read_ahead._AnsweredCursor)
        if not answered and statement.lstrip().upper().startswith("SELECT"):
            sent.append(statement)

    return sent


def _home_afresh(ws, name="HomePage"):
    shared_reads(ws.db).clear()
    return ws.read_at_once(lambda w: DashboardService(w).attention(ADMIN), name)


def test_home_read_afresh_again_is_sent_together_and_reads_the_same(demo_workspace):
    ws = demo_workspace
    alone = _home_afresh(ws, name=None)  # no name: nothing remembered, nothing read ahead
    assert ws.db.read_ahead.pipelines == 0
    first = _home_afresh(ws)  # remembered
    sent = _sent_alone(ws.db.engine)
    second = _home_afresh(ws)
    assert first == second == alone
    assert ws.db.read_ahead.pipelines == 1
    assert ws.db.read_ahead.answered >= 25  # Home reads some thirty tables
    assert len(sent) <= 2, sent  # the change mark before the figures; nothing else one by one


def test_a_save_between_reads_is_seen_in_what_is_read_ahead(workspace, system_actor):
    team = make_team(workspace, system_actor)
    arrange(workspace, team.admin, team.zoe_id, supervisor_id=team.gp_id)
    reads = lambda: workspace.read_at_once(lambda w: w.supervision.matrix(team.admin), "SupervisionPage")
    reads()
    log(workspace, team.gp, [team.zoe_id], days_ago(9), supervisor_id=team.gp_id)
    before = reads()  # Zoë's figures afresh: what a read after a save about one person runs, remembered
    assert workspace.db.read_ahead.pipelines == 0
    log(workspace, team.gp, [team.zoe_id], days_ago(3), supervisor_id=team.gp_id)
    after = reads()  # afresh for Zoë again, read ahead with last time's statements
    assert workspace.db.read_ahead.pipelines == 1 and workspace.db.read_ahead.answered > 0
    assert after != before
    assert after == type(workspace.supervision).matrix.uncached(workspace.supervision, team.admin)


def test_a_read_whose_figures_are_kept_sends_nothing_ahead(demo_workspace):
    ws = demo_workspace
    _home_afresh(ws)
    sent = _sent_alone(ws.db.engine)
    ws.read_at_once(lambda w: DashboardService(w).attention(ADMIN), "HomePage")  # nothing changed: kept
    assert ws.db.read_ahead.pipelines == 0
    assert len(sent) <= 2  # the change mark, and the actor's own checklist


def test_a_statement_failing_ahead_leaves_the_read_to_run_as_it_comes(demo_workspace, caplog):
    ws = demo_workspace
    first = _home_afresh(ws)
    recipes = ws.db.read_ahead._recipes
    broken = (("SELECT no_such_column FROM staff", None), "SELECT no_such_column FROM staff", None)
    subject, ran = recipes["HomePage", ""]
    recipes["HomePage", ""] = (subject, (broken, *ran))
    with caplog.at_level(logging.WARNING, logger="arrs_desk.store.read_ahead"):
        again = _home_afresh(ws)
    assert again == first
    assert "Reading HomePage ahead failed" in caplog.text
    assert ws.db.read_ahead.pipelines == 0 and ws.db.read_ahead.answered == 0
    _home_afresh(ws)  # remembered afresh from the read that worked
    assert ws.db.read_ahead.pipelines == 1


def test_a_write_on_the_same_thread_is_never_answered_from_the_page_read(workspace, system_actor):
    team = make_team(workspace, system_actor)
    db = workspace.db
    first = text("SELECT count(*) FROM staff")
    counting = text("SELECT count(*) FROM supervision_arrangement")
    saving = []

    def page(_ws):
        db.reading_afresh()
        with db.read() as session:
            session.execute(first)  # the second time, sends both ahead: as they stand now
        if saving:
            saving.pop()()  # commits an arrangement after the read-ahead
        with db.write() as session:  # its own connection and transaction: must see the arrangement
            written = session.execute(counting).scalar_one()
        with db.read() as session:
            counted = session.execute(counting).scalar_one()
        return counted, written

    assert workspace.read_at_once(page, "AnyPage") == (0, 0)
    saving.append(lambda: arrange(workspace, team.admin, team.zoe_id, supervisor_id=team.gp_id))
    assert workspace.read_at_once(page, "AnyPage") == (0, 1)  # the page's own, read ahead; the write's, live
    assert db.read_ahead.pipelines == 1


PAGE_READS = {
    "Assurance": lambda ws: ws.assurance.matrix(ADMIN),
    "Supervision": lambda ws: ws.supervision.matrix(ADMIN),
    "Reviews": lambda ws: ws.reviews.overview(ADMIN, held=False),
    "Training": lambda ws: ws.training.matrix(ADMIN),
    "Revalidation": lambda ws: ws.revalidation.statuses(ADMIN),
    "Induction": lambda ws: ws.induction.overview(ADMIN),
    "Programmes": lambda ws: ws.programmes.overview(ADMIN),
}


@pytest.mark.parametrize("page", PAGE_READS)
def test_every_page_read_ahead_reads_what_it_reads_one_statement_at_a_time(demo_workspace, page):
    ws, read = demo_workspace, PAGE_READS[page]
    one_by_one = ws.read_at_once(read)
    for _ in range(2):  # the first remembers, the second is read ahead
        shared_reads(ws.db).clear()
        assert ws.read_at_once(read, page) == one_by_one
    assert ws.db.read_ahead.pipelines == 1 and ws.db.read_ahead.answered > 0


def test_a_pack_for_the_next_person_is_read_ahead_with_their_id_and_reads_the_same(demo_workspace, monkeypatch):
    from arrs_desk.domain.permissions import AccessRole

    ws = demo_workspace
    everyone = Actor(None, "packs", "Packs", frozenset(r.value for r in AccessRole if r is not AccessRole.STAFF),
                     None, sole_user=True)
    first, second = [p.staff_id for p in ws.appraisal_packs.printable(everyone)][:2]
    reads_ahead = ws.db.read_ahead
    monkeypatch.setattr(ws.db, "read_ahead", None)  # one statement at a time
    plain = ws.appraisal_packs.pack_data(everyone, staff_id=second)
    monkeypatch.setattr(ws.db, "read_ahead", reads_ahead)
    ws.appraisal_packs.pack_data(everyone, staff_id=first)  # remembered, for `first`
    sent = _sent_alone(ws.db.engine)
    assert ws.appraisal_packs.pack_data(everyone, staff_id=second) == plain
    assert reads_ahead.pipelines == 1
    assert reads_ahead.answered >= 20, reads_ahead.answered  # most of a pack is keyed by the person alone
    assert len(sent) <= 15, sent
