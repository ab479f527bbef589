"""Revalidation: a person's current cycle worked out from their registration and the regulator's
rules, how far their evidence meets it, and a status with the reason in words.

Nothing here is stored: a cycle and its status are worked out when read, from the renewal date on
the staff record, the rules in resources/regulators/rules.json (`domain.regulators`) and the
evidence tallied by the service, so that a corrected date or a new rules file changes every
screen at once. The date arithmetic is `domain.dates`'; `today` is always passed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum
from typing import NamedTuple

from arrs_desk.domain.dates import add_months, format_uk, months_window_start
from arrs_desk.domain.regulators import EvidenceKind, Regulator, RegulatorRules, Requirement


@dataclass(frozen=True, slots=True)
class CycleDates:
    """One revalidation or renewal cycle, both ends counted.

    `due` is when the application (or the records) must reach the regulator; `opens` the first day
    it can be made (a window's first day, or the regulator's notice for a per-person cycle);
    `end` the last day of the registration the cycle renews.
    """

    start: date
    end: date
    due: date
    opens: date
    from_window: bool

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def _due_for(regulator: Regulator, end: date) -> date:
    cycle = regulator.cycle
    if cycle.due == "first-of-expiry-month":
        return end.replace(day=1)
    if cycle.due == "months-before-expiry":
        return add_months(end, -cycle.due_months_before)
    return end


def cycle_ending(regulator: Regulator, register: str, end: date) -> CycleDates:
    """The cycle whose last day is `end`, as the person's own registration sets it."""
    start = months_window_start(end, regulator.cycle.months)
    due = _due_for(regulator, end)
    return CycleDates(start, end, due, max(start, due - timedelta(days=regulator.notice_days)), False)


def window_cycle(regulator: Regulator, register: str, today: date) -> CycleDates | None:
    """The profession's window cycle that `today` falls in: it ends when the next window closes
    (today included), and starts the day after the window before it closed. None when the
    register has no window of its own."""
    window = regulator.cycle.window(register)
    if window is None:
        return None
    years = regulator.cycle.months // 12
    year = today.year
    while not (window.closes_in_year(year) and window.closes.in_year(year) >= today):
        year += 1
    end = window.closes.in_year(year)
    start = window.closes.in_year(year - years) + timedelta(days=1)
    opens = window.opens.in_year(year)
    if opens > end:  # a window across the year end (1 December to 28 February)
        opens = window.opens.in_year(year - 1)
    return CycleDates(start, end, end, opens, True)


def current_cycle(regulator: Regulator, register: str, renewal: date | None, today: date) -> CycleDates | None:
    """The cycle the person is in on `today`: the profession's window where the rules set one,
    otherwise the one ending on the renewal date recorded for them (None when none is)."""
    if regulator.cycle.kind == "fixed-window":
        found = window_cycle(regulator, register, today)
        if found is not None:
            return found
    if renewal is None:
        return None
    return cycle_ending(regulator, register, renewal)


def previous_cycle(regulator: Regulator, register: str, current: CycleDates) -> CycleDates:
    """The cycle that ended the day before `current` began."""
    before = current.start - timedelta(days=1)
    if current.from_window:
        found = window_cycle(regulator, register, before)
        if found is not None:
            return found
    return cycle_ending(regulator, register, before)


def cycle_choices(current: CycleDates | None, previous: CycleDates | None, occurred_on: date | None,
                  ) -> tuple[CycleDates, ...]:
    """The cycles an entry dated `occurred_on` may be counted towards, as the form offers them:
    the current cycle, and the previous one when the entry is dated before the current began."""
    if current is None:
        return ()
    if previous is not None and occurred_on is not None and occurred_on < current.start:
        return (current, previous)
    return (current,)


def default_cycle(choices: Iterable[CycleDates], occurred_on: date | None) -> CycleDates | None:
    """The cycle an entry counts towards by its date: the offered one it falls in."""
    return next((c for c in choices if occurred_on is not None and c.contains(occurred_on)), None)


def counts_towards_problem(counts_towards: date | None, occurred_on: date | None,
                           cycles: Iterable[CycleDates]) -> str | None:
    """Why an entry cannot count towards the cycle ending `counts_towards`, or None when it can:
    the cycle must be one of the person's (current or previous) and the entry must fall in it."""
    if counts_towards is None or occurred_on is None:
        return None
    cycle = next((c for c in cycles if c.end == counts_towards), None)
    if cycle is None:
        return (f"There is no cycle of this person's ending {format_uk(counts_towards)}; choose the current "
                "cycle or the one before it.")
    if not cycle.contains(occurred_on):
        return (f"Something dated {format_uk(occurred_on)} is outside the cycle {format_uk(cycle.start)} to "
                f"{format_uk(cycle.end)}, so it cannot count towards it; choose the cycle it falls in.")
    return None


