"""The subject access copy as a PDF: everything ARRS Desk holds about one person, section by
section, in words a person can check, with the ZIP beside it for anything that reads data.

Plain data in: the document `services.subject_access` builds (the record bundle's tables plus
accounts, training, check-ins done and the audit trail), never the database. Each section lists
the rows of one kind of record with the columns a person would recognise; anything not printed
(another person's private notes, a password) is named as held and left out, so the copy never
looks complete when it is not.
"""

from __future__ import annotations

from datetime import date, datetime, timezone, tzinfo
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate, CondPageBreak, Frame, PageTemplate, Paragraph, Spacer, Table, TableStyle,
)

from arrs_desk.domain.register_names import regulator_of
from arrs_desk.domain.staff import EMPLOYMENT_MODEL_LABELS, STATUS_LABELS
from arrs_desk.reports.styles import NumberedCanvas
from arrs_desk.reports.fonts import register_fonts
from arrs_desk.reports.styles import (
    DARK_GREY, MARGIN, MID_GREY, PALE_GREY, TABLE_STYLE, column_widths, draw_line, para, stylesheet, text,
)

TITLE = "Everything ARRS Desk holds about you"
AUDIT_LIMIT = 600
TOP, BOTTOM = 20 * mm, 18 * mm
PAGE_BODY_HEIGHT = A4[1] - TOP - BOTTOM - 12
"""The height a table has on a page of its own (the frame's padding is 6 points at top and bottom)."""
"""Audit entries printed; the ZIP holds every one."""

