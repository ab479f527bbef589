"""People whose one-month check-in is open today (the workspace's today, wherever a test moved
the clock), to answer check-ins as the real people would: through the service, as themselves."""

from __future__ import annotations

from arrs_desk.domain.assurance import builtin_checkins
from arrs_desk.domain.dates import add_months
from arrs_desk.services.actor import Actor
from tests.supervision_support import account, staff

STATEMENTS = builtin_checkins().statements


def answers(value: int = 4, **overrides: int) -> dict[str, int]:
    """An answer to every statement: `value`, except the statements named."""
    return {s.key: overrides.get(s.key.replace("-", "_"), value) for s in STATEMENTS}


def newcomers(workspace, system_actor, practice_ids: list[int], count: int, *, role: str = "SPLW",
              manager_id: int | None = None, prefix: str = "new") -> list[Actor]:
    """`count` people who started a month ago (so their one-month check-in is open), each with
    a staff account."""
    start = add_months(workspace.today(), -1)
    actors = []
    for index in range(count):
        given, family = f"{prefix.title()}{index}", f"Starter{index}"
        person = workspace.staff.create(system_actor, data=staff(practice_ids, given=given, family=family, role=role,
                                                            start=start, manager_id=manager_id)).id
        actors.append(account(workspace, f"{prefix}{index}", f"{given} {family}", {"staff"}, person))
    return actors
