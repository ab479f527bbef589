"""A realistic, entirely fictional PCN for trying ARRS Desk and for benchmarks.

Deterministic for a given seed and day, and built through the same services as real records,
so demo data is validated and audited like anything a user types.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from arrs_desk import clock
from arrs_desk.domain.catalogue import builtin_catalogue
from arrs_desk.domain.permissions import Action
from arrs_desk.domain.staff import EmploymentModel, LEAVING_REASONS, OrganisationKind, StaffStatus
from arrs_desk.errors import ValidationError
from arrs_desk.services._common import require
from arrs_desk.services.actor import SYSTEM, Actor
from arrs_desk.services.staff import PreloadedStaffLookups, StaffInput
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


MAX_ARRS_STAFF = 20_000
"""Benchmarks build 10,000; more than this is a typing slip, not a PCN."""


@dataclass(frozen=True)
class DemoSummary:
    """What was made, counted from the database afterwards (not worked out from the plan)."""

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


STAFF_PER_INSERT = 250
"""Records per batched insert: the returned ids are gathered per batch, and that costs more than
linear time in the batch's size, so a 10,000-person demo goes in slices."""


@dataclass(frozen=True)
class _Places:
    """The demo's organisations, and the people ARRS staff report to."""

    pcn: int
    practices: list[int]
    trust: int
    federation: int
    pcn_manager: int = 0
    clinical_director: int = 0
    practice_managers: tuple[int, ...] = ()


