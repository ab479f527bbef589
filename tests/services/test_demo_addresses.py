"""The demo's people at benchmark sizes: 3,000 and more ARRS staff, every e-mail address and
registration number their own (issue 18, item 7: they used to collide past about 2,500), drawn
without a database so the check stays fast."""

import random

from arrs_desk import clock
from arrs_desk.demo.pcn import ARRS_MIX, FAMILY, GIVEN, _Places, _StaffWriter
from arrs_desk.services.actor import SYSTEM


def queued_people(count: int, today):
    places = _Places(pcn=1, practices=[2, 3, 4, 5, 6], trust=7, federation=8, pcn_manager=9, clinical_director=10,
                     practice_managers=(11, 12, 13, 14, 15))
    writer = _StaffWriter(None, SYSTEM, random.Random(7), today, places)
    roles = [code for code, _ in ARRS_MIX]
    for index in range(count):
        writer.add_arrs(index, roles[index % len(roles)])
    return writer.pending


def test_three_thousand_demo_staff_have_their_own_addresses():
    people = queued_people(3000, clock.today())
    emails = [p.email for p in people]
    assert len(people) == 3000 > len(GIVEN) * len(FAMILY)  # past the point where names must repeat
    assert len({(p.given_name, p.family_name) for p in people}) < 3000  # names do repeat, as in a big workforce
    assert len(set(emails)) == 3000 and all(e == e.lower() and e.endswith("@nhs.net") for e in emails)
    registered = [(p.register_code, p.registration_number) for p in people if p.register_code]
    assert len(set(registered)) == len(registered)


def test_the_same_seed_gives_the_same_people():
    today = clock.today()
    assert queued_people(300, today) == queued_people(300, today)
