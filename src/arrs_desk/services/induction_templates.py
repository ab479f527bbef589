"""Induction templates in the database: seeded from the built-in files, edited as new versions.

The built-in files (`resources/induction/`) are copied in by `builtin_templates`, the same way as
programmes: the PCN's own versions are never overwritten. Saving in the editor writes a new
version; earlier versions stay as they were, and checklists keep the copies they were made from.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import select, update
from sqlmodel import Session

from arrs_desk.domain import induction as rules
from arrs_desk.domain.datafiles import load_data_file, parse_data
from arrs_desk.domain.permissions import Action
from arrs_desk.domain.text import has_visible_text
from arrs_desk.errors import NotFound, ResourceFileError, StaleEdit, ValidationError
from arrs_desk.services import audit
from arrs_desk.services._common import clean_text, require
from arrs_desk.services.actor import SYSTEM, Actor
from arrs_desk.services.builtin_templates import SOURCE_BUILTIN, SOURCE_EDITED, BuiltinKind, sync_builtin
from arrs_desk.store.database import Database
from arrs_desk.store.models import InductionTemplate, InductionTemplateItem, Role

TEMPLATES_VERSION_KEY = "induction.templates.versions"
"""Setting: {template code: built-in file version} last synchronised, so a start-up costs one read."""

LOCAL_KEY_PREFIX = "local"
MAX_ITEMS = 300


# --------------------------------------------------------------------------- shapes


@dataclass
class SectionDraft:
    code: str
    title: str


@dataclass
class ItemDraft:
    """One item as the editor holds it. Offsets and months may be typed text until saved."""

    key: str = ""  # empty for an item added in the editor; a key is made on saving
    title: str = ""
    guidance: str = ""
    section: str = ""
    due_offset_days: int | str | None = ""
    completed_by: str = rules.CompletedBy.EITHER.value
    needs_signoff: bool = False
    validity_months: int | str | None = None
    evidence_expected: bool = False
    tags: list[str] = field(default_factory=list)
    retired: bool = False


@dataclass
class TemplateDraft:
    code: str
    title: str
    roles: list[str]
    sections: list[SectionDraft]
    items: list[ItemDraft]
    based_on_version: int | None  # the version it was opened from; None for a new template


@dataclass(frozen=True, slots=True)
class TemplateSummary:
    id: int
    code: str
    version: int
    title: str
    roles: tuple[str, ...]
    applies_to: str
    active_items: int
    retired_items: int
    source: str
    note: str
    saved_by: str
    saved_at: datetime

    @property
    def is_generic(self) -> bool:
        return self.roles == (rules.ANY_ROLE,)


# --------------------------------------------------------------------------- seeding


def _insert_version(
    session: Session,
    *,
    code: str,
    version: int,
    title: str,
    roles: Sequence[str],
    sections: Sequence[dict],
    items: Sequence[dict],
    source: str,
    file_version: int | None,
    note: str,
    actor: Actor,
) -> InductionTemplate:
    row = InductionTemplate(
        code=code, version=version, title=title, roles=list(roles), sections=list(sections), is_current=True,
        source=source, file_version=file_version, note=note[:500],
        created_by_user_id=actor.user_id, created_by_name=actor.display_name,
    )
    session.add(row)
    session.flush()
    session.add_all(InductionTemplateItem(template_id=row.id, position=i, **item) for i, item in enumerate(items))
    session.flush()
    return row


def _file_item(item: rules.TemplateItem) -> dict:
    return dict(
        key=item.key, title=item.title, guidance=item.guidance, section=item.section,
        due_offset_days=item.due_offset_days, completed_by=item.completed_by.value,
        needs_signoff=item.needs_signoff, validity_months=item.validity_months,
        evidence_expected=item.evidence_expected, tags=list(item.tags), retired=False,
    )


def _insert_builtin(session: Session, template: rules.InductionTemplate, version: int, note: str) -> None:
    _insert_version(
        session, code=template.code, version=version, title=template.title, roles=template.roles,
        sections=[s.model_dump() for s in template.sections], items=[_file_item(i) for i in template.items],
        source=SOURCE_BUILTIN, file_version=template.version, note=note, actor=SYSTEM,
    )


BUILTIN = BuiltinKind(
    model=InductionTemplate, version_key=TEMPLATES_VERSION_KEY, record_type="induction_template",
    noun="induction template", note_noun="template", load=lambda: rules.builtin_templates(), insert=_insert_builtin,
)


def sync_builtin_templates(session: Session, templates: Sequence[rules.InductionTemplate] | None = None) -> int:
    """Copy in built-in templates the database lacks or holds an older unedited copy of.

    Returns the number of versions added. A malformed built-in file is logged and skipped so the
    rest of ARRS Desk still opens; the editor and checklists then say that templates are missing.
    """
    return sync_builtin(session, BUILTIN, templates)


# --------------------------------------------------------------------------- reading for checklists


@dataclass(frozen=True, slots=True)
class PlannedItem:
    """A template item as a new checklist copies it."""

    template_item_id: int
    key: str
    section: str
    section_title: str
    title: str
    guidance: str
    due_offset_days: int
    completed_by: str
    needs_signoff: bool
    validity_months: int | None
    evidence_expected: bool
    tags: tuple[str, ...]


def items_for_role(session: Session, role_code: str) -> tuple[list[PlannedItem], dict[str, int]]:
    """The current generic items plus the role's, in section order then template order.

    Returns the items and {template code: version} used, which the checklist records.
    """
    rows = session.execute(select(InductionTemplate).where(InductionTemplate.is_current)).scalars().all()
    chosen = [t for t in rows if t.roles == [rules.ANY_ROLE]]
    chosen += sorted((t for t in rows if t.roles != [rules.ANY_ROLE] and role_code in t.roles), key=lambda t: t.code)
    if not chosen:
        return [], {}
    sections: dict[str, str] = {}
    for template in chosen:
        for section in template.sections:
            sections.setdefault(section["code"], section["title"])
    order = {code: i for i, code in enumerate(sections)}
    template_order = {t.id: i for i, t in enumerate(chosen)}
    items = session.execute(
        select(InductionTemplateItem).where(
            InductionTemplateItem.template_id.in_([t.id for t in chosen]), InductionTemplateItem.retired.is_(False)
        )
    ).scalars().all()
    items = sorted(items, key=lambda i: (order.get(i.section, len(order)), template_order[i.template_id], i.position))
    planned = [
        PlannedItem(
            template_item_id=i.id, key=i.key, section=i.section, section_title=sections.get(i.section, i.section),
            title=i.title, guidance=i.guidance, due_offset_days=i.due_offset_days, completed_by=i.completed_by,
            needs_signoff=i.needs_signoff, validity_months=i.validity_months,
            evidence_expected=i.evidence_expected, tags=tuple(i.tags),
        )
        for i in items
    ]
    return planned, {t.code: t.version for t in chosen}


# --------------------------------------------------------------------------- the editor's service


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text))[:40].strip("-") or "item"


def _comparable(item: ItemDraft) -> tuple:
    return (item.key, item.title, item.guidance, item.section, item.due_offset_days, item.completed_by,
            item.needs_signoff, item.validity_months, item.evidence_expected, tuple(item.tags), item.retired)


def _comparable_template(template: TemplateDraft) -> tuple:
    """Everything a version holds: its title, roles, sections and items (roles in any order)."""
    return (template.title, sorted(template.roles), [(s.code, s.title) for s in template.sections],
            [_comparable(i) for i in template.items])


class TemplateService:
    def __init__(self, db: Database):
        self._db = db

    # --- reading ------------------------------------------------------------------------
    def list_current(self, actor: Actor) -> list[TemplateSummary]:
        require(actor, Action.MANAGE_TEMPLATES)
        with self._db.read() as session:
            rows = session.execute(select(InductionTemplate).where(InductionTemplate.is_current)).scalars().all()
            summaries = self._summaries(session, rows)
        return sorted(summaries, key=lambda s: (not s.is_generic, s.applies_to.casefold()))

    def history(self, actor: Actor, *, code: str) -> list[TemplateSummary]:
        require(actor, Action.MANAGE_TEMPLATES)
        with self._db.read() as session:
            rows = session.execute(
                select(InductionTemplate).where(InductionTemplate.code == code).order_by(InductionTemplate.version.desc())
            ).scalars().all()
            return self._summaries(session, rows)

    def draft(self, actor: Actor, *, code: str) -> TemplateDraft:
        require(actor, Action.MANAGE_TEMPLATES)
        with self._db.read() as session:
            row = self._current(session, code)
            if row is None:
                raise NotFound(f"There is no induction template with the code {code}.")
            return self._to_draft(session, row)

    def draft_from_file(self, actor: Actor, *, path: Path) -> TemplateDraft:
        """Read a template file into a draft for the editor; nothing is written until it is saved.

        A malformed file raises ResourceFileError naming the file and the field. Items of the
        current version that the file leaves out are kept, retired, so their history stays; that
        holds for a whole section the file drops too, which stays in the draft only to hold its
        retired items (checklists never show a section with nothing active in it).
        """
        require(actor, Action.MANAGE_TEMPLATES)
        template = load_data_file(rules.InductionTemplate, Path(path))
        with self._db.read() as session:
            row = self._current(session, template.code)
            current = self._to_draft(session, row) if row is not None else None
        items = [ItemDraft(**_file_item(i)) for i in template.items]
        sections = [SectionDraft(s.code, s.title) for s in template.sections]
        if current is not None:
            in_file = {i.key for i in items}
            left_out = [i for i in current.items if i.key not in in_file]
            items += [ItemDraft(**{**i.__dict__, "retired": True}) for i in left_out]
            in_file_sections = {s.code for s in sections}
            sections += [s for s in current.sections
                         if s.code not in in_file_sections and any(i.section == s.code for i in left_out)]
        return TemplateDraft(
            code=template.code, title=template.title, roles=list(template.roles),
            sections=sections, items=items,
            based_on_version=current.based_on_version if current else None,
        )

    # --- writing ------------------------------------------------------------------------
    def save(self, actor: Actor, *, draft: TemplateDraft, note: str = "") -> TemplateSummary:
        """Save the draft as the template's next version, or refuse with every problem named."""
        require(actor, Action.MANAGE_TEMPLATES)
        note = clean_text(note, multiline=True)
        with self._db.write() as session:
            current = self._current(session, draft.code)
            current_version = current.version if current else None
            if current_version != draft.based_on_version:
                raise StaleEdit(
                    f"Someone else saved version {current_version} of this template after you opened it, so your "
                    "changes were not saved. Close the editor, open the template again and make your changes there."
                )
            items, title, sections = self._validated(session, draft)
            if current is not None:
                before = self._to_draft(session, current)
                after = TemplateDraft(code=draft.code, title=title, roles=list(draft.roles),
                                      sections=sections, items=items, based_on_version=None)
                if _comparable_template(after) == _comparable_template(before):
                    raise ValidationError.single(
                        "template", f"Nothing has changed since version {current.version}, so there is nothing to save."
                    )
                changes = self._describe_changes(before, after)
                session.execute(
                    update(InductionTemplate).where(InductionTemplate.id == current.id).values(is_current=False)
                )
            else:
                changes = f"new template with {len(items)} item(s)"
            row = _insert_version(
                session, code=draft.code, version=(current_version or 0) + 1, title=title, roles=draft.roles,
                sections=[{"code": s.code, "title": s.title} for s in sections],
                items=[{k: v for k, v in i.__dict__.items()} for i in items],
                source=SOURCE_EDITED, file_version=None, note=note or changes, actor=actor,
            )
            audit.record(session, actor, "save_version", "induction_template", row.id,
                         f"Saved version {row.version} of '{title}': {changes}",
                         {"code": draft.code, "version": row.version, "note": note})
            return self._summaries(session, [row])[0]

    # --- internals ----------------------------------------------------------------------
    @staticmethod
    def _current(session: Session, code: str) -> InductionTemplate | None:
        return session.execute(
            select(InductionTemplate).where(InductionTemplate.code == code, InductionTemplate.is_current)
        ).scalar_one_or_none()

    def _to_draft(self, session: Session, row: InductionTemplate) -> TemplateDraft:
        return TemplateDraft(
            code=row.code, title=row.title, roles=list(row.roles),
            sections=[SectionDraft(s["code"], s["title"]) for s in row.sections],
            items=[
                ItemDraft(key=i.key, title=i.title, guidance=i.guidance, section=i.section,
                          due_offset_days=i.due_offset_days, completed_by=i.completed_by,
                          needs_signoff=i.needs_signoff, validity_months=i.validity_months,
                          evidence_expected=i.evidence_expected, tags=list(i.tags), retired=i.retired)
                for i in self._items(session, row.id)
            ],
            based_on_version=row.version,
        )

    @staticmethod
    def _items(session: Session, template_id: int) -> list[InductionTemplateItem]:
        return list(session.execute(
            select(InductionTemplateItem).where(InductionTemplateItem.template_id == template_id)
            .order_by(InductionTemplateItem.position)
        ).scalars())

    @staticmethod
    def _summaries(session: Session, rows: Sequence[InductionTemplate]) -> list[TemplateSummary]:
        role_titles = dict(session.execute(select(Role.code, Role.title)).all())
        counts: dict[int, list[int]] = {}
        if rows:
            for template_id, retired in session.execute(
                select(InductionTemplateItem.template_id, InductionTemplateItem.retired)
                .where(InductionTemplateItem.template_id.in_([r.id for r in rows]))
            ).all():
                counts.setdefault(template_id, [0, 0])[1 if retired else 0] += 1
        result = []
        for row in rows:
            applies = "All roles" if row.roles == [rules.ANY_ROLE] else ", ".join(role_titles.get(r, r) for r in row.roles)
            active, retired = counts.get(row.id, [0, 0])
            result.append(TemplateSummary(
                id=row.id, code=row.code, version=row.version, title=row.title, roles=tuple(row.roles),
                applies_to=applies, active_items=active, retired_items=retired, source=row.source, note=row.note,
                saved_by=row.created_by_name, saved_at=row.created_at,
            ))
        return result

    def _validated(self, session: Session, draft: TemplateDraft) -> tuple[list[ItemDraft], str, list[SectionDraft]]:
        """Clean the title, sections and every item, give new items keys, and check the whole as the
        file loader would."""
        errors: dict[str, str] = {}
        title = clean_text(draft.title)
        if not has_visible_text(title):
            errors["title"] = "Enter a title for the template."
        elif len(title) > rules.MAX_TITLE_LENGTH:
            errors["title"] = f"Keep the template title to {rules.MAX_TITLE_LENGTH} characters or fewer."
        if problem := self._roles_problem(session, draft):
            errors["roles"] = problem
        sections = [SectionDraft(s.code, clean_text(s.title)) for s in draft.sections]
        for index, section in enumerate(sections):
            if problem := rules.section_title_problem(section.title):
                errors[f"sections.{index}.title"] = f"Section {index + 1} ({section.code}): {problem}"
        section_codes = [s.code for s in draft.sections]
        if len(draft.items) > MAX_ITEMS:
            errors["items"] = f"A template can hold at most {MAX_ITEMS} items."
        if not any(not i.retired for i in draft.items):
            errors["items"] = "A template needs at least one item that is not retired."
        cleaned: list[ItemDraft] = []
        for index, item in enumerate(draft.items):
            problems = rules.item_input_problems(
                item.title, item.due_offset_days, item.section, section_codes=section_codes,
                guidance=item.guidance, validity_months=item.validity_months, tags=item.tags,
            )
            try:
                completed_by = rules.CompletedBy(item.completed_by).value
            except ValueError:
                problems["completed_by"] = "Choose who completes the item: the starter, the manager or either."
                completed_by = item.completed_by
            for name, message in problems.items():
                errors[f"items.{index}.{name}"] = f"Item {index + 1}: {message}"
            validity = item.validity_months
            if isinstance(validity, str):
                validity = int(validity.strip()) if validity.strip() and "validity_months" not in problems else None
            offset = rules.parse_offset_days(item.due_offset_days)
            cleaned.append(ItemDraft(
                key=item.key, title=clean_text(item.title), guidance=clean_text(item.guidance, multiline=True),
                section=(item.section or "").strip(), due_offset_days=offset if offset is not None else 0,
                completed_by=completed_by, needs_signoff=bool(item.needs_signoff), validity_months=validity,
                evidence_expected=bool(item.evidence_expected), tags=list(dict.fromkeys(item.tags)),
                retired=bool(item.retired),
            ))
        if errors:
            raise ValidationError(errors)

        # Keys: kept for existing items, made for new ones; unique across every template, ever.
        others = set(session.execute(
            select(InductionTemplateItem.key).join(InductionTemplate)
            .where(InductionTemplate.code != draft.code)
        ).scalars())
        own_history = set(session.execute(
            select(InductionTemplateItem.key).join(InductionTemplate).where(InductionTemplate.code == draft.code)
        ).scalars())
        seen: set[str] = set()
        for index, item in enumerate(cleaned):
            if item.key:
                if item.key in others:
                    errors[f"items.{index}.title"] = (
                        f"Item {index + 1}: its key '{item.key}' is already used by another template; "
                        "give the item a new key in the file."
                    )
                elif item.key in seen:
                    errors[f"items.{index}.title"] = f"Item {index + 1}: its key '{item.key}' is used by an earlier item."
                seen.add(item.key)
        taken = others | own_history | seen
        for item in cleaned:
            if not item.key:
                base = f"{LOCAL_KEY_PREFIX}-{_slug(item.title)}"
                key, n = base, 2
                while key in taken:
                    key, n = f"{base}-{n}", n + 1
                item.key = key
                taken.add(key)
        if errors:
            raise ValidationError(errors)

        # The same check as a template file gets, so a saved template always reloads.
        document = {
            "schema": rules.SCHEMA, "version": 1, "code": draft.code, "title": title, "roles": draft.roles,
            "sections": [{"code": s.code, "title": s.title} for s in sections],
            "items": [
                {k: v for k, v in i.__dict__.items() if k != "retired"} for i in cleaned if not i.retired
            ],
        }
        try:
            parse_data(rules.InductionTemplate, document, source=f"Template {draft.code}")
        except ResourceFileError as exc:
            raise ValidationError.single("template", exc.message) from None
        return cleaned, title, sections

    @staticmethod
    def _roles_problem(session: Session, draft: TemplateDraft) -> str | None:
        """Why the draft's roles are not right, or None: a code no role has, or a role another
        template already has.

        A code the roles table does not hold (a typing slip in a file, "PARA " or "para") would give
        the template to nobody, with nothing to say so. A starter's checklist is the generic
        template plus their role's: a role in two templates would get both, so each role (and 'all
        roles') belongs to one template, as in the files.
        """
        role_titles = dict(session.execute(select(Role.code, Role.title)).all())
        unknown = [r for r in dict.fromkeys(draft.roles) if r != rules.ANY_ROLE and r not in role_titles]
        if unknown:
            return (f"No role has the code{'s' if len(unknown) > 1 else ''} {', '.join(repr(r) for r in unknown)}. "
                    "Use the codes on the Roles page (Settings), for example PARA for a paramedic, or * for all roles.")
        others = session.execute(
            select(InductionTemplate).where(InductionTemplate.is_current, InductionTemplate.code != draft.code)
        ).scalars().all()
        for other in sorted(others, key=lambda t: t.code):
            shared = [r for r in draft.roles if r in other.roles]
            if shared:
                named = ", ".join("All roles" if r == rules.ANY_ROLE else f"{role_titles.get(r, r)} ({r})"
                                  for r in shared)
                return (f"{named} already {'has' if len(shared) == 1 else 'have'} a template: '{other.title}' "
                        f"({other.code}). A role can have only one template; take it out of this template's roles "
                        "or out of that one's first.")
        return None

    @staticmethod
    def _describe_changes(before: TemplateDraft, template: TemplateDraft) -> str:
        after = template.items
        old = {i.key: i for i in before.items}
        parts = []
        if template.title != before.title:
            parts.append("changed the title")
        if sorted(template.roles) != sorted(before.roles):
            parts.append(f"changed the roles to {', '.join(template.roles)}")
        old_sections = {s.code: s.title for s in before.sections}
        new_sections = {s.code: s.title for s in template.sections}
        for code, section_title in new_sections.items():
            if code not in old_sections:
                parts.append(f"added the section '{section_title}'")
            elif section_title != old_sections[code]:
                parts.append(f"renamed the section '{old_sections[code]}' to '{section_title}'")
        parts += [f"removed the section '{t}'" for code, t in old_sections.items() if code not in new_sections]
        if [c for c in new_sections if c in old_sections] != [c for c in old_sections if c in new_sections]:
            parts.append("reordered the sections")
        added = [i for i in after if i.key not in old]
        retired = [i for i in after if i.retired and i.key in old and not old[i.key].retired]
        restored = [i for i in after if not i.retired and i.key in old and old[i.key].retired]
        edited = [i for i in after if i.key in old and _comparable(i)[1:-1] != _comparable(old[i.key])[1:-1]]
        # A section left with nothing active is retired whole (a file that drops it): name it.
        still_active = {i.section for i in after if not i.retired}
        titles = {s.code: s.title for s in before.sections}
        for code in dict.fromkeys(i.section for i in retired):
            if code not in still_active:
                whole = [i for i in retired if i.section == code]
                retired = [i for i in retired if i.section != code]
                parts.append(f"retired the section '{titles.get(code, code)}' and its {len(whole)} item(s)")
        if added:
            parts.append(f"added {len(added)} item(s)")
        if edited:
            parts.append(f"changed {len(edited)}")
        if retired:
            parts.append(f"retired {len(retired)}")
        if restored:
            parts.append(f"restored {len(restored)}")
        # Items just retired may have moved (an import puts them last); only the others' order counts.
        kept = [i.key for i in after if i.key in old and not (i.retired and not old[i.key].retired)]
        if [i.key for i in before.items if i.key in set(kept)] != kept:
            parts.append("reordered")
        return ", ".join(parts) or "changed the template"
