"""Who may do what. A pure policy: services work out the facts (is this person in my team?)
and ask here; the answer is the same whichever screen, command or import asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class AccessRole(StrEnum):
    ADMINISTRATOR = "administrator"
    LINE_MANAGER = "line_manager"
    SUPERVISOR = "supervisor"
    APPRAISER = "appraiser"
    STAFF = "staff"

    @property
    def label(self) -> str:
        return ACCESS_ROLE_LABELS[self]


ACCESS_ROLE_LABELS = {
    AccessRole.ADMINISTRATOR: "Administrator",
    AccessRole.LINE_MANAGER: "Line manager",
    AccessRole.SUPERVISOR: "Supervisor",
    AccessRole.APPRAISER: "Appraiser",
    AccessRole.STAFF: "Staff member",
}


class Action(StrEnum):
    MANAGE_USERS = "manage_users"
    MANAGE_TEMPLATES = "manage_templates"
    MANAGE_SETTINGS = "manage_settings"
    MANAGE_ORGANISATIONS = "manage_organisations"
    VIEW_AUDIT = "view_audit"
    VIEW_STAFF = "view_staff"
    CREATE_STAFF = "create_staff"
    EDIT_STAFF = "edit_staff"
    TICK_INDUCTION = "tick_induction"
    SIGN_OFF_INDUCTION = "sign_off_induction"
    RECORD_SUPERVISION = "record_supervision"
    CONFIRM_SUPERVISION = "confirm_supervision"
    RECORD_SIGNATURE = "record_signature"
    """Record a confirmation or sign-off given on paper or by e-mail by someone without an account."""
    ARRANGE_SUPERVISION = "arrange_supervision"
    READ_REFLECTIONS = "read_reflections"
    WRITE_REFLECTIONS = "write_reflections"
    MANAGE_PROGRAMME = "manage_programme"
    ASSESS_PROGRAMME = "assess_programme"
    WRITE_REVIEW = "write_review"
    PRINT_PACK = "print_pack"
    RECORD_IMPACT = "record_impact"
    EXPORT_DATA = "export_data"
    EXPORT_RECORD = "export_record"
    ANSWER_CHECKIN = "answer_checkin"
    RECORD_TRAINING = "record_training"
    """Record or remove a statutory and mandatory training completion."""
    SUBJECT_ACCESS = "subject_access"
    """Make a copy of everything held about a person (UK GDPR article 15)."""
    RECORD_CPD = "record_cpd"
    """Enter CPD and revalidation evidence: the person or their line manager."""
    VERIFY_CPD = "verify_cpd"
    """Confirm someone's CPD or evidence: their line manager or an administrator, never themself."""
    PRINT_REGULATOR_PACK = "print_regulator_pack"
    """Print a person's revalidation pack for their regulator: themself, their line manager or an administrator."""


@dataclass(frozen=True, slots=True)
class Relationship:
    """What the actor is to the person a request is about."""

    is_self: bool = False
    manages: bool = False  # the actor is the person's line manager (directly or up the chain)
    supervises: bool = False  # the actor holds a supervision arrangement with the person
    appraises: bool = False  # the actor is named appraiser on one of the person's reviews
    assesses: bool = False  # the actor is the named assessor on the person's programme
    link_trusted: bool = True
    """False while the actor's account link to a staff record was made (or its password set) by an
    administrator and its holder has not yet chosen their own password: such an account may still
    work, but the link opens nobody's private notes (an administrator must not be able to read
    reflections by linking an account to someone and signing in as it)."""


ANYONE = Relationship()

# For each action: the roles allowed regardless of relationship, and (role, relationship test)
# pairs allowed only for the right person. Administrators manage the system, not clinical
# content about people: they may edit records and templates but not sign off someone's work.
_GLOBAL: dict[Action, frozenset[AccessRole]] = {
    Action.MANAGE_USERS: frozenset({AccessRole.ADMINISTRATOR}),
    Action.MANAGE_TEMPLATES: frozenset({AccessRole.ADMINISTRATOR}),
    Action.MANAGE_SETTINGS: frozenset({AccessRole.ADMINISTRATOR}),
    Action.MANAGE_ORGANISATIONS: frozenset({AccessRole.ADMINISTRATOR}),
    Action.VIEW_AUDIT: frozenset({AccessRole.ADMINISTRATOR}),
    Action.VIEW_STAFF: frozenset({AccessRole.ADMINISTRATOR}),
    Action.CREATE_STAFF: frozenset({AccessRole.ADMINISTRATOR, AccessRole.LINE_MANAGER}),
    Action.EDIT_STAFF: frozenset({AccessRole.ADMINISTRATOR}),
    Action.ARRANGE_SUPERVISION: frozenset({AccessRole.ADMINISTRATOR}),
    Action.RECORD_SIGNATURE: frozenset({AccessRole.ADMINISTRATOR}),
    Action.MANAGE_PROGRAMME: frozenset({AccessRole.ADMINISTRATOR}),
    Action.EXPORT_DATA: frozenset({AccessRole.ADMINISTRATOR}),
    Action.EXPORT_RECORD: frozenset({AccessRole.ADMINISTRATOR}),
    Action.RECORD_TRAINING: frozenset({AccessRole.ADMINISTRATOR}),
    Action.SUBJECT_ACCESS: frozenset({AccessRole.ADMINISTRATOR}),
    Action.VERIFY_CPD: frozenset({AccessRole.ADMINISTRATOR}),
    Action.PRINT_REGULATOR_PACK: frozenset({AccessRole.ADMINISTRATOR}),
}

