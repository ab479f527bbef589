"""The appraisal pack as simple HTML, for printing straight to a printer through Qt.

Qt's rich-text engine (QTextDocument) lays this out on the printer's pages; the page header and
footer are painted by the printing code. The content is the same blocks the PDF is made from,
so the printed pack and the saved PDF always agree. Written for paper, so the colours are fixed:
black text on white, and headings and table headers in NHS blue.
"""

from __future__ import annotations

from html import escape

from arrs_desk.reports.pack_blocks import (
    Block, Bullets, Cover, Facts, Grid, Heading, LongText, Para, Rich, SignatureBlock, Strong, clean, pack_blocks,
)
from arrs_desk.reports.pack_data import AppraisalPackData

BLUE = "#005eb8"
GREY = "#425563"
RULE = "#768692"
PALE = "#e8edee"
SPACE = "<br/>&nbsp;"
"""Qt's rich text ignores cell heights, so room to write is made with empty lines."""


def _text(value: str) -> str:
    return escape(clean(value)).replace("\n", "<br/>")


def _rich(content: Rich) -> str:
    if isinstance(content, str):
        return _text(content)
    return "".join(f"<b>{_text(run.text)}</b>" if isinstance(run, Strong) else _text(run) for run in content)


def _table(rows: list[str], header: str = "") -> str:
    head = f"<thead>{header}</thead>" if header else ""
    return (f'<table width="100%" cellspacing="0" cellpadding="4" border="1" '
            f'style="border-collapse: collapse; border-color: {RULE}; margin-bottom: 8px;">'
            f"{head}<tbody>{''.join(rows)}</tbody></table>")


def _block(block: Block, first: bool) -> str:
    if isinstance(block, Cover):
        facts = "".join(f'<tr><td width="28%" bgcolor="{PALE}"><b>{_text(k)}</b></td><td>{_text(v)}</td></tr>'
                        for k, v in block.facts)
        contents = "".join(f"<p style='margin: 2px 0;'>{_text(line)}</p>" for line in block.contents)
        return (f"<p style='margin-top: 40px; font-size: 14pt; color: {BLUE};'>{_text(block.title)}</p>"
                f"<h1 style='font-size: 24pt; color: {BLUE}; margin: 0;'>{_text(block.name)}</h1>"
                f"<p style='font-size: 12pt; color: {GREY};'>{_text(block.subtitle)}</p>"
                + _table([facts]) +
                f"<p style='margin-top: 18px; color: {GREY};'><b>Contents</b></p>{contents}"
                f'<table width="100%" cellpadding="8" border="1" style="border-color: {BLUE}; margin-top: 18px;">'
                f'<tr><td bgcolor="#e6f0f9">{_text(block.notice)}</td></tr></table>')
    if isinstance(block, Heading):
        brk = " page-break-before: always;" if block.new_page and not first else ""
        if block.level == 1:
            return f"<h2 style='color: {BLUE}; font-size: 15pt; margin-top: 14px;{brk}'>{_text(block.text)}</h2>"
        return f"<h3 style='color: {GREY}; font-size: 11pt; margin-top: 10px;{brk}'>{_text(block.text)}</h3>"
    if isinstance(block, Para):
        colour = GREY if block.style in ("muted", "empty") else "black"
        size = "8.5pt" if block.style == "muted" else "10pt"
        return f"<p style='color: {colour}; font-size: {size};'>{_rich(block.content)}</p>"
    if isinstance(block, Facts):
        return _table([f'<tr><td width="24%" bgcolor="{PALE}"><b>{_text(k)}</b></td><td>{_rich(v)}</td></tr>'
                       for k, v in block.rows])
    if isinstance(block, Grid):
        header = "<tr>" + "".join(
            f'<th width="{round(w * 100)}%" bgcolor="{BLUE}" align="left"><font color="white">{_text(h)}</font></th>'
            for h, w in zip(block.headers, block.widths)) + "</tr>"
        rows = ["<tr>" + "".join(f"<td>{_rich(cell)}</td>" for cell in row) + "</tr>" for row in block.rows]
        return _table(rows, header)
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f"<li>{_rich(item)}</li>" for item in block.items) + "</ul>"
    if isinstance(block, LongText):
        body = clean(block.text).strip()
        label = f"<p style='color: {GREY}; margin-bottom: 2px;'><b>{_text(block.label)}</b></p>"
        if not body:
            return label + f"<p style='color: {GREY};'>{_text(block.empty or 'None recorded.')}</p>"
        return label + "".join(f"<p style='margin-left: 8px;'>{_text(p.strip())}</p>"
                               for p in body.split("\n\n") if p.strip())
    if isinstance(block, SignatureBlock):
        out = [f"<p>{_text(block.statement)}</p>", f"<p style='color: {GREY};'><b>Outcome</b> (tick one)</p>"]
        out += [f"<p>☐&nbsp;&nbsp;{_text(o)}</p>" for o in block.outcomes]
        for role, name in block.parties:
            out.append(_table([
                f'<tr><td width="24%" bgcolor="{PALE}"><b>{_text(role)}</b></td><td>{_text(name)}</td></tr>',
                f'<tr><td bgcolor="{PALE}"><b>Signature</b>{SPACE * 3}</td><td></td></tr>',
                f'<tr><td bgcolor="{PALE}"><b>Date</b>{SPACE}</td><td></td></tr>',
            ]))
        out.append(_table([f'<tr><td bgcolor="{PALE}"><b>Comments</b></td></tr>', f"<tr><td>{SPACE * 8}</td></tr>"]))
        return "".join(out)
    raise TypeError(f"unknown block {type(block).__name__}")


def pack_html(data: AppraisalPackData) -> str:
    body = "".join(_block(block, index == 0) for index, block in enumerate(pack_blocks(data)))
    return f"<html><body style='font-size: 10pt;'>{body}</body></html>"
