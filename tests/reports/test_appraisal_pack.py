"""The appraisal pack PDF from plain data: every page headed and numbered, tables that run over a
page repeat their headings, and hostile text prints as typed without breaking the build."""

from __future__ import annotations

import io
import unicodedata
from dataclasses import replace
from datetime import date, timedelta

from pypdf import PdfReader

from arrs_desk.reports.appraisal_pack import build_appraisal_pack
from arrs_desk.reports.pack_blocks import Grid, Heading, pack_blocks
from arrs_desk.reports.pack_data import PackImpact, PackObjective, PackSession
from arrs_desk.reports.pack_html import pack_html
from tests.pack_support import START, sample_pack

HOSTILE = "<b>bold?</b> & <para>not a tag</para> <font color='red'>red</font> &amp; </td> 😀🙂 ≤ ½"
LONG_NOTE = ("A very long reflective note that goes on and on. " * 420)[:20_000]


def pages(data) -> list[str]:
    buffer = build_appraisal_pack(io.BytesIO(), data)
    reader = PdfReader(io.BytesIO(buffer.getvalue()))
    return [unicodedata.normalize("NFKC", page.extract_text()) for page in reader.pages]


def flat(text: str) -> str:
    return " ".join(text.split())


def test_every_page_has_the_name_confidential_header_and_page_n_of_m():
    texts = pages(sample_pack())
    assert len(texts) >= 6
    for number, text in enumerate(texts, start=1):
        assert "Zoë Ōkubo" in text and "Confidential - staff record" in text
        assert f"Page {number} of {len(texts)}" in text
        assert "Printed 24/11/2026" in text


def test_sections_and_figures_are_printed():
    text = flat("\n".join(pages(sample_pack())))
    assert "96% complete: 52 of 54 items done, 1 overdue, 1 awaiting sign-off." in text
    assert "Clinical supervision Monthly 11 12" in text
    assert "Line management 02/08/2026 24/11/2026 114" in text
    assert "falls (11); referrals (5); medication (6)" in text
    assert "72% achieved, with 91% of the time used" in text
    assert "Referrals in the year 212" in text and "WEMWBS change +6 points" in text
    assert "☐ Agreed" in text


def test_an_empty_year_says_so_in_every_section():
    empty = replace(sample_pack(), earlier_reviews=(), previous_objectives=(), previous_pdp=(), current_review=None,
                    current_objectives=(), current_pdp=(), impact=(), audit=(), programmes=(),
                    supervision=replace(sample_pack().supervision, types=(), sessions=(), gaps=(), themes=()))
    text = flat("\n".join(pages(empty)))
    for line in ("No supervision is arranged or recorded for this person in the period.",
                 "No preceptorship or training programme is recorded for Zoë Ōkubo.",
                 "No review was held in the period before this one.",
                 "No objectives were recorded at earlier reviews.",
                 "No review has been started for this period yet.",
                 "No impact examples are recorded in the period.",
                 "Nothing about this person was recorded or signed in the period."):
        assert line in text, line


def test_long_tables_split_across_pages_and_repeat_their_heading_row():
    sessions = tuple(PackSession(START + timedelta(days=3 * i), "Clinical supervision", "Dr Yusuf Raghunathan", 60,
                                 "One-to-one", f"Session number {i}: case review") for i in range(120))
    data = sample_pack(supervision=replace(sample_pack().supervision, sessions=sessions))
    texts = pages(data)
    with_sessions = [t for t in texts if "Session number" in t]
    assert len(with_sessions) >= 3
    assert all("Topics" in t for t in with_sessions)  # the heading row on every page the table reaches
    assert "Session number 119: case review" in "\n".join(texts)


