import pytest
from sqlalchemy import select

from arrs_desk.errors import PermissionDenied, StaleEdit, ValidationError
from arrs_desk.services.actor import Actor
from arrs_desk.store.models import AuditEntry


def test_rename_and_retire_a_builtin_role_keeps_staff_records(demo_workspace, system_actor):
    para = next(r for r in demo_workspace.roles.list(system_actor) if r.code == "PARA")
    assert para.builtin and para.staff_count >= 3
    demo_workspace.roles.save(system_actor, code="PARA", title="Primary care paramedic", clinical=True, arrs=True,
                              registers=list(para.registers), registration_required=True, active=False,
                              expected_version=para.version)
    rows = [r for r in demo_workspace.staff.list_rows(system_actor) if r.role_code == "PARA"]
    assert rows and all(r.role_title == "Primary care paramedic" for r in rows)
    choices = demo_workspace.staff.form_choices(system_actor)
    assert "PARA" not in {c.value for c in choices.roles}  # retired: not offered for new staff
    with pytest.raises(StaleEdit):
        demo_workspace.roles.save(system_actor, code="PARA", title="Again", clinical=True, arrs=True,
                                  registers=[], registration_required=False, expected_version=para.version)


def test_add_a_local_role_with_clear_errors(workspace, system_actor):
    with pytest.raises(ValidationError) as caught:
        workspace.roles.save(system_actor, code="anp 1", title=" ", clinical=True, arrs=True,
                             registers=["NOPE"], registration_required=True)
    assert set(caught.value.errors) == {"code", "title", "registers"}
    workspace.roles.save(system_actor, code="anp", title="Advanced nurse practitioner", clinical=True, arrs=False,
                         registers=["NMC"], registration_required=True)
    anp = next(r for r in workspace.roles.list(system_actor) if r.code == "ANP")
    assert not anp.builtin and anp.registers == ("NMC",)
    with pytest.raises(ValidationError, match="already used"):
        workspace.roles.save(system_actor, code="ANP", title="Other", clinical=True, arrs=False, registers=[],
                             registration_required=False)
    with workspace.db.read() as session:
        assert session.execute(select(AuditEntry).where(AuditEntry.entity_type == "role",
                                                        AuditEntry.entity_id == "ANP")).scalar_one().action == "create"


def test_only_administrators_edit_roles(workspace):
    manager = Actor(3, "m", "M", frozenset({"line_manager"}), None)
    with pytest.raises(PermissionDenied):
        workspace.roles.save(manager, code="X", title="X", clinical=False, arrs=False, registers=[],
                             registration_required=False)


def test_a_database_seeded_from_an_older_catalogue_gains_the_roles_added_since(workspace, system_actor):
    """The 2025/26 additions reach a PCN whose roles were copied from version 1; roles it already
    has (and may have renamed) are left as they are."""
    from arrs_desk.domain.catalogue import builtin_catalogue
    from arrs_desk.services.roles import CATALOGUE_VERSION_KEY, sync_builtin_roles
    from arrs_desk.store.models import Role, Setting

    catalogue = builtin_catalogue()
    assert catalogue.version >= 2 and catalogue.checked_on is not None and catalogue.source is not None
    added_in_2025 = {"GPN", "CNUR", "HCSW"}
    with workspace.db.write() as session:  # as version 1 left it: without them, the PA renamed locally
        for code in added_in_2025:
            session.delete(session.get(Role, code))
        session.get(Role, "PA").title = "Physician assistant"
        session.get(Setting, CATALOGUE_VERSION_KEY).value = 1
    with workspace.db.write() as session:
        assert sync_builtin_roles(session) == 3
        assert session.get(Setting, CATALOGUE_VERSION_KEY).value == catalogue.version
        assert session.get(Role, "PA").title == "Physician assistant"
        gpn = session.get(Role, "GPN")
        assert (gpn.registers, gpn.typical_band, gpn.catalogue_version) == (["NMC"], "5-6", catalogue.version)
    with workspace.db.write() as session:
        assert sync_builtin_roles(session) == 0  # once is enough
    assert added_in_2025 <= {r.code for r in workspace.roles.list(system_actor)}
