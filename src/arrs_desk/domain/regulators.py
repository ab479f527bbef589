"""Regulator rules as data: resources/regulators/rules.json read and validated.

What each register's revalidation or renewal asks of a person (how long a cycle is, whether it
runs from the person's own registration date or in a window the regulator sets for a whole
profession, what evidence it needs and how much, how early the regulator writes) changes with
the regulators' guidance, not with the code: it lives in the data file, with the page each
default was checked against and the date it was checked. A malformed file is rejected whole,
naming the file and the field (`datafiles.load_data_file`).
"""

from __future__ import annotations

import calendar
from datetime import date
from enum import StrEnum
from functools import cache
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from arrs_desk.domain.datafiles import load_data_file
from arrs_desk.domain.dates import add_months, format_uk

Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{0,39}$")]
RegisterCode = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9-]{0,23}$")]
Text = Annotated[str, StringConstraints(min_length=1, max_length=400)]


class EvidenceKind(StrEnum):
    """The kinds of revalidation evidence other than CPD entries (which have a log of their own)."""

    PRACTICE_HOURS = "practice-hours"
    FEEDBACK = "feedback"
    REFLECTIVE_ACCOUNT = "reflective-account"
    DISCUSSION = "discussion"
    DECLARATION = "declaration"
    INDEMNITY = "indemnity"
    CONFIRMATION = "confirmation"
    QUALITY_IMPROVEMENT = "quality-improvement"
    SIGNIFICANT_EVENT = "significant-event"
    COLLEAGUE_FEEDBACK = "colleague-feedback"
    PATIENT_FEEDBACK = "patient-feedback"
    COMPLAINTS_COMPLIMENTS = "complaints-compliments"
    AUDIT_SELECTION = "audit-selection"
    """The regulator's letter picking the person for a CPD audit (dated the day of the letter)."""
    CPD_PROFILE_SENT = "cpd-profile-sent"

    @property
    def label(self) -> str:
        return _EVIDENCE_LABELS[self]


_EVIDENCE_LABELS = {
    EvidenceKind.PRACTICE_HOURS: "Practice hours",
    EvidenceKind.FEEDBACK: "Practice-related feedback",
    EvidenceKind.REFLECTIVE_ACCOUNT: "Reflective account",
    EvidenceKind.DISCUSSION: "Reflective or peer discussion",
    EvidenceKind.DECLARATION: "Declaration",
    EvidenceKind.INDEMNITY: "Professional indemnity",
    EvidenceKind.CONFIRMATION: "Confirmation",
    EvidenceKind.QUALITY_IMPROVEMENT: "Quality improvement activity",
    EvidenceKind.SIGNIFICANT_EVENT: "Significant event",
    EvidenceKind.COLLEAGUE_FEEDBACK: "Colleague feedback",
    EvidenceKind.PATIENT_FEEDBACK: "Patient feedback",
    EvidenceKind.COMPLAINTS_COMPLIMENTS: "Compliments and complaints",
    EvidenceKind.AUDIT_SELECTION: "Picked for CPD audit (HCPC letter)",
    EvidenceKind.CPD_PROFILE_SENT: "CPD profile sent for audit",
}

Measure = Literal["cpd-hours", "participatory-hours", "cpd-records", "planned-cpd-records", "evidence-count",
                  "evidence-hours"]


class Requirement(BaseModel):
    """One thing a cycle needs: at least `at_least` of a measure over the cycle's dates."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: Key
    label: Text
    measure: Measure
    evidence: EvidenceKind | None = None
    at_least: Annotated[float, Field(gt=0, le=10000)]
    note: Text | None = None

    @model_validator(mode="after")
    def _evidence_named(self) -> "Requirement":
        if self.measure.startswith("evidence-") and self.evidence is None:
            raise ValueError(f"requirement {self.code} counts evidence but names no evidence kind")
        if not self.measure.startswith("evidence-") and self.evidence is not None:
            raise ValueError(f"requirement {self.code} counts CPD and must not name an evidence kind")
        return self


class MonthDay(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    month: Annotated[int, Field(ge=1, le=12)]
    day: Annotated[int, Field(ge=1, le=31)]

    @model_validator(mode="after")
    def _exists(self) -> "MonthDay":
        if self.day > calendar.monthrange(2028, self.month)[1]:  # 2028 is a leap year: 29 Feb allowed
            raise ValueError(f"month {self.month} has no day {self.day}")
        return self

    def in_year(self, year: int) -> date:
        """This day in `year`; 29 February becomes 28 February outside leap years."""
        return date(year, self.month, min(self.day, calendar.monthrange(year, self.month)[1]))


class Window(BaseModel):
    """A profession's renewal window: opens and closes on the same days every cycle."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    register_code: RegisterCode = Field(alias="register")
    profession: Text
    opens: MonthDay
    closes: MonthDay
    closes_in: Literal["even", "odd", "any"]
    """Which years the window closes in (HCPC renews each profession every other year)."""

    def closes_in_year(self, year: int) -> bool:
        return self.closes_in == "any" or (year % 2 == 0) == (self.closes_in == "even")


