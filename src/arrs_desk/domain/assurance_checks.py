"""The Network Contract checks as data: resources/assurance/checks.json read and validated.

Apart from `assurance` (which evaluates the checks) because `reviews` needs one number from
here, the probation check's grace, while `assurance` builds on `reviews`' probation rule: with
the definitions below both, neither module imports the other in a circle.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from arrs_desk.domain.datafiles import parse_data
from arrs_desk.errors import ResourceFileError
from arrs_desk.paths import resource_path

Text = Annotated[str, StringConstraints(min_length=1, max_length=400)]
Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{0,39}$")]


class CheckDefinition(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code: Key
    kind: Literal["supervision", "review", "probation", "registration", "pathway", "engagement", "induction-tag",
                  "training"]
    title: Text
    short: Annotated[str, StringConstraints(min_length=1, max_length=20)]
    description: Text
    source: Annotated[str, StringConstraints(min_length=1, max_length=600)]
    """Where the requirement comes from (the Network Contract paragraph, guidance), shown with the check."""
    evidence: Literal["Supervision", "Reviews", "Staff", "Programmes", "Induction", "Training", "Revalidation"]
    months: int | None = None
    grace_months: Annotated[int, Field(ge=0, le=24)] | None = None
    """Probation: how long after the probation period a missing review is still chased; training:
    how long a new starter has to complete the subjects their role needs."""
    tag: Key | None = None
    roles: tuple[Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]{0,23}$")], ...] | None = None
    """Pathway: the roles whose minimum requirements include a training pathway."""

    @model_validator(mode="after")
    def _needs(self) -> "CheckDefinition":
        if self.kind == "induction-tag" and not self.tag:
            raise ValueError("an induction-tag check needs a tag")
        if self.kind in ("review", "engagement", "pathway") and not self.months:
            raise ValueError(f"a {self.kind} check needs months")
        if self.kind in ("probation", "training") and self.grace_months is None:
            raise ValueError(f"the {self.kind} check needs grace_months")
        if self.kind == "pathway" and not self.roles:
            raise ValueError("the pathway check needs the roles it applies to")
        return self


class AssuranceFile(BaseModel):
    """A file in resources/assurance: nothing but the keys it declares, its `schema` key read as
    `schema_` (pydantic keeps `schema` for itself)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _rename(cls, data):
        if isinstance(data, dict) and "schema" in data:
            data = {**data, "schema_": data["schema"]}
            data.pop("schema")
        return data


class CheckFile(AssuranceFile):
    schema_: Literal["arrs-desk/assurance-checks"] = None  # type: ignore[assignment]
    version: int
    checks: tuple[CheckDefinition, ...]

    @model_validator(mode="after")
    def _unique(self) -> "CheckFile":
        codes = [c.code for c in self.checks]
        if len(codes) != len(set(codes)):
            raise ValueError("check codes must be unique")
        if sum(c.kind == "probation" for c in self.checks) != 1:
            raise ValueError("exactly one probation check: the Reviews page reads its grace_months")
        return self


def read_assurance_file(name: str) -> object:
    path = resource_path("assurance", name)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ResourceFileError(f"{path} could not be read: {exc}") from None


@cache
def builtin_checks() -> tuple[CheckDefinition, ...]:
    return parse_data(CheckFile, read_assurance_file("checks.json"), source="assurance/checks.json").checks


def probation_check() -> CheckDefinition:
    return next(c for c in builtin_checks() if c.kind == "probation")
