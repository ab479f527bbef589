"""What needs attention today for the signed-in person: the Home page's figures.

Built only from other services' read APIs, so each figure obeys the same visibility rules as
the page it links to (a line manager counts their own team, an administrator everyone). A
section the person may not see is left out rather than shown as zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from arrs_desk.errors import NotFound, PermissionDenied
from arrs_desk.services.actor import Actor


@dataclass(frozen=True, slots=True)
class AttentionItem:
    key: str
    title: str
    count: int
    detail: str
    tone: str  # "bad", "warn", "info" or "good": the icon; the words carry the meaning
    page: str  # the navigation page that shows the records behind the count


@dataclass(frozen=True)
class Dashboard:
    today: date
    greeting: str
    items: tuple[AttentionItem, ...]

    @property
    def total(self) -> int:
        return sum(item.count for item in self.items)


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


class DashboardService:
    def __init__(self, workspace):
        self._ws = workspace
        self._rows = None

    def attention(self, actor: Actor) -> Dashboard:
        items: list[AttentionItem] = []
        self._rows = None  # the induction overview, read once per call for three sections
        for section in (self._own_induction, self._team_induction, self._signoff, self._training,
                        self._registration, self._supervision, self._reviews):
            try:
                items.extend(section(actor))
            except (PermissionDenied, NotFound):
                continue  # not this person's business: leave the section out
        first = actor.display_name.split()[0] if actor.display_name else ""
        return Dashboard(today=self._ws.today(), greeting=f"Hello {first}" if first and not actor.is_system else "Today", items=tuple(items))

    # --- sections ----------------------------------------------------------------------
    def _own_induction(self, actor: Actor) -> list[AttentionItem]:
        if actor.staff_id is None:
            return []
        view = self._ws.induction.checklist(actor, actor.staff_id)
        overdue = view.overdue if view.has_checklist else 0
        if not overdue:
            return []
        return [AttentionItem("my-induction", "My induction items overdue", overdue,
                              f"{_plural(overdue, 'item')} on your own checklist past the date agreed", "bad",
                              "My induction")]

    def _overview(self, actor: Actor):
        if self._rows is None:
            self._rows = self._ws.induction.overview(actor, include_without_checklist=False)
        return self._rows

    def _team(self, actor: Actor):
        """The starters this person looks after (not themselves): none for most staff."""
        return [r for r in self._overview(actor) if r.staff_id != actor.staff_id]

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
        detail = f"ticked by {_plural(people, 'person', 'people')}" if people else "nothing is waiting for you"
        return [AttentionItem("signoff", "Waiting for your sign-off", len(waiting), detail,
                              "info" if waiting else "good", "Induction")]

    def _training(self, actor: Actor) -> list[AttentionItem]:
        rows = self._overview(actor)
        if not self._team(actor):
            rows = [r for r in rows if r.expired or r.expiring]  # one's own, shown only when there is something
            if not rows:
                return []
        expired, expiring = sum(r.expired for r in rows), sum(r.expiring for r in rows)
        return [AttentionItem("training", "Training expired or expiring", expired + expiring,
                              f"{expired} expired · {expiring} expiring soon",
                              "bad" if expired else ("warn" if expiring else "good"), "Induction")]

    def _registration(self, actor: Actor) -> list[AttentionItem]:
        statuses = [str(r.registration_status) for r in self._overview(actor) if r.registration_status is not None]
        expired, expiring = statuses.count("expired"), statuses.count("expiring")
        if not self._team(actor) and not expired + expiring:
            return []
        return [AttentionItem("registration", "Professional registrations to renew", expired + expiring,
                              f"{expired} expired · {expiring} expiring soon",
                              "bad" if expired else ("warn" if expiring else "good"), "Induction")]

    def _supervision(self, actor: Actor) -> list[AttentionItem]:
        matrix = self._ws.supervision.matrix(actor)
        late = [c for row in matrix.rows for c in row.cells if c.needs_action]
        people = len({row.staff_id for row in matrix.rows if any(c.needs_action for c in row.cells)})
        if not matrix.rows or (not late and all(row.staff_id == actor.staff_id for row in matrix.rows)):
            return []
        return [AttentionItem("supervision", "Supervision needing action", len(late),
                              f"overdue, never held or not arranged, for {_plural(people, 'person', 'people')}",
                              "bad" if late else "good", "Supervision")]

    def _reviews(self, actor: Actor) -> list[AttentionItem]:
        reviews = getattr(self._ws, "reviews", None)
        if reviews is None:
            return []
        rows = reviews.overview(actor).due_rows
        if not rows:
            return []
        overdue = sum(1 for r in rows if str(r.status) == "overdue")
        soon = sum(1 for r in rows if str(r.status) == "due-soon")
        return [AttentionItem("reviews", "Reviews and appraisals due", overdue + soon,
                              f"{overdue} overdue · {soon} due soon",
                              "bad" if overdue else ("warn" if soon else "good"), "Reviews")]
