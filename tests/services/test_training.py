"""Statutory and mandatory training through the services: who may record whose completions, the
audit of each change, the matrix and its compliance, the all-or-nothing import that names row and
field, and the exports (CSV, XLSX, ICS)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from arrs_desk.domain.dates import add_months
from arrs_desk.domain.training import TrainingStatus
from arrs_desk.errors import PermissionDenied, StaleEdit, ValidationError
from arrs_desk.services.actor import SYSTEM
from arrs_desk.services.audit_log import AuditFilter
from arrs_desk.services.staff_import import ImportRejected
from arrs_desk.services.training import TrainingInput
from tests.conftest import TODAY
from tests.support.pcn import ALPHA, BETA, BOGDAN, HELEN, YUSUF, Member, build_small_pcn

SAM = Member("sam", "Sam", "Okonkwo", TODAY - timedelta(days=400), role="CPH", manager="helen", roles={"staff"},
             email="sam.okonkwo@nhs.example")
LOU = Member("lou", "Lou", "Marchetti", TODAY - timedelta(days=400), role="CCO", manager="helen", roles={"staff"})


@pytest.fixture
def pcn(workspace):
    return build_small_pcn(workspace, SYSTEM, members=(HELEN, BOGDAN, SAM, LOU), practices=(ALPHA, BETA),
                           admin="Ada Admin")


def _done(pcn, who: str, subject: str, *, level: int = 1, days_ago: int = 30) -> TrainingInput:
    return TrainingInput(pcn.staff_ids[who], subject, level, TODAY - timedelta(days=days_ago), provider="e-LfH")


def test_a_person_records_their_own_and_their_manager_theirs_but_nobody_else(workspace, pcn):
    sam, helen, bogdan = pcn.actors["sam"], pcn.actors["helen"], pcn.actors["bogdan"]
    mine = workspace.training.record(sam, data=_done(pcn, "sam", "fire-safety"))
    fire = dict((c.code, s) for c, s in mine.states)["fire-safety"]
    assert fire.status is TrainingStatus.IN_DATE and mine.records[0].provider == "e-LfH"
    workspace.training.record(helen, data=_done(pcn, "sam", "resuscitation", level=2))
    with pytest.raises(PermissionDenied):
        workspace.training.record(bogdan, data=_done(pcn, "sam", "moving-handling"))  # another team's manager
    with pytest.raises(PermissionDenied):
        workspace.training.record(sam, data=_done(pcn, "lou", "fire-safety"))  # a colleague
    entries = workspace.audit_log.entries(pcn.actors["admin"], flt=AuditFilter(entity_type="training"))
    assert [e.actor_name for e in entries] == ["Helen Whitfield", "Sam Okonkwo"]
    assert "Resuscitation level 2" in entries[0].summary


@pytest.mark.parametrize(("changes", "field"), [
    ({"subject_code": "juggling"}, "subject_code"), ({"level": 4}, "level"), ({"completed_on": None}, "completed_on"),
    ({"completed_on": TODAY + timedelta(days=1)}, "completed_on"), ({"provider": "x" * 201}, "provider"),
])
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(workspace, pcn, changes, field):
    data = _done(pcn, "sam", "resuscitation")
    with pytest.raises(ValidationError) as refused:
        workspace.training.record(pcn.actors["admin"], data=TrainingInput(**{**data.__dict__, **changes}))
    assert field in refused.value.errors
    assert workspace.training.person(pcn.actors["admin"], staff_id=pcn.staff_ids["sam"]).records == ()


def test_removing_a_record_is_audited_and_a_stale_removal_is_refused(workspace, pcn):
    admin = pcn.actors["admin"]
    record = workspace.training.record(admin, data=_done(pcn, "lou", "fire-safety")).records[0]
    with pytest.raises(StaleEdit):
        workspace.training.remove(admin, record_id=record.id, expected_version=record.version + 1)
    after = workspace.training.remove(admin, record_id=record.id, expected_version=record.version)
    assert after.records == ()
    assert workspace.audit_log.entries(admin, flt=AuditFilter(action="remove", entity_type="training"))


def test_the_matrix_works_out_states_levels_and_compliance(workspace, pcn):
    admin = pcn.actors["admin"]
    old = (TODAY - add_months(TODAY, -13)).days  # a yearly course done 13 months ago: expired
    workspace.training.record(admin, data=_done(pcn, "sam", "resuscitation", level=2, days_ago=old))
    workspace.training.record(admin, data=_done(pcn, "lou", "resuscitation", level=1))
    workspace.training.record(admin, data=_done(pcn, "sam", "safeguarding-children", level=2))  # needs 3
    matrix = workspace.training.matrix(admin)
    codes = [s.code for s in matrix.subjects]
    rows = {r.name: r for r in matrix.rows}
    resus, children = codes.index("resuscitation"), codes.index("safeguarding-children")
    assert rows["Sam Okonkwo"].cells[resus].status is TrainingStatus.EXPIRED
    assert rows["Lou Marchetti"].cells[resus].status is TrainingStatus.IN_DATE
    assert rows["Sam Okonkwo"].cells[children].required_level == 3  # a pharmacist is clinical: level 3
    assert rows["Sam Okonkwo"].cells[children].status is TrainingStatus.NEVER
    resus_summary = matrix.by_subject[resus]
    assert (resus_summary.in_date, resus_summary.required, resus_summary.percent) == (1, 4, 25)
    assert not resus_summary.meets_target
    assert [p.label for p in matrix.by_practice] == ["Alpha Surgery", "Beta Health Centre"]
    assert [r.name for r in workspace.training.matrix(admin, practice_id=pcn.practice_ids[1]).rows] == ["Bogdan Popescu"]
    assert [r.name for r in workspace.training.matrix(admin, role_code="CCO").rows] == ["Lou Marchetti"]


def test_a_staff_member_sees_only_their_own_line(workspace, pcn):
    assert [r.name for r in workspace.training.matrix(pcn.actors["lou"]).rows] == ["Lou Marchetti"]
    assert {r.name for r in workspace.training.matrix(pcn.actors["helen"]).rows} == {
        "Helen Whitfield", "Sam Okonkwo", "Lou Marchetti"}


def _csv(tmp_path, lines: list[str]):
    path = tmp_path / "elfh-export.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_import_is_all_or_nothing_and_names_the_row_and_field(workspace, pcn, tmp_path):
    admin = pcn.actors["admin"]
    done = (TODAY - timedelta(days=10)).strftime("%d/%m/%Y")
    bad = _csv(tmp_path, ["Email,Course,Completion date,Provider",
                          f"sam.okonkwo@nhs.example,Safeguarding Adults - Level 2,{done},e-LfH",
                          f"nobody@nhs.example,Fire Safety,{done},e-LfH",
                          f"sam.okonkwo@nhs.example,Basket weaving,{done},e-LfH",
                          "sam.okonkwo@nhs.example,Fire Safety,31/02/2026,e-LfH"])
    with pytest.raises(ImportRejected) as rejected:
        workspace.training.import_completions(admin, path=bad)
    assert [(p.row_number, p.field) for p in rejected.value.problems] == [
        (3, "person"), (4, "course"), (5, "completed_on")]
    assert workspace.training.person(admin, staff_id=pcn.staff_ids["sam"]).records == ()  # nothing written
    good = _csv(tmp_path, ["Email,Course,Completion date,Provider",
                           f"sam.okonkwo@nhs.example,Safeguarding Adults - Level 2,{done},e-LfH",
                           f"sam.okonkwo@nhs.example,Information Governance and Data Security,{done},e-LfH"])
    result = workspace.training.import_completions(admin, path=good)
    assert (result.created, result.people) == (2, 1)
    records = workspace.training.person(admin, staff_id=pcn.staff_ids["sam"]).records
    assert {(r.subject_code, r.level, r.source) for r in records} == {
        ("safeguarding-adults", 2, "imported"), ("information-governance", 1, "imported")}
    assert workspace.training.import_completions(admin, path=good).created == 0  # imported again: nothing doubles
    assert len(workspace.audit_log.entries(admin, flt=AuditFilter(action="import", entity_type="training"))) == 2


def test_an_unreadable_level_or_date_is_refused_in_the_files_words(workspace, pcn, tmp_path):
    """"Level Three" and "level 7" were stored as level 1 without a word; 01/01/1900, which the
    dialog refuses, went in; and a date that is not one read "completed_on: Enter the date..."."""
    admin = pcn.actors["admin"]
    done = (TODAY - timedelta(days=10)).strftime("%d/%m/%Y")
    bad = _csv(tmp_path, ["Email,Course,Level,Completed",
                          "sam.okonkwo@nhs.example,Safeguarding children,Lvl III," + done,
                          "sam.okonkwo@nhs.example,Safeguarding children level 7,," + done,
                          "sam.okonkwo@nhs.example,Fire safety,,01/01/1900",
                          "sam.okonkwo@nhs.example,Fire safety,,29/02/2025",
                          "sam.okonkwo@nhs.example,Fire safety,,12/31/2025"])
    with pytest.raises(ImportRejected) as rejected:
        workspace.training.import_completions(admin, path=bad)
    shown = [str(p) for p in rejected.value.problems]
    assert shown[0] == "Row 2, Level: 'Lvl III' is not a level: write it as a number, such as 2 or Level 2."
    assert shown[1].startswith("Row 3, Level: Safeguarding children has level")
    assert shown[2] == "Row 4, Completed: Check the year: that date is too long ago."
    assert shown[3] == "Row 5, Completed: '29/02/2025' is not a date: write it day first, such as 31/12/2025."
    assert shown[4].startswith("Row 6, Completed: '12/31/2025' is not a date")
    assert workspace.training.person(admin, staff_id=pcn.staff_ids["sam"]).records == ()
    good = _csv(tmp_path, ["Email,Course,Level,Completed",
                           f"sam.okonkwo@nhs.example,Safeguarding children,Level Three,{done}",
                           f"sam.okonkwo@nhs.example,Fire safety,,{TODAY - timedelta(days=3):%Y-%m-%d} 00:00:00"])
    assert workspace.training.import_completions(admin, path=good).created == 2
    records = workspace.training.person(admin, staff_id=pcn.staff_ids["sam"]).records
    assert {(r.subject_code, r.level) for r in records} == {("safeguarding-children", 3), ("fire-safety", 1)}


def test_a_combined_course_is_refused_rather_than_recorded_as_one_of_its_subjects(workspace, pcn, tmp_path):
    """"Safeguarding Adults and Children Level 3" was recorded as safeguarding adults alone (the
    first subject whose title it contained), so the children's course went missing without a
    word; and "Moving & Handling" was no subject at all."""
    admin = pcn.actors["admin"]
    done = (TODAY - timedelta(days=10)).strftime("%d/%m/%Y")
    bad = _csv(tmp_path, ["Email,Course,Completed",
                          f"sam.okonkwo@nhs.example,Safeguarding Adults and Children Level 3,{done}",
                          f"sam.okonkwo@nhs.example,Fire Safety and Health & Safety,{done}"])
    with pytest.raises(ImportRejected) as rejected:
        workspace.training.import_completions(admin, path=bad)
    assert [str(p) for p in rejected.value.problems] == [
        "Row 2, Course: 'Safeguarding Adults and Children Level 3' names more than one subject (Safeguarding "
        "adults, Safeguarding children); give each its own row, with its own level.",
        "Row 3, Course: 'Fire Safety and Health & Safety' names more than one subject (Fire safety, Health, safety "
        "and welfare); give each its own row, with its own level."]
    assert workspace.training.person(admin, staff_id=pcn.staff_ids["sam"]).records == ()
    good = _csv(tmp_path, ["Email,Course,Completed", f"sam.okonkwo@nhs.example,Safeguarding Adults Level 3,{done}",
                           f"sam.okonkwo@nhs.example,Safeguarding Children Level 3,{done}",
                           f"sam.okonkwo@nhs.example,Moving & Handling Level 2,{done}"])
    assert workspace.training.import_completions(admin, path=good).created == 3
    assert {(r.subject_code, r.level) for r in workspace.training.person(admin, staff_id=pcn.staff_ids["sam"]).records} \
        == {("safeguarding-adults", 3), ("safeguarding-children", 3), ("moving-handling", 2)}


def test_courses_as_e_lfh_and_esr_name_them_find_their_subjects(workspace, pcn, tmp_path):
    """"Data Security Awareness - Level 1" (e-LfH's information governance session), "Basic Life
    Support" and "Prevent" matched no subject, so an e-LfH export was refused row by row; the
    subjects' aliases in subjects.json name them."""
    admin = pcn.actors["admin"]
    done = (TODAY - timedelta(days=10)).strftime("%d/%m/%Y")
    path = _csv(tmp_path, ["Email,Course,Completed"] + [f"sam.okonkwo@nhs.example,{course},{done}" for course in (
        "Data Security Awareness - Level 1", "Resuscitation - Level 2 - Adult Basic Life Support",
        "Basic Life Support", "Prevent", "NHS|CSTF|Preventing Radicalisation - Level 2 - 3 Years|",
        "Manual Handling Level 2", "Adult Safeguarding Level 3", "Child Protection Level 3")])
    assert workspace.training.import_completions(admin, path=path).created == 8
    assert {(r.subject_code, r.level) for r in workspace.training.person(admin, staff_id=pcn.staff_ids["sam"]).records} \
        == {("information-governance", 1), ("resuscitation", 2), ("resuscitation", 1), ("preventing-radicalisation", 1),
            ("preventing-radicalisation", 2), ("moving-handling", 2), ("safeguarding-adults", 3),
            ("safeguarding-children", 3)}


@pytest.mark.parametrize("course", ["Preventing falls in older people", "Falls prevention",
                                    "Pressure ulcer prevention", "Data protection", "How to prevent falls",
                                    "Prevent pressure ulcers - Level 2"])
def test_a_course_that_only_shares_a_word_stem_with_an_alias_matches_no_subject(course):
    """"Prevent" is a whole word: "Preventing falls" is not Prevent training."""
    from arrs_desk.domain.training import training_subjects
    from arrs_desk.services.training.importing import _subjects

    assert _subjects(training_subjects(), course) == []


@pytest.mark.parametrize("course", ["Prevent", "Prevent - Level 2", "Prevent awareness", "Prevent duty training",
                                    "Home Office Prevent e-learning", "Basic Prevent Awareness"])
def test_the_prevent_duty_course_is_found_by_its_names(course):
    """"Prevent" alone is the course's whole name; otherwise its names say which Prevent it is."""
    from arrs_desk.domain.training import training_subjects
    from arrs_desk.services.training.importing import _subjects

    assert [s.code for s in _subjects(training_subjects(), course)] == ["preventing-radicalisation"]


def test_each_subjects_title_and_aliases_name_that_subject_alone():
    """An alias that also held another subject's words would make its own course read as combined
    (and be refused), or be taken for the other subject."""
    from arrs_desk.domain.training import training_subjects
    from arrs_desk.services.training.importing import _subjects

    rules = training_subjects()
    for subject in rules.subjects:
        for name in (subject.title, *subject.aliases):
            assert [s.code for s in _subjects(rules, f"{name} - Level 1")] == [subject.code], name


def test_an_employee_number_two_employers_share_is_refused_unless_the_name_says_whose(workspace, pcn, tmp_path):
    """Numbers are unique only at their employer: Alpha's 1001 and Beta's 1001 were one key, and
    the completion went to whichever of the two was read last, without a word."""
    from arrs_desk.store.models import Staff

    admin = pcn.actors["admin"]
    with workspace.db.write() as session:  # Sam is employed by Alpha, Bogdan by Beta
        for who in ("sam", "bogdan"):
            session.get(Staff, pcn.staff_ids[who]).employee_number = "1001"
    done = (TODAY - timedelta(days=10)).strftime("%d/%m/%Y")
    with pytest.raises(ImportRejected) as rejected:
        workspace.training.import_completions(admin, path=_csv(tmp_path, ["Employee number,Course,Completed",
                                                                          f"1001,Fire safety,{done}"]))
    [problem] = rejected.value.problems
    assert problem.field == "person" and "more than one member of staff" in problem.message
    assert workspace.training.person(admin, staff_id=pcn.staff_ids["bogdan"]).records == ()
    named = _csv(tmp_path, ["Employee number,Name,Course,Completed", f"1001,Sam Okonkwo,Fire safety,{done}"])
    assert workspace.training.import_completions(admin, path=named).created == 1
    assert [r.subject_code for r in workspace.training.person(admin, staff_id=pcn.staff_ids["sam"]).records] == [
        "fire-safety"]
    assert workspace.training.person(admin, staff_id=pcn.staff_ids["bogdan"]).records == ()


def test_a_name_written_family_name_first_finds_the_person(workspace, pcn, tmp_path):
    """Learning systems and ESR write "Okonkwo, Sam": the comma was dropped but the order kept, so
    every row read "No member of staff matches Okonkwo, Sam."."""
    admin = pcn.actors["admin"]
    done = (TODAY - timedelta(days=10)).strftime("%d/%m/%Y")
    path = _csv(tmp_path, ["Learner name,Course,Completed", f"\"Okonkwo, Sam\",Fire safety,{done}",
                           f"Lou Marchetti,Fire safety,{done}"])
    assert workspace.training.import_completions(admin, path=path).people == 2
    assert [r.subject_code for r in workspace.training.person(admin, staff_id=pcn.staff_ids["sam"]).records] == [
        "fire-safety"]


def test_a_line_manager_cannot_import_for_another_team(workspace, pcn, tmp_path):
    done = (TODAY - timedelta(days=10)).strftime("%d/%m/%Y")
    path = _csv(tmp_path, ["Name,Course,Completed", f"Bogdan Popescu,Fire safety,{done}"])
    with pytest.raises(ImportRejected) as rejected:
        workspace.training.import_completions(pcn.actors["helen"], path=path)
    assert [(p.field, p.message) for p in rejected.value.problems] == [
        ("person", "No member of staff matches Bogdan Popescu.")]
    assert workspace.training.person(pcn.actors["admin"], staff_id=pcn.staff_ids["bogdan"]).records == ()


def test_someone_the_importer_may_not_see_reads_as_no_one_not_by_name_nor_as_staff(workspace, pcn, tmp_path):
    """"You cannot record training for pm.beta@nhs.example" (and, before that, for Bogdan Popescu)
    told a line manager that the address was a member of staff's outside their team, where an
    address nobody has was "No member of staff matches": anyone could test addresses and employee
    numbers. Both now read the same; an employee number two other teams' staff share too."""
    from arrs_desk.store.models import Staff

    with workspace.db.write() as session:
        session.get(Staff, pcn.staff_ids["bogdan"]).email = "pm.beta@nhs.example"
        session.get(Staff, pcn.staff_ids["bogdan"]).employee_number = "1001"
    done = (TODAY - timedelta(days=10)).strftime("%d/%m/%Y")
    path = _csv(tmp_path, ["Email,Employee number,Course,Completed", f"pm.beta@nhs.example,,Fire safety,{done}",
                           f"nobody@nhs.example,,Fire safety,{done}", f",1001,Fire safety,{done}",
                           f",9999,Fire safety,{done}"])
    with pytest.raises(ImportRejected) as rejected:
        workspace.training.import_completions(pcn.actors["helen"], path=path)
    assert [p.message for p in rejected.value.problems] == [
        "No member of staff matches pm.beta@nhs.example.", "No member of staff matches nobody@nhs.example.",
        "No member of staff matches 1001.", "No member of staff matches 9999."]
    assert "Bogdan" not in str(rejected.value) and "Popescu" not in str(rejected.value)


def test_someone_the_importer_sees_but_may_not_record_for_is_told_why(workspace, tmp_path):
    """A supervisor sees their supervisee's record but does not record their training: the refusal
    says so, in the file's words, as the person is no secret to them."""
    from arrs_desk.services.supervision import ArrangementInput

    pcn = build_small_pcn(workspace, SYSTEM, members=(HELEN, YUSUF, SAM), admin="Ada Admin")
    workspace.supervision.create_arrangement(pcn.actors["admin"], data=ArrangementInput(
        staff_id=pcn.staff_ids["sam"], type_code="clinical", supervisor_staff_id=pcn.staff_ids["yusuf"],
        start_date=TODAY - timedelta(days=100), end_date=None, frequency_code=""))
    done = (TODAY - timedelta(days=10)).strftime("%d/%m/%Y")
    path = _csv(tmp_path, ["Email,Course,Completed", f"sam.okonkwo@nhs.example,Fire safety,{done}"])
    with pytest.raises(ImportRejected) as rejected:
        workspace.training.import_completions(pcn.actors["yusuf"], path=path)
    [problem] = rejected.value.problems
    assert problem.message.startswith("You cannot record training for sam.okonkwo@nhs.example")


def test_exports_are_written_and_audited(workspace, pcn, tmp_path):
    admin = pcn.actors["admin"]
    workspace.training.record(admin, data=_done(pcn, "sam", "fire-safety", days_ago=700))  # due soon: 2-yearly
    saved = workspace.training.export(admin, path=tmp_path / "training.csv")
    text = saved.path.read_text(encoding="utf-8-sig")
    assert "Sam Okonkwo" in text and "Due by" in text and "Compliance" in text
    xlsx = workspace.training.export(admin, path=tmp_path / "training.xlsx", file_format="xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(xlsx.path).active
    assert sheet.title == "Training" and sheet["A4"].value == "Name"
    ics = workspace.training.calendar(admin, path=tmp_path / "training.ics")
    body = ics.path.read_bytes()
    assert body.count(b"BEGIN:VEVENT") == ics.rows > 0 and b"Fire safety (level 1): Sam Okonkwo" in body
    assert len(workspace.audit_log.entries(admin, flt=AuditFilter(action="export"))) == 3


def test_the_calendars_events_keep_their_ids_from_one_day_to_the_next(workspace, pcn, tmp_path, clock):
    """Made again the next day, a never-done course's event had a new UID (it held today's date),
    so importing the newer file into a calendar doubled those events."""
    import re

    admin = pcn.actors["admin"]
    workspace.training.record(admin, data=_done(pcn, "sam", "fire-safety", days_ago=700))

    def uids() -> set[bytes]:
        body = workspace.training.calendar(admin, path=tmp_path / "training.ics").path.read_bytes()
        return set(re.findall(rb"UID:([^\r\n]+)", body))

    first = uids()
    clock.advance(timedelta(days=1))
    assert any(b"never" in u for u in first) and uids() == first


def test_the_database_picks_the_same_completions_as_the_domain_rule_on_random_data(workspace, pcn):
    """The matrix asks the database for the newest completion per level (GROUP BY); the domain's
    `latest_per_level` says which those are. Random histories, including future-dated rows."""
    import random

    from arrs_desk.domain.training import Completion, latest_per_level, training_subjects
    from arrs_desk.domain.dates import stored_date
    from arrs_desk.services.training.reading import completions_by_person, newest_per_level
    from arrs_desk.store.models import TrainingRecord

    rng = random.Random(19)
    subjects = training_subjects().subjects
    rows = []
    for key in ("sam", "lou", "helen"):
        for _ in range(40):
            subject = rng.choice(subjects)
            rows.append(TrainingRecord(staff_id=pcn.staff_ids[key], subject_code=subject.code,
                                       level=rng.choice(subject.levels).level,
                                       completed_on=TODAY + timedelta(days=rng.randint(-2000, 30))))
    with workspace.db.write() as session:
        session.add_all(rows)
    with workspace.db.read() as session:
        found = completions_by_person(session, None, TODAY)
        laid_out = newest_per_level(session, None, TODAY, subjects)  # the matrix's: by subject position
    for key in ("sam", "lou", "helen"):
        sid = pcn.staff_ids[key]
        for i, subject in enumerate(subjects):
            mine = [Completion(r.level, r.completed_on) for r in rows
                    if r.staff_id == sid and r.subject_code == subject.code and r.completed_on <= TODAY]
            assert sorted(found[sid].get(subject.code, []), key=lambda c: c.level) == \
                sorted(latest_per_level(mine), key=lambda c: c.level)
            assert [Completion(level, stored_date(day)) for level, day in laid_out[sid][i]] == \
                found[sid].get(subject.code, [])


def test_people_with_the_same_completion_share_one_pair_for_the_matrix_to_find_by_identity(workspace, pcn):
    """`newest_per_level` hands a (level, day) pair that several people have as one object, so the
    matrix's look-ups of states by pairs find it without comparing text; values as before. Each
    person's pairs come in the subjects' order, () for a subject never done."""
    from arrs_desk.domain.training import training_subjects
    from arrs_desk.services.training.reading import newest_per_level

    admin = pcn.actors["admin"]
    workspace.training.record_many(admin, data=[_done(pcn, who, "fire-safety", days_ago=40) for who in ("sam", "lou")]
                                   + [_done(pcn, "sam", "resuscitation", level=level) for level in (1, 2)])
    subjects = training_subjects().subjects
    at = {s.code: i for i, s in enumerate(subjects)}
    with workspace.db.read() as session:
        found = newest_per_level(session, None, TODAY, subjects)
    sam, lou = found[pcn.staff_ids["sam"]], found[pcn.staff_ids["lou"]]
    assert len(sam) == len(lou) == len(subjects)
    assert sam[at["fire-safety"]] is lou[at["fire-safety"]] and len(sam[at["fire-safety"]]) == 1
    assert [level for level, _ in sam[at["resuscitation"]]] == [1, 2]
    assert lou[at["resuscitation"]] == () and sum(map(len, lou)) == 1


def test_many_completions_each_get_the_entry_that_names_them_and_one_permission_check(workspace, pcn):
    """`record_many`: each audit entry names the record it is about (the ids come back in the
    order given), and everyone's permission is one statement however many people."""
    from sqlalchemy import select

    from arrs_desk.store.models import AuditEntry, TrainingRecord
    from tests.support.statements import statements_sent

    helen = pcn.actors["helen"]
    items = [_done(pcn, who, subject, days_ago=days) for days, (who, subject) in enumerate(
        [("sam", "fire-safety"), ("lou", "resuscitation"), ("sam", "information-governance"),
         ("lou", "fire-safety"), ("sam", "moving-handling"), ("lou", "information-governance")], start=3)]
    with statements_sent(workspace.db.engine) as seen:
        assert workspace.training.record_many(helen, data=items) == len(items)
    assert sum("WITH RECURSIVE chains" in s for s in seen) == 1
    with workspace.db.read() as session:
        records = {r.id: r for r in session.execute(select(TrainingRecord)).scalars()}
        entries = session.execute(select(AuditEntry).where(AuditEntry.entity_type == "training")).scalars().all()
    assert len(entries) == len(items)
    for entry in entries:
        record = records[int(entry.entity_id)]
        assert entry.subject_staff_id == record.staff_id
        assert entry.changes["subject_code"] == [None, record.subject_code]
        assert entry.changes["completed_on"] == [None, record.completed_on.isoformat()]
