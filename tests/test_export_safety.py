"""No CSV or Excel file the app writes can run a formula someone typed into a record.

A scan of the source keeps every writer on the safe path (CSV only through `write_csv`; every
value an openpyxl sheet receives passed through `safe_cell`), and the exports themselves are
checked with hostile text.
"""

import ast
import csv
from datetime import date
from pathlib import Path

import pytest

from arrs_desk.services.exports import safe_cell, write_csv

SRC = Path(__file__).resolve().parent.parent / "src" / "arrs_desk"
HOSTILE = ["=HYPERLINK(\"http://evil.example\",\"Click\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", " =1+1",
           "=cmd|' /C calc'!A0", "＝1+1"]


def _modules():
    for path in sorted(SRC.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"))


def _is_safe_cell_call(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "safe_cell"


def _all_safe(node: ast.AST) -> bool:
    """A value (or list of values) that is nothing but safe_cell(...) results."""
    if _is_safe_cell_call(node):
        return True
    if isinstance(node, (ast.List, ast.Tuple)):
        return all(_all_safe(e) for e in node.elts)
    if isinstance(node, (ast.ListComp, ast.GeneratorExp)):
        return _is_safe_cell_call(node.elt)
    return isinstance(node, ast.Constant) and not (isinstance(node.value, str) and safe_cell(node.value) != node.value)


def test_csv_is_written_only_through_write_csv():
    offenders = []
    for path, tree in _modules():
        if path.name == "spreadsheets.py":  # reports/spreadsheets.py: write_csv itself
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in ("writer", "DictWriter", "writerow", "writerows"):
                if isinstance(node.value, ast.Name) and node.value.id == "csv" or node.attr.startswith("writerow"):
                    offenders.append(f"{path.relative_to(SRC)}:{node.lineno} {node.attr}")
    assert offenders == [], "write CSV with services.exports.write_csv, which neutralises formulas"


def test_every_value_an_excel_sheet_receives_goes_through_safe_cell():
    writers, offenders = [], []
    for path, tree in _modules():
        makes_books = any(isinstance(n, ast.Name) and n.id == "Workbook" for n in ast.walk(tree))
        if not makes_books:
            continue
        writers.append(path.name)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "append":
                target = ast.unparse(node.func.value)
                if "sheet" in target or "ws" == target or "worksheet" in target:
                    if not all(_all_safe(a) for a in node.args):
                        offenders.append(f"{path.relative_to(SRC)}:{node.lineno} {ast.unparse(node)}")
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Attribute) and t.attr == "value"
                                                    for t in node.targets):
                if not _all_safe(node.value):
                    offenders.append(f"{path.relative_to(SRC)}:{node.lineno} {ast.unparse(node)}")
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "cell":
                if any(k.arg == "value" and not _all_safe(k.value) for k in node.keywords):
                    offenders.append(f"{path.relative_to(SRC)}:{node.lineno} {ast.unparse(node)}")
    assert writers, "the scan found no Excel writer at all: it is looking in the wrong place"
    assert offenders == []


@pytest.mark.parametrize("text", HOSTILE)
def test_safe_cell_neutralises_formula_starts_and_leaves_the_rest(text):
    assert safe_cell(text) == "'" + text
    assert safe_cell("Dr Ōkubo – 24/11/2026") == "Dr Ōkubo – 24/11/2026"
    assert safe_cell(-5) == -5 and safe_cell(None) is None


def test_write_csv_neutralises_headings_and_cells(tmp_path):
    path = tmp_path / "out.csv"
    write_csv(path, ["Name", "=HEADING()"], [[text, 3] for text in HOSTILE])
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["Name", "'=HEADING()"]
    assert [r[0] for r in rows[1:]] == ["'" + t for t in HOSTILE]


def test_the_excel_export_stores_hostile_text_as_text(tmp_path):
    from openpyxl import load_workbook

    from arrs_desk.reports.spreadsheets import write_printable_xlsx

    path = tmp_path / "matrix.xlsx"
    write_printable_xlsx(path, "=sheet", "=title()", "subtitle", ["Name", "@head"], [[t, t] for t in HOSTILE],
                         widths=[10, 10])
    sheet = load_workbook(path).active
    values = [c.value for row in sheet.iter_rows() for c in row if c.value is not None]
    assert all(not (isinstance(v, str) and v.startswith("=")) for v in values)
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_audit_and_checklist_exports_neutralise_what_people_typed(demo_workspace, system_actor, tmp_path):
    from arrs_desk.services import audit

    with demo_workspace.db.write() as session:
        audit.record(session, system_actor, "update", "staff", "1", "=HYPERLINK(\"http://evil.example\")")
    demo_workspace.audit_log.export_csv(system_actor, path=tmp_path / "audit.csv")
    with open(tmp_path / "audit.csv", encoding="utf-8-sig", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert "'=HYPERLINK(\"http://evil.example\")" in cells
    assert not any(c.lstrip(" ").startswith(("=", "+", "@")) for c in cells)

    from sqlalchemy import select

    from arrs_desk.services.actor import Actor
    from arrs_desk.store.models import UserAccount

    with demo_workspace.db.read() as session:  # the demo's new starter, ticking her own checklist
        user = session.execute(select(UserAccount).where(UserAccount.username == "zoe.okubo")).scalar_one()
    zoe = Actor(user.id, user.username, user.display_name, frozenset(user.roles), user.staff_id)
    view = demo_workspace.induction.checklist(zoe, staff_id=zoe.staff_id)
    item = next(i for i in view.items if i.can_tick)
    demo_workspace.induction.tick(zoe, item_id=item.id, expected_version=item.version, note="=1+2 tick note", completed_on=date(2026, 11, 2))
    demo_workspace.induction.export_csv(zoe, staff_id=zoe.staff_id, target=tmp_path / "checklist.csv")
    with open(tmp_path / "checklist.csv", encoding="utf-8-sig", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert "'=1+2 tick note" in cells and "=1+2 tick note" not in cells