class CpdMethod(StrEnum):
    """How a piece of CPD was done (the NMC asks for the method; the others accept any)."""

    COURSE = "course"
    E_LEARNING = "e-learning"
    CONFERENCE = "conference"
    WORKSHOP = "workshop"
    SUPERVISION = "supervision"
    SHADOWING = "shadowing"
    READING = "reading"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {"course": "Course or study day", "e-learning": "E-learning", "conference": "Conference",
                "workshop": "Workshop or group learning", "supervision": "Supervision or case discussion",
                "shadowing": "Shadowing", "reading": "Reading or research", "other": "Other"}[self.value]


CPD_SOURCES = ("supervision", "programme", "induction", "training")
"""Where a CPD entry may say it came from, so that nothing is typed twice."""


class CpdFact(NamedTuple):
    """What the rules need to know of one CPD entry (a named tuple: thousands are made per read)."""

    occurred_on: date
    hours: float
    participatory: bool
    planned: bool
    counts_towards: date | None = None  # the end of the cycle it was assigned to; None: by its date


class EvidenceFact(NamedTuple):
    kind: str
    occurred_on: date
    hours: float = 0.0
    counts_towards: date | None = None


def counts_in(cycle: CycleDates, occurred_on: date, counts_towards: date | None) -> bool:
    """Whether a record counts towards `cycle`: the cycle it was assigned to, else its date."""
    return counts_towards == cycle.end if counts_towards is not None else cycle.contains(occurred_on)


@dataclass(frozen=True, slots=True)
class Tally:
    cpd_hours: float = 0.0
    participatory_hours: float = 0.0
    cpd_records: int = 0
    planned_cpd_records: int = 0
    evidence_counts: Mapping[str, int] = field(default_factory=dict)
    evidence_hours: Mapping[str, float] = field(default_factory=dict)


def tally(cycle: CycleDates, cpd: Iterable[CpdFact], evidence: Iterable[EvidenceFact]) -> Tally:
    """Everything recorded that counts towards `cycle`: an entry assigned to a cycle counts towards
    that one, any other by its date (both ends counted). Facts are read by position, so plain
    tuples in the facts' field order serve as well (the list reads them so: the garbage collector
    stops tracking a plain tuple of dates and numbers, never a named one). The test is written
    out inline: it runs for every entry of everyone on the Revalidation page."""
    start, end = cycle.start, cycle.end
    hours = participatory = 0.0
    records = planned = 0
    for occurred_on, spent, is_participatory, is_planned, towards in cpd:
        if towards == end if towards is not None else start <= occurred_on <= end:
            hours += spent
            records += 1
            if is_participatory:
                participatory += spent
            if is_planned:
                planned += 1
    counts: dict[str, int] = {}
    kind_hours: dict[str, float] = {}
    for kind, occurred_on, spent, towards in evidence:
        if towards == end if towards is not None else start <= occurred_on <= end:
            counts[kind] = counts.get(kind, 0) + 1
            kind_hours[kind] = kind_hours.get(kind, 0.0) + spent
    # Hours are kept to two decimals: rounding the sums stops 0.1 + 0.2 falling short of 0.3.
    return Tally(round(hours, 2), round(participatory, 2), records, planned, counts,
                 {kind: round(value, 2) for kind, value in kind_hours.items()})


class Progress(NamedTuple):
    """One requirement against what is recorded (a named tuple: one per requirement per person)."""

    code: str
    label: str
    have: float
    need: float

    @property
    def met(self) -> bool:
        return self.have >= self.need

    def describe(self) -> str:
        return f"{self.label}: {_number(self.have)} of {_number(self.need)}"


def _number(value: float) -> str:
    """19.5 as 19.5 and 20.0 as 20 (str() is several times quicker than the :g format)."""
    whole = int(value)
    return str(whole) if whole == value else str(value)


def measured(requirement: Requirement, counted: Tally) -> float:
    match requirement.measure:
        case "cpd-hours":
            return counted.cpd_hours
        case "participatory-hours":
            return counted.participatory_hours
        case "cpd-records":
            return counted.cpd_records
        case "planned-cpd-records":
            return counted.planned_cpd_records
        case "evidence-count":
            return counted.evidence_counts.get(str(requirement.evidence), 0)
        case _:
            return counted.evidence_hours.get(str(requirement.evidence), 0.0)


def progress(regulator: Regulator, counted: Tally) -> list[Progress]:
    return [Progress(r.code, r.label, measured(r, counted), r.at_least) for r in regulator.requirements]


