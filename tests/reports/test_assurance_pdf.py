"""The commissioner's assurance report: summary counts, each person's unmet checks, page numbers."""

from __future__ import annotations

from datetime import date

from pypdf import PdfReader

from arrs_desk.reports.assurance_pdf import build_assurance_pdf
from arrs_desk.services.assurance import AssuranceReport, SummaryLine, UnmetPerson


def _report(people: int) -> AssuranceReport:
    unmet = tuple(UnmetPerson(f"Person {i}", "Clinical pharmacist", "Oakfield Family Practice",
                              (("Job plan agreed", "1 of 1 induction items still open"),
                               ("Probation review held", "No probation review recorded")))
                  for i in range(people))
    unmet += (UnmetPerson("محمد الحسن", "Paramedic", "Oakfield Family Practice",
                          (("Job plan agreed", "Not confirmed: no induction checklist recorded"),)),)
    return AssuranceReport("Riverside PCN", date(2026, 11, 24), "ARRS roles", people + 1,
                           (SummaryLine("Job plan agreed", 0, people + 1, 0),
                            SummaryLine("Probation review held", 1, people, 0)), unmet)


def test_report_has_summary_unmet_people_and_page_n_of_m(tmp_path):
    path = tmp_path / "assurance.pdf"
    assert build_assurance_pdf(path, _report(60)) == 61
    pages = PdfReader(str(path)).pages
    total = len(pages)
    assert total > 1
    first = pages[0].extract_text()
    assert "Summary by check" in first and "Riverside PCN" in first
    assert f"Page 1 of {total}" in first
    assert f"Page {total} of {total}" in pages[-1].extract_text()
    text = "".join(p.extract_text() for p in pages)
    assert "Person 59" in text and "No probation review recorded" in text
    # The Arabic name is shaped on its own; the Latin text beside it keeps plain letters (no ligature).
    arabic_page = next(p.extract_text() for p in pages if "Paramedic" in p.extract_text())
    assert "Paramedic · Oakfield Family Practice" in " ".join(arabic_page.split())


def test_report_with_everything_met(tmp_path):
    path = tmp_path / "ok.pdf"
    report = AssuranceReport("Riverside PCN", date(2026, 11, 24), "ARRS roles", 3,
                             (SummaryLine("Job plan agreed", 3, 0, 0),), ())
    assert build_assurance_pdf(path, report) == 0
    assert "Every check is met or not applicable" in PdfReader(str(path)).pages[0].extract_text()


def test_a_report_with_nobody_in_post_is_not_an_all_clear(tmp_path):
    """A practice or role with nobody in post read 'Every check is met or not applicable for everyone'."""
    path = tmp_path / "empty.pdf"
    report = AssuranceReport("Riverside PCN", date(2026, 11, 24), "Paramedics at Oakfield Family Practice", 0,
                             (SummaryLine("Job plan agreed", 0, 0, 0),), ())
    assert build_assurance_pdf(path, report) == 0
    first = " ".join(PdfReader(str(path)).pages[0].extract_text().split())
    assert "Nobody is in post in this report, so no check was made." in first
    assert "Every check is met" not in first
