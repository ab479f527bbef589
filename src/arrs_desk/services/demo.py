"""A realistic, entirely fictional PCN for trying ARRS Desk and for benchmarks.

Deterministic for a given seed and day, and built through the same services as real records,
so demo data is validated and audited like anything a user types.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from arrs_desk.domain.catalogue import builtin_catalogue
from arrs_desk.domain.staff import EmploymentModel, LEAVING_REASONS, OrganisationKind, StaffStatus
from arrs_desk.services.actor import SYSTEM, Actor
from arrs_desk.services.staff import StaffInput
from arrs_desk.services.workspace import Workspace

PCN = ("Riverside and Moorland PCN", "U99001")
PRACTICES = (
    ("Riverside Medical Centre", "Y90001"),
    ("Moorland View Surgery", "Y90002"),
    ("Canal Street Health Centre", "Y90003"),
    ("Oakfield Family Practice", "Y90004"),
    ("St Aidan's Surgery", "Y90005"),
)
OTHER_EMPLOYERS = (("Northvale Mental Health NHS Trust", "R9X"), ("Moorland GP Federation", "Y9F01"))

# Names from many cultures, written as their owners write them.
GIVEN = (
    "Zoë", "Aisha", "Siobhán", "José", "Ngozi", "Priya", "Mateusz", "Аня", "محمد", "Fatima", "Oluwaseun",
    "Chloé", "Björn", "Niamh", "Rajesh", "Yusuf", "Ewa", "Kwame", "Leila", "Dmitri", "Hannah", "Tomás",
    "Amara", "Gareth", "Mei", "Ifeoma", "Bogdan", "Sinéad", "Hamza", "Rhiannon", "Ayesha", "Luca",
    "Oksana", "Kofi", "Eilidh", "Nasrin", "Pádraig", "Yasmin", "Stefan", "Grace", "Imran", "Agnieszka",
    "Sophie", "Tariq", "Ruth", "Chidi", "Lowri", "Farah", "Jakub", "Esther",
)
FAMILY = (
    "Ōkubo", "Rahman", "Ní Bhriain", "Álvarez", "Okafor", "Raghunathan", "Kowalski", "Петрова", "الحسن",
    "Begum", "Adeyemi", "Lefèvre", "Lindqvist", "O'Connell", "Patel", "Demir", "Nowak", "Mensah", "Haddad",
    "Ivanov", "Whitfield", "Ó Súilleabháin", "Diallo", "Pritchard", "Chen", "Eze", "Popescu", "Byrne",
    "Qureshi", "Llewellyn", "Siddiqui", "Bianchi", "Shevchenko", "Asante", "MacLeod", "Karimi", "Murphy",
    "Hussain", "Müller", "Thompson", "Malik", "Wiśniewska", "Green", "Aziz", "Cohen", "Nwosu", "Evans",
    "Farouk", "Novák", "Abrahams",
)

# People whose names test every script the app must show correctly, in lists and in PDFs.
SHOWCASE_NAMES = (("Zoë", "Ōkubo"), ("Аня", "Петрова"), ("محمد", "الحسن"), ("Siobhán", "Ní Bhriain"))

# (role, how many in the standard demo). Every ARRS role appears at least once.
ARRS_MIX = (
    ("CPH", 5), ("PTECH", 3), ("SPLW", 4), ("HWBC", 2), ("CCO", 4), ("PARA", 3), ("FCPP", 3), ("DIET", 1),
    ("OT", 1), ("POD", 1), ("MHP", 3), ("PA", 2), ("NA", 2), ("TNA", 1), ("AP", 2), ("GPA", 2), ("DTL", 1),
    ("GP", 1), ("GPN", 1), ("CNUR", 1), ("HCSW", 1),
)


DEMO_PASSWORD = "riverside-moorland-demo"
"""Shared by every demonstration account; shown on screen when demo data is created."""


@dataclass(frozen=True)
class DemoSummary:
    practices: int
    staff: int
    leavers: int
    accounts: tuple[tuple[str, str], ...] = ()


def _registration(rng: random.Random, register: str) -> str:
    digits = lambda n: "".join(rng.choice("0123456789") for _ in range(n))  # noqa: E731
    letter = lambda: rng.choice("ABCDEFGHJKLMNPRSTUVWXY")  # noqa: E731
    return {
        "GMC-DOCTOR": lambda: str(rng.randint(6000000, 7999999)),
        "GMC-PA": lambda: "A" + digits(7),
        "NMC": lambda: f"{rng.randint(5, 24):02d}{letter()}{digits(4)}{letter()}",
        "HCPC-PA": lambda: "PA" + digits(6),
        "HCPC-PH": lambda: "PH" + digits(6),
        "HCPC-OT": lambda: "OT" + digits(6),
        "HCPC-DT": lambda: "DT" + digits(6),
        "HCPC-CH": lambda: "CH" + digits(6),
        "HCPC": lambda: "PYL" + digits(5),
        "GPHC-PHARMACIST": lambda: "2" + digits(6),
        "GPHC-TECHNICIAN": lambda: "5" + digits(6),
        "SWE": lambda: "SW" + digits(6),
    }[register]()


def build_demo(
    workspace: Workspace,
    *,
    arrs_staff: int | None = None,
    seed: int = 7,
    actor: Actor = SYSTEM,
    progress: Callable[[int, int], None] | None = None,
    with_accounts: bool = True,
) -> DemoSummary:
    """Fill an empty workspace. `arrs_staff` scales the ARRS workforce (benchmarks use 1,000)."""
    rng = random.Random(seed)
    today = workspace.today()
    catalogue = builtin_catalogue()
    orgs = workspace.organisations
    orgs.create(actor, kind=OrganisationKind.PCN.value, name=PCN[0], ods_code=PCN[1])
    practice_ids = [orgs.create(actor, kind=OrganisationKind.PRACTICE.value, name=n, ods_code=c).id for n, c in PRACTICES]
    others = [orgs.create(actor, kind=OrganisationKind.OTHER.value, name=n, ods_code=c).id for n, c in OTHER_EMPLOYERS]
    pcn_id = next(o.id for o in orgs.list(actor) if o.kind == OrganisationKind.PCN.value)
    trust_id, federation_id = others

    used_names: set[tuple[str, str]] = set()

    def person_name() -> tuple[str, str]:
        for _ in range(1000):
            pair = (rng.choice(GIVEN), rng.choice(FAMILY))
            if pair not in used_names or len(used_names) >= len(GIVEN) * len(FAMILY):
                used_names.add(pair)
                return pair
        return pair

    def add(role_code: str, **overrides) -> int:
        role = catalogue.role(role_code)
        given, family = overrides.pop("name", None) or person_name()
        register = role.registers[0] if role.registers else ""
        start = overrides.pop("start", today - timedelta(days=rng.randint(20, 5 * 365)))
        data = StaffInput(
            given_name=given, family_name=family, role_code=role_code,
            employer_id=overrides.pop("employer_id", pcn_id),
            employment_model=overrides.pop("model", EmploymentModel.PCN.value),
            start_date=start, practice_ids=overrides.pop("practices", [rng.choice(practice_ids)]),
            afc_band=_band(role.typical_band), hours_per_week=rng.choice([37.5, 37.5, 37.5, 30.0, 22.5, 15.0]),
            register_code=register,
            registration_number=_registration(rng, register) if register else "",
            registration_renewal=today + timedelta(days=rng.randint(-20, 700)) if register else None,
            email=f"{_ascii(given)}.{_ascii(family)}{rng.randint(1, 999)}@nhs.net".lower(),
            status=overrides.pop("status", None) or (
                StaffStatus.PRE_START if start > today else
                StaffStatus.INDUCTION if (today - start).days < 90 else StaffStatus.ACTIVE).value,
            **overrides,
        )
        return workspace.staff.create(actor, data).id

    # Managers and supervisors first, so ARRS staff can point at them.
    pcn_manager = add("PCNM", name=("Helen", "Whitfield-Amadi"), start=today - timedelta(days=2900))
    clinical_director = add("GPP", name=("Samuel", "Okonkwo"), start=today - timedelta(days=5000),
                            employer_id=practice_ids[0], model=EmploymentModel.PRACTICE.value,
                            practices=[practice_ids[0]])
    practice_managers, gps = [], []
    for index, practice in enumerate(practice_ids):
        practice_managers.append(add("PM", employer_id=practice, model=EmploymentModel.PRACTICE.value,
                                     practices=[practice], line_manager_id=None,
                                     start=today - timedelta(days=rng.randint(900, 4000))))
        gps.append(add("GPP" if index % 2 else "SGP", employer_id=practice, model=EmploymentModel.PRACTICE.value,
                       practices=[practice], start=today - timedelta(days=rng.randint(900, 6000))))

    mix = [code for code, count in ARRS_MIX for _ in range(count)]
    if arrs_staff is not None:
        base = [code for code, _ in ARRS_MIX]
        mix = [base[i % len(base)] for i in range(arrs_staff)]
    total = len(mix)
    leavers = 0
    for index, role_code in enumerate(mix):
        overrides: dict = {}
        model = rng.choice([EmploymentModel.PCN, EmploymentModel.PCN, EmploymentModel.PRACTICE,
                            EmploymentModel.ROTATIONAL, EmploymentModel.SUBCONTRACTED])
        if role_code == "MHP":
            model, overrides["employer_id"] = EmploymentModel.SECONDED, trust_id
        elif model is EmploymentModel.SUBCONTRACTED:
            overrides["employer_id"] = federation_id
        overrides["model"] = model.value
        if model in (EmploymentModel.ROTATIONAL, EmploymentModel.PCN):
            overrides["practices"] = rng.sample(practice_ids, k=rng.choice([1, 2, 3]))
        home = overrides.get("practices", [rng.choice(practice_ids)])
        overrides["practices"] = home
        if model is EmploymentModel.PRACTICE:
            overrides["employer_id"] = home[0]
            overrides["line_manager_id"] = practice_managers[practice_ids.index(home[0])]
        else:
            overrides["line_manager_id"] = pcn_manager if index % 3 else clinical_director
        if index < len(SHOWCASE_NAMES):
            overrides["name"] = SHOWCASE_NAMES[index]
            used_names.add(SHOWCASE_NAMES[index])
        if index == 0:  # Zoë is the demo's new starter, managed by the PCN manager
            overrides.update(start=today - timedelta(days=12), model=EmploymentModel.PCN.value,
                             employer_id=pcn_id, line_manager_id=pcn_manager)
        if index % 9 == 4:  # a few recent starters, some not yet in post
            overrides["start"] = today + timedelta(days=rng.randint(-60, 21))
        if index % 11 == 7:
            start = today - timedelta(days=rng.randint(200, 900))
            overrides.update(start=start, end_date=min(today - timedelta(days=1), start + timedelta(days=rng.randint(90, 600))),
                             leaving_reason=rng.choice(LEAVING_REASONS), status=StaffStatus.LEFT.value)
            leavers += 1
        elif index % 17 == 3:
            overrides["status"] = StaffStatus.ON_LEAVE.value
        staff_id = add(role_code, **overrides)
        if index == 0:
            new_starter = staff_id
        if progress:
            progress(index + 1, total)
    accounts: tuple[tuple[str, str], ...] = ()
    if with_accounts:
        accounts = _demo_accounts(workspace, actor, [
            ("helen.whitfield", "Helen Whitfield-Amadi", ["administrator", "line_manager"], pcn_manager),
            ("samuel.okonkwo", "Samuel Okonkwo", ["line_manager", "supervisor", "appraiser"], clinical_director),
            ("practice.manager", None, ["line_manager"], practice_managers[0]),
            ("gp.supervisor", None, ["supervisor", "appraiser"], gps[0]),
            ("zoe.okubo", "Zoë Ōkubo", ["staff"], new_starter),
        ])
    from arrs_desk.services.induction_demo import demo_induction

    demo_induction(workspace, seed=seed)
    from arrs_desk.services.supervision import populate_demo_supervision

    populate_demo_supervision(workspace, actor, rng)
    from arrs_desk.services.programmes import populate_demo_programmes

    populate_demo_programmes(workspace, actor, rng)
    from arrs_desk.services.checkins import populate_demo_checkins

    populate_demo_checkins(workspace, rng)
    from arrs_desk.services.reviews_demo import populate_demo_reviews

    populate_demo_reviews(workspace, actor, rng)
    return DemoSummary(practices=len(practice_ids), staff=total + 2 + 2 * len(practice_ids), leavers=leavers,
                       accounts=accounts)


def _demo_accounts(workspace: Workspace, actor: Actor, specs) -> tuple[tuple[str, str], ...]:
    """Sign-in accounts for the demo's people, so sign-offs in the demo are bound to someone."""
    from arrs_desk.services.accounts import MULTI_USER

    names = {r.id: r.display_name for r in workspace.staff.list_rows(actor)}
    made = []
    for username, shown, roles, staff_id in specs:
        display = shown or names[staff_id]
        workspace.accounts.create_user(actor, username=username, display_name=display, password=DEMO_PASSWORD,
                                       roles=roles, staff_id=staff_id, must_change_password=False)
        made.append((username, display))
    workspace.accounts.set_mode_if_unset(MULTI_USER)
    return tuple(made)


def _band(typical: str) -> str:
    band = typical.split("-")[0] if typical else ""
    return band if band in {"2", "3", "4", "5", "6", "7", "8a", "8b", "8c", "Medical", "Non-AfC"} else ""


_ROMANISED = {"Аня": "anya", "Петрова": "petrova", "محمد": "mohammed", "الحسن": "alhassan"}


def _ascii(text: str) -> str:
    import unicodedata

    if text in _ROMANISED:
        return _ROMANISED[text]
    folded = "".join(c for c in unicodedata.normalize("NFKD", text) if c.isascii() and c.isalpha())
    return folded or "staff"
