import pytest
from pypdf import PdfReader
from sqlalchemy import select

from arrs_desk.errors import PermissionDenied
from arrs_desk.services.actor import Actor
from arrs_desk.store.models import AuditEntry, UserAccount


@pytest.fixture
def people(demo_workspace):
    with demo_workspace.db.read() as session:
        users = session.execute(select(UserAccount)).scalars().all()
    return {u.username: Actor(u.id, u.username, u.display_name, frozenset(u.roles), u.staff_id) for u in users}


def test_sheet_lists_what_awaits_sign_off_and_is_audited(demo_workspace, people, tmp_path):
    helen, zoe = people["helen.whitfield"], people["zoe.okubo"]
    view = demo_workspace.induction.checklist(helen, staff_id=zoe.staff_id)
    waiting = [i for i in view.items if i.needs_signoff and i.status.value not in ("complete", "not_applicable")]
    done = [i for i in view.items if i.needs_signoff and i.status.value == "complete"]
    path = demo_workspace.signature_sheets.induction_sheet(helen, staff_id=zoe.staff_id, target=tmp_path / "sheet.pdf")
    content = " ".join(page.extract_text() for page in PdfReader(path).pages)
    flat = " ".join(content.split())
    assert "Signature sheet" in flat and "Zoë Ōkubo" in flat and "Helen Whitfield-Amadi" in flat
    assert waiting and all(" ".join(item.title.split()[:3]) in flat for item in waiting)
    assert all(" ".join(item.title.split()) not in flat for item in done if item.title not in {w.title for w in waiting})
    with demo_workspace.db.read() as session:
        entry = session.execute(select(AuditEntry).where(AuditEntry.action == "print")).scalar_one()
    assert entry.actor_name == "Helen Whitfield-Amadi" and entry.subject_staff_id == zoe.staff_id


def test_only_people_who_may_see_the_checklist_can_print_it(demo_workspace, people, tmp_path):
    with pytest.raises(PermissionDenied):
        demo_workspace.signature_sheets.induction_sheet(people["gp.supervisor"], staff_id=people["zoe.okubo"].staff_id,
                                                        target=tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()
