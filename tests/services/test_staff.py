import pytest
from sqlalchemy import func, select

from arrs_desk.errors import PermissionDenied, StaleEdit, ValidationError
from arrs_desk.services.actor import Actor
from arrs_desk.services.staff import StaffInput
from arrs_desk.store.models import AuditEntry, Staff, StaffPractice
from tests.date_support import days_ago
from tests.support.pcn import ALPHA, BETA, build_small_pcn


@pytest.fixture
def practices(workspace, system_actor):
    return tuple(build_small_pcn(workspace, system_actor, practices=(ALPHA, BETA)).practice_ids)


def valid_input(practices, **changes) -> StaffInput:
    data = StaffInput(
        given_name="Zoë", family_name="Ōkubo", role_code="PARA", employer_id=practices[0],
        employment_model="practice", start_date=days_ago(84), practice_ids=[practices[0]],
        register_code="HCPC-PA", registration_number="pa 123456", email="Zoe.Okubo@nhs.net", status="induction",
    )
    for key, value in changes.items():
        setattr(data, key, value)
    return data


def count(workspace, model) -> int:
    with workspace.db.read() as session:
        return session.execute(select(func.count()).select_from(model)).scalar()


def test_create_normalises_and_audits(workspace, system_actor, practices):
    record = workspace.staff.create(system_actor, data=valid_input(practices))
    assert record.data.registration_number == "PA123456"
    assert record.data.email == "zoe.okubo@nhs.net"
    assert record.display_name == "Zoë Ōkubo"
    with workspace.db.read() as session:
        entry = session.execute(select(AuditEntry).where(AuditEntry.entity_type == "staff")).scalar_one()
    assert entry.action == "create" and entry.subject_staff_id == record.id
    assert entry.changes["registration_number"] == [None, "PA123456"]
    assert entry.actor_name == system_actor.display_name


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"registration_number": "PH123456"}, "registration_number", "PA and up to 6 digits"),
        ({"registration_number": ""}, "registration_number", "Enter the HCPC registration number"),
        ({"registration_number": "", "register_code": ""}, "registration_number", "must be registered"),
        ({"end_date": days_ago(115)}, "end_date", "before the start date"),
        ({"given_name": "   "}, "given_name", "First name is required"),
        ({"practice_ids": []}, "practice_ids", "at least one practice"),
        ({"email": "not-an-email"}, "email", "not an email address"),
        ({"hours_per_week": 80.0}, "hours_per_week", "at most 60"),
        ({"hours_per_week": 37.333}, "hours_per_week", "at most two decimal places"),  # the editor shows two
        ({"role_code": "CPH"}, "register_code", "not registered with that register"),
        ({"status": "left"}, "end_date", "date this person left"),
        ({"end_date": days_ago(54)}, "status", "should be Left"),  # an end date passed
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(workspace, system_actor, practices, changes, field, fragment):
    audit_before = count(workspace, AuditEntry)
    with pytest.raises(ValidationError) as caught:
        workspace.staff.create(system_actor, data=valid_input(practices, **changes))
    assert fragment in caught.value.errors[field]
    assert count(workspace, Staff) == 0
    assert count(workspace, StaffPractice) == 0
    assert count(workspace, AuditEntry) == audit_before


def test_registration_number_error_shows_the_expected_form(workspace, system_actor, practices):
    with pytest.raises(ValidationError) as caught:
        workspace.staff.create(system_actor, data=valid_input(practices, role_code="CPH", register_code="GPHC-PHARMACIST",
                                                          registration_number="1234567"))
    message = caught.value.errors["registration_number"]
    assert "'1234567'" in message and "7 digits starting with 2" in message


def test_a_start_more_than_a_year_ahead_is_refused_as_a_mistyped_year(workspace, system_actor, practices):
    from arrs_desk.domain.dates import add_months
    from tests.conftest import TODAY

    with pytest.raises(ValidationError, match="more than a year ahead; check the year") as caught:
        workspace.staff.create(system_actor, data=valid_input(practices, start_date=add_months(TODAY, 12 * 36),
                                                              status="pre_start"))
    assert list(caught.value.errors) == ["start_date"] and count(workspace, Staff) == 0
    made = workspace.staff.create(system_actor, data=valid_input(practices, start_date=add_months(TODAY, 12),
                                                                 status="pre_start"))
    assert made.data.start_date == add_months(TODAY, 12)


