"""The role catalogue: ARRS roles and the professional registers their staff may be on.

The built-in catalogue is data (`resources/catalogue/roles.json`); this module validates it and
answers questions about it. Roles are copied into the database on first open so that a PCN can
edit titles and add local roles; registers stay with the release, since their formats are set
by the regulators, not by the PCN.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from arrs_desk.domain.datafiles import load_data_file
from arrs_desk.domain.role_names import RoleNames, role_key, role_words, without_words
from arrs_desk.domain.training import Source

Code = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9-]{0,23}$")]


class Register(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code: Code
    regulator: Annotated[str, StringConstraints(min_length=1, max_length=60)]
    name: Annotated[str, StringConstraints(min_length=1, max_length=120)]
    pattern: str
    expected: Annotated[str, StringConstraints(min_length=1, max_length=200)]

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a valid regular expression ({exc})") from None
        if not (value.startswith("^") and value.endswith("$")):
            raise ValueError("must be anchored with ^ and $")
        return value

    def matches(self, normalised_number: str) -> bool:
        return re.fullmatch(self.pattern, normalised_number) is not None


class RoleDefinition(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code: Code
    title: Annotated[str, StringConstraints(min_length=1, max_length=120)]
    clinical: bool
    arrs: bool = True  # reimbursable under ARRS; other roles are here as managers and supervisors
    registers: tuple[Code, ...] = ()
    registration_required: bool = False
    typical_band: Annotated[str, StringConstraints(max_length=20)] = ""
    requirements: Annotated[str, StringConstraints(max_length=2000)] = ""


Reason = Annotated[str, StringConstraints(min_length=10, max_length=400)]


class OtherNames(BaseModel):
    """Other ways HR and payroll exports write one role's title, and where they come from."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    role: Code
    names: tuple[Annotated[str, StringConstraints(min_length=2, max_length=120)], ...] = Field(min_length=1)
    source: Reason


class IgnoredWords(BaseModel):
    """Words an export adds to a job title that never tell two roles apart ("PCN", "ARRS")."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    words: tuple[Annotated[str, StringConstraints(min_length=2, max_length=40)], ...] = ()
    reason: Reason


class RoleCatalogue(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_name: Literal["arrs-desk/role-catalogue"] = Field(alias="schema")
    version: Annotated[int, Field(ge=1)]
    """Raised whenever roles are added, so that databases seeded from an older one gain them
    (`services.roles.sync_builtin_roles`, on opening)."""
    checked_on: date | None = None
    source: Source | None = None
    registers: tuple[Register, ...]
    roles: tuple[RoleDefinition, ...]
    other_names: tuple[OtherNames, ...] = ()
    ignored_in_role_names: IgnoredWords | None = None

    @model_validator(mode="after")
    def _consistent(self) -> "RoleCatalogue":
        register_codes = [r.code for r in self.registers]
        if len(set(register_codes)) != len(register_codes):
            raise ValueError("register codes must be unique")
        role_codes = [r.code for r in self.roles]
        if len(set(role_codes)) != len(role_codes):
            raise ValueError("role codes must be unique")
        known = set(register_codes)
        for role in self.roles:
            unknown = set(role.registers) - known
            if unknown:
                raise ValueError(f"role {role.code} names unknown register(s) {sorted(unknown)}")
            if role.registration_required and not role.registers:
                raise ValueError(f"role {role.code} requires registration but names no register")
        self._check_other_names()
        return self

    def _check_other_names(self) -> None:
        """Every other name belongs to a known role and to one role only, and never reads as
        another role's code or title; the ignored words never make up a whole title."""
        owner = {role_key(text): r.code for r in self.roles for text in (r.code, r.title)}
        listed: set[str] = set()
        for entry in self.other_names:
            if self.role(entry.role) is None:
                raise ValueError(f"other_names lists unknown role {entry.role}")
            if entry.role in listed:
                raise ValueError(f"other_names lists role {entry.role} twice; give it one list")
            listed.add(entry.role)
            for name in entry.names:
                key = role_key(name)
                if not key:
                    raise ValueError(f"other name {name!r} of {entry.role} has no letters or digits")
                if owner.get(key, entry.role) != entry.role:
                    raise ValueError(f"other name {name!r} of {entry.role} reads as role {owner[key]}")
                owner[key] = entry.role
        ignored = [role_words(w) for w in self.ignored_words]
        for role in self.roles:
            if not without_words(role_words(role.title), ignored):
                raise ValueError(f"the ignored words make up the whole title of role {role.code}")

    @property
    def ignored_words(self) -> tuple[str, ...]:
        return self.ignored_in_role_names.words if self.ignored_in_role_names else ()

    def other_names_by_role(self) -> dict[str, tuple[str, ...]]:
        return {entry.role: entry.names for entry in self.other_names}

    def role_names(self, roles: list[tuple[str, str]] | None = None) -> RoleNames:
        """A finder for `roles` ((code, title) as the PCN has them; the catalogue's own by default)."""
        roles = roles if roles is not None else [(r.code, r.title) for r in self.roles]
        return RoleNames(roles, self.other_names_by_role(), self.ignored_words)

    def register(self, code: str) -> Register | None:
        return next((r for r in self.registers if r.code == code), None)

    def role(self, code: str) -> RoleDefinition | None:
        return next((r for r in self.roles if r.code == code), None)


@cache
def builtin_catalogue() -> RoleCatalogue:
    from arrs_desk.paths import resource_path

    return load_data_file(RoleCatalogue, resource_path("catalogue", "roles.json"))
