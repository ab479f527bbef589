"""Subject access: everything ARRS Desk holds about one person, as a PDF to read and a ZIP a
machine can read (UK GDPR article 15), made by the person themself or an administrator."""

from arrs_desk.services.subject_access.service import SubjectAccessResult, SubjectAccessService

__all__ = ["SubjectAccessResult", "SubjectAccessService"]
