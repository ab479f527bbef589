"""Exporting everything to one ZIP file, and loading such a file into an empty database.

The export is what a PCN keeps when it leaves ARRS Desk or moves to a new server: every table,
every column, every evidence file, in the documented format of `docs/export-format.md` (only the
check-in answers still waiting for an anonymous batch stay behind: `NOT_EXPORTED`). It is
read in one read transaction so the file is one moment's consistent picture, and the audit row
that records it is written only after that snapshot, so a file never contains its own making.
The time of export is kept in the manifest alone: two exports of the same data differ only there.

The import goes only into an empty database (`EMPTY_RULES`) and writes in one transaction: the
rows the app seeds on opening are replaced by the file's, ids kept. It adds no audit row to the
imported database: that would break the byte-identical round trip, and the importing person's
account does not exist until the data is loaded. Instead it writes who ran it, the file and the
file's SHA-256 to the application log. Everything in the file is checked (format, schema
revision, hashes, every value against its column) before anything is written; evidence files
copied in before a failed write are removed again.

A full export of an encrypted database is itself encrypted (`export_archive.seal_export`): the
signed ZIP sealed with AES-256-GCM under a key derived from the database's, carrying the
database's salt, so on another PC it loads with the database's passphrase and nothing else.
An export of a database that is not encrypted (a plain SQLite file, a PostgreSQL server) is
sealed the same way under a passphrase the exporting administrator chooses (`export_all`): the
file carries every account's password hash and two-step secret, which the import needs so that
people sign in as before, and it is made to leave the PC. It loads with that passphrase.

What a full export shares with a record bundle (ZIP entries, the checks on opening, evidence
files, decoding rows) lives in `services.export_archive`; its names are importable from here too.
"""

from __future__ import annotations

import getpass
import hashlib
import logging
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Table, bindparam, func, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, SQLModel

from arrs_desk import __version__, clock
from arrs_desk.domain import export_format as fmt
from arrs_desk.domain.permissions import Action
from arrs_desk.errors import NotFound, ValidationError
from arrs_desk.services import audit, evidence, export_signing
from arrs_desk.services._common import require
from arrs_desk.services.actor import SYSTEM, Actor
from arrs_desk.services.export_archive import (  # noqa: F401  (also importable from here, as before)
    EvidenceRef, OpenedArchive, check_evidence, check_manifest, column_kind, decode_rows, evidence_references,
    file_problem, file_sha256, is_encrypted_export, kept_sha256, open_archive, opened_export, parse_document,
    read_member, seal_export, store_evidence_bytes, write_archive, zip_entry,
)
from arrs_desk.services.exports import export_audit_values
from arrs_desk.services.induction_templates import TEMPLATES_VERSION_KEY
from arrs_desk.services.programme_templates import PROGRAMMES_VERSION_KEY
from arrs_desk.services.roles import CATALOGUE_VERSION_KEY
from arrs_desk.services.evidence import evidence_folder
from arrs_desk.store import audit_chain
from arrs_desk.store import models  # noqa: F401  (registers every table)
from arrs_desk.store.cipher import DatabaseKey, passphrase_problem
from arrs_desk.store.database import Database
from arrs_desk.store.models import Organisation

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]

MAX_DATA_BYTES = 1024 * 1024 * 1024
"""A PCN's ten years of records are tens of megabytes; a data file past this is not a real export."""

SEEDED_TABLES = {
    "role": "builtin roles only",
    "induction_template": "built-in induction templates only",
    "induction_template_item": "items of built-in templates",
    "programme_template": "built-in programmes only",
    "audit_entry": "only the record of that seeding",
    "audit_chain_head": "the last link of that record's hash chain",
    "setting": "only the versions of the built-in catalogue, templates and programmes",
}
"""Tables a freshly opened database already fills; the import replaces their rows."""

SEEDED_SETTINGS = (CATALOGUE_VERSION_KEY, TEMPLATES_VERSION_KEY, PROGRAMMES_VERSION_KEY)


NOT_EXPORTED = {
    "checkin_pending": "anonymous check-in answers still waiting for their batch",
    "checkin_pending_person": "who has an answer waiting in which check-in batch",
}
"""Tables a full export leaves out. A waiting check-in answer can be the only one in its batch,
so with the list of who is waiting it could name its writer (see `services.checkins`). An import
therefore starts with no waiting answers; people who had answered keep their check-in as done."""


def tables() -> list[Table]:
    """Every table in the export, parents before children (the order rows are inserted in)."""
    return [t for t in SQLModel.metadata.sorted_tables if t.name not in NOT_EXPORTED]


