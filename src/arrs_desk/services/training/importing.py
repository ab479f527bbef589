"""Importing completions from a learning system's export (CSV or Excel): all or nothing, every
problem named by its row and field, as the staff import does.

The columns are found by their headings (a person by e-mail, employee number or name; the course;
its level; the completion date; the provider). A course is matched to a subject when its text
holds the words of the subject's title, its code or one of its aliases (resources/training/
subjects.json), so "Safeguarding Adults - Level 2 (e-LfH)" is safeguarding adults at level 2 and
"Data Security Awareness - Level 1" is information governance; a course naming two subjects is refused, one row per subject. A
completion already recorded is skipped, so the same export can be imported again after a month's
courses without doubling anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlmodel import Session

from arrs_desk.domain.dates import parse_uk_date
from arrs_desk.domain.permissions import Action, Relationship, denial
from arrs_desk.domain.staff import search_key
from arrs_desk.domain.staff_import import cell_text
from arrs_desk.domain.training import SubjectsFile
from arrs_desk.errors import ValidationError
from arrs_desk.services.actor import Actor
from arrs_desk.services.import_table import read_table
from arrs_desk.services.relationships import relationship
from arrs_desk.services.staff_import import ImportRejected, RowProblem
from arrs_desk.services.training.views import TrainingImportResult, TrainingInput
from arrs_desk.services.training.writing import add_many, checked
from arrs_desk.store.models import Staff, TrainingRecord

HEADINGS = {
    "email": ("email", "e-mail", "email address", "work email"),
    "employee_number": ("employee number", "assignment number", "staff number", "payroll number", "employee id"),
    "name": ("name", "full name", "learner", "learner name", "staff name", "employee name"),
    "course": ("course", "subject", "competence", "competence name", "course title", "module", "training"),
    "level": ("level",),
    "completed_on": ("completed", "completed on", "completion date", "date completed", "achieved", "date"),
    "provider": ("provider", "source", "delivered by"),
}
LEVEL_IN_TEXT = re.compile(r"\b(?:level|lvl|l)\s*(\d+|one|two|three|four|five)\b", re.IGNORECASE)
"""A level written in a course's name or the Level column: "Level 3", "L2", "level three". Any
number is read, so that "level 7" is refused by the subject's own levels rather than taken as 1."""
LEVEL_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
LABELS = {"person": "Person", "course": "Course", "subject_code": "Course", "level": "Level",
          "completed_on": "Completed", "provider": "Provider", "evidence": "Evidence"}
"""What a problem's field is called in the file's terms, for "Row 4, Completed: ..."."""
_WORD = re.compile(r"\w+")
_WITH_TIME = re.compile(r"^(\S+)[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")


def find_columns(headings: list[str]) -> dict[str, int]:
    keys = [search_key(h).strip() for h in headings]
    found = {}
    for field, names in HEADINGS.items():
        for index, key in enumerate(keys):
            if key in names and index not in found.values():
                found[field] = index
                break
    return found


@dataclass(frozen=True)
class _Person:
    """Whom a row matched: an id only. A refusal names the row in the file's own words, so the
    import never shows a line manager the name of someone outside their team."""

    id: int


def _people(session: Session) -> tuple[dict[str, _Person], dict[str, list[_Person]], dict[str, list[_Person]]]:
    """Everyone by e-mail (unique), by employee number and by name. An employee number is unique
    only at its employer, so two practices' payrolls may both have a 1001: kept as a list, like
    names, rather than the last one read silently taking the other's training."""
    by_email, by_number, by_name = {}, {}, {}
    for s in session.execute(select(Staff.id, Staff.given_name, Staff.family_name, Staff.preferred_name, Staff.email,
                                    Staff.employee_number)):
        person = _Person(s.id)
        if s.email:
            by_email[s.email.strip().casefold()] = person
        if s.employee_number:
            by_number.setdefault(s.employee_number.strip().casefold(), []).append(person)
        for given in {s.given_name, s.preferred_name} - {""}:
            by_name.setdefault(search_key(given, s.family_name), []).append(person)
    return by_email, by_number, by_name


def _name_key(name: str) -> str:
    """A name as `_people` keys it, given names first: "Okonkwo, Sam" (family name first, as ESR
    and learning systems write it) is "Sam Okonkwo"."""
    family, comma, given = name.partition(",")
    return search_key(*(f"{given} {family}" if comma else name).split())


def _words(text: str) -> list[str]:
    """A course name's or a title's words, folded, without "and" (or "&")."""
    return [word for word in _WORD.findall(search_key(text)) if word != "and"]


def _subjects(rules: SubjectsFile, text: str) -> list:
    """Every subject the course names: all the words of its title or of one of its aliases (the
    names e-LfH and ESR give it: "Data Security Awareness", "Prevent awareness"), in any order ("Moving &
    Handling", "Adults safeguarding"), or its code's ("Health and Safety"). Whole words only, so
    "Prevent" is not "Preventing falls". A combined course names two: "Safeguarding Adults and
    Children Level 3" was read as adults alone, the first subject found, and the children's course
    went unrecorded without a word. A subject's whole names match only the whole course name, its
    level aside: "Prevent - Level 1", not "How to prevent falls"."""
    words = _words(text)
    found, phrase = set(words), f" {' '.join(words)} "
    whole = _words(LEVEL_IN_TEXT.sub(" ", text))
    return [s for s in rules.subjects
            if any(set(_words(name)) <= found for name in (s.title, *s.aliases))
            or any(_words(name) == whole for name in s.whole_names)
            or f" {s.code.replace('-', ' ')} " in phrase]


