"""Issue 15: every name prints, whatever its script. Chinese, Japanese and Korean names and emoji
used to print as empty boxes and were missing from the PDF's text layer; now each is set in a
fallback font that has it, and a name can no longer carry bidi controls into a PDF."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from pypdf import PdfReader

from arrs_desk.reports.certificate_pdf import CertificateData, build_certificate_pdf
from arrs_desk.reports.fonts import font_for, font_runs, register_fonts
from arrs_desk.reports.styles import text

NAMES = {
    "Latin": "Zoë Ōkubo", "Cyrillic": "Аня Петрова", "Chinese": "王小明", "Japanese": "やまだ はなこ",
    "Korean": "김민준", "emoji": "Sam 🙂👍🏽",
}


def fonts_in(path) -> set[str]:
    found = set()
    for page in PdfReader(str(path)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            found.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return found


def text_of(path) -> str:
    return unicodedata.normalize("NFKC", "\n".join(p.extract_text() for p in PdfReader(str(path)).pages))


@pytest.mark.parametrize("script", list(NAMES))
def test_a_certificate_for_a_name_in_each_script_carries_the_name_in_its_text(tmp_path, script):
    name = NAMES[script]
    path = build_certificate_pdf(tmp_path / "c.pdf", CertificateData(
        person_name=name, role_title="Care coordinator", programme_title="Care coordinator induction",
        programme_code="CC-1", programme_version=1, start_date=date(2026, 1, 5), completed_on=date(2026, 4, 6),
        assessor_name="王小明", assessor_detail="", competencies_signed=3, milestones_held=2, protected_hours=10.0,
        pcn_name="Riverside and Moorland PCN", reference="CC-1-00001", issued_on=date(2026, 4, 7)))
    printed = text_of(path).replace(" ", "")
    for char in name.replace(" ", ""):
        if unicodedata.category(char) not in ("Sk",):  # a skin-tone modifier has no text of its own in some readers
            assert char in printed, f"{char!r} of {name!r} is missing from the PDF's text"


def test_the_fallback_fonts_are_embedded_only_where_needed(tmp_path):
    def certificate(name):
        return build_certificate_pdf(tmp_path / f"{len(name)}.pdf", CertificateData(
            person_name=name, role_title="Paramedic", programme_title="Paramedic preceptorship",
            programme_code="P-1", programme_version=1, start_date=date(2026, 1, 5), completed_on=date(2026, 4, 6),
            assessor_name="Yusuf Raghunathan", assessor_detail="", competencies_signed=3, milestones_held=2,
            protected_hours=10.0, pcn_name="Riverside PCN", reference="P-1-00001", issued_on=date(2026, 4, 7)))

    assert not {"DroidSansFallback", "NanumGothic", "Symbola"} & fonts_in(certificate("Zoë Ōkubo"))
    used = fonts_in(certificate("王小明 김민준 🙂"))
    assert {"DroidSansFallback", "NanumGothic", "Symbola"} <= used, used  # the embedded fonts by their own names


def test_each_character_goes_to_a_font_that_has_it():
    register_fonts()
    assert font_for("a") is None and font_for("Ж") is None and font_for("ب") is None
    assert font_for("王") == "ARRSFallbackCJK" and font_for("や") == "ARRSFallbackCJK"
    assert font_for("한") == "ARRSFallbackHangul" and font_for("🙂") == "ARRSFallbackSymbols"


def test_a_modifier_or_joiner_stays_with_its_emoji():
    register_fonts()
    assert font_runs("👍🏽 ok") == [("ARRSFallbackSymbols", "👍🏽"), (None, " ok")]
    assert font_runs("e\u0301") == [(None, "e\u0301")]


def test_markup_typed_in_a_name_stays_text_in_any_font():
    assert text("<b>王</b>") == '&lt;b&gt;<font name="ARRSFallbackCJK">王</font>&lt;/b&gt;'


def test_bidi_controls_never_reach_a_pdf():
    assert text("\u202eOverride\u202c") == "Override"


# Text a person may type that ReportLab's shaping could not print (it lost the whole appraisal pack):
# an Arabic vowel sign starting a wrapped line (IndexError in setRise), and a word mixing a fallback
# font's emoji with letters in a shaped paragraph (shaped in the wrong font: wrong glyphs, then
# "'TTFont' object has no attribute 'hbAddPrivate'").
SHAPED_HARD = {
    "vowel signs": "شكراً جزيلاً للفريق",
    "vowel sign mid-sentence": "Case review with Dr عبدُ الله and the team",
    "emoji touching letters": "Dr👩\u200d⚕️ الحسن staff",
    "emoji run": "😀👩\u200d⚕️ هذا",
}


@pytest.mark.parametrize("width_mm", [12, 15, 17, 25, 38, 41, 120])
@pytest.mark.parametrize("case", list(SHAPED_HARD))
def test_arabic_with_vowel_signs_or_beside_emoji_prints_at_any_column_width(tmp_path, case, width_mm):
    import io

    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate, Table

    from arrs_desk.reports.styles import para, stylesheet

    value = SHAPED_HARD[case]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer).build([Table([[para(text(value), stylesheet()["Cell"])]], colWidths=[width_mm * mm])])
    printed = unicodedata.normalize("NFKC", "".join(p.extract_text() for p in PdfReader(buffer).pages))
    printed = "".join(printed.split())
    for char in value:  # every letter and emoji is in the text layer (the Arabic letters in NFKC form)
        if unicodedata.category(char) in ("Lu", "Ll", "Lo", "So") and char != "\u2695":  # the staff of
            # Aesculapius is drawn (DejaVu has it), but some readers give back its emoji form
            assert char in printed, f"{char!r} of {value!r} is missing from the PDF's text at {width_mm} mm"


def test_a_word_mixing_fonts_is_shaped_in_each_of_its_fonts():
    """The emoji is drawn from the emoji font and the letters from DejaVu, in one shaped word."""
    from reportlab.pdfbase.ttfonts import ShapedFragWord
    from reportlab.platypus import paragraph

    from arrs_desk.reports.shaping import use_shaping

    register_fonts()
    use_shaping()

    class Frag:
        def __init__(self, font):
            self.fontName, self.fontSize = font, 10

    shaped = paragraph.shapeFragWord([30.0, (Frag("DejaVuSans"), "Dr"), (Frag("ARRSFallbackSymbols"), "👩")])
    assert isinstance(shaped, ShapedFragWord)
    assert [(f.fontName, str(s)) for f, s in shaped[1:]] == [("DejaVuSans", "Dr"), ("ARRSFallbackSymbols", "👩")]
    assert shaped[0] > 0


# Running headers and footers, drawn on the canvas: a name in them printed as empty boxes (a NUL in
# the text layer) and a long name ran off the page, over the page number or the report's date.
LONG_NAME = "Maximiliana Anastasia Konstantina Evangelina Wilhelmina Bartholomea Theodora Josephina Cordelia " \
            "Featherstonehaugh-Cholmondeley-Marjoribanks-Auchinleck-Wolfeschlegelsteinhausenbergerdorff-Smythe"


def _first_line(page) -> str:
    return page.extract_text().split("\n")[0]  # the canvas draws the header or footer before the body


def _sheet(tmp_path, subject: str):
    from arrs_desk.reports.signature_sheet import SheetLine, SignatureSheet, build_signature_sheet

    lines = tuple(SheetLine("First week", f"Item {i}", date(2026, 12, 1)) for i in range(12))
    return build_signature_sheet(tmp_path / "sheet.pdf", SignatureSheet(
        organisation="Riverside and Moorland PCN", subject=subject, role="Clinical pharmacist",
        purpose="Induction items that need sign-off", lines=lines, prepared_by="Helen Whitfield-Amadi",
        prepared_on=date(2026, 11, 24)))


def test_a_signature_sheet_footer_prints_the_name_in_any_script(tmp_path):
    pages = PdfReader(str(_sheet(tmp_path, "王小明 김민준 🙂"))).pages
    assert len(pages) > 1
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page.extract_text()  # it said "Page 2", never of how many
        footer = _first_line(page)
        assert "Signature sheet for 王小明 김민준 🙂 · prepared by Helen Whitfield-Amadi on 24/11/2026" in footer
        assert "\x00" not in page.extract_text()


def test_a_long_name_is_cut_short_in_a_footer_and_leaves_room_for_the_page_number(tmp_path):
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from arrs_desk.reports.styles import MARGIN

    for page in PdfReader(str(_sheet(tmp_path, LONG_NAME))).pages:
        footer = _first_line(page)
        assert footer.startswith("Riverside and Moorland PCN · Signature sheet for Maximiliana") and footer.endswith("…")
        assert stringWidth(footer, "DejaVuSans", 8) <= landscape(A4)[0] - 2 * MARGIN - 25 * mm


def test_the_subject_access_header_names_the_person_in_any_script_on_every_page(tmp_path):
    from datetime import timezone

    from arrs_desk.reports.subject_access_pdf import write_subject_access_pdf

    rows = [{"occurred_on": "2026-10-01", "title": f"Course {i}", "hours": 2} for i in range(80)]
    path = tmp_path / "copy.pdf"
    write_subject_access_pdf(path, {"made_for": "王小明 Παπαδοπούλου", "made_by": "Ada Admin",
                                    "made_at": "2026-11-24T12:00:00+00:00", "tables": {"cpd_entry": rows}},
                             evidence_files=[], private_included=True, zone=timezone.utc)
    pages = PdfReader(str(path)).pages
    assert len(pages) > 2
    for page in pages:
        assert _first_line(page) == "Subject access copy – 王小明 Παπαδοπούλου"
        assert "\x00" not in page.extract_text()


def test_a_long_pcn_name_is_cut_short_before_the_assurance_date(tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from arrs_desk.reports.assurance_pdf import build_assurance_pdf
    from arrs_desk.reports.styles import MARGIN
    from arrs_desk.services.assurance import AssuranceReport, SummaryLine

    pcn = "Riverside, Moorland and the Valley of the Seven Rivers Primary Care Network Partnership 王"
    path = tmp_path / "assurance.pdf"
    build_assurance_pdf(path, AssuranceReport(pcn, date(2026, 11, 24), "ARRS roles", 3,
                                              (SummaryLine("Job plan agreed", 3, 0, 0),), ()))
    header = _first_line(PdfReader(str(path)).pages[0])
    assert header.startswith("Riverside, Moorland and the Valley") and header.endswith("…") and "王" not in header
    assert stringWidth(header, "DejaVuSans-Bold", 9) <= A4[0] - 2 * MARGIN - 35 * mm