def test_a_renewal_date_beyond_the_registers_cycle_is_refused(workspace, system_actor, practices):
    """A GPhC registration renews every year: recorded as renewing in two years, the revalidation
    cycle shown lay wholly in the future and the CPD recorded today counted for nothing."""
    from arrs_desk.domain.dates import add_months, format_uk
    from tests.conftest import TODAY

    pharmacist = dict(role_code="CPH", register_code="GPHC-PHARMACIST", registration_number="2071234")
    with pytest.raises(ValidationError) as caught:
        workspace.staff.create(system_actor, data=valid_input(practices, **pharmacist,
                                                              registration_renewal=add_months(TODAY, 23)))
    message = caught.value.errors["registration_renewal"]
    assert "GPhC" in message and "12 months" in message and format_uk(add_months(TODAY, 12)) in message
    assert count(workspace, Staff) == 0
    made = workspace.staff.create(system_actor, data=valid_input(practices, **pharmacist,
                                                                 registration_renewal=add_months(TODAY, 12)))
    assert made.data.registration_renewal == add_months(TODAY, 12)
    nurse = workspace.staff.create(system_actor, data=valid_input(  # the NMC's cycle is three years
        practices, role_code="GPN", register_code="NMC", registration_number="12A3456E", email="n@nhs.net",
        registration_renewal=add_months(TODAY, 35)))
    assert nurse.data.registration_renewal == add_months(TODAY, 35)


def test_a_far_date_saved_before_the_checks_does_not_stop_other_edits(workspace, system_actor, practices):
    """A record saved before the mistyped-year checks (a renewal two years ahead, a start 2062)
    could not be edited at all: changing the phone number was refused for a date nobody touched.
    Only a date that is new or changed is checked."""
    from datetime import date

    from arrs_desk.domain.dates import add_months
    from tests.conftest import TODAY

    record = workspace.staff.create(system_actor, data=valid_input(
        practices, role_code="CPH", register_code="GPHC-PHARMACIST", registration_number="2071234",
        registration_renewal=add_months(TODAY, 6), start_date=add_months(TODAY, 6), status="pre_start"))
    far_renewal, far_start = add_months(TODAY, 23), date(TODAY.year + 36, 2, 1)
    with workspace.db.write() as session:  # as an older version saved them
        person = session.get(Staff, record.id)
        person.registration_renewal, person.start_date = far_renewal, far_start
    kept = workspace.staff.get(system_actor, staff_id=record.id)
    data = kept.data
    data.employee_number = "E1234"
    saved = workspace.staff.update(system_actor, staff_id=record.id, data=data, expected_version=kept.version)
    assert (saved.data.employee_number, saved.data.registration_renewal, saved.data.start_date) == (
        "E1234", far_renewal, far_start)
    data = saved.data
    data.registration_renewal, data.start_date = add_months(TODAY, 24), date(TODAY.year + 37, 2, 1)
    with pytest.raises(ValidationError) as caught:
        workspace.staff.update(system_actor, staff_id=record.id, data=data, expected_version=saved.version)
    assert set(caught.value.errors) == {"registration_renewal", "start_date"}


def test_a_registration_reads_with_its_regulators_spelling(workspace, system_actor, practices):
    """The staff list and the checklist showed "GPHC 2071234": the register's code cut at its
    hyphen, where the regulator writes GPhC."""
    made = workspace.staff.create(system_actor, data=valid_input(
        practices, role_code="PTECH", register_code="GPHC-TECHNICIAN", registration_number="5012345"))
    row = next(r for r in workspace.staff.list_rows(system_actor) if r.id == made.id)
    assert row.registration == "GPhC 5012345"
    assert workspace.induction.checklist(system_actor, staff_id=made.id).registration == "GPhC 5012345"


def test_duplicate_registration_and_email_are_refused(workspace, system_actor, practices):
    workspace.staff.create(system_actor, data=valid_input(practices))
    with pytest.raises(ValidationError) as caught:
        workspace.staff.create(system_actor, data=valid_input(practices, given_name="Other", email="zoe.okubo@NHS.net"))
    assert "Zoë Ōkubo" in caught.value.errors["registration_number"]
    assert "already the email address" in caught.value.errors["email"]


def test_update_records_old_and_new_values(workspace, system_actor, practices):
    record = workspace.staff.create(system_actor, data=valid_input(practices))
    data = record.data
    data.practice_ids = list(practices)
    data.preferred_name = "Zo"
    updated = workspace.staff.update(system_actor, staff_id=record.id, data=data, expected_version=record.version)
    assert updated.version == record.version + 1
    assert updated.practice_names == ("Alpha Surgery", "Beta Health Centre")
    with workspace.db.read() as session:
        entry = session.execute(select(AuditEntry).where(AuditEntry.action == "update")).scalar_one()
    assert entry.changes["preferred_name"] == ["", "Zo"]
    assert entry.changes["practice_ids"] == [[practices[0]], sorted(practices)]


def test_stale_edit_is_refused_and_nothing_overwritten(workspace, system_actor, practices):
    record = workspace.staff.create(system_actor, data=valid_input(practices))
    first, second = record.data, valid_input(practices, preferred_name="Second")
    first.preferred_name = "First"
    workspace.staff.update(system_actor, staff_id=record.id, data=first, expected_version=record.version)
    with pytest.raises(StaleEdit):
        workspace.staff.update(system_actor, staff_id=record.id, data=second, expected_version=record.version)
    assert workspace.staff.get(system_actor, staff_id=record.id).data.preferred_name == "First"


