"""One builder for the small PCNs that service and screen tests run against.

A test names the people it needs (`Member`: who they are, where they work, who manages them,
which sign-in roles they have) and `build_small_pcn` makes the PCN, its practices and those
people through the services, as a user would. Sign-in accounts are inserted directly: hashing a
password with argon2 in every test would be slow, and these accounts never sign in.

Each area's cast lives with its other helpers (`tests/induction_support.py`,
`supervision_support.py`, `review_support.py`, `programme_support.py`); the people most of
them share (Helen the PCN manager, Yusuf the GP, Bogdan the other team's manager) are here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from arrs_desk.services.actor import Actor
from arrs_desk.services.staff import StaffInput
from arrs_desk.store.models import Setting, UserAccount


class Practice(NamedTuple):
    name: str
    ods_code: str


ALPHA = Practice("Alpha Surgery", "A11111")
BETA = Practice("Beta Health Centre", "B22222")

REGISTRATION = {"SGP": ("GMC-DOCTOR", "7123456"), "PARA": ("HCPC-PA", "PA123456"),
                "CPH": ("GPHC-PHARMACIST", "2123456"), "GPN": ("NMC", "71A2998E")}
"""The register of each registered role the tests use, and a valid number on it."""


def staff_input(practice_ids: Sequence[int], *, given: str, family: str, start: date, role: str = "SPLW",
                manager_id: int | None = None, status: str = "active", number: str | None = None,
                email: str = "") -> StaffInput:
    """A practice-employed person at `practice_ids` (the first employs them). A registered role
    gets its register and a valid number unless `number` gives another ("" for none)."""
    register, usual_number = REGISTRATION.get(role, ("", ""))
    return StaffInput(
        given_name=given, family_name=family, role_code=role, employer_id=practice_ids[0],
        employment_model="practice", start_date=start, practice_ids=list(practice_ids), line_manager_id=manager_id,
        register_code=register, registration_number=(usual_number if number is None else number) if register else "",
        status=status, email=email,
    )


def account(workspace, username: str, display_name: str, roles: Iterable[str], staff_id: int | None) -> Actor:
    """A sign-in account, inserted directly (it never signs in, so its password is not a real hash)."""
    roles = frozenset(roles)
    with workspace.db.write() as session:
        user = UserAccount(username=username, display_name=display_name, roles=sorted(roles), staff_id=staff_id,
                           password_hash="not-a-real-hash")
        session.add(user)
        session.flush()
        return Actor(user.id, username, display_name, roles, staff_id)


def turn_off_account(workspace, actor: Actor) -> None:
    """Turn the actor's account off behind its back, as an administrator on another PC would: its
    next write is refused (`audit_chain._check_writer`)."""
    with workspace.db.write() as session:
        session.get(UserAccount, actor.user_id).active = False


@dataclass(frozen=True)
class Member:
    """One person on the PCN's staff, as a test needs them."""

    key: str  # the test's name for them, and their username when they have an account
    given: str
    family: str
    start: date
    role: str = "SPLW"
    sites: tuple[int, ...] = (0,)  # positions in the PCN's practices; the first employs them
    manager: str | None = None  # the key of their line manager, who is listed before them
    status: str = "active"
    number: str | None = None  # registration number; None: the role's usual one
    email: str = ""
    roles: frozenset[str] = frozenset()  # sign-in roles (any iterable); none: no account

    def __post_init__(self) -> None:
        object.__setattr__(self, "roles", frozenset(self.roles))

    @property
    def display_name(self) -> str:
        return f"{self.given} {self.family}"


HELEN = Member("helen", "Helen", "Whitfield", date(2019, 4, 1), role="PCNM", roles={"line_manager"})
"""The PCN manager: line manager of the team under test."""
YUSUF = Member("yusuf", "Yusuf", "Raghunathan", date(2015, 9, 1), role="SGP", roles={"supervisor"})
"""A salaried GP who supervises (and, where a test says so, appraises)."""
BOGDAN = Member("bogdan", "Bogdan", "Popescu", date(2018, 1, 8), role="PM", sites=(1,), roles={"line_manager"})
"""The practice manager at the second practice: another team's line manager."""


@dataclass
class SmallPcn:
    practice_ids: list[int]  # in the order the practices were given
    staff_ids: dict[str, int]  # by member key
    actors: dict[str, Actor]  # by member key, for members with sign-in roles; "admin" when one was asked for


def build_small_pcn(workspace, actor: Actor, *, members: Sequence[Member] = (), name: str = "Test PCN",
                    ods_code: str = "U11111", practices: Sequence[Practice] = (ALPHA,), admin: str | None = None,
                    multi_user: bool = False) -> SmallPcn:
    """A PCN with its practices and `members`, made in the order given, then their accounts in
    the same order and, when `admin` names one, an administrator's account (username "admin").
    `multi_user` puts the database in multi-user mode, as a PCN's shared database is."""
    orgs = workspace.organisations
    orgs.create(actor, kind="pcn", name=name, ods_code=ods_code)
    practice_ids = [orgs.create(actor, kind="practice", name=p.name, ods_code=p.ods_code).id for p in practices]
    staff_ids: dict[str, int] = {}
    for member in members:
        data = staff_input([practice_ids[site] for site in member.sites], given=member.given, family=member.family,
                           start=member.start, role=member.role, status=member.status, number=member.number,
                           email=member.email, manager_id=staff_ids[member.manager] if member.manager else None)
        staff_ids[member.key] = workspace.staff.create(actor, data=data).id
    actors = {m.key: account(workspace, m.key, m.display_name, m.roles, staff_ids[m.key]) for m in members if m.roles}
    if admin:
        actors["admin"] = account(workspace, "admin", admin, {"administrator"}, None)
    if multi_user:
        with workspace.db.write() as session:
            session.add(Setting(key="accounts.mode", value="multi"))
    return SmallPcn(practice_ids, staff_ids, actors)


def build_northfield_pcn(workspace, actor: Actor) -> int:
    """Another PCN, Northfield, with one practice (ODS code N22222) and nobody on its staff yet:
    where a person's record bundle is taken. Returns the practice's id."""
    return build_small_pcn(workspace, actor, name="Northfield PCN", ods_code="U22222",
                           practices=(Practice("Northfield Surgery", "N22222"),)).practice_ids[0]