def test_hostile_text_prints_as_typed():
    note = HOSTILE + "\n\n" + LONG_NOTE
    names = ("محمد الحسن", "Аня Петрова", "Zoë Ōkubo 🙂")
    data = sample_pack(
        person=replace(sample_pack().person, display_name=names[0], line_manager=names[1], appraiser=names[2]),
        previous_objectives=(PackObjective(HOSTILE, LONG_NOTE[:4000], date(2026, 6, 30), "Achieved", LONG_NOTE,
                                           "Agreed <at> the review"),),
        impact=(PackImpact(date(2026, 5, 1), "Case study", HOSTILE, note, "", "", names[1]),),
        current_review=replace(sample_pack().current_review, self_assessment=note, reflections="\x00\x07 bell\ud800"),
    )
    texts = pages(data)
    text = "\n".join(texts)
    assert len(texts) > 12  # the long notes run on over many pages
    assert "<b>bold?</b> & <para>not a tag</para> <font color='red'>red</font> &amp; </td>" in text
    assert "A very long reflective note that goes on and on." in text
    assert text.count("goes on and on") > 1000  # all of it, in each place it was entered
    assert " ".join(reversed(names[0].split())) in text  # drawn right to left, so read from the left
    assert "Аня Петрова" in text and "Zoë Ōkubo" in text
    assert "bell" in text
    for number, page in enumerate(texts, start=1):
        assert f"Page {number} of {len(texts)}" in page


def test_the_blocks_do_not_change_with_the_renderer():
    blocks = pack_blocks(sample_pack())
    headings = [b.text for b in blocks if isinstance(b, Heading) and b.level == 1]
    assert headings[0] == "1. Profile" and headings[-1] == "10. Signatures"
    grids = [b for b in blocks if isinstance(b, Grid)]
    assert all(abs(sum(g.widths) - 1) < 1e-9 and len(g.widths) == len(g.headers) for g in grids)
    assert all(len(row) == len(g.headers) for g in grids for row in g.rows)


def test_the_printable_html_escapes_user_text():
    data = sample_pack(impact=(PackImpact(date(2026, 5, 1), "Case study", HOSTILE, "<script>x</script>", "", "", "A"),))
    html = pack_html(data)
    assert "&lt;b&gt;bold?&lt;/b&gt; &amp; &lt;para&gt;" in html
    assert "<script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    assert "Zoë Ōkubo" in html and "10. Signatures" in html


def test_no_page_ends_with_a_section_heading():
    """However long the sections before it run, a heading moves to the next page with its text."""
    import re

    base = sample_pack()
    headings = {b.text for b in pack_blocks(base) if isinstance(b, Heading)}
    for count in range(0, 48, 2):  # pushes every later heading through every position on a page
        sessions = tuple(replace(base.supervision.sessions[0], topics=f"Session {i}") for i in range(count))
        for page in pages(replace(base, supervision=replace(base.supervision, sessions=sessions)))[1:]:
            body = [line.strip() for line in page.splitlines()
                    if line.strip() and not re.match(r"Printed \d\d/\d\d/\d{4}|Page \d+ of \d+$", line.strip())]
            assert body[-1] not in headings, (count, body[-1])


def test_the_audit_appendix_keeps_each_entry_whole_on_one_page():
    """Split over a page break, an entry lost its When, Who and What on the next page, and the heading
    row was repeated mid-page before it."""
    from datetime import datetime, timezone

    from arrs_desk.reports.pack_data import PackAuditLine

    lines = tuple(PackAuditLine(datetime(2026, 1 + i % 11, 3, 9, i % 60, tzinfo=timezone.utc), "ARRS Desk (system)",
                                "Confirmed", f"Entry {i:03d}: recorded, on their behalf, Ruth Castellano's confirmation "
                                f"as supervisor of the session of 01/12/2025 with محمد الحسن (signed 09/12/2025, "
                                "received on paper)" + " and more words" * (i % 7) + f" end{i:03d}")
                  for i in range(120))  # rows of different heights, so page breaks fall inside some
    texts = [flat(page) for page in pages(sample_pack(audit=lines))]
    appendix = [t for t in texts if "Entry 0" in t or "Entry 1" in t]
    assert len(appendix) > 2  # runs over several pages
    for page in appendix:
        assert page.count("When Who What Details") <= 1
    for i in range(120):
        holding = [t for t in appendix if f"Entry {i:03d}" in t]
        assert len(holding) == 1 and f"end{i:03d}" in holding[0], i  # the whole entry on one page
