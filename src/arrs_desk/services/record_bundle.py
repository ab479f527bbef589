"""A person's record bundle: one member of staff's record and evidence, to take to another PCN.

The bundle (format `arrs-desk-person-bundle`, see docs/export-format.md) holds the staff row and
every row keyed to the person: induction checklists, items and evidence; supervision
arrangements, the sessions they attended and their own attendance rows; programme enrolments
with milestones, competencies, evidence, pauses, extensions and protected time; reviews with
objectives, development plan and sign-offs; and impact examples. Private notes (reflective
notes, self-assessment, reflections) are included only when the exporter may read them.

Importing makes a NEW member of staff in the receiving PCN, with new ids, the role mapped by its
code, the employer and practices the importer chooses and status "pre-start" (so the new post's
own induction checklist is made as for any starter). Their history is kept as the record of
their previous post:

* completed induction items, with their evidence, under sections titled "Previous post: …" in a
  checklist of kind "previous_post" (open items belonged to the old post and are not carried);
* supervision sessions they attended, with their own attendance (group sessions' other
  attendees are not carried);
* programme enrolments with their progress (milestones, competencies and evidence, pauses,
  extensions, protected time); an enrolment still active stays active, to be continued;
* reviews with objectives, development plan items and sign-offs, and impact examples;
* statutory and mandatory training completions, which stay valid for their refresher interval
  wherever the person works;
* their CPD log and revalidation evidence, with the files on them: a registrant's cycle runs on
  across a move (a CPD entry made from a record that is not carried keeps its text, not the link).

People of the old PCN (line manager, supervisors, preceptors, assessors, appraisers, whoever
signed) have no record here: they are kept as the names the rows already hold (`*_name`
columns), or written into the enrolment's notes for preceptor and assessor, and never pointed at
local ids. Not carried: supervision arrangements (they were the old PCN's), check-in answers and
assurance flags (the old PCN's surveys and contract checks), user accounts and the audit trail.
The import is audited in the receiving database and writes all or nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable

from sqlalchemy import Table, insert, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from arrs_desk import __version__, clock
from arrs_desk.domain import export_format as fmt
from arrs_desk.domain import staff as staff_rules
from arrs_desk.domain.permissions import AccessRole, Action, denial
from arrs_desk.domain.staff import StaffStatus
from arrs_desk.errors import NotFound, ValidationError
from arrs_desk.services import audit, evidence, export_signing
from arrs_desk.services._common import get_or_404, require
from arrs_desk.services.actor import Actor
from arrs_desk.services.exports import export_audit_values
from arrs_desk.services.export_archive import (
    check_evidence, decode_rows, evidence_references, file_problem, kept_sha256, open_archive, store_evidence_bytes,
    write_archive,
)
from arrs_desk.services.relationships import relationship
from arrs_desk.services.staff import StaffInput, StaffService
from arrs_desk.services.evidence import evidence_folder
from arrs_desk.store.database import Database
from arrs_desk.store.models import (
    CpdEntry, ExternalPerson, ImpactEntry, InductionChecklist, InductionEvidence, InductionItem, Organisation,
    ProgrammeCompetency, ProgrammeEnrolment, ProgrammeEvidence, ProgrammeExtension, ProgrammeMilestone, ProgrammePause,
    ProgrammeTemplate, ProgrammeTime, RevalidationEvidence, RevalidationFile, Review, ReviewObjective, ReviewPdpItem,
    ReviewSignOff, Role, Staff, StaffPractice, SupervisionArrangement, SupervisionAttendance, SupervisionSession,
    TrainingRecord,
)
from arrs_desk.services.revalidation.writes import SOURCE_TABLES
from arrs_desk.store.schema import head_revision

Progress = Callable[[int, int], None]

MAX_BUNDLE_DATA_BYTES = 64 * 1024 * 1024
"""One person's ten years of records are well under a megabyte of JSON."""

PREVIOUS_POST = "previous_post"
"""The checklist kind of induction items carried from a previous post."""

