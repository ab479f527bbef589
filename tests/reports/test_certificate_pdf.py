"""The completion certificate: one landscape A4 page, names in every script, typed markup kept as text."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from pypdf import PdfReader

from arrs_desk.reports.certificate_pdf import CertificateData, build_certificate_pdf


def data(**changes) -> CertificateData:
    values = dict(
        person_name="Zoë Ōkubo", role_title="Paramedic",
        programme_title="Paramedic preceptorship in primary care (12 weeks)", programme_code="PARA-PC12",
        programme_version=1, start_date=date(2026, 9, 7), completed_on=date(2026, 12, 14),
        assessor_name="Yusuf Raghunathan", assessor_detail="Salaried GP", competencies_signed=17, milestones_held=5,
        protected_hours=90.0, pcn_name="Riverside and Moorland PCN", reference="PARA-PC12-00001",
        issued_on=date(2026, 12, 15),
    )
    values.update(changes)
    return CertificateData(**values)


def text_of(path) -> tuple[int, str, tuple[float, float]]:
    reader = PdfReader(str(path))
    page = reader.pages[0]
    # Arabic is stored as shaped presentation forms; NFKC folds them back to ordinary letters.
    text = unicodedata.normalize("NFKC", "\n".join(p.extract_text() for p in reader.pages))
    return len(reader.pages), text, (float(page.mediabox.width), float(page.mediabox.height))


def test_the_certificate_is_one_landscape_page_with_everything_on_it(tmp_path):
    path = build_certificate_pdf(tmp_path / "c.pdf", data())
    pages, text, (width, height) = text_of(path)
    assert pages == 1 and width > height and round(width) == 842
    for expected in ("Certificate of completion", "Zoë Ōkubo", "Paramedic preceptorship in primary care (12 weeks)",
                     "PARA-PC12 · version 1", "from 7 September 2026 to 14 December 2026",
                     "17 competencies signed off by the assessor", "Yusuf Raghunathan", "Riverside and Moorland PCN",
                     "Certificate reference PARA-PC12-00001"):
        assert expected in text, expected


def test_a_cyrillic_name_is_printed(tmp_path):
    _pages, text, _size = text_of(build_certificate_pdf(tmp_path / "c.pdf", data(person_name="Аня Петрова")))
    assert "Аня Петрова" in text


def test_an_arabic_name_is_shaped(tmp_path):
    from arrs_desk.reports.fonts import shaping_available

    if not shaping_available():
        pytest.skip("uharfbuzz is not installed, so Arabic cannot be shaped")
    path = build_certificate_pdf(tmp_path / "c.pdf", data(person_name="محمد الحسن"))
    raw = PdfReader(str(path)).pages[0].extract_text()
    line = next(part for part in raw.splitlines() if any("\u0600" <= ch <= "\ufeff" for ch in part))
    # Shaped text is drawn with joined (presentation) forms, right to left; unshaped would be the
    # isolated letters in typing order.
    assert any("\ufe70" <= ch <= "\ufeff" for ch in line)
    folded = unicodedata.normalize("NFKC", line).strip().strip("\u202b\u202c")
    assert set(folded.split()) == {"محمد", "الحسن"}


def test_markup_and_very_long_text_stay_text_on_one_page(tmp_path):
    long_title = "Primary care <b>pharmacy</b> & education pathway " * 6
    pages, text, _size = text_of(build_certificate_pdf(
        tmp_path / "c.pdf", data(programme_title=long_title, person_name="Zoë " + "Ō" * 120)))
    assert pages == 1
    assert "<b>pharmacy</b> & education" in text
