"""Evidence for the Data Security and Protection Toolkit: the report an IG lead files, the restore
test and the access review that feed it (see `docs/architecture.md` for the package layout)."""

from arrs_desk.services.dspt.service import DsptService
from arrs_desk.services.dspt.views import (
    AccountRow, AdminActionRow, DsptReport, MovementRow, RestoreTestRow, ReviewRow, StorageFacts,
)

__all__ = ["AccountRow", "AdminActionRow", "DsptReport", "DsptService", "MovementRow", "RestoreTestRow",
           "ReviewRow", "StorageFacts"]