# Parents before children, as they are inserted.
BUNDLE_TABLES: tuple[type, ...] = (
    InductionChecklist, InductionItem, InductionEvidence,
    SupervisionArrangement, SupervisionSession, SupervisionAttendance,
    ProgrammeEnrolment, ProgrammeMilestone, ProgrammeCompetency, ProgrammeEvidence, ProgrammePause,
    ProgrammeExtension, ProgrammeTime,
    Review, ReviewObjective, ReviewPdpItem, ReviewSignOff, ImpactEntry,
    TrainingRecord, CpdEntry, RevalidationEvidence, RevalidationFile,
)
"""Tables keyed to the person. Never check-ins: their answers are anonymous and belong to no one
(`services.checkins`), and which ones the person has done is the old post's schedule."""
OPTIONAL_TABLES = ("training_record", "cpd_entry", "revalidation_evidence", "revalidation_file")
"""Tables a bundle made by an earlier release of the same schema may lack: read as empty. Training
completions were left out of bundles until 2026-12, so a safeguarding course that is valid for
three years had to be entered again after a move; the CPD log and revalidation evidence were left
out too, so a nurse moving a year before revalidation arrived with none of her CPD."""
NOT_CARRIED = ("supervision_arrangement",)
"""Exported for the record, not imported: the arrangements were the old PCN's."""

PRIVATE_COLUMNS = {"supervision_attendance": ("reflective_notes",), "review": ("self_assessment", "reflections")}
"""Left empty in a bundle made by someone who may not read the person's private notes."""


def _table(model: type) -> Table:
    return model.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class BundleResult:
    path: Path
    rows: int
    evidence_files: int
    sha256: str


@dataclass(frozen=True, slots=True)
class BundleImport:
    staff_id: int
    display_name: str
    carried: dict[str, int]  # table -> rows carried
    evidence_files: int


@dataclass(frozen=True, slots=True)
class BundlePreview:
    """What the import dialog shows before anything is written."""

    display_name: str
    role_title: str
    pcn: str
    employment_model: str
    exported_at: str
    exported_by: str
    rows: dict[str, int]
    signature: export_signing.SignatureCheck
    """Where the file came from and whether it changed, in words."""
    may_override: bool
    """Whether this actor may import it even so (an administrator, giving a reason)."""


def _name(given: str, family: str, preferred: str = "") -> str:
    return staff_rules.display_name(given, family, preferred)


