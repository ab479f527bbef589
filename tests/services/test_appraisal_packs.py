"""Appraisal packs from stored records: the sections and figures are in the PDF, nobody else's
data is, only the right people may make one, and every pack made is in the audit trail."""

from __future__ import annotations

import unicodedata
from datetime import timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from arrs_desk.domain.dates import add_months
from arrs_desk.errors import PermissionDenied, ValidationError
from arrs_desk.paths import is_private
from arrs_desk.services.appraisal_packs import file_name
from arrs_desk.services.supervision import SessionInput
from arrs_desk.store.models import AuditEntry
from tests.date_support import days_ago, days_ahead, uk
from tests.review_support import TODAY, YEAR_START, impact, make_review_team, objective, pdp_item, review_input
from tests.supervision_support import STARTED, arrange, log

FIRST_APPRAISAL = days_ago(349)
"""Zoë's first annual appraisal, a fortnight into the pack's year (its default period)."""
GROUP_SESSION = days_ago(113)
"""Her last supervision: the next monthly one fell due a month later and has not happened."""


def pdf_text(path: Path) -> str:
    reader = PdfReader(str(path))
    return unicodedata.normalize("NFKC", "\n".join(page.extract_text() for page in reader.pages))


def visual_rtl(name: str) -> str:
    """How text extraction reads an all-Arabic name: in the order it is drawn, the words from the
    left of the page, which is the right way round for a right-to-left reader."""
    return " ".join(reversed(name.split()))


def flat(text: str) -> str:
    """Extracted text breaks lines inside table cells; compare with whitespace squeezed."""
    return " ".join(text.split())


@pytest.fixture
def team(workspace, system_actor):
    return make_review_team(workspace, system_actor)


@pytest.fixture
def year(workspace, team):
    """A year of Zoë's records, and some of Аня's that must never reach Zoë's pack."""
    reviews = workspace.reviews
    workspace.induction.create_checklist(team.helen, staff_id=team.zoe_id)
    arrange(workspace, team.helen, team.zoe_id, supervisor_id=team.gp_id, start=STARTED)
    arrange(workspace, team.bogdan, team.anya_id, supervisor_id=team.gp_id, start=STARTED)
    for held in (FIRST_APPRAISAL, days_ago(316), days_ago(288), days_ago(176), days_ago(145)):
        log(workspace, team.gp, [team.zoe_id], held, supervisor_id=team.gp_id)
    workspace.supervision.record_session(team.gp, data=SessionInput(
        type_code="clinical", held_on=GROUP_SESSION, attendee_ids=[team.zoe_id, team.anya_id],
        supervisor_staff_id=team.gp_id, duration_minutes=90, format="group",
        topics="Falls prevention and housing referrals"))
    log(workspace, team.gp, [team.anya_id], days_ago(84), supervisor_id=team.gp_id)

    first = reviews.create_review(team.helen, data=review_input(
        team, meeting=FIRST_APPRAISAL, start=STARTED, end=FIRST_APPRAISAL, outcome="agreed",
        summary="A strong first year building the link worker service.",
        objectives=[objective("Run a weekly falls prevention group", status="achieved", progress="44 people came."),
                    objective("Set up a carers' support group")],
        pdp=[pdp_item("Safeguarding level 3 refresher", status="done")]))
    first = reviews.sign(team.zoe, review_id=first.id, party="appraisee", expected_version=first.version)
    reviews.sign(team.gp, review_id=first.id, party="appraiser", expected_version=first.version)
    current = reviews.create_review(team.helen, data=review_input(
        team, meeting=days_ahead(9), start=FIRST_APPRAISAL + timedelta(days=1), end=TODAY, summary="",
        objectives=[objective("Lead the PCN's social prescribing audit", status="not-started")],
        pdp=[pdp_item("Motivational interviewing")]))
    reviews.write_self_assessment(team.zoe, review_id=current.id, expected_version=current.version,
                                  self_assessment="This year I took 212 referrals.", reflections="Saying no is hard.")
    reviews.add_impact(team.zoe, data=impact(team.zoe_id))
    reviews.add_impact(team.helen, data=impact(team.zoe_id, kind="process-measure", title="Referrals handled",
                                               description="", measure="Referrals in the year", value="212",
                                               day=days_ago(238)))
    reviews.add_impact(team.zoe, data=impact(team.zoe_id, title="An example from two years ago", day=days_ago(784)))
    # Аня's records: other people's data, with words that would stand out in Zoë's pack.
    anya = reviews.create_review(team.bogdan, data=review_input(
        team, staff_id=team.anya_id, appraiser_id=team.bogdan_id, outcome="agreed",
        summary="Quokka coaching service review.", objectives=[objective("Wombat wellbeing walks for the quokka group")],
        pdp=[pdp_item("Platypus coaching diploma")]))
    reviews.add_impact(team.anya, data=impact(team.anya_id, title="Quokka case study"))
    return {"first": first, "current": current, "anya": anya}


