"""The ZIP file both kinds of export are made of, in one place: a full export (`data_export`)
and one person's record bundle (`record_bundle`) share its entries, the checks made on opening
one, the evidence files it carries and how its rows are decoded against the schema.

Nothing here writes to the database; every problem with a file is a `ValidationError` on the
field "file" whose message says what is wrong and that nothing was imported. The format itself
is described in docs/export-format.md and its value encodings live in `domain.export_format`.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Float, Integer, LargeBinary, Numeric, String, Table
from sqlalchemy import JSON as SAJSON

from arrs_desk.domain import export_format as fmt
from arrs_desk.errors import ValidationError
from arrs_desk.paths import private_folder
from arrs_desk.services import evidence
from arrs_desk.store import file_cipher
from arrs_desk.store.cipher import SQLITE_HEADER, DatabaseKey, WrongKey
from arrs_desk.store.schema import head_revision

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
"""Every entry but the manifest gets this time, so the ZIP's only moving part is the manifest."""

_STORED_NAME = re.compile(r"^([0-9a-f]{64})(\.[a-z]{3,4})$")
_EXTENSIONS = {k.extension for k in evidence.KINDS}
_EXTENSION_BY_MEDIA = {k.media_type: k.extension for k in evidence.KINDS}


def file_problem(message: str) -> ValidationError:
    """What is wrong with a file being read or written, shown against its "file" field."""
    return ValidationError.single("file", message)


# ================================================================================ rows
def column_kind(column) -> str:  # noqa: ANN001
    """How the format encodes a column's values (`domain.export_format`), from its SQL type."""
    type_ = column.type
    impl = getattr(type_, "impl", type_)
    impl = impl() if isinstance(impl, type) else impl
    for klass, kind in ((Boolean, fmt.BOOLEAN), (DateTime, fmt.DATETIME), (Date, fmt.DATE), (Float, fmt.FLOAT),
                        (Numeric, fmt.DECIMAL), (Integer, fmt.INTEGER), (SAJSON, fmt.JSON_VALUE),
                        (LargeBinary, fmt.BYTES), (String, fmt.TEXT)):
        if isinstance(impl, klass):
            return kind
    raise TypeError(f"{column.table.name}.{column.name}: no export encoding for {type_!r}")


_JSON_SHAPES = {
    "roles": "list of text", "registers": "list of text", "tags": "list of text",
    "sections": "list of objects", "milestones": "list of objects", "domains": "list of objects",
    "schedule": "list", "answers": "object", "counts": "object", "changes": "object",
    "template_versions": "object",
}
"""The shape the app reads each JSON column as, by column name; a column not named here may hold any
JSON value (its strings and numbers are still checked)."""


_FILE_NAMES = {
    "induction_evidence": ("original_name", "media_type"), "programme_evidence": ("original_name", "media_type"),
    "revalidation_file": ("original_name", "media_type"),
    "supervision_arrangement": ("agreement_filename", "agreement_media_type"),
    "induction_prior_record": ("evidence_filename", "evidence_media_type"),
}
"""The columns naming an evidence file, by table (with the column of its media type)."""


def decode_rows(table: Table, rows: list[Any], where: str) -> list[dict[str, Any]]:
    """Each row of `table` read back from the file, every value checked against its column.
    `where` names the rows in messages ("table staff in export.zip").

    An evidence file's name is cleaned as one chosen on this PC is (`evidence.clean_name`): the name in
    a file from elsewhere is outside data, and may come from a release before names were cleaned;
    refusing a whole restore for a bidi character or a slash in one name would help nobody."""
    columns = {c.name: (column_kind(c), bool(c.nullable), getattr(c.type, "length", None)) for c in table.columns}
    file_name = _FILE_NAMES.get(table.name)
    shapes = {name: _JSON_SHAPES[name] for name, (kind, _, _) in columns.items()
              if kind == fmt.JSON_VALUE and name in _JSON_SHAPES}
    out = []
    for index, row in enumerate(rows, start=1):
        if not isinstance(row, dict) or set(row) != set(columns):
            raise file_problem(f"Row {index} of {where} does not have this table's columns.")
        values = {}
        for column, (kind, nullable, length) in columns.items():
            try:
                values[column] = fmt.decode(kind, row[column], nullable, length)
                if column in shapes:
                    fmt.check_json_shape(values[column], shapes[column])
            except fmt.FormatProblem as exc:
                raise file_problem(f"Row {index} of {where}, column {column}: {exc}.") from None
        if file_name is not None and values[file_name[0]]:
            name, media_type = file_name
            values[name] = evidence.clean_name(values[name], _EXTENSION_BY_MEDIA.get(values[media_type], ""))
        out.append(values)
    return out


