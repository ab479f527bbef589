"""The staff list a single-user window shows from its light read (`services.quick_start`, standard
library only) is the list the full database layer hands over moments later, row for row: the
window swaps one for the other, and a person browsing the first must not see it change."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from arrs_desk.services.quick_start import single_user_quick_start
from arrs_desk.services.workspace import Workspace
from tests.supervision_support import make_team


def test_the_light_read_gives_the_same_rows_as_the_staff_service(tmp_path, system_actor):
    path = tmp_path / "sole.sqlite3"
    ws = Workspace.open(path)
    try:
        ws.accounts.choose_single_user(display_name="Sole User")
        team = make_team(ws, system_actor)  # accented, Cyrillic and two-practice people among them
        record = ws.staff.get(system_actor, staff_id=team.zoe_id)
        # Text that must survive the JSON the light read is made of: quotes, a backslash, an
        # emoji, right-to-left script (a tab pasted in from a spreadsheet is saved as a space).
        ws.staff.update(system_actor, staff_id=team.zoe_id, expected_version=record.version, data=replace(
            record.data, preferred_name='Zo "Z" \\ 🌿', family_name="Ōkubo\tحداد", email="zoe.okubo@nhs.net"))
        leaver = ws.staff.get(system_actor, staff_id=team.peer_ids[0])
        ws.staff.update(system_actor, staff_id=leaver.id, expected_version=leaver.version, data=replace(
            leaver.data, end_date=date(2026, 10, 31), leaving_reason="Moved away", status="left"))
        full = ws.staff.list_rows(ws.accounts.single_user_actor())
    finally:
        ws.close()

    quick = single_user_quick_start(str(path))

    assert quick is not None, "a single-user file should be read without the database layer"
    assert len(full) == 9  # Helen, the GP, Zoë, four peers, Bogdan and Anya
    assert quick.rows == full
    zoe = next(r for r in quick.rows if r.id == team.zoe_id)
    assert zoe.display_name == 'Zo "Z" \\ 🌿 Ōkubo حداد' and zoe.practices.count(",") == 1
    assert "zo" in zoe.search_key
    assert any(r.registration for r in quick.rows) and any(r.end_date for r in quick.rows)
