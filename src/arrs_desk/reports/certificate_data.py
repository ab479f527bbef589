"""What the completion certificate prints, as plain frozen data: the one input of its builder.

The programme service fills this for a completed enrolment; `certificate_pdf` only reads it.
Kept free of ReportLab so the service can import it without loading the PDF machinery.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class CertificateData:
    person_name: str
    role_title: str
    programme_title: str
    programme_code: str
    programme_version: int
    start_date: date
    completed_on: date
    assessor_name: str
    assessor_detail: str
    competencies_signed: int
    milestones_held: int
    protected_hours: float
    pcn_name: str
    reference: str
    issued_on: date