@dataclass(frozen=True, slots=True)
class AuditPick:
    """The regulator's letter picking the person for a CPD audit in this cycle, when the profile
    is due (`Audit.profile_months` from the letter, the last day counted) and when it was sent."""

    picked_on: date
    due: date
    sent_on: date | None = None

    def describe(self, name: str, today: date) -> str:
        said = f"Picked for {name} CPD audit on {format_uk(self.picked_on)}"
        if self.sent_on is not None:
            return f"{said}; CPD profile sent {format_uk(self.sent_on)}."
        if today > self.due:
            return f"{said}: the CPD profile was due by {format_uk(self.due)} and is not recorded as sent."
        return f"{said}: send the CPD profile by {format_uk(self.due)}."


class Status(StrEnum):
    READY = "ready"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OVERDUE = "overdue"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return {"ready": "Ready", "on_track": "On track", "at_risk": "At risk", "overdue": "Overdue",
                "unknown": "Not known"}[self.value]


@dataclass(frozen=True, slots=True)
class Assessment:
    status: Status
    reason: str
    cycle: CycleDates | None = None
    progress: tuple[Progress, ...] = ()
    days_to_due: int | None = None
    warning: int | None = None
    """The warning threshold (90, 60, 30, 7 days...) reached and not yet passed; None when none."""
    audit: AuditPick | None = None
    """The regulator's letter picking the person for a CPD audit in this cycle, when recorded."""

    @property
    def notice_from(self) -> date | None:
        """When the regulator has written: the cycle's opening, or an audit letter before it."""
        if self.cycle is None:
            return None
        return min(self.cycle.opens, self.audit.picked_on) if self.audit else self.cycle.opens


def warning_stage(days_to_due: int, warning_days: Iterable[int]) -> int | None:
    """The smallest threshold still at or above the days left: 45 days left is the 60-day warning.
    None before the first warning and once the due date has passed (that is overdue)."""
    if days_to_due < 0:
        return None
    reached = [d for d in warning_days if days_to_due <= d]
    return min(reached) if reached else None


def _when(due: date, today: date) -> str:
    days = (due - today).days
    if days == 0:
        return f"due today ({format_uk(due)})"
    if days > 0:
        return f"due {format_uk(due)} (in {days} day{'s' if days != 1 else ''})"
    return f"was due {format_uk(due)} ({-days} day{'s' if days != -1 else ''} ago)"


def audit_pick(regulator: Regulator, cycle: CycleDates, evidence: Iterable[EvidenceFact]) -> AuditPick | None:
    """The latest audit letter counting towards `cycle` (a letter of an earlier cycle is that
    cycle's business), and the first profile recorded as sent on or after it; None when the
    regulator audits no one or no letter is recorded. People picked must have been registered
    for `Audit.registered_at_least_months`; the staff record holds no first registration date,
    so that is the regulator's check, not this one."""
    if regulator.audit is None:
        return None
    picked: date | None = None
    sent: list[date] = []
    for kind, occurred_on, _hours, towards in evidence:
        if kind == EvidenceKind.AUDIT_SELECTION and counts_in(cycle, occurred_on, towards):
            picked = occurred_on if picked is None else max(picked, occurred_on)
        elif kind == EvidenceKind.CPD_PROFILE_SENT:
            sent.append(occurred_on)
    if picked is None:
        return None
    # The months' last day: from 1 February, 30 April; from 30 November, the end of February.
    due = add_months(picked - timedelta(days=1), regulator.audit.profile_months)
    return AuditPick(picked, due, min((d for d in sent if d >= picked), default=None))


def with_audit(verdict: Assessment, pick: AuditPick | None, name: str, today: date) -> Assessment:
    """A verdict told of an audit letter: its words first; until the profile is sent the status
    is at least at risk, and overdue once the profile's due date has passed."""
    if pick is None:
        return verdict
    status = verdict.status
    if pick.sent_on is None and status is not Status.OVERDUE:
        status = Status.OVERDUE if today > pick.due else Status.AT_RISK
    return replace(verdict, status=status, reason=f"{pick.describe(name, today)} {verdict.reason}", audit=pick)


GAPS_LISTED = 3
"""Missing requirements named in the reason; the rest are counted (the record lists them all)."""


class Shortfall(NamedTuple):
    """A tally against the regulator's requirements: each one's progress, how many are not met,
    and those named in words (`assess`'s reasons)."""

    items: tuple[Progress, ...]
    missing: int
    gaps: str


def shortfall(regulator: Regulator, counted: Tally) -> Shortfall:
    items = tuple(progress(regulator, counted))
    missing = [p for p in items if not p.met]
    gaps = "; ".join(p.describe() for p in missing[:GAPS_LISTED])
    if len(missing) > GAPS_LISTED:
        gaps += f"; and {len(missing) - GAPS_LISTED} more"
    return Shortfall(items, len(missing), gaps)


