"""A small PCN for review and appraisal tests: a line manager and her team, a GP appraiser,
another team with its own manager, an administrator, and an external appraiser. The PCN is built
by `tests.support.pcn`, its database in multi-user mode, as a PCN's is."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from arrs_desk.services.actor import Actor
from arrs_desk.services.reviews import ImpactInput, ObjectiveInput, PdpInput, ReviewInput
from arrs_desk.domain.dates import months_window_start
from tests.date_support import days_ago, days_ahead
from tests.support.pcn import ALPHA, BETA, BOGDAN, HELEN, YUSUF, Member, build_small_pcn
from tests.supervision_support import STARTED

from tests.conftest import TODAY  # noqa: E402

NEWBIE_STARTED = days_ago(176)
"""The care coordinator's start: nearly six months ago, so the 3-month probation review is
overdue and the 6-month one falls due within the month."""
YEAR_START = months_window_start(TODAY, 12)
"""The first day of the 12 months up to and including TODAY: a year's review period."""


@dataclass
class ReviewTeam:
    alpha: int
    beta: int
    helen_id: int  # PCN manager: line manager of Zoë and the new starter
    gp_id: int  # salaried GP: appraiser
    zoe_id: int  # link worker in post for nearly two years
    newbie_id: int  # care coordinator who started nearly six months ago
    bogdan_id: int  # practice manager: another team's line manager
    anya_id: int  # health and wellbeing coach in Bogdan's team
    external_id: int  # appraiser from the mental health trust
    helen: Actor
    gp: Actor
    zoe: Actor
    bogdan: Actor
    anya: Actor
    admin: Actor


TEAM = (
    HELEN, replace(YUSUF, roles={"supervisor", "appraiser"}),
    Member("zoe", "Zoë", "Ōkubo", STARTED, sites=(0, 1), manager="helen", roles={"staff"}),
    Member("newbie", "محمد", "الحسن", NEWBIE_STARTED, role="CCO", manager="helen"),
    BOGDAN,
    Member("anya", "Аня", "Петрова", STARTED, role="HWBC", sites=(1,), manager="bogdan", roles={"staff"}),
)
"""Helen's team (Zoë at both practices, the new care coordinator), the GP who appraises, and
Bogdan's team at Beta."""


def make_review_team(workspace, system_actor) -> ReviewTeam:
    pcn = build_small_pcn(workspace, system_actor, practices=(ALPHA, BETA), members=TEAM, admin="PCN Administrator",
                          multi_user=True)
    external = workspace.external_people.create(system_actor, name="Dr Ines Carvalho", job_title="Consultant nurse",
                                                organisation="Northvale Mental Health NHS Trust").id
    ids, actors = pcn.staff_ids, pcn.actors
    return ReviewTeam(
        alpha=pcn.practice_ids[0], beta=pcn.practice_ids[1], helen_id=ids["helen"], gp_id=ids["yusuf"],
        zoe_id=ids["zoe"], newbie_id=ids["newbie"], bogdan_id=ids["bogdan"], anya_id=ids["anya"],
        external_id=external, helen=actors["helen"], gp=actors["yusuf"], zoe=actors["zoe"], bogdan=actors["bogdan"],
        anya=actors["anya"], admin=actors["admin"],
    )


def objective(text: str = "Run a weekly falls clinic at Alpha Surgery", *, status: str = "in-progress",
              due: date = days_ahead(127), measure: str = "Clinic list shows 40 patients seen by March",
              progress: str = "") -> ObjectiveInput:
    return ObjectiveInput(description=text, measure=measure, due_date=due, status=status, progress=progress)


def pdp_item(need: str = "Confidence with motivational interviewing", *, status: str = "planned") -> PdpInput:
    return PdpInput(need=need, action="Two-day PCI-accredited course", support="Study leave agreed by Helen",
                    target_date=days_ahead(96), status=status)


def review_input(team: ReviewTeam, staff_id: int | None = None, *, kind: str = "annual", meeting: date | None = TODAY,
                 start: date = YEAR_START, end: date = TODAY, appraiser_id: int | None = None,
                 external: bool = False, objectives=None, pdp=None, outcome: str = "", note: str = "",
                 probation_month: int | None = None, summary: str = "A good year.") -> ReviewInput:
    return ReviewInput(
        staff_id=staff_id or team.zoe_id, kind=kind, probation_month=probation_month, period_start=start,
        period_end=end, meeting_date=meeting,
        appraiser_staff_id=None if external else (appraiser_id or team.gp_id),
        appraiser_external_id=team.external_id if external else None, appraiser_summary=summary,
        outcome=outcome, outcome_note=note,
        objectives=list(objectives) if objectives is not None else [objective()],
        pdp=list(pdp) if pdp is not None else [pdp_item()],
    )


def impact(staff_id: int, *, kind: str = "case-study", title: str = "Housing referral that prevented an admission",
           description: str = "Worked with the council and the GP so a frail man could stay at home safely.",
           measure: str = "", value: str = "", day: date = days_ago(71)) -> ImpactInput:
    return ImpactInput(staff_id=staff_id, kind=kind, title=title, description=description, measure=measure,
                       value=value, occurred_on=day)
