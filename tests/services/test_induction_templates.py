"""Template versions: seeding from the built-in files, editing as new versions, and that no edit
ever reaches a checklist already made."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from arrs_desk.domain import induction as rules
from arrs_desk.errors import PermissionDenied, ResourceFileError, StaleEdit, ValidationError
from arrs_desk.services.induction_templates import ItemDraft, sync_builtin_templates
from arrs_desk.store.models import AuditEntry, InductionItem, InductionTemplate, InductionTemplateItem
from tests.conftest import TODAY
from tests.induction_support import item, make_team, person

RESOURCES = Path(__file__).resolve().parents[2] / "resources" / "induction"


@pytest.fixture
def team(workspace, system_actor):
    return make_team(workspace, system_actor)


def rows(workspace, model) -> int:
    with workspace.db.read() as session:
        return session.execute(select(func.count()).select_from(model)).scalar()


def test_builtin_files_are_seeded_once_per_file_version(workspace, system_actor):
    summaries = workspace.induction.templates.list_current(system_actor)
    assert summaries[0].code == "GENERIC" and summaries[0].applies_to == "All roles"
    assert {s.code for s in summaries} == {t.code for t in rules.builtin_templates()}
    assert all(s.version == 1 and s.source == "builtin" for s in summaries)
    generic = next(s for s in summaries if s.code == "GENERIC")
    assert generic.active_items == len(rules.builtin_templates()[0].items)
    before = rows(workspace, InductionTemplate)
    with workspace.db.write() as session:
        assert sync_builtin_templates(session) == 0
    assert rows(workspace, InductionTemplate) == before


def test_a_newer_file_adds_a_version_but_never_overwrites_the_pcns_edit(workspace, system_actor):
    service = workspace.induction.templates
    draft = service.draft(system_actor, code="ROLE-PARA")
    draft.items[0].title = "Lone working and personal safety (our PCN's policy)"
    service.save(system_actor, draft=draft)
    newer = [t.model_copy(update={"version": t.version + 1}) for t in rules.builtin_templates()]
    with workspace.db.write() as session:
        added = sync_builtin_templates(session, newer)
    assert added == len(newer) - 1  # every template but the edited one
    current = {s.code: s for s in service.list_current(system_actor)}
    assert current["ROLE-PARA"].version == 2 and current["ROLE-PARA"].source == "edited"
    assert current["GENERIC"].version == 2 and current["GENERIC"].source == "builtin"


def test_editing_saves_a_new_version_and_existing_checklists_keep_their_copy(workspace, team, system_actor):
    ind, service = workspace.induction, workspace.induction.templates
    before = ind.checklist(team.manager, staff_id=team.starter_id)
    with workspace.db.read() as session:
        stored_before = [i.model_dump() for i in session.execute(select(InductionItem)).scalars()]

    draft = service.draft(team.admin, code="ROLE-PARA")
    assert draft.based_on_version == 1
    first_title = draft.items[0].title
    draft.items[0].title = "Lone working: the PCN's own procedure"
    draft.items[1].retired = True
    retired_title = draft.items[1].title
    draft.items.insert(0, ItemDraft(title="Meet the ambulance liaison officer", section="role-specific",
                                    due_offset_days="14", completed_by="either"))
    draft.items[2], draft.items[3] = draft.items[3], draft.items[2]
    summary = service.save(team.admin, draft=draft, note="Local additions")
    assert (summary.version, summary.active_items, summary.retired_items) == (2, len(draft.items) - 1, 1)
    history = service.history(team.admin, code="ROLE-PARA")
    assert [h.version for h in history] == [2, 1] and history[0].saved_by == "Practice Administrator"

    # The checklist made from version 1 is untouched, row for row.
    with workspace.db.read() as session:
        assert [i.model_dump() for i in session.execute(select(InductionItem)).scalars()] == stored_before
    assert ind.checklist(team.manager, staff_id=team.starter_id).items == before.items
    assert item(before, "para-lone-working").title == first_title

    # A checklist made now uses version 2: new item in, retired item out, new wording.
    newcomer = workspace.staff.create(system_actor, data=person(team.practice_id, given="Kofi", family="Mensah",
                                                           number="PA765432", start=TODAY - timedelta(days=1))).id
    view = ind.checklist(team.admin, staff_id=newcomer)
    titles = [i.title for i in view.items]
    assert "Meet the ambulance liaison officer" in titles
    assert "Lone working: the PCN's own procedure" in titles
    assert retired_title not in titles
    new_item = next(i for i in view.items if i.title == "Meet the ambulance liaison officer")
    assert new_item.key == "local-meet-the-ambulance-liaison-officer"
    assert new_item.due_on == TODAY + timedelta(days=13)  # the new item's offset is 14 days
    assert titles.index("Meet the ambulance liaison officer") < titles.index("Lone working: the PCN's own procedure")
    with workspace.db.read() as session:
        entry = session.execute(select(AuditEntry).where(AuditEntry.action == "save_version")).scalar_one()
    assert "added 1 item" in entry.summary and "retired 1" in entry.summary


def test_retired_item_is_not_copied_into_new_checklists(workspace, team, system_actor):
    service = workspace.induction.templates
    draft = service.draft(team.admin, code="ROLE-PARA")
    retired_key = draft.items[0].key
    draft.items[0].retired = True
    service.save(team.admin, draft=draft)
    newcomer = workspace.staff.create(system_actor, data=person(team.practice_id, given="Kofi", family="Mensah",
                                                           number="PA765432")).id
    assert retired_key not in {i.key for i in workspace.induction.checklist(team.admin, staff_id=newcomer).items}
    assert retired_key in {i.key for i in workspace.induction.checklist(team.admin, staff_id=team.starter_id).items}


@pytest.mark.parametrize(
    ("change", "field", "fragment"),
    [
        ({"title": "   "}, "title", "Enter a title"),
        ({"title": "\u200b\u200b"}, "title", "Enter a title"),
        ({"title": " \u2060\ufeff "}, "title", "Enter a title"),
        ({"due_offset_days": "3.5"}, "due_offset_days", "not a whole number of days"),
        ({"due_offset_days": "abc"}, "due_offset_days", "not a whole number of days"),
        ({"due_offset_days": "-400"}, "due_offset_days", "more than a year before the start"),
        ({"due_offset_days": "9999"}, "due_offset_days", "two years after"),
        ({"due_offset_days": ""}, "due_offset_days", "Enter when the item is due"),
        ({"validity_months": "0"}, "validity_months", "from 1 to 120"),
        ({"section": "week-one"}, "section", "not a section of this template"),
        ({"completed_by": "anyone"}, "completed_by", "Choose who completes"),
    ],
)
def test_bad_item_input_names_the_item_and_field_and_writes_nothing(workspace, system_actor, change, field, fragment):
    service = workspace.induction.templates
    draft = service.draft(system_actor, code="GENERIC")
    draft.items.append(ItemDraft(title="Meet the PCN's digital lead", section="first-week", due_offset_days="10"))
    for name, value in change.items():
        setattr(draft.items[-1], name, value)
    counts = rows(workspace, InductionTemplate), rows(workspace, InductionTemplateItem), rows(workspace, AuditEntry)
    with pytest.raises(ValidationError) as caught:
        service.save(system_actor, draft=draft)
    key = f"items.{len(draft.items) - 1}.{field}"
    assert key in caught.value.errors, caught.value.errors
    assert fragment in caught.value.errors[key]
    assert caught.value.errors[key].startswith(f"Item {len(draft.items)}:")
    assert (rows(workspace, InductionTemplate), rows(workspace, InductionTemplateItem),
            rows(workspace, AuditEntry)) == counts


def test_template_rules_for_the_whole(workspace, system_actor):
    service = workspace.induction.templates
    draft = service.draft(system_actor, code="ROLE-GP")
    for entry in draft.items:
        entry.retired = True
    with pytest.raises(ValidationError, match="at least one item"):
        service.save(system_actor, draft=draft)
    draft = service.draft(system_actor, code="ROLE-GP")
    with pytest.raises(ValidationError, match="Nothing has changed since version 1"):
        service.save(system_actor, draft=draft)
    draft.title = ""
    with pytest.raises(ValidationError, match="title for the template"):
        service.save(system_actor, draft=draft)


def test_only_administrators_edit_templates(workspace, team):
    with pytest.raises(PermissionDenied, match="Only an administrator"):
        workspace.induction.templates.draft(team.manager, code="GENERIC")
    draft = workspace.induction.templates.draft(team.admin, code="GENERIC")
    draft.items[0].title = "Changed"
    with pytest.raises(PermissionDenied):
        workspace.induction.templates.save(team.manager, draft=draft)


def test_a_second_editor_cannot_overwrite_the_first(workspace, system_actor):
    service = workspace.induction.templates
    first, second = service.draft(system_actor, code="ROLE-CPH"), service.draft(system_actor, code="ROLE-CPH")
    first.items[0].title = "First editor's wording"
    second.items[0].title = "Second editor's wording"
    service.save(system_actor, draft=first)
    with pytest.raises(StaleEdit, match="version 2"):
        service.save(system_actor, draft=second)
    assert service.draft(system_actor, code="ROLE-CPH").items[0].title == "First editor's wording"


def test_a_malformed_template_file_is_refused_with_its_name_and_nothing_is_written(workspace, system_actor, tmp_path):
    service = workspace.induction.templates
    counts = rows(workspace, InductionTemplate), rows(workspace, InductionTemplateItem)
    broken = tmp_path / "broken.json"
    broken.write_text('{"schema": "arrs-desk/induction-template", "version": 1,', encoding="utf-8")
    with pytest.raises(ResourceFileError, match=r"broken.json is not valid JSON \(line 1"):
        service.draft_from_file(system_actor, path=broken)
    doc = json.loads((RESOURCES / "roles" / "PARA.json").read_text(encoding="utf-8"))
    doc["items"][2]["due_offset_days"] = 3.5
    bad = tmp_path / "para.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(ResourceFileError) as caught:
        service.draft_from_file(system_actor, path=bad)
    assert "para.json" in caught.value.message and "items[2].due_offset_days" in caught.value.message
    with pytest.raises(ResourceFileError, match="Cannot read missing.json"):
        service.draft_from_file(system_actor, path=tmp_path / "missing.json")
    assert (rows(workspace, InductionTemplate), rows(workspace, InductionTemplateItem)) == counts


def test_a_good_template_file_becomes_a_draft_and_keeps_left_out_items_as_retired(workspace, system_actor, tmp_path):
    service = workspace.induction.templates
    doc = json.loads((RESOURCES / "roles" / "PARA.json").read_text(encoding="utf-8"))
    left_out = doc["items"].pop(1)
    doc["items"][0]["title"] = "Lone working, revised"
    path = tmp_path / "para.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    before = rows(workspace, InductionTemplate)
    draft = service.draft_from_file(system_actor, path=path)
    assert rows(workspace, InductionTemplate) == before
    assert draft.based_on_version == 1 and draft.items[0].title == "Lone working, revised"
    assert [i.key for i in draft.items if i.retired] == [left_out["key"]]
    saved = service.save(system_actor, draft=draft)
    assert saved.version == 2
    assert saved.note == "changed 1, retired 1"  # the left-out item goes last, but nothing was reordered


def test_a_file_that_drops_a_whole_section_retires_its_items_and_says_so(workspace, team, system_actor, tmp_path):
    service = workspace.induction.templates
    doc = json.loads((RESOURCES / "generic.json").read_text(encoding="utf-8"))
    dropped = [i["key"] for i in doc["items"] if i["section"] == "first-three-months"]
    doc["sections"] = [s for s in doc["sections"] if s["code"] != "first-three-months"]
    doc["items"] = [i for i in doc["items"] if i["section"] != "first-three-months"]
    path = tmp_path / "generic.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    draft = service.draft_from_file(system_actor, path=path)
    assert [i.key for i in draft.items if i.retired] == dropped
    summary = service.save(system_actor, draft=draft)
    assert (summary.version, summary.retired_items) == (2, len(dropped))
    assert summary.note == f"retired the section 'First three months' and its {len(dropped)} item(s)"
    # The starter's checklist keeps its copies; a checklist made now has none of them.
    assert set(dropped) <= {i.key for i in workspace.induction.checklist(team.admin, staff_id=team.starter_id).items}
    newcomer = workspace.staff.create(system_actor, data=person(team.practice_id, given="Kofi", family="Mensah",
                                                           number="PA765432")).id
    view = workspace.induction.checklist(team.admin, staff_id=newcomer)
    assert not set(dropped) & {i.key for i in view.items}
    assert "First three months" not in [s.title for s in view.sections]
    # Importing the same file again changes nothing.
    with pytest.raises(ValidationError, match="Nothing has changed since version 2"):
        service.save(system_actor, draft=service.draft_from_file(system_actor, path=path))


def test_a_template_gaining_an_item_does_not_offer_a_reinduction_to_checklists_made_from_it(workspace, team,
                                                                                           system_actor):
    service = workspace.induction.templates
    draft = service.draft(team.admin, code="ROLE-PARA")
    draft.items.append(ItemDraft(title="Meet the ambulance liaison officer", section="role-specific",
                                 due_offset_days="14", completed_by="either"))
    service.save(team.admin, draft=draft)
    view = workspace.induction.checklist(team.manager, staff_id=team.starter_id)
    assert (view.reinduction_role, view.reinduction_titles) == ("", ())  # nobody's role changed


def test_a_role_that_already_has_a_template_cannot_be_given_a_second(workspace, system_actor):
    service = workspace.induction.templates
    draft = service.draft(system_actor, code="ROLE-CPH")
    draft.roles = ["CPH", "PARA"]
    draft.title = "Pharmacists and paramedics"
    counts = rows(workspace, InductionTemplate), rows(workspace, AuditEntry)
    with pytest.raises(ValidationError) as refused:
        service.save(system_actor, draft=draft)
    message = refused.value.errors["roles"]
    assert "Paramedic (PARA) already has a template" in message and "(ROLE-PARA)" in message
    assert "Clinical pharmacist" not in message
    assert (rows(workspace, InductionTemplate), rows(workspace, AuditEntry)) == counts
    draft.roles = ["*"]
    with pytest.raises(ValidationError, match=r"All roles already has a template: .*\(GENERIC\)"):
        service.save(system_actor, draft=draft)


def test_a_change_of_roles_or_of_a_section_title_alone_is_a_new_version(workspace, system_actor, tmp_path):
    service = workspace.induction.templates
    draft = service.draft(system_actor, code="ROLE-GPA")
    draft.sections[0].title = "GP assistant essentials"
    saved = service.save(system_actor, draft=draft)
    assert saved.version == 2
    assert saved.note == "renamed the section 'General practice assistant essentials' to 'GP assistant essentials'"

    doc = json.loads((RESOURCES / "roles" / "CPH.json").read_text(encoding="utf-8"))
    doc["roles"] = ["CPH", "SGP"]
    path = tmp_path / "cph.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    saved = service.save(system_actor, draft=service.draft_from_file(system_actor, path=path))
    assert (saved.version, saved.roles, saved.note) == (2, ("CPH", "SGP"), "changed the roles to CPH, SGP")


def test_a_role_code_no_role_has_is_refused_naming_it(workspace, system_actor, tmp_path):
    """A file giving its template to "NEWROLE" or "PARAMEDIC" gave it to nobody, silently: such a
    code is refused on the roles field, naming it, and nothing is saved."""
    service = workspace.induction.templates
    doc = json.loads((RESOURCES / "roles" / "CPH.json").read_text(encoding="utf-8"))
    doc["roles"] = ["CPH", "NEWROLE", "PARAMEDIC"]
    path = tmp_path / "cph.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(ValidationError) as refused:
        service.save(system_actor, draft=service.draft_from_file(system_actor, path=path))
    assert refused.value.errors["roles"].startswith("No role has the codes 'NEWROLE', 'PARAMEDIC'. Use the codes on the Roles")
    assert service.draft(system_actor, code="ROLE-CPH").roles == ["CPH"]



@pytest.mark.parametrize(("title", "fragment"), [
    ("", "Enter a title for the section."),
    ("\u200b\u200b", "Enter a title for the section."),
    ("x" * 81, "Keep the section title to 80 characters or fewer (it has 81)."),
])
def test_a_section_title_is_refused_in_the_apps_words_naming_the_section(workspace, system_actor, title, fragment):
    service = workspace.induction.templates
    draft = service.draft(system_actor, code="ROLE-CPH")
    draft.sections[0].title = title
    counts = rows(workspace, InductionTemplate), rows(workspace, AuditEntry)
    with pytest.raises(ValidationError) as refused:
        service.save(system_actor, draft=draft)
    assert refused.value.errors == {"sections.0.title": f"Section 1 (role-specific): {fragment}"}
    assert (rows(workspace, InductionTemplate), rows(workspace, AuditEntry)) == counts


def test_an_invisible_template_title_is_refused(workspace, system_actor):
    service = workspace.induction.templates
    draft = service.draft(system_actor, code="ROLE-CPH")
    draft.title = "\u200b\u200b"
    with pytest.raises(ValidationError) as refused:
        service.save(system_actor, draft=draft)
    assert refused.value.errors == {"title": "Enter a title for the template."}