# table -> (heading, [(column, label)], what the section is). Columns missing from a row show blank.
SECTIONS: tuple[tuple[str, str, tuple[tuple[str, str], ...], str], ...] = (
    ("user_account", "Sign-in accounts", (("username", "Username"), ("display_name", "Name"), ("roles", "Roles"),
                                          ("active", "Active"), ("last_login_at", "Last signed in")),
     "The accounts linked to your staff record. Passwords are never stored, only a one-way hash, which is not shown."),
    ("induction_item", "Induction checklist", (("section_title", "Section"), ("title", "Item"), ("due_on", "Due"),
                                               ("state", "State"), ("ticked_by_name", "Ticked by"),
                                               ("signed_by_name", "Signed off by"), ("note", "Note")), ""),
    ("supervision_arrangement", "Supervision arranged", (("type_code", "Type"), ("frequency_code", "How often"),
                                                        ("start_date", "From"), ("end_date", "Until"),
                                                        ("notes", "Notes")), ""),
    ("supervision_session", "Supervision sessions", (("held_on", "Held"), ("type_code", "Type"),
                                                     ("supervisor_name", "Supervisor"), ("format", "Format"),
                                                     ("topics", "Topics"), ("actions_agreed", "Actions agreed")), ""),
    ("supervision_attendance", "Your reflective notes on supervision", (("held_on", "Session"),
                                                                        ("type_code", "Type"),
                                                                        ("reflective_notes", "Your notes")), ""),
    ("programme_enrolment", "Training pathways and preceptorship", (("title", "Programme"), ("start_date", "Started"),
                                                                    ("planned_end", "Planned end"),
                                                                    ("status", "Status"),
                                                                    ("completed_on", "Completed"),
                                                                    ("withdrawn_on", "Withdrawn"),
                                                                    ("withdrawn_reason", "Why withdrawn"),
                                                                    ("notes", "Notes")), ""),
    ("programme_milestone", "Programme milestones", (("title", "Milestone"), ("week", "Week"),
                                                     ("held_on", "Held"), ("notes", "Notes")), ""),
    ("programme_competency", "Programme competencies", (("domain_title", "Area"), ("title", "Competency"),
                                                        ("signed_by_name", "Signed off by"), ("comment", "Comment")), ""),
    ("programme_pause", "Programme pauses", (("start_date", "From"), ("end_date", "Until"), ("reason", "Why"),
                                             ("recorded_by_name", "Recorded by")), ""),
    ("programme_extension", "Programme extensions", (("agreed_on", "Agreed"), ("weeks", "Weeks"), ("days", "Days"),
                                                     ("reason", "Why"), ("recorded_by_name", "Recorded by")), ""),
    ("programme_time", "Protected learning time", (("taken_on", "When"), ("hours", "Hours"), ("activity", "Activity"),
                                                   ("logged_by_name", "Logged by"), ("removed_at", "Removed")), ""),
    ("programme_evidence", "Programme evidence files", (("original_name", "File"), ("added_at", "Added"),
                                                        ("added_by_name", "Added by"), ("removed_at", "Removed")),
     "Each file itself is in the ZIP beside this PDF."),
    ("review", "Reviews and appraisals", (("kind", "Kind"), ("meeting_date", "Meeting"),
                                          ("appraiser_name", "Appraiser"), ("self_assessment", "Your self-assessment"),
                                          ("reflections", "Your reflections"), ("appraiser_summary", "Summary"),
                                          ("outcome", "Outcome")), ""),
    ("review_objective", "Objectives", (("description", "Objective"), ("measure", "Measure"), ("due_date", "By"),
                                        ("status", "Status"), ("progress", "Progress")), ""),
    ("review_pdp_item", "Development plan", (("need", "Development need"), ("action", "Action"),
                                             ("target_date", "By"), ("status", "Status")), ""),
    ("impact_entry", "Examples of your impact", (("occurred_on", "When"), ("kind", "Kind"),
                                                 ("title", "Title"), ("description", "What happened")), ""),
    ("training_record", "Statutory and mandatory training", (("subject_code", "Subject"), ("level", "Level"),
                                                              ("completed_on", "Completed"), ("provider", "Provider"),
                                                              ("evidence", "Evidence")), ""),
    ("cpd_entry", "Your CPD log", (("occurred_on", "When"), ("title", "Title"), ("provider", "Provider"),
                                   ("method", "How"), ("hours", "Hours"), ("reflection", "Reflection"),
                                   ("verified_by_name", "Verified by")), ""),
    ("revalidation_evidence", "Revalidation evidence", (("occurred_on", "When"), ("kind", "Kind"),
                                                        ("title", "Title"), ("details", "Details"),
                                                        ("partner_name", "Other registrant"),
                                                        ("verified_by_name", "Verified by")), ""),
    ("revalidation_file", "Revalidation files", (("original_name", "File"), ("added_at", "Added"),
                                                 ("added_by_name", "Added by")),
     "Certificates and documents on your CPD log and evidence; each file itself is in the ZIP beside this PDF."),
    ("induction_prior_record", "Induction completed before records began", (("completed_on", "Completed"),
                                                                            ("attested_by_name", "Attested by"),
                                                                            ("attested_by_role", "Their role"),
                                                                            ("note", "Note"),
                                                                            ("evidence_filename", "Scanned record")),
     ""),
    ("assurance_flag", "Facts for the contract checks", (("temporary_cover", "Temporary cover"),), ""),
    ("retention_hold", "Legal hold on your record", (("reason", "Reason"), ("placed_by", "Placed by"),
                                                      ("placed_at", "When")),
     "While a hold is in place, nothing is removed from your record under the retention rules."),
    ("destruction_log", "Records removed under the retention rules", (("at", "When"), ("record_class", "What"),
                                                                      ("rule_text", "Rule"), ("actor_name", "By")),
     "What was removed, when and under which rule: the log keeps no removed content."),
    ("checkin_completion", "Check-ins you have done", (("months", "Months in post"),),
     "Only that you answered: your answers are kept apart from your name, in anonymous counts, and cannot be "
     "traced back to you, so they are not part of this copy."),
)
PRIVATE = {("supervision_attendance", "reflective_notes"), ("review", "self_assessment"), ("review", "reflections")}


PIECE = 120
"""Points: the tallest piece a long text is cut into (`_pieces`)."""
HEADING = 25 * mm
"""About the height of a section's heading and the note under it."""
LONG_TEXT = 80
"""Characters: a column with a longer entry (a note, a reflection) is printed under each row across
the page. In a column of its own among six others an 8,000-character reflection was a strip a few
words wide running over several pages, the heading row repeated in the middle of a page."""