class _StaffWriter:
    """Staff records checked and written by the staff service, in batches.

    Each record is validated, audited and (for a new starter) given its checklist exactly as a
    record saved from the form is; a batch is one transaction, so 10,000 records take seconds.
    Names repeat once every pairing is used, as they do in a big workforce; e-mail addresses and
    registration numbers never do.
    """

    def __init__(self, workspace: Workspace, actor: Actor, rng: random.Random, today: date, places: _Places):
        self.workspace, self.actor, self.rng, self.today, self.places = workspace, actor, rng, today, places
        self.catalogue = builtin_catalogue()
        self.used_names: set[tuple[str, str]] = set()
        self.emails: set[str] = set()
        self.registrations: set[tuple[str, str]] = set()
        self.pending: list[StaffInput] = []
        from arrs_desk.demo.revalidation import RenewalPlan

        self.renewals = RenewalPlan(today)

    def person_name(self) -> tuple[str, str]:
        rng = self.rng
        for _ in range(1000):
            pair = (rng.choice(GIVEN), rng.choice(FAMILY))
            if pair not in self.used_names or len(self.used_names) >= len(GIVEN) * len(FAMILY):
                self.used_names.add(pair)
                return pair
        return pair

    def add(self, role_code: str, **overrides) -> None:
        """Queue one person; `write()` makes everyone queued. Draws from the generator in a fixed
        order, so a seed gives the same people whatever is overridden."""
        rng, today = self.rng, self.today
        role = self.catalogue.role(role_code)
        given, family = overrides.pop("name", None) or self.person_name()
        register = role.registers[0] if role.registers else ""
        start = overrides.pop("start", today - timedelta(days=rng.randint(20, 5 * 365)))
        practices = overrides.pop("practices", [rng.choice(self.places.practices)])
        hours = rng.choice([37.5, 37.5, 37.5, 30.0, 22.5, 15.0])
        number = self._registration_number(register) if register else ""
        renewal = today + timedelta(days=self._within_cycle(register, rng.randint(-20, 700))) if register else None
        if register:  # a few people placed at a revalidation stage (demo.revalidation); drawn either way
            in_post = start <= today and overrides.get("status") not in (StaffStatus.LEFT.value, StaffStatus.PRE_START.value)
            renewal = self.renewals.renewal(register, number, in_post, renewal)
        self.pending.append(StaffInput(
            given_name=given, family_name=family, role_code=role_code,
            employer_id=overrides.pop("employer_id", self.places.pcn),
            employment_model=overrides.pop("model", EmploymentModel.PCN.value),
            start_date=start, practice_ids=practices,
            afc_band=_band(role.typical_band), hours_per_week=hours,
            register_code=register, registration_number=number, registration_renewal=renewal,
            email=self._email(given, family),
            status=overrides.pop("status", None) or (
                StaffStatus.PRE_START if start > today else
                StaffStatus.INDUCTION if (today - start).days < 90 else StaffStatus.ACTIVE).value,
            **overrides,
        ))

    def add_arrs(self, index: int, role_code: str) -> None:
        """The `index`th ARRS member of staff: how they are employed, managed and placed, and when
        they started (or left)."""
        rng, today, places = self.rng, self.today, self.places
        overrides: dict = {}
        model = rng.choice([EmploymentModel.PCN, EmploymentModel.PCN, EmploymentModel.PRACTICE,
                            EmploymentModel.ROTATIONAL, EmploymentModel.SUBCONTRACTED])
        if role_code == "MHP":
            model, overrides["employer_id"] = EmploymentModel.SECONDED, places.trust
        elif model is EmploymentModel.SUBCONTRACTED:
            overrides["employer_id"] = places.federation
        overrides["model"] = model.value
        if model in (EmploymentModel.ROTATIONAL, EmploymentModel.PCN):
            overrides["practices"] = rng.sample(places.practices, k=rng.choice([1, 2, 3]))
        fallback = [rng.choice(places.practices)]  # drawn either way, so later draws stay where they were
        home = overrides["practices"] = overrides.get("practices", fallback)
        if model is EmploymentModel.PRACTICE:
            overrides["employer_id"] = home[0]
            overrides["line_manager_id"] = places.practice_managers[places.practices.index(home[0])]
        else:
            overrides["line_manager_id"] = places.pcn_manager if index % 3 else places.clinical_director
        if index < len(SHOWCASE_NAMES):
            overrides["name"] = SHOWCASE_NAMES[index]
            self.used_names.add(SHOWCASE_NAMES[index])
        if index == 0:  # Zoë is the demo's new starter, managed by the PCN manager
            overrides.update(start=today - timedelta(days=12), model=EmploymentModel.PCN.value,
                             employer_id=places.pcn, line_manager_id=places.pcn_manager)
        if index % 9 == 4:  # a few recent starters, some not yet in post
            overrides["start"] = today + timedelta(days=rng.randint(-60, 21))
        if index % 11 == 7:  # a leaver: started, worked a while, and left before today
            start = today - timedelta(days=rng.randint(200, 900))
            end = min(today - timedelta(days=1), start + timedelta(days=rng.randint(90, 600)))
            overrides.update(start=start, end_date=end, leaving_reason=rng.choice(LEAVING_REASONS),
                             status=StaffStatus.LEFT.value)
        elif index % 17 == 3 and overrides.get("start", today) <= today:  # only someone in post is on leave
            overrides["status"] = StaffStatus.ON_LEAVE.value
        self.add(role_code, **overrides)

    def write(self) -> list[int]:
        """Validate and insert everyone queued, in one transaction; their ids in queue order."""
        require(self.actor, Action.CREATE_STAFF)
        service = self.workspace.staff
        with self.workspace.db.write() as session:
            lookups = PreloadedStaffLookups(session)
            rows = [(service._validated(session, data, None, lookups), data.practice_ids) for data in self.pending]
            ids = []
            for first in range(0, len(rows), STAFF_PER_INSERT):
                ids += service.add_validated(session, self.actor, rows=rows[first:first + STAFF_PER_INSERT])
        self.pending.clear()
        return ids

    def _email(self, given: str, family: str) -> str:
        local = f"{_ascii(given)}.{_ascii(family)}".lower()
        number = self.rng.randint(1, 999)
        while f"{local}{number}@nhs.net" in self.emails:  # a namesake has it: take the next free one
            number += 1
        email = f"{local}{number}@nhs.net"
        self.emails.add(email)
        return email

    def _within_cycle(self, register: str, days: int) -> int:
        """`days` ahead, folded into the register's cycle (a GPhC registration renews every year: the
        staff service refuses a renewal further ahead). Folded, not drawn again, so the random draws
        that follow, and with them the rest of the demo, stay as they were."""
        from arrs_desk.domain.dates import add_months
        from arrs_desk.domain.regulators import builtin_rules

        regulator = builtin_rules().for_register(register)
        reach = (add_months(self.today, regulator.cycle.months) - self.today).days if regulator else days
        return days if days <= reach else days % (reach + 1)

    def _registration_number(self, register: str) -> str:
        number = _registration(self.rng, register)
        while (register, number) in self.registrations:
            number = _registration(self.rng, register)
        self.registrations.add((register, number))
        return number


