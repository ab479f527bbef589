"""Induction checklists: the template files and the rules for following one.

Templates are data (`resources/induction/generic.json` plus one file per role under
`resources/induction/roles/`), validated whole on load so that a bad file is refused with the
file and field named. A starter's checklist is the generic items plus their role's items.

The rules are plain functions of dates; each takes `today` from its caller so that a report run
on one day is repeatable and tests need no clock. Conventions shared by all of them:

* An item falls due on `start + due_offset_days` calendar days; weekends and bank holidays are
  not special, because people plan around them when they set the offsets.
* Something due today is still on time: it becomes overdue the day after. Expiry follows the
  same rule, so training is valid up to and including its `expires_on` date.
* A step planned for before day one (a negative offset) is due by day one at the latest: nobody
  is late with it until the day after the start (`day_one`), though it shows as due before then.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator
from pydantic_core import PydanticCustomError

from arrs_desk.domain.dates import add_months  # noqa: F401  (re-exported for callers)
from arrs_desk.domain.datafiles import load_data_file
from arrs_desk.domain.text import has_visible_text
from arrs_desk.errors import ResourceFileError

SCHEMA = "arrs-desk/induction-template"
ANY_ROLE = "*"
"""In a template's `roles`: the generic template, applied to every role."""

MIN_OFFSET_DAYS = -365
MAX_OFFSET_DAYS = 730
MAX_TITLE_LENGTH = 200
MAX_SECTION_TITLE_LENGTH = 80
MAX_GUIDANCE_LENGTH = 2000
MAX_VALIDITY_MONTHS = 120
EXPIRY_WINDOW_DAYS = 90
DUE_SOON_DAYS = 7
"""Items falling due within this many days show as 'Due' rather than 'Not due yet'."""
MIN_REASON_CHARACTERS = 5
"""Letters or digits a not-applicable reason needs, so 'n/a' or '-' is not enough."""

TAGS: Mapping[str, str] = {
    "welcome": "Welcome, introductions and feeling part of the team",
    "network-integration": "Working with every practice in the network",
    "workspace": "Desk or room, building access and equipment",
    "it-access": "Clinical system, smartcard and IT access",
    "employment-checks": "Identity, right to work, qualifications and references",
    "dbs": "Disclosure and Barring Service check",
    "registration-check": "Professional registration and revalidation",
    "indemnity": "Indemnity cover",
    "occupational-health": "Occupational health clearance and immunisation",
    "line-manager-named": "Named line manager",
    "clinical-supervisor-named": "Named clinical or professional supervisor",
    "supervision-agreement": "Supervision agreement and arrangements",
    "supervision-session": "Supervision session held and recorded",
    "gp-access": "Access to GP advice and escalation",
    "job-plan": "Job plan, caseload and protected time",
    "scope-of-practice": "Written scope of practice",
    "prescribing": "Prescribing, PGD and medicines authorisations",
    "policies": "Practice policies and local pathways",
    "health-and-safety": "Fire, emergencies and workplace safety",
    "lone-working": "Lone working and home visits",
    "information-governance": "Confidentiality and data security",
    "mandatory-training": "Mandatory or statutory training",
    "safeguarding": "Safeguarding adults and children",
    "pathway-enrolment": "Enrolment on the role's training pathway or programme",
    "preceptorship": "Preceptorship",
    "peer-network": "Peer network and peer support",
    "induction-signoff": "Induction signed off",
    "probation-review": "Probation reviews",
    "development": "Learning needs, competencies and development plan",
    "objectives": "Objectives and impact measures",
}
"""Fixed vocabulary: contract-assurance checks look items up by tag, so tags cannot be free text."""

_KEY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_WHOLE_NUMBER_RE = re.compile(r"^-?\d+$")

Code = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9-]{0,23}$")]
RoleRef = Annotated[str, StringConstraints(pattern=r"^(\*|[A-Z][A-Z0-9-]{0,23})$")]
SectionCode = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{0,39}$")]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TITLE_LENGTH)]


class CompletedBy(StrEnum):
    STARTER = "starter"
    MANAGER = "manager"
    EITHER = "either"


# --------------------------------------------------------------------------- shared field checks