def all_tables() -> list[Table]:
    """Every table of the schema, the unexported ones too (emptied by an import)."""
    return list(SQLModel.metadata.sorted_tables)


def _order(table: Table) -> list:
    return list(table.primary_key.columns)


@dataclass(frozen=True, slots=True)
class ExportResult:
    path: Path
    rows: int
    tables: int
    evidence_files: int
    size: int
    sha256: str
    encrypted: bool = True  # sealed with the database's key, or the passphrase chosen for a plain database


@dataclass(frozen=True, slots=True)
class ImportResult:
    rows: int
    evidence_files: int
    staff: int
    app_version: str
    exported_at: str
    sha256: str
    signature: str = ""  # what the file's signature said ("From ARRS Desk at <PCN>, unchanged.", ...)


class DataExportService:
    def __init__(self, db: Database, evidence_root: Callable[[], Path] | None = None):
        self._db = db
        self._evidence_root = evidence_folder(evidence_root)

    # ============================================================================ export
    def needs_passphrase(self) -> bool:
        """Whether `export_all` must be given a passphrase: the database is not encrypted."""
        return self._db.key is None

    def export_all(self, actor: Actor, *, path: Path | str, passphrase: str | None = None,
                   progress: Progress | None = None) -> ExportResult:
        """Write the whole database and its evidence to `path` (a ZIP, encrypted), replacing it only
        when complete. `passphrase`: what a database that is not encrypted has its export sealed
        with (`needs_passphrase`); an encrypted database's export is sealed with its own key."""
        require(actor, Action.EXPORT_DATA)
        path = Path(path)
        if not path.parent.is_dir():
            raise ValidationError.single("file", f"The folder {path.parent} does not exist; choose another place to save.")
        seal_key = self._db.key or _export_key(passphrase)
        revision, data, counts = self._snapshot()
        data_bytes = fmt.canonical_json({"format": fmt.FORMAT_NAME, "format_version": fmt.FORMAT_VERSION,
                                         "schema_revision": revision, "tables": data})
        refs, problems = evidence_references(data)
        if problems:
            raise ValidationError.single("evidence", "; ".join(problems[:5]))
        files = self._evidence_sources(refs)
        manifest = {
            "format": fmt.FORMAT_NAME,
            "format_version": fmt.FORMAT_VERSION,
            "app_version": __version__,
            "schema_revision": revision,
            "exported_at": clock.now().isoformat(timespec="seconds"),
            "exported_by": {"username": actor.username, "name": actor.display_name},
            "tables": [{"name": name, "rows": n} for name, n in counts],
            "files": {fmt.DATA_NAME: {"sha256": hashlib.sha256(data_bytes).hexdigest(), "size": len(data_bytes)}},
            "evidence": [{"sha256": sha, "size": size} for sha, (_, size) in sorted(files.items())],
        }
        pcn = self._pcn_name()
        manifest = export_signing.sign(manifest, pcn)
        plain = path.with_name(f".{path.name}.plain")
        try:
            write_archive(plain, manifest, data_bytes, ((sha, source) for sha, (source, _) in files.items()), progress,
                          key=self._db.key)
            seal_export(plain, path, seal_key)
            zip_sha, size = file_sha256(path)
        finally:
            plain.unlink(missing_ok=True)
        rows = sum(n for _, n in counts)
        try:
            with self._db.write() as session:
                people = dict(counts).get("staff", 0)
                export_signing.trust_own_key(session, pcn)
                audit.record(session, actor, "export_all", "database", "",
                             f"Exported all data ({rows} rows, {len(files)} evidence files) to {path.absolute()}",
                             {"file": path.name, "sha256": zip_sha, "evidence_files": len(files),
                              "encrypted": True,
                              **export_audit_values(what="all data", people=people, file_format="ZIP", path=path,
                                                    rows=rows)[1]})
        except BaseException:
            path.unlink(missing_ok=True)  # an export nobody can trace must not be left behind
            raise
        return ExportResult(path, rows, len(counts), len(files), size, zip_sha, True)

    def _snapshot(self) -> tuple[str, dict[str, list[dict[str, Any]]], list[tuple[str, int]]]:
        data: dict[str, list[dict[str, Any]]] = {}
        counts: list[tuple[str, int]] = []
        with self._db.read() as session:
            if not self._db.is_sqlite:  # one snapshot for every statement, not one per statement
                session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            revision = session.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
            for table in tables():
                rows = []
                for row in session.execute(select(table).order_by(*_order(table))).mappings():
                    try:
                        rows.append({name: fmt.encode(value) for name, value in row.items()})
                    except fmt.FormatProblem as exc:
                        raise ValidationError.single("data", f"{table.name}: {exc}") from None
                data[table.name] = rows
                counts.append((table.name, len(rows)))
        return revision, data, counts

    def _evidence_sources(self, refs: Iterable[EvidenceRef]) -> dict[str, tuple[Path, int]]:
        """sha256 -> (file, size) for every referenced file, each checked against its name."""
        root = self._evidence_root()
        found: dict[str, tuple[Path, int]] = {}
        missing: list[str] = []
        for ref in sorted(refs, key=lambda r: (r.sha256, r.stored_name)):
            if ref.sha256 in found:
                continue
            source = root / ref.stored_name[:2] / ref.stored_name
            if not source.is_file():
                missing.append(ref.stored_name)
                continue
            sha, size = kept_sha256(source, self._db.key, evidence.MAX_EVIDENCE_BYTES)
            if sha != ref.sha256:
                raise ValidationError.single("evidence", f"The evidence file {source} has changed since it was attached "
                                             "(its contents no longer match its name), so it cannot be exported.")
            found[sha] = (source, size)
        if missing:
            raise NotFound(
                f"{len(missing)} evidence file(s) are not in this computer's evidence folder ({root}), for example "
                f"{missing[0]}. They may have been attached on another PC: copy that PC's evidence folder here "
                "and export again."
            )
        return found

    # ============================================================================ import
    def import_all(self, *, path: Path | str, run_by: str | None = None, progress: Progress | None = None,
                   override_reason: str | None = None, passphrase: str | None = None) -> ImportResult:
        """Load a full export into this (empty) database: all of it, or none of it.

        A file whose signature does not hold, or was made by an installation this one does not
        know, is refused unless `override_reason` is given; the reason is then audited. An
        encrypted export needs the `passphrase` of the database it was made from."""
        problem = self.emptiness_problem()
        if problem:
            raise file_problem(problem)
        given = Path(path)
        with opened_export(given, passphrase) as plain:
            return self._import(plain, run_by or _os_user(), progress, override_reason, given)

    def _import(self, path: Path, run_by: str, progress: Progress | None, override_reason: str | None,
                given: Path) -> ImportResult:
        """`path`: the plain ZIP; `given`: the file named (the same, or the encrypted file it came
        from), which the log and the audit name with its SHA-256, as the export's audit entry does."""
        report = progress or (lambda done, total: None)
        checked = read_export(path)
        given_sha256 = checked.sha256 if given == path else file_sha256(given)[0]
        with self._db.read() as session:
            signature = export_signing.admit(session, None, checked.manifest, "export", override_reason)
        total = len(checked.evidence) + 1
        report(0, total)
        created = self._copy_evidence(path, checked, report, total)
        try:
            with self._db.write() as session:
                problem = self._emptiness_problem(session)  # again, inside the write: nobody slipped in since
                if problem:
                    raise file_problem(problem)
                self._replace_all(session, checked.rows)
                audit_chain.forget_held_head(session)  # the export's head, not one read before it
                if not signature.trusted:
                    audit.record(session, SYSTEM, "import", "database", "",
                                 f"Imported all data from {path.name} although {signature.message[0].lower()}"
                                 f"{signature.message[1:]} Run by {run_by}; reason given: "
                                 f"{override_reason.strip()}",
                                 {"file": path.name, "sha256": given_sha256, "run_by": run_by,
                                  **export_signing.audit_values(signature, override_reason)})
        except BaseException as exc:
            root = self._evidence_root()
            for stored_name in created:
                evidence.discard(root, stored_name)
            if isinstance(exc, SQLAlchemyError):
                raise file_problem(f"{path.name} could not be loaded "
                                   f"({str(getattr(exc, 'orig', exc)).splitlines()[0]}). Nothing was imported.") from exc
            raise
        report(total, total)
        rows = sum(len(r) for r in checked.rows.values())
        log.info("Full import into %s run by %s from %s (SHA-256 %s): %d rows, %d evidence files, exported by "
                 "ARRS Desk %s at %s; signature: %s", self._db.display_name, run_by, given, given_sha256, rows,
                 len(checked.evidence), checked.manifest.get("app_version"), checked.manifest.get("exported_at"),
                 signature.message)
        return ImportResult(rows, len(checked.evidence), len(checked.rows.get("staff", ())),
                            str(checked.manifest.get("app_version")), str(checked.manifest.get("exported_at")),
                            given_sha256, signature.message)

    def _pcn_name(self) -> str:
        with self._db.read() as session:
            return session.execute(select(Organisation.name).where(Organisation.kind == "pcn")).scalars().first() or ""

    def emptiness_problem(self) -> str | None:
        """Why this database is not empty enough to import into, or None."""
        with self._db.read() as session:
            return self._emptiness_problem(session)

    def _emptiness_problem(self, session: Session) -> str | None:
        found: list[str] = []
        for table in all_tables():
            if table.name in SEEDED_TABLES:
                continue
            n = session.execute(select(func.count()).select_from(table)).scalar_one()
            if n:
                found.append(f"{n} {table.name.replace('_', ' ')} row(s)")
        t = {table.name: table for table in tables()}
        for name, where in (("role", t["role"].c.builtin.is_(False)),
                            ("induction_template", t["induction_template"].c.source != "builtin"),
                            ("programme_template", t["programme_template"].c.source != "builtin"),
                            ("audit_entry", t["audit_entry"].c.action != "seed"),
                            ("setting", t["setting"].c.key.not_in(SEEDED_SETTINGS))):
            n = session.execute(select(func.count()).select_from(t[name]).where(where)).scalar_one()
            if n:
                found.append(f"{n} {name.replace('_', ' ')} row(s) beyond the built-in ones")
        if not found:
            return None
        return (f"{self._db.display_name} already holds records ({', '.join(found[:4])}). A full export can only be "
                "imported into an empty database: create a new one (arrs-desk --database NEWFILE import FILE) "
                "and import into that.")

    def _copy_evidence(self, path: Path, checked: "CheckedExport", report: Progress, total: int) -> list[str]:
        """Copy each evidence file to its stored name(s); returns the names this call created."""
        root = self._evidence_root()
        created: list[str] = []
        try:
            with zipfile.ZipFile(path) as archive:
                for done, (sha, names) in enumerate(sorted(checked.evidence.items()), start=1):
                    content = read_member(archive, fmt.EVIDENCE_PREFIX + sha, evidence.MAX_EVIDENCE_BYTES)
                    if hashlib.sha256(content).hexdigest() != sha:  # the file changed since it was checked
                        raise file_problem(f"The evidence file {sha} in {path.name} does not match its name.")
                    for stored_name in sorted(names):
                        if store_evidence_bytes(root, stored_name, content, self._db.key):
                            created.append(stored_name)
                    report(done, total)
        except BaseException:
            for stored_name in created:
                evidence.discard(root, stored_name)
            raise
        return created

    def _replace_all(self, session: Session, data: dict[str, list[dict[str, Any]]]) -> None:
        ordered = tables()
        with _audit_trail_unlocked(session, self._db.is_sqlite):
            for table in reversed(all_tables()):
                session.execute(table.delete())
        for table in ordered:
            rows = data[table.name]
            if not rows:
                continue
            self_refs = [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]
            # A row may point at a later row of its own table (a line manager added after the person):
            # insert with those links empty, then fill them in.
            inserted = [{**row, **{c: None for c in self_refs}} for row in rows] if self_refs else rows
            session.execute(table.insert(), inserted)
            for column in self_refs:
                (pk,) = _order(table)
                links = [{"_pk": row[pk.name], "_to": row[column]} for row in rows if row[column] is not None]
                if links:
                    session.execute(table.update().where(pk == bindparam("_pk")).values({column: bindparam("_to")})
                                    .execution_options(synchronize_session=False), links)
        if not self._db.is_sqlite:
            reset_sequences(session, ordered)