def assess(regulator: Regulator | None, register: str, cycle: CycleDates | None, counted: Tally, today: date,
           *, at_risk_days: int, warning_days: Iterable[int], short: Shortfall | None = None) -> Assessment:
    """The status of a person's cycle on `today`, with the reason in words. `short`: the tally's
    `shortfall`, when already worked out (`Judge` keeps the one for nothing recorded)."""
    if regulator is None:
        return Assessment(Status.UNKNOWN, f"No revalidation rules are held for the {register or 'unknown'} register.")
    if cycle is None:
        return Assessment(Status.UNKNOWN, f"No {regulator.short} renewal date is recorded: add it to the staff record "
                                          "to work out the revalidation cycle.")
    items, missing, gaps = short if short is not None else shortfall(regulator, counted)
    days = (cycle.due - today).days
    stage = warning_stage(days, warning_days) if missing else None
    when = _when(cycle.due, today)
    name = regulator.short

    def result(status: Status, reason: str) -> Assessment:
        return Assessment(status, reason, cycle, items, days, stage)

    if today > cycle.end:
        return result(Status.OVERDUE, f"The {name} registration was due for renewal by "
                                      f"{format_uk(cycle.end)}: record the new renewal date, or the person may "
                                      "no longer be registered.")
    if not missing:
        return result(Status.READY, f"Everything {name} asks for is recorded; {when}.")
    if days < 0:
        return result(Status.OVERDUE, f"{name} revalidation {when} and is incomplete: {gaps}.")
    if days <= at_risk_days:
        return result(Status.AT_RISK, f"{name} revalidation {when} with {missing} "
                                      f"requirement{'s' if missing != 1 else ''} still to meet: {gaps}.")
    return result(Status.ON_TRACK, f"{name} revalidation {when}; still to collect: {gaps}.")


class Judge:
    """The rules made ready to judge many people on one day, as `current_cycle`, `tally` and
    `assess` judge one: each register's regulator looked up once, a profession's window cycle
    worked out once (it is the same for everyone on the register that day) and a per-person
    cycle once per renewal date, so the Revalidation page and the assurance check for 1,000
    people cost little more than their tallies."""

    def __init__(self, rules: RegulatorRules, today: date):
        self.today = today
        self._at_risk_days = rules.at_risk_days
        self._warning_days = tuple(rules.warning_days)
        self._regulators = {code: r for r in rules.regulators for code in r.registers}
        self._windows: dict[str, CycleDates | None] = {}
        self._cycles: dict[tuple[str, date], CycleDates] = {}
        self._bare: dict[tuple[str, CycleDates | None], Assessment] = {}
        """(register, cycle) -> the verdict on someone with no CPD or evidence recorded, which the
        cycle alone decides: most people on the Revalidation page, who share a few hundred cycles
        (an Assessment is frozen, so one serves them all)."""
        self._bare_short = {r.code: shortfall(r, Tally()) for r in rules.regulators}
        """regulator -> how nothing recorded falls short of it: the same for each of the ~1,000
        cycles above, so the requirements are measured and named once per regulator."""

    def regulator(self, register: str) -> Regulator | None:
        return self._regulators.get(register)

    def cycle(self, regulator: Regulator, register: str, renewal: date | None) -> CycleDates | None:
        """`current_cycle`, remembered."""
        if regulator.cycle.kind == "fixed-window":
            if register not in self._windows:
                self._windows[register] = window_cycle(regulator, register, self.today)
            found = self._windows[register]
            if found is not None:
                return found
        if renewal is None:
            return None
        key = (regulator.code, renewal)
        found = self._cycles.get(key)
        if found is None:
            found = self._cycles[key] = cycle_ending(regulator, register, renewal)
        return found

    def __call__(self, register: str, renewal: date | None, cpd: Iterable[CpdFact],
                 evidence: Iterable[EvidenceFact]) -> Assessment:
        regulator = self._regulators.get(register)
        cycle = self.cycle(regulator, register, renewal) if regulator is not None else None
        if not cpd and not evidence:  # nothing recorded (an iterator is never false: judged in full)
            found = self._bare.get((register, cycle))
            if found is None:
                found = self._bare[(register, cycle)] = assess(
                    regulator, register, cycle, Tally(), self.today, at_risk_days=self._at_risk_days,
                    warning_days=self._warning_days,
                    short=self._bare_short[regulator.code] if regulator is not None else None)
            return found
        audited = cycle is not None and regulator.audit is not None
        if audited and not isinstance(evidence, (list, tuple)):
            evidence = tuple(evidence)  # read twice: the tally and the audit letter
        counted = tally(cycle, cpd, evidence) if cycle is not None else Tally()
        verdict = assess(regulator, register, cycle, counted, self.today, at_risk_days=self._at_risk_days,
                         warning_days=self._warning_days)
        if audited:
            verdict = with_audit(verdict, audit_pick(regulator, cycle, evidence), regulator.short, self.today)
        return verdict
