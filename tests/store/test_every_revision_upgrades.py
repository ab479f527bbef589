"""Every schema revision, upgraded from a database saved at it with data in every table: nothing is
lost, and the app reads the person and her records afterwards.

The saved databases are tests/fixtures/schema-<rev>.sqlite3 (made by make_schema_fixture.py there;
a revision without one fails here). On SQLite a copy of the file is opened the way the app opens
any database: a backup, the upgrade, then the built-in roles and templates brought up to date. A
PCN sharing a PostgreSQL server upgrades the same way, so there a database is migrated to the
revision, given the file's rows, and opened likewise.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from arrs_desk.services.actor import SYSTEM
from arrs_desk.services.workspace import Workspace
from arrs_desk.store import migrate
from arrs_desk.store.database import Database, to_url
from arrs_desk.store.schema import head_revision, known_revisions
from tests.fixtures.make_schema_fixture import PASSWORD, SIGNER, STARTER

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
REVISIONS = known_revisions()
SAVED = [r for r in REVISIONS if (FIXTURES / f"schema-{r}.sqlite3").exists()]
REPLACED = {"checkin_response": "0010 keeps answers apart from who gave them (checked in _check_checkins)",
            "audit_chain_head": "the audit chain's last link, which moves on with every entry opening writes"}
"""Tables an upgrade replaces on purpose, and where their rows go instead."""
BROUGHT_UP_TO_DATE = {("setting", ("catalogue.roles.version",))}
"""Rows that opening moves on on purpose: the role catalogue's version, once its new roles are added
(checked in _check_the_app_reads_her_records)."""


def saved(revision: str) -> Path:
    return FIXTURES / f"schema-{revision}.sqlite3"


def everything(engine: sa.Engine) -> dict[str, dict[tuple, dict]]:
    """Every row of every table, by primary key, as typed values (tables read from the database)."""
    tables = sa.MetaData()
    tables.reflect(engine)
    found = {}
    with engine.connect() as conn:
        for table in tables.sorted_tables:
            if table.name != "alembic_version":
                key = [c.name for c in table.primary_key.columns]
                found[table.name] = {tuple(row[k] for k in key): dict(row)
                                     for row in conn.execute(sa.select(table)).mappings()}
    return found


def test_every_revision_has_a_saved_database():
    missing = [r for r in REVISIONS if r not in SAVED]
    assert missing == [], ("save a database at each new revision: "
                           f"PYTHONPATH=src python tests/fixtures/make_schema_fixture.py {' '.join(missing)}")


@pytest.mark.parametrize("revision", SAVED)
def test_each_saved_database_is_small_at_its_revision_and_fills_every_table(revision):
    assert saved(revision).stat().st_size < 300 * 1024
    with sqlite3.connect(f"{saved(revision).as_uri()}?mode=ro", uri=True) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == revision
        tables = [name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        empty = [t for t in tables if not conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]]
    assert empty == []


def _open_saved_on_sqlite(revision: str, request, tmp_path: Path) -> tuple[dict, Workspace]:
    path = tmp_path / "old.sqlite3"
    shutil.copyfile(saved(revision), path)
    before = everything(sa.create_engine(to_url(path), poolclass=sa.NullPool))
    return before, Workspace.open(path)


def _open_saved_on_postgres(revision: str, request, tmp_path: Path) -> tuple[dict, Workspace]:
    databases = request.getfixturevalue("postgres_databases")
    url = databases.fresh("empty")
    request.addfinalizer(lambda: databases.drop(url))
    db = Database(url)
    migrate.upgrade(db, revision)
    source = sa.create_engine(to_url(saved(revision)), poolclass=sa.NullPool)
    _copy_rows(source, db.engine)
    before = everything(db.engine)
    db.dispose()
    return before, Workspace.open(url)


def _copy_rows(source: sa.Engine, target: sa.Engine) -> None:
    """The saved file's rows into a PostgreSQL database at the same revision, ids and all."""
    read, write = sa.MetaData(), sa.MetaData()
    read.reflect(source)
    write.reflect(target)
    with source.connect() as src, target.begin() as dst:
        for table in read.sorted_tables:
            if table.name == "alembic_version":
                continue
            rows = [dict(r) for r in src.execute(sa.select(table).order_by(*table.primary_key.columns)).mappings()]
            dst.execute(write.tables[table.name].insert(), rows)
            if "id" in table.c and isinstance(table.c.id.type, sa.Integer):  # as if the app had added them
                dst.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                                    f"(SELECT max(id) FROM \"{table.name}\"))"))


@pytest.mark.slow
@pytest.mark.parametrize("revision", SAVED)
def test_a_database_saved_at_each_revision_upgrades_without_losing_anything(backend, request, tmp_path, revision):
    opened = _open_saved_on_postgres if backend == "postgres" else _open_saved_on_sqlite
    before, ws = opened(revision, request, tmp_path)
    try:
        assert ws.db.schema_state().revision == head_revision()
        after = everything(ws.db.engine)
        lost = []
        for table, saved_rows in before.items():
            if table in REPLACED:
                continue
            for key, row in saved_rows.items():
                if (table, key) in BROUGHT_UP_TO_DATE:
                    continue
                now = after.get(table, {}).get(key)
                if now is None:
                    lost.append(f"{table} {key}: gone")
                    continue
                lost += [f"{table} {key}.{column}: {value!r} became {now[column]!r}"
                         for column, value in row.items() if column in now and now[column] != value]
        assert lost == []
        if "checkin_response" in before:
            _check_checkins(before["checkin_response"], after)
        _check_the_app_reads_her_records(ws, revision)
    finally:
        ws.close()