def offset_problem(days: int) -> str | None:
    """Why an offset is not believable, or None. Shared by the file loader and the editor."""
    if days < MIN_OFFSET_DAYS:
        return (
            f"{days} days is more than a year before the start date, which is not a believable "
            f"induction step; use a number from {MIN_OFFSET_DAYS} to {MAX_OFFSET_DAYS}."
        )
    if days > MAX_OFFSET_DAYS:
        return (
            f"{days} days is more than two years after the start date, too late for induction; "
            f"use a number from {MIN_OFFSET_DAYS} to {MAX_OFFSET_DAYS}."
        )
    return None


def section_title_problem(title: str | None) -> str | None:
    """What is wrong with a section's title typed into the editor or read from a file, or None."""
    clean_title = (title or "").strip()
    if not has_visible_text(clean_title):
        return "Enter a title for the section."
    if len(clean_title) > MAX_SECTION_TITLE_LENGTH:
        return (f"Keep the section title to {MAX_SECTION_TITLE_LENGTH} characters or fewer "
                f"(it has {len(clean_title)}).")
    return None


def parse_offset_days(value: object) -> int | None:
    """A whole number of days from an int or typed text ('-7', ' 14 '), else None ('3.5', 'abc')."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _WHOLE_NUMBER_RE.fullmatch(value.strip()):
        return int(value.strip())
    return None


# --------------------------------------------------------------------------- template file


class TemplateSection(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code: SectionCode
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_SECTION_TITLE_LENGTH)]


class TemplateItem(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    title: Title
    guidance: Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_GUIDANCE_LENGTH)] = ""
    section: SectionCode
    due_offset_days: int
    completed_by: CompletedBy
    needs_signoff: bool = False
    validity_months: Annotated[int, Field(strict=True, ge=1, le=MAX_VALIDITY_MONTHS)] | None = None
    evidence_expected: bool = False
    tags: tuple[str, ...] = ()

    @field_validator("key")
    @classmethod
    def _key(cls, value: str) -> str:
        if not _KEY_RE.fullmatch(value) or len(value) > 60:
            raise PydanticCustomError(
                "item_key",
                "must be lower-case words joined by hyphens, at most 60 characters, such as 'fire-safety'",
            )
        return value

    @field_validator("due_offset_days", mode="before")
    @classmethod
    def _offset(cls, value: Any) -> int:
        # Before-mode so that 3.5, "3" or true are refused rather than coerced.
        if isinstance(value, bool) or not isinstance(value, int):
            raise PydanticCustomError("offset_type", "must be a whole number of days, such as -7 or 14")
        problem = offset_problem(value)
        if problem:
            raise PydanticCustomError("offset_range", problem)
        return value

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [tag for tag in value if tag not in TAGS]
        if unknown:
            raise PydanticCustomError(
                "unknown_tag",
                "unknown tag(s) {unknown}; known tags are {known}",
                {"unknown": ", ".join(repr(t) for t in unknown), "known": ", ".join(sorted(TAGS))},
            )
        if len(set(value)) != len(value):
            raise PydanticCustomError("duplicate_tag", "a tag is listed twice")
        return value


class InductionTemplate(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_name: Literal["arrs-desk/induction-template"] = Field(alias="schema")
    version: Annotated[int, Field(ge=1)]
    code: Code
    title: Title
    roles: Annotated[tuple[RoleRef, ...], Field(min_length=1)]
    sections: Annotated[tuple[TemplateSection, ...], Field(min_length=1)]
    items: tuple[TemplateItem, ...]

    @model_validator(mode="after")
    def _consistent(self) -> "InductionTemplate":
        if len(set(self.roles)) != len(self.roles):
            raise PydanticCustomError("roles", "roles: a role code is listed twice")
        if ANY_ROLE in self.roles and len(self.roles) > 1:
            raise PydanticCustomError("roles", "roles: '*' means every role, so it must stand alone")
        section_codes = [s.code for s in self.sections]
        if len(set(section_codes)) != len(section_codes):
            raise PydanticCustomError("sections", "sections: a section code is listed twice")
        seen: set[str] = set()
        for index, item in enumerate(self.items):
            if item.key in seen:
                raise PydanticCustomError(
                    "duplicate_key", f"items[{index}].key: '{item.key}' is used by an earlier item"
                )
            seen.add(item.key)
            if item.section not in section_codes:
                raise PydanticCustomError(
                    "unknown_section",
                    f"items[{index}].section: '{item.section}' is not one of this template's "
                    f"sections ({', '.join(section_codes)})",
                )
        return self

    @property
    def is_generic(self) -> bool:
        return self.roles == (ANY_ROLE,)


def load_templates(paths: Iterable[Path]) -> tuple[InductionTemplate, ...]:
    """Load and cross-check a set of template files; the generic template comes first.

    Keys must be unique across files because a starter's progress is stored against the key alone.
    """
    loaded = [(path.name, load_data_file(InductionTemplate, path)) for path in paths]
    key_source: dict[str, str] = {}
    code_source: dict[str, str] = {}
    role_source: dict[str, str] = {}
    for name, template in loaded:
        if template.code in code_source:
            raise ResourceFileError(
                f"{name}: template code '{template.code}' is also used by {code_source[template.code]}"
            )
        code_source[template.code] = name
        for role in template.roles:
            if role in role_source:
                raise ResourceFileError(
                    f"{name}: roles: '{role}' already has a template in {role_source[role]}"
                )
            role_source[role] = name
        for item in template.items:
            if item.key in key_source:
                raise ResourceFileError(
                    f"{name}: items key '{item.key}' is also used in {key_source[item.key]}; "
                    "item keys must be unique across all templates"
                )
            key_source[item.key] = name
    templates = [template for _, template in loaded]
    return tuple(sorted(templates, key=lambda t: not t.is_generic))


@cache
def builtin_templates() -> tuple[InductionTemplate, ...]:
    from arrs_desk.paths import resource_path

    folder = resource_path("induction")
    return load_templates([folder / "generic.json", *sorted((folder / "roles").glob("*.json"))])


def _templates_for(role_code: str, templates: Sequence[InductionTemplate] | None) -> list[InductionTemplate]:
    pool = builtin_templates() if templates is None else templates
    return [t for t in pool if t.is_generic] + [t for t in pool if not t.is_generic and role_code in t.roles]


def sections_for_role(
    role_code: str, templates: Sequence[InductionTemplate] | None = None
) -> list[TemplateSection]:
    """Generic sections first, then the role's; a role file may reuse a generic section code."""
    sections: dict[str, TemplateSection] = {}
    for template in _templates_for(role_code, templates):
        for section in template.sections:
            sections.setdefault(section.code, section)
    return list(sections.values())


