"""The appraisal pack as a sequence of plain blocks: headings, paragraphs, fact lists, tables.

Deciding what the pack says (which sections, what an empty section reads, which columns) happens
once, here; `appraisal_pack` lays the blocks out as a PDF with ReportLab and `pack_html` as HTML
for printing through Qt. All text in blocks is the user's plain text: each renderer escapes it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from arrs_desk.domain.appraisal_packs import GAP_DAYS
from arrs_desk.domain.dates import format_uk
from arrs_desk.reports.pack_data import AppraisalPackData, PackObjective, PackPdpItem, PackReview

CONFIDENTIAL = "Confidential - staff record"


@dataclass(frozen=True, slots=True)
class Strong:
    text: str


Rich = str | tuple[str | Strong, ...]
"""Plain text, or runs of plain and bold text."""


@dataclass(frozen=True, slots=True)
class Cover:
    title: str
    name: str
    subtitle: str
    facts: tuple[tuple[str, str], ...]
    contents: tuple[str, ...]
    notice: str


@dataclass(frozen=True, slots=True)
class Heading:
    text: str
    level: int = 1
    new_page: bool = False


@dataclass(frozen=True, slots=True)
class Para:
    content: Rich
    style: str = "body"
    """'body', 'muted' (secondary detail), 'empty' (what an empty section says) or 'label'."""


@dataclass(frozen=True, slots=True)
class Facts:
    rows: tuple[tuple[str, Rich], ...]


@dataclass(frozen=True, slots=True)
class Grid:
    headers: tuple[str, ...]
    rows: tuple[tuple[Rich, ...], ...]
    widths: tuple[float, ...]
    """Fractions of the text width, one per column."""
    split_rows: bool = True
    """Whether one row may run over a page break: needed for long notes; a table of short rows
    reads better with each row whole on one page."""


@dataclass(frozen=True, slots=True)
class Bullets:
    items: tuple[Rich, ...]


@dataclass(frozen=True, slots=True)
class LongText:
    """A person's own words (self-assessment, case study): a label, then the text, which may
    run over several pages."""

    label: str
    text: str
    empty: str = ""


@dataclass(frozen=True, slots=True)
class SignatureBlock:
    statement: str
    outcomes: tuple[str, ...]
    parties: tuple[tuple[str, str], ...]
    """(role, name) for each signer."""


Block = Cover | Heading | Para | Facts | Grid | Bullets | LongText | SignatureBlock

SECTIONS = (
    "Profile",
    "Induction",
    "Supervision in the period",
    "Preceptorship and programmes",
    "Reviews held in the period",
    "Objectives for the period and progress",
    "This review: objectives and development plan",
    "Impact examples",
    "Appendix: who recorded or signed what",
    "Signatures",
)


_ASCII_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean(value: object) -> str:
    """Text safe to print: control characters (but line breaks and tabs), unpaired surrogates,
    unassigned code points and private-use characters are dropped, so pasted junk can neither
    break a build nor hide in the document."""
    raw = "" if value is None else str(value)
    if raw.isascii():  # most text: one C-speed pass
        return _ASCII_CONTROLS.sub("", raw)
    return "".join(ch for ch in raw if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs", "Cn", "Co"))


def uk(day: date | None) -> str:
    return format_uk(day)


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _hours(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def pack_blocks(data: AppraisalPackData) -> list[Block]:
    person = data.person
    period = f"{uk(data.period_start)} to {uk(data.period_end)}"
    blocks: list[Block] = [Cover(
        title="Appraisal pack",
        name=person.named,
        subtitle=" · ".join(x for x in (person.role_title, ", ".join(person.practices)) if x),
        facts=(
            ("Period covered", period),
            ("Appraiser", person.appraiser or "Not yet named"),
            ("Line manager", person.line_manager or "Not recorded"),
            ("Organisation", data.organisation or "Not recorded"),
            ("Printed", f"{uk(data.printed_on)} by {data.printed_by}"),
        ),
        contents=tuple(f"{i}. {title}" for i, title in enumerate(SECTIONS, start=1)),
        notice=("This pack holds personal information about one member of staff, drawn from ARRS Desk for their "
                "appraisal. Share it only with the people taking part in the appraisal, keep it securely, and "
                "destroy printed copies once the appraisal record is complete."),
    )]
    blocks += _profile(data)
    blocks += _induction(data)
    blocks += _supervision(data)
    blocks += _programmes(data)
    blocks += _earlier_reviews(data)
    blocks += _previous_objectives(data)
    blocks += _current(data)
    blocks += _impact(data)
    blocks += _appendix(data)
    blocks += _signatures(data)
    return blocks


def _heading(number: int) -> Heading:
    return Heading(f"{number}. {SECTIONS[number - 1]}", 1, new_page=number in (1, 9, 10))


def _profile(data: AppraisalPackData) -> list[Block]:
    p = data.person
    registration: Rich = p.registration or "Not registered with a professional regulator"
    if p.registration:
        renewal = f"renewal due {uk(p.registration_renewal)}" if p.registration_renewal else "no renewal date recorded"
        registration = (p.registration + f" ({renewal})",) + ((" ", Strong(p.registration_note)) if p.registration_note else ())
    supervisors = "; ".join(f"{kind}: {name}" for kind, name in p.supervisors) or "No supervision arranged"
    return [_heading(1), Facts((
        ("Name", p.display_name),
        ("Role", p.role_title),
        ("Practice(s)", ", ".join(p.practices) or "None recorded"),
        ("Employer", " · ".join(x for x in (p.employer, p.employment) if x)),
        ("In post since", uk(p.start_date) + (f" ({p.status_label})" if p.status_label else "")),
        ("Band and hours", " · ".join(x for x in (f"Band {p.band}" if p.band else "", p.hours) if x) or "Not recorded"),
        ("Registration", registration),
        ("Line manager", p.line_manager or "Not recorded"),
        ("Supervisors", supervisors),
        ("Appraiser", p.appraiser or "Not yet named"),
    ))] + _revalidation(data)


def _revalidation(data: AppraisalPackData) -> list[Block]:
    """The person's current revalidation cycle, when they are on a register with rules for one."""
    rv = data.revalidation
    if rv is None:
        return []
    register = " · ".join(x for x in (rv.regulator, rv.register, rv.registration_number) if x)
    blocks: list[Block] = [Heading("Revalidation", 2), Facts((
        ("Register", register),
        ("Cycle", f"{uk(rv.cycle_start)} to {uk(rv.cycle_end)}" if rv.cycle_start else "Not known"),
        ("Due", uk(rv.due) or "Not known"),
        ("Status", (Strong(rv.status_label), f". {rv.reason}")),
        ("Evidence", "; ".join(f"{kind}: {count}" for kind, count in rv.evidence_counts) or "None recorded"),
    ))]
    if rv.requirements:
        blocks.append(Grid(("Requirement", "Recorded", "Required", "Met"),
                           tuple((r.label, _hours(r.have), _hours(r.need), "Yes" if r.met else (Strong("Not yet"),))
                                 for r in rv.requirements), (0.58, 0.14, 0.14, 0.14)))
    return blocks


