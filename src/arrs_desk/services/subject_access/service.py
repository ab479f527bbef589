"""`SubjectAccessService`: one person's subject access copy, a PDF to read and a ZIP a machine can
read, written side by side into a folder the actor chooses and recorded in the audit trail.

The person themself may make their own at any time (their private notes included); an
administrator may make one for anyone, to answer a request (private notes are then listed as held,
with dates, but not printed: the administrator may not read them, and the person can make their
own copy with them). The ZIP is the record bundle's format with the extra tables a bundle leaves
out, so anything that reads a bundle reads it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from arrs_desk import __version__, clock
from arrs_desk.domain import export_format as fmt
from arrs_desk.domain import staff as staff_rules
from arrs_desk.domain.permissions import Action, denial
from arrs_desk.errors import ValidationError
from arrs_desk.paths import create_private_file, private_folder
from arrs_desk.services import audit
from arrs_desk.services._common import get_or_404, require
from arrs_desk.services.audit_log import ACTION_LABELS
from arrs_desk.services.actor import Actor
from arrs_desk.services.export_archive import evidence_references, kept_sha256, write_archive
from arrs_desk.services.exports import export_audit_values
from arrs_desk.services.record_bundle import RecordBundleService
from arrs_desk.services.relationships import relationship
from arrs_desk.services.subject_access.gather import extra_tables, private_notes_held
from arrs_desk.store.database import Database
from arrs_desk.store.models import Staff

FORMAT_NAME = "arrs-desk-subject-access"


@dataclass(frozen=True)
class SubjectAccessResult:
    pdf: Path
    archive: Path
    rows: int
    evidence_files: int
    private_notes_included: bool


def _safe_stem(name: str) -> str:
    kept = "".join(ch if ch.isalnum() else "-" for ch in staff_rules.search_key(name))
    return "-".join(part for part in kept.split("-") if part)[:60] or "person"


class SubjectAccessService:
    def __init__(self, db: Database, today: Callable[[], date], evidence_root: Callable[[], Path] | None = None):
        self._db = db
        self._today = today
        if evidence_root is None:
            from arrs_desk.paths import evidence_dir

            evidence_root = evidence_dir
        self._evidence_root = evidence_root
        self._bundles = RecordBundleService(db, today, evidence_root)

    def export(self, actor: Actor, *, staff_id: int, folder: Path | str) -> SubjectAccessResult:
        from arrs_desk.reports.subject_access_pdf import write_subject_access_pdf

        if not Path(folder).parent.is_dir():
            raise ValidationError.single("folder", f"The folder {folder} cannot be made: its parent does not exist.")
        with self._db.read() as session:
            if not self._db.is_sqlite:
                session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            link = relationship(session, actor, staff_id, self._today())
            require(actor, Action.SUBJECT_ACCESS, link)
            person = get_or_404(session, Staff, staff_id, "staff member")
            private = denial(actor.roles, Action.READ_REFLECTIONS, link) is None
            document = self._bundles.person_document(session, person=person, private=private)
            extra = extra_tables(session, person)
            held = {} if private else {"private_notes_held": private_notes_held(session, person)}
            administrator = denial(actor.roles, Action.VIEW_AUDIT) is None
            for entry in extra["audit_entry"]:
                entry["action_label"] = ACTION_LABELS.get(entry["action"], entry["action"])
                if not administrator:
                    entry["changes"] = {}  # the trail's details are an administrator's to read; what and when stay
            name = staff_rules.display_name(person.given_name, person.family_name, person.preferred_name)
        document = {**document, **held, "format": FORMAT_NAME, "tables": {**document["tables"], **extra},
                    "made_for": name, "made_by": actor.display_name, "made_at": clock.now().isoformat(timespec="seconds")}
        files = self._evidence(document)
        try:
            folder = private_folder(folder)  # a new folder is owner-only; one the user chose is left as it is
        except OSError as exc:
            raise ValidationError.single("folder", f"Cannot use the folder {folder} ({exc.strerror or exc}).") from None
        stem = f"{_safe_stem(name)}-subject-access-{self._today():%Y-%m-%d}"
        pdf, archive = folder / f"{stem}.pdf", folder / f"{stem}.zip"
        data_bytes = fmt.canonical_json(document)
        rows = sum(len(r) for r in document["tables"].values()) + 1
        manifest = {
            "format": FORMAT_NAME, "format_version": 1, "app_version": __version__,
            "schema_revision": document["schema_revision"], "exported_at": document["made_at"],
            "exported_by": {"username": actor.username, "name": actor.display_name}, "person": name,
            "private_notes_included": private,
            "tables": [{"name": table, "rows": len(found)} for table, found in sorted(document["tables"].items())],
            "files": {fmt.DATA_NAME: {"sha256": hashlib.sha256(data_bytes).hexdigest(), "size": len(data_bytes)}},
            "evidence": [{"sha256": sha, "size": p.stat().st_size} for sha, p in sorted(files.items())],
        }
        create_private_file(pdf)  # owner-only before the first byte of personal data is written
        write_subject_access_pdf(pdf, document, evidence_files=[(sha, p.stat().st_size) for sha, p in files.items()],
                                 private_included=private, zone=clock.UK)
        try:
            sha, _size = write_archive(archive, manifest, data_bytes, files.items(), key=self._db.key)
            with self._db.write() as session:
                audit.record(session, actor, "subject_access", "staff", staff_id,
                             f"Made a subject access copy of everything held about {name} ({pdf.name} and "
                             f"{archive.name})",
                             {"pdf": [None, pdf.name], "archive": [None, archive.name], "sha256": [None, sha],
                              "private_notes_included": [None, private],
                              **export_audit_values(what=f"everything held about {name}", people=1, file_format="ZIP",
                                                    path=archive, rows=rows)[1]},
                             subject_staff_id=staff_id)
        except BaseException:
            pdf.unlink(missing_ok=True)
            archive.unlink(missing_ok=True)
            raise
        return SubjectAccessResult(pdf, archive, rows, len(files), private)

    def _evidence(self, document: dict) -> dict[str, Path]:
        """The evidence files the rows name that this computer holds; any it does not hold are named
        in the document's notes, so the copy never claims a file it does not contain."""
        refs, _problems = evidence_references(document["tables"])
        root = self._evidence_root()
        files: dict[str, Path] = {}
        for ref in sorted(refs, key=lambda r: r.stored_name):
            source = root / ref.stored_name[:2] / ref.stored_name
            if source.is_file() and kept_sha256(source, self._db.key)[0] == ref.sha256:
                files[ref.sha256] = source
        missing = len(refs) - len(files)
        if missing:
            document.setdefault("notes", []).append(
                f"{missing} evidence file{'s are' if missing != 1 else ' is'} named in the records but not in this "
                "computer's evidence folder, so not included; ask the PCN for a copy from the PC that holds it.")
        return files