class Cycle(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["per-person", "fixed-window"]
    months: Annotated[int, Field(ge=12, le=120)]
    due: Literal["expiry", "first-of-expiry-month", "months-before-expiry"] = "expiry"
    """Per person: when the application is due, against the registration's expiry date."""
    due_months_before: Annotated[int, Field(ge=0, le=12)] = 0
    explained: Text
    windows: tuple[Window, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> "Cycle":
        if self.kind == "fixed-window" and not self.windows:
            raise ValueError("a fixed-window cycle needs its windows")
        if self.kind == "per-person" and self.windows:
            raise ValueError("a per-person cycle has no windows")
        if (self.due == "months-before-expiry") != (self.due_months_before > 0):
            raise ValueError("due_months_before is given exactly when due is months-before-expiry")
        for window in self.windows:
            if self.months % 12:
                raise ValueError("a fixed-window cycle lasts whole years")
            if self.months == 12 and window.closes_in != "any":
                raise ValueError(f"a yearly window ({window.register_code}) closes in 'any' year")
            if self.months == 24 and window.closes_in == "any":
                raise ValueError(f"a two-yearly window ({window.register_code}) closes in even or odd years")
        return self

    def window(self, register: str) -> Window | None:
        return next((w for w in self.windows if w.register_code == register), None)


class Source(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$", max_length=400)]
    checked: date
    covers: Text


class Audit(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    share_percent: Annotated[float, Field(gt=0, le=100)]
    registered_at_least_months: Annotated[int, Field(ge=0, le=120)]
    explained: Text
    profile_months: Annotated[int, Field(ge=1, le=12)]
    """How long a person picked has to send the profile, counted from the letter."""
    profile_due_explained: Text


class Regulator(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code: RegisterCode
    short: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    """How the regulator is named in a sentence ("GPhC")."""
    name: Text
    registers: tuple[RegisterCode, ...] = Field(min_length=1)
    cycle: Cycle
    notice_days: Annotated[int, Field(ge=0, le=365)]
    """How long before the due date the regulator writes to the person."""
    keeps_records_months: Annotated[int, Field(ge=1, le=120)] | None = None
    audit: Audit | None = None
    requirements: tuple[Requirement, ...] = Field(min_length=1)
    sources: tuple[Source, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> "Regulator":
        codes = [r.code for r in self.requirements]
        if len(set(codes)) != len(codes):
            raise ValueError(f"{self.code}: requirement codes must be unique")
        for window in self.cycle.windows:
            if window.register_code not in self.registers:
                raise ValueError(f"{self.code}: window for {window.register_code}, which is not one of its registers")
        return self


class RegulatorRules(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_name: Literal["arrs-desk/regulator-rules"] = Field(alias="schema")
    version: Annotated[int, Field(ge=1)]
    warning_days: tuple[Annotated[int, Field(ge=1, le=365)], ...] = Field(min_length=1)
    """Days before a due date at which the person and their line manager are warned."""
    at_risk_days: Annotated[int, Field(ge=1, le=365)]
    """Within this many days of the due date, anything still missing puts the cycle at risk."""
    regulators: tuple[Regulator, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> "RegulatorRules":
        if list(self.warning_days) != sorted(set(self.warning_days), reverse=True):
            raise ValueError("warning_days must be distinct and run from the earliest warning to the last")
        seen: dict[str, str] = {}
        for regulator in self.regulators:
            for register in regulator.registers:
                if register in seen:
                    raise ValueError(f"register {register} is listed by both {seen[register]} and {regulator.code}")
                seen[register] = regulator.code
        return self

    def for_register(self, register: str) -> Regulator | None:
        return next((r for r in self.regulators if register in r.registers), None)

    def check_registers(self, known: set[str]) -> list[str]:
        """Registers the rules name that the role catalogue does not know (a stale file)."""
        return sorted({code for r in self.regulators for code in r.registers} - known)


@cache
def builtin_rules() -> RegulatorRules:
    from arrs_desk.paths import resource_path

    return load_data_file(RegulatorRules, resource_path("regulators", "rules.json"))


def renewal_too_far(rules: RegulatorRules, register_code: str, renewal: date, today: date) -> str:
    """Why `renewal` cannot be the next renewal on the register, "" when it can: further ahead than
    the register's whole cycle (a GPhC registration renewed every year, recorded as renewing in two
    years' time), every revalidation date counted from it put the cycle wholly in the future, and
    CPD recorded today counted for nothing."""
    regulator = rules.for_register(register_code)
    if regulator is None:
        return ""
    latest = add_months(today, regulator.cycle.months)
    if renewal <= latest:
        return ""
    return (f"The renewal date {format_uk(renewal)} is further ahead than a {regulator.short} registration lasts "
            f"({regulator.cycle.months} months): the next renewal falls by {format_uk(latest)}. Check the year.")
