"""Migration 0010 moves each person's check-in answers into anonymous storage: who did which
check-in stays; the answers of groups of five or more people become counts for a month; smaller
groups' answers wait for their batch with no name; comments and dates go. Downgrading brings the
old table back empty (names cannot be put back on anonymous answers), and upgrading again works."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from alembic import command
from sqlalchemy import inspect, select

from arrs_desk.domain.assurance import round_of
from arrs_desk.store import migrate
from arrs_desk.store.models import CheckinCompletion, CheckinPending, CheckinPendingPerson, CheckinTally
from arrs_desk.store.models import utcnow
from tests.conftest import TODAY
from tests.supervision_support import make_team

OLD = sa.table("checkin_response", sa.column("created_at", sa.DateTime(timezone=True)),
               sa.column("updated_at", sa.DateTime(timezone=True)), sa.column("version", sa.Integer),
               sa.column("staff_id", sa.Integer), sa.column("months", sa.Integer), sa.column("answered_on", sa.Date),
               sa.column("answers", sa.JSON), sa.column("comment", sa.String))


def move_to(db, revision: str, *, down: bool = False) -> None:
    config = migrate.alembic_config(db)
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)


def tables(db) -> set[str]:
    return set(inspect(db.engine).get_table_names())


def test_answers_move_into_anonymous_storage_and_back_out_empty(workspace, system_actor):
    team = make_team(workspace, system_actor)
    link_workers = [team.zoe_id, *team.peer_ids]  # five at Alpha; Zoë also at Beta
    move_to(workspace.db, "0009", down=True)
    assert "checkin_response" in tables(workspace.db) and "checkin_tally" not in tables(workspace.db)
    latest = TODAY - timedelta(days=3)
    rows = [dict(staff_id=sid, months=1, answered_on=TODAY - timedelta(days=200), answers={"welcome": 2, "peers": 3},
                 comment="I feel I could name myself here") for sid in link_workers]
    rows.append(dict(staff_id=team.zoe_id, months=3, answered_on=latest, answers={"welcome": 5, "peers": 5},
                     comment=""))
    rows.append(dict(staff_id=team.anya_id, months=1, answered_on=latest, answers={"welcome": 1, "peers": 1},
                     comment=""))
    with workspace.db.engine.begin() as connection:
        now = utcnow()
        connection.execute(OLD.insert(), [{**r, "created_at": now, "updated_at": now, "version": 1} for r in rows])

    move_to(workspace.db, "head")
    assert "checkin_response" not in tables(workspace.db)
    with workspace.db.read() as session:
        done = set(session.execute(select(CheckinCompletion.staff_id, CheckinCompletion.months)).all())
        tallies = {(t.dimension, t.group_key): t for t in session.execute(select(CheckinTally)).scalars()}
        pending = session.execute(select(CheckinPending.dimension, CheckinPending.group_key,
                                         CheckinPending.answers)).all()
        waiting = set(session.execute(select(CheckinPendingPerson.dimension, CheckinPendingPerson.group_key,
                                             CheckinPendingPerson.staff_id)).all())
    assert done == {(r["staff_id"], r["months"]) for r in rows}
    splw = tallies[("role", "SPLW")]
    assert (splw.responses, splw.round) == (6, round_of(latest))
    assert splw.counts["welcome"] == [0, 5, 0, 0, 1] and splw.counts["peers"] == [0, 0, 5, 0, 1]
    assert tallies[("practice", str(team.alpha))].responses == 6
    assert set(tallies) == {("role", "SPLW"), ("practice", str(team.alpha))}
    # Beta has only Zoë and Anya; Anya is the only coach: their answers wait, with no name on them.
    assert sorted((d, k) for d, k, _ in pending) == sorted(
        [("practice", str(team.beta))] * 3 + [("role", "HWBC")])
    assert waiting == {("practice", str(team.beta), team.zoe_id), ("practice", str(team.beta), team.anya_id),
                       ("role", "HWBC", team.anya_id)}
    assert workspace.checkins.my_checkins(team.zoe).points[0].status.value == "done"

    move_to(workspace.db, "0009", down=True)
    with workspace.db.engine.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(OLD)).scalar_one() == 0
    move_to(workspace.db, "head")
    assert {"checkin_completion", "checkin_tally", "checkin_pending", "checkin_pending_person"} <= tables(workspace.db)
