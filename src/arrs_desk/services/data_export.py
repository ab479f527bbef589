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
"""

from __future__ import annotations

import getpass
import hashlib
import logging
import os
import re
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Float, Integer, LargeBinary, Numeric, String, Table, bindparam, func, select, text
from sqlalchemy import JSON as SAJSON
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, SQLModel

from arrs_desk import __version__, clock
from arrs_desk.domain import export_format as fmt
from arrs_desk.domain.permissions import Action
from arrs_desk.errors import NotFound, ValidationError
from arrs_desk.services import audit, evidence
from arrs_desk.services._common import require
from arrs_desk.services.actor import Actor
from arrs_desk.services.exports import export_audit_values
from arrs_desk.services.induction_templates import TEMPLATES_VERSION_KEY
from arrs_desk.services.programme_templates import PROGRAMMES_VERSION_KEY
from arrs_desk.services.roles import CATALOGUE_VERSION_KEY
from arrs_desk.store import models  # noqa: F401  (registers every table)
from arrs_desk.store.database import Database
from arrs_desk.store.schema import head_revision

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]

MAX_DATA_BYTES = 1024 * 1024 * 1024
"""A PCN's ten years of records are tens of megabytes; a data file past this is not a real export."""

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
"""Every entry but the manifest gets this time, so the ZIP's only moving part is the manifest."""

_STORED_NAME = re.compile(r"^([0-9a-f]{64})(\.[a-z]{3,4})$")
_EXTENSIONS = {k.extension for k in evidence.KINDS}
_EXTENSION_BY_MEDIA = {k.media_type: k.extension for k in evidence.KINDS}

