"""Every page's service read issues the same number of SQL statements at 50 and at 500 staff
(issue 18): the work grows in the database, never as a query per person. Also: a group
supervision session's audit lines do not each repeat the whole attendee list.

People are added through the staff import, as an HR export would bring them, onto the small
supervision team (arrangements, a logged session, line managers), so each page has something
of every kind to read.
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event, select

from arrs_desk.services.audit_log import AuditFilter
from arrs_desk.services.dashboard import DashboardService
from arrs_desk.services.shared_reads import shared_reads
from arrs_desk.services.staff_import import ImportOptions
from arrs_desk.store.models import AuditEntry
from tests.date_support import days_ago
from tests.supervision_support import arrange, log, make_team
from tests.support.large_pcn import write_hr_export


@contextmanager
def counted(engine):
    seen = [0]

    def count(*_args):
        seen[0] += 1

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def page_reads(workspace, actor) -> dict:
    return {
        "staff list": lambda: workspace.staff.list_rows(actor),
        "home": lambda: DashboardService(workspace).attention(actor),
        "home (its first cards)": lambda: DashboardService(workspace).first_look(actor),
        "reviews": lambda: workspace.reviews.overview(actor),
        "reviews due (the page's first read)": lambda: workspace.reviews.overview(actor, held=False),
        "reviews held (its second tab)": lambda: workspace.reviews.held(actor),
        "assurance": lambda: workspace.assurance.matrix(actor),
        "supervision matrix": lambda: workspace.supervision.matrix(actor),
        "audit trail": lambda: workspace.audit_log.entries(actor, flt=AuditFilter()),
        "induction overview": lambda: workspace.induction.overview(actor),
        "programmes": lambda: workspace.programmes.overview(actor),
        "training": lambda: workspace.training.matrix(actor),
        "revalidation": lambda: workspace.revalidation.statuses(actor),
        "check-ins": lambda: (workspace.checkins.schedule(), workspace.checkins.checkins_due(actor)),
        "records retention": lambda: (workspace.records_retention.due(actor),
                                      workspace.records_retention.training_due(actor),
                                      workspace.records_retention.rules(actor),
                                      workspace.records_retention.destruction_log(actor),
                                      workspace.records_retention.backups_still_holding(actor)),
        "retention (starters, leavers)": lambda: workspace.assurance.retention(actor, by="role"),
        "DSPT evidence": lambda: workspace.dspt.report(actor),
    }


ADMINISTRATORS_ONLY = {"audit trail", "records retention", "DSPT evidence"}
"""Pages only an administrator opens: the line manager's reads of them are refused."""


def statements(workspace, actor) -> dict[str, int]:
    found = {}
    for name, read in page_reads(workspace, actor).items():
        if name in ADMINISTRATORS_ONLY and "administrator" not in actor.roles:
            continue
        shared_reads(workspace.db).clear()  # the page's own work, not figures another page kept
        with counted(workspace.db.engine) as seen:
            workspace.read_at_once(lambda _ws, read=read: read())  # as the page loader reads: one session
        found[name] = seen[0]
    return found


def import_people(workspace, system_actor, tmp_path, rows: int, seed: int, first: int = 0) -> None:
    practices = [(o.ods_code, o.name) for o in workspace.organisations.list(system_actor) if o.kind == "practice"]
    source = tmp_path / f"hr-{seed}.csv"
    write_hr_export(source, rows, practices, workspace.today(), seed=seed, first=first)
    table = workspace.staff_import.read(path=source)
    result = workspace.staff_import.import_rows(system_actor, table=table, options=ImportOptions(mapping=table.guess_mapping()))
    assert result.created == rows


@pytest.fixture
def team(workspace, system_actor):
    team = make_team(workspace, system_actor)
    five = [team.zoe_id, *team.peer_ids]
    for person in five:
        arrange(workspace, team.admin, person, type_code="safeguarding", supervisor_id=team.gp_id)
    log(workspace, team.gp, five, days_ago(6), type_code="safeguarding", supervisor_id=team.gp_id, minutes=90)
    return team


def test_no_page_issues_more_statements_with_ten_times_the_staff(workspace, system_actor, team, tmp_path):
    import_people(workspace, system_actor, tmp_path, 40, seed=1)
    viewers = {"administrator": team.admin, "line manager": team.helen}
    at_50 = {who: statements(workspace, actor) for who, actor in viewers.items()}
    import_people(workspace, system_actor, tmp_path, 450, seed=2, first=40)
    at_500 = {who: statements(workspace, actor) for who, actor in viewers.items()}
    assert at_500 == at_50
    assert all(0 < n <= 100 for counts in at_50.values() for n in counts.values()), at_50


def test_a_group_session_writes_one_small_line_per_attendee(workspace, team):
    with workspace.db.read() as session:
        lines = session.execute(select(AuditEntry).where(AuditEntry.entity_type == "supervision_session")
                                .where(AuditEntry.action == "record")).scalars().all()
    five = {team.zoe_id, *team.peer_ids}
    assert {e.subject_staff_id for e in lines} == five and len(lines) == 5  # one line in each own trail
    assert {e.entity_id for e in lines} == {lines[0].entity_id}  # all of the one session
    for entry in lines:
        assert "attendee_ids" not in entry.changes and entry.changes["group_size"] == [None, 5]
        assert "(group of 5)" in entry.summary


def test_a_page_read_reads_the_staff_list_once_whatever_it_shows(workspace, team):
    """Supervision, training, revalidation, reviews, check-ins and the contract checks each pick
    whom they count from the page read's one read of the staff list (`services.reference.staff`),
    instead of asking again with their own columns (Home asked eight times: on a PostgreSQL server
    across sites each is a round trip). Besides it, a page may join staff rows once into its own
    list (the staff list, the induction overview) and look up the reader's own record."""
    import re

    for actor in (team.admin, team.helen):
        for name, read in page_reads(workspace, actor).items():
            if name == "audit trail" or (name in ADMINISTRATORS_ONLY and "administrator" not in actor.roles):
                continue
            seen: list[str] = []

            def keep(_conn, _cursor, statement, *_rest, seen=seen):
                seen.append(" ".join(statement.split()))

            shared_reads(workspace.db).clear()
            event.listen(workspace.db.engine, "before_cursor_execute", keep)
            try:
                workspace.read_at_once(lambda _ws, read=read: read())
            finally:
                event.remove(workspace.db.engine, "before_cursor_execute", keep)
            staff_reads = [s for s in seen if s.startswith("SELECT staff.") and not re.search(r"WHERE staff\.id = \S+$", s)]
            assert len(staff_reads) <= 2, (actor.username, name, [s[:60] + " ... " + s[s.index(" FROM "):][:90] for s in staff_reads])
