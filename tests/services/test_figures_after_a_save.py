"""After a save, the pages' figures worked out again only for the people it touched equal the
figures worked out afresh (issue 18: Home and Assurance at thousands of staff).

`shared_reads.by_person` keeps each read's rows person by person and, after a save, reads again
only the people the save's audit entries name (`change_scope`). These tests make random saves of
every kind on a demo PCN (supervision one to one and in groups, training, CPD, reviews,
arrangements, induction items, programme time, staff edits, a save from another copy of the app,
a save that left no audit entry, a print) and after each compare every shared figure, for an
administrator and for a line manager who also supervises and appraises, with the same figures
read by another copy of the app that keeps nothing.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, update

from arrs_desk.errors import ArrsDeskError
from arrs_desk.services import audit
from arrs_desk.services.actor import Actor
from arrs_desk.services.dashboard import DashboardService
from arrs_desk.services.relationships import managed_ids
from arrs_desk.services.revalidation.views import CpdInput
from arrs_desk.services.shared_reads import shared_reads
from arrs_desk.services.supervision import ArrangementInput, SessionInput
from arrs_desk.services.training.views import TrainingInput
from arrs_desk.services.workspace import Workspace
from arrs_desk.store.models import (
    InductionItem, Setting, Staff, SupervisionArrangement, SupervisionAttendance, UserAccount,
)
from tests.support.pcn import account

ADMIN = Actor(1, "admin", "Admin Person", frozenset({"administrator"}), None, sole_user=True)


def figures(ws, actor) -> dict:
    """Every figure the pages share, as the pages read them."""
    return {
        "home": DashboardService(ws).attention(actor),
        "assurance": ws.assurance.matrix(actor),
        "supervision": ws.supervision.matrix(actor),
        "training": ws.training.matrix(actor),
        "training statuses": ws.training.statuses(actor),  # Home's card and the Assurance check read these
        "reviews": ws.reviews.overview(actor),
        "assessed": dict(ws.revalidation.assessed(actor)),
        "revalidation warnings": ws.revalidation.warnings(actor),
        "induction": ws.induction.overview(actor),
        "checkins": ws.checkins.checkins_due(actor),
        "programmes": ws.programmes.overview(actor),
    }


@pytest.fixture
def pcn(demo_workspace):
    """The demo PCN, the people in it, a line manager who supervises and appraises, and another
    copy of the app on the same database that works every figure out afresh."""
    with demo_workspace.db.read() as session:
        people = list(session.execute(select(Staff.id).where(Staff.status != "left").order_by(Staff.id)).scalars())
        manager = session.execute(select(Staff.line_manager_id, func.count()).where(Staff.line_manager_id.is_not(None))
                                  .group_by(Staff.line_manager_id).order_by(func.count().desc())).first()[0]
    other = Workspace.open(demo_workspace.db.url, demo_workspace.clock)
    lead = _account_once(demo_workspace, "lead", "Team Lead", {"line_manager", "supervisor", "appraiser", "staff"},
                         manager)
    yield demo_workspace, other, people, lead
    other.close()


def _same_as_afresh(ws, other, actors) -> None:
    for actor in actors:
        kept = figures(ws, actor)
        shared_reads(other.db).clear()
        fresh = figures(other, actor)
        for name in fresh:
            assert kept[name] == fresh[name], f"{name} for {actor.display_name} differs from a read afresh"


def _open_item(ws, staff_id):
    with ws.db.read() as session:
        return session.execute(select(InductionItem).where(InductionItem.staff_id == staff_id,
                                                           InductionItem.state == "open")).scalars().first()


def _manager_of(ws, person: int) -> tuple[Actor, list[int]]:
    """The person's line manager as a signed-in user (the person themself if they have none), and
    the people that user may record supervision for, the person first."""
    with ws.db.read() as session:
        manager = session.get(Staff, person).line_manager_id
        team = list(session.execute(select(Staff.id).where(Staff.line_manager_id == manager,
                                                           Staff.status != "left")).scalars()) if manager else []
    if manager is None:
        return _account_once(ws, f"self.{person}", "Them Self", {"staff"}, person), [person]
    return (_account_once(ws, f"manager.{manager}", "Their Manager", {"line_manager", "supervisor"}, manager),
            [person] + [i for i in team if i != person])


def _account_once(ws, username: str, display_name: str, roles: set[str], staff_id: int) -> Actor:
    """A real account with these roles, linked to `staff_id` (every write checks the writer's account,
    its link included, as it stands); inserted directly, beside any account the person has already."""
    with ws.db.read() as session:
        found = session.execute(select(UserAccount.id).where(UserAccount.username == username)).scalar()
    return (Actor(found, username, display_name, frozenset(roles), staff_id) if found is not None
            else account(ws, username, display_name, roles, staff_id))


def _save(ws, other, people, kind: str, who: int, whom: int, days: int) -> None:
    """One save of `kind` for the `who`-th person (and the `whom`-th, where two are needed)."""
    today = ws.today()
    person, second = people[who % len(people)], people[whom % len(people)]
    day = today - timedelta(days=days)
    if kind in ("supervision", "group supervision"):
        manager, team = _manager_of(ws, person)
        ws.supervision.record_session(manager, data=SessionInput(
            type_code="clinical", held_on=day, attendee_ids=team[:1 if kind == "supervision" else 3],
            supervisor_staff_id=manager.staff_id if manager.staff_id != person else second,
            format="one-to-one" if kind == "supervision" else "group", topics="Case review"))
    elif kind == "arrangement":
        ws.supervision.create_arrangement(ADMIN, data=ArrangementInput(
            staff_id=person, type_code="clinical", supervisor_staff_id=second, start_date=day))
    elif kind == "training":
        subject = ws.training.matrix(ADMIN).subjects[who % 3]
        ws.training.record(ADMIN, data=TrainingInput(person, subject.code, subject.levels[-1], day))
    elif kind == "cpd":
        themself = _account_once(ws, f"self.{person}", "Them Self", {"staff"}, person)
        ws.revalidation.add_cpd(themself, data=CpdInput(staff_id=person, occurred_on=day, title="Asthma update",
                                                     method="course", hours=6.0, participatory=True))
    elif kind == "induction":
        item = _open_item(ws, person)
        if item is not None:
            ws.induction.tick(ADMIN, item_id=item.id, expected_version=item.version, completed_on=day)
    elif kind == "staff edit":  # a manager's name shows in their team's rows; a new manager sees more
        manager = _manager_of(ws, person)[0].staff_id
        record = ws.staff.get(ADMIN, staff_id=manager)
        record.data.preferred_name = f"Pat {days}"
        ws.staff.update(ADMIN, staff_id=manager, data=record.data, expected_version=record.version)
        record = ws.staff.get(ADMIN, staff_id=person)
        record.data.line_manager_id = second if second != person else None
        ws.staff.update(ADMIN, staff_id=person, data=record.data, expected_version=record.version)
    elif kind == "supervisor leaves":  # their supervisees' arrangements name someone who has gone
        supervisor = _supervisor_of(ws, person) or person
        record = ws.staff.get(ADMIN, staff_id=supervisor)
        record.data.status, record.data.end_date = "left", min(today, max(record.data.start_date, day))
        record.data.leaving_reason = record.data.leaving_reason or "Retirement"
        ws.staff.update(ADMIN, staff_id=supervisor, data=record.data, expected_version=record.version)
    elif kind == "supervisor changes role":  # a supervisor who is no longer a clinician, nor registered
        supervisor = _supervisor_of(ws, person) or person
        record = ws.staff.get(ADMIN, staff_id=supervisor)
        record.data.role_code, record.data.register_code, record.data.registration_number = "CCO", "", ""
        record.data.registration_renewal = None
        ws.staff.update(ADMIN, staff_id=supervisor, data=record.data, expected_version=record.version)
    elif kind == "team moves":  # someone with a team of their own goes to another manager: all of it moves
        below = _with_a_team(ws, person, second)
        record = ws.staff.get(ADMIN, staff_id=below)
        with ws.db.read() as session:
            loop = second == below or second in managed_ids(session, below)
        record.data.line_manager_id = None if loop else second
        ws.staff.update(ADMIN, staff_id=below, data=record.data, expected_version=record.version)
    elif kind == "elsewhere":  # another PC: seen only through the audit trail
        subject = other.training.matrix(ADMIN).subjects[0]
        other.training.record(ADMIN, data=TrainingInput(person, subject.code, subject.levels[-1], day))
    elif kind == "unaudited":  # a write that says nothing of what it changed
        with ws.db.write() as session:
            setting = session.get(Setting, "supervision.due_soon_days") or Setting(key="supervision.due_soon_days")
            setting.value = 7 + days % 20
            session.add(setting)
    elif kind == "print":  # audited, but changes nobody's figures
        with ws.db.write() as session:
            audit.record(session, ADMIN, "print", "appraisal_pack", person, "Printed a pack", subject_staff_id=person)


KINDS = ("supervision", "group supervision", "arrangement", "training", "cpd", "induction", "staff edit",
         "supervisor leaves", "supervisor changes role", "team moves", "elsewhere", "unaudited", "print")


def _supervisor_of(ws, person: int) -> int | None:
    """Someone who supervises `person` without being above them in the line-management tree (whose
    team would be read again anyway), else anyone who supervises them."""
    with ws.db.read() as session:
        supervisors = list(session.execute(select(SupervisionArrangement.supervisor_staff_id).where(
            SupervisionArrangement.staff_id == person, SupervisionArrangement.supervisor_staff_id.is_not(None))
        ).scalars())
        apart = [s for s in supervisors if person not in managed_ids(session, s)]
    return (apart or supervisors or [None])[0]


def _with_a_team(ws, person: int, second: int) -> int:
    """`person`'s line manager, after giving `person` a team of their own (`second`, unless that
    would make a loop): a manager two levels above someone."""
    with ws.db.read() as session:
        manager = session.get(Staff, person).line_manager_id
    if second not in (person, manager):
        record = ws.staff.get(ADMIN, staff_id=second)
        record.data.line_manager_id = person
        try:
            ws.staff.update(ADMIN, staff_id=second, data=record.data, expected_version=record.version)
        except ArrsDeskError:
            pass  # refused (a loop, or not valid): the tree stays as it was
    return manager if manager is not None else person


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                               HealthCheck.too_slow])
@given(saves=st.lists(st.tuples(st.sampled_from(KINDS), st.integers(0, 10_000), st.integers(0, 10_000),
                                st.integers(0, 400)), min_size=1, max_size=5))
def test_figures_kept_and_read_again_for_those_touched_equal_figures_read_afresh(pcn, saves):
    ws, other, people, lead = pcn
    _same_as_afresh(ws, other, (ADMIN, lead))  # the first read: everyone's rows, kept
    for kind, who, whom, days in saves:
        try:
            _save(ws, other, people, kind, who, whom, days)
        except ArrsDeskError:
            pass  # refused (not allowed, not valid on that day): nothing was saved, which is a case too
        _same_as_afresh(ws, other, (ADMIN, lead))


def test_every_kind_of_save_in_turn_leaves_figures_equal_to_figures_read_afresh(pcn):
    ws, other, people, lead = pcn
    _same_as_afresh(ws, other, (ADMIN, lead))
    for number, kind in enumerate(KINDS):
        _save(ws, other, people, kind, 7 * number + 2, 5 * number + 1, 3 + number)
        _same_as_afresh(ws, other, (ADMIN, lead))


def test_a_save_about_one_person_reads_only_that_person_again(pcn):
    ws, other, people, _lead = pcn
    kept = shared_reads(ws.db)
    figures(ws, ADMIN)
    before = kept.people_read
    _save(ws, other, people, "training", 3, 4, 10)
    figures(ws, ADMIN)
    read_again = kept.people_read - before
    # One person in each of the twelve reads kept person by person (Home counts reviews due and
    # training statuses in reads of their own); hundreds if all.
    assert 0 < read_again <= 12
    _same_as_afresh(ws, other, (ADMIN,))


def test_a_print_keeps_every_figure_and_a_write_without_an_audit_entry_reads_everyone(pcn):
    ws, other, people, _lead = pcn
    kept = shared_reads(ws.db)
    figures(ws, ADMIN)
    computed, read_again = kept.computed, kept.people_read
    _save(ws, other, people, "print", 1, 2, 0)
    figures(ws, ADMIN)
    assert (kept.computed, kept.people_read) == (computed, read_again)  # nothing worked out again
    _save(ws, other, people, "unaudited", 1, 2, 3)
    figures(ws, ADMIN)
    assert kept.computed > computed and kept.people_read == read_again  # everyone read again, not a few
    _same_as_afresh(ws, other, (ADMIN,))


def test_a_save_naming_nobody_reads_everyone_again_and_a_staff_record_those_naming_them():
    from arrs_desk.services.change_scope import people_touched

    def naming(people):
        return frozenset({40, 41}) if people == {5} else frozenset({99})

    assert people_touched([("training", "record", 5), ("induction_item", "tick", 7)]) == {5, 7}
    assert people_touched([("appraisal_pack", "print", 5), ("user", "login", None)]) == frozenset()
    assert people_touched([("training", "record", 5), ("staff", "update", 5)]) is None  # nobody to ask who names 5
    assert people_touched([("training", "record", 7), ("staff", "update", 5)], naming) == {5, 7, 40, 41}
    assert people_touched([("staff", "create", 5)], naming) == {5, 40, 41}
    assert people_touched([("staff", "import", None), ("staff", "create", 5)], naming) is None
    assert people_touched([("staff", "erase", 5)], naming) is None
    assert people_touched([("supervision_session", "record", None)]) is None
    assert people_touched([("something_new", "create", 5)]) is None
    assert people_touched(None) is None


def test_a_write_without_an_audit_entry_landing_during_a_page_read_is_not_kept_as_read(pcn):
    """A page read sees the database as of its first statement (SQLite's snapshot). A write that
    leaves no audit entry and lands after that, before the page asks for its change mark, must not
    be taken as seen: its rows would be kept as read, and later saves about other people would
    never read them again (found in review: a stale supervision row that outlived saves)."""
    ws, other, people, _lead = pcn
    figures(ws, ADMIN)
    with ws.db.read() as session:
        latest = session.execute(select(SupervisionAttendance).order_by(SupervisionAttendance.held_on.desc())
                                 ).scalars().first()
    with ws.db.one_read("a page"):
        ws.db.change_mark()  # the page's first statement: its snapshot begins
        with ws.db.write() as session:  # meanwhile, elsewhere in the app
            session.execute(update(SupervisionAttendance).where(SupervisionAttendance.id == latest.id)
                            .values(held_on=latest.held_on - timedelta(days=200)))
        ws.supervision.matrix(ADMIN)
    someone_else = people.index(next(p for p in people if p != latest.staff_id))
    _save(ws, other, people, "training", someone_else, 0, 3)
    _same_as_afresh(ws, other, (ADMIN,))


def test_every_column_naming_another_member_of_staff_is_known_to_the_change_scope():
    """A new column pointing at a member of staff other than the record's own person would show
    them in someone else's rows: `change_scope` must name it, or a change to their staff record
    would leave those rows as they were."""
    from sqlmodel import SQLModel

    from arrs_desk.services.change_scope import NAMED_IN_OTHERS_ROWS

    pointing = {(table.name, fk.parent.name) for table in SQLModel.metadata.sorted_tables
                for fk in table.foreign_keys if fk.column.table.name == "staff"}
    others = {(table, column) for table, column in pointing if column != "staff_id"}
    assert others == set(NAMED_IN_OTHERS_ROWS)


def test_a_staff_record_change_reads_again_its_person_and_those_naming_them_only(pcn):
    ws, other, _people, lead = pcn
    kept = shared_reads(ws.db)
    with ws.db.read() as session:
        supervisor = session.execute(select(SupervisionArrangement.supervisor_staff_id).where(
            SupervisionArrangement.supervisor_staff_id.is_not(None))).scalars().first()
        supervisees = set(session.execute(select(SupervisionArrangement.staff_id).where(
            SupervisionArrangement.supervisor_staff_id == supervisor)).scalars())
        loner = session.execute(select(Staff.id).where(
            Staff.id.not_in(select(Staff.line_manager_id).where(Staff.line_manager_id.is_not(None))),
            Staff.id.not_in(select(SupervisionArrangement.supervisor_staff_id).where(
                SupervisionArrangement.supervisor_staff_id.is_not(None))),
            Staff.status != "left")).scalars().first()
    figures(ws, ADMIN)
    before = kept.people_read
    record = ws.staff.get(ADMIN, staff_id=loner)
    record.data.preferred_name = "Robin"
    ws.staff.update(ADMIN, staff_id=loner, data=record.data, expected_version=record.version)
    figures(ws, ADMIN)
    assert 0 < kept.people_read - before <= 12  # the one person in each of the twelve reads, not everyone
    before = kept.people_read
    record = ws.staff.get(ADMIN, staff_id=supervisor)
    record.data.preferred_name = "Sunny"
    ws.staff.update(ADMIN, staff_id=supervisor, data=record.data, expected_version=record.version)
    shown = figures(ws, ADMIN)
    assert kept.people_read - before >= len(supervisees)  # their rows show their supervisor's name
    assert any("Sunny" in str(row) for row in shown["supervision"].rows if row.staff_id in supervisees)
    _same_as_afresh(ws, other, (ADMIN, lead))


def test_a_manager_moved_with_their_team_takes_the_whole_team_out_of_the_old_managers_view(pcn):
    """Who a line manager may see is their whole tree, so moving someone with a team of their own
    moves people two levels down, whose own records did not change (a case the change scope must follow)."""
    ws, other, _people, lead = pcn
    manager = Actor(5, "manager", "Only Manages", frozenset({"line_manager"}), lead.staff_id)
    in_matrix = [row.staff_id for row in figures(ws, ADMIN)["supervision"].rows]
    with ws.db.read() as session:
        report = session.execute(select(Staff.id).where(
            Staff.line_manager_id == manager.staff_id, Staff.status != "left", Staff.id.in_(in_matrix),
        ).order_by(Staff.id)).scalars().first()
        outsider = session.execute(select(Staff.id).where(
            Staff.id.not_in(managed_ids(session, manager.staff_id) | {manager.staff_id}),
            Staff.line_manager_id.is_not(None), Staff.status != "left", Staff.id.in_(in_matrix),
        ).order_by(Staff.id)).scalars().first()
        elsewhere = session.get(Staff, outsider).line_manager_id
    assert not any(row.staff_id == outsider for row in figures(ws, manager)["supervision"].rows)
    record = ws.staff.get(ADMIN, staff_id=outsider)
    record.data.line_manager_id = report  # the report now has a team of one
    ws.staff.update(ADMIN, staff_id=outsider, data=record.data, expected_version=record.version)
    assert any(row.staff_id == outsider for row in figures(ws, manager)["supervision"].rows)
    record = ws.staff.get(ADMIN, staff_id=report)
    record.data.line_manager_id = elsewhere
    ws.staff.update(ADMIN, staff_id=report, data=record.data, expected_version=record.version)
    seen = figures(ws, manager)
    assert not any(row.staff_id in (report, outsider) for row in seen["supervision"].rows)
    _same_as_afresh(ws, other, (ADMIN, manager))


def test_a_save_that_changes_nothing_keeps_every_figure_and_moves_no_version(pcn):
    """A staff record saved as it was, or a write transaction that changed no row, tells the kept
    figures nothing changed: nothing is worked out again (before, an edit saved unchanged had every
    figure of a 5,000-staff PCN worked out afresh)."""
    ws, other, people, _lead = pcn
    kept = shared_reads(ws.db)
    figures(ws, ADMIN)
    computed, read_again = kept.computed, kept.people_read
    record = ws.staff.get(ADMIN, staff_id=people[3])
    again = ws.staff.update(ADMIN, staff_id=people[3], data=record.data, expected_version=record.version)
    assert again.version == record.version
    with ws.db.write() as session:  # reads only
        session.execute(select(func.count()).select_from(Staff)).scalar_one()
    figures(ws, ADMIN)
    assert (kept.computed, kept.people_read) == (computed, read_again)
    with pytest.raises(ArrsDeskError):  # saved unchanged over someone else's save: still refused
        ws.staff.update(ADMIN, staff_id=people[3], data=record.data, expected_version=record.version - 1)
    with ws.db.write() as session:  # a change with no audit entry: everyone's figures again
        session.execute(update(Staff).where(Staff.id == people[3]).values(preferred_name="Quiet"))
    figures(ws, ADMIN)
    assert kept.computed > computed
    _same_as_afresh(ws, other, (ADMIN,))


def test_a_supervisor_who_leaves_shows_as_gone_in_the_kept_rows_of_those_they_supervise(pcn):
    """A supervisee's row depends on their supervisor's staff record (a supervisor who has left
    leaves the arrangement "Supervisor left"), though nobody manages anybody between them."""
    ws, other, _people, lead = pcn
    with ws.db.read() as session:
        arrangements = session.execute(select(SupervisionArrangement.staff_id,
                                              SupervisionArrangement.supervisor_staff_id).where(
            SupervisionArrangement.supervisor_staff_id.is_not(None), SupervisionArrangement.end_date.is_(None))).all()
        person, supervisor = next((p, s) for p, s in arrangements
                                  if p not in managed_ids(session, s) and s not in managed_ids(session, p))
    figures(ws, ADMIN)
    record = ws.staff.get(ADMIN, staff_id=supervisor)
    record.data.status, record.data.end_date = "left", ws.today() - timedelta(days=1)
    record.data.leaving_reason = record.data.leaving_reason or "Retirement"
    ws.staff.update(ADMIN, staff_id=supervisor, data=record.data, expected_version=record.version)
    row = next(r for r in figures(ws, ADMIN)["supervision"].rows if r.staff_id == person)
    assert any(cell.status_label == "Supervisor left" for cell in row.cells)
    _same_as_afresh(ws, other, (ADMIN, lead))
