"""A person's title (Dr, Mrs, Mx…): kept in its own field, printed on letters and packs as
"Dr Priya Patel", never glued into the names lists show; and the employer's employee number,
unique at that employer."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from arrs_desk.errors import ValidationError
from arrs_desk.services.staff import StaffInput
from arrs_desk.store.models import AuditEntry
from tests.conftest import TODAY
from tests.programme_support import enrol, make_pcn
from tests.review_support import make_review_team


@pytest.fixture
def team(workspace, system_actor):
    return make_review_team(workspace, system_actor)


def newcomer(team, **changes) -> StaffInput:
    data = StaffInput(given_name="Priya", family_name="Patel", role_code="SGP", employer_id=team.alpha,
                      employment_model="practice", start_date=TODAY - timedelta(days=400), practice_ids=[team.alpha],
                      register_code="GMC-DOCTOR", registration_number="7654321", status="active")
    return replace(data, **changes)


def pdf_text(path) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(str(path)).pages)


def test_a_title_is_its_own_field_and_lists_never_show_it(workspace, system_actor, team):
    record = workspace.staff.create(system_actor, data=newcomer(team, title=" dr. "))
    assert record.data.title == "Dr"  # the usual spelling, whatever was typed
    assert record.display_name == "Priya Patel" and record.formal_name == "Dr Priya Patel"
    listed = {r.display_name for r in workspace.staff.list_rows(system_actor)}
    assert "Priya Patel" in listed and not any(name.startswith("Dr ") for name in listed)
    managers = {c.label for c in workspace.staff.form_choices(system_actor).managers}
    assert "Priya Patel" in managers
    changed = workspace.staff.update(system_actor, staff_id=record.id, data=replace(record.data, title="Revd"), expected_version=record.version)
    assert changed.data.title == "Revd" and changed.formal_name == "Revd Priya Patel"
    with workspace.db.read() as session:
        entry = session.execute(select(AuditEntry).where(
            AuditEntry.action == "update", AuditEntry.entity_id == str(record.id))).scalar_one()
    assert entry.changes["title"] == ["Dr", "Revd"]


@pytest.mark.parametrize(("title", "fragment"), [("Professor of Clinical Pharmacy", "at most 20 characters"),
                                                 ("Band 7", "is not a title"), ("dr@nhs.net", "is not a title")])
def test_a_title_that_is_not_one_is_refused_by_name(workspace, system_actor, team, title, fragment):
    with pytest.raises(ValidationError) as caught:
        workspace.staff.create(system_actor, data=newcomer(team, title=title))
    assert fragment in caught.value.errors["title"]


def test_an_employee_number_is_unique_at_its_employer_only(workspace, system_actor, team):
    first = workspace.staff.create(system_actor, data=newcomer(team, employee_number=" E0042 "))
    assert first.data.employee_number == "E0042"
    elsewhere = workspace.staff.create(system_actor, data=newcomer(
        team, given_name="Sam", family_name="Ode", role_code="CCO", register_code="", registration_number="",
        employer_id=team.beta, practice_ids=[team.beta], employee_number="E0042"))
    assert elsewhere.data.employee_number == "E0042"
    with pytest.raises(ValidationError) as caught:
        workspace.staff.create(system_actor, data=newcomer(
            team, given_name="Ann", family_name="Other", role_code="CCO", register_code="", registration_number="",
            employee_number="E0042"))
    assert "Alpha Surgery has already given employee number E0042 to Priya Patel" in caught.value.errors["employee_number"]
    # Many people have none.
    for given in ("Bea", "Cal"):
        none = workspace.staff.create(system_actor, data=newcomer(
            team, given_name=given, family_name="Blank", role_code="CCO", register_code="", registration_number=""))
        assert none.data.employee_number == ""


def test_the_appraisal_pack_cover_and_signature_page_use_the_title(workspace, system_actor, team, tmp_path):
    zoe = workspace.staff.get(system_actor, staff_id=team.zoe_id)
    workspace.staff.update(system_actor, staff_id=team.zoe_id, data=replace(zoe.data, title="Dr"), expected_version=zoe.version)
    path = workspace.appraisal_packs.save_pack(team.helen, staff_id=team.zoe_id, path=tmp_path / "zoe.pdf")
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(str(path)).pages]
    assert "Dr Zoë Ōkubo" in pages[0]  # the cover
    assert "Appraisee" in pages[-1] and "Dr Zoë Ōkubo" in pages[-1]  # the signature page
    assert "Dr Dr" not in " ".join(pages) and "Zoë Ōkubo Ōkubo" not in " ".join(pages)


def test_the_signature_sheet_names_the_person_with_their_title(workspace, system_actor, team, tmp_path):
    zoe = workspace.staff.get(system_actor, staff_id=team.zoe_id)
    workspace.staff.update(system_actor, staff_id=team.zoe_id, data=replace(zoe.data, title="Mx"), expected_version=zoe.version)
    workspace.induction.create_checklist(team.helen, staff_id=team.zoe_id)
    path = workspace.signature_sheets.induction_sheet(team.helen, staff_id=team.zoe_id, target=tmp_path / "sheet.pdf")
    assert "Mx Zoë Ōkubo" in pdf_text(path)


def test_the_completion_certificate_names_the_person_with_their_title(workspace, system_actor):
    pcn = make_pcn(workspace, system_actor)
    zoe = workspace.staff.get(system_actor, staff_id=pcn.zoe_id)
    workspace.staff.update(system_actor, staff_id=pcn.zoe_id, data=replace(zoe.data, title="Ms"), expected_version=zoe.version)
    view = enrol(workspace, pcn)
    for item in view.competencies:
        view = workspace.programmes.sign_off_competency(pcn.gp, competency_id=item.id, expected_version=item.version,
                                                         signed_on=view.start_date + timedelta(days=20))
    workspace.programmes.complete(pcn.gp, enrolment_id=view.id, expected_version=view.version)
    certificate = workspace.programmes.certificate(pcn.zoe, enrolment_id=view.id)
    assert certificate.person_name == "Ms Zoë Ōkubo"


def test_a_record_bundle_carries_the_title_but_not_the_employee_number(workspace, system_actor, team, tmp_path):
    record = workspace.staff.create(system_actor, data=newcomer(team, title="Dr", employee_number="E7", role_code="CCO",
                                                           register_code="", registration_number=""))
    bundle = tmp_path / "priya.zip"
    workspace.record_bundles.export_bundle(system_actor, staff_id=record.id, path=bundle)
    moved = workspace.record_bundles.import_bundle(
        system_actor, path=bundle, employer_id=team.beta, practice_ids=[team.beta], start_date=TODAY + timedelta(days=30))
    arrived = workspace.staff.get(system_actor, staff_id=moved.staff_id)
    assert (arrived.data.title, arrived.data.employee_number) == ("Dr", "")
    assert arrived.formal_name == "Dr Priya Patel"