_BY_RELATIONSHIP: dict[Action, tuple[tuple[AccessRole, str], ...]] = {
    Action.VIEW_STAFF: (
        (AccessRole.STAFF, "is_self"),
        (AccessRole.LINE_MANAGER, "manages"),
        (AccessRole.SUPERVISOR, "supervises"),
        (AccessRole.APPRAISER, "appraises"),
        (AccessRole.SUPERVISOR, "assesses"),
    ),
    Action.EDIT_STAFF: ((AccessRole.LINE_MANAGER, "manages"),),
    Action.TICK_INDUCTION: ((AccessRole.STAFF, "is_self"), (AccessRole.LINE_MANAGER, "manages")),
    Action.SIGN_OFF_INDUCTION: ((AccessRole.LINE_MANAGER, "manages"),),
    Action.RECORD_SUPERVISION: (
        (AccessRole.LINE_MANAGER, "manages"),
        (AccessRole.SUPERVISOR, "supervises"),
        (AccessRole.STAFF, "is_self"),
    ),
    Action.CONFIRM_SUPERVISION: ((AccessRole.SUPERVISOR, "supervises"), (AccessRole.STAFF, "is_self")),
    Action.RECORD_SIGNATURE: ((AccessRole.LINE_MANAGER, "manages"),),
    Action.ARRANGE_SUPERVISION: ((AccessRole.LINE_MANAGER, "manages"),),
    Action.READ_REFLECTIONS: (
        (AccessRole.STAFF, "is_self"),
        (AccessRole.LINE_MANAGER, "manages"),
        (AccessRole.SUPERVISOR, "supervises"),
        (AccessRole.APPRAISER, "appraises"),
    ),
    Action.WRITE_REFLECTIONS: ((AccessRole.STAFF, "is_self"),),
    Action.MANAGE_PROGRAMME: ((AccessRole.LINE_MANAGER, "manages"),),
    Action.ASSESS_PROGRAMME: ((AccessRole.SUPERVISOR, "assesses"), (AccessRole.LINE_MANAGER, "assesses")),
    Action.WRITE_REVIEW: ((AccessRole.APPRAISER, "appraises"), (AccessRole.LINE_MANAGER, "manages")),
    Action.PRINT_PACK: (
        (AccessRole.APPRAISER, "appraises"),
        (AccessRole.LINE_MANAGER, "manages"),
        (AccessRole.STAFF, "is_self"),
    ),
    Action.RECORD_IMPACT: ((AccessRole.STAFF, "is_self"), (AccessRole.LINE_MANAGER, "manages")),
    Action.EXPORT_RECORD: ((AccessRole.LINE_MANAGER, "manages"),),
    Action.RECORD_TRAINING: ((AccessRole.STAFF, "is_self"), (AccessRole.LINE_MANAGER, "manages")),
    # Everyone with a staff record may have a copy of their own; an administrator makes one for anyone.
    Action.SUBJECT_ACCESS: tuple((role, "is_self") for role in AccessRole),
    # Everyone with a staff record answers their own check-ins, whatever their access roles.
    Action.ANSWER_CHECKIN: tuple((role, "is_self") for role in AccessRole),
    Action.RECORD_CPD: ((AccessRole.STAFF, "is_self"), (AccessRole.LINE_MANAGER, "manages")),
    Action.VERIFY_CPD: ((AccessRole.LINE_MANAGER, "manages"),),
    # Everyone with a staff record may print their own, whatever their access roles.
    Action.PRINT_REGULATOR_PACK: tuple((role, "is_self") for role in AccessRole) + (
        (AccessRole.LINE_MANAGER, "manages"),),
}

# Work nobody may do on their own record, whatever roles they hold. Recording a signature is
# clerical, which is why administrators may do it, but not on one's own session or checklist.
_NEVER_ON_SELF = frozenset({Action.SIGN_OFF_INDUCTION, Action.ASSESS_PROGRAMME, Action.WRITE_REVIEW,
                            Action.RECORD_SIGNATURE, Action.VERIFY_CPD})

