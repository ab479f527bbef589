"""Built-in template files reach the database by one mechanism (`services.builtin_templates`) for
both kinds, induction templates and programmes: seeded with a note and an audit entry, upgraded
only where the PCN has not edited, and a malformed file never stops the app opening."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable

import pytest
from sqlalchemy import func, select

from arrs_desk.domain import induction as induction_rules
from arrs_desk.domain import programmes as programme_rules
from arrs_desk.errors import ResourceFileError
from arrs_desk.services.actor import SYSTEM
from arrs_desk.services.builtin_templates import SOURCE_BUILTIN
from arrs_desk.services.induction_templates import TEMPLATES_VERSION_KEY, sync_builtin_templates
from arrs_desk.services.programme_templates import PROGRAMMES_VERSION_KEY, sync_builtin_programmes
from arrs_desk.store.models import AuditEntry, InductionTemplate, ProgrammeTemplate, Setting


@dataclass(frozen=True)
class Kind:
    sync: Callable
    model: type
    version_key: str
    record_type: str
    rules: object
    loader: str
    log_text: str
    audit_noun: str
    note_noun: str


INDUCTION = Kind(sync_builtin_templates, InductionTemplate, TEMPLATES_VERSION_KEY, "induction_template",
                 induction_rules, "builtin_templates", "Built-in induction templates not loaded",
                 "induction template", "template")
PROGRAMMES = Kind(sync_builtin_programmes, ProgrammeTemplate, PROGRAMMES_VERSION_KEY, "programme_template",
                  programme_rules, "builtin_programmes", "Built-in programmes not loaded", "programme", "programme")
KINDS = pytest.mark.parametrize("kind", [INDUCTION, PROGRAMMES], ids=["induction", "programmes"])


def files(kind: Kind):
    return getattr(kind.rules, kind.loader)()


def stored(workspace, kind: Kind) -> list:
    with workspace.db.read() as session:
        return [(r.code, r.version, r.is_current, r.source, r.file_version, r.note)
                for r in session.execute(select(kind.model).order_by(kind.model.code, kind.model.version)).scalars()]


def seed_entries(workspace, kind: Kind) -> list[AuditEntry]:
    with workspace.db.read() as session:
        return list(session.execute(select(AuditEntry).where(AuditEntry.action == "seed",
                                                             AuditEntry.entity_type == kind.record_type)).scalars())


@KINDS
def test_a_new_database_holds_every_file_once_with_its_note_and_one_audit_entry(workspace, kind):
    shipped = files(kind)
    rows = stored(workspace, kind)
    assert [(code, version, current, source, file_version) for code, version, current, source, file_version, _ in rows] \
        == sorted((f.code, 1, True, SOURCE_BUILTIN, f.version) for f in shipped)
    assert {note for *_, note in rows} == {f"Built-in {kind.note_noun}, file version {f.version}" for f in shipped}
    [entry] = seed_entries(workspace, kind)
    assert entry.summary == f"Added {len(shipped)} {kind.audit_noun} version(s) from the built-in files"
    assert (entry.user_id, entry.actor_name) == (None, SYSTEM.display_name)
    with workspace.db.read() as session:
        assert session.get(Setting, kind.version_key).value == {f.code: f.version for f in shipped}


@KINDS
def test_one_newer_file_adds_one_version_and_the_next_start_reads_only_the_marker(workspace, kind):
    shipped = list(files(kind))
    newer = [shipped[0].model_copy(update={"version": shipped[0].version + 1}), *shipped[1:]]
    with workspace.db.write() as session:
        assert kind.sync(session, newer) == 1
    with workspace.db.write() as session:
        assert kind.sync(session, newer) == 0  # the marker now says nothing changed
        assert session.get(Setting, kind.version_key).value[newer[0].code] == newer[0].version
    versions = [(version, current, file_version) for code, version, current, _, file_version, _ in stored(workspace, kind)
                if code == newer[0].code]
    assert versions == [(1, False, shipped[0].version), (2, True, newer[0].version)]
    assert [e.summary for e in seed_entries(workspace, kind)][-1] == \
        f"Added 1 {kind.audit_noun} version(s) from the built-in files"


@KINDS
def test_a_malformed_built_in_file_is_logged_and_the_database_left_as_it_was(workspace, kind, monkeypatch, caplog):
    before, entries = stored(workspace, kind), len(seed_entries(workspace, kind))
    with workspace.db.write() as session:
        session.get(Setting, kind.version_key).value = {}  # as if a new file version had shipped

    def broken():
        raise ResourceFileError("bad.json: 'items' is missing")

    monkeypatch.setattr(kind.rules, kind.loader, broken)
    with caplog.at_level(logging.ERROR), workspace.db.write() as session:
        assert kind.sync(session) == 0
    assert [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR] == [
        f"{kind.log_text}: bad.json: 'items' is missing"]
    assert stored(workspace, kind) == before
    assert len(seed_entries(workspace, kind)) == entries
    with workspace.db.read() as session:
        assert session.get(Setting, kind.version_key).value == {}
        assert session.execute(select(func.count()).select_from(kind.model)).scalar() == len(before)


def _reopened(workspace):
    from arrs_desk.services.workspace import Workspace

    return Workspace.open(workspace.db.url)


def test_opening_a_database_that_holds_every_built_in_file_writes_nothing(workspace):
    """Every ordinary start: the markers are read, and no write transaction is begun (on a server
    across sites its BEGIN, reads and COMMIT were five round trips)."""
    reopened = _reopened(workspace)
    try:
        writes, _head = reopened.db.change_mark()
        assert writes == 0
    finally:
        reopened.close()


@KINDS
def test_opening_brings_in_a_newer_built_in_file(workspace, kind, monkeypatch):
    shipped = list(files(kind))
    newer = [shipped[0].model_copy(update={"version": shipped[0].version + 1}), *shipped[1:]]
    monkeypatch.setattr(kind.rules, kind.loader, lambda: newer)
    reopened = _reopened(workspace)
    try:
        assert [(version, current) for code, version, current, *_ in stored(reopened, kind) if code == newer[0].code] \
            == [(1, False), (2, True)]
        assert reopened.db.change_mark()[0] == 1  # the one write that brought it in
    finally:
        reopened.close()


def test_opening_brings_in_the_roles_of_a_newer_catalogue(workspace):
    from arrs_desk.services.roles import CATALOGUE_VERSION_KEY
    from arrs_desk.store.models import Role

    with workspace.db.write() as session:
        session.get(Setting, CATALOGUE_VERSION_KEY).value = 0  # as if this version's catalogue had not been seen
        session.delete(session.get(Role, "DTL"))  # a role the newer catalogue brings
    reopened = _reopened(workspace)
    try:
        with reopened.db.read() as session:
            assert session.get(Role, "DTL") is not None
            assert session.get(Setting, CATALOGUE_VERSION_KEY).value >= 1
    finally:
        reopened.close()