def reset_sequences(session: Session, ordered: Iterable[Table]) -> None:
    """PostgreSQL hands out ids from a sequence that explicit ids do not move: move it past them."""
    for table in ordered:
        column = table.autoincrement_column
        if column is None:
            continue
        session.execute(
            text(f'SELECT setval(pg_get_serial_sequence(:t, :c), COALESCE((SELECT MAX("{column.name}") '
                 f'FROM "{table.name}"), 0) + 1, false)'),
            {"t": table.name, "c": column.name},
        )


class _audit_trail_unlocked:
    """Within the import's transaction only, let the seeding's audit rows be replaced.

    The append-only triggers (migration 0001) are dropped and recreated (SQLite) or disabled and
    enabled (PostgreSQL) inside the same transaction, so no other connection ever sees them off
    and a failed import leaves them exactly as they were.
    """

    def __init__(self, session: Session, is_sqlite: bool):
        self._session = session
        self._sqlite = is_sqlite
        self._triggers: list[tuple[str, str]] = []

    def __enter__(self) -> None:
        if self._sqlite:
            self._triggers = [tuple(r) for r in self._session.execute(text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name IN ('audit_entry', 'audit_chain_head')"))]
            for name, _ in self._triggers:
                self._session.execute(text(f'DROP TRIGGER "{name}"'))
        else:
            for table in ("audit_entry", "audit_chain_head"):
                self._session.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))

    def __exit__(self, exc_type, exc, tb) -> None:  # noqa: ANN001
        if exc_type is not None:
            return  # the transaction rolls back, triggers and all
        if self._sqlite:
            for _, sql in self._triggers:
                self._session.execute(text(sql))
        else:
            for table in ("audit_entry", "audit_chain_head"):
                self._session.execute(text(f"ALTER TABLE {table} ENABLE TRIGGER USER"))


