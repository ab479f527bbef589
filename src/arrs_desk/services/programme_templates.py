"""Programmes in the database: seeded from the built-in files, edited as new versions.

The built-in files (`resources/programmes/`) are copied in by `builtin_templates`, the same way
as induction templates: the PCN's own versions are never overwritten. Saving in the editor
writes a new version (or, for a copy, version 1 of a new code); enrolments keep the copies they
were made from.

Every version, whether it came from a file or the editor, passes the same pydantic model as a
programme file before it is written, so any stored version can be exported and loaded again.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select, update
from sqlmodel import Session

from arrs_desk.domain import programmes as rules
from arrs_desk.domain.datafiles import parse_data
from arrs_desk.domain.staff import STANDARD_FULL_TIME_HOURS
from arrs_desk.domain.permissions import Action
from arrs_desk.errors import NotFound, ResourceFileError, StaleEdit, ValidationError
from arrs_desk.services import audit
from arrs_desk.services._common import clean_text, require
from arrs_desk.services.actor import SYSTEM, Actor
from arrs_desk.services.builtin_templates import SOURCE_BUILTIN, SOURCE_EDITED, BuiltinKind, sync_builtin
from arrs_desk.store.database import Database
from arrs_desk.store.models import ProgrammeEnrolment, ProgrammeTemplate, Role

PROGRAMMES_VERSION_KEY = "programmes.builtin.versions"
"""Setting: {programme code: built-in file version} last synchronised, so a start-up costs one read."""

MAX_MILESTONES = 60
MAX_COMPETENCIES = 200
MAX_LENGTH_WEEKS = 520
MILESTONE_KINDS = {"meeting": "Meeting", "review": "Review", "assessment": "Assessment", "sign-off": "Sign-off"}


# --------------------------------------------------------------------------- shapes


@dataclass
class MilestoneDraft:
    key: str = ""  # empty for one added in the editor; a key is made on saving
    title: str = ""
    week: int | str = ""
    kind: str = "review"


@dataclass
class CompetencyDraft:
    key: str = ""
    title: str = ""
    description: str = ""
    evidence: str = ""


@dataclass
class DomainDraft:
    code: str = ""
    title: str = ""
    competencies: list[CompetencyDraft] = field(default_factory=list)


@dataclass
class ProgrammeDraft:
    """A programme as the editor holds it; numbers may still be typed text until saved."""

    code: str
    title: str
    description: str
    roles: list[str]
    length_weeks: int | str
    protected_hours_per_week: float | str
    milestones: list[MilestoneDraft]
    domains: list[DomainDraft]
    based_on_version: int | None  # the version it was opened from; None for a new programme


@dataclass(frozen=True, slots=True)
class ProgrammeSummary:
    id: int
    code: str
    version: int
    title: str
    description: str
    roles: tuple[str, ...]
    applies_to: str
    length_weeks: int
    protected_hours_per_week: float
    milestones: int
    competencies: int
    source: str
    note: str
    saved_by: str
    saved_at: datetime
    enrolled: int  # people on any version of this programme who have not finished

    @property
    def label(self) -> str:
        return f"{self.title} ({self.code})"


# --------------------------------------------------------------------------- conversions


def _document(code: str, version: int, title: str, description: str, roles: Sequence[str], length_weeks: int,
              hours: float, milestones: Sequence[dict], domains: Sequence[dict]) -> dict:
    return {
        "schema": rules.SCHEMA, "version": version, "code": code, "title": title, "description": description,
        "roles": list(roles), "length_weeks": length_weeks, "protected_hours_per_week": hours,
        "milestones": list(milestones), "domains": list(domains),
    }


def row_document(row: ProgrammeTemplate) -> dict:
    """A stored version as a programme file would hold it."""
    return _document(row.code, row.version, row.title, row.description, row.roles, row.length_weeks,
                     row.protected_hours_per_week, row.milestones, row.domains)


def row_programme(row: ProgrammeTemplate) -> rules.Programme:
    return parse_data(rules.Programme, row_document(row), source=f"Programme {row.code} version {row.version}")


def draft_of(programme: rules.Programme, based_on_version: int | None) -> ProgrammeDraft:
    return ProgrammeDraft(
        code=programme.code, title=programme.title, description=programme.description, roles=list(programme.roles),
        length_weeks=programme.length_weeks, protected_hours_per_week=programme.protected_hours_per_week,
        milestones=[MilestoneDraft(m.key, m.title, m.week, m.kind) for m in programme.milestones_in_order],
        domains=[DomainDraft(d.code, d.title, [CompetencyDraft(c.key, c.title, c.description, c.evidence)
                                               for c in d.competencies]) for d in programme.domains],
        based_on_version=based_on_version,
    )


def _insert_version(session: Session, programme: rules.Programme, *, version: int, source: str,
                    file_version: int | None, note: str, actor: Actor) -> ProgrammeTemplate:
    row = ProgrammeTemplate(
        code=programme.code, version=version, title=programme.title, description=programme.description,
        roles=list(programme.roles), length_weeks=programme.length_weeks,
        protected_hours_per_week=programme.protected_hours_per_week,
        milestones=[m.model_dump() for m in programme.milestones_in_order],
        domains=[d.model_dump(mode="json") for d in programme.domains],
        is_current=True, source=source, file_version=file_version, note=note[:500],
        created_by_user_id=actor.user_id, created_by_name=actor.display_name,
    )
    session.add(row)
    session.flush()
    return row


# --------------------------------------------------------------------------- seeding


def _insert_builtin(session: Session, programme: rules.Programme, version: int, note: str) -> None:
    _insert_version(session, programme, version=version, source=SOURCE_BUILTIN, file_version=programme.version,
                    note=note, actor=SYSTEM)


BUILTIN = BuiltinKind(
    model=ProgrammeTemplate, version_key=PROGRAMMES_VERSION_KEY, record_type="programme_template",
    noun="programme", note_noun="programme", load=lambda: rules.builtin_programmes(), insert=_insert_builtin,
)


def sync_builtin_programmes(session: Session, programmes: Sequence[rules.Programme] | None = None) -> int:
    """Copy in built-in programmes the database lacks or holds an older unedited copy of.

    Returns the number of versions added. A malformed built-in file is logged and skipped so the
    rest of ARRS Desk still opens; the Programmes page then offers only what is stored.
    """
    return sync_builtin(session, BUILTIN, programmes)


def current_template(session: Session, code: str) -> ProgrammeTemplate | None:
    return session.execute(
        select(ProgrammeTemplate).where(ProgrammeTemplate.code == code, ProgrammeTemplate.is_current)
    ).scalar_one_or_none()


# --------------------------------------------------------------------------- the editor's service


def _slug(text: str, limit: int = 40) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text))[:limit].strip("-") or "item"


def _unique(base: str, taken: set[str]) -> str:
    key, n = base, 2
    while key in taken:
        key, n = f"{base[:44]}-{n}", n + 1
    taken.add(key)
    return key


def _whole_number(value: int | str | None) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = str(value or "").strip()
    return int(text) if re.fullmatch(r"-?\d{1,6}", text) else None


def parse_number(value: float | int | str | None) -> float | None:
    """A number as typed in a form (a comma for the decimal point is fine); None if it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value or "").strip().replace(",", ".")
    try:
        return float(text) if text else None
    except ValueError:
        return None


