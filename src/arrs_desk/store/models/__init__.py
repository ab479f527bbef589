"""SQLModel tables, one module per area. Importing this package registers every table.

Timestamps are timezone-aware UTC; dates are calendar dates. Vocabulary columns (status, kind,
employment model) are short strings checked by the services against the enums in
`arrs_desk.domain`, so adding a value never needs a database enum change on PostgreSQL.
Editable rows carry a `version`, bumped on every update, so a stale edit from a second window
or PC is refused instead of silently overwriting.
"""

from arrs_desk.store.models.core import (  # noqa: F401
    AuditEntry, Organisation, Role, Setting, Staff, StaffPractice, Tracked, utcnow,
)
from arrs_desk.store.models.accounts import ExternalPerson, SignOffFields, UserAccount  # noqa: F401
from arrs_desk.store.models.induction import (  # noqa: F401
    InductionChecklist, InductionEvidence, InductionItem, InductionPriorRecord, InductionTemplate, InductionTemplateItem,
)
from arrs_desk.store.models.supervision import (  # noqa: F401
    SupervisionArrangement, SupervisionAttendance, SupervisionRequirement, SupervisionSession,
)
from arrs_desk.store.models.programmes import (  # noqa: F401
    ProgrammeCompetency, ProgrammeEnrolment, ProgrammeEvidence, ProgrammeExtension, ProgrammeMilestone, ProgrammePause,
    ProgrammeTemplate, ProgrammeTime,
)
from arrs_desk.store.models.reviews import ImpactEntry, Review, ReviewObjective, ReviewPdpItem, ReviewSignOff  # noqa: F401
from arrs_desk.store.models.audit_chain import AuditChainHead  # noqa: F401
from arrs_desk.store.models.assurance import (  # noqa: F401
    AssuranceFlag, CheckinCompletion, CheckinPending, CheckinPendingPerson, CheckinTally,
)
from arrs_desk.store.models.retention import DestructionEntry, RetentionHold  # noqa: F401
from arrs_desk.store.models.training import TrainingRecord  # noqa: F401
from arrs_desk.store.models.revalidation import CpdEntry, RevalidationEvidence, RevalidationFile  # noqa: F401
from arrs_desk.store.models.sign_in import AccountLinkTrust, AccountNotice, SignInThrottle, TwoStepSecret  # noqa: F401