def test_leaver_is_kept_with_reason(workspace, system_actor, practices):
    record = workspace.staff.create(system_actor, data=valid_input(practices))
    data = record.data
    data.status, data.end_date, data.leaving_reason = "left", days_ago(23), "Relocation"
    workspace.staff.update(system_actor, staff_id=record.id, data=data, expected_version=record.version)
    rows = workspace.staff.list_rows(system_actor)
    assert [(r.status, r.end_date) for r in rows] == [("left", days_ago(23))]


def test_line_manager_loops_are_refused(workspace, system_actor, practices):
    boss = workspace.staff.create(system_actor, data=valid_input(practices, given_name="Boss", role_code="PM",
                                                              register_code="", registration_number="", email=""))
    report = workspace.staff.create(system_actor, data=valid_input(practices, line_manager_id=boss.id))
    data = boss.data
    data.line_manager_id = report.id
    with pytest.raises(ValidationError) as caught:
        workspace.staff.update(system_actor, staff_id=boss.id, data=data, expected_version=boss.version)
    assert "loop" in caught.value.errors["line_manager_id"]


def test_staff_member_without_rights_cannot_create(workspace, practices):
    nobody = Actor(user_id=99, username="amy", display_name="Amy", roles=frozenset({"staff"}), staff_id=None)
    with pytest.raises(PermissionDenied):
        workspace.staff.create(nobody, data=valid_input(practices))
    assert count(workspace, Staff) == 0



def test_a_starter_is_not_offered_every_colleague_as_a_line_manager(workspace, system_actor, practices):
    """A starter opening their own record saw every current colleague's name and role in the line
    manager list, though their staff list shows only themselves: now themselves and their manager."""
    def person(name, **changes):
        return workspace.staff.create(system_actor, data=valid_input(
            practices, given_name=name, role_code="PM", register_code="", registration_number="", email="",
            **changes))

    boss, other = person("Boss"), person("Other")
    starter = person("Starter", line_manager_id=boss.id)
    zoe = Actor(user_id=99, username="s", display_name="Starter", roles=frozenset({"staff"}), staff_id=starter.id)
    offered = {c.value for c in workspace.staff.form_choices(zoe).managers}
    assert offered == {starter.id, boss.id} and other.id not in offered
    everyone = {c.value for c in workspace.staff.form_choices(system_actor).managers}
    assert {boss.id, other.id, starter.id} <= everyone

def test_demo_has_every_role_and_many_scripts(demo_workspace, system_actor):
    from arrs_desk.domain.catalogue import builtin_catalogue

    rows = demo_workspace.staff.list_rows(system_actor)
    arrs_roles = {r.code for r in builtin_catalogue().roles if r.arrs}
    assert arrs_roles <= {r.role_code for r in rows}
    assert len(rows) >= 40
    names = " ".join(r.display_name for r in rows)
    assert "Zoë Ōkubo" in names and "Аня" in names and "محمد" in names
    assert sum(r.status == "left" for r in rows) >= 3
    assert len({p for r in rows for p in r.practice_ids}) == 5


def test_search_key_folds_accents_and_case(demo_workspace, system_actor):
    rows = demo_workspace.staff.list_rows(system_actor)
    zoe = next(r for r in rows if r.display_name == "Zoë Ōkubo")
    assert "zoe okubo" in zoe.search_key


def test_a_start_date_from_before_the_nhs_began_is_refused_as_a_mistyped_date(workspace, system_actor, practices):
    """01/01/1900 (or a date of birth typed as the start date) was saved as the day someone started:
    the editor and the import both refuse a start date before 05/07/1948, naming the field."""
    from datetime import date

    from sqlalchemy import update

    for start in (date(1900, 1, 1), date(1948, 7, 4)):
        with pytest.raises(ValidationError) as caught:
            workspace.staff.create(system_actor, data=valid_input(practices, start_date=start, status="active"))
        assert list(caught.value.errors) == ["start_date"]
        assert caught.value.errors["start_date"].startswith(f"The start date ({start:%d/%m/%Y}) is before the NHS began")
    assert count(workspace, Staff) == 0
    made = workspace.staff.create(system_actor, data=valid_input(practices, start_date=date(1948, 7, 5), status="active"))
    # A date saved before this check existed does not stop an edit of something else.
    with workspace.db.write() as session:
        session.execute(update(Staff).where(Staff.id == made.id).values(start_date=date(1900, 1, 1)))
    kept = workspace.staff.get(system_actor, staff_id=made.id)
    edited = workspace.staff.update(system_actor, staff_id=made.id, data=valid_input(
        practices, start_date=date(1900, 1, 1), status="active", email="zoe.o@nhs.net"), expected_version=kept.version)
    assert edited.data.email == "zoe.o@nhs.net"