class RecordBundleService:
    def __init__(self, db: Database, today: Callable[[], date],
                 evidence_root: Callable[[], Path] | None = None):
        self._db = db
        self._today = today
        self._evidence_root = evidence_folder(evidence_root)

    # ============================================================================ export
    def export_bundle(self, actor: Actor, *, staff_id: int, path: Path | str) -> BundleResult:
        """One person's record and evidence, for their new PCN; the line manager or an administrator."""
        path = Path(path)
        if not path.parent.is_dir():
            raise ValidationError.single("file", f"The folder {path.parent} does not exist; choose another place to save.")
        with self._db.read() as session:
            if not self._db.is_sqlite:
                session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            rel = relationship(session, actor, staff_id, self._today())
            require(actor, Action.EXPORT_RECORD, rel)
            person = get_or_404(session, Staff, staff_id, "staff member")
            private = denial(actor.roles, Action.READ_REFLECTIONS, rel) is None
            document = self._document(session, person, private)
            display = _name(person.given_name, person.family_name, person.preferred_name)
        data_bytes = fmt.canonical_json(document)
        refs, problems = evidence_references(document["tables"])
        if problems:
            raise ValidationError.single("evidence", "; ".join(problems[:3]))
        root = self._evidence_root()
        files: dict[str, Path] = {}
        for ref in sorted(refs, key=lambda r: r.stored_name):
            source = root / ref.stored_name[:2] / ref.stored_name
            if not source.is_file():
                raise NotFound(f"The evidence file {ref.stored_name} is not in this computer's evidence folder ({root}). "
                               "Copy the evidence folder from the PC where it was attached and try again.")
            if kept_sha256(source, self._db.key)[0] != ref.sha256:
                raise ValidationError.single("evidence", f"The evidence file {source} no longer matches its name.")
            files[ref.sha256] = source
        rows = sum(len(r) for r in document["tables"].values()) + 1
        manifest = {
            "format": fmt.BUNDLE_FORMAT_NAME, "format_version": fmt.BUNDLE_FORMAT_VERSION, "app_version": __version__,
            "schema_revision": document["schema_revision"],
            "exported_at": clock.now().isoformat(timespec="seconds"),
            "exported_by": {"username": actor.username, "name": actor.display_name},
            "person": display, "private_notes_included": private,
            "tables": [{"name": _table(m).name, "rows": len(document["tables"][_table(m).name])} for m in BUNDLE_TABLES],
            "files": {fmt.DATA_NAME: {"sha256": hashlib.sha256(data_bytes).hexdigest(), "size": len(data_bytes)}},
            "evidence": [{"sha256": sha, "size": p.stat().st_size} for sha, p in sorted(files.items())],
        }
        manifest = export_signing.sign(manifest, document["person"]["pcn"])
        sha, _ = write_archive(path, manifest, data_bytes, files.items(), key=self._db.key)
        try:
            with self._db.write() as session:
                export_signing.trust_own_key(session, document["person"]["pcn"])
                audit.record(session, actor, "export_bundle", "staff", staff_id,
                             f"Exported the record bundle of {display} to {path.absolute()}",
                             {"file": path.name, "sha256": sha, "private_notes_included": private,
                              **export_audit_values(what=f"the record bundle of {display}", people=1,
                                                    file_format="ZIP", path=path, rows=rows)[1]},
                             subject_staff_id=staff_id)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return BundleResult(path, rows, len(files), sha)

    def person_document(self, session: Session, *, person: Staff, private: bool) -> dict[str, Any]:
        """The bundle's data for one person (what a subject access copy builds on)."""
        return self._document(session, person, private)

    def _document(self, session: Session, person: Staff, private: bool) -> dict[str, Any]:
        sid = person.id
        wanted: dict[type, Any] = {
            InductionChecklist: InductionChecklist.staff_id == sid,
            InductionItem: InductionItem.staff_id == sid,
            InductionEvidence: InductionEvidence.staff_id == sid,
            SupervisionArrangement: SupervisionArrangement.staff_id == sid,
            SupervisionAttendance: SupervisionAttendance.staff_id == sid,
            SupervisionSession: SupervisionSession.id.in_(
                select(SupervisionAttendance.session_id).where(SupervisionAttendance.staff_id == sid)),
            ProgrammeEnrolment: ProgrammeEnrolment.staff_id == sid,
            Review: Review.staff_id == sid,
            ImpactEntry: ImpactEntry.staff_id == sid,
            TrainingRecord: TrainingRecord.staff_id == sid,
            CpdEntry: CpdEntry.staff_id == sid,
            RevalidationEvidence: RevalidationEvidence.staff_id == sid,
            RevalidationFile: RevalidationFile.staff_id == sid,
        }
        enrolments = select(ProgrammeEnrolment.id).where(ProgrammeEnrolment.staff_id == sid)
        for model in (ProgrammeMilestone, ProgrammeCompetency, ProgrammeEvidence, ProgrammePause, ProgrammeExtension,
                      ProgrammeTime):
            wanted[model] = model.enrolment_id.in_(enrolments)
        reviews = select(Review.id).where(Review.staff_id == sid)
        for model in (ReviewObjective, ReviewPdpItem, ReviewSignOff):
            wanted[model] = model.review_id.in_(reviews)
        tables: dict[str, list[dict[str, Any]]] = {}
        staff_ids: set[int] = set()
        external_ids: set[int] = set()
        for model in BUNDLE_TABLES:
            table = _table(model)
            hidden = () if private else PRIVATE_COLUMNS.get(table.name, ())
            rows = []
            for row in session.execute(select(table).where(wanted[model]).order_by(*table.primary_key.columns)).mappings():
                values = {k: fmt.encode("" if k in hidden else v) for k, v in row.items()}
                rows.append(values)
                for fk in table.foreign_keys:
                    value = row[fk.parent.name]
                    if value is not None and fk.column.table.name == "staff":
                        staff_ids.add(value)
                    elif value is not None and fk.column.table.name == "external_person":
                        external_ids.add(value)
            tables[table.name] = rows
        staff_row = {k: fmt.encode(v) for k, v in session.execute(
            select(_table(Staff)).where(Staff.id == sid)).mappings().one().items()}
        if person.line_manager_id:
            staff_ids.add(person.line_manager_id)
        names = {str(s.id): _name(s.given_name, s.family_name, s.preferred_name) for s in session.execute(
            select(Staff).where(Staff.id.in_(staff_ids))).scalars()}
        externals = {str(e.id): {"name": e.name, "job_title": e.job_title, "organisation": e.organisation}
                     for e in session.execute(select(ExternalPerson).where(ExternalPerson.id.in_(external_ids))).scalars()}
        organisations = {o.id: o for o in session.execute(select(Organisation)).scalars()}
        practices = [organisations[p].name for p in session.execute(
            select(StaffPractice.organisation_id).where(StaffPractice.staff_id == sid)).scalars() if p in organisations]
        role = session.get(Role, person.role_code)
        pcn = next((o.name for o in organisations.values() if o.kind == "pcn"), "")
        return {
            "format": fmt.BUNDLE_FORMAT_NAME, "format_version": fmt.BUNDLE_FORMAT_VERSION,
            "schema_revision": session.execute(text("SELECT version_num FROM alembic_version")).scalar_one(),
            "person": {
                "staff": staff_row, "role_title": role.title if role else person.role_code,
                "employer": organisations[person.employer_id].name if person.employer_id in organisations else "",
                "practices": sorted(practices), "pcn": pcn,
                "line_manager": names.get(str(person.line_manager_id), "") if person.line_manager_id else "",
            },
            "people": {"staff": names, "external": externals},
            "private_notes_included": private,
            "tables": tables,
        }

    # ============================================================================ import
    def preview(self, actor: Actor, *, path: Path | str) -> BundlePreview:
        """Who is in a bundle, after checking it in full; nothing is written."""
        require(actor, Action.CREATE_STAFF)
        checked = read_bundle(path)
        person = checked.rows["staff"][0]
        by = checked.manifest.get("exported_by")
        with self._db.read() as session:
            signature = export_signing.check(checked.manifest, export_signing.trusted_keys(session), "record bundle")
        return BundlePreview(
            _name(person["given_name"], person["family_name"], person["preferred_name"]),
            checked.document["person"]["role_title"], checked.document["person"]["pcn"], person["employment_model"],
            str(checked.manifest.get("exported_at", ""))[:40], str(by.get("name", "") if isinstance(by, dict) else "")[:200],
            {name: len(rows) for name, rows in checked.rows.items() if name != "staff"},
            signature, actor.has(AccessRole.ADMINISTRATOR))

    def import_bundle(self, actor: Actor, *, path: Path | str, employer_id: int, practice_ids: Iterable[int],
                      start_date: date, line_manager_id: int | None = None,
                      employment_model: str | None = None, override_reason: str | None = None,
                      trust_sender: bool = False) -> BundleImport:
        """Add the person in the bundle as a new member of staff here, with their history; all or nothing.

        A bundle whose signature does not hold, or from an installation this database does not
        know, goes in only when an administrator gives `override_reason` (audited with the import).
        `trust_sender`, with that reason, trusts an intact file's installation from now on, so the
        next bundle from that PCN reads "unchanged" and anyone who may add staff can import it."""
        require(actor, Action.CREATE_STAFF)
        path = Path(path)
        checked = read_bundle(path)
        with self._db.read() as session:
            signature = export_signing.admit(session, actor, checked.manifest, "record bundle", override_reason)
        document = checked.document
        person = checked.rows["staff"][0]
        tables = checked.rows
        carried_items = {r["id"] for r in tables["induction_item"] if r["state"] == "complete"}
        carried_evidence = [r for r in tables["induction_evidence"]
                            if r["item_id"] in carried_items and r["removed_at"] is None]
        carried_evidence += [r for r in tables["programme_evidence"] if r["removed_at"] is None]
        carried_evidence += tables["revalidation_file"]
        needed = {r["stored_name"] for r in carried_evidence}
        root = self._evidence_root()
        created: list[str] = []
        try:
            for stored_name in sorted(needed):
                if store_evidence_bytes(root, stored_name, checked.evidence[stored_name[:64]], self._db.key):
                    created.append(stored_name)
            with self._db.write() as session:
                new_id, display, carried = self._insert(
                    session, actor, document, tables, carried_items, employer_id=employer_id,
                    practice_ids=list(practice_ids), start_date=start_date, line_manager_id=line_manager_id,
                    employment_model=employment_model or person["employment_model"])
                trusted_now = trust_sender and export_signing.trust_sender(session, checked.manifest, signature)
                audit.record(session, actor, "import_bundle", "staff", new_id,
                             f"Imported the record bundle of {display} from {document['person']['pcn'] or 'another PCN'}"
                             + (f"; files signed by ARRS Desk at {signature.pcn or 'that PCN'} are trusted from now on"
                                if trusted_now else ""),
                             {"file": path.name, "sha256": checked.sha256, "carried": carried,
                              "exported_by": checked.manifest.get("exported_by"),
                              "exported_at": checked.manifest.get("exported_at"),
                              **export_signing.audit_values(signature, override_reason, trusted_now=trusted_now)},
                             subject_staff_id=new_id)
        except BaseException as exc:
            for stored_name in created:
                evidence.discard(root, stored_name)
            if isinstance(exc, SQLAlchemyError):  # a value the database refuses (too long, out of range)
                raise file_problem(f"{path.name} could not be loaded "
                                   f"({str(getattr(exc, 'orig', exc)).splitlines()[0]}). Nothing was imported.") from exc
            raise
        return BundleImport(new_id, display, carried, len(needed))

    def _insert(self, session: Session, actor: Actor, document: dict[str, Any], tables: dict[str, list[dict[str, Any]]],
                carried_items: set[int], *, employer_id: int, practice_ids: list[int], start_date: date,
                line_manager_id: int | None, employment_model: str) -> tuple[int, str, dict[str, int]]:
        old = tables["staff"][0]
        role_code = old["role_code"]
        if session.get(Role, role_code) is None:
            raise ValidationError.single("role_code", (
                f"The bundle's role {document['person']['role_title']!r} (code {role_code}) is not in this PCN's role "
                "catalogue. Add that role in Roles (or update ARRS Desk), then import the bundle again."))
        staff_service = StaffService(self._db, self._today)
        data = StaffInput(
            title=old.get("title", ""), given_name=old["given_name"], family_name=old["family_name"],
            preferred_name=old["preferred_name"],
            role_code=role_code, employer_id=employer_id, employment_model=employment_model, start_date=start_date,
            practice_ids=practice_ids, afc_band=old["afc_band"], hours_per_week=old["hours_per_week"],
            line_manager_id=line_manager_id, register_code=old["register_code"],
            registration_number=old["registration_number"],
            registration_renewal=old["registration_renewal"],
            email=old["email"], status=StaffStatus.PRE_START.value,
        )
        values = staff_service._validated(session, data, staff_id=None, actor=actor)
        pcn = document["person"]["pcn"] or "previous PCN"
        new_id = staff_service.add_validated(session, actor, rows=[(values, practice_ids)],
                                             note=f" from a record bundle ({pcn})")[0]
        names = document["people"]["staff"]
        externals = document["people"]["external"]
        old_id = old["id"]
        mapped: dict[str, dict[int, int]] = {}
        carried: dict[str, int] = {}

        def person_name(staff_id: int | None, external_id: int | None) -> str:
            if staff_id is not None:
                return names.get(str(staff_id), "")
            if external_id is not None:
                return externals.get(str(external_id), {}).get("name", "")
            return ""

        templates = {(t.code, t.version): t.id for t in session.execute(select(ProgrammeTemplate)).scalars()}
        current = {t.code: t.id for t in session.execute(
            select(ProgrammeTemplate).where(ProgrammeTemplate.is_current)).scalars()}
        for model in BUNDLE_TABLES:
            table = _table(model)
            if table.name in NOT_CARRIED:
                continue
            rows = tables[table.name]
            if table.name == "induction_checklist":
                keep = {r["checklist_id"] for r in tables["induction_item"] if r["id"] in carried_items}
                rows = [r for r in rows if r["id"] in keep]
            elif table.name == "induction_item":
                rows = [r for r in rows if r["id"] in carried_items]
            elif table.name == "induction_evidence":
                rows = [r for r in rows if r["item_id"] in carried_items and r["removed_at"] is None]
            elif table.name == "supervision_attendance":
                rows = [r for r in rows if r["staff_id"] == old_id]
            ids = mapped.setdefault(table.name, {})
            count = 0
            for row in sorted(rows, key=lambda r: r["id"]):
                values = dict(row)
                old_row_id = values.pop("id")
                if table.name == "induction_checklist":
                    values["kind"] = PREVIOUS_POST
                elif table.name == "induction_item":
                    values["section"] = f"previous-{values['section']}"[:40]
                    values["section_title"] = f"Previous post: {values['section_title']}"[:80]
                elif table.name == "programme_enrolment":
                    key = (values["programme_code"], values["programme_version"])
                    template_id = templates.get(key) or current.get(values["programme_code"])
                    if template_id is None:
                        raise ValidationError.single("programme", (
                            f"The bundle's programme {values['title']!r} ({values['programme_code']}) is not in this "
                            "PCN's programmes. Add it (Programmes), then import the bundle again."))
                    values["template_id"] = template_id
                    who = [f"{label}: {name}" for label, name in (
                        ("preceptor", person_name(values["preceptor_staff_id"], values["preceptor_external_id"])),
                        ("assessor", person_name(values["assessor_staff_id"], values["assessor_external_id"])))
                        if name]
                    if who:
                        note = f"Previous post at {pcn}: " + ", ".join(who) + "."
                        values["notes"] = (note + ("\n" + values["notes"] if values["notes"] else ""))[:4000]
                elif table.name == "cpd_entry" and values["source_kind"]:
                    # Not a foreign key: point it at the carried copy of its source, or drop the link.
                    source = SOURCE_TABLES.get(values["source_kind"])
                    local = mapped.get(_table(source).name, {}).get(values["source_id"]) if source else None
                    values["source_kind"], values["source_id"] = (values["source_kind"], local) if local else ("", None)
                for fk in table.foreign_keys:
                    column, target = fk.parent.name, fk.column.table.name
                    value = values.get(column)
                    if value is None or (column == "template_id" and target == "programme_template"):
                        continue
                    if target == "staff":
                        values[column] = new_id if value == old_id else None
                    elif target in mapped:  # a row carried earlier in this import
                        values[column] = mapped[target].get(value)
                    else:  # accounts, external people, template items of the old PCN: the row keeps their names
                        values[column] = None
                    if values[column] is None and not fk.parent.nullable:
                        break  # its parent was not carried, so neither is it
                else:
                    ids[old_row_id] = session.execute(insert(table).values(values).returning(table.c.id)).scalar_one()
                    count += 1
            carried[table.name] = count
        return new_id, _name(old["given_name"], old["family_name"], old["preferred_name"]), carried


