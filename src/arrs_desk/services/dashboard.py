"""What needs attention today for the signed-in person: the Home page's figures.

Built only from other services' read APIs, so each figure obeys the same visibility rules as
the page it links to (a line manager counts their own team, an administrator everyone). A
section the person may not see is left out rather than shown as zero. Each item names the page
that shows the records behind it and, where it helps, what that page should show first (one
programme to open, only those behind, only unmet checks). A count is of what that page shows as it
opens: the Supervision and Reviews pages open on ARRS roles only, so their cards count those roles
(a GP's or practice manager's overdue appraisal made Home say 22 where Reviews listed 10).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from arrs_desk.domain.dates import format_uk
from arrs_desk.domain.induction import ItemStatus, may_complete
from arrs_desk.domain.permissions import AccessRole, Action, denial
from arrs_desk.domain.programmes import EnrolmentStatus
from arrs_desk.errors import NotFound, PermissionDenied
from arrs_desk.services.actor import Actor
from arrs_desk.services.supervision.views import NEEDS_ACTION


@dataclass(frozen=True, slots=True)
class AttentionItem:
    key: str
    title: str
    count: int
    detail: str
    tone: str  # "bad", "warn", "info" or "good": the icon; the words carry the meaning
    page: str  # the navigation page that shows the records behind the count
    enrolment_id: int | None = None  # one programme to open straight away, when the card is about one
    show: str = ""  # what the page should show first: "behind" (programmes), "unmet" (assurance checks)


@dataclass(frozen=True, slots=True)
class FirstStep:
    """Something to do to start using ARRS Desk, shown on Home while the PCN has no staff records:
    with nothing to count, Home said "Nothing needs your attention" to someone who had not begun."""

    key: str
    title: str
    detail: str
    page: str  # the page the step is done on ("Staff" is the staff list)


@dataclass(frozen=True)
class Dashboard:
    today: date
    greeting: str
    items: tuple[AttentionItem, ...]
    first_steps: tuple[FirstStep, ...] = ()
    complete: bool = True
    """False for `DashboardService.first_look`: the PCN-wide cards are still to come."""

    @property
    def total(self) -> int:
        return sum(item.count for item in self.items)


def _names(people, limit: int = 3) -> str:
    """Up to `limit` names, each set apart from the sentence (first-strong isolate, as
    `ui.bidi.isolate`) so an Arabic name does not carry the commas and words after it along."""
    shown = ", ".join(f"\u2068{p.display_name}\u2069" for p in people[:limit])
    return shown + (" and others" if len(people) > limit else "")


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


class DashboardService:
    def __init__(self, workspace):
        self._ws = workspace

    def attention(self, actor: Actor) -> Dashboard:
        """Every card: the person's own and their team's first, then the PCN-wide ones. Everyone's
        training statuses, nearly all the database's work, are started first, beside the rest."""
        self._ws.training.start_statuses(actor)
        return self._dashboard(actor, self._first_sections() + self._pcn_wide_sections(), complete=True)

    def first_look(self, actor: Actor) -> Dashboard:
        """The cards `attention` shows first, without the PCN-wide ones (mandatory training,
        supervision, reviews, the contract checks), which for a federation of thousands take most of
        its time: Home shows these while the rest is worked out, then all of them. `complete` is
        False: there may be more to come."""
        return self._dashboard(actor, self._first_sections(), complete=False)

    def _first_sections(self) -> tuple:
        return (self._own_induction, self._own_checkin, self._own_programme, self._team_induction, self._signoff,
                self._training, self._registration, self._revalidation, self._programmes, self._team_checkins)

    def _pcn_wide_sections(self) -> tuple:
        return (self._mandatory_training, self._supervision, self._reviews, self._registration_check,
                self._contract_checks)

    def _dashboard(self, actor: Actor, sections: tuple, *, complete: bool) -> Dashboard:
        # Several sections read the same overview or matrix: each is `shared`, worked out once per change.
        items: list[AttentionItem] = []
        for section in sections:
            try:
                items.extend(section(actor))
            except (PermissionDenied, NotFound):
                continue  # not this person's business: leave the section out
        first = actor.display_name.split()[0] if actor.display_name else ""
        return Dashboard(today=self._ws.today(), greeting=f"Hello {first}" if first and not actor.is_system else "Today",
                         items=tuple(items), first_steps=self._first_steps(actor, items) if complete else (),
                         complete=complete)

    def _first_steps(self, actor: Actor, items: list[AttentionItem]) -> tuple[FirstStep, ...]:
        """What someone who may add staff does first in a PCN with no staff records yet: set up the
        practices, add or import the staff, link their own account to their record. Every card is
        about someone on the staff list, so with a card there is staff and nothing is asked."""
        if items or denial(actor.roles, Action.CREATE_STAFF) is not None or self._ws.has_staff():
            return ()
        steps = []
        if self._ws.is_empty() and denial(actor.roles, Action.MANAGE_ORGANISATIONS) is None:
            steps.append(FirstStep("setup", "Set up your practices and employers",
                                   "Add the PCN's member practices and the organisations that employ its staff: "
                                   "every staff record names its base practice and employer.",
                                   "Practices and employers"))
        steps.append(FirstStep("staff", "Add your staff",
                               "Add people one at a time, or import the list from an HR or payroll export (a CSV "
                               "or Excel file). Each new starter gets their induction checklist.", "Staff"))
        if actor.staff_id is None and not actor.is_system and denial(actor.roles, Action.MANAGE_USERS) is None:
            steps.append(FirstStep("link-account", "Link your account to your staff record",
                                   "Once your own record is on the staff list, link your account to it, so your "
                                   "own induction, training and reminders show here too.", "User accounts"))
        return tuple(steps)

    # --- sections ----------------------------------------------------------------------
    def _own_induction(self, actor: Actor) -> list[AttentionItem]:
        if actor.staff_id is None:
            return []
        view = self._ws.induction.checklist(actor, staff_id=actor.staff_id)
        # Only the items the person completes themselves: their line manager's overdue steps (the
        # checks before day one, a buddy assigned) are on the manager's Home, not the starter's.
        mine = [i for i in view.items if may_complete(i.completed_by, is_self=True, manages=False)]
        overdue = sum(i.status is ItemStatus.OVERDUE for i in mine)
        # A returned item is the starter's to do again, whatever its date; without a card of its own
        # the line manager's comment went unseen, and Home said nothing needed attention.
        returned = sum(i.status is ItemStatus.RETURNED for i in mine)
        items = []
        if overdue:
            items.append(AttentionItem("my-induction", "My induction items overdue", overdue,
                                       f"{_plural(overdue, 'item')} for you to do on your checklist, past the date "
                                       "agreed", "bad", "My induction"))
        if returned:
            items.append(AttentionItem("my-induction-returned", "My induction items returned", returned,
                                       f"{_plural(returned, 'item')} your line manager sent back, saying what is "
                                       "needed before they can sign off", "bad", "My induction"))
        return items

    def _overview(self, actor: Actor):
        return self._ws.induction.overview(actor, include_without_checklist=False)

    def _team(self, actor: Actor):
        """The starters whose induction this person runs (not themselves): none for most staff.
        Only those who may open the Induction page (administrators and line managers) run one: a
        supervisor or appraiser may see their supervisees' progress, but its cards (items overdue,
        sign-off, which is the line manager's) had no page to open and named no one."""
        if denial(actor.roles, Action.CREATE_STAFF) is not None:
            return []
        return [r for r in self._overview(actor) if r.staff_id != actor.staff_id]

    def _own_or_team(self, actor: Actor):
        """The induction rows a card counts: the team's with one, else only the person's own."""
        return self._overview(actor) if self._team(actor) else \
            [r for r in self._overview(actor) if r.staff_id == actor.staff_id]

    def _team_induction(self, actor: Actor) -> list[AttentionItem]:
        rows = self._team(actor)
        if not rows:
            return []
        late = [r for r in rows if r.overdue]
        return [AttentionItem("induction-overdue", "Induction items overdue", sum(r.overdue for r in late),
                              f"across {_plural(len(late), 'starter')} you look after", "bad" if late else "good",
                              "Induction")]

    def _signoff(self, actor: Actor) -> list[AttentionItem]:
        waiting = self._ws.induction.awaiting_signoff(actor)
        if not waiting and not self._team(actor):
            return []
        people = len({row.staff_id for row in waiting})
        if actor.has(AccessRole.ADMINISTRATOR) and not actor.sole_user:
            # An administrator is shown every waiting item, most of them other line managers' to sign;
            # those of the starters they line-manage themselves are theirs, and the card says so.
            yours = sum(row.yours for row in waiting)
            ticked = f"ticked by {_plural(people, 'person', 'people')}"
            if not people:
                detail = "nothing is waiting for anyone"
            elif yours == len(waiting):
                detail = f"{ticked}, all for you to sign as their line manager"
            elif yours:
                detail = f"{ticked}: {yours} for you to sign as their line manager, the rest for their line managers"
            else:
                detail = f"{ticked}, for their line managers to sign"
            return [AttentionItem("signoff", "Waiting for sign-off", len(waiting), detail,
                                  "info" if waiting else "good", "Induction")]
        detail = f"ticked by {_plural(people, 'person', 'people')}" if people else "nothing is waiting for you"
        return [AttentionItem("signoff", "Waiting for your sign-off", len(waiting), detail,
                              "info" if waiting else "good", "Induction")]

    def _own_or_team_page(self, actor: Actor) -> str:
        """Where a card about induction records opens: the Induction page for a team's, My induction
        for one's own (a starter cannot open the Induction page, so their card had no button)."""
        return "Induction" if self._team(actor) else "My induction"

    def _training(self, actor: Actor) -> list[AttentionItem]:
        rows = self._own_or_team(actor)
        if not self._team(actor):
            rows = [r for r in rows if r.expired or r.expiring]  # one's own, shown only when there is something
            if not rows:
                return []
        expired, expiring = sum(r.expired for r in rows), sum(r.expiring for r in rows)
        # Named as induction training: the Mandatory training card (the Training page) is the register,
        # and "Training: all clear" beside "Mandatory training: 900" read as a contradiction.
        return [AttentionItem("training", "Induction training expired or expiring", expired + expiring,
                              f"{expired} expired · {expiring} expiring soon, on induction checklists",
                              "bad" if expired else ("warn" if expiring else "good"), self._own_or_team_page(actor))]

    def _mandatory_training(self, actor: Actor) -> list[AttentionItem]:
        """Statutory and mandatory training (the Training page): for a team, how many people have a
        subject expired or never done; for oneself, shown only when something needs doing."""
        summary = self._ws.training.summary(actor)  # statuses only: the matrix is the page's to read
        lapsed, soon = summary.lapsed, summary.due_soon
        team = any(staff_id != actor.staff_id for staff_id in summary.staff_ids)
        if not summary.staff_ids or (not team and not lapsed and not soon):
            return []
        share = f"{summary.percent}% in date (target {summary.target_percent}%)" if summary.percent is not None else ""
        detail = " · ".join(x for x in (f"{_plural(lapsed, 'person', 'people')} with training expired or never done",
                                        f"{soon} with a refresher due soon" if soon else "", share) if x)
        return [AttentionItem("mandatory-training", "Mandatory training", lapsed, detail,
                              "bad" if lapsed else ("warn" if soon else "good"), "Training")]

    def _registration(self, actor: Actor) -> list[AttentionItem]:
        statuses = [str(r.registration_status) for r in self._own_or_team(actor) if r.registration_status is not None]
        expired, expiring = statuses.count("expired"), statuses.count("expiring")
        if not self._team(actor) and not expired + expiring:
            return []
        return [AttentionItem("registration", "Professional registrations to renew", expired + expiring,
                              f"{expired} expired · {expiring} expiring soon",
                              "bad" if expired else ("warn" if expiring else "good"), self._own_or_team_page(actor))]

    def _revalidation(self, actor: Actor) -> list[AttentionItem]:
        """Revalidation once a warning day (90, 60, 30, 7 days before it is due) is reached, or
        overdue: the person's own and their team's (`RevalidationService.warnings`)."""
        rows = sorted(self._ws.revalidation.warnings(actor), key=lambda r: (r.days_to_due is None, r.days_to_due))
        if not rows:
            return []
        overdue = [r for r in rows if r.status == "overdue"]
        at_risk = [r for r in rows if r.status == "at_risk"]
        if len(rows) == 1 and rows[0].staff_id == actor.staff_id:
            title, detail = "My revalidation", rows[0].reason
        else:  # "coming up" alone read oddly above "Rhiannon Lefèvre overdue"
            title = ("Revalidation overdue" if len(overdue) == len(rows) else "Revalidation overdue or coming up") \
                if overdue else "Revalidation coming up"
            detail = "; ".join(f"\u2068{r.name}\u2069 {'overdue' if r.status == 'overdue' else 'due ' + format_uk(r.due)}"
                               + (" (at risk)" if r.status == "at_risk" else "") for r in rows[:3])
            detail += " and others" if len(rows) > 3 else ""
        return [AttentionItem("revalidation", title, len(rows), detail,
                              "bad" if overdue else ("warn" if at_risk else "info"), "Revalidation")]

    def _registration_check(self, actor: Actor) -> list[AttentionItem]:
        """The contract check "Registration and revalidation on track" (the Assurance page's): who
        has a lapsed or missing registration, or revalidation overdue or at risk within the notice
        period. Shown only when someone does; it opens the Revalidation page."""
        matrix = self._contract_matrix(actor)
        if matrix is None:
            return []
        column = next((i for i, c in enumerate(matrix.checks) if c.code == "registration"), None)
        if column is None:
            return []
        unmet = [r for r in matrix.rows if r.results[column].status == "not-met"]
        if not unmet:
            return []
        return [AttentionItem("registration-check", "Registration or revalidation not on track", len(unmet),
                              f"{_names(unmet)}: registration lapsed or missing, or revalidation overdue or at "
                              "risk (the Revalidation page says why)",
                              "bad", "Revalidation")]

    def _contract_matrix(self, actor: Actor):
        """The Assurance page's matrix, for those it is for (administrators and line managers); None
        for anyone else."""
        if not actor.sole_user and denial(actor.roles, Action.CREATE_STAFF) is not None:
            return None
        return self._ws.assurance.matrix(actor)

    def _supervision(self, actor: Actor) -> list[AttentionItem]:
        rows = [row for row in self._matrix(actor).rows if row.arrs]  # as the page opens: ARRS roles only
        # A row's `worst` is its cells' highest severity: only rows with a cell needing action are
        # looked into (a few hundred of 5,000), and each of theirs once.
        behind = [row for row in rows if row.worst >= NEEDS_ACTION]
        late = sum(c.severity >= NEEDS_ACTION for row in behind for c in row.cells)
        people = len({row.staff_id for row in behind})
        if not rows or (not late and all(row.staff_id == actor.staff_id for row in rows)):
            return []
        return [AttentionItem("supervision", "Supervision needing action", late,
                              f"overdue, never held or not arranged, for {_plural(people, 'person', 'people')} "
                              "in ARRS roles", "bad" if late else "good", "Supervision")]

    def _matrix(self, actor: Actor):
        return self._ws.supervision.matrix(actor)

    def _reviews(self, actor: Actor) -> list[AttentionItem]:
        people, overdue, soon = self._ws.reviews.due_counts(actor)  # as the page opens: ARRS roles only
        if not people:
            return []
        return [AttentionItem("reviews", "Reviews and appraisals due", overdue + soon,
                              f"{overdue} overdue · {soon} due soon, in ARRS roles",
                              "bad" if overdue else ("warn" if soon else "good"), "Reviews")]

    # --- programmes, check-ins and the contract's checks ---------------------------------
    def _enrolments(self, actor: Actor):
        return self._ws.programmes.overview(actor)

    def _own_programme(self, actor: Actor) -> list[AttentionItem]:
        behind = [r for r in self._enrolments(actor)
                  if r.staff_id == actor.staff_id and r.status is EnrolmentStatus.BEHIND]
        if actor.staff_id is None or not behind:
            return []
        first = behind[0]
        return [AttentionItem("my-programme", "My programme is behind", len(behind),
                              f"{first.programme_title}: {'; '.join(first.behind) or 'behind the expected pace'}",
                              "bad", "Programmes", enrolment_id=first.enrolment_id if len(behind) == 1 else None,
                              show="behind")]

    def _programmes(self, actor: Actor) -> list[AttentionItem]:
        """Programmes behind among the people this person looks after (not their own)."""
        current = [r for r in self._enrolments(actor) if r.staff_id != actor.staff_id
                   and r.status not in (EnrolmentStatus.COMPLETED, EnrolmentStatus.WITHDRAWN)]
        if not current:
            return []
        behind = [r for r in current if r.status is EnrolmentStatus.BEHIND]
        if not behind:
            detail = f"all {_plural(len(current), 'person', 'people')} on a programme are on track or paused"
        elif len(behind) == 1:
            r = behind[0]
            detail = f"{_names(behind)}, {r.programme_title}: {'; '.join(r.behind) or 'behind the expected pace'}"
        else:
            detail = f"{_names(behind)}, of {_plural(len(current), 'person', 'people')} on a programme"
        return [AttentionItem("programmes-behind", "Programmes behind", len(behind), detail,
                              "bad" if behind else "good", "Programmes",
                              enrolment_id=behind[0].enrolment_id if len(behind) == 1 else None, show="behind")]

    def _own_checkin(self, actor: Actor) -> list[AttentionItem]:
        if actor.staff_id is None:
            return []
        due = self._ws.checkins.my_checkins(actor).due
        if due is None:
            return []
        return [AttentionItem("my-checkin", "My check-in is open", 1,
                              f"your {due.months}-month check-in, open until {format_uk(due.last_open_day)}: a few "
                              "minutes, and your answers are anonymous", "warn", "My check-ins")]

    def _team_checkins(self, actor: Actor) -> list[AttentionItem]:
        due = self._ws.checkins.checkins_due(actor)
        if not due:
            return []
        return [AttentionItem("checkins-due", "Check-ins open for people you look after", len(due),
                              f"{_names(due)}: they answer themselves, so a reminder may help", "info", "My check-ins")]

    def _contract_checks(self, actor: Actor) -> list[AttentionItem]:
        """The Network Contract's checks, for those the Assurance page is for (administrators and
        line managers): how many people have a check not met."""
        matrix = self._contract_matrix(actor)
        if matrix is None:
            return []
        rows = matrix.rows
        if not rows:
            return []
        unmet = [r for r in rows if r.has_unmet]
        checks = sum(len(r.unmet) for r in unmet)
        detail = (f"{_plural(checks, 'check')} not met for {_plural(len(unmet), 'person', 'people')} of "
                  f"{len(rows)} ARRS staff" if unmet else f"every check is met or does not apply for all {len(rows)} "
                  "ARRS staff")
        return [AttentionItem("contract-checks", "Network Contract checks not met", len(unmet), detail,
                              "bad" if unmet else "good", "Assurance", show="unmet")]