# ================================================================================ reading a file
@dataclass(frozen=True)
class CheckedExport:
    manifest: dict[str, Any]
    rows: dict[str, list[dict[str, Any]]]  # decoded, ready to insert
    evidence: dict[str, set[str]]  # sha256 -> stored names that point at it
    sha256: str  # of the whole file



def read_export(path: Path | str) -> CheckedExport:
    """Open and check a full export without writing anything; ValidationError says what is wrong."""
    path = Path(path)
    opened = open_archive(path, fmt.FORMAT_NAME, fmt.FORMAT_VERSION, MAX_DATA_BYTES)
    with opened.archive:
        manifest = opened.manifest
        rows = _decode_tables(opened.document, manifest, path.name)
        counted = [{"name": t.name, "rows": len(rows[t.name])} for t in tables()]
        if manifest.get("tables") != counted:
            raise file_problem(f"The manifest of {path.name} does not list the tables and row counts "
                               f"{fmt.DATA_NAME} holds.")
        listed = _listed_evidence(manifest, path.name)
        wanted, _ = check_evidence(opened, path.name, keep=False)
        present = {n[len(fmt.EVIDENCE_PREFIX):] for n in opened.names if fmt.is_evidence_name(n)}
        extra = sorted((present | set(listed)) - set(wanted))
        if extra:
            raise file_problem(f"{path.name} holds the evidence file {extra[0]}, which no record refers to.")
    return CheckedExport(manifest, rows, wanted, opened.sha256)


