"""Revalidation and the CPD log (see `service.py`); re-exports only."""

from arrs_desk.services.revalidation.service import RevalidationService  # noqa: F401
from arrs_desk.services.revalidation.views import (  # noqa: F401
    CpdInput, CpdRow, CpdSource, EvidenceInput, PersonRevalidation, RevalidationEvidenceRow, StatusRow,
)
