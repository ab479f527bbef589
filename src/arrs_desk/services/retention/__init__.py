"""Records retention (issue 20 item 2): the Code's periods, legal holds, reducing a leaver's record
to its summary or anonymising it, and the destruction log. Not the retention *statistics* of
services/assurance (whether staff stay). This package only re-exports."""

from arrs_desk.services.retention.service import RecordsRetentionService  # noqa: F401
from arrs_desk.services.retention.views import (  # noqa: F401
    ACTIONS, ANONYMISE, SUMMARY, BackupStillHolding, BackupWarning, DestructionView, DueRecord, ErasurePreview,
    RulesView, RuleView, TRAINING_ITEM, TRAINING_PROGRAMME, TrainingDue,
)