def _date(value: object, today: date) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value)
    timed = _WITH_TIME.fullmatch(text)  # "2025-12-31 00:00:00": a spreadsheet's date saved as CSV
    return parse_uk_date(timed.group(1) if timed else text, today=today)


def _level(level_text: str, course: str, default: int) -> int | None:
    """The level the row gives, the subject's usual level when it gives none, None when it gives
    one that cannot be read ("Level Three" is read; "Lvl III" is not)."""
    if level_text:
        found = LEVEL_IN_TEXT.fullmatch(f"level {level_text}" if level_text.isdigit() else level_text) \
            or LEVEL_IN_TEXT.fullmatch(f"level {level_text.strip()}")
        if found is None:
            return None
    else:
        found = LEVEL_IN_TEXT.search(course)
        if found is None:
            return default
    written = found.group(1).lower()
    return LEVEL_WORDS[written] if written in LEVEL_WORDS else int(written)


def import_file(session: Session, actor: Actor, path: str | Path, rules: SubjectsFile, today: date,
                sheet: str | None = None) -> TrainingImportResult:
    table = read_table(path, sheet)
    cols = find_columns(table.headings)
    if "course" not in cols or "completed_on" not in cols or not ({"email", "employee_number", "name"} & cols.keys()):
        raise ValidationError.single("file", (
            f"{table.source} needs a column for the course, one for the completion date, and one that says who "
            "(e-mail, employee number or name). Rename the headings and import again."))
    by_email, by_number, by_name = _people(session)
    existing = {(r.staff_id, r.subject_code, r.level, r.completed_on) for r in session.execute(
        select(TrainingRecord.staff_id, TrainingRecord.subject_code, TrainingRecord.level, TrainingRecord.completed_on))}
    problems: list[RowProblem] = []
    wanted: list[tuple[TrainingInput, dict]] = []
    standing: dict[int, Relationship] = {}

    def refused(person_id: int, action: Action) -> str | None:
        if person_id not in standing:
            standing[person_id] = relationship(session, actor, person_id, today)
        return denial(actor.roles, action, standing[person_id])

    def cell(row: list, field: str) -> object:
        index = cols.get(field)
        return row[index] if index is not None and index < len(row) else None

    for row, number in zip(table.rows, table.row_numbers):
        person = None
        email, staff_no, name = (cell_text(cell(row, f)) for f in ("email", "employee_number", "name"))
        if email:
            person = by_email.get(email.casefold())
        holders = by_number.get(staff_no.casefold(), []) if person is None and staff_no else []
        if len(holders) == 1:
            person = holders[0]
        if person is None and name:
            matches = by_name.get(_name_key(name), [])
            if len(holders) > 1:  # the name says which of the number's holders
                matches = [p for p in matches if p in holders]
            person = matches[0] if len(matches) == 1 else None
        if person is None and len(holders) > 1 and any(not refused(p.id, Action.VIEW_STAFF) for p in holders):
            problems.append(RowProblem(number, "person", (
                f"Employee number {staff_no[:40]} belongs to more than one member of staff (each employer numbers "
                "its own staff); add a column with their e-mail address or name."), LABELS["person"]))
            continue
        who = email or staff_no or name or "(blank)"
        if person is None or refused(person.id, Action.VIEW_STAFF):
            # Someone the importer may not see reads as no one: a refusal of its own confirmed to
            # anyone that an e-mail address or employee number belongs to a member of staff.
            problems.append(RowProblem(number, "person", f"No member of staff matches {who}.", LABELS["person"]))
            continue
        if refused(person.id, Action.RECORD_TRAINING):
            problems.append(RowProblem(number, "person", (
                f"You cannot record training for {who}: only the person themself, their line manager or an "
                "administrator can."), LABELS["person"]))
            continue
        course = cell_text(cell(row, "course"))
        subjects = _subjects(rules, course)
        if not subjects:
            problems.append(RowProblem(number, "course", f"'{course[:80]}' is not one of the training subjects.",
                                       LABELS["course"]))
            continue
        if len(subjects) > 1:
            problems.append(RowProblem(number, "course", (
                f"'{course[:80]}' names more than one subject ({', '.join(s.title for s in subjects)}); give each "
                "its own row, with its own level."), LABELS["course"]))
            continue
        [subject] = subjects
        level_text = cell_text(cell(row, "level"))
        level = _level(level_text, course, subject.default_level)
        if level is None:
            problems.append(RowProblem(number, "level", f"'{level_text[:40]}' is not a level: write it as a number, "
                                       "such as 2 or Level 2.", LABELS["level"]))
            continue
        written = cell_text(cell(row, "completed_on"))
        completed = _date(cell(row, "completed_on"), today)
        if completed is None and written:
            problems.append(RowProblem(number, "completed_on", f"'{written[:40]}' is not a date: write it day first, "
                                       "such as 31/12/2025.", LABELS["completed_on"]))
            continue
        data = TrainingInput(person.id, subject.code, level, completed, provider=cell_text(cell(row, "provider")))
        try:
            values = checked(data, rules, today)
        except ValidationError as exc:
            problems += [RowProblem(number, field, message, LABELS.get(field, field))
                         for field, message in exc.errors.items()]
            continue
        key = (person.id, subject.code, level, data.completed_on)
        if key not in existing:
            existing.add(key)
            wanted.append((data, values))
    if problems:
        raise ImportRejected(problems)
    if not wanted:
        return TrainingImportResult(0, 0)
    ids = add_many(session, actor, [d for d, _values in wanted], rules, today, source="imported", origin=table.source)
    return TrainingImportResult(len(ids), len({d.staff_id for d, _values in wanted}))
