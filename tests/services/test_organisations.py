import pytest

from arrs_desk.errors import PermissionDenied, StaleEdit, ValidationError
from arrs_desk.services.actor import Actor


def test_ods_codes_are_checked_by_kind(workspace, system_actor):
    with pytest.raises(ValidationError) as caught:
        workspace.organisations.create(system_actor, kind="practice", name="X", ods_code="U12345")
    assert "is a PCN code" in caught.value.errors["ods_code"]
    with pytest.raises(ValidationError) as caught:
        workspace.organisations.create(system_actor, kind="practice", name="X", ods_code="B8600")
    assert "letter and 5 digits" in caught.value.errors["ods_code"]
    workspace.organisations.create(system_actor, kind="practice", name="X", ods_code=" b86 001 ")
    with pytest.raises(ValidationError) as caught:
        workspace.organisations.create(system_actor, kind="practice", name="Y", ods_code="B86001")
    assert "already used by X" in caught.value.errors["ods_code"]


def test_only_one_pcn(workspace, system_actor):
    workspace.organisations.create(system_actor, kind="pcn", name="A PCN", ods_code="U12345")
    with pytest.raises(ValidationError):
        workspace.organisations.create(system_actor, kind="pcn", name="B PCN", ods_code="U54321")
    assert workspace.organisations.pcn_name() == "A PCN"


def test_update_is_versioned(workspace, system_actor):
    org = workspace.organisations.create(system_actor, kind="practice", name="X", ods_code="B86001")
    workspace.organisations.update(system_actor, org_id=org.id, name="X2", ods_code="B86001", active=True, expected_version=org.version)
    with pytest.raises(StaleEdit):
        workspace.organisations.update(system_actor, org_id=org.id, name="X3", ods_code="B86001", active=True, expected_version=org.version)


def test_line_manager_cannot_change_practices(workspace):
    manager = Actor(5, "m", "M", frozenset({"line_manager"}), 1)
    with pytest.raises(PermissionDenied):
        workspace.organisations.create(manager, kind="practice", name="X", ods_code="B86001")


def test_two_organisations_may_not_share_a_name(workspace, system_actor):
    """Lists and import files name organisations: two of one name could not be told apart, and an
    import took whichever was added first."""
    first = workspace.organisations.create(system_actor, kind="practice", name="Riverside Surgery", ods_code="B86001")
    with pytest.raises(ValidationError) as refused:
        workspace.organisations.create(system_actor, kind="practice", name="  riverside   SURGERY ", ods_code="B86002")
    assert refused.value.errors == {"name": "Riverside Surgery (B86001) already has this name. Add something that "
                                            "tells them apart, such as the town or the partners' names."}
    other = workspace.organisations.create(system_actor, kind="practice", name="Riverside Surgery (Hightown)",
                                           ods_code="B86002")
    with pytest.raises(ValidationError):
        workspace.organisations.update(system_actor, org_id=other.id, name="Riverside Surgery", ods_code="B86002",
                                       active=True, expected_version=other.version)
    kept = workspace.organisations.update(system_actor, org_id=first.id, name="Riverside Surgery", ods_code="B86001",
                                          active=False, expected_version=first.version)  # its own name is no clash
    assert kept.active is False
