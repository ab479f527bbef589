"""The one small-PCN builder the service and screen tests stand on (`tests/support/pcn.py`)
makes what a test names, through the services, so a test's people are what it says they are."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sqlalchemy import select

from arrs_desk.store.models import AuditEntry, Setting, UserAccount
from tests.conftest import TODAY
from tests.support.pcn import ALPHA, BETA, BOGDAN, HELEN, YUSUF, Member, build_northfield_pcn, build_small_pcn

STARTED = TODAY - timedelta(days=40)
STARTS = TODAY + timedelta(days=14)
"""A starter still to come: Pre-start (saved so before their start date, they read as in induction)."""


def test_the_pcn_its_practices_and_people_are_made_as_named(workspace, system_actor):
    pcn = build_small_pcn(workspace, system_actor, name="Riverside PCN", ods_code="U33333", practices=(ALPHA, BETA),
                          members=(HELEN, YUSUF, BOGDAN,
                                   Member("zoe", "Zoë", "Ōkubo", STARTED, role="PARA", sites=(1, 0), manager="helen"),
                                   Member("anya", "Аня", "Петрова", STARTS, role="HWBC", sites=(1,), manager="bogdan",
                                          status="pre_start", email="anya.petrova@nhs.net")))
    organisations = {o.ods_code: (o.kind, o.name) for o in workspace.organisations.list(system_actor)}
    assert organisations == {"U33333": ("pcn", "Riverside PCN"), "A11111": ("practice", "Alpha Surgery"),
                             "B22222": ("practice", "Beta Health Centre")}
    alpha, beta = pcn.practice_ids
    assert list(pcn.staff_ids) == ["helen", "yusuf", "bogdan", "zoe", "anya"]
    zoe = workspace.staff.get(system_actor, staff_id=pcn.staff_ids["zoe"]).data
    assert (zoe.employer_id, sorted(zoe.practice_ids), zoe.line_manager_id) == (beta, sorted([alpha, beta]),
                                                                                 pcn.staff_ids["helen"])
    assert (zoe.register_code, zoe.registration_number, zoe.start_date) == ("HCPC-PA", "PA123456", STARTED)
    anya = workspace.staff.get(system_actor, staff_id=pcn.staff_ids["anya"]).data
    assert (anya.status, anya.email, anya.line_manager_id, anya.practice_ids) == (
        "pre_start", "anya.petrova@nhs.net", pcn.staff_ids["bogdan"], [beta])
    assert (anya.register_code, anya.registration_number) == ("", "")
    gp = workspace.staff.get(system_actor, staff_id=pcn.staff_ids["yusuf"]).data
    assert (gp.role_code, gp.register_code, gp.registration_number) == ("SGP", "GMC-DOCTOR", "7123456")
    with workspace.db.read() as session:
        made = session.execute(select(AuditEntry.subject_staff_id).where(AuditEntry.entity_type == "staff",
                                                                       AuditEntry.action == "create")).scalars().all()
    assert sorted(made) == sorted(pcn.staff_ids.values())  # through the service, audited like any other


def test_accounts_are_made_for_members_with_sign_in_roles_and_an_administrator_when_asked(workspace, system_actor):
    pcn = build_small_pcn(workspace, system_actor, admin="Practice Administrator", multi_user=True, members=(
        replace(HELEN, roles={"line_manager", "staff"}),
        Member("zoe", "Zoë", "Ōkubo", STARTED, manager="helen", roles=["staff"]),
        Member("kofi", "Kofi", "Mensah", STARTED, manager="helen")))
    assert list(pcn.actors) == ["helen", "zoe", "admin"]
    helen, zoe, admin = pcn.actors["helen"], pcn.actors["zoe"], pcn.actors["admin"]
    assert (helen.username, helen.display_name, helen.roles, helen.staff_id) == (
        "helen", "Helen Whitfield", frozenset({"line_manager", "staff"}), pcn.staff_ids["helen"])
    assert (zoe.display_name, zoe.roles, zoe.staff_id) == ("Zoë Ōkubo", frozenset({"staff"}), pcn.staff_ids["zoe"])
    assert (admin.username, admin.display_name, admin.roles, admin.staff_id) == (
        "admin", "Practice Administrator", frozenset({"administrator"}), None)
    with workspace.db.read() as session:
        accounts = {u.id: (u.username, u.roles, u.staff_id) for u in session.execute(select(UserAccount)).scalars()}
        mode = session.get(Setting, "accounts.mode")
    assert accounts == {a.user_id: (a.username, sorted(a.roles), a.staff_id) for a in pcn.actors.values()}
    assert mode is not None and mode.value == "multi"


def test_a_pcn_with_nobody_in_it_yet(workspace, system_actor):
    practice = build_northfield_pcn(workspace, system_actor)
    pcn = {o.id: (o.kind, o.name, o.ods_code) for o in workspace.organisations.list(system_actor)}
    assert pcn[practice] == ("practice", "Northfield Surgery", "N22222")
    assert sorted(pcn.values()) == [("pcn", "Northfield PCN", "U22222"), ("practice", "Northfield Surgery", "N22222")]
    assert workspace.staff.list_rows(system_actor) == []
    with workspace.db.read() as session:
        assert session.execute(select(UserAccount)).first() is None
        assert session.get(Setting, "accounts.mode") is None
