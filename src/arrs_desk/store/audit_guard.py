"""The database's own guards on the audit trail, and putting them back when they have gone.

The triggers refuse changing or deleting audit entries, emptying the table (TRUNCATE, which
PostgreSQL's row triggers do not see), and removing or rewinding the chain head
(`store/audit_chain.py`). Migrations 0001 and 0012 create them from the statements here.
On every open `ensure_guards` checks they are all present (and enabled, on PostgreSQL); any that
are missing are created again and the audit trail records that it happened, so a file whose
guards were dropped behind the app's back is noticed and protected again. Where the app's
PostgreSQL role may not create triggers (the recommended set-up: the tables belong to another
role) the missing ones are reported for an administrator instead.
"""

from __future__ import annotations

import logging

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger(__name__)

_REFUSE = "SELECT RAISE(ABORT, '{message}')"
_ENTRY_MESSAGE = "audit entries cannot be changed or deleted"
_HEAD_MESSAGE = "the audit chain head cannot be removed or moved back"

SQLITE_TRIGGERS: dict[str, str] = {
    "audit_entry_no_update": f"CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry "
                             f"BEGIN {_REFUSE.format(message=_ENTRY_MESSAGE)}; END",
    "audit_entry_no_delete": f"CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry "
                             f"BEGIN {_REFUSE.format(message=_ENTRY_MESSAGE)}; END",
    "audit_chain_head_no_delete": f"CREATE TRIGGER audit_chain_head_no_delete BEFORE DELETE ON audit_chain_head "
                                  f"BEGIN {_REFUSE.format(message=_HEAD_MESSAGE)}; END",
    "audit_chain_head_no_rewind": f"CREATE TRIGGER audit_chain_head_no_rewind BEFORE UPDATE ON audit_chain_head "
                                  f"WHEN NEW.seq < OLD.seq OR NEW.id != OLD.id "
                                  f"BEGIN {_REFUSE.format(message=_HEAD_MESSAGE)}; END",
}

PG_FUNCTIONS: dict[str, str] = {
    "audit_entry_refuse_change": "CREATE OR REPLACE FUNCTION audit_entry_refuse_change() RETURNS trigger "
                                 f"LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{_ENTRY_MESSAGE}'; END $$",
    "audit_chain_refuse_change": "CREATE OR REPLACE FUNCTION audit_chain_refuse_change() RETURNS trigger "
                                 f"LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{_HEAD_MESSAGE}'; END $$",
}

PG_TRIGGERS: dict[str, tuple[str, str]] = {  # name: (table, statement)
    "audit_entry_append_only": ("audit_entry", "CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON "
                                "audit_entry FOR EACH ROW EXECUTE FUNCTION audit_entry_refuse_change()"),
    "audit_entry_no_truncate": ("audit_entry", "CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry "
                                "FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_refuse_change()"),
    "audit_chain_head_no_delete": ("audit_chain_head", "CREATE TRIGGER audit_chain_head_no_delete BEFORE DELETE ON "
                                   "audit_chain_head FOR EACH ROW EXECUTE FUNCTION audit_chain_refuse_change()"),
    "audit_chain_head_no_truncate": ("audit_chain_head", "CREATE TRIGGER audit_chain_head_no_truncate BEFORE TRUNCATE "
                                     "ON audit_chain_head FOR EACH STATEMENT EXECUTE FUNCTION "
                                     "audit_chain_refuse_change()"),
    "audit_chain_head_no_rewind": ("audit_chain_head", "CREATE TRIGGER audit_chain_head_no_rewind BEFORE UPDATE ON "
                                   "audit_chain_head FOR EACH ROW WHEN (NEW.seq < OLD.seq OR NEW.id <> OLD.id) "
                                   "EXECUTE FUNCTION audit_chain_refuse_change()"),
}

GUARDED_TABLES = ("audit_entry", "audit_chain_head")


def missing_guards(connection) -> list[str]:  # noqa: ANN001
    """The names of the guard triggers that are absent (or, on PostgreSQL, switched off)."""
    if connection.dialect.name == "sqlite":
        present = {r[0] for r in connection.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))}
        return [name for name in SQLITE_TRIGGERS if name not in present]
    present = {r[0] for r in connection.execute(text(
        "SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "WHERE NOT t.tgisinternal AND t.tgenabled <> 'D' AND c.relname IN ('audit_entry', 'audit_chain_head') "
        "AND pg_table_is_visible(c.oid)"))}
    return [name for name in PG_TRIGGERS if name not in present]


def create_guards(connection, names: list[str] | None = None) -> None:  # noqa: ANN001
    """Create the named guards (all by default), replacing any switched-off one of the same name."""
    if connection.dialect.name == "sqlite":
        for name in names if names is not None else SQLITE_TRIGGERS:
            connection.execute(text(f'DROP TRIGGER IF EXISTS "{name}"'))
            connection.execute(text(SQLITE_TRIGGERS[name]))
        return
    for statement in PG_FUNCTIONS.values():
        connection.execute(text(statement))
    for name in names if names is not None else PG_TRIGGERS:
        table, statement = PG_TRIGGERS[name]
        connection.execute(text(f'DROP TRIGGER IF EXISTS "{name}" ON {table}'))
        connection.execute(text(statement))


def ensure_guards(db) -> list[str]:  # noqa: ANN001
    """Put back any missing guard, auditing that it did; returns the names it could not put back."""
    from arrs_desk.store.models import AuditEntry  # a late import: models load after the engine

    with db.read() as session:
        missing = missing_guards(session.connection())
    if not missing:
        return []
    try:
        with db.write() as session:
            create_guards(session.connection(), missing)
            session.add(AuditEntry(
                user_id=None, actor_name="ARRS Desk (on opening)", action="repair", entity_type="audit_trail",
                summary=f"The database's protection of the audit trail was missing ({', '.join(missing)}); "
                        "it has been put back. Check the audit trail (Verify) for changes made while it was off.",
                changes={"recreated_triggers": missing}))
    except SQLAlchemyError as exc:
        log.warning("The audit trail's guard triggers %s are missing and could not be recreated: %s", missing, exc)
        return missing
    log.warning("Recreated the audit trail's missing guard triggers: %s", ", ".join(missing))
    return []
