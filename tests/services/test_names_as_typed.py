"""Issue 15: a name cannot carry bidi controls (an override made "Override" show reversed and could
make one name pass for another), and a tab pasted into a one-line field becomes a space."""

from __future__ import annotations

from dataclasses import replace

from arrs_desk.services._common import clean_text
from tests.supervision_support import make_team, staff


def test_single_line_text_loses_bidi_controls_and_keeps_words_apart():
    assert clean_text("\u202eedirrevO\u202c Smith") == "edirrevO Smith"
    assert clean_text("Mary\tSmith") == "Mary Smith"
    assert clean_text("Mary \t Smith") == "Mary Smith"
    assert clean_text("\u2067محمد\u2069") == "محمد"


def test_free_text_keeps_what_was_typed():
    note = "Line one\n\tindented \u202eکلمه\u202c"
    assert clean_text(note, multiline=True) == note


def test_a_name_saved_with_an_override_reads_as_typed(workspace, system_actor):
    team = make_team(workspace, system_actor)
    data = replace(staff([team.alpha], given="\u202eAnna", family="Smith\tJones"), email="anna.sj@nhs.net")
    made = workspace.staff.create(system_actor, data=data)
    assert (made.data.given_name, made.data.family_name) == ("Anna", "Smith Jones")
    assert made.display_name == "Anna Smith Jones"
