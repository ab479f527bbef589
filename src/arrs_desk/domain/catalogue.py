"""The role catalogue: ARRS roles and the professional registers their staff may be on.

The built-in catalogue is data (`resources/catalogue/roles.json`); this module validates it and
answers questions about it. Roles are copied into the database on first open so that a PCN can
edit titles and add local roles; registers stay with the release, since their formats are set
by the regulators, not by the PCN.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from arrs_desk.domain.datafiles import load_data_file

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


class RoleCatalogue(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_name: Literal["arrs-desk/role-catalogue"] = Field(alias="schema")
    version: Annotated[int, Field(ge=1)]
    registers: tuple[Register, ...]
    roles: tuple[RoleDefinition, ...]

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
        return self

    def register(self, code: str) -> Register | None:
        return next((r for r in self.registers if r.code == code), None)

    def role(self, code: str) -> RoleDefinition | None:
        return next((r for r in self.roles if r.code == code), None)


@cache
def builtin_catalogue() -> RoleCatalogue:
    from arrs_desk.paths import resource_path

    return load_data_file(RoleCatalogue, resource_path("catalogue", "roles.json"))