def build_demo(
    workspace: Workspace,
    *,
    arrs_staff: int | None = None,
    seed: int = 7,
    actor: Actor = SYSTEM,
    progress: Callable[[int, int], None] | None = None,
    with_accounts: bool = True,
) -> DemoSummary:
    """Fill an empty workspace. `arrs_staff` scales the ARRS workforce (benchmarks use 1,000 to 10,000).

    Everything is dated relative to `workspace.today()`: reviews with an outcome were held by
    today, sessions and sign-offs are not in the future, leavers left before today and people
    not yet in post start after it, whatever the day and the size.
    """
    if arrs_staff is not None and not 1 <= arrs_staff <= MAX_ARRS_STAFF:
        raise ValidationError.single(
            "arrs_staff", f"Choose between 1 and {MAX_ARRS_STAFF:,} ARRS staff for the demonstration PCN.")
    require(actor, Action.CREATE_STAFF)
    with clock.pinned_to_today():  # a large demo running past midnight still reckons from one day
        return _build(workspace, arrs_staff, seed, actor, progress, with_accounts)


def _build(workspace: Workspace, arrs_staff: int | None, seed: int, actor: Actor,
           progress: Callable[[int, int], None] | None, with_accounts: bool) -> DemoSummary:
    rng = random.Random(seed)
    today = workspace.today()
    orgs = workspace.organisations
    pcn = orgs.create(actor, kind=OrganisationKind.PCN.value, name=PCN[0], ods_code=PCN[1]).id
    practice_ids = [orgs.create(actor, kind=OrganisationKind.PRACTICE.value, name=n, ods_code=c).id for n, c in PRACTICES]
    trust, federation = [orgs.create(actor, kind=OrganisationKind.OTHER.value, name=n, ods_code=c).id
                         for n, c in OTHER_EMPLOYERS]
    places = _Places(pcn, practice_ids, trust, federation)
    people = _StaffWriter(workspace, actor, rng, today, places)

    # Managers and supervisors first, so ARRS staff can point at them.
    people.add("PCNM", name=("Helen", "Whitfield-Amadi"), start=today - timedelta(days=2900))
    people.add("GPP", name=("Samuel", "Okonkwo"), start=today - timedelta(days=5000), employer_id=practice_ids[0],
               model=EmploymentModel.PRACTICE.value, practices=[practice_ids[0]])
    for index, practice in enumerate(practice_ids):
        people.add("PM", employer_id=practice, model=EmploymentModel.PRACTICE.value, practices=[practice],
                   line_manager_id=None, start=today - timedelta(days=rng.randint(900, 4000)))
        people.add("GPP" if index % 2 else "SGP", employer_id=practice, model=EmploymentModel.PRACTICE.value,
                   practices=[practice], start=today - timedelta(days=rng.randint(900, 6000)))
    pcn_manager, clinical_director, *local = people.write()
    practice_managers, gps = local[0::2], local[1::2]
    people.places = replace(places, pcn_manager=pcn_manager, clinical_director=clinical_director,
                            practice_managers=tuple(practice_managers))

    mix = [code for code, count in ARRS_MIX for _ in range(count)]
    if arrs_staff is not None:
        base = [code for code, _ in ARRS_MIX]
        mix = [base[i % len(base)] for i in range(arrs_staff)]
    for index, role_code in enumerate(mix):
        people.add_arrs(index, role_code)
        if progress:
            progress(index + 1, len(mix))
    new_starter = people.write()[0]
    accounts: tuple[tuple[str, str], ...] = ()
    if with_accounts:
        accounts = _demo_accounts(workspace, actor, [
            ("helen.whitfield", "Helen Whitfield-Amadi", ["administrator", "line_manager"], pcn_manager),
            ("samuel.okonkwo", "Samuel Okonkwo", ["line_manager", "supervisor", "appraiser"], clinical_director),
            ("practice.manager", None, ["line_manager"], practice_managers[0]),
            ("gp.supervisor", None, ["supervisor", "appraiser"], gps[0]),
            ("zoe.okubo", "Zoë Ōkubo", ["staff"], new_starter),
        ])
    from arrs_desk.demo.induction import demo_induction

    demo_induction(workspace, seed=seed)
    from arrs_desk.demo.induction_prior import add_demo_prior_inductions

    add_demo_prior_inductions(workspace, rng)  # people in post before the PCN's records began
    from arrs_desk.demo.supervision import populate_demo_supervision

    populate_demo_supervision(workspace, actor, rng)
    _confirm_external_sessions(workspace, actor, rng)
    from arrs_desk.demo.programmes import populate_demo_programmes

    populate_demo_programmes(workspace, actor, rng)
    from arrs_desk.demo.checkins import populate_demo_checkins

    populate_demo_checkins(workspace, rng)
    from arrs_desk.demo.reviews import populate_demo_reviews

    populate_demo_reviews(workspace, actor, rng)
    from arrs_desk.demo.training import populate_demo_training

    populate_demo_training(workspace, actor, random.Random(rng.random()))  # its own stream: earlier parts unchanged
    from arrs_desk.demo.revalidation import populate_demo_revalidation

    populate_demo_revalidation(workspace, random.Random(rng.random()), people.renewals.by_staff_id(workspace))
    return _counted(workspace, actor, accounts)


