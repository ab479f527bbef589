"""Induction templates and the rules for following a checklist."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from arrs_desk.domain.catalogue import builtin_catalogue
from arrs_desk.domain.induction import (
    ANY_ROLE,
    TAGS,
    ExpiryStatus,
    InductionTemplate,
    ItemStatus,
    Progress,
    add_months,
    builtin_templates,
    due_date,
    expires_on,
    expiry_status,
    item_input_problems,
    section_title_problem,
    item_status,
    items_for_role,
    load_templates,
    not_applicable_problem,
    parse_offset_days,
    progress,
    renewal_status,
    sections_for_role,
    template_item,
)
from arrs_desk.errors import ResourceFileError
from arrs_desk.paths import resource_path

REQUIRED_TAGS = {
    "it-access", "job-plan", "clinical-supervisor-named", "line-manager-named", "registration-check",
    "dbs", "indemnity", "mandatory-training", "safeguarding", "probation-review", "pathway-enrolment",
    "peer-network", "workspace",
}
GENERIC_SECTIONS = ["before-day-one", "day-one", "first-week", "first-month", "first-three-months"]


def generic() -> InductionTemplate:
    return next(t for t in builtin_templates() if t.is_generic)


def role_template(code: str) -> InductionTemplate:
    return next(t for t in builtin_templates() if t.roles == (code,))


def all_items():
    return [item for t in builtin_templates() for item in t.items]


# --------------------------------------------------------------------------- built-in templates


class TestBuiltinTemplates:
    def test_generic_template_loads_with_the_standard_sections(self):
        template = generic()
        assert template.code == "GENERIC"
        assert template.roles == (ANY_ROLE,)
        assert [s.code for s in template.sections] == GENERIC_SECTIONS
        assert 40 <= len(template.items) <= 50

    def test_every_arrs_role_has_a_role_file_named_after_it(self):
        folder = resource_path("induction", "roles")
        arrs_roles = [role for role in builtin_catalogue().roles if role.arrs]
        assert len(arrs_roles) >= 21
        for role in arrs_roles:
            path = folder / f"{role.code}.json"
            assert path.is_file(), f"no induction file for role {role.code}"
            template = role_template(role.code)
            assert template.code == f"ROLE-{role.code}"
            assert 3 <= len(template.items) <= 8, role.code

    def test_supervisor_and_manager_roles_get_the_generic_checklist(self):
        generic_keys = {item.key for item in generic().items}
        for role in builtin_catalogue().roles:
            if not role.arrs:
                assert {item.key for item in items_for_role(role.code)} == generic_keys, role.code

    def test_role_files_name_only_catalogue_roles(self):
        known = {r.code for r in builtin_catalogue().roles}
        for template in builtin_templates():
            if not template.is_generic:
                assert set(template.roles) <= known, template.code

    def test_item_keys_unique_across_all_templates(self):
        keys = [item.key for item in all_items()]
        assert len(keys) == len(set(keys))

    def test_required_tags_are_in_the_vocabulary_and_used(self):
        used = {tag for item in all_items() for tag in item.tags}
        assert REQUIRED_TAGS <= set(TAGS)
        assert REQUIRED_TAGS <= used
        assert used <= set(TAGS)
        assert set(TAGS) == used, f"vocabulary tags never used: {set(TAGS) - used}"

    def test_generic_covers_the_contract_essentials(self):
        tags = {tag for item in generic().items for tag in item.tags}
        for tag in ("it-access", "workspace", "dbs", "registration-check", "indemnity", "line-manager-named",
                    "clinical-supervisor-named", "job-plan", "peer-network", "probation-review",
                    "induction-signoff", "supervision-session", "supervision-agreement", "safeguarding"):
            assert tag in tags, tag

    def test_generic_timing_of_key_milestones(self):
        by_key = {item.key: item for item in generic().items}
        assert by_key["induction-signoff"].due_offset_days == 28
        assert by_key["induction-signoff"].needs_signoff
        assert by_key["first-supervision-session"].due_offset_days <= 30
        assert by_key["dbs-check"].due_offset_days < 0
        assert by_key["registration-verified"].due_offset_days < 0
        assert by_key["probation-review"].section == "first-three-months"

    def test_expiring_training_has_the_expected_validity(self):
        by_key = {item.key: item for item in generic().items}
        assert by_key["basic-life-support"].validity_months == 12
        assert by_key["data-security-training"].validity_months == 12
        assert by_key["safeguarding-children-training"].validity_months == 36
        assert by_key["safeguarding-adults-training"].validity_months == 36
        for item in generic().items:
            if item.validity_months is not None:
                assert "mandatory-training" in item.tags and item.evidence_expected, item.key

    def test_every_role_with_a_training_pathway_has_an_enrolment_item(self):
        for code in ("CPH", "PTECH", "SPLW", "HWBC", "CCO", "PARA", "FCPP", "DIET", "OT", "POD", "PA",
                     "TNA", "GPA", "GPN", "HCSW"):
            assert any("pathway-enrolment" in i.tags for i in role_template(code).items), code

    def test_role_specific_content(self):
        assert "pcpep" in " ".join(i.key for i in role_template("CPH").items)
        para = {i.key: i for i in role_template("PARA").items}
        assert para["para-preceptorship-complete"].due_offset_days == 84
        assert any("prescribing" in i.tags for i in para.values())
        assert any("lone-working" in i.tags for i in para.values())
        for code in ("FCPP", "DIET", "OT", "POD"):
            assert f"{code.lower()}-roadmap-stage2-started" in {i.key for i in role_template(code).items}
        assert any("scope-of-practice" in i.tags for i in role_template("PA").items)

    def test_items_within_each_template_sit_in_their_sections_timeline(self):
        generic_items = generic().items
        for item in generic_items:
            if item.section == "before-day-one":
                assert item.due_offset_days < 0, item.key
            elif item.section == "day-one":
                assert item.due_offset_days == 0, item.key
            elif item.section == "first-week":
                assert 1 <= item.due_offset_days <= 7, item.key
            elif item.section == "first-month":
                assert 8 <= item.due_offset_days <= 31, item.key
            else:
                assert item.due_offset_days > 31, item.key

    def test_guidance_is_present_and_short(self):
        for item in all_items():
            assert item.guidance, item.key
            assert item.guidance.count(". ") <= 3, item.key

    def test_builtin_templates_are_cached(self):
        assert builtin_templates() is builtin_templates()


class TestItemsForRole:
    def test_generic_plus_role_items(self):
        items = items_for_role("PARA")
        keys = [i.key for i in items]
        assert len(items) == len(generic().items) + len(role_template("PARA").items)
        assert "para-preceptorship-started" in keys and "welcome-meeting" in keys
        assert not any(k.startswith("cph-") for k in keys)

    def test_ordered_by_section_then_offset(self):
        items = items_for_role("CPH")
        order = {s.code: i for i, s in enumerate(sections_for_role("CPH"))}
        sort_keys = [(order[i.section], i.due_offset_days) for i in items]
        assert sort_keys == sorted(sort_keys)
        assert [s.code for s in sections_for_role("CPH")] == GENERIC_SECTIONS + ["role-specific"]
        # Section order wins over offset: a role item due before day one still comes after day 90.
        assert items[-1].section == "role-specific"
        assert items[0].section == "before-day-one"

    def test_unknown_role_gets_generic_items_only(self):
        assert [i.key for i in items_for_role("LOCAL-ROLE")] == [
            i.key for i in sorted(generic().items, key=lambda i: (GENERIC_SECTIONS.index(i.section),
                                                                  i.due_offset_days))
        ]

    def test_template_item_lookup(self):
        assert template_item("para-visit-kit").title
        assert template_item("no-such-item") is None


# --------------------------------------------------------------------------- malformed files


def write_template(tmp_path: Path, name: str = "bad.json", **changes) -> Path:
    doc = {
        "schema": "arrs-desk/induction-template",
        "version": 1,
        "code": "TEST",
        "title": "Test template",
        "roles": ["*"],
        "sections": [{"code": "day-one", "title": "Day one"}],
        "items": [
            {"key": "first-item", "title": "First item", "guidance": "", "section": "day-one",
             "due_offset_days": 0, "completed_by": "starter", "needs_signoff": False,
             "validity_months": None, "evidence_expected": False, "tags": []},
        ],
    }
    item_changes = changes.pop("item", None)
    doc.update(changes)
    if item_changes is not None:
        doc["items"][0].update(item_changes)
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


class TestMalformedFiles:
    def test_valid_minimal_file_loads(self, tmp_path):
        (template,) = load_templates([write_template(tmp_path, "ok.json")])
        assert template.items[0].key == "first-item"

    def test_bad_json_names_file_and_position(self, tmp_path):
        path = tmp_path / "broken.json"
        path.write_text('{"schema": "arrs-desk/induction-template",', encoding="utf-8")
        with pytest.raises(ResourceFileError) as info:
            load_templates([path])
        assert "broken.json" in info.value.message
        assert "not valid JSON" in info.value.message
        assert "line 1" in info.value.message

    def test_missing_title(self, tmp_path):
        path = tmp_path / "notitle.json"
        doc = json.loads(write_template(tmp_path).read_text())
        del doc["items"][0]["title"]
        path.write_text(json.dumps(doc), encoding="utf-8")
        with pytest.raises(ResourceFileError) as info:
            load_templates([path])
        assert "notitle.json" in info.value.message
        assert "items[0].title" in info.value.message

    def test_blank_title(self, tmp_path):
        path = write_template(tmp_path, "blank.json", item={"title": "   "})
        with pytest.raises(ResourceFileError, match=r"(?s)blank\.json.*items\[0\]\.title"):
            load_templates([path])

    def test_title_too_long(self, tmp_path):
        path = write_template(tmp_path, "long.json", item={"title": "x" * 201})
        with pytest.raises(ResourceFileError, match=r"items\[0\]\.title"):
            load_templates([path])

    def test_guidance_too_long(self, tmp_path):
        path = write_template(tmp_path, "guide.json", item={"guidance": "x" * 2001})
        with pytest.raises(ResourceFileError, match=r"items\[0\]\.guidance"):
            load_templates([path])

    def test_offset_more_than_a_year_before_start(self, tmp_path):
        path = write_template(tmp_path, "early.json", item={"due_offset_days": -400})
        with pytest.raises(ResourceFileError) as info:
            load_templates([path])
        message = info.value.message
        assert "early.json" in message
        assert "items[0].due_offset_days" in message
        assert "more than a year before the start" in message

    def test_offset_limits_are_inclusive(self, tmp_path):
        assert load_templates([write_template(tmp_path, "a.json", item={"due_offset_days": -365})])
        assert load_templates([write_template(tmp_path, "b.json", item={"due_offset_days": 730})])
        with pytest.raises(ResourceFileError, match="two years after"):
            load_templates([write_template(tmp_path, "c.json", item={"due_offset_days": 731})])

    @pytest.mark.parametrize("value", [3.5, "3", True, None])
    def test_offset_must_be_a_json_integer(self, tmp_path, value):
        path = write_template(tmp_path, "type.json", item={"due_offset_days": value})
        with pytest.raises(ResourceFileError, match=r"items\[0\]\.due_offset_days: must be a whole number"):
            load_templates([path])

    def test_unknown_section(self, tmp_path):
        path = write_template(tmp_path, "section.json", item={"section": "week-one"})
        with pytest.raises(ResourceFileError) as info:
            load_templates([path])
        assert "section.json" in info.value.message
        assert "items[0].section" in info.value.message
        assert "'week-one'" in info.value.message

    def test_duplicate_key_within_a_file(self, tmp_path):
        path = write_template(tmp_path, "dupe.json")
        doc = json.loads(path.read_text())
        doc["items"].append(dict(doc["items"][0], title="Second"))
        path.write_text(json.dumps(doc), encoding="utf-8")
        with pytest.raises(ResourceFileError) as info:
            load_templates([path])
        assert "dupe.json" in info.value.message
        assert "items[1].key" in info.value.message
        assert "first-item" in info.value.message

    def test_duplicate_key_across_files(self, tmp_path):
        one = write_template(tmp_path, "one.json")
        two = write_template(tmp_path, "two.json", code="ROLE-X", roles=["PARA"])
        with pytest.raises(ResourceFileError) as info:
            load_templates([one, two])
        assert "two.json" in info.value.message and "one.json" in info.value.message
        assert "first-item" in info.value.message

    def test_two_templates_for_one_role(self, tmp_path):
        one = write_template(tmp_path, "one.json", code="ROLE-A", roles=["PARA"])
        two = write_template(tmp_path, "two.json", code="ROLE-B", roles=["PARA"], item={"key": "other"})
        with pytest.raises(ResourceFileError, match="'PARA' already has a template in one.json"):
            load_templates([one, two])

    def test_unknown_tag(self, tmp_path):
        path = write_template(tmp_path, "tag.json", item={"tags": ["it-access", "made-up"]})
        with pytest.raises(ResourceFileError, match=r"items\[0\]\.tags: unknown tag\(s\) 'made-up'"):
            load_templates([path])

    def test_bad_key_and_extra_field(self, tmp_path):
        path = write_template(tmp_path, "key.json", item={"key": "Fire Safety", "colour": "red"})
        with pytest.raises(ResourceFileError) as info:
            load_templates([path])
        assert "items[0].key" in info.value.message
        assert "items[0].colour" in info.value.message

    def test_star_must_stand_alone(self, tmp_path):
        path = write_template(tmp_path, "star.json", roles=["*", "PARA"])
        with pytest.raises(ResourceFileError, match="must stand alone"):
            load_templates([path])

    def test_validity_must_be_positive_whole_months(self, tmp_path):
        with pytest.raises(ResourceFileError, match=r"items\[0\]\.validity_months"):
            load_templates([write_template(tmp_path, "v.json", item={"validity_months": 0})])
        with pytest.raises(ResourceFileError, match=r"items\[0\]\.validity_months"):
            load_templates([write_template(tmp_path, "w.json", item={"validity_months": 12.5})])


# --------------------------------------------------------------------------- due dates and status

MONDAY = date(2025, 3, 3)


class TestDueDate:
    def test_offsets_are_calendar_days(self):
        assert due_date(MONDAY, 0) == MONDAY
        assert due_date(MONDAY, -14) == date(2025, 2, 17)
        assert due_date(MONDAY, 28) == date(2025, 3, 31)

    def test_weekends_are_not_special(self):
        assert due_date(MONDAY, 5) == date(2025, 3, 8)  # a Saturday stays a Saturday
        assert due_date(MONDAY, 5).weekday() == 5
        assert due_date(MONDAY, -1) == date(2025, 3, 2)  # Sunday


class TestItemStatus:
    due = date(2025, 3, 10)

    def test_due_today_is_not_overdue(self):
        assert item_status(self.due, self.due) is ItemStatus.DUE

    def test_due_yesterday_is_overdue(self):
        assert item_status(self.due, date(2025, 3, 11)) is ItemStatus.OVERDUE

    def test_due_tomorrow_is_not_due_yet(self):
        assert item_status(self.due, date(2025, 3, 9)) is ItemStatus.NOT_DUE_YET

    def test_a_step_before_day_one_is_overdue_only_from_the_day_after_day_one(self):
        before = due_date(MONDAY, -7)
        assert item_status(before, MONDAY - timedelta(days=1), day_one=MONDAY) is ItemStatus.DUE
        assert item_status(before, MONDAY, day_one=MONDAY) is ItemStatus.DUE
        assert item_status(before, MONDAY + timedelta(days=1), day_one=MONDAY) is ItemStatus.OVERDUE
        assert item_status(self.due, date(2025, 3, 11), day_one=MONDAY) is ItemStatus.OVERDUE  # after day one: as before

    def test_weekend_due_date_still_overdue_on_monday(self):
        saturday = date(2025, 3, 8)
        assert item_status(saturday, date(2025, 3, 10)) is ItemStatus.OVERDUE

    def test_due_soon_window(self):
        assert item_status(self.due, date(2025, 3, 7), due_soon_days=3) is ItemStatus.DUE
        assert item_status(self.due, date(2025, 3, 6), due_soon_days=3) is ItemStatus.NOT_DUE_YET

    def test_ticked_without_signoff_is_complete_even_late(self):
        assert item_status(self.due, date(2025, 4, 1), ticked=True) is ItemStatus.COMPLETE

    def test_awaiting_signoff_is_not_overdue(self):
        late = date(2025, 4, 1)
        assert item_status(self.due, late, ticked=True, needs_signoff=True) is ItemStatus.AWAITING_SIGNOFF
        assert item_status(self.due, date(2025, 3, 1), ticked=True, needs_signoff=True) is (
            ItemStatus.AWAITING_SIGNOFF
        )

    def test_signed_off_is_complete(self):
        assert item_status(self.due, date(2025, 4, 1), ticked=True, needs_signoff=True, signed_off=True) is (
            ItemStatus.COMPLETE
        )

    def test_needs_signoff_but_not_ticked_follows_the_date(self):
        assert item_status(self.due, date(2025, 3, 11), needs_signoff=True) is ItemStatus.OVERDUE

    def test_returned_wins_over_date_and_awaiting(self):
        assert item_status(self.due, date(2025, 3, 1), returned=True) is ItemStatus.RETURNED
        assert item_status(self.due, date(2025, 4, 1), needs_signoff=True, returned=True) is ItemStatus.RETURNED
        assert item_status(self.due, date(2025, 4, 1), ticked=True, needs_signoff=True, returned=True) is (
            ItemStatus.RETURNED
        )

    def test_not_applicable_wins(self):
        assert item_status(self.due, date(2025, 4, 1), not_applicable=True) is ItemStatus.NOT_APPLICABLE

    def test_labels(self):
        assert ItemStatus.AWAITING_SIGNOFF.label == "Awaiting sign-off"
        assert all(status.label for status in ItemStatus)


class TestProgress:
    def test_not_applicable_items_leave_the_denominator(self):
        statuses = [ItemStatus.COMPLETE, ItemStatus.COMPLETE, ItemStatus.OVERDUE, ItemStatus.NOT_APPLICABLE]
        assert progress(statuses) == Progress(done=2, applicable=3, percent=66)

    def test_awaiting_signoff_does_not_count_as_done(self):
        result = progress([ItemStatus.COMPLETE, ItemStatus.AWAITING_SIGNOFF])
        assert result.done == 1 and result.percent == 50 and result.remaining == 1

    def test_never_shows_100_with_work_outstanding(self):
        statuses = [ItemStatus.COMPLETE] * 199 + [ItemStatus.RETURNED]
        assert progress(statuses).percent == 99

    def test_all_done(self):
        assert progress([ItemStatus.COMPLETE, ItemStatus.NOT_APPLICABLE]).percent == 100

    def test_nothing_applicable(self):
        assert progress([ItemStatus.NOT_APPLICABLE]) == Progress(done=0, applicable=0, percent=100)
        assert progress([]) == Progress(0, 0, 100)

    def test_accepts_a_generator(self):
        assert progress(s for s in [ItemStatus.DUE, ItemStatus.COMPLETE]).applicable == 2


class TestNotApplicableReason:
    @pytest.mark.parametrize("reason", [None, "", "   ", "n/a", "N/A", "na", "-", "...", "none", "Not applicable",
                                        "x", "ok", "aaaaaa"])
    def test_rejected(self, reason):
        assert not_applicable_problem(reason)

    @pytest.mark.parametrize("reason", ["Unregistered role", "Already has a smartcard from the trust",
                                        "Works remotely only"])
    def test_accepted(self, reason):
        assert not_applicable_problem(reason) is None


# --------------------------------------------------------------------------- expiry


class TestExpiry:
    def test_add_months_clamps_to_month_end(self):
        assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
        assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
        assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
        assert add_months(date(2025, 3, 31), 1) == date(2025, 4, 30)
        assert add_months(date(2025, 11, 15), 3) == date(2026, 2, 15)
        assert add_months(date(2025, 3, 15), -3) == date(2024, 12, 15)

    def test_expires_on(self):
        assert expires_on(date(2024, 3, 15), 12) == date(2025, 3, 15)
        assert expires_on(date(2023, 1, 31), 36) == date(2026, 1, 31)
        assert expires_on(date(2025, 1, 31), 1) == date(2025, 2, 28)
        with pytest.raises(ValueError):
            expires_on(date(2025, 1, 1), -1)

    def test_boundaries(self):
        done = date(2024, 3, 15)  # 12-month training expires 2025-03-15
        expiry = date(2025, 3, 15)
        assert expiry_status(done, 12, expiry) is ExpiryStatus.EXPIRING  # still valid on the day
        assert expiry_status(done, 12, date(2025, 3, 16)) is ExpiryStatus.EXPIRED
        assert expiry_status(done, 12, date(2024, 12, 15)) is ExpiryStatus.EXPIRING  # 90 days before
        assert (expiry - date(2024, 12, 15)).days == 90
        assert expiry_status(done, 12, date(2024, 12, 14)) is ExpiryStatus.VALID  # 91 days before
        assert expiry_status(done, 12, date(2024, 6, 1)) is ExpiryStatus.VALID

    def test_month_end_expiry(self):
        done = date(2024, 1, 31)  # one month later is 29 Feb 2024
        assert expiry_status(done, 1, date(2024, 2, 29)) is ExpiryStatus.EXPIRING
        assert expiry_status(done, 1, date(2024, 3, 1)) is ExpiryStatus.EXPIRED

    def test_custom_window(self):
        done = date(2024, 3, 15)
        assert expiry_status(done, 12, date(2025, 2, 13), window_days=30) is ExpiryStatus.EXPIRING
        assert expiry_status(done, 12, date(2025, 2, 12), window_days=30) is ExpiryStatus.VALID

    def test_not_recorded_and_no_expiry(self):
        assert expiry_status(None, 12, date(2025, 1, 1)) is ExpiryStatus.NOT_RECORDED
        assert expiry_status(date(2010, 1, 1), None, date(2025, 1, 1)) is ExpiryStatus.VALID

    def test_renewal_status_for_registration(self):
        renewal = date(2025, 5, 31)
        assert renewal_status(renewal, renewal) is ExpiryStatus.EXPIRING
        assert renewal_status(renewal, date(2025, 6, 1)) is ExpiryStatus.EXPIRED
        assert renewal_status(renewal, date(2025, 3, 2)) is ExpiryStatus.EXPIRING  # 90 days
        assert renewal_status(renewal, date(2025, 3, 1)) is ExpiryStatus.VALID  # 91 days
        assert renewal_status(None, renewal) is ExpiryStatus.NOT_RECORDED
        with pytest.raises(ValueError):
            renewal_status(renewal, renewal, window_days=-1)


# --------------------------------------------------------------------------- template editor


class TestItemInputProblems:
    sections = GENERIC_SECTIONS

    def check(self, title="Meet the team", offset=0, section="day-one", **kwargs):
        return item_input_problems(title, offset, section, section_codes=self.sections, **kwargs)

    def test_valid_input(self):
        assert self.check() == {}
        assert self.check(offset="-7") == {}
        assert self.check(offset=" 14 ") == {}
        assert self.check(offset=-365) == {}
        assert self.check(validity_months="12", tags=["it-access"]) == {}

    @pytest.mark.parametrize("title", ["", "   ", None, "\u200b\u200b", "\u200c\u200d\u2060\ufeff"])
    def test_missing_title(self, title):
        assert set(self.check(title=title)) == {"title"}

    def test_a_title_with_a_zero_width_space_inside_words_is_fine(self):
        assert self.check(title="Meet\u200bthe team") == {}

    @pytest.mark.parametrize(("title", "fragment"), [("\u200b", "Enter a title"), ("x" * 81, "80 characters")])
    def test_section_title(self, title, fragment):
        assert fragment in section_title_problem(title)
        assert section_title_problem("First week") is None

    def test_long_title(self):
        assert "200" in self.check(title="x" * 201)["title"]

    @pytest.mark.parametrize("offset", ["3.5", "abc", "1e3", "--3", "+-1", 3.5, True])
    def test_offset_not_a_whole_number(self, offset):
        problems = self.check(offset=offset)
        assert set(problems) == {"due_offset_days"}
        assert "whole number" in problems["due_offset_days"]

    @pytest.mark.parametrize("offset", ["", None, "  "])
    def test_offset_missing(self, offset):
        assert "Enter when" in self.check(offset=offset)["due_offset_days"]

    def test_absurd_offset(self):
        assert "more than a year before the start" in self.check(offset="-400")["due_offset_days"]
        assert "two years after" in self.check(offset=731)["due_offset_days"]

    def test_section(self):
        assert "section" in self.check(section="")
        assert "week-one" in self.check(section="week-one")["section"]
        assert item_input_problems("Title", 0, "anything") == {}

    def test_validity_and_tags_and_guidance(self):
        assert "validity_months" in self.check(validity_months="0")
        assert "validity_months" in self.check(validity_months="1.5")
        assert "validity_months" not in self.check(validity_months="")
        assert "made-up" in self.check(tags=["made-up"])["tags"]
        assert "guidance" in self.check(guidance="x" * 2001)

    def test_fields_in_form_order(self):
        problems = item_input_problems("", "abc", "", section_codes=self.sections)
        assert list(problems) == ["title", "section", "due_offset_days"]

    def test_parse_offset_days(self):
        assert parse_offset_days("-7") == -7
        assert parse_offset_days(14) == 14
        assert parse_offset_days("3.5") is None
        assert parse_offset_days(False) is None