class ProgrammeTemplateService:
    def __init__(self, db: Database):
        self._db = db

    # --- reading ------------------------------------------------------------------------
    def list_current(self, actor: Actor) -> list[ProgrammeSummary]:
        """Every programme's current version; anyone may read them (they say what a pathway involves)."""
        with self._db.read() as session:
            rows = session.execute(select(ProgrammeTemplate).where(ProgrammeTemplate.is_current)).scalars().all()
            summaries = self._summaries(session, rows)
        return sorted(summaries, key=lambda s: s.title.casefold())

    def history(self, actor: Actor, *, code: str) -> list[ProgrammeSummary]:
        require(actor, Action.MANAGE_TEMPLATES)
        with self._db.read() as session:
            rows = session.execute(
                select(ProgrammeTemplate).where(ProgrammeTemplate.code == code)
                .order_by(ProgrammeTemplate.version.desc())
            ).scalars().all()
            return self._summaries(session, rows)

    def draft(self, actor: Actor, *, code: str) -> ProgrammeDraft:
        require(actor, Action.MANAGE_TEMPLATES)
        with self._db.read() as session:
            row = current_template(session, code)
            if row is None:
                raise NotFound(f"There is no programme with the code {code}.")
            return draft_of(row_programme(row), row.version)

    def copy_draft(self, actor: Actor, *, code: str, new_code: str, new_title: str) -> ProgrammeDraft:
        """A new programme starting as a copy of another; nothing is written until it is saved."""
        require(actor, Action.MANAGE_TEMPLATES)
        new_code = clean_text(new_code).upper()
        new_title = clean_text(new_title)
        errors: dict[str, str] = {}
        if not re.fullmatch(rules.CODE_PATTERN, new_code):
            errors["code"] = ("Enter a short code for the new programme: capital letters, digits and hyphens, "
                              "starting with a letter, at most 24 (for example PARA-LOCAL).")
        if not new_title:
            errors["title"] = "Enter a title for the new programme."
        elif len(new_title) > 120:
            errors["title"] = f"Keep the title to 120 characters or fewer (it has {len(new_title)})."
        with self._db.read() as session:
            source = current_template(session, code)
            if source is None:
                raise NotFound(f"There is no programme with the code {code}.")
            if "code" not in errors and session.execute(
                    select(ProgrammeTemplate.id).where(ProgrammeTemplate.code == new_code).limit(1)).first():
                errors["code"] = f"There is already a programme with the code {new_code}; choose another code."
            if errors:
                raise ValidationError(errors)
            draft = draft_of(row_programme(source), None)
        draft.code, draft.title = new_code, new_title
        return draft

    def draft_from_file(self, actor: Actor, *, path: Path) -> ProgrammeDraft:
        """Read a programme file into a draft for the editor; nothing is written until it is saved.

        A malformed file raises ResourceFileError naming the file and each bad field.
        """
        require(actor, Action.MANAGE_TEMPLATES)
        programme = rules.load_programme(Path(path))
        with self._db.read() as session:
            row = current_template(session, programme.code)
            based_on = row.version if row is not None else None
        return draft_of(programme, based_on)

    def export_document(self, actor: Actor, *, code: str) -> dict:
        """The current version as a programme file, for sharing with another PCN or a training hub."""
        with self._db.read() as session:
            row = current_template(session, code)
            if row is None:
                raise NotFound(f"There is no programme with the code {code}.")
            return row_document(row)

    # --- writing ------------------------------------------------------------------------
    def save(self, actor: Actor, *, draft: ProgrammeDraft, note: str = "") -> ProgrammeSummary:
        """Save the draft as the programme's next version, or refuse with every problem named."""
        require(actor, Action.MANAGE_TEMPLATES)
        note = clean_text(note, multiline=True)
        if len(note) > 500:
            raise ValidationError.single("note", f"Keep the note to 500 characters or fewer (it has {len(note)}).")
        with self._db.write() as session:
            current = current_template(session, draft.code)
            current_version = current.version if current else None
            if current is None and draft.based_on_version is None and session.execute(
                    select(ProgrammeTemplate.id).where(ProgrammeTemplate.code == draft.code).limit(1)).first():
                current_version = -1  # only retired versions exist: treat as a clash, never reuse numbers
            if current_version != draft.based_on_version:
                raise StaleEdit(
                    f"Someone else saved the programme {draft.code} after you opened it, so your changes were not "
                    "saved. Close the editor, open the programme again and make your changes there."
                )
            programme = self._validated(session, draft, version=(current_version or 0) + 1)
            if current is not None:
                before = row_programme(current)
                if before.model_dump(exclude={"version"}) == programme.model_dump(exclude={"version"}):
                    raise ValidationError.single(
                        "programme", f"Nothing has changed since version {current.version}, so there is nothing to save.")
                changes = self._describe_changes(before, programme)
                session.execute(update(ProgrammeTemplate).where(ProgrammeTemplate.id == current.id)
                                .values(is_current=False))
            else:
                changes = (f"new programme with {len(programme.milestones)} milestone(s) and "
                           f"{len(programme.competencies)} competencies")
            row = _insert_version(session, programme, version=programme.version, source=SOURCE_EDITED,
                                  file_version=None, note=note or changes, actor=actor)
            audit.record(session, actor, "save_version", "programme_template", row.id,
                         f"Saved version {row.version} of '{programme.title}' ({programme.code}): {changes}",
                         {"code": programme.code, "version": row.version, "note": note})
            return self._summaries(session, [row])[0]

    # --- internals ----------------------------------------------------------------------
    @staticmethod
    def _summaries(session: Session, rows: Sequence[ProgrammeTemplate]) -> list[ProgrammeSummary]:
        role_titles = dict(session.execute(select(Role.code, Role.title)).all())
        enrolled = dict(session.execute(
            select(ProgrammeEnrolment.programme_code, func.count())
            .where(ProgrammeEnrolment.status == "active").group_by(ProgrammeEnrolment.programme_code)
        ).all())
        return [
            ProgrammeSummary(
                id=row.id, code=row.code, version=row.version, title=row.title, description=row.description,
                roles=tuple(row.roles), applies_to=", ".join(role_titles.get(r, r) for r in row.roles),
                length_weeks=row.length_weeks, protected_hours_per_week=row.protected_hours_per_week,
                milestones=len(row.milestones),
                competencies=sum(len(d.get("competencies", ())) for d in row.domains),
                source=row.source, note=row.note, saved_by=row.created_by_name, saved_at=row.created_at,
                enrolled=enrolled.get(row.code, 0),
            )
            for row in rows
        ]

    def _validated(self, session: Session, draft: ProgrammeDraft, *, version: int) -> rules.Programme:
        """Check every field with a message beside it, make keys for new items, then check the whole
        as a programme file would be checked, so a saved version always reloads."""
        errors: dict[str, str] = {}
        title = clean_text(draft.title)
        description = clean_text(draft.description, multiline=True)
        if not re.fullmatch(rules.CODE_PATTERN, draft.code or ""):
            errors["code"] = "The programme code must be capital letters, digits and hyphens, at most 24."
        if not title:
            errors["title"] = "Enter a title for the programme."
        elif len(title) > 120:
            errors["title"] = f"Keep the title to 120 characters or fewer (it has {len(title)})."
        if not description:
            errors["description"] = "Describe the programme in a sentence or two: who it is for and how it runs."
        elif len(description) > 2000:
            errors["description"] = f"Keep the description to 2,000 characters or fewer (it has {len(description)})."
        known_roles = set(session.execute(select(Role.code)).scalars())
        roles = list(dict.fromkeys(r.strip() for r in draft.roles if r and r.strip()))
        if not roles:
            errors["roles"] = "Choose at least one role the programme is for."
        elif unknown := [r for r in roles if r not in known_roles]:
            errors["roles"] = f"These roles are not in the PCN's role catalogue: {', '.join(unknown)}."
        length = _whole_number(draft.length_weeks)
        if length is None or not 1 <= length <= MAX_LENGTH_WEEKS:
            errors["length_weeks"] = f"Enter the programme's length as a whole number of weeks, 1 to {MAX_LENGTH_WEEKS}."
            length = None
        hours = parse_number(draft.protected_hours_per_week)
        if hours is None or not 0 <= hours <= STANDARD_FULL_TIME_HOURS:
            errors["protected_hours_per_week"] = (
                f"Enter the protected learning hours a week, from 0 to {STANDARD_FULL_TIME_HOURS:g} "
                "(7.5 is one day a week).")
            hours = None

        if not draft.milestones:
            errors["milestones"] = "A programme needs at least one milestone, such as its final review."
        elif len(draft.milestones) > MAX_MILESTONES:
            errors["milestones"] = f"A programme can have at most {MAX_MILESTONES} milestones."
        milestones: list[dict] = []
        for i, m in enumerate(draft.milestones):
            m_title = clean_text(m.title)
            week = _whole_number(m.week)
            if not m_title:
                errors[f"milestones.{i}.title"] = f"Milestone {i + 1}: enter what happens (for example Week 4 review)."
            elif len(m_title) > 120:
                errors[f"milestones.{i}.title"] = f"Milestone {i + 1}: keep the title to 120 characters or fewer."
            if week is None or week < 0:
                errors[f"milestones.{i}.week"] = f"Milestone {i + 1}: enter the week it falls in, as a whole number from 0."
            elif length is not None and week > length:
                errors[f"milestones.{i}.week"] = (
                    f"Milestone {i + 1}: week {week} is after the end of this {length}-week programme.")
            if m.kind not in MILESTONE_KINDS:
                errors[f"milestones.{i}.kind"] = f"Milestone {i + 1}: choose a meeting, review, assessment or sign-off."
            milestones.append({"key": m.key, "title": m_title, "week": week if week is not None else 0, "kind": m.kind})

        if not draft.domains:
            errors["domains"] = "A programme needs at least one group of competencies."
        domains: list[dict] = []
        total = 0
        for d, domain in enumerate(draft.domains):
            d_title = clean_text(domain.title)
            if not d_title:
                errors[f"domains.{d}.title"] = f"Competency group {d + 1}: enter a title."
            elif len(d_title) > 120:
                errors[f"domains.{d}.title"] = f"Competency group {d + 1}: keep the title to 120 characters or fewer."
            if not domain.competencies:
                errors[f"domains.{d}.competencies"] = (
                    f"Competency group '{d_title or d + 1}' is empty: add a competency to it or remove the group.")
            items = []
            for c, comp in enumerate(domain.competencies):
                total += 1
                where = f"'{d_title}' competency {c + 1}" if d_title else f"Competency {c + 1}"
                values = {"key": comp.key, "title": clean_text(comp.title),
                          "description": clean_text(comp.description, multiline=True),
                          "evidence": clean_text(comp.evidence, multiline=True)}
                for name, label, limit in (("title", "title", 120), ("description", "what it involves", 2000),
                                           ("evidence", "evidence expected", 2000)):
                    if not values[name]:
                        errors[f"domains.{d}.competencies.{c}.{name}"] = f"{where}: enter the {label}."
                    elif len(values[name]) > limit:
                        errors[f"domains.{d}.competencies.{c}.{name}"] = (
                            f"{where}: keep the {label} to {limit:,} characters or fewer.")
                items.append(values)
            domains.append({"code": domain.code, "title": d_title, "competencies": items})
        if total > MAX_COMPETENCIES:
            errors["domains"] = f"A programme can have at most {MAX_COMPETENCIES} competencies."
        if errors:
            raise ValidationError(errors)
        milestones.sort(key=lambda m: m["week"])  # stored in week order, so reordering alone is no change

        # Keys: kept for existing items, made from the title for new ones, unique in the programme.
        taken_m = {m["key"] for m in milestones if m["key"]}
        for m in milestones:
            if not m["key"]:
                m["key"] = _unique(_slug(m["title"]), taken_m)
        taken_c = {c["key"] for dom in domains for c in dom["competencies"] if c["key"]}
        taken_d = {dom["code"] for dom in domains if dom["code"]}
        for dom in domains:
            if not dom["code"]:
                base = (_slug(dom["title"], 20).replace("-", "")[:20] or "GROUP").upper()
                dom["code"] = _unique(base if base[0].isalpha() else f"G{base}"[:20], taken_d)
            for c in dom["competencies"]:
                if not c["key"]:
                    c["key"] = _unique(_slug(c["title"]), taken_c)
        document = _document(draft.code, version, title, description, roles, length, hours, milestones, domains)
        try:
            return parse_data(rules.Programme, document, source=f"Programme {draft.code}")
        except ResourceFileError as exc:
            raise ValidationError.single("programme", exc.message) from None

    @staticmethod
    def _describe_changes(before: rules.Programme, after: rules.Programme) -> str:
        parts = []
        for name, label in (("title", "title"), ("description", "description"), ("roles", "roles"),
                            ("length_weeks", "length"), ("protected_hours_per_week", "protected time")):
            if getattr(before, name) != getattr(after, name):
                parts.append(f"changed the {label}")
        old_m, new_m = {m.key: m for m in before.milestones}, {m.key: m for m in after.milestones}
        old_c, new_c = {c.key: c for c in before.competencies}, {c.key: c for c in after.competencies}
        for what, old, new in (("milestone", old_m, new_m), ("competency", old_c, new_c)):
            added, removed = len(new.keys() - old.keys()), len(old.keys() - new.keys())
            changed = sum(1 for k in new.keys() & old.keys() if new[k] != old[k])
            plural = "milestones" if what == "milestone" else "competencies"
            if added:
                parts.append(f"added {added} {what if added == 1 else plural}")
            if removed:
                parts.append(f"removed {removed} {what if removed == 1 else plural}")
            if changed:
                parts.append(f"changed {changed} {what if changed == 1 else plural}")
        if [d.code for d in before.domains] != [d.code for d in after.domains] or any(
                a.title != b.title for a, b in zip(before.domains, after.domains)):
            parts.append("changed the competency groups")
        return ", ".join(parts) or "reordered items"
