"""Training statuses worked out by the database (`services.training.statuses`) are the domain's
(`training_state`), on random histories around the days a completion expires or falls due soon:
month ends, leap days, year ends, levels below the one a role needs, levels the file does not
define, a level done once for good, completions after today. Home's card and the Assurance page's
training check read them; the Training page's matrix still works out the full states."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from arrs_desk.domain.dates import add_months
from arrs_desk.domain.training import Completion, SubjectsFile, TrainingStatus, training_state, training_subjects
from arrs_desk.paths import resource_path
from arrs_desk.services import reference
from arrs_desk.services.actor import SYSTEM
from arrs_desk.services.shared_reads import shared_reads
from arrs_desk.services.training.statuses import Unpacked, status_codes
from arrs_desk.store.models import TrainingRecord
from tests.support.pcn import ALPHA, BETA, BOGDAN, HELEN, Member, build_small_pcn

SAM = Member("sam", "Sam", "Okonkwo", date(2020, 1, 6), role="CPH", manager="helen", roles={"staff"})
LOU = Member("lou", "Lou", "Marchetti", date(2020, 1, 6), role="CCO", manager="helen", roles={"staff"})
PEOPLE = ("sam", "lou", "helen", "bogdan")


def _with_a_subject_done_once() -> SubjectsFile:
    """The built-in subjects, with fire safety's level 1 done once for good and a level 2 refreshed
    every 6 months: every kind of interval the file may hold."""
    data = json.loads(resource_path("training", "subjects.json").read_text(encoding="utf-8"))
    for subject in data["subjects"]:
        if subject["code"] == "fire-safety":
            subject["levels"] = [{**subject["levels"][0], "refresher_months": None},
                                 {**subject["levels"][0], "level": 2, "refresher_months": 6}]
    return SubjectsFile.model_validate(data)


RULES = (training_subjects(), _with_a_subject_done_once())
TODAYS = (date(2024, 2, 29), date(2026, 1, 31), date(2026, 11, 24), date(2027, 12, 31), date(2028, 3, 1))


@pytest.fixture
def pcn(workspace):
    return build_small_pcn(workspace, SYSTEM, members=(HELEN, BOGDAN, SAM, LOU), practices=(ALPHA, BETA),
                           admin="Ada Admin")


def _near_the_edges(today: date, due_soon_days: int):
    """Completion days at and around each day a refresher of 6, 12, 24 or 36 months expires or is
    due soon today, and some anywhere in the last four years or the next month."""
    edges = [add_months(day, -months) + timedelta(days=shift) for months in (6, 12, 24, 36)
             for day in (today, today + timedelta(days=due_soon_days)) for shift in (-2, -1, 0, 1, 2, 3)]
    return st.sampled_from(edges) | st.integers(-1500, 30).map(lambda days: today + timedelta(days=days))


@st.composite
def histories(draw):
    rules = draw(st.sampled_from(RULES))
    today = draw(st.sampled_from(TODAYS))
    subjects = [s.code for s in rules.subjects]
    rows = draw(st.lists(st.tuples(st.sampled_from(PEOPLE), st.sampled_from(subjects), st.integers(1, 4),
                                   _near_the_edges(today, rules.due_soon_days)), max_size=40))
    return rules, today, rows


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=histories())
def test_the_databases_statuses_are_the_domains(workspace, pcn, history):
    rules, today, rows = history
    with workspace.db.write() as session:
        session.execute(delete(TrainingRecord))
        session.add_all([TrainingRecord(staff_id=pcn.staff_ids[who], subject_code=code, level=level, completed_on=day)
                         for who, code, level, day in rows])
    with workspace.db.read() as session:
        roles = reference.roles(session)
        staff = reference.staff(session)
        codes = status_codes(session, None, today, rules, {code: role.clinical for code, role in roles.items()})
        some = status_codes(session, [pcn.staff_ids["sam"], pcn.staff_ids["helen"]], today, rules,
                            {code: role.clinical for code, role in roles.items()})
    unpacked = Unpacked(len(rules.subjects))
    for who in PEOPLE:
        person = staff[pcn.staff_ids[who]]
        role = roles[person.role_code]
        expected = tuple(
            training_state(s, s.required_level(person.role_code, role.clinical),
                           [Completion(level, day) for w, code, level, day in rows if w == who and code == s.code],
                           today, rules.due_soon_days).status
            for s in rules.subjects)
        assert unpacked[codes.get(person.id, 0)] == expected, who
        if who in ("sam", "helen"):
            assert unpacked[some.get(person.id, 0)] == expected, who
    assert set(some) <= {pcn.staff_ids["sam"], pcn.staff_ids["helen"]}


def test_homes_card_counts_as_the_training_matrix_does(workspace, pcn):
    """`TrainingService.summary` (Home's card, from the statuses) says what the matrix would."""
    admin = pcn.actors["admin"]
    today = workspace.today()
    in_date = [TrainingRecord(staff_id=pcn.staff_ids["sam"], subject_code=s.code, level=s.levels[-1].level,
                              completed_on=today - timedelta(days=10))
               for s in training_subjects().subjects if s.code != "fire-safety"]
    with workspace.db.write() as session:
        session.add_all([
            *in_date,  # Sam: everything in date but fire safety, which is due soon
            TrainingRecord(staff_id=pcn.staff_ids["sam"], subject_code="fire-safety", level=1,
                           completed_on=add_months(today, -24) + timedelta(days=20)),
            TrainingRecord(staff_id=pcn.staff_ids["lou"], subject_code="fire-safety", level=1,
                           completed_on=add_months(today, -24)),  # expired today
        ])
    shared_reads(workspace.db).clear()
    summary = workspace.training.summary(admin)
    statuses = workspace.training.statuses(admin)
    matrix = workspace.training.matrix(admin)
    assert summary.staff_ids == {row.staff_id for row in matrix.rows}
    assert summary.percent == matrix.overall.percent and summary.target_percent == matrix.target_percent
    lapsed = {TrainingStatus.EXPIRED, TrainingStatus.NEVER}
    assert summary.lapsed == sum(1 for row in matrix.rows if lapsed & {c.status for c in row.cells})
    assert summary.due_soon == sum(1 for row in matrix.rows if not lapsed & {c.status for c in row.cells}
                                   and TrainingStatus.DUE_SOON in {c.status for c in row.cells})
    assert statuses == {row.staff_id: tuple(c.status for c in row.cells) for row in matrix.rows}
    assert summary.lapsed and summary.due_soon  # the card has something of each kind to count


def test_statuses_started_beside_home_and_assurance_are_the_ones_they_would_read(workspace, pcn):
    """Home and the Assurance page start everyone's statuses on a connection of their own
    (`TrainingService.start_statuses`, SQLite only) and are handed them: the same page as read with
    nothing started beside it."""
    import threading

    from sqlalchemy import event

    from arrs_desk.services.dashboard import DashboardService
    from arrs_desk.store.engine import Database

    admin = pcn.actors["admin"]
    today = workspace.today()
    with workspace.db.write() as session:
        session.add_all([TrainingRecord(staff_id=pcn.staff_ids[who], subject_code="fire-safety", level=1,
                                        completed_on=add_months(today, -months))
                         for who, months in (("sam", 3), ("lou", 24), ("helen", 23))])
    threads: list[str] = []

    @event.listens_for(workspace.db.engine, "before_cursor_execute")
    def _seen(_conn, _cursor, statement, _parameters, _context, _many):
        if "FROM training_record" in statement:
            threads.append(threading.current_thread().name)

    def pages():
        shared_reads(workspace.db).clear()
        home = workspace.read_at_once(lambda w: DashboardService(w).attention(admin))
        shared_reads(workspace.db).clear()
        return home, workspace.read_at_once(lambda w: w.assurance.matrix(admin))

    beside = pages()
    started_beside = list(threads)
    threads.clear()
    real = Database.start_beside
    try:
        Database.start_beside = lambda *_args, **_kwargs: None
        alone = pages()
    finally:
        Database.start_beside = real
    assert beside == alone
    assert any(item.key == "mandatory-training" for item in beside[0].items)
    if workspace.db.is_sqlite:
        assert len(started_beside) == 2 and all(name.startswith("arrs-read-beside") for name in started_beside)
    assert threads and not any(name.startswith("arrs-read-beside") for name in threads)