def _listed_evidence(manifest: dict[str, Any], file_name: str) -> list[str]:
    listed = manifest.get("evidence", [])
    if not isinstance(listed, list) or not all(isinstance(e, dict) and isinstance(e.get("sha256"), str)
                                                and fmt.SHA256_PATTERN.match(e["sha256"]) for e in listed):
        raise file_problem(f"The manifest of {file_name} has a malformed evidence list.")
    return [e["sha256"] for e in listed]


def _decode_tables(document: dict[str, Any], manifest: dict[str, Any], file_name: str) -> dict[str, list[dict[str, Any]]]:
    if document.get("format") != manifest.get("format") or document.get("schema_revision") != manifest.get("schema_revision"):
        raise file_problem(f"{fmt.DATA_NAME} in {file_name} does not belong with its manifest.")
    found = document.get("tables")
    if not isinstance(found, dict):
        raise file_problem(f"{fmt.DATA_NAME} in {file_name} has no tables.")
    expected = {t.name: t for t in tables()}
    if set(found) != set(expected):
        odd = sorted(set(found) ^ set(expected))
        raise file_problem(f"{fmt.DATA_NAME} in {file_name} does not have this version's tables "
                           f"(differs at {odd[0][:60]!r}).")
    decoded: dict[str, list[dict[str, Any]]] = {}
    for name, table in expected.items():
        rows = found[name]
        if not isinstance(rows, list):
            raise file_problem(f"Table {name} in {file_name} is not a list of rows.")
        decoded[name] = decode_rows(table, rows, f"table {name} in {file_name}")
    return decoded


def _export_key(passphrase: str | None) -> DatabaseKey:
    """The key a database that is not encrypted has its export sealed with (a fresh salt each time)."""
    problem = passphrase_problem(passphrase) if passphrase else (
        "Choose a passphrase to encrypt the export with: it holds every account's password hash and two-step "
        "secret as well as everyone's records, and it is loaded elsewhere with this passphrase.")
    if problem:
        raise ValidationError.single("passphrase", problem)
    return DatabaseKey.new(passphrase)


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        return "(unknown)"

