"""Whose figures a save can have changed, from the audit entries it wrote (issue 18: Home and
Assurance after a save at thousands of staff).

The pages' figures are worked out person by person, and most saves are about one person: a
supervision session, a training completion, a ticked induction item, a review. Such a save
changes that person's rows and nobody else's, so the shared reads (`shared_reads.by_person`) work
out again only the people the save's audit entries name.

A change to a staff record (a new person, a name, role, practice, line manager or leaving date)
shows in that person's rows and in the rows of everyone whose record names them: the people they
manage, directly or further down (who may see whom follows the whole line-management tree), and
the people they supervise, appraise, assess or precept, or led a supervision session for
(`NAMED_IN_OTHERS_ROWS`, every column that points at another member of staff). Those people are
read again, found as the database stands after the save.

Anything else means every figure is read afresh: reference data (roles, practices, settings,
templates, supervision rules), accounts, an import, an erasure, an entry naming nobody, or an
entry this list does not know. What a new kind of save must do to be worked out incrementally is
to be named here; until it is, it costs a full read, never a wrong figure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy import select, union
from sqlmodel import Session

from arrs_desk.services.relationships import managed_by_any
from arrs_desk.store.models import (
    ProgrammeEnrolment, Review, SupervisionArrangement, SupervisionAttendance, SupervisionSession,
)

PERSONAL_RECORDS = frozenset({
    "supervision_session", "supervision_reflection", "supervision_arrangement",
    "training",
    "induction_item", "induction_evidence", "induction_checklist", "induction_prior_record",
    "review", "review_self_assessment", "impact_entry",
    "cpd_entry", "revalidation_evidence", "revalidation_file",
    "programme_enrolment", "programme_milestone", "programme_competency", "programme_evidence", "programme_time",
    "assurance_flag",
})
"""Records that belong to one person (the entry's subject) and count only in that person's rows.
An arrangement names a supervisor too, but who a supervisor may see is worked out afresh for the
people read again, so the supervisee's row appears or goes for them as it should."""

STAFF_RECORD_SAVES = frozenset({"create", "update"})
"""Saves of a staff record (entity type "staff") that reach only the person and those naming them."""

RECORDS_NOTHING = frozenset({"login", "logout", "login_failed", "print", "export", "export_all", "export_bundle",
                             "subject_access", "backup"})
"""Actions that save no record the pages count: signing in and out, printing and exporting
(which audit who took a copy), a backup."""

NAMED_IN_OTHERS_ROWS = (
    ("staff", "line_manager_id"),
    ("supervision_arrangement", "supervisor_staff_id"),
    ("supervision_session", "supervisor_staff_id"),
    ("review", "appraiser_staff_id"),
    ("programme_enrolment", "assessor_staff_id"),
    ("programme_enrolment", "preceptor_staff_id"),
)
"""Every column that names a member of staff other than the record's own person (a test checks
the list against the schema): whoever these point at shows in that record's person's rows."""

Naming = Callable[[frozenset[int]], frozenset[int]]
"""Given people whose staff records changed, everyone whose rows name them."""


def people_touched(entries: Iterable[tuple[str, str, int | None]] | None,
                   naming: Naming | None = None) -> frozenset[int] | None:
    """The people whose rows the audit entries (entity type, action, subject) can have changed;
    None when they may have changed anyone's (see the module's docstring). Without `naming`, a
    staff record's change counts as anyone's."""
    if entries is None:
        return None
    people: set[int] = set()
    staff_records: set[int] = set()
    for entity_type, action, subject in entries:
        if action in RECORDS_NOTHING:
            continue
        if entity_type == "staff" and action in STAFF_RECORD_SAVES and subject is not None and naming is not None:
            staff_records.add(subject)
            continue
        if entity_type not in PERSONAL_RECORDS or subject is None:
            return None
        people.add(subject)
    if staff_records:
        people |= staff_records | naming(frozenset(staff_records))
    return frozenset(people)


def people_naming(session: Session, staff_ids: frozenset[int]) -> frozenset[int]:
    """Everyone whose rows name one of these people (`NAMED_IN_OTHERS_ROWS`), as the database
    stands: their whole line-management tree below them, and the people they supervise (now or
    once), appraise, assess, precept or led a supervision session for."""
    found = managed_by_any(session, staff_ids)
    ids = sorted(staff_ids)
    named = union(  # one statement: across sites, one round trip
        select(SupervisionArrangement.staff_id).where(SupervisionArrangement.supervisor_staff_id.in_(ids)),
        select(SupervisionAttendance.staff_id).join(
            SupervisionSession, SupervisionSession.id == SupervisionAttendance.session_id,
        ).where(SupervisionSession.supervisor_staff_id.in_(ids)),
        select(Review.staff_id).where(Review.appraiser_staff_id.in_(ids)),
        select(ProgrammeEnrolment.staff_id).where(
            ProgrammeEnrolment.assessor_staff_id.in_(ids) | ProgrammeEnrolment.preceptor_staff_id.in_(ids)),
    )
    found.update(session.execute(named).scalars())
    return frozenset(found)
