"""Preceptorship and training pathways: enrolling people, following their progress, signing off.

A package of small modules (see `service` for the map); this file only re-exports the names
callers have always imported from `arrs_desk.services.programmes`.
"""

from arrs_desk.domain.programme_progress import (
    COMPLETED, PROGRESS_DEFINITION, PROTECTED_TIME_TOLERANCE_HOURS, WITHDRAWN,
)
from arrs_desk.domain.programmes import EnrolmentStatus, MilestoneStatus
from arrs_desk.services.programmes.enrolling import MAX_FUTURE_START_DAYS, MAX_PAST_START_YEARS
from arrs_desk.services.programmes.records import SIGNING_ROLES
from arrs_desk.services.programmes.service import ProgrammeService
from arrs_desk.services.programmes.signoff import MAX_NOTE
from arrs_desk.services.programmes.timing import MAX_EXTENSION_WEEKS, MAX_HOURS_PER_ENTRY, MAX_PAUSE_DAYS
from arrs_desk.services.programmes.views import (
    Capabilities, Certificate, CompetencyRow, EnrolmentChoices, EnrolmentInput, EnrolmentSummary, EnrolmentView,
    EvidenceRow, ExtensionRow, MilestoneRow, PauseRow, ProgrammeChoice, TimeRow,
)

__all__ = [
    "COMPLETED", "MAX_EXTENSION_WEEKS", "MAX_FUTURE_START_DAYS", "MAX_HOURS_PER_ENTRY", "MAX_NOTE",
    "MAX_PAST_START_YEARS", "MAX_PAUSE_DAYS", "PROGRESS_DEFINITION", "PROTECTED_TIME_TOLERANCE_HOURS",
    "SIGNING_ROLES", "WITHDRAWN", "Capabilities", "Certificate", "CompetencyRow", "EnrolmentChoices",
    "EnrolmentInput", "EnrolmentStatus", "EnrolmentSummary", "EnrolmentView", "EvidenceRow", "ExtensionRow",
    "MilestoneRow", "MilestoneStatus", "PauseRow", "ProgrammeChoice", "ProgrammeService", "TimeRow",
]