# ================================================================================ evidence
@dataclass(frozen=True, slots=True)
class EvidenceRef:
    sha256: str
    stored_name: str


def evidence_references(data: dict[str, list[dict[str, Any]]]) -> tuple[set[EvidenceRef], list[str]]:
    """The evidence files the rows point at, and a problem for each reference that is malformed.

    Induction and programme evidence rows, and files on CPD entries and revalidation evidence, name
    their stored file; a supervision agreement, and
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

    for table in ("induction_evidence", "programme_evidence", "revalidation_file"):
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
    """(SHA-256, size) of a file, read in chunks; past `limit` bytes it stops reading."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            size += len(chunk)
            if limit is not None and size > limit:
                break
            digest.update(chunk)
    return digest.hexdigest(), size


def kept_sha256(path: Path, key: DatabaseKey | None, limit: int | None = None) -> tuple[str, int]:
    """(SHA-256, size) of a kept evidence file's plain content (decrypted when the database is
    encrypted): what its name says it is."""
    if key is None:
        return file_sha256(path, limit)
    content = evidence.plain_bytes(path, key)
    return hashlib.sha256(content).hexdigest(), len(content)


def store_evidence_bytes(root: Path, stored_name: str, content: bytes, key: DatabaseKey | None = None) -> bool:
    """Store content under its evidence name unless already there, sealed when `key` is given (an
    encrypted database); True when this call made it."""
    match = _STORED_NAME.match(stored_name)
    if not match:  # checked when the file was read; never write a name that could leave the folder
        raise file_problem(f"{stored_name[:80]!r} is not a stored evidence name.")
    folder = root / stored_name[:2]
    final = folder / stored_name
    if final.is_file():
        return False
    private_folder(folder)
    fd, tmp_name = tempfile.mkstemp(prefix=".incoming-", suffix=".partial", dir=folder)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(content if key is None else file_cipher.encrypt_bytes(content, evidence.file_key(key)))
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp_name, final)
    except OSError as exc:
        Path(tmp_name).unlink(missing_ok=True)
        raise file_problem(f"Cannot copy evidence into {root} ({exc.strerror or exc}); "
                           "nothing was imported.") from None
    return True


# ================================================================================ encrypted exports
EXPORT_PURPOSE = "export"
"""`DatabaseKey.subkey` purpose of the key a full export is sealed with."""


def is_encrypted_export(path: Path | str) -> bool:
    """Whether `path` is a full export sealed with a passphrase (`seal_export`)."""
    return file_cipher.export_salt(path) is not None


def seal_export(plain: Path, path: Path, key: DatabaseKey) -> None:
    """Write the encrypted form of the finished ZIP `plain` to `path`: AES-256-GCM under a key
    derived from `key` (the database's, or one made from the passphrase chosen for the export),
    with its salt in the header, so the same passphrase opens it on any PC (`opened_export`)."""
    file_cipher.seal_export(plain, path, key.subkey(EXPORT_PURPOSE), key.salt)


@contextmanager
def opened_export(path: Path, passphrase: str | None) -> Iterator[Path]:
    """The plain ZIP of an encrypted export, decrypted into an owner-only temporary folder for the
    `with` block and removed after it. A missing or wrong passphrase is a ValidationError on the
    "passphrase" field, raised before anything is written anywhere else."""
    salt = file_cipher.export_salt(path)
    if salt is None:
        yield path
        return
    if not passphrase:
        raise ValidationError.single("passphrase", (
            f"{path.name} is encrypted. Enter the passphrase it was exported with (an encrypted database's "
            "export opens with that database's passphrase) to load it."))
    key = DatabaseKey.from_passphrase(passphrase, salt)
    folder = Path(tempfile.mkdtemp(prefix="arrs-desk-import-"))  # owner-only (0700) on every platform
    plain = folder / path.name
    try:
        try:
            file_cipher.open_export(path, plain, key.subkey(EXPORT_PURPOSE))
        except WrongKey as exc:
            raise ValidationError.single("passphrase", exc.message) from None
        yield plain
    finally:
        plain.unlink(missing_ok=True)
        folder.rmdir()


# ================================================================================ the archive
def zip_entry(name: str) -> zipfile.ZipInfo:
    """An entry that is the same in every export of the same data (fixed time, deflated, private)."""
    info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    return info


