"""`styles.column_widths`: a column is never narrower than its words."""

from __future__ import annotations

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle

from arrs_desk.reports.styles import MARGIN, column_widths, para, stylesheet


@pytest.mark.parametrize("size", [7.2, 8.0, 9.0])
def test_an_empty_columns_heading_word_is_never_broken(size):
    """An empty column got exactly its heading word's width plus padding, and ReportLab broke a word
    that wide ("Summar y", "Outcom e", "self-asses sment" in a subject access copy)."""
    header = ["Kind", "Meeting", "Appraiser", "Your self-assessment", "Your reflections", "Summary", "Outcome"]
    rows = [["probation", "28/02/2027", "Helen Whitfield-Amadi", "", "", "", ""]]
    head = ParagraphStyle(f"Head{size}", parent=stylesheet()["CellHead"], fontSize=size, leading=size * 1.25)
    for heading, width in zip(header, column_widths(header, rows, A4[0] - 2 * MARGIN, size)):
        paragraph = para(heading, head)
        paragraph.wrap(width - 12, 1000)  # less the cell's padding
        printed = [word for _space, words in paragraph.blPara.lines for word in words]
        assert printed == heading.split(), f"{heading!r} printed as {printed}"
