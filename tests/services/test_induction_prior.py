"""Inductions completed before records began: recorded by the person's line manager or an
administrator (never by or for themself), validated field by field, audited, with an optional
scanned record in the evidence store; the checks and the appraisal pack show them as such."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from sqlalchemy import select

from arrs_desk.domain.assurance import CheckStatus
from arrs_desk.domain.dates import add_months
from arrs_desk.errors import PermissionDenied, StaleEdit, ValidationError
from arrs_desk.demo.induction_prior import add_demo_prior_inductions
from arrs_desk.services.induction_prior import PriorInductionInput
from arrs_desk.store.models import AuditEntry, InductionChecklist, InductionPriorRecord, Staff
from tests.supervision_support import account, make_team, staff

from tests.conftest import TODAY  # noqa: E402

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def team(workspace, system_actor):
    return make_team(workspace, system_actor)


def _start(workspace, staff_id):
    with workspace.db.read() as session:
        return session.get(Staff, staff_id).start_date


def _input(workspace, team, staff_id=None, **changes) -> PriorInductionInput:
    values = dict(completed_on=_start(workspace, staff_id or team.zoe_id) + timedelta(days=30),
                  attested_by_name="Bogdan Popescu", attested_by_role="Practice manager", note="Paper record in HR file")
    values.update(changes)
    return PriorInductionInput(**values)


def _audit(workspace, staff_id):
    with workspace.db.read() as session:
        return session.execute(select(AuditEntry.action, AuditEntry.summary, AuditEntry.actor_name)
                               .where(AuditEntry.entity_type == "induction_prior_record",
                                      AuditEntry.subject_staff_id == staff_id).order_by(AuditEntry.id)).all()


def _result(workspace, actor, staff_id, code):
    matrix = workspace.assurance.matrix(actor)
    row = next(r for r in matrix.rows if r.staff_id == staff_id)
    return row.results[[c.code for c in matrix.checks].index(code)]


def test_line_manager_records_it_and_the_checks_and_pack_show_it(workspace, team):
    assert _result(workspace, team.helen, team.zoe_id, "it-access").status is CheckStatus.NOT_MET
    day = _start(workspace, team.zoe_id) + timedelta(days=28)
    view = workspace.induction_prior.record(team.helen, staff_id=team.zoe_id, data=PriorInductionInput(
        completed_on=day, attested_by_role="PCN manager", attested_by_user_id=team.helen.user_id, note="  On file  "))
    expected = f"Induction completed before records began ({day:%d/%m/%Y}), attested by Helen Whitfield, PCN manager"
    assert view.text == expected and view.note == "On file" and view.recorded_by == "Helen Whitfield"
    assert workspace.induction_prior.get(team.zoe, staff_id=team.zoe_id) == view  # the person may read it
    for code in ("it-access", "job-plan"):
        result = _result(workspace, team.helen, team.zoe_id, code)
        assert result.status is CheckStatus.MET and result.reason == expected
    pack = workspace.appraisal_packs.pack_data(team.helen, staff_id=team.zoe_id)
    assert pack.induction.prior == expected and pack.induction.prior_note == "On file"
    [(action, summary, who)] = _audit(workspace, team.zoe_id)
    assert action == "create" and who == "Helen Whitfield" and f"({day:%d/%m/%Y})" in summary


def test_only_the_line_manager_or_an_administrator_and_never_for_themself(workspace, team):
    data = _input(workspace, team)
    for actor in (team.zoe, team.bogdan, team.gp):
        with pytest.raises(PermissionDenied):
            workspace.induction_prior.record(actor, staff_id=team.zoe_id, data=data)
    zoe_admin = account(workspace, "zoe.admin", "Zoë Ōkubo", {"administrator"}, team.zoe_id)
    with pytest.raises(PermissionDenied, match="your own induction"):
        workspace.induction_prior.record(zoe_admin, staff_id=team.zoe_id, data=data)
    assert workspace.induction_prior.form(team.zoe, staff_id=team.zoe_id).can_record is False
    assert workspace.induction_prior.get(team.admin, staff_id=team.zoe_id) is None
    assert _audit(workspace, team.zoe_id) == []
    workspace.induction_prior.record(team.admin, staff_id=team.zoe_id, data=data)
    assert workspace.induction_prior.get(team.helen, staff_id=team.zoe_id).attested_by_name == "Bogdan Popescu"


def test_each_wrong_field_is_named_and_nothing_is_saved(workspace, team):
    start = _start(workspace, team.zoe_id)
    zoe_account = team.zoe.user_id
    cases = {
        "completed_on": [dict(completed_on=None), dict(completed_on=TODAY + timedelta(days=1)),
                         dict(completed_on=start - timedelta(days=1)),
                         dict(completed_on=add_months(start, 12) + timedelta(days=1))],
        "attested_by_name": [dict(attested_by_name="  "), dict(attested_by_name="zoe okubo"),
                             dict(attested_by_name="x" * 201)],
        "attested_by_role": [dict(attested_by_role=""), dict(attested_by_role="r" * 121)],
        "attested_by_user_id": [dict(attested_by_user_id=zoe_account), dict(attested_by_user_id=99999)],
        "note": [dict(note="n" * 2001)],
    }
    for field, changes in cases.items():
        for change in changes:
            with pytest.raises(ValidationError) as refused:
                workspace.induction_prior.record(team.helen, staff_id=team.zoe_id, data=_input(workspace, team, **change))
            assert field in refused.value.errors, (field, change, refused.value.errors)
    with pytest.raises(ValidationError) as both:
        workspace.induction_prior.record(team.helen, staff_id=team.zoe_id,
                                         data=_input(workspace, team, attested_by_name="", attested_by_role=""))
    assert set(both.value.errors) == {"attested_by_name", "attested_by_role"}
    assert workspace.induction_prior.get(team.helen, staff_id=team.zoe_id) is None and _audit(workspace, team.zoe_id) == []
    # The edges are accepted: the start date itself, and twelve months after it.
    workspace.induction_prior.record(team.helen, staff_id=team.zoe_id,
                                     data=_input(workspace, team, completed_on=add_months(start, 12)))


def test_not_for_someone_with_a_checklist_or_not_yet_started(workspace, team, system_actor):
    workspace.induction.create_checklist(team.helen, staff_id=team.peer_ids[0])
    with pytest.raises(ValidationError) as has_one:
        workspace.induction_prior.record(team.helen, staff_id=team.peer_ids[0],
                                         data=_input(workspace, team, team.peer_ids[0]))
    assert "checklist" in has_one.value.errors["staff_id"]
    later = workspace.staff.create(system_actor, data=staff([team.alpha], given="Priya", family="Shah",
                                                       start=TODAY + timedelta(days=10), manager_id=team.helen_id,
                                                       status="active")).id
    with pytest.raises(ValidationError) as not_started:
        workspace.induction_prior.record(team.helen, staff_id=later, data=_input(workspace, team, later,
                                                                                 completed_on=TODAY))
    assert "staff_id" in not_started.value.errors


def test_change_remove_and_stale_edits_are_audited(workspace, team):
    service = workspace.induction_prior
    first = service.record(team.helen, staff_id=team.zoe_id, data=_input(workspace, team))
    with pytest.raises(ValidationError):
        service.record(team.helen, staff_id=team.zoe_id, data=_input(workspace, team))  # already recorded
    changed = service.change(team.helen, staff_id=team.zoe_id, expected_version=first.version,
                             data=_input(workspace, team, attested_by_role="Practice manager (2019-2024)"))
    assert changed.version == first.version + 1 and changed.attested_by_role == "Practice manager (2019-2024)"
    with pytest.raises(StaleEdit):
        service.change(team.helen, staff_id=team.zoe_id, expected_version=first.version, data=_input(workspace, team))
    with pytest.raises(StaleEdit):
        service.remove(team.helen, staff_id=team.zoe_id, expected_version=first.version)
    service.remove(team.helen, staff_id=team.zoe_id, expected_version=changed.version)
    assert service.get(team.helen, staff_id=team.zoe_id) is None
    assert [a for a, _, _ in _audit(workspace, team.zoe_id)] == ["create", "update", "delete"]


def test_a_scanned_record_is_kept_checked_and_can_be_dropped(workspace, team, tmp_path):
    service = workspace.induction_prior
    bad = tmp_path / "record.pdf"
    bad.write_text("not really a PDF")
    with pytest.raises(ValidationError) as refused:
        service.record(team.helen, staff_id=team.zoe_id, data=_input(workspace, team), evidence_file=bad)
    assert "file" in refused.value.errors and service.get(team.helen, staff_id=team.zoe_id) is None
    scan = tmp_path / "Induction record 2025.pdf"
    scan.write_bytes(PDF)
    view = service.record(team.helen, staff_id=team.zoe_id, data=_input(workspace, team), evidence_file=scan)
    assert view.has_evidence and view.evidence_filename == "Induction record 2025.pdf"
    assert service.evidence_file(team.zoe, staff_id=team.zoe_id).read_bytes() == PDF
    assert [a for a, _, _ in _audit(workspace, team.zoe_id)] == ["create", "attach"]
    with pytest.raises(PermissionDenied):
        service.evidence_file(team.bogdan, staff_id=team.zoe_id)
    dropped = service.change(team.helen, staff_id=team.zoe_id, expected_version=view.version,
                             data=_input(workspace, team), remove_evidence=True)
    assert not dropped.has_evidence


def test_demo_records_earlier_inductions_for_people_long_in_post_without_a_checklist(demo_workspace, system_actor):
    """The demo records them while it is built; running the step again adds nothing twice."""
    assert add_demo_prior_inductions(demo_workspace, random.Random(3)) == 0  # nothing twice
    with demo_workspace.db.read() as session:
        checklists = set(session.execute(select(InductionChecklist.staff_id)).scalars())
        rows = session.execute(select(InductionPriorRecord)).scalars().all()
        for row in rows:
            person = session.get(Staff, row.staff_id)
            manager = session.get(Staff, person.line_manager_id)
            assert row.staff_id not in checklists
            assert add_months(person.start_date, 6) <= TODAY and person.start_date <= row.completed_on <= TODAY
            assert manager.family_name in row.attested_by_name and row.attested_by_role
    assert rows, "the demo records earlier inductions for people long in post"
    matrix = demo_workspace.assurance.matrix(system_actor)
    index = [c.code for c in matrix.checks].index("it-access")
    unmet = [r for r in matrix.rows if r.results[index].status is CheckStatus.NOT_MET]
    assert len(unmet) <= len(matrix.rows) // 5  # a few, each explained
    assert all(r.results[index].reason for r in unmet)
