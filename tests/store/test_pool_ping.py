"""A pooled PostgreSQL connection is pinged only after an idle spell (issue 18, item 6): no extra
round trip for a session opened a moment after the last, and a connection the server dropped
while idle is replaced without the person waiting seeing an error."""

import time

import psycopg
import pytest
from sqlalchemy import event, text

from arrs_desk.store import engine as engine_module

pytestmark = pytest.mark.postgres_only("the idle-time ping is set up for PostgreSQL's pool alone")


def _counters(monkeypatch, engine) -> dict[str, int]:
    """Counts the pings (the dialect's own, which `pool_pre_ping` would use too) and statements."""
    seen = {"pings": 0, "statements": 0}
    ping = engine.dialect.do_ping

    def counted_ping(dbapi_connection):
        seen["pings"] += 1
        return ping(dbapi_connection)

    monkeypatch.setattr(engine.dialect, "do_ping", counted_ping)
    event.listen(engine, "before_cursor_execute", lambda *_args: seen.__setitem__("statements", seen["statements"] + 1))
    return seen


def _backend_pid(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT pg_backend_pid()")).scalar_one()


def test_a_session_soon_after_the_last_sends_no_ping(backend, workspace, monkeypatch):
    engine = workspace.db.engine
    first = _backend_pid(engine)
    seen = _counters(monkeypatch, engine)
    assert _backend_pid(engine) == first  # the same pooled connection, checked out again
    assert seen == {"pings": 0, "statements": 1}


def test_a_connection_dropped_while_idle_is_replaced_unseen(backend, workspace, monkeypatch):
    engine = workspace.db.engine
    seen = _counters(monkeypatch, engine)

    @event.listens_for(engine, "checkin")
    def _left_idle(_dbapi_connection, record):  # runs after the engine's own: as if long ago
        idle_since = record.info.get(engine_module._IDLE_SINCE, time.monotonic())
        record.info[engine_module._IDLE_SINCE] = idle_since - engine_module.IDLE_PING_SECONDS - 1

    dropped = _backend_pid(engine)
    with psycopg.connect(workspace.db.url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s)", (dropped,)).fetchone()[0]
        for _ in range(100):  # the server ends the backend a moment later
            if not admin.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", (dropped,)).fetchone():
                break
            time.sleep(0.02)
    replacement = _backend_pid(engine)
    assert replacement != dropped
    assert seen["pings"] == 1
    with workspace.db.read() as session:  # and the app's own sessions carry on
        assert session.execute(text("SELECT count(*) FROM role")).scalar_one() > 0
