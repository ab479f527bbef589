"""What every part of the supervision service shares: the database and the workspace's today.

`SupervisionService` is composed of one class per area (reading, arrangements, sessions,
settings, reports); each inherits this, so each can be read on its own.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from arrs_desk.store.database import Database


class SupervisionServiceBase:
    def __init__(self, db: Database, today: Callable[[], date]):
        self._db = db
        self._today = today