def items_for_role(role_code: str, templates: Sequence[InductionTemplate] | None = None) -> list[TemplateItem]:
    """The generic items plus the role's own, in section order then by due offset.

    A role with no file of its own (a PCN's local role) gets the generic items only.
    """
    order = {s.code: i for i, s in enumerate(sections_for_role(role_code, templates))}
    items = [item for t in _templates_for(role_code, templates) for item in t.items]
    return sorted(items, key=lambda item: (order[item.section], item.due_offset_days))


def template_item(key: str, templates: Sequence[InductionTemplate] | None = None) -> TemplateItem | None:
    pool = builtin_templates() if templates is None else templates
    return next((item for t in pool for item in t.items if item.key == key), None)


# --------------------------------------------------------------------------- due dates and status


def due_date(start_date: date, offset_days: int) -> date:
    """Calendar days from the start; a weekend due date stays where it falls."""
    return start_date + timedelta(days=offset_days)


class ItemStatus(StrEnum):
    NOT_DUE_YET = "not_due_yet"
    DUE = "due"
    OVERDUE = "overdue"
    AWAITING_SIGNOFF = "awaiting_signoff"
    RETURNED = "returned"
    COMPLETE = "complete"
    NOT_APPLICABLE = "not_applicable"

    @property
    def label(self) -> str:
        return ITEM_STATUS_LABELS[self]


ITEM_STATUS_LABELS = {
    ItemStatus.NOT_DUE_YET: "Not due yet",
    ItemStatus.DUE: "Due",
    ItemStatus.OVERDUE: "Overdue",
    ItemStatus.AWAITING_SIGNOFF: "Awaiting sign-off",
    ItemStatus.RETURNED: "Returned",
    ItemStatus.COMPLETE: "Complete",
    ItemStatus.NOT_APPLICABLE: "Not applicable",
}


def past_due(due: date, today: date, day_one: date | None = None) -> bool:
    """Whether an item not done by `today` is late: after its date, and never before the day after
    `day_one` (the day the checklist counts from), so nobody is late on a step due before they
    started until their first day is over. The checklist and the contract checks both ask this."""
    return today > due and (day_one is None or today > day_one)