def _induction(data: AppraisalPackData) -> list[Block]:
    ind = data.induction
    blocks: list[Block] = [_heading(2)]
    if not ind.recorded and ind.prior:
        blocks.append(Para((Strong(ind.prior), ".")))
        facts = tuple((label, value) for label, value in (("Note", ind.prior_note), ("Record kept", ind.prior_evidence))
                      if value)
        return blocks + ([Facts(facts)] if facts else [])
    if not ind.recorded:
        return blocks + [Para("No induction checklist is recorded for this person, and no induction completed before "
                              "records began.", "empty")]
    blocks.append(Para((Strong(f"{ind.percent}% complete"), f": {ind.done} of {_plural(ind.applicable, 'item')} done",
                        f", {ind.overdue} overdue" if ind.overdue else "",
                        f", {ind.awaiting} awaiting sign-off" if ind.awaiting else "", ".")))
    if ind.outstanding:
        blocks.append(Heading("Outstanding items", 2))
        blocks.append(Grid(("Section", "Item", "Due", "Status"),
                           tuple((i.section, i.title, uk(i.due_on), _status(i.status_label)) for i in ind.outstanding),
                           (0.22, 0.45, 0.14, 0.19)))
    else:
        blocks.append(Para("Every applicable item is complete.", "empty"))
    if ind.training_alerts:
        blocks.append(Heading("Training to renew", 2))
        blocks.append(Grid(("Training", "Expires", "Status"),
                           tuple((i.title, uk(i.due_on), _status(i.status_label)) for i in ind.training_alerts),
                           (0.58, 0.2, 0.22)))
    return blocks