def test_the_pack_shows_the_persons_year(workspace, team, year, tmp_path):
    path = workspace.appraisal_packs.save_pack(team.helen, staff_id=team.zoe_id, path=tmp_path / "zoe.pdf")
    text = pdf_text(path)
    squeezed = flat(text)
    for section in ("Appraisal pack", "1. Profile", "2. Induction", "3. Supervision in the period",
                    "4. Preceptorship and programmes", "5. Reviews held in the period",
                    "6. Objectives for the period and progress", "7. This review: objectives and development plan",
                    "8. Impact examples", "9. Appendix: who recorded or signed what", "10. Signatures"):
        assert section in text, section
    assert text.count("Zoë Ōkubo") >= 10  # the header of every page, and throughout
    assert "Confidential - staff record" in text and "Page 1 of" in text
    assert f"Period covered {uk(YEAR_START)} to {uk(TODAY)}" in squeezed
    assert "Social prescribing link worker" in text and "Alpha Surgery, Beta Health Centre" in squeezed
    assert "Line manager Helen Whitfield" in squeezed and "Clinical supervision: Yusuf Raghunathan" in squeezed
    # Induction: a fresh checklist, nothing done yet.
    assert "0% complete" in text
    # Supervision: sessions in the period (the group one too) against twelve monthly ones expected.
    assert f"6 sessions recorded between {uk(YEAR_START)} and {uk(TODAY)}" in squeezed
    assert "Clinical supervision Monthly 6 12" in squeezed
    assert "Overdue from" in text and uk(add_months(GROUP_SESSION, 1)) in text  # none since the group session
    assert "case (5)" in squeezed  # a theme from the session topics
    # Reviews, objectives and the development plan.
    assert f"Annual appraisal · {uk(FIRST_APPRAISAL)}" in text
    assert "A strong first year building the link worker service." in squeezed
    assert "Run a weekly falls prevention group" in squeezed and "44 people came." in squeezed
    assert "Set up a carers' support group" in squeezed
    assert f"Carried forward from the annual appraisal of {uk(FIRST_APPRAISAL)}" in squeezed
    assert "Lead the PCN's social prescribing audit" in squeezed
    assert "Motivational interviewing" in squeezed and "Safeguarding level 3 refresher" in squeezed
    assert "This year I took 212 referrals." in squeezed and "Saying no is hard." in text
    # Impact in the period only.
    assert "Housing referral that prevented an admission" in squeezed and "Referrals in the year 212" in squeezed
    assert "An example from two years ago · Case study" not in squeezed  # only the audit line, made today
    # The appendix names who did what.
    assert "Yusuf Raghunathan signed the annual appraisal of Zoë Ōkubo as appraiser" in squeezed
    assert "No preceptorship or training programme is recorded for Zoë Ōkubo." in squeezed


def test_the_pack_holds_nobody_elses_data(workspace, team, year, tmp_path):
    text = pdf_text(workspace.appraisal_packs.save_pack(team.helen, staff_id=team.zoe_id, path=tmp_path / "zoe.pdf"))
    for word in ("Аня", "Петрова", "Quokka", "quokka", "Wombat", "Platypus", "Bogdan"):
        assert word not in text, word
    anya = pdf_text(workspace.appraisal_packs.save_pack(team.bogdan, staff_id=team.anya_id, path=tmp_path / "a.pdf"))
    assert "Аня Петрова" in anya and "Wombat wellbeing walks" in flat(anya)
    assert "Zoë" not in anya and "212" not in anya