_STAFF = frozenset({AccessRole.STAFF})

# Private notes are read only through a link the account's holder, not an administrator, vouched for.
_NEEDS_TRUSTED_LINK = frozenset({Action.READ_REFLECTIONS})

_DENIED_TEXT = {
    Action.MANAGE_USERS: "Only an administrator can manage user accounts.",
    Action.MANAGE_TEMPLATES: "Only an administrator can change templates.",
    Action.MANAGE_SETTINGS: "Only an administrator can change settings.",
    Action.MANAGE_ORGANISATIONS: "Only an administrator can change the PCN's practices.",
    Action.VIEW_AUDIT: "Only an administrator can read the audit trail.",
    Action.VIEW_STAFF: "You can only see your own record and the records of people you manage, supervise or appraise.",
    Action.CREATE_STAFF: "Only administrators and line managers can add staff.",
    Action.EDIT_STAFF: "You can only change the records of people you line-manage.",
    Action.TICK_INDUCTION: "You can only tick items on your own induction checklist or your team's.",
    Action.SIGN_OFF_INDUCTION: "Only the person's line manager can sign off their induction items.",
    Action.RECORD_SUPERVISION: "You can only record supervision for yourself, your team or people you supervise.",
    Action.CONFIRM_SUPERVISION: "Only the supervisor or the supervisee can confirm a session.",
    Action.RECORD_SIGNATURE: ("Only the person's line manager or an administrator can record a signature given on "
                              "paper or by e-mail."),
    Action.ARRANGE_SUPERVISION: "Only the person's line manager or an administrator can arrange supervision.",
    Action.READ_REFLECTIONS: "Reflective notes are private to the person and those who manage, supervise or appraise them.",
    Action.WRITE_REFLECTIONS: "Only the person themself can write their reflections.",
    Action.MANAGE_PROGRAMME: "Only the person's line manager or an administrator can manage their programme enrolment.",
    Action.ASSESS_PROGRAMME: "Only the named assessor can sign off competencies and completion.",
    Action.WRITE_REVIEW: "Only the named appraiser or the line manager can write this review.",
    Action.PRINT_PACK: "You can only print appraisal packs for people you appraise or manage, or your own.",
    Action.RECORD_IMPACT: "Only the person themself or their line manager can record examples of their impact.",
    Action.EXPORT_DATA: "Only an administrator can export all of ARRS Desk's data.",
    Action.EXPORT_RECORD: "Only the person's line manager or an administrator can export their record bundle.",
    Action.ANSWER_CHECKIN: "Only the person themself can answer their check-in.",
    Action.RECORD_TRAINING: ("Only the person themself, their line manager or an administrator can record their "
                             "training."),
    Action.SUBJECT_ACCESS: ("Only the person themself or an administrator can make a copy of everything held about "
                            "them."),
    Action.RECORD_CPD: "Only the person themself or their line manager can record their CPD and revalidation evidence.",
    Action.VERIFY_CPD: "Only the person's line manager or an administrator can verify their CPD and evidence.",
    Action.PRINT_REGULATOR_PACK: ("Only the person themself, their line manager or an administrator can print their "
                                  "regulator pack."),
}


def denial(roles: frozenset[str], action: Action, relationship: Relationship = ANYONE) -> str | None:
    """None when allowed; otherwise the message to show."""
    if relationship.is_self and action in _NEVER_ON_SELF:
        return {
            Action.SIGN_OFF_INDUCTION: "You cannot sign off your own induction items; your line manager does that.",
            Action.ASSESS_PROGRAMME: "You cannot sign off your own competencies; your assessor does that.",
            Action.WRITE_REVIEW: "You cannot write your own review; add your self-assessment instead.",
            Action.RECORD_SIGNATURE: ("You cannot record a signature on your own session or checklist; your line "
                                      "manager or an administrator does that."),
            Action.VERIFY_CPD: "You cannot verify your own CPD or evidence; your line manager or an administrator does that.",
        }[action]
    if roles & _GLOBAL.get(action, frozenset()):
        return None
    if action in _NEEDS_TRUSTED_LINK and not relationship.link_trusted:
        return _DENIED_TEXT[action]
    # Anyone whose account is linked to their own staff record is a staff member on it, whatever
    # else they are: a practice manager or GP supervisor without the "staff" role was refused their
    # own induction and training with "You can only see your own record...". The staff role's rules
    # are all about oneself, so this grants nothing about anyone else.
    held = roles | _STAFF if relationship.is_self else roles
    for role, fact in _BY_RELATIONSHIP.get(action, ()):
        if role in held and getattr(relationship, fact):
            return None
    return _DENIED_TEXT[action]
