"""What every part of the programme service shares: its database, the workspace's today, where
evidence files are kept and the programme templates.

`ProgrammeService` is put together from one class per area of work (reading, enrolling,
sign-off, time, exports); each builds on this one, so they all start the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from arrs_desk.services.programme_templates import ProgrammeTemplateService
from arrs_desk.services.evidence import evidence_folder
from arrs_desk.store.database import Database


class ProgrammeServiceBase:
    """Holds what the areas share; `evidence_root` is where attached files are kept (the user's
    evidence folder unless a test or a portable copy names another)."""

    def __init__(self, db: Database, today: Callable[[], date],
                 evidence_root: Callable[[], Path] | None = None):
        self._db = db
        self._today = today
        self._evidence_root = evidence_folder(evidence_root)
        self.templates = ProgrammeTemplateService(db)