def _value(value: Any, zone: tzinfo = timezone.utc) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    if isinstance(value, str) and "T" in value[:11] and value[:4].isdigit():
        try:
            moment = datetime.fromisoformat(value)
            moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
            return moment.astimezone(zone).strftime("%d/%m/%Y %H:%M")
        except ValueError:
            return value
    return str(value)


def _size(columns: int) -> float:
    """The cell font: smaller for wide tables, so dates and names fit their columns whole."""
    return 9.0 if columns <= 4 else 8.0 if columns <= 5 else 7.2


class _RowsWhole(Table):
    """Rows go whole onto the next page; only a row taller than a whole page (an 8,000-character
    reflection, where ReportLab gave up and the copy was lost) is split inside itself. Splitting
    inside rows everywhere cut each row at the foot of every page and repeated the heading row
    mid-page before the row that did not fit."""

    def split(self, availWidth, availHeight):  # noqa: N803 (ReportLab's names)
        self._calc(availWidth, availHeight)
        first_two = sum(self._rowHeights[:2])  # the heading row and the first row under it
        self.splitInRow = 1 if first_two > PAGE_BODY_HEIGHT else 0
        return super().split(availWidth, availHeight)


def _cell_styles(size: float) -> tuple[ParagraphStyle, ParagraphStyle]:
    cell = ParagraphStyle(f"SarCell{size}", parent=stylesheet()["Cell"], fontSize=size, leading=size * 1.25)
    head = ParagraphStyle(f"SarHead{size}", parent=stylesheet()["CellHead"], fontSize=size, leading=size * 1.25)
    return cell, head


def _table(header: list[str], rows: list[list[str]], width: float) -> Table:
    cell, head = _cell_styles(_size(len(header)))
    body = [[para(text(h), head) for h in header]] + [[para(text(c), cell) for c in row] for row in rows]
    table = _RowsWhole(body, colWidths=column_widths(header, rows, width, cell.fontSize), repeatRows=1)
    table.setStyle(TableStyle(TABLE_STYLE))
    return table


def _pieces(paragraph: Paragraph, width: float) -> list[Paragraph]:
    """A long text cut at line ends into pieces at most `PIECE` high, each a table row of its own: the
    table then never splits inside a row, which for a row spanning the columns repeated text on
    page after page and lost lines where it was cut."""
    pieces = []
    while paragraph.wrap(width, PIECE)[1] > PIECE:
        parts = paragraph.split(width, PIECE)
        if len(parts) != 2:
            break
        pieces.append(parts[0])
        paragraph = parts[1]
    return pieces + [paragraph]


def _section_table(header: list[str], rows: list[list[str]], width: float) -> tuple[Table, float]:
    """A section's rows: short columns side by side, and each column holding long text (`LONG_TEXT`)
    printed under its row across the full width, labelled. A row and its text share a shade and stay
    on one page when they fit on one. Returns the table and the height of its heading row and first
    row, which the section heading is kept with."""
    long = [i for i, _ in enumerate(header) if any(len(row[i]) > LONG_TEXT for row in rows)]
    below = long if len(long) < len(header) else long[1:]  # the first column stays a column
    grid = [i for i, _ in enumerate(header) if i not in below]
    cell, head = _cell_styles(_size(len(grid)))
    widths = column_widths([header[i] for i in grid], [[row[i] for i in grid] for row in rows], width, cell.fontSize)
    body = [[para(text(header[i]), head) for i in grid]]
    style = [c for c in TABLE_STYLE if c[0] not in ("ROWBACKGROUNDS", "LINEBELOW")]
    style.append(("LINEBELOW", (0, 0), (-1, 0), 0.25, MID_GREY))
    groups = []
    for row in rows:
        first = len(body)
        body.append([para(text(row[i]), cell) for i in grid])
        for i in below:
            if row[i]:
                labelled = para(f"<b>{text(header[i])}:</b> {text(row[i])}", cell)
                for n, piece in enumerate(_pieces(labelled, width - 12)):  # less the cell's padding
                    at = len(body)
                    style += [("SPAN", (0, at), (-1, at)), ("TOPPADDING", (0, at), (-1, at), 0)]
                    if n:  # one text read on from piece to piece
                        style.append(("BOTTOMPADDING", (0, at - 1), (-1, at - 1), 0))
                    body.append([piece] + [""] * (len(grid) - 1))
        groups.append((first, len(body) - 1))
    for n, (first, last) in enumerate(groups):
        style += [("BACKGROUND", (0, first), (-1, last), PALE_GREY if n % 2 else colors.white),
                  ("LINEBELOW", (0, last), (-1, last), 0.25, MID_GREY)]
    probe = Table(body, colWidths=widths, style=style)
    probe.wrap(width, PAGE_BODY_HEIGHT)
    heights = probe._rowHeights
    together = [(first, last) for first, last in groups
                if heights[0] + sum(heights[first:last + 1]) <= PAGE_BODY_HEIGHT]
    style += [("NOSPLIT", (0, first), (-1, last)) for first, last in together if last > first]
    table = _RowsWhole(body, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle(style))
    first, last = groups[0]
    lead = heights[0] + sum(heights[first:last + 1] if (first, last) in together else heights[first:first + 1])
    return table, lead