def _check_checkins(responses: dict, after: dict) -> None:
    """Each answer waits, without a name, in each of the person's groups (fewer than five people)."""
    ((response),) = responses.values()
    assert set(after["checkin_completion"]) == {(response["staff_id"], response["months"])}
    assert sorted((p["dimension"], p["group_key"]) for p in after["checkin_pending"].values()) == [
        ("practice", "2"), ("role", "PARA")]
    assert all(p["answers"] == response["answers"] for p in after["checkin_pending"].values())
    assert set(after["checkin_pending_person"]) == {("practice", "2", 1), ("role", "PARA", 1)}


def _check_the_app_reads_her_records(ws: Workspace, revision: str) -> None:
    since = revision.__ge__
    actor = ws.accounts.sign_in(username="helen.whitfield", password=PASSWORD, record_sign_in=False) if since("0002") else SYSTEM
    record = ws.staff.get(actor, staff_id=1)
    assert (record.display_name, record.data.registration_number) == (STARTER, "PA012345")
    assert record.formal_name == ("Ms " if since("0011") else "") + STARTER
    assert record.data.employee_number == ("E1042" if since("0011") else "")
    if since("0002"):
        assert [(u.username, u.staff_id) for u in ws.accounts.list_users(actor)] == [
            ("helen.whitfield", None), ("siobhan.nibhriain", 1)]
    if since("0003"):
        items = {i.key: i for s in ws.induction.checklist(actor, staff_id=1).sections for i in s.items}
        assert {k: i.state for k, i in items.items()} == {
            "fire-safety": "complete", "meet-supervisor": "na", "lone-working": "returned"}
        assert (items["fire-safety"].signed_by, items["fire-safety"].signed_on) == (SIGNER, date(2025, 2, 5))
    if since("0004"):
        person = ws.supervision.person(actor, staff_id=1)
        assert sorted((s.held_on, s.supervisor_name) for s in person.sessions) == [
            (date(2025, 3, 5), SIGNER), (date(2025, 4, 2), SIGNER)]
        assert [a.supervisor_name for a in person.arrangements if a.id is not None] == [SIGNER]
    if since("0005"):
        (summary,) = ws.programmes.enrolments_for(actor, staff_id=1)
        view = ws.programmes.enrolment(actor, enrolment_id=summary.enrolment_id)
        assert (view.title, view.preceptor, view.milestones_held, view.competencies_signed) == (
            "Old Town paramedic preceptorship", SIGNER, 1, 1)
        assert ([t.hours for t in view.time_entries], [p.reason for p in view.pauses],
                [e.weeks for e in view.extensions]) == ([2.0], ["Annual leave"], [2])
    if since("0006"):
        (review,) = ws.reviews.reviews_of(actor, staff_id=1)
        assert (review.row.kind, [o.description for o in review.objectives], [p.need for p in review.pdp]) == (
            "probation", ["Lead a frailty case review"], ["Wound care"])
        assert sorted((s.party, s.name) for s in review.signatures) == [("appraisee", STARTER), ("appraiser", SIGNER)]
        assert [i.title for i in ws.reviews.impact_log(actor, staff_id=1)] == ["Admission avoided"]
    from arrs_desk.domain.catalogue import builtin_catalogue

    roles = {r.code: r for r in ws.roles.list(actor)}  # the 2025/26 additions reach every old database
    assert {"GPN", "CNUR", "HCSW", "PARA"} <= set(roles) and roles["GPN"].typical_band == "5-6"
    if since("0016"):
        cpd = ws.revalidation.person(actor, staff_id=1).cpd
        assert [(e.title, [f.original_name for f in e.files]) for e in cpd] == [
            ("Sepsis recognition update", ["sepsis-certificate.pdf"] if since("0020") else [])]
    with ws.db.read() as session:
        from arrs_desk.store.models import Setting

        assert session.get(Setting, "catalogue.roles.version").value == builtin_catalogue().version
    if since("0019"):  # the starter's authenticator app still works, and its last code is still used up
        import pyotp

        from arrs_desk import clock
        from arrs_desk.services.accounts import SecondStepNeeded
        from tests.fixtures.make_schema_fixture import TWO_STEP_SECRET

        with pytest.raises(SecondStepNeeded):
            ws.accounts.sign_in(username="siobhan.nibhriain", password=PASSWORD, record_sign_in=False)
        code = pyotp.TOTP(TWO_STEP_SECRET).at(clock.now())
        starter = ws.accounts.sign_in(username="siobhan.nibhriain", password=PASSWORD, code=code, record_sign_in=False)
        assert starter.staff_id == 1
    if since("0009"):
        prior = ws.induction_prior.get(actor, staff_id=1)
        assert (prior.completed_on, prior.attested_by_name) == (date(2025, 2, 7), "Yusuf Lefèvre")
