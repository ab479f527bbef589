"""`SupervisionService`, as the workspace offers it: one class per area, composed here.

Each area is a module of its own (reading, arrangements, sessions, settings, reports), so a
newcomer opens the one that holds what they are changing. The areas share only the database and
the workspace's today (`base`), and the facts and rows modules below them.
"""

from __future__ import annotations

from arrs_desk.services.supervision.arrangements import SupervisionArrangements
from arrs_desk.services.supervision.reading import SupervisionReading
from arrs_desk.services.supervision.reports import SupervisionReports
from arrs_desk.services.supervision.sessions import SupervisionSessions
from arrs_desk.services.supervision.settings import SupervisionSettings


class SupervisionService(
    SupervisionReading, SupervisionArrangements, SupervisionSessions, SupervisionSettings, SupervisionReports,
):
    """Arrangements, the session log, the matrix, deployment, supervisor load, calendar.

    The rules (what is due when, what status a cell has) live in `arrs_desk.domain.supervision`;
    this service gathers the facts for them in as few queries as possible and writes changes with
    permission checks, validation and audit in one transaction.
    """