def item_status(
    due: date,
    today: date,
    *,
    ticked: bool = False,
    needs_signoff: bool = False,
    signed_off: bool = False,
    returned: bool = False,
    not_applicable: bool = False,
    due_soon_days: int = 0,
    day_one: date | None = None,
) -> ItemStatus:
    """One item's state, most settled first.

    Once the starter has ticked an item that needs sign-off, the wait is the signer's, so it shows
    as awaiting sign-off rather than overdue. A returned item needs the starter's attention again
    and says so whatever its date. `due_soon_days` widens "due" to the days just before the date.
    `day_one` is the day the checklist counts from: an item due before it is overdue only after it.
    """
    if not_applicable:
        return ItemStatus.NOT_APPLICABLE
    if signed_off or (ticked and not needs_signoff):
        return ItemStatus.COMPLETE
    if returned:
        return ItemStatus.RETURNED
    if ticked:
        return ItemStatus.AWAITING_SIGNOFF
    if past_due(due, today, day_one):
        return ItemStatus.OVERDUE
    if (due - today).days <= due_soon_days:
        return ItemStatus.DUE
    return ItemStatus.NOT_DUE_YET


class ItemState(StrEnum):
    """What has been done to an item, as a checklist stores it; `status_of` adds the calendar."""

    OPEN = "open"
    AWAITING = "awaiting"  # ticked, waiting for the line manager's sign-off
    COMPLETE = "complete"  # ticked (and signed off, where sign-off is needed)
    RETURNED = "returned"  # sent back by the line manager with a comment
    NOT_APPLICABLE = "na"


def status_of(
    state: ItemState | str, due: date, today: date, *, needs_signoff: bool, due_soon_days: int = 0,
    day_one: date | None = None,
) -> ItemStatus:
    """`item_status` for a stored state, so a checklist and the rules can never disagree."""
    state = ItemState(state)
    return item_status(
        due, today,
        ticked=state in (ItemState.AWAITING, ItemState.COMPLETE),
        needs_signoff=needs_signoff,
        signed_off=state is ItemState.COMPLETE and needs_signoff,
        returned=state is ItemState.RETURNED,
        not_applicable=state is ItemState.NOT_APPLICABLE,
        due_soon_days=due_soon_days,
        day_one=day_one,
    )


def may_complete(completed_by: CompletedBy | str, *, is_self: bool, manages: bool) -> bool:
    """Whether this person ticks this item: the starter their own steps, the manager theirs.

    'either' items are ticked by whichever of the two did it. Sign-off is a separate permission.
    """
    who = CompletedBy(completed_by)
    if is_self:
        return who in (CompletedBy.STARTER, CompletedBy.EITHER)
    if manages:
        return who in (CompletedBy.MANAGER, CompletedBy.EITHER)
    return False


@dataclass(frozen=True, slots=True)
class Progress:
    done: int
    applicable: int
    percent: int

    @property
    def remaining(self) -> int:
        return self.applicable - self.done


def progress(statuses: Iterable[ItemStatus]) -> Progress:
    """Completion of a checklist.

    done = items COMPLETE (an item needing sign-off is complete only once signed off);
    applicable = all items except NOT_APPLICABLE ones; percent = done * 100 // applicable,
    rounded down so that 100% never shows while anything is outstanding. A checklist with nothing
    applicable has nothing left to do and counts as 100%.
    """
    done = applicable = 0
    for status in statuses:
        if status is ItemStatus.NOT_APPLICABLE:
            continue
        applicable += 1
        if status is ItemStatus.COMPLETE:
            done += 1
    return Progress(done=done, applicable=applicable, percent=percent_done(done, applicable))


def percent_done(done: int, applicable: int) -> int:
    """`progress`'s percentage, for figures counted elsewhere (the overview counts in the database)."""
    return 100 if applicable == 0 else done * 100 // applicable


_PLACEHOLDER_REASONS = {"na", "n a", "none", "nil", "not applicable", "notapplicable", "tbc", "test", "nothing"}


def not_applicable_problem(reason: str | None) -> str | None:
    """Why a not-applicable reason is not enough, or None.

    Auditors ask why a step was skipped, so the reason must actually say why.
    """
    text = (reason or "").strip()
    meaningful = [ch for ch in text if ch.isalnum()]
    normalised = " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())
    if len(meaningful) < MIN_REASON_CHARACTERS or normalised in _PLACEHOLDER_REASONS:
        return "Say why this item does not apply, for example 'Unregistered role: no register to check'."
    if len(set(ch.lower() for ch in meaningful)) < 3:
        return "Say why this item does not apply in a few words."
    return None


