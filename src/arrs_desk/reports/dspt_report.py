"""The DSPT evidence report an IG lead files with the practice's Data Security and Protection
Toolkit submission: what needs attention first, then one section per Toolkit item (where the data
lives, accounts and joiners/movers/leavers, administrator activity, restore tests).

Plain data in (`services.dspt.DsptReport` or anything shaped like it), no Qt, no database. The CSV
holds the same rows with a `Section` column, so it can be sorted and filtered in a spreadsheet.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, CondPageBreak, Frame, PageTemplate, Spacer, Table, TableStyle

from arrs_desk.reports.styles import NumberedCanvas
from arrs_desk.reports.fonts import register_fonts
from arrs_desk.reports.spreadsheets import write_csv
from arrs_desk.reports.styles import DARK_GREY, MARGIN, MID_GREY, TABLE_STYLE, column_widths, draw_line, para, text

TITLE = "Data Security and Protection Toolkit: evidence from ARRS Desk"
PDF_ACTION_LIMIT = 400
"""Administrator actions listed in the PDF; the CSV always holds every one."""


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]], width: float, empty: str) -> list:
    """Columns sized by what they hold (`styles.column_widths`): fixed shares broke "Joined" and
    every date across two lines ("16/05/2 / 025") in the joiners, movers and leavers."""
    if not rows:
        return [para(text(empty), "Body")]
    body = [[para(text(h), "CellHead") for h in header]]
    body += [[para(text(cell), "Cell") for cell in row] for row in rows]
    table = Table(body, colWidths=column_widths(header, [[text(c) for c in row] for row in rows], width), repeatRows=1)
    table.setStyle(TableStyle(TABLE_STYLE))
    return [table]


def _item_heading(report, item_id: str, fallback: str) -> list:
    item = next((i for i in report.items if i.id == item_id), None)
    title = f"{item.id} {item.title}" if item else fallback
    return [CondPageBreak(45 * mm), para(text(title), "H1")] + ([para(text(item.shows), "Small")] if item else [])


def _storage_rows(report) -> list[tuple[str, str]]:
    s = report.storage
    rows = [("Where the data is", f"{s.kind}: {s.location}"), ("Encryption at rest", s.encryption),
            ("Who can read the database", s.permissions)]
    if s.transport:
        rows.append(("Connection", s.transport))
    rows += [("Backup folder", s.backup_folder), ("Who can read the backups", s.backup_permissions),
             ("Backups held", str(s.backups_held) if s.backups_held or not s.transport else "—"),
             ("Newest backup", s.newest_backup)]
    return rows


def write_dspt_pdf(path: Path | str, report) -> int:
    """Write the PDF; returns the number of rows listed (accounts, movements, actions, tests)."""
    register_fonts()
    page = A4

    def decorate(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont("DejaVuSans-Bold", 9)
        canvas.setFillColor(DARK_GREY)
        draw_line(canvas, MARGIN, page[1] - 12 * mm, f"{report.pcn or 'ARRS Desk'} – DSPT evidence",
                  font="DejaVuSans-Bold", size=9, width=page[0] - 2 * MARGIN - 60 * mm)  # room for the period
        canvas.setFont("DejaVuSans", 8)
        canvas.drawRightString(page[0] - MARGIN, page[1] - 12 * mm, f"Period {report.period_text}")
        canvas.setStrokeColor(MID_GREY)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, page[1] - 14 * mm, page[0] - MARGIN, page[1] - 14 * mm)
        canvas.drawString(MARGIN, 10 * mm, "Produced by ARRS Desk. Contains personal data: store and share securely.")
        canvas.restoreState()

    doc = BaseDocTemplate(str(path), pagesize=page, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=20 * mm,
                          bottomMargin=18 * mm, title=TITLE, author="ARRS Desk", subject=report.pcn)
    doc.addPageTemplates([PageTemplate(id="page", frames=[Frame(doc.leftMargin, doc.bottomMargin, doc.width,
                                                                doc.height, id="body")], onPage=decorate)])
    w = doc.width
    story: list = [
        para(text(TITLE), "Title"),
        para(f"{text(report.pcn)} · period {report.period_text} · made {text(report.made_at)} · next Toolkit "
             f"submission due {report.next_submission:%d/%m/%Y}", "Subtitle"),
        para("Needs attention", "H1"),
    ]
    if report.attention:
        story += [para(f"• {text(line)}", "Body") for line in report.attention]
    else:
        story.append(para("Nothing: every account belongs to someone still in post, access was reviewed and a "
                          "backup was restored successfully within the intervals the practice set.", "Body"))
    story += [Spacer(1, 3 * mm), para("Toolkit items this report evidences", "H2")]
    story += _table(("Item", "What it asks", "What this report shows"),
                    [(i.id, i.title, i.shows) for i in report.items], w, "")
    story.append(para(f"<b>Source:</b> {text(report.source)}", "Small"))

    story += _item_heading(report, "1.1.2", "Where personal data is held")
    story += _table(("", ""), _storage_rows(report), w, "")

    story += _item_heading(report, "4.2", "Accounts, joiners, movers and leavers")
    story.append(para(f"Access review: next due {text(report.access_review_due)}.", "Body"))
    story += _table(("Account", "Name", "Roles", "Active", "Last sign-in", "Staff record", "Needs doing"),
                    [(a.username, a.display_name, a.roles, "Yes" if a.active else "No", a.last_sign_in,
                      a.person + (f" (left {a.person_left_on})" if a.person_left_on else ""), a.flag)
                     for a in report.accounts],
                    w, "No accounts: "
                    "this database runs in single-user mode.")
    story += [para("Joiners, movers and leavers in the period", "H2")]
    story += _table(("What", "Who", "Role", "When", "Detail", "Account", "Needs doing"),
                    [(m.kind, m.person, m.role, f"{m.on:%d/%m/%Y}", m.detail, m.account, m.flag)
                     for m in report.movements],
                    w,
                    "Nobody joined, moved or left in the period.")
    story += [para("Access reviews recorded", "H2")]
    story += _table(("When", "Who", "Accounts", "Note"), [(r.when, r.who, str(r.accounts), r.note)
                                                          for r in report.reviews],
                    w, "No access review has been recorded yet.")

    story += _item_heading(report, "4.4.1", "Administrator activity")
    shown = report.admin_actions[:PDF_ACTION_LIMIT]
    story.append(para(f"{len(report.admin_actions)} administrator action{'s' if len(report.admin_actions) != 1 else ''}"
                      f" and {report.sign_ins} sign-in{'s' if report.sign_ins != 1 else ''} in the period. Only "
                      "administrators can open the audit trail these come from.", "Body"))
    story += _table(("When", "Who", "Action", "What"), [(a.when, a.who, a.action, a.summary) for a in shown],
                    w, "No administrator actions in the period.")
    if len(report.admin_actions) > len(shown):
        story.append(para(f"… and {len(report.admin_actions) - len(shown)} more: the CSV lists every one.", "Small"))

    story += _item_heading(report, "7.3.4", "Backups tested by restoring them")
    story.append(para(f"Next restore test due: {text(report.restore_test_due)}.", "Body"))
    story += _table(("When", "Who", "Backup", "Result"),
                    [(t.when, t.who, t.backup, t.detail) for t in report.restore_tests],
                    w, "No restore test has been recorded yet.")
    doc.build(story, canvasmaker=NumberedCanvas)
    return len(report.accounts) + len(report.movements) + len(report.admin_actions) + len(report.restore_tests)


def write_dspt_csv(path: Path | str, report) -> int:
    """One row per fact, with the section it belongs to (formula-like cells neutralised); returns the
    number of rows written."""
    rows: list[tuple[str, ...]] = [("Needs attention", line, "", "", "", "", "") for line in report.attention]
    rows += [("1.1.2 Storage", label, value, "", "", "", "") for label, value in _storage_rows(report)]
    rows += [("4.2 Account", a.username, a.display_name, a.roles, "active" if a.active else "disabled",
              a.last_sign_in, a.flag) for a in report.accounts]
    rows += [(f"4.2 {m.kind}", m.person, m.role, f"{m.on:%d/%m/%Y}", m.detail, m.account, m.flag)
             for m in report.movements]
    rows += [("4.2 Access review", r.when, r.who, str(r.accounts), r.note, "", "") for r in report.reviews]
    rows += [("4.4.1 Administrator action", a.when, a.who, a.action, a.summary, "", "") for a in report.admin_actions]
    rows += [("7.3.4 Restore test", t.when, t.who, t.backup, "passed" if t.passed else "failed", t.detail, "")
             for t in report.restore_tests]
    return write_csv(path, ("Section", "A", "B", "C", "D", "E", "F"), rows)