def _status(label: str) -> Rich:
    """Statuses that need attention are printed in bold words, never shown by colour alone."""
    return (Strong(label),) if label in ("Overdue", "Expired", "Returned", "Not achieved") else label


def _supervision(data: AppraisalPackData) -> list[Block]:
    sup = data.supervision
    blocks: list[Block] = [_heading(3)]
    held = len(sup.sessions)
    if not sup.types and not held:
        return blocks + [Para("No supervision is arranged or recorded for this person in the period.", "empty")]
    blocks.append(Para(f"{_plural(held, 'session')} recorded between {uk(data.period_start)} and "
                       f"{uk(data.period_end)}, {_hours(sup.total_hours)} hours in all. Expected sessions come from "
                       "the frequency set for each kind of supervision over the time it applied in the period"
                       + (f", up to the day the pack was printed ({uk(data.printed_on)})."
                          if data.period_end > data.printed_on else ".")))
    rows = []
    for t in sup.types:
        short = t.required and t.held < t.expected
        rows.append((t.title + ("" if t.required else " (optional)"), t.frequency or "Not set",
                     (Strong(str(t.held)),) if short else str(t.held), str(t.expected) if t.expected else "–",
                     uk(t.last_session) or "None", t.supervisors or "Not arranged"))
    if rows:
        blocks.append(Grid(("Supervision", "Expected frequency", "Held", "Expected", "Last session", "Supervisor"),
                           tuple(rows), (0.21, 0.16, 0.08, 0.12, 0.14, 0.29)))
    blocks.append(Heading("Gaps", 2))
    if sup.gaps:
        blocks.append(Para(f"Stretches of {GAP_DAYS} days or more when a required session was overdue, from the day "
                           "it fell due to the next session (or the end of the period).", "muted"))
        blocks.append(Grid(("Supervision", "Overdue from", "Until", "Days"),
                           tuple((g.type_title, uk(g.start), uk(g.end), str(g.days)) for g in sup.gaps),
                           (0.4, 0.2, 0.2, 0.2)))
    else:
        blocks.append(Para(f"No gaps: no required session was overdue for {GAP_DAYS} days or more.", "empty"))
    blocks.append(Heading("Themes", 2))
    if sup.themes:
        blocks.append(Para(("Words that recur in the session topics, with the number of sessions mentioning each: ",
                            "; ".join(f"{word} ({count})" for word, count in sup.themes), ".")))
    else:
        blocks.append(Para("No theme recurs across the session topics recorded in the period.", "empty"))
    if held:
        blocks.append(Heading("Sessions", 2))
        blocks.append(Grid(("Date", "Supervision", "Supervisor", "Length", "Topics"),
                           tuple((uk(s.held_on), s.type_title, s.supervisor, f"{s.minutes} min" if s.minutes else "",
                                  s.topics) for s in sup.sessions),
                           (0.14, 0.17, 0.19, 0.1, 0.4)))
    return blocks