_WORDS = {"status": STATUS_LABELS, "employment_model": EMPLOYMENT_MODEL_LABELS}
"""Stored codes printed as the staff list shows them ("active" is "Active"); the ZIP keeps the codes."""


def _in_words(key: str, value: Any) -> str:
    if key == "register_code":
        return regulator_of(value)  # "GPHC-PHARMACIST" is "GPhC", as beside a registration number
    return _WORDS[key].get(value, value) if key in _WORDS else _value(value)


def _person_facts(document: dict) -> list[list[str]]:
    person = document.get("person", {})
    staff = person.get("staff", {})
    labels = (("title", "Title"), ("given_name", "First name"), ("family_name", "Family name"),
              ("preferred_name", "Known as"), ("email", "E-mail"), ("employee_number", "Employee number"),
              ("start_date", "Started"), ("end_date", "Left"), ("leaving_reason", "Reason for leaving"),
              ("status", "Status"), ("afc_band", "Agenda for Change band"), ("hours_per_week", "Hours a week"),
              ("register_code", "Register"), ("registration_number", "Registration number"),
              ("registration_renewal", "Registration renewal"), ("employment_model", "Employment"))
    rows = [[label, _in_words(key, staff.get(key))] for key, label in labels if staff.get(key) not in (None, "")]
    rows += [["Role", person.get("role_title", "")], ["Employer", person.get("employer", "")],
             ["Practices", ", ".join(person.get("practices", []))], ["Line manager", person.get("line_manager", "")],
             ["PCN", person.get("pcn", "")]]
    return [r for r in rows if r[1]]


