"""The induction services on PostgreSQL: migration 0003, template seeding, ticks and sign-off, and
the one-query overview give the same answers as on SQLite."""

from datetime import timedelta

import pytest

from arrs_desk.domain.induction import ItemStatus
from tests.induction_support import STARTED, item, make_team

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

from tests.conftest import TODAY  # noqa: E402


@pytest.fixture
def pg_url(postgres_databases):
    """An empty database on the session's server (see tests/conftest.py: in CI this never skips)."""
    url = postgres_databases.fresh("empty")
    yield url
    postgres_databases.drop(url)


def test_induction_on_postgresql(pg_url, tmp_path, monkeypatch):
    from arrs_desk.services.actor import SYSTEM
    from arrs_desk.services.workspace import Workspace

    monkeypatch.setenv("ARRS_DESK_HOME", str(tmp_path))
    ws = Workspace.open(pg_url)
    try:
        team = make_team(ws, SYSTEM)
        ind = ws.induction
        view = ind.checklist(team.starter, staff_id=team.starter_id)
        assert len(view.items) > 50 and item(view, "welcome-meeting").due_on == STARTED
        agreement = item(view, "supervision-agreement-signed")
        ind.tick(team.starter, item_id=agreement.id, expected_version=agreement.version, note="Signed")
        agreement = item(ind.checklist(team.manager, staff_id=team.starter_id), "supervision-agreement-signed")
        ind.sign_off(team.manager, item_id=agreement.id, expected_version=agreement.version)
        bls = item(view, "basic-life-support")
        ind.tick(team.starter, item_id=bls.id, expected_version=bls.version, completed_on=TODAY - timedelta(days=358))  # expires next week
        view = ind.checklist(team.manager, staff_id=team.starter_id)
        assert item(view, "supervision-agreement-signed").status is ItemStatus.COMPLETE
        row = next(r for r in ind.overview(team.manager) if r.staff_id == team.starter_id)
        assert (row.done, row.applicable, row.overdue, row.expiring) == (
            view.progress.done, view.progress.applicable, view.overdue, view.expiring)
        assert row.expiring == 1 and row.awaiting == 0
        draft = ind.templates.draft(team.admin, code="ROLE-PARA")
        draft.items[0].title = "Lone working (PCN procedure)"
        assert ind.templates.save(team.admin, draft=draft).version == 2
    finally:
        ws.close()