def test_who_may_make_a_pack(workspace, team, year, tmp_path):
    for outsider in (team.bogdan, team.admin, team.anya):
        with pytest.raises(PermissionDenied):
            workspace.appraisal_packs.pack_data(outsider, staff_id=team.zoe_id)
    assert workspace.appraisal_packs.pack_data(team.zoe, staff_id=team.zoe_id).person.display_name == "Zoë Ōkubo"
    assert workspace.appraisal_packs.pack_data(team.gp, staff_id=team.zoe_id).current_review is not None
    # Those he appraises, and his own: anyone linked to their staff record may print their own pack.
    assert {p.display_name for p in workspace.appraisal_packs.printable(team.gp)} == {"Zoë Ōkubo", "Yusuf Raghunathan"}


def test_saving_a_pack_is_audited_as_a_print(workspace, team, year, tmp_path):
    start, end = days_ago(327), days_ago(147)
    path = workspace.appraisal_packs.save_pack(team.gp, staff_id=team.zoe_id, path=tmp_path / "zoe.pdf",
                                               start=start, end=end)
    with workspace.db.read() as session:
        entry = session.execute(select(AuditEntry).where(AuditEntry.action == "print")).scalar_one()
    assert (entry.user_id, entry.subject_staff_id, entry.entity_type) == (team.gp.user_id, team.zoe_id, "appraisal_pack")
    assert entry.summary == f"Saved the appraisal pack of Zoë Ōkubo for {uk(start)} to {uk(end)} as zoe.pdf"
    assert f"{uk(start)} to {uk(end)}" in pdf_text(path)
    assert not list(tmp_path.glob(".*partial"))
    workspace.appraisal_packs.record_printed(team.gp, staff_id=team.zoe_id, start=start, end=end,
                                             printer="Practice office laser")
    with workspace.db.read() as session:
        printed = session.execute(select(AuditEntry).where(AuditEntry.action == "print")
                                  .order_by(AuditEntry.id.desc())).scalars().first()
    assert printed.summary.endswith("on Practice office laser")


def test_a_pack_that_cannot_be_saved_leaves_no_file_and_no_audit(workspace, team, year, tmp_path):
    with pytest.raises(ValidationError, match="could not be saved"):
        workspace.appraisal_packs.save_pack(team.helen, staff_id=team.zoe_id, path=tmp_path / "missing" / "zoe.pdf")
    with workspace.db.read() as session:
        assert session.execute(select(AuditEntry).where(AuditEntry.action == "print")).first() is None


def test_periods_are_checked(workspace, team):
    with pytest.raises(ValidationError, match="before it starts"):
        workspace.appraisal_packs.pack_data(team.helen, staff_id=team.zoe_id, start=TODAY, end=days_ago(327))
    with pytest.raises(ValidationError, match="at most 24 months"):
        workspace.appraisal_packs.pack_data(team.helen, staff_id=team.zoe_id, start=add_months(TODAY, -83), end=TODAY)
    month_after = add_months(TODAY.replace(day=1), -4)
    end = month_after - timedelta(days=1)  # the last day of a month about five months ago
    data = workspace.appraisal_packs.pack_data(team.helen, staff_id=team.zoe_id, end=end)
    assert (data.period_start, data.period_end) == (month_after.replace(year=month_after.year - 1), end)


def test_a_batch_makes_one_pdf_each_and_reports_what_it_could_not(workspace, team, year, tmp_path):
    seen = []
    batch = workspace.appraisal_packs.save_packs(
        team.helen, staff_ids=[team.zoe_id, team.anya_id, team.newbie_id], folder=tmp_path / "packs",
        progress=lambda done, total, name: seen.append((done, total, name)))
    assert sorted(p.name for p in batch.saved) == [
        file_name("Zoë Ōkubo", team.zoe_id, TODAY), file_name("محمد الحسن", team.newbie_id, TODAY)]
    assert file_name("Zoë Ōkubo", 3, TODAY) == f"appraisal-pack-zoë-ōkubo-3-{TODAY:%Y-%m-%d}.pdf"
    assert [name for name, _ in batch.failed] == [f"staff id {team.anya_id}"]  # not hers to name (issue 15)
    assert seen[0] == (0, 3, "Zoë Ōkubo") and seen[-1] == (3, 3, "") and not batch.cancelled
    arabic = pdf_text(tmp_path / "packs" / file_name("محمد الحسن", team.newbie_id, TODAY))
    assert is_private(tmp_path / "packs") and all(is_private(p) for p in batch.saved)  # folder and packs: owner only
    assert visual_rtl("محمد الحسن") in arabic


