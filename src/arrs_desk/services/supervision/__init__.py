"""Supervision: arrangements, the session log, the matrix, deployment, supervisor load, calendar.

The service is split by area; this package's modules, from the bottom up:

- `views`: the inputs forms send and the rows screens read;
- `facts`: what the rules need, gathered in a few queries (`latest_sessions_query`);
- `compliance`: the facts turned into matrix cells and arrangement rows;
- `session_log`: the session log as the reader may see it;
- `agreements`: signed agreement files;
- `reading`, `arrangements`, `sessions`, `settings`, `reports`: the service's methods by area,
  composed into `SupervisionService` in `service`.

The rules themselves are in `arrs_desk.domain.supervision`. Demo data is in `arrs_desk.demo.supervision`.
"""

from arrs_desk.domain.supervision import DEFAULT_DUE_SOON_DAYS, MAX_DUE_SOON_DAYS
from arrs_desk.services.supervision.facts import DUE_SOON_KEY, LINE_MANAGEMENT, latest_sessions_query
from arrs_desk.services.supervision.service import SupervisionService
from arrs_desk.services.supervision.sessions import PRIVATE
from arrs_desk.services.supervision.views import (
    FOLLOW_ROLE,
    ArrangementInput,
    ArrangementRow,
    Capabilities,
    DeployedPerson,
    DeployedSupervision,
    DeploymentReport,
    DueSoonSetting,
    ExternalConfirmation,
    ExternalSupervisorInput,
    LoadRow,
    MatrixCell,
    MatrixRow,
    PersonSupervision,
    PracticeDeployment,
    RequirementRow,
    SessionInput,
    SessionRow,
    SupervisionChoices,
    SupervisionMatrix,
    SupervisorLoad,
    TypeColumn,
)

__all__ = [
    "DEFAULT_DUE_SOON_DAYS", "DUE_SOON_KEY", "FOLLOW_ROLE", "MAX_DUE_SOON_DAYS", "LINE_MANAGEMENT", "PRIVATE",
    "ArrangementInput", "ArrangementRow", "Capabilities", "DeployedPerson", "DeployedSupervision",
    "DeploymentReport", "DueSoonSetting", "ExternalConfirmation", "ExternalSupervisorInput", "LoadRow", "MatrixCell", "MatrixRow",
    "PersonSupervision", "PracticeDeployment", "RequirementRow", "SessionInput", "SessionRow",
    "SupervisionChoices", "SupervisionMatrix", "SupervisionService", "SupervisorLoad", "TypeColumn",
    "latest_sessions_query",
]
