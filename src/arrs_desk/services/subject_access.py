"""Subject access (issue 20 item 3): "Everything we hold about this person", as one PDF to read
and a machine-readable ZIP beside it (data.json with every row, and the evidence files).

The person may print their own; an administrator may print anyone's (to answer a request made
to the practice). Its base is the record bundle's document (every row keyed to the person, with
the names of the people those rows point at), to which are added what the bundle leaves out
because it is no use to a new PCN but is held about the person all the same: their sign-in
account (never its password hash), the audit trail entries about them, legal holds and the
destruction log, and which check-ins they have answered (the answers themselves are anonymous
and cannot be found again, so they are not in it: the document says so). Private reflective
notes are included only when the one printing may read them (the person always may). Both
files are written owner-only and recorded in the audit trail.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import select

from arrs_desk import __version__, clock
from arrs_desk.domain import export_format as fmt
from arrs_desk.domain.permissions import AccessRole, Action, denial
from arrs_desk.errors import PermissionDenied, ValidationError
from arrs_desk.paths import private_folder
from arrs_desk.reports.subject_access_pdf import SarData, SarSection, build_subject_access_pdf
from arrs_desk.services import audit
from arrs_desk.services._common import get_or_404
from arrs_desk.services.actor import Actor
from arrs_desk.services.export_archive import evidence_references, file_sha256, write_archive
from arrs_desk.services.exports import export_audit_values, save_audited
from arrs_desk.services.record_bundle import RecordBundleService
from arrs_desk.services.relationships import relationship
from arrs_desk.store.database import Database
from arrs_desk.store.models import (
    AuditEntry, CheckinCompletion, DestructionEntry, RetentionHold, Staff, UserAccount,
)

FORMAT_NAME = "arrs-desk-subject-access"
FORMAT_VERSION = 1
ACCOUNT_FIELDS = ("username", "display_name", "roles", "active", "must_change_password", "last_login_at",
                  "created_at")


@dataclass(frozen=True, slots=True)
class SubjectAccessResult:
    pdf: Path
    zip: Path
    records: int
    evidence_files: int


def _label(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _value(value: Any) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(_value(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_value(v)}" for k, v in value.items())
    return str(value)


class SubjectAccessService:
    def __init__(self, db: Database, today: Callable[[], date], bundles: RecordBundleService,
                 evidence_root: Callable[[], Path] | None = None):
        self._db = db
        self._today = today
        self._bundles = bundles
        if evidence_root is None:
            from arrs_desk.paths import evidence_dir

            evidence_root = evidence_dir
        self._evidence_root = evidence_root

    def save(self, actor: Actor, *, staff_id: int, folder: Path | str) -> SubjectAccessResult:
        """Write the PDF and the ZIP into `folder` (made owner-only if it is new)."""
        is_self = actor.staff_id is not None and actor.staff_id == staff_id
        if not is_self and not actor.has(AccessRole.ADMINISTRATOR):
            raise PermissionDenied("You can print everything held about yourself; only an administrator can print "
                                   "it for someone else.")
        with self._db.read() as session:
            person = get_or_404(session, Staff, staff_id, "staff member")
            rel = relationship(session, actor, staff_id, self._today())
            private = is_self or denial(actor.roles, Action.READ_REFLECTIONS, rel) is None
            document = self._bundles._document(session, person, private)  # the record bundle's rows, as its base
            extra = self._extra(session, staff_id)
            name = f"{person.given_name} {person.family_name}"
            organisation = document["person"].get("pcn", "")
        document = {**document, "format": FORMAT_NAME, "format_version": FORMAT_VERSION, "held_elsewhere": extra}
        try:
            target = private_folder(folder)
        except OSError as exc:
            raise ValidationError.single("folder", f"Cannot use the folder {folder} ({exc.strerror or exc}).") from None
        stem = f"everything-we-hold-{staff_id}-{self._today():%Y-%m-%d}"
        zip_path, pdf_path = target / f"{stem}.zip", target / f"{stem}.pdf"
        files = self._evidence(document)
        data_bytes = fmt.canonical_json(document)
        manifest = {"format": FORMAT_NAME, "format_version": FORMAT_VERSION, "app_version": __version__,
                    "exported_at": clock.now().isoformat(timespec="seconds"),
                    "exported_by": {"username": actor.username, "name": actor.display_name}, "person": name,
                    "private_notes_included": private,
                    "files": {fmt.DATA_NAME: {"sha256": hashlib.sha256(data_bytes).hexdigest(),
                                              "size": len(data_bytes)}},
                    "evidence": [{"sha256": sha, "size": p.stat().st_size} for sha, p in sorted(files.items())]}
        sha, _ = write_archive(zip_path, manifest, data_bytes, files.items())
        sections = self._sections(document, extra)
        records = sum(len(s.rows) for s in sections)
        notes = ("This is every record ARRS Desk holds about you in this database, for a subject access request. "
                 f"The file {zip_path.name} beside it holds the same records as data, with your evidence files.",
                 "Check-in answers are anonymous: they are stored without your name and cannot be found again, so "
                 "only which check-ins you have answered is listed.",
                 "Private reflective notes are included." if private else
                 "Private reflective notes are not included: only you (and those you share them with) may read "
                 "them; print this document yourself to have them.", *document.get("notes", []))
        data = SarData(name, organisation, self._today(), actor.display_name, notes, sections)
        try:
            with self._db.write() as session:
                audit.record(session, actor, "export", "subject_access", staff_id,
                             f"Saved everything held about {name} (machine-readable) to {zip_path.absolute()}",
                             {"sha256": sha, **export_audit_values(what=f"everything held about {name}", people=1,
                                                                   file_format="ZIP", path=zip_path,
                                                                   rows=records)[1]},
                             subject_staff_id=staff_id)
        except BaseException:
            zip_path.unlink(missing_ok=True)
            raise
        save_audited(self._db, actor, pdf_path, record="subject_access", what=f"everything held about {name}",
                     file_format="PDF", write=lambda p: build_subject_access_pdf(p, data), people=1,
                     subject_staff_id=staff_id, action="print")
        return SubjectAccessResult(pdf_path, zip_path, records, len(files))

    def _extra(self, session, staff_id: int) -> dict[str, list[dict[str, Any]]]:
        accounts = [{f: fmt.encode(getattr(a, f)) for f in ACCOUNT_FIELDS} for a in session.execute(
            select(UserAccount).where(UserAccount.staff_id == staff_id)).scalars()]
        trail = [{"at": fmt.encode(e.at if e.at.tzinfo else e.at.replace(tzinfo=timezone.utc)), "by": e.actor_name,
                  "action": e.action, "summary": e.summary} for e in session.execute(
            select(AuditEntry).where(AuditEntry.subject_staff_id == staff_id).order_by(AuditEntry.at, AuditEntry.id)
        ).scalars()]
        holds = [{"reason": h.reason, "placed_by": h.placed_by, "placed_at": fmt.encode(h.placed_at)}
                 for h in session.execute(select(RetentionHold).where(RetentionHold.staff_id == staff_id)).scalars()]
        destroyed = [{"at": fmt.encode(d.at), "by": d.actor_name, "what": d.record_class, "rule": d.rule_code,
                      "removed": d.removed} for d in session.execute(
            select(DestructionEntry).where(DestructionEntry.staff_id == staff_id)).scalars()]
        checkins = [{"months_in_post": m} for m in session.execute(
            select(CheckinCompletion.months).where(CheckinCompletion.staff_id == staff_id)
            .order_by(CheckinCompletion.months)).scalars()]
        return {"sign_in_account": accounts, "audit_trail": trail, "legal_hold": holds, "destruction_log": destroyed,
                "checkins_answered": checkins}

    def _evidence(self, document: dict[str, Any]) -> dict[str, Path]:
        refs, _problems = evidence_references(document["tables"])
        root = self._evidence_root()
        files: dict[str, Path] = {}
        for ref in refs:
            source = root / ref.stored_name[:2] / ref.stored_name
            if source.is_file() and file_sha256(source)[0] == ref.sha256:
                files[ref.sha256] = source
        missing = len(refs) - len(files)
        if missing:  # the rows still name them; the document must not claim files it does not hold
            document.setdefault("notes", []).append(
                f"{missing} evidence file(s) are not in this computer's evidence folder and are not included.")
        return files

    @staticmethod
    def _sections(document: dict[str, Any], extra: dict[str, list[dict[str, Any]]]) -> tuple[SarSection, ...]:
        person = document["person"]
        staff = {k: v for k, v in person["staff"].items() if k not in ("version",)}
        summary = [(_label(k), _value(v)) for k, v in staff.items()]
        summary += [("Role", person.get("role_title", "")), ("Employer", person.get("employer", "")),
                    ("Practices", ", ".join(person.get("practices", []))),
                    ("Line manager", person.get("line_manager", ""))]
        sections = [SarSection("Your staff record", (tuple(summary),))]
        for table, rows in document["tables"].items():
            sections.append(SarSection(_label(table), tuple(
                tuple((_label(k), _value(v)) for k, v in row.items()) for row in rows)))
        for key, rows in extra.items():
            sections.append(SarSection(_label(key), tuple(
                tuple((_label(k), _value(v)) for k, v in row.items()) for row in rows)))
        people = document.get("people", {})
        named = [(f"Staff {i}", n) for i, n in people.get("staff", {}).items()]
        named += [(f"Outside the PCN {i}", _value(e)) for i, e in people.get("external", {}).items()]
        sections.append(SarSection("People your records name", (tuple(named),) if named else ()))
        return tuple(sections)

