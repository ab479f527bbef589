"""`arrs-desk pack`: packs from the command line, as a signed-in person with their permissions."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import update

from arrs_desk.cli import main
from arrs_desk.services.accounts import _hasher
from arrs_desk.store.models import UserAccount
from tests.review_support import make_review_team, review_input

PASSWORD = "correct horse battery"


@pytest.fixture
def database(workspace, system_actor):
    """A PCN in multi-user mode where Helen can sign in, with one review of Zoë's."""
    team = make_review_team(workspace, system_actor)
    workspace.reviews.create_review(team.helen, data=review_input(team))
    with workspace.db.write() as session:
        session.execute(update(UserAccount).where(UserAccount.username == "helen").values(password_hash=_hasher().hash(PASSWORD)))
    path = workspace.db.path
    workspace.close()
    return path, team


def test_packs_are_made_for_the_people_named(database, tmp_path, monkeypatch, capsys):
    path, team = database
    monkeypatch.setenv("ARRS_DESK_PASSWORD", PASSWORD)
    out = tmp_path / "packs"
    code = main(["--database", str(path), "pack", "--staff", str(team.zoe_id), "--staff", str(team.anya_id),
                 "--out", str(out), "--user", "helen", "--from", "01/12/2025", "--to", "2026-11-24"])
    printed = capsys.readouterr()
    assert code == 1  # Аня is not in Helen's team
    made = sorted(p.name for p in out.glob("*.pdf"))
    assert made == [f"appraisal-pack-zoë-ōkubo-{team.zoe_id}-2026-11-24.pdf"]
    assert "1 appraisal pack saved" in printed.out
    # Аня is not Helen's to see: the refusal names the id Helen typed, never the person (issue 15).
    assert f"no pack for staff id {team.anya_id}" in printed.err
    assert "Аня" not in printed.out + printed.err and "Петрова" not in printed.out + printed.err


def test_trying_every_id_reveals_no_name_and_no_existence(database, tmp_path, monkeypatch, capsys):
    """A line manager cannot list the PCN by trying ids: an id outside their team reads exactly like
    an id nobody has."""
    from arrs_desk.services.actor import SYSTEM
    from arrs_desk.services.workspace import Workspace

    path, team = database
    workspace = Workspace.open(path)
    everyone = {r.id: r.display_name for r in workspace.staff.list_rows(SYSTEM)}
    hers = {p.staff_id for p in workspace.appraisal_packs.printable(team.helen)}
    workspace.close()
    monkeypatch.setenv("ARRS_DESK_PASSWORD", PASSWORD)
    args = ["--database", str(path), "pack", "--out", str(tmp_path / "packs"), "--user", "helen"]
    for staff_id in sorted(everyone) + [max(everyone) + 1, max(everyone) + 50]:
        args += ["--staff", str(staff_id)]
    main(args)
    printed = capsys.readouterr()
    said = printed.out + printed.err
    assert hers and team.anya_id not in hers
    leaked = [name for staff_id, name in everyone.items() if staff_id not in hers and name in said]
    assert leaked == [], leaked
    refusals = [line.split(": ", 2)[-1] for line in printed.err.splitlines() if "no pack for staff id" in line]
    missing = max(everyone) + 1
    assert f"there is nobody with staff id {missing} whose appraisal pack you may make" in refusals
    assert f"there is nobody with staff id {team.anya_id} whose appraisal pack you may make" in refusals


def test_all_means_everyone_the_person_may_make_a_pack_for(database, tmp_path, monkeypatch, capsys):
    path, team = database
    monkeypatch.setenv("ARRS_DESK_PASSWORD", PASSWORD)
    assert main(["--database", str(path), "pack", "--all", "--out", str(tmp_path), "--user", "helen",
                 "--to", date(2026, 11, 24).strftime("%d/%m/%Y")]) == 0
    # Her team and herself: anyone linked to their own staff record may print their own pack,
    # whatever roles their account has.
    saved = sorted(pdf.name for pdf in tmp_path.glob("*.pdf"))
    assert len(saved) == 3 and any("helen-whitfield" in name for name in saved)
    assert "3 appraisal packs saved" in capsys.readouterr().out


def test_the_command_needs_a_person_and_a_real_date(database, tmp_path, monkeypatch, capsys):
    path, _team = database
    assert main(["--database", str(path), "pack", "--all", "--out", str(tmp_path)]) == 2
    assert "name yours with --user" in capsys.readouterr().err
    monkeypatch.setenv("ARRS_DESK_PASSWORD", "wrong")
    assert main(["--database", str(path), "pack", "--all", "--out", str(tmp_path), "--user", "helen"]) == 2
    assert "not right" in capsys.readouterr().err
    assert main(["--database", str(path), "pack", "--all", "--out", str(tmp_path), "--from", "31/02/2026"]) == 2
    assert "is not a date" in capsys.readouterr().err
    assert list(tmp_path.glob("*.pdf")) == []