def _programmes(data: AppraisalPackData) -> list[Block]:
    blocks: list[Block] = [_heading(4)]
    if not data.programmes:
        return blocks + [Para(f"No preceptorship or training programme is recorded for {data.person.display_name}.",
                              "empty")]
    for p in data.programmes:
        blocks.append(Heading(p.title, 2))
        facts = [
            ("Status", p.status_label + (f" on {uk(p.completed_on)}" if p.completed_on else "")),
            ("Dates", f"Started {uk(p.start_date)}; expected to end {uk(p.expected_end)}"),
            ("Preceptor", p.preceptor or "Not named"),
            ("Assessor", p.assessor or "Not named"),
            ("Progress", f"{p.progress:.0f}% achieved, with {p.time_elapsed:.0f}% of the time used"),
            ("Milestones", f"{p.milestones_held} of {p.milestones_total} held"
             + (f", {p.milestones_overdue} overdue" if p.milestones_overdue else "")),
            ("Competencies", f"{p.competencies_signed} of {p.competencies_total} signed off"),
            ("Protected time", f"{_hours(p.protected_logged)} of {_hours(p.protected_expected)} hours expected so far"),
        ]
        blocks.append(Facts(tuple(facts)))
        if p.behind:
            blocks.append(Para((Strong("Behind: "), "; ".join(p.behind), ".")))
        if p.milestones:
            blocks.append(Grid(("Milestone", "Due", "Status"),
                               tuple((m.title, uk(m.due), _status(m.status_label)) for m in p.milestones),
                               (0.6, 0.16, 0.24)))
    return blocks


def _review_facts(review: PackReview) -> Facts:
    # The date goes before the name: a right-to-left name followed by ", 20/06/2026" would pull
    # the comma and the date into its own run and print them out of order.
    signed = "; ".join(f"{s.party_label}: {s.name} (signed {uk(s.signed_on)}, {s.how})" for s in review.signatures)
    rows: list[tuple[str, Rich]] = [
        ("Meeting", uk(review.meeting_date) or "Not yet booked"),
        ("Period covered", f"{uk(review.period_start)} to {uk(review.period_end)}"),
        ("Appraiser", review.appraiser or "Not named"),
        ("Outcome", review.outcome_label + (f": {review.outcome_note}" if review.outcome_note else "")),
        ("Signatures", signed or "Not yet signed"),
    ]
    return Facts(tuple(rows))


def _earlier_reviews(data: AppraisalPackData) -> list[Block]:
    blocks: list[Block] = [_heading(5)]
    if not data.earlier_reviews:
        return blocks + [Para("No review was held in the period before this one.", "empty")]
    for review in data.earlier_reviews:
        blocks.append(Heading(f"{review.kind_label} · {uk(review.meeting_date) or 'not yet held'}", 2))
        blocks.append(_review_facts(review))
        if review.summary:
            blocks.append(LongText("Discussion and feedback", review.summary))
    return blocks


def _objective_rows(items: tuple[PackObjective, ...]) -> tuple[tuple[Rich, ...], ...]:
    rows = []
    for o in items:
        objective: Rich = (Strong(o.description),) + ((f"\nMeasure: {o.measure}",) if o.measure else ())
        rows.append((objective, uk(o.due_date), _status(o.status_label),
                     "\n".join(x for x in (o.progress, o.origin) if x)))
    return tuple(rows)


OBJECTIVE_HEADERS = ("Objective and how it is measured", "Due", "Status", "Progress and history")
OBJECTIVE_WIDTHS = (0.4, 0.14, 0.14, 0.32)
PDP_HEADERS = ("Development need", "Action", "Support", "Target", "Status")
PDP_WIDTHS = (0.24, 0.26, 0.2, 0.14, 0.16)


def _pdp_rows(items: tuple[PackPdpItem, ...]) -> tuple[tuple[Rich, ...], ...]:
    return tuple((p.need, p.action, p.support, uk(p.target_date), p.status_label) for p in items)


def _previous_objectives(data: AppraisalPackData) -> list[Block]:
    blocks: list[Block] = [_heading(6)]
    if data.previous_objectives:
        blocks.append(Para("Objectives agreed at earlier reviews, with how far they got. Open objectives carried into "
                           "this review appear again in the next section.", "muted"))
        blocks.append(Grid(OBJECTIVE_HEADERS, _objective_rows(data.previous_objectives), OBJECTIVE_WIDTHS))
    else:
        blocks.append(Para("No objectives were recorded at earlier reviews.", "empty"))
    blocks.append(Heading("Development plan from earlier reviews", 2))
    if data.previous_pdp:
        blocks.append(Grid(PDP_HEADERS, _pdp_rows(data.previous_pdp), PDP_WIDTHS))
    else:
        blocks.append(Para("No development plan was recorded at earlier reviews.", "empty"))
    return blocks


