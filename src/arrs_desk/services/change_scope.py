"""Whose figures a save can have changed, from the audit entries it wrote (issue 18: Home and
Assurance after a save at thousands of staff).

The pages' figures are worked out person by person, and most saves are about one person: a
supervision session, a training completion, a ticked induction item, a review. Such a save
changes that person's rows and nobody else's, so the shared reads (`shared_reads.by_person`) work
out again only the people the save's audit entries name. Anything else means every figure is read
afresh: a change to a staff record (a person's name, role, practice, line manager or leaving date
shows in other people's rows, as their supervisor or manager), reference data (roles, practices,
settings, templates, supervision rules), accounts, an entry naming nobody, or an entry this list
does not know. What a new kind of save must do to be worked out incrementally is to be named here;
until it is, it costs a full read, never a wrong figure.
"""

from __future__ import annotations

from collections.abc import Iterable

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

RECORDS_NOTHING = frozenset({"login", "logout", "login_failed", "print", "export", "export_all", "export_bundle",
                             "subject_access", "backup"})
"""Actions that save no record the pages count: signing in and out, printing and exporting
(which audit who took a copy), a backup."""


def people_touched(entries: Iterable[tuple[str, str, int | None]] | None) -> frozenset[int] | None:
    """The people whose rows the audit entries (entity type, action, subject) can have changed;
    None when they may have changed anyone's (see the module's docstring)."""
    if entries is None:
        return None
    people: set[int] = set()
    for entity_type, action, subject in entries:
        if action in RECORDS_NOTHING:
            continue
        if entity_type not in PERSONAL_RECORDS or subject is None:
            return None
        people.add(subject)
    return frozenset(people)