SEEDED_TABLES = {
    "role": "builtin roles only",
    "induction_template": "built-in induction templates only",
    "induction_template_item": "items of built-in templates",
    "programme_template": "built-in programmes only",
    "audit_entry": "only the record of that seeding",
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


def column_kind(column) -> str:  # noqa: ANN001
    type_ = column.type
    impl = getattr(type_, "impl", type_)
    impl = impl() if isinstance(impl, type) else impl
    for klass, kind in ((Boolean, fmt.BOOLEAN), (DateTime, fmt.DATETIME), (Date, fmt.DATE), (Float, fmt.FLOAT),
                        (Numeric, fmt.DECIMAL), (Integer, fmt.INTEGER), (SAJSON, fmt.JSON_VALUE),
                        (LargeBinary, fmt.BYTES), (String, fmt.TEXT)):
        if isinstance(impl, klass):
            return kind
    raise TypeError(f"{column.table.name}.{column.name}: no export encoding for {type_!r}")


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


@dataclass(frozen=True, slots=True)
class ImportResult:
    rows: int
    evidence_files: int
    staff: int
    app_version: str
    exported_at: str
    sha256: str


@dataclass(frozen=True, slots=True)
class EvidenceRef:
    sha256: str
    stored_name: str


def evidence_references(data: dict[str, list[dict[str, Any]]]) -> tuple[set[EvidenceRef], list[str]]:
    """The evidence files the rows point at, and a problem for each reference that is malformed.

    Induction and programme evidence rows name their stored file; a supervision agreement, and
    the scan kept with an induction completed before records began, are their SHA-256 plus the
    extension of their media type (as `SupervisionService.agreement_file`).
    """
    refs: set[EvidenceRef] = set()
    problems: list[str] = []

    def add(table: str, row: dict, sha: Any, stored_name: Any) -> None:
        match = _STORED_NAME.match(stored_name) if isinstance(stored_name, str) else None
        if not match or match.group(1) != sha or match.group(2) not in _EXTENSIONS:
            problems.append(f"{table} row {row.get('id')} names the evidence file {str(stored_name)[:80]!r}, "
                            "which is not a stored evidence name")
            return
        refs.add(EvidenceRef(sha, stored_name))

    for table in ("induction_evidence", "programme_evidence"):
        for row in data.get(table, ()):
            add(table, row, row.get("sha256"), row.get("stored_name"))
    for row in data.get("supervision_arrangement", ()):
        sha = row.get("agreement_sha256")
        if sha:
            add("supervision_arrangement", row, sha, f"{sha}{_EXTENSION_BY_MEDIA.get(row.get('agreement_media_type'), '')}")
    for row in data.get("induction_prior_record", ()):  # the scan of an induction before records began
        sha = row.get("evidence_sha256")
        if sha:
            add("induction_prior_record", row, sha, f"{sha}{_EXTENSION_BY_MEDIA.get(row.get('evidence_media_type'), '')}")
    return refs, problems


def file_sha256(path: Path, limit: int | None = None) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            size += len(chunk)
            if limit is not None and size > limit:
                break
            digest.update(chunk)
    return digest.hexdigest(), size


def _problem(message: str) -> ValidationError:
    return ValidationError.single("file", message)


class DataExportService:
    def __init__(self, db: Database, evidence_root: Callable[[], Path] | None = None):
        self._db = db
        if evidence_root is None:
            from arrs_desk.paths import evidence_dir

            evidence_root = evidence_dir
        self._evidence_root = evidence_root

    # ============================================================================ export
    def export_all(self, actor: Actor, path: Path | str, *, progress: Progress | None = None) -> ExportResult:
        """Write the whole database and its evidence to `path` (a ZIP), replacing it only when complete."""
        require(actor, Action.EXPORT_DATA)
        report = progress or (lambda done, total: None)
        path = Path(path)
        if not path.parent.is_dir():
            raise ValidationError.single("file", f"The folder {path.parent} does not exist; choose another place to save.")
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
        total = len(files) + 2
        report(0, total)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                archive.writestr(zip_entry(fmt.MANIFEST_NAME), fmt.canonical_json(manifest))
                archive.writestr(zip_entry(fmt.DATA_NAME), data_bytes)
                report(2, total)
                for done, (sha, (source, _)) in enumerate(sorted(files.items()), start=3):
                    with open(source, "rb") as handle, archive.open(zip_entry(fmt.EVIDENCE_PREFIX + sha), "w") as out:
                        while chunk := handle.read(1 << 20):
                            out.write(chunk)
                    report(done, total)
            with open(tmp, "rb+") as handle:
                os.fsync(handle.fileno())
            zip_sha, size = file_sha256(tmp)
            os.replace(tmp, path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise ValidationError.single("file", f"Cannot write {path} ({exc.strerror or exc}).") from None
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        rows = sum(n for _, n in counts)
        try:
            with self._db.write() as session:
                people = dict(counts).get("staff", 0)
                audit.record(session, actor, "export_all", "database", "",
                             f"Exported all data ({rows} rows, {len(files)} evidence files) to {path.absolute()}",
                             {"file": path.name, "sha256": zip_sha, "evidence_files": len(files),
                              **export_audit_values(what="all data", people=people, file_format="ZIP", path=path,
                                                    rows=rows)[1]})
        except BaseException:
            path.unlink(missing_ok=True)  # an export nobody can trace must not be left behind
            raise
        return ExportResult(path, rows, len(counts), len(files), size, zip_sha)

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
            sha, size = file_sha256(source, evidence.MAX_EVIDENCE_BYTES)
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
    def import_all(self, path: Path | str, *, run_by: str | None = None, progress: Progress | None = None) -> ImportResult:
        """Load a full export into this (empty) database: all of it, or none of it."""
        report = progress or (lambda done, total: None)
        path = Path(path)
        run_by = run_by or _os_user()
        problem = self.emptiness_problem()
        if problem:
            raise _problem(problem)
        checked = read_export(path)
        total = len(checked.evidence) + 1
        report(0, total)
        created = self._copy_evidence(path, checked, report, total)
        try:
            with self._db.write() as session:
                problem = self._emptiness_problem(session)  # again, inside the write: nobody slipped in since
                if problem:
                    raise _problem(problem)
                self._replace_all(session, checked.rows)
        except BaseException as exc:
            root = self._evidence_root()
            for stored_name in created:
                evidence.discard(root, stored_name)
            if isinstance(exc, SQLAlchemyError):
                raise _problem(f"{path.name} could not be loaded ({str(getattr(exc, 'orig', exc)).splitlines()[0]}). "
                               "Nothing was imported.") from exc
            raise
        report(total, total)
        rows = sum(len(r) for r in checked.rows.values())
        log.info("Full import into %s run by %s from %s (SHA-256 %s): %d rows, %d evidence files, exported by "
                 "ARRS Desk %s at %s", self._db.display_name, run_by, path, checked.sha256, rows,
                 len(checked.evidence), checked.manifest.get("app_version"), checked.manifest.get("exported_at"))
        return ImportResult(rows, len(checked.evidence), len(checked.rows.get("staff", ())),
                            str(checked.manifest.get("app_version")), str(checked.manifest.get("exported_at")),
                            checked.sha256)

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
                        raise _problem(f"The evidence file {sha} in {path.name} does not match its name.")
                    for stored_name in sorted(names):
                        if store_evidence_bytes(root, stored_name, content):
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
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_entry'"))]
            for name, _ in self._triggers:
                self._session.execute(text(f'DROP TRIGGER "{name}"'))
        else:
            self._session.execute(text("ALTER TABLE audit_entry DISABLE TRIGGER USER"))

    def __exit__(self, exc_type, exc, tb) -> None:  # noqa: ANN001
        if exc_type is not None:
            return  # the transaction rolls back, triggers and all
        if self._sqlite:
            for _, sql in self._triggers:
                self._session.execute(text(sql))
        else:
            self._session.execute(text("ALTER TABLE audit_entry ENABLE TRIGGER USER"))


# ================================================================================ reading a file
@dataclass(frozen=True)
class CheckedExport:
    manifest: dict[str, Any]
    rows: dict[str, list[dict[str, Any]]]  # decoded, ready to insert
    evidence: dict[str, set[str]]  # sha256 -> stored names that point at it
    sha256: str  # of the whole file


def zip_entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    return info


def read_member(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """A member's bytes, refusing (before reading them all) one that is bigger than `limit`."""
    try:
        info = archive.getinfo(name)
        if info.file_size > limit:
            raise _problem(f"{name} in the file is {info.file_size:,} bytes, more than the {limit:,} allowed.")
        with archive.open(info) as handle:
            content = handle.read(limit + 1)
    except KeyError:
        raise _problem(f"The file has no {name}.") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, OSError) as exc:
        raise _problem(f"{name} in the file cannot be read ({exc}); the file is damaged.") from None
    if len(content) > limit:
        raise _problem(f"{name} in the file is more than the {limit:,} bytes allowed.")
    return content


@dataclass
class OpenedArchive:
    """An export or record bundle whose manifest and data file have been checked; `archive`
    stays open for reading evidence and is closed by the `with` around `open_archive`."""

    archive: zipfile.ZipFile
    names: list[str]
    manifest: dict[str, Any]
    document: Any
    sha256: str  # of the whole file, for the log


def _kind(format_name: str) -> str:
    return "export" if format_name == fmt.FORMAT_NAME else "record bundle"


def open_archive(path: Path, format_name: str, format_version: int, max_data: int) -> OpenedArchive:
    """The checks a full export and a record bundle share: a readable ZIP holding only the
    manifest, the data file and evidence, a manifest of the right format, and a data file whose
    SHA-256 is the one the manifest gives."""
    kind = _kind(format_name)
    if not path.is_file():
        raise _problem(f"{path} is not a file.")
    try:
        file_sha, _ = file_sha256(path)
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise _problem(f"{path.name} is not an ARRS Desk {kind} (not a readable ZIP file: {exc}).") from None
    try:
        names = archive.namelist()
        if len(names) != len(set(names)):
            raise _problem(f"{path.name} holds the same name twice, so it is not an ARRS Desk {kind}.")
        unexpected = [n for n in names if n not in (fmt.MANIFEST_NAME, fmt.DATA_NAME) and not fmt.is_evidence_name(n)]
        if unexpected:
            raise _problem(f"{path.name} holds {unexpected[0][:100]!r}, which is not part of an ARRS Desk {kind}; "
                           "nothing was imported.")
        manifest = parse_document(read_member(archive, fmt.MANIFEST_NAME, fmt.MAX_MANIFEST_BYTES), fmt.MANIFEST_NAME)
        check_manifest(manifest, path.name, format_name, format_version)
        entry = manifest.get("files", {}).get(fmt.DATA_NAME) if isinstance(manifest.get("files"), dict) else None
        if not isinstance(entry, dict) or not isinstance(entry.get("sha256"), str):
            raise _problem(f"The manifest of {path.name} does not give the SHA-256 of {fmt.DATA_NAME}.")
        raw = read_member(archive, fmt.DATA_NAME, max_data)
        if hashlib.sha256(raw).hexdigest() != entry["sha256"]:
            raise _problem(f"{fmt.DATA_NAME} in {path.name} does not match the SHA-256 its manifest gives: the {kind} "
                           "has been changed or damaged since it was made. Nothing was imported.")
        document = parse_document(raw, fmt.DATA_NAME)
    except BaseException:
        archive.close()
        raise
    return OpenedArchive(archive, names, manifest, document, file_sha)


def check_evidence(opened: OpenedArchive, file_name: str, *, keep: bool) -> tuple[dict[str, set[str]], dict[str, bytes]]:
    """Every evidence file the records name is in the archive and hashes to its name. Returns
    the stored names pointing at each hash, and (with `keep`) the files' bytes."""
    refs, problems = evidence_references(opened.document["tables"])
    if problems:
        raise _problem(f"{file_name}: {problems[0]}.")
    wanted: dict[str, set[str]] = {}
    for ref in refs:
        wanted.setdefault(ref.sha256, set()).add(ref.stored_name)
    present = {n[len(fmt.EVIDENCE_PREFIX):] for n in opened.names if fmt.is_evidence_name(n)}
    missing = sorted(set(wanted) - present)
    if missing:
        raise _problem(f"{file_name} lacks {len(missing)} evidence file(s) its records refer to, for example "
                       f"{missing[0]}. Nothing was imported.")
    files: dict[str, bytes] = {}
    for sha in sorted(wanted):
        content = read_member(opened.archive, fmt.EVIDENCE_PREFIX + sha, evidence.MAX_EVIDENCE_BYTES)
        if hashlib.sha256(content).hexdigest() != sha:
            raise _problem(f"The evidence file {sha} in {file_name} does not match its name: it has been changed "
                           "or damaged. Nothing was imported.")
        if keep:
            files[sha] = content
    return wanted, files


def read_export(path: Path | str) -> CheckedExport:
    """Open and check a full export without writing anything; ValidationError says what is wrong."""
    path = Path(path)
    opened = open_archive(path, fmt.FORMAT_NAME, fmt.FORMAT_VERSION, MAX_DATA_BYTES)
    with opened.archive:
        manifest = opened.manifest
        rows = _decode_tables(opened.document, manifest, path.name)
        counted = [{"name": t.name, "rows": len(rows[t.name])} for t in tables()]
        if manifest.get("tables") != counted:
            raise _problem(f"The manifest of {path.name} does not list the tables and row counts {fmt.DATA_NAME} holds.")
        listed = _listed_evidence(manifest, path.name)
        wanted, _ = check_evidence(opened, path.name, keep=False)
        present = {n[len(fmt.EVIDENCE_PREFIX):] for n in opened.names if fmt.is_evidence_name(n)}
        extra = sorted((present | set(listed)) - set(wanted))
        if extra:
            raise _problem(f"{path.name} holds the evidence file {extra[0]}, which no record refers to.")
    return CheckedExport(manifest, rows, wanted, opened.sha256)


def parse_document(raw: bytes, what: str) -> Any:
    try:
        document = fmt.parse_json(raw, what)
    except fmt.FormatProblem as exc:
        raise _problem(f"{exc}; the file is damaged or not an ARRS Desk export.") from None
    if not isinstance(document, dict):
        raise _problem(f"{what} does not hold a JSON object; the file is not an ARRS Desk export.")
    return document


def check_manifest(manifest: dict[str, Any], file_name: str, format_name: str, format_version: int) -> None:
    """Format, version and schema revision, each refused with a message that says what to do."""
    if manifest.get("format") != format_name:
        raise _problem(f"{file_name} is not an ARRS Desk {_kind(format_name)} "
                       f"(its manifest says format {str(manifest.get('format'))[:60]!r}).")
    made_by = str(manifest.get("app_version", "an unknown version"))[:40]
    if manifest.get("format_version") != format_version:
        raise _problem(f"{file_name} uses version {str(manifest.get('format_version'))[:20]} of the format, made by "
                       f"ARRS Desk {made_by}; this version of ARRS Desk reads version {format_version}.")
    revision = manifest.get("schema_revision")
    if revision != head_revision():
        newer = isinstance(revision, str) and revision > head_revision()
        raise _problem(
            f"{file_name} was made by ARRS Desk {made_by} (database schema {str(revision)[:20]}); this ARRS Desk uses "
            f"schema {head_revision()}. " + ("Install that version of ARRS Desk or later to import it."
                                             if newer else "Open the file with the version that made it, upgrade "
                                             "that installation, and export again.")
        )


def _listed_evidence(manifest: dict[str, Any], file_name: str) -> list[str]:
    listed = manifest.get("evidence", [])
    if not isinstance(listed, list) or not all(isinstance(e, dict) and isinstance(e.get("sha256"), str)
                                                and fmt.SHA256_PATTERN.match(e["sha256"]) for e in listed):
        raise _problem(f"The manifest of {file_name} has a malformed evidence list.")
    return [e["sha256"] for e in listed]


def _decode_tables(document: dict[str, Any], manifest: dict[str, Any], file_name: str) -> dict[str, list[dict[str, Any]]]:
    if document.get("format") != manifest.get("format") or document.get("schema_revision") != manifest.get("schema_revision"):
        raise _problem(f"{fmt.DATA_NAME} in {file_name} does not belong with its manifest.")
    found = document.get("tables")
    if not isinstance(found, dict):
        raise _problem(f"{fmt.DATA_NAME} in {file_name} has no tables.")
    expected = {t.name: t for t in tables()}
    if set(found) != set(expected):
        odd = sorted(set(found) ^ set(expected))
        raise _problem(f"{fmt.DATA_NAME} in {file_name} does not have this version's tables (differs at {odd[0][:60]!r}).")
    decoded: dict[str, list[dict[str, Any]]] = {}
    for name, table in expected.items():
        rows = found[name]
        if not isinstance(rows, list):
            raise _problem(f"Table {name} in {file_name} is not a list of rows.")
        columns = {c.name: (column_kind(c), bool(c.nullable), getattr(c.type, "length", None)) for c in table.columns}
        out = []
        for index, row in enumerate(rows, start=1):
            if not isinstance(row, dict) or set(row) != set(columns):
                raise _problem(f"Row {index} of table {name} in {file_name} does not have this table's columns.")
            values = {}
            for column, (kind, nullable, length) in columns.items():
                try:
                    values[column] = fmt.decode(kind, row[column], nullable, length)
                except fmt.FormatProblem as exc:
                    raise _problem(f"Row {index} of table {name} in {file_name}, column {column}: {exc}.") from None
            out.append(values)
        decoded[name] = out
    return decoded


def store_evidence_bytes(root: Path, stored_name: str, content: bytes) -> bool:
    """Store content under its evidence name unless already there; True when this call made it."""
    match = _STORED_NAME.match(stored_name)
    if not match:  # checked when the file was read; never write a name that could leave the folder
        raise _problem(f"{stored_name[:80]!r} is not a stored evidence name.")
    folder = root / stored_name[:2]
    final = folder / stored_name
    if final.is_file():
        return False
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp_name = tempfile.mkstemp(prefix=".incoming-", suffix=".partial", dir=folder)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp_name, final)
    except OSError as exc:
        Path(tmp_name).unlink(missing_ok=True)
        raise _problem(f"Cannot copy evidence into {root} ({exc.strerror or exc}); nothing was imported.") from None
    return True


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        return "(unknown)"