def test_a_cancelled_batch_stops_between_packs(workspace, team, year, tmp_path):
    made = []
    batch = workspace.appraisal_packs.save_packs(
        team.helen, staff_ids=[team.zoe_id, team.newbie_id], folder=tmp_path,
        progress=lambda done, total, name: made.append(done), cancelled=lambda: len(made) >= 1)
    assert batch.cancelled and len(batch.saved) == 1
    assert len(list(tmp_path.glob("*.pdf"))) == 1


def test_a_pack_that_cannot_be_read_is_reported_in_its_turn_and_the_rest_are_made(workspace, team, year, tmp_path,
                                                                                 monkeypatch):
    """On a server the batch reads packs ahead of their turn, in workers: a pack whose read fails is
    still reported against that person, in order, and the packs either side of it are made."""
    from arrs_desk.errors import ValidationError
    from arrs_desk.services.appraisal_packs import AppraisalPackService

    real = AppraisalPackService._assembled

    def refusing(self, actor, staff_id, *args):
        if staff_id == team.zoe_id:
            raise ValidationError.single("period", "Nothing to print for this period.")
        return real(self, actor, staff_id, *args)

    monkeypatch.setattr(AppraisalPackService, "_assembled", refusing)
    seen = []
    batch = workspace.appraisal_packs.save_packs(
        team.helen, staff_ids=[team.newbie_id, team.zoe_id, team.newbie_id], folder=tmp_path / "packs",
        progress=lambda done, total, name: seen.append(name))
    assert [p.name for p in batch.saved] == [file_name("محمد الحسن", team.newbie_id, TODAY)]
    assert batch.failed == (("Zoë Ōkubo", "Nothing to print for this period."),)
    assert seen == ["محمد الحسن", "Zoë Ōkubo", ""]


def test_a_pack_the_pdf_maker_cannot_draw_is_reported_and_the_rest_are_made(workspace, team, year, tmp_path,
                                                                           monkeypatch, caplog):
    """A fault in drawing one person's PDF (ReportLab's shaping once failed on some Arabic text) loses
    that pack only: no file, not even a partial one, and the others in the batch are made."""
    from arrs_desk.reports import appraisal_pack

    real = appraisal_pack.build_appraisal_pack

    def failing(target, data):
        if data.person.display_name == "Zoë Ōkubo":
            raise IndexError("list index out of range")
        return real(target, data)

    monkeypatch.setattr(appraisal_pack, "build_appraisal_pack", failing)
    batch = workspace.appraisal_packs.save_packs(team.helen, staff_ids=[team.zoe_id, team.newbie_id],
                                                 folder=tmp_path / "packs")
    assert [p.name for p in batch.saved] == [file_name("محمد الحسن", team.newbie_id, TODAY)]
    assert [name for name, _ in batch.failed] == ["Zoë Ōkubo"]
    assert "could not be drawn" in batch.failed[0][1]
    assert sorted(p.name for p in (tmp_path / "packs").iterdir()) == [file_name("محمد الحسن", team.newbie_id, TODAY)]
    assert f"staff id {team.zoe_id} could not be drawn: IndexError" in caplog.text
    assert "Zoë" not in caplog.text  # the log names nobody