def _current(data: AppraisalPackData) -> list[Block]:
    blocks: list[Block] = [_heading(7)]
    review = data.current_review
    if review is None:
        return blocks + [Para("No review has been started for this period yet. Objectives and the development plan are "
                              "agreed at the appraisal meeting and recorded in ARRS Desk afterwards.", "empty")]
    blocks.append(Heading(f"{review.kind_label} · {review.state_label}", 2))
    blocks.append(_review_facts(review))
    if review.self_assessment is None:
        blocks.append(Para("The self-assessment and reflections are private to the person and those who manage or "
                           "appraise them.", "muted"))
    else:
        blocks.append(LongText("Self-assessment", review.self_assessment, "Not written yet."))
        blocks.append(LongText("Reflections", review.reflections or "", "Not written yet."))
    if review.summary:
        blocks.append(LongText("Discussion and feedback", review.summary))
    blocks.append(Heading("Objectives", 2))
    if data.current_objectives:
        blocks.append(Grid(OBJECTIVE_HEADERS, _objective_rows(data.current_objectives), OBJECTIVE_WIDTHS))
    else:
        blocks.append(Para("No objectives recorded yet.", "empty"))
    blocks.append(Heading("Personal development plan", 2))
    if data.current_pdp:
        blocks.append(Grid(PDP_HEADERS, _pdp_rows(data.current_pdp), PDP_WIDTHS))
    else:
        blocks.append(Para("No development plan recorded yet.", "empty"))
    return blocks


def _impact(data: AppraisalPackData) -> list[Block]:
    blocks: list[Block] = [_heading(8)]
    if not data.impact:
        return blocks + [Para("No impact examples are recorded in the period.", "empty")]
    measured = [i for i in data.impact if i.measure or i.value]
    if measured:
        blocks.append(Heading("Measures", 2))
        blocks.append(Grid(("Date", "Kind", "What", "Measure", "Result"),
                           tuple((uk(i.occurred_on), i.kind_label, i.title, i.measure, (Strong(i.value),))
                                 for i in measured),
                           (0.14, 0.18, 0.3, 0.24, 0.14)))
    stories = [i for i in data.impact if i.description]
    if stories:
        blocks.append(Heading("Case studies and other examples", 2))
        for item in stories:
            blocks.append(LongText(f"{item.title} · {item.kind_label} · {uk(item.occurred_on)}", item.description))
            blocks.append(Para(f"Recorded by {item.recorded_by}.", "muted"))
    return blocks


def _appendix(data: AppraisalPackData) -> list[Block]:
    blocks: list[Block] = [_heading(9)]
    if not data.audit:
        return blocks + [Para("Nothing about this person was recorded or signed in the period.", "empty")]
    blocks.append(Para(f"From the ARRS Desk audit trail: every change, sign-off and print about "
                       f"{data.person.display_name} between {uk(data.period_start)} and {uk(data.period_end)}, oldest "
                       "first. Times are UK time." + (f" The {data.audit_omitted} oldest entries are left out; the audit "
                                                 "trail holds them all." if data.audit_omitted else ""), "muted"))
    blocks.append(Grid(("When", "Who", "What", "Details"),
                       tuple((a.at.strftime("%d/%m/%Y %H:%M"), a.who, a.action_label, a.summary) for a in data.audit),
                       (0.15, 0.2, 0.13, 0.52), split_rows=False))  # a few lines each: split, a row lost its
    # When, Who and What on the next page, and ReportLab repeated the heading row mid-page before it
    return blocks


def _signatures(data: AppraisalPackData) -> list[Block]:
    appraiser = data.current_review.appraiser if data.current_review else data.person.appraiser
    return [_heading(10), SignatureBlock(
        statement=(f"We have discussed this pack and the review of {uk(data.period_start)} to {uk(data.period_end)}. "
                   "The objectives and development plan recorded in ARRS Desk are those agreed at the meeting."),
        outcomes=("Agreed", "Needs follow-up (say what, by whom and by when)"),
        parties=(("Appraiser", appraiser or ""), ("Appraisee", data.person.named)),
    )]