def write_subject_access_pdf(path: Path | str, document: dict, *, evidence_files: list[tuple[str, int]],
                             private_included: bool, zone: tzinfo) -> int:
    """Write the PDF, times shown in `zone` (UK time); returns the number of rows printed."""
    register_fonts()
    page = A4
    name = document.get("made_for", "")

    def decorate(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont("DejaVuSans-Bold", 9)
        canvas.setFillColor(DARK_GREY)
        draw_line(canvas, MARGIN, page[1] - 12 * mm, f"Subject access copy – {name}", font="DejaVuSans-Bold", size=9,
                  width=page[0] - 2 * MARGIN)
        canvas.setStrokeColor(MID_GREY)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, page[1] - 14 * mm, page[0] - MARGIN, page[1] - 14 * mm)
        canvas.drawString(MARGIN, 10 * mm, "Personal data: keep it safe, and share it only if you choose to.")
        canvas.restoreState()

    doc = BaseDocTemplate(str(path), pagesize=page, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=TOP,
                          bottomMargin=BOTTOM, title=f"{TITLE}: {name}", author="ARRS Desk")
    doc.addPageTemplates([PageTemplate(id="page", frames=[Frame(doc.leftMargin, doc.bottomMargin, doc.width,
                                                                doc.height, id="body")], onPage=decorate)])
    w = doc.width
    tables = document.get("tables", {})
    held = document.get("private_notes_held", {})
    """Private notes that hold something, by table and row id: an empty one is printed empty."""
    made = _value(document.get("made_at"), zone)
    story: list = [
        para(text(TITLE), "Title"),
        para(f"{text(name)} · made {text(made)} by {text(document.get('made_by', ''))}", "Subtitle"),
        para("This is a copy of the personal data ARRS Desk holds about you, as your right of access under UK GDPR "
             "(article 15) gives you. A ZIP file made at the same time holds the same records in a form a computer "
             "can read, with any evidence files attached to your record. Dates are UK dates; times are UK time.",
             "Body"),
        Spacer(1, 2 * mm),
        para("Private notes" + ("" if private_included or not held else ": held, not printed"), "H2"),
        para("Your reflective notes, self-assessments and reflections are printed in full." if private_included else
             "Your reflective notes, self-assessments and reflections are private to you and the people who support "
             "you. None are held about you, so nothing is left out of this copy for that reason." if not held else
             "Your reflective notes, self-assessments and reflections are private to you and the people who support "
             "you, so this copy, made by an administrator, lists when they were written but not what they say. "
             "You can make your own copy with them included at any time (File > Copy of everything held about me).", "Body"),
        *(para(text(note), "Body") for note in document.get("notes", [])),
        para("About you", "H1"),
        _table(["", ""], _person_facts(document), w),
    ]
    printed = 0
    for table, heading, columns, note in SECTIONS:
        rows = tables.get(table, [])
        if not rows:
            story += [CondPageBreak(40 * mm), para(f"{text(heading)} (0)", "H1"),
                      *([para(text(note), "Small")] if note else []), para("Nothing held.", "Body")]
            continue
        body = []
        for row in rows:
            cells = []
            for column, _label in columns:
                value = _value(row.get(column), zone)
                if (table, column) in PRIVATE and not private_included:
                    value = "Held, not printed" if column in held.get(table, {}).get(str(row.get("id")), ()) else ""
                cells.append(value)
            body.append(cells)
        section, lead = _section_table([label for _, label in columns], body, w)
        # the heading stays with the first row: a long first row kept whole left it alone at a page's foot
        story += [CondPageBreak(min(max(40 * mm, HEADING + lead), PAGE_BODY_HEIGHT)),
                  para(f"{text(heading)} ({len(rows)})", "H1"), *([para(text(note), "Small")] if note else []),
                  section]
        printed += len(rows)
    story += [CondPageBreak(40 * mm), para(f"Evidence files ({len(evidence_files)})", "H1"),
              para("Certificates and other files attached to your record. They are in the ZIP, named by their "
                   "fingerprint (SHA-256).", "Small")]
    if evidence_files:
        story.append(_table(["Fingerprint", "Size"], [[sha[:16] + "…", f"{size:,} bytes"]
                                                       for sha, size in evidence_files], w))
    entries = tables.get("audit_entry", [])
    story += [CondPageBreak(40 * mm), para(f"The audit trail about you ({len(entries)})", "H1"),
              para("Every change to your records, sign-off, sign-in and file saved about you, and what your own "
                   "accounts did." + (f" The first {AUDIT_LIMIT} are printed; the ZIP holds every one."
                                      if len(entries) > AUDIT_LIMIT else ""), "Small")]
    if entries:
        story.append(_table(["When", "Who", "Action", "What"], [
            [_value(e.get("at"), zone), e.get("actor_name", ""), e.get("action_label") or e.get("action", ""), e.get("summary", "")]
            for e in entries[:AUDIT_LIMIT]], w))
    story += [CondPageBreak(30 * mm), para("What is not in this copy", "H1"),
              para("Your check-in answers (anonymous, as above); other people's records, except their names where they "
                   "supervised, assessed or signed for you; and the password hash of your account. Backups of the "
                   "database made before a record was removed may still hold it until they are rotated away.",
                   "Body")]
    doc.build(story, canvasmaker=NumberedCanvas)
    return printed + len(entries)