def _confirm_external_sessions(workspace: Workspace, actor: Actor, rng: random.Random) -> int:
    """Most sessions led by external supervisors have their confirmation back, on paper or by
    e-mail, recorded on their behalf; the most recent few are still waiting for it."""
    from sqlalchemy import select

    from arrs_desk.domain.signatures import ReceivedVia
    from arrs_desk.services.external_people import ExternalSignatureInput
    from arrs_desk.services.supervision import ExternalConfirmation
    from arrs_desk.store.models import ExternalPerson, SupervisionSession

    today = workspace.today()
    with workspace.db.read() as session:
        waiting = session.execute(
            select(SupervisionSession.id, SupervisionSession.version, SupervisionSession.held_on, ExternalPerson)
            .join(ExternalPerson, ExternalPerson.id == SupervisionSession.supervisor_external_id)
            .where(SupervisionSession.signed_at.is_(None))
            .order_by(SupervisionSession.held_on, SupervisionSession.id)).all()
    items = []
    for session_id, version, held_on, signer in waiting:
        if (today - held_on).days < 21 or rng.random() < 0.15:
            continue  # the form is still in the post, or never came back
        signed = min(today, held_on + timedelta(days=rng.randint(1, 14)))
        via = ReceivedVia.EMAIL.value if rng.random() < 0.6 else ReceivedVia.PAPER.value
        items.append(ExternalConfirmation(session_id, version, ExternalSignatureInput(
            name=signer.name, role=signer.job_title, organisation=signer.organisation,
            register_code=signer.register_code, registration_number=signer.registration_number,
            signed_on=signed, received_via=via, external_person_id=signer.id)))
    return workspace.supervision.record_external_confirmations(actor, items=items)


def _counted(workspace: Workspace, actor: Actor, accounts: tuple[tuple[str, str], ...]) -> DemoSummary:
    """The summary as the database holds it, so what is printed is what was made."""
    rows = workspace.staff.list_rows(actor)
    practices = sum(o.kind == OrganisationKind.PRACTICE.value for o in workspace.organisations.list(actor))
    return DemoSummary(practices=practices, staff=len(rows), leavers=sum(r.status == StaffStatus.LEFT for r in rows),
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