def write_archive(path: Path, manifest: dict[str, Any], data_bytes: bytes, evidence_files: Iterable[tuple[str, Path]],
                  progress: Callable[[int, int], None] | None = None, key: DatabaseKey | None = None) -> tuple[str, int]:
    """Write the manifest, the data file and each (SHA-256, source) evidence file to `path`,
    through a temporary file beside it, so `path` is replaced only once the whole file is written
    and on disk. Returns the file's (SHA-256, size); `progress(done, total)` counts entries.
    `key`: the database's, to put the plain content of evidence kept encrypted in the archive."""
    report = progress or (lambda done, total: None)
    files = sorted(evidence_files)
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
            for done, (sha, source) in enumerate(files, start=3):
                if key is not None:
                    archive.writestr(zip_entry(fmt.EVIDENCE_PREFIX + sha), evidence.plain_bytes(source, key))
                    report(done, total)
                    continue
                with open(source, "rb") as handle, archive.open(zip_entry(fmt.EVIDENCE_PREFIX + sha), "w") as out:
                    while chunk := handle.read(1 << 20):
                        out.write(chunk)
                report(done, total)
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        written = file_sha256(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise file_problem(f"Cannot write {path} ({exc.strerror or exc}).") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return written


MAX_EXPANSION = 100
"""How many times its compressed size a member may grow to when read. Our JSON deflates about ten
to one (twenty for the most repetitive tables) and evidence (PDFs, scans) barely at all; a zip bomb (a stream of zeros) deflates a thousand
to one, so it is refused after reading at most this many times the bytes the file actually holds."""
SMALL_MEMBER = 1024 * 1024
"""Below this, a member may expand by any ratio (a tiny manifest of repeated keys is no threat)."""
_CHUNK = 1 << 20


def read_member(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """A member's bytes, read in chunks and refused as soon as they pass the smaller of `limit` and
    MAX_EXPANSION times the member's compressed size, whatever size its header declares; a header
    that declares more than `limit`, or a size other than the one read, is refused too."""
    try:
        info = archive.getinfo(name)
        if info.file_size > limit:
            raise file_problem(f"{name} in the file is {info.file_size:,} bytes, more than the {limit:,} allowed.")
        allowed = min(limit, max(SMALL_MEMBER, info.compress_size * MAX_EXPANSION))
        buffer = bytearray()
        with archive.open(info) as handle:
            while chunk := handle.read(min(_CHUNK, allowed + 1 - len(buffer))):
                buffer += chunk
                if len(buffer) > allowed:
                    break
        expanded = len(buffer) > allowed
        content = b"" if expanded else bytes(buffer)
        del buffer
    except KeyError:
        raise file_problem(f"The file has no {name}.") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, OSError) as exc:
        raise file_problem(f"{name} in the file cannot be read ({exc}); the file is damaged.") from None
    if expanded and allowed == limit:
        raise file_problem(f"{name} in the file is more than the {limit:,} bytes allowed.")
    if expanded:
        raise file_problem(f"{name} in the file expands to more than {MAX_EXPANSION} times its stored size "
                           f"({info.compress_size:,} bytes): it is not an ARRS Desk file (it looks like a "
                           "'zip bomb'). Nothing was imported.")
    if len(content) != info.file_size:
        raise file_problem(f"{name} in the file holds {len(content):,} bytes but its header says "
                           f"{info.file_size:,}: the file is damaged. Nothing was imported.")
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


def _looks_like_a_database(path: Path) -> bool:
    """A SQLite file, or one named as ARRS Desk names its databases and backups (an encrypted one
    has no readable header): chosen by mistake for an export, it was called "not a readable ZIP
    file", which did not say where a backup goes."""
    try:
        with path.open("rb") as file:
            header = file.read(len(SQLITE_HEADER))
    except OSError:
        return False
    return header == SQLITE_HEADER or path.suffix.lower() in (".sqlite3", ".sqlite", ".db")


def open_archive(path: Path, format_name: str, format_version: int, max_data: int) -> OpenedArchive:
    """The checks a full export and a record bundle share: a readable ZIP holding only the
    manifest, the data file and evidence, a manifest of the right format, and a data file whose
    SHA-256 is the one the manifest gives."""
    kind = _kind(format_name)
    if not path.is_file():
        raise file_problem(f"{path} is not a file.")
    try:
        file_sha, _ = file_sha256(path)
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        if _looks_like_a_database(path):
            raise file_problem(f"{path.name} is a database or a backup of one, not an ARRS Desk {kind}. To go back "
                               "to a backup, use File > Restore from backup…; to open another database, File > "
                               "Open database….") from None
        raise file_problem(f"{path.name} is not an ARRS Desk {kind} (not a readable ZIP file: {exc}).") from None
    try:
        names = archive.namelist()
        if len(names) != len(set(names)):
            raise file_problem(f"{path.name} holds the same name twice, so it is not an ARRS Desk {kind}.")
        unexpected = [n for n in names if n not in (fmt.MANIFEST_NAME, fmt.DATA_NAME) and not fmt.is_evidence_name(n)]
        if unexpected:
            raise file_problem(f"{path.name} holds {unexpected[0][:100]!r}, which is not part of an ARRS Desk "
                               f"{kind}; nothing was imported.")
        manifest = parse_document(read_member(archive, fmt.MANIFEST_NAME, fmt.MAX_MANIFEST_BYTES), fmt.MANIFEST_NAME)
        check_manifest(manifest, path.name, format_name, format_version)
        entry = manifest.get("files", {}).get(fmt.DATA_NAME) if isinstance(manifest.get("files"), dict) else None
        if not isinstance(entry, dict) or not isinstance(entry.get("sha256"), str):
            raise file_problem(f"The manifest of {path.name} does not give the SHA-256 of {fmt.DATA_NAME}.")
        raw = read_member(archive, fmt.DATA_NAME, max_data)
        if hashlib.sha256(raw).hexdigest() != entry["sha256"]:
            raise file_problem(f"{fmt.DATA_NAME} in {path.name} does not match the SHA-256 its manifest gives: the "
                               f"{kind} has been changed or damaged since it was made. Nothing was imported.")
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
        raise file_problem(f"{file_name}: {problems[0]}.")
    wanted: dict[str, set[str]] = {}
    for ref in refs:
        wanted.setdefault(ref.sha256, set()).add(ref.stored_name)
    present = {n[len(fmt.EVIDENCE_PREFIX):] for n in opened.names if fmt.is_evidence_name(n)}
    missing = sorted(set(wanted) - present)
    if missing:
        raise file_problem(f"{file_name} lacks {len(missing)} evidence file(s) its records refer to, for example "
                           f"{missing[0]}. Nothing was imported.")
    files: dict[str, bytes] = {}
    for sha in sorted(wanted):
        content = read_member(opened.archive, fmt.EVIDENCE_PREFIX + sha, evidence.MAX_EVIDENCE_BYTES)
        if hashlib.sha256(content).hexdigest() != sha:
            raise file_problem(f"The evidence file {sha} in {file_name} does not match its name: it has been "
                               "changed or damaged. Nothing was imported.")
        if keep:
            files[sha] = content
    return wanted, files


def parse_document(raw: bytes, what: str) -> Any:
    try:
        document = fmt.parse_json(raw, what)
    except fmt.FormatProblem as exc:
        raise file_problem(f"{exc}; the file is damaged or not an ARRS Desk export.") from None
    if not isinstance(document, dict):
        raise file_problem(f"{what} does not hold a JSON object; the file is not an ARRS Desk export.")
    return document


def check_manifest(manifest: dict[str, Any], file_name: str, format_name: str, format_version: int) -> None:
    """Format, version and schema revision, each refused with a message that says what to do."""
    if manifest.get("format") != format_name:
        raise file_problem(f"{file_name} is not an ARRS Desk {_kind(format_name)} "
                           f"(its manifest says format {str(manifest.get('format'))[:60]!r}).")
    made_by = str(manifest.get("app_version", "an unknown version"))[:40]
    if manifest.get("format_version") != format_version:
        raise file_problem(f"{file_name} uses version {str(manifest.get('format_version'))[:20]} of the format, "
                           f"made by ARRS Desk {made_by}; this version of ARRS Desk reads version {format_version}.")
    revision = manifest.get("schema_revision")
    if revision != head_revision():
        newer = isinstance(revision, str) and revision > head_revision()
        raise file_problem(
            f"{file_name} was made by ARRS Desk {made_by} (database schema {str(revision)[:20]}); this ARRS Desk uses "
            f"schema {head_revision()}. " + ("Install that version of ARRS Desk or later to import it."
                                             if newer else "Open the file with the version that made it, upgrade "
                                             "that installation, and export again.")
        )