# ================================================================================ reading a bundle
@dataclass(frozen=True)
class CheckedBundle:
    manifest: dict[str, Any]
    document: dict[str, Any]
    rows: dict[str, list[dict[str, Any]]]  # decoded
    evidence: dict[str, bytes]  # sha256 -> content
    sha256: str


def read_bundle(path: Path | str) -> CheckedBundle:
    """Open and check a record bundle without writing anything; ValidationError says what is wrong."""
    path = Path(path)
    opened = open_archive(path, fmt.BUNDLE_FORMAT_NAME, fmt.BUNDLE_FORMAT_VERSION, MAX_BUNDLE_DATA_BYTES)
    with opened.archive:
        rows = _decode(opened.document, path.name)
        _, files = check_evidence(opened, path.name, keep=True)
    return CheckedBundle(opened.manifest, opened.document, rows, files, opened.sha256)


def _decode(document: dict[str, Any], file_name: str) -> dict[str, list[dict[str, Any]]]:
    bad = file_problem(f"{fmt.DATA_NAME} in {file_name} is not laid out as a record bundle.")
    if document.get("format") != fmt.BUNDLE_FORMAT_NAME or document.get("schema_revision") != head_revision():
        raise bad
    person, people, found = document.get("person"), document.get("people"), document.get("tables")
    if not (isinstance(person, dict) and isinstance(person.get("staff"), dict) and isinstance(people, dict)
            and isinstance(people.get("staff"), dict) and isinstance(people.get("external"), dict)
            and isinstance(found, dict)):
        raise bad
    for key in ("role_title", "pcn"):
        if not isinstance(person.get(key), str):
            raise bad
    decoded: dict[str, list[dict[str, Any]]] = {"staff": decode_rows(_table(Staff), [person["staff"]],
                                                                     f"staff in {file_name}")}
    for model in BUNDLE_TABLES:
        table = _table(model)
        rows = found.get(table.name, [] if table.name in OPTIONAL_TABLES else None)
        if not isinstance(rows, list):
            raise file_problem(f"Table {table.name} is missing from {fmt.DATA_NAME} in {file_name}, "
                               "or is not a list of rows.")
        decoded[table.name] = decode_rows(table, rows, f"{table.name} in {file_name}")
    return decoded
