"""The PCN's own supervision settings: its "due soon" window and its expected frequencies per role.

An administrator's change to an expected frequency is stored as a `SupervisionRequirement` row
for that (type, role) and laid over the built-in catalogue (`facts.load_catalogue`); removing the
row restores the built-in rule, so a newer built-in catalogue still reaches every role the PCN
has not changed.
"""

from __future__ import annotations

from sqlalchemy import select

from arrs_desk.domain.permissions import Action
from arrs_desk.domain.supervision import (
    builtin_supervision_catalogue, due_soon_problem, schedule_problem, schedule_summary,
)
from arrs_desk.errors import ValidationError
from arrs_desk.services import audit
from arrs_desk.services._common import apply_update, clean_text, get_or_404, require, stale_edit
from arrs_desk.services.actor import Actor
from arrs_desk.services.staff import Choice
from arrs_desk.services.supervision.base import SupervisionServiceBase
from arrs_desk.services.supervision.facts import DUE_SOON_KEY, load_due_soon
from arrs_desk.services.supervision.views import DueSoonSetting, RequirementRow
from arrs_desk.store.models import Role, Setting, SupervisionRequirement


class SupervisionSettings(SupervisionServiceBase):
    def due_soon_setting(self, actor: Actor) -> DueSoonSetting:
        with self._db.read() as session:
            row = session.get(Setting, DUE_SOON_KEY)
            return DueSoonSetting(load_due_soon(session), row.version if row else None)

    def set_due_soon_days(self, actor: Actor, *, days: int, expected_version: int | None) -> DueSoonSetting:
        require(actor, Action.MANAGE_SETTINGS)
        problem = due_soon_problem(days)
        if problem:
            raise ValidationError.single("due_soon_days", problem)
        with self._db.write() as session:
            row = session.get(Setting, DUE_SOON_KEY)
            old = load_due_soon(session)
            if row is None:
                if expected_version is not None:
                    raise stale_edit("setting")
                row = Setting(key=DUE_SOON_KEY, value=days)
                session.add(row)
                session.flush()
            else:
                apply_update(session, row, {"value": days}, expected_version or 0, "setting")
            audit.record(session, actor, "update", "setting", DUE_SOON_KEY,
                         f"Supervision is now shown as due soon {days} day(s) before the due date",
                         audit.diff({"due_soon_days": old}, {"due_soon_days": days}))
            return DueSoonSetting(days, row.version)

    @staticmethod
    def frequency_choices() -> tuple[Choice, ...]:
        catalogue = builtin_supervision_catalogue()
        return tuple(Choice(f.code, f.label) for f in catalogue.frequencies)

    def requirements(self, actor: Actor) -> list[RequirementRow]:
        """Every supervision type for every active role: the rule in force and whether it was edited."""
        require(actor, Action.MANAGE_TEMPLATES)
        with self._db.read() as session:
            edited = {(r.type_code, r.role_code): r for r in session.execute(select(SupervisionRequirement)).scalars()}
            roles = session.execute(select(Role.code, Role.title).where(Role.active).order_by(Role.title)).all()
        builtin = builtin_supervision_catalogue()
        rows = []
        for type_code in builtin.type_codes:
            title = builtin.type(type_code).title
            for role_code, role_title in roles:
                override = edited.get((type_code, role_code))
                if override is not None:
                    steps = tuple((int(m), str(c)) for m, c in override.schedule)
                    rule = (override.required, steps, override.until_month, override.note)
                else:
                    found = builtin.requirement(type_code, role_code)
                    rule = None if found is None else (
                        found.required, tuple((m, f.code) for m, f in found.steps), found.until_month, found.note)
                if rule is None:
                    rows.append(RequirementRow(type_code, title, role_code, role_title, False, False, (), None, "",
                                               "No rule: not expected", False, None))
                    continue
                required, steps, until, note = rule
                rows.append(RequirementRow(
                    type_code, title, role_code, role_title, True, required, steps, until, note,
                    schedule_summary(builtin, required, steps, until), override is not None,
                    override.version if override is not None else None,
                ))
        return rows

    def set_requirement(
        self, actor: Actor, *, type_code: str, role_code: str, required: bool, steps: list[tuple[int, str]],
        until_month: int | None = None, note: str = "", expected_version: int | None = None,
    ) -> RequirementRow:
        require(actor, Action.MANAGE_TEMPLATES)
        builtin = builtin_supervision_catalogue()
        errors: dict[str, str] = {}
        if builtin.type(type_code) is None:
            errors["type_code"] = "Choose a supervision type from the list."
        steps = [(int(m), str(c)) for m, c in steps]
        problem = schedule_problem(steps, until_month, (f.code for f in builtin.frequencies))
        if problem:
            errors["steps" if "end" not in problem else "until_month"] = problem
        if until_month is not None and not 1 <= until_month <= 600:
            errors["until_month"] = "The requirement must end between 1 and 600 months after the start date."
        note = clean_text(note, multiline=True)
        if len(note) > 500:
            errors["note"] = "The note is too long; 500 characters is the most."
        with self._db.write() as session:
            if session.get(Role, role_code) is None:
                errors["role_code"] = "Choose a role from the list."
            if errors:
                raise ValidationError(errors)
            values = {"required": bool(required), "schedule": [list(s) for s in steps], "until_month": until_month,
                      "note": note, "updated_by_name": actor.display_name}
            row = session.get(SupervisionRequirement, (type_code, role_code))
            old_rule = builtin.requirement(type_code, role_code)
            if row is None:
                if expected_version is not None:
                    raise stale_edit("expected frequency")
                before = {} if old_rule is None else {
                    "required": old_rule.required, "schedule": [[m, f.code] for m, f in old_rule.steps],
                    "until_month": old_rule.until_month}
                row = SupervisionRequirement(type_code=type_code, role_code=role_code, **values)
                session.add(row)
                session.flush()
            else:
                before = {"required": row.required, "schedule": row.schedule, "until_month": row.until_month, "note": row.note}
                apply_update(session, row, values, expected_version or 0, "expected frequency")
            audit.record(session, actor, "update", "supervision_requirement", f"{type_code}/{role_code}",
                         f"Changed the expected {builtin.type(type_code).title.lower()} for {role_code}",
                         audit.diff(before, {k: values[k] for k in ("required", "schedule", "until_month", "note")}))
        return next(r for r in self.requirements(actor) if (r.type_code, r.role_code) == (type_code, role_code))

    def reset_requirement(self, actor: Actor, *, type_code: str, role_code: str, expected_version: int) -> RequirementRow:
        """Back to the built-in rule for this type and role."""
        require(actor, Action.MANAGE_TEMPLATES)
        with self._db.write() as session:
            row = get_or_404(session, SupervisionRequirement, (type_code, role_code), "edited frequency")
            if row.version != expected_version:
                raise stale_edit("expected frequency")
            before = {"required": row.required, "schedule": row.schedule, "until_month": row.until_month}
            session.delete(row)
            audit.record(session, actor, "delete", "supervision_requirement", f"{type_code}/{role_code}",
                         f"Restored the built-in expected frequency of {type_code} for {role_code}",
                         audit.diff(before, {}))
        return next(r for r in self.requirements(actor) if (r.type_code, r.role_code) == (type_code, role_code))
