"""The four regulator packs and the appraisal pack's revalidation section, from plain data: the
figures come from the requirement list (the rules file), every page is headed and numbered, a long
CPD log runs over pages whole, and only the subject's data is printed."""

from __future__ import annotations

import io
import unicodedata
from dataclasses import replace

import pytest
from pypdf import PdfReader

from arrs_desk.domain.regulator_packs import PACKS
from arrs_desk.reports.appraisal_pack import build_appraisal_pack
from arrs_desk.reports.regulator_blocks import LAYOUTS
from arrs_desk.reports.regulator_pack import build_regulator_pack
from tests.pack_support import sample_pack
from tests.regulator_pack_support import LONG_TITLE, NAME, sample_regulator_pack


def pages(data, reqs) -> list[str]:
    buffer = build_regulator_pack(io.BytesIO(), data, reqs)
    return [unicodedata.normalize("NFKC", p.extract_text()) for p in PdfReader(io.BytesIO(buffer.getvalue())).pages]


def flat(texts: list[str]) -> str:
    return " ".join(" ".join(texts).split())


def test_every_regulator_with_a_pack_has_a_layout():
    assert set(PACKS) == set(LAYOUTS) == {"NMC", "HCPC", "GPHC", "GMC"}


@pytest.mark.parametrize("code", sorted(PACKS))
def test_every_page_is_headed_with_the_unicode_name_and_numbered(code):
    texts = pages(*sample_regulator_pack(code))
    assert len(texts) >= 3
    for number, text in enumerate(texts, start=1):
        assert NAME in text and "Confidential - staff record" in text
        assert f"Page {number} of {len(texts)}" in text and "Printed 24/11/2026" in text
    assert PACKS[code].title in texts[0]


def test_the_nmc_pack_shows_each_requirement_against_the_rules_with_a_mark():
    text = flat(pages(*sample_regulator_pack("NMC")))
    assert "7 of 9 requirements met." in text
    assert "CPD hours: 60 hours recorded of 35 hours required · ✓ Met" in text
    assert "Participatory CPD hours: 30 hours recorded of 20 hours required · ✓ Met" in text
    assert "Pieces of practice-related feedback: 3 recorded of 5 required · ✗ Not met" in text
    assert "Professional indemnity arrangement: 0 recorded of 1 required · ✗ Not met" in text
    assert "Sam Reid-Ørsted 09B5678E" in text  # the reflective discussion partner and their PIN
    assert "Confirmer Sam Reid-Ørsted" in text


def test_the_counts_come_from_the_requirement_list_not_the_code():
    data, reqs = sample_regulator_pack("NMC")
    stricter = tuple(replace(r, need=45, met=False) if r.code == "cpd-hours" else r for r in reqs)
    text = flat(pages(data, stricter))
    assert "CPD hours: 60 hours recorded of 45 hours required · ✗ Not met" in text
    assert "of 35 hours" not in text


def test_forty_cpd_entries_with_long_titles_run_over_pages_each_whole():
    texts = pages(*sample_regulator_pack("NMC", cpd_count=40))
    text = flat(texts)
    for i in range(40):
        assert (f"Asthma update part {i} " in text) or i % 7 == 0
    assert text.count(" ".join(LONG_TITLE.split()[:4])) == 6
    with_table = [t for t in texts if "Asthma update part" in t]
    assert len(with_table) >= 2
    assert all("Participatory" in t for t in with_table)  # the header row repeats on every page


def test_the_hcpc_profile_has_the_five_standards_the_reflections_and_the_audit_note():
    text = flat(pages(*sample_regulator_pack("HCPC")))
    for standard in ("Standard 1:", "Standard 2:", "Standards 3 and 4:", "Standard 5:"):
        assert standard in text
    assert "Summary of practice" in text and "Reflection 4: I now review inhaler technique" in text
    assert "Course or study day 26 39" in text  # the mix of activities: count and hours
    assert "Audit Not recorded in ARRS Desk." in text