# --------------------------------------------------------------------------- expiry


class ExpiryStatus(StrEnum):
    VALID = "valid"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    NOT_RECORDED = "not_recorded"

    @property
    def label(self) -> str:
        return {"valid": "Valid", "expiring": "Expiring soon", "expired": "Expired", "not_recorded": "Not recorded"}[
            self
        ]


def expires_on(completed_on: date, validity_months: int) -> date:
    """The renewal date: the last day the training still counts as valid."""
    if validity_months < 0:
        raise ValueError("validity_months cannot be negative")
    return add_months(completed_on, validity_months)


def renewal_status(renewal_date: date | None, today: date, window_days: int = EXPIRY_WINDOW_DAYS) -> ExpiryStatus:
    """Status of anything with a renewal date (training, registration): valid through that day.

    Expiring means `window_days` or fewer days remain, counting the renewal day itself as 0 left.
    """
    if window_days < 0:
        raise ValueError("window_days cannot be negative")
    if renewal_date is None:
        return ExpiryStatus.NOT_RECORDED
    days_left = (renewal_date - today).days
    if days_left < 0:
        return ExpiryStatus.EXPIRED
    if days_left <= window_days:
        return ExpiryStatus.EXPIRING
    return ExpiryStatus.VALID


def expiry_status(
    completed_on: date | None,
    validity_months: int | None,
    today: date,
    window_days: int = EXPIRY_WINDOW_DAYS,
) -> ExpiryStatus:
    """Training with no validity period never expires once recorded."""
    if completed_on is None:
        return ExpiryStatus.NOT_RECORDED
    if validity_months is None:
        return ExpiryStatus.VALID
    return renewal_status(expires_on(completed_on, validity_months), today, window_days)


# --------------------------------------------------------------------------- template editor


def item_input_problems(
    title: str | None,
    due_offset_days: int | str | None,
    section: str | None,
    *,
    section_codes: Iterable[str] | None = None,
    guidance: str | None = "",
    validity_months: int | str | None = None,
    tags: Iterable[str] = (),
) -> dict[str, str]:
    """Problems with an item typed into the template editor, keyed by field in form order.

    Uses the same limits as the file loader so that a saved template always reloads.
    """
    problems: dict[str, str] = {}
    clean_title = (title or "").strip()
    if not has_visible_text(clean_title):
        problems["title"] = "Enter a title for the item."
    elif len(clean_title) > MAX_TITLE_LENGTH:
        problems["title"] = f"Keep the title to {MAX_TITLE_LENGTH} characters or fewer (it has {len(clean_title)})."

    clean_section = (section or "").strip()
    known = None if section_codes is None else list(section_codes)
    if not clean_section:
        problems["section"] = "Choose the section this item belongs to."
    elif known is not None and clean_section not in known:
        problems["section"] = f"'{clean_section}' is not a section of this template; choose one of {', '.join(known)}."

    raw_offset = due_offset_days.strip() if isinstance(due_offset_days, str) else due_offset_days
    if raw_offset is None or raw_offset == "":
        problems["due_offset_days"] = "Enter when the item is due, in days from the start date (negative for before)."
    else:
        offset = parse_offset_days(raw_offset)
        if offset is None:
            problems["due_offset_days"] = (
                f"'{raw_offset}' is not a whole number of days; enter a number such as -7, 0 or 14."
            )
        elif problem := offset_problem(offset):
            problems["due_offset_days"] = problem

    raw_validity = validity_months.strip() if isinstance(validity_months, str) else validity_months
    if raw_validity not in (None, ""):
        months = parse_offset_days(raw_validity)
        if months is None or not 1 <= months <= MAX_VALIDITY_MONTHS:
            problems["validity_months"] = (
                f"Enter how many months the training stays valid, from 1 to {MAX_VALIDITY_MONTHS}, "
                "or leave it blank if it does not expire."
            )

    if guidance and len(guidance.strip()) > MAX_GUIDANCE_LENGTH:
        problems["guidance"] = f"Keep the guidance to {MAX_GUIDANCE_LENGTH} characters or fewer."

    unknown = [tag for tag in tags if tag not in TAGS]
    if unknown:
        problems["tags"] = "Unknown tag(s): " + ", ".join(unknown) + "."
    return problems
