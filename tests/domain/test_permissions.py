"""Table-driven: every role against every action, for each relationship to the person concerned."""

import pytest

from arrs_desk.domain.permissions import AccessRole as R, Action as A, Relationship, denial

NONE, SELF, MANAGES, SUPERVISES, APPRAISES, ASSESSES = (
    Relationship(), Relationship(is_self=True), Relationship(manages=True), Relationship(supervises=True),
    Relationship(appraises=True), Relationship(assesses=True),
)
RELS = {"none": NONE, "self": SELF, "manages": MANAGES, "supervises": SUPERVISES, "appraises": APPRAISES,
        "assesses": ASSESSES}

# action -> role -> the relationships under which it is allowed ("*" = whatever the relationship,
# except the never-on-self rule checked separately).
ALLOWED = {
    A.MANAGE_USERS: {R.ADMINISTRATOR: "*"},
    A.MANAGE_TEMPLATES: {R.ADMINISTRATOR: "*"},
    A.MANAGE_SETTINGS: {R.ADMINISTRATOR: "*"},
    A.MANAGE_ORGANISATIONS: {R.ADMINISTRATOR: "*"},
    A.VIEW_AUDIT: {R.ADMINISTRATOR: "*"},
    A.VIEW_STAFF: {R.ADMINISTRATOR: "*", R.STAFF: {"self"}, R.LINE_MANAGER: {"manages"},
                   R.SUPERVISOR: {"supervises", "assesses"}, R.APPRAISER: {"appraises"}},
    A.CREATE_STAFF: {R.ADMINISTRATOR: "*", R.LINE_MANAGER: "*"},
    A.EDIT_STAFF: {R.ADMINISTRATOR: "*", R.LINE_MANAGER: {"manages"}},
    A.TICK_INDUCTION: {R.STAFF: {"self"}, R.LINE_MANAGER: {"manages"}},
    A.SIGN_OFF_INDUCTION: {R.LINE_MANAGER: {"manages"}},
    A.RECORD_SUPERVISION: {R.LINE_MANAGER: {"manages"}, R.SUPERVISOR: {"supervises"}, R.STAFF: {"self"}},
    A.CONFIRM_SUPERVISION: {R.SUPERVISOR: {"supervises"}, R.STAFF: {"self"}},
    A.RECORD_SIGNATURE: {R.ADMINISTRATOR: "*", R.LINE_MANAGER: {"manages"}},
    A.ARRANGE_SUPERVISION: {R.ADMINISTRATOR: "*", R.LINE_MANAGER: {"manages"}},
    A.READ_REFLECTIONS: {R.STAFF: {"self"}, R.LINE_MANAGER: {"manages"}, R.SUPERVISOR: {"supervises"},
                         R.APPRAISER: {"appraises"}},
    A.WRITE_REFLECTIONS: {R.STAFF: {"self"}},
    A.MANAGE_PROGRAMME: {R.ADMINISTRATOR: "*", R.LINE_MANAGER: {"manages"}},
    A.ASSESS_PROGRAMME: {R.SUPERVISOR: {"assesses"}, R.LINE_MANAGER: {"assesses"}},
    A.WRITE_REVIEW: {R.APPRAISER: {"appraises"}, R.LINE_MANAGER: {"manages"}},
    A.PRINT_PACK: {R.APPRAISER: {"appraises"}, R.LINE_MANAGER: {"manages"}, R.STAFF: {"self"}},
    A.RECORD_IMPACT: {R.STAFF: {"self"}, R.LINE_MANAGER: {"manages"}},
    A.EXPORT_DATA: {R.ADMINISTRATOR: "*"},
    A.EXPORT_RECORD: {R.ADMINISTRATOR: "*", R.LINE_MANAGER: {"manages"}},
    A.ANSWER_CHECKIN: {role: {"self"} for role in R},
    A.RECORD_TRAINING: {R.ADMINISTRATOR: "*", R.STAFF: {"self"}, R.LINE_MANAGER: {"manages"}},
    A.SUBJECT_ACCESS: {**{role: {"self"} for role in R}, R.ADMINISTRATOR: "*"},
    A.RECORD_CPD: {R.STAFF: {"self"}, R.LINE_MANAGER: {"manages"}},
    A.VERIFY_CPD: {R.ADMINISTRATOR: "*", R.LINE_MANAGER: {"manages"}},
    A.PRINT_REGULATOR_PACK: {**{role: {"self"} for role in R}, R.LINE_MANAGER: {"self", "manages"},
                             R.ADMINISTRATOR: "*"},
}
# An account linked to its own staff record is a staff member on it, whatever its roles: what the
# staff role may do on one's own record, every role may.
for _action, _allowed in ALLOWED.items():
    if "self" in _allowed.get(R.STAFF, ()):
        for _role in R:
            if _allowed.get(_role) != "*":
                _allowed[_role] = set(_allowed.get(_role, ())) | {"self"}
NEVER_ON_SELF = {A.SIGN_OFF_INDUCTION, A.ASSESS_PROGRAMME, A.WRITE_REVIEW, A.RECORD_SIGNATURE, A.VERIFY_CPD}


def test_every_action_is_in_the_table():
    assert set(ALLOWED) == set(A)


CASES = [(action, role, rel) for action in A for role in R for rel in RELS]


@pytest.mark.parametrize(("action", "role", "rel"), CASES, ids=[f"{a.value}-{r.value}-{x}" for a, r, x in CASES])
def test_role_action_relationship(action, role, rel):
    rule = ALLOWED[action].get(role)
    expected = rule == "*" or (rule is not None and rel in rule)
    if rel == "self" and action in NEVER_ON_SELF:
        expected = False
    reason = denial(frozenset({role.value}), action, RELS[rel])
    assert (reason is None) == expected, reason
    if reason is not None:
        assert len(reason) > 20  # a sentence a user can act on, never a code


def test_nobody_signs_off_their_own_work_even_with_every_role():
    everything = frozenset(r.value for r in R)
    for action in NEVER_ON_SELF:
        assert denial(everything, action, Relationship(is_self=True, manages=True, assesses=True, appraises=True))