def test_the_gphc_record_counts_planned_records_and_the_renewal_date():
    text = flat(pages(*sample_regulator_pack("GPHC", cpd_count=5)))
    assert "Planned CPD records: 2 recorded of 2 required · ✓ Met" in text
    assert "Application due 01/05/2027" in text
    assert "Peer discussion: 1 recorded of 1 required" in text


def test_the_gmc_summary_marks_each_kind_covered_or_not_yet():
    text = flat(pages(*sample_regulator_pack("GMC", cpd_count=3)))
    assert "3 of 6 requirements covered." in text
    assert "Significant events 0 1 ✗ Not yet" in text and "Quality improvement activity 1 1 ✓ Covered" in text
    assert "Significant events · ✗ Not yet (0 recorded)" in text


def test_a_pack_prints_nobody_elses_name():
    data, reqs = sample_regulator_pack("NMC", name="Alex Ng", cpd_count=2, evidence=())
    text = flat(pages(data, reqs))
    assert "Alex Ng" in text and NAME not in text and "Sam Reid" not in text
    assert "Nothing of this kind is recorded for this cycle." in text


def test_the_appraisal_pack_has_a_revalidation_section_only_for_a_registrant():
    data, _reqs = sample_regulator_pack("NMC", cpd_count=4)
    revalidation = replace(data.revalidation, evidence_counts=(("Reflective account", 5), ("Feedback", 3)))

    def text_of(pack) -> str:
        buffer = build_appraisal_pack(io.BytesIO(), pack)
        return flat([unicodedata.normalize("NFKC", p.extract_text())
                     for p in PdfReader(io.BytesIO(buffer.getvalue())).pages])

    text = text_of(sample_pack(revalidation=revalidation))
    assert "Revalidation Register Nursing and Midwifery Council · NMC register (nurses and nursing associates) · 09A1234E" in text
    assert "Cycle 01/06/2024 to 31/05/2027" in text and "Due 01/05/2027" in text
    assert "On track. Nursing and Midwifery Council revalidation due 01/05/2027" in text
    assert "CPD hours 6 35 Not yet" in text and "Reflective account: 5; Feedback: 3" in text
    assert "Nursing and Midwifery Council" not in text_of(sample_pack())


def test_markup_typed_into_a_record_prints_as_typed_and_a_long_reflection_flows_on():
    from tests.regulator_pack_support import sample_cpd

    hostile = "<b>bold?</b> & <para>not a tag</para>"
    cpd = tuple(replace(c, title=hostile if i == 0 else c.title,
                        reflection=("A long reflection on practice. " * 700) if i == 1 else c.reflection)
                for i, c in enumerate(sample_cpd(3)))
    texts = pages(*sample_regulator_pack("GPHC", cpd=cpd))
    text = flat(texts)
    assert "<b>bold?</b> & <para>not a tag</para>" in text
    assert text.count("A long") == 700 and len(texts) >= 5  # a page break may fall inside a sentence


def test_a_long_name_in_the_page_header_is_one_line_above_the_rule():
    """A long name wrapped to three lines in the header, ran through its rule and into the page's
    first heading; it is now one line cut with '…', the full name on the cover and in the pack."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from arrs_desk.reports.appraisal_pack import WIDTH
    from arrs_desk.reports.fonts import BOLD

    name = "Maximiliana Anastasia Konstantina Evangelina Wilhelmina Featherstonehaugh-Cholmondeley-Marjoribanks"
    texts = pages(*sample_regulator_pack("NMC", cpd_count=10, name=name))
    for text in texts[1:]:
        header = text.split("\n")[0].replace("...", "…")  # the text is NFKC: '…' reads back as '...'
        assert header.startswith("Maximiliana Anastasia") and header.endswith("…"), header
        assert stringWidth(header, BOLD, 8.5) <= WIDTH * 0.62
    assert name in flat(texts)