def test_a_returners_pack_holds_only_reviews_of_this_employment(workspace, system_actor, team):
    """Zoë left 250 days ago and came back 100 days ago: her pack listed the appraisal of the job she
    had left as held in the period, named its appraiser on the front page, and set out the earlier
    appraisal's objectives as this period's."""
    from tests.services.test_staff_lifecycle import save

    for meeting, appraiser, text in ((days_ago(500), team.gp_id, "Objective of the earlier job"),
                                     (days_ago(300), team.bogdan_id, "Another objective of the earlier job")):
        workspace.reviews.create_review(team.helen, data=review_input(
            team, meeting=meeting, start=add_months(meeting, -6), end=meeting, appraiser_id=appraiser,
            outcome="agreed", objectives=[objective(text)]), carry_forward=False)
    save(workspace, system_actor, team.zoe_id, status="left", end_date=days_ago(250), leaving_reason="Relocation")
    save(workspace, system_actor, team.zoe_id, status="active", start_date=days_ago(100), end_date=None)

    data = workspace.appraisal_packs.pack_data(team.helen, staff_id=team.zoe_id)
    assert (data.earlier_reviews, data.previous_objectives, data.previous_pdp, data.current_review) == ((), (), (), None)
    assert data.person.appraiser == ""


def test_a_gap_with_no_session_before_the_period_runs_from_the_periods_first_day(workspace, team, year):
    """Аня has been arranged for clinical supervision since she started, 22 months ago, and her first
    session came 113 days ago: overdue all year until then, not from a month into the year."""
    data = workspace.appraisal_packs.pack_data(team.bogdan, staff_id=team.anya_id)
    clinical = [g for g in data.supervision.gaps if g.type_title == "Clinical supervision"]
    assert (clinical[0].start, clinical[0].end) == (data.period_start, GROUP_SESSION)
    assert clinical[0].days == (GROUP_SESSION - data.period_start).days


def test_objectives_of_a_review_still_to_come_are_proposed_not_agreed(workspace, team, year):
    """The pack said "Agreed at the annual appraisal of <a date next week>" for the objectives of a
    review only booked: they are a draft until the meeting is held."""
    data = workspace.appraisal_packs.pack_data(team.helen, staff_id=team.zoe_id)
    booked = f"Proposed for the annual appraisal booked for {uk(days_ahead(9))}"
    assert [o.origin for o in data.current_objectives] == [
        f"{booked}.", f"{booked}. Carried forward from the annual appraisal of {uk(FIRST_APPRAISAL)}."]
    assert data.previous_objectives[0].origin.startswith(f"Agreed at the annual appraisal of {uk(FIRST_APPRAISAL)}")


def test_a_period_ending_after_today_counts_what_was_expected_up_to_today(workspace, team, year):
    """A pack for a period ending at a meeting two months away counted the sessions of those two
    months as expected and missed, and listed a gap running on past the day it was printed."""
    packs, start = workspace.appraisal_packs, days_ago(300)
    to_today = packs.pack_data(team.helen, staff_id=team.zoe_id, start=start, end=TODAY).supervision
    ahead = packs.pack_data(team.helen, staff_id=team.zoe_id, start=start, end=days_ahead(60)).supervision
    assert [(t.title, t.expected) for t in ahead.types] == [(t.title, t.expected) for t in to_today.types]
    assert ahead.gaps == to_today.gaps and all(g.end <= TODAY for g in ahead.gaps)


def test_the_packs_audit_lines_are_the_periods_days_in_england_at_englands_time(workspace, team):
    """The appendix cut the period at midnight UTC and printed UTC times, under dates that are all
    England's: something done at 00:30 on the period's first summer day (23:30 UTC the day before)
    was left out, and one done at 00:30 the day after its last was in, at "23:30" on its last day."""
    from datetime import date, datetime, time

    from arrs_desk import clock as app_clock
    from arrs_desk.services import audit
    from arrs_desk.services.appraisal_packs import AppraisalPackService

    first = date(TODAY.year - 1, 7, 15)  # summer time, within every date the suite runs on
    last = first + timedelta(days=9)
    for day in (first, last + timedelta(days=1)):
        previous = app_clock.install(app_clock.FixedClock(datetime.combine(day, time(0, 30), app_clock.UK)))
        try:
            with workspace.db.write() as session:
                audit.record(session, team.gp, "print", "appraisal_pack", team.zoe_id, f"Printed on {uk(day)}",
                             subject_staff_id=team.zoe_id)
        finally:
            app_clock.install(previous)
    with workspace.db.read() as session:
        lines, _ = AppraisalPackService._audit_lines(session, team.zoe_id, first, last)
    assert [(line.summary, line.at.strftime("%d/%m/%Y %H:%M")) for line in lines] == [
        (f"Printed on {uk(first)}", f"{uk(first)} 00:30")]
