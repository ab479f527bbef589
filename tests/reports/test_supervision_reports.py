"""Supervision exports: the XLSX opens with openpyxl, CSV and XLSX neutralise formulas, and the
'where deployed' PDF has one page per practice with every name readable."""

from __future__ import annotations

import csv

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from arrs_desk.domain.dates import add_months
from arrs_desk.reports.deployment_pdf import build_deployment_pdf
from arrs_desk.reports.supervision_tables import write_deployment_csv, write_matrix_csv, write_matrix_xlsx
from tests.date_support import days_ago, uk
from tests.supervision_support import arrange, log, make_team, staff

HELD = days_ago(4)
"""Zoë's last clinical supervision: monthly, so in date for about another four weeks."""


@pytest.fixture
def team(workspace, system_actor):
    team = make_team(workspace, system_actor)
    arrange(workspace, team.helen, team.zoe_id, supervisor_id=team.gp_id)
    log(workspace, team.helen, [team.zoe_id], HELD, supervisor_id=team.gp_id)
    workspace.staff.create(system_actor, data=staff([team.alpha], given="=HYPERLINK(\"http://x\")", family="-2+3",
                                               manager_id=team.helen_id))
    return team


def test_matrix_xlsx_opens_and_neutralises_formulas(workspace, team, tmp_path):
    matrix = workspace.supervision.matrix(team.admin)
    path = tmp_path / "matrix.xlsx"
    written = write_matrix_xlsx(path, matrix, matrix.rows, title="Supervision matrix – Test PCN")
    sheet = load_workbook(path).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Supervision matrix – Test PCN"
    header = values[3]
    assert header[:3] == ["Name", "Role", "Practice(s)"] and "Clinical supervision" in header
    body = values[4:]
    assert len(body) == written == len(matrix.rows)
    names = [row[0] for row in body]
    assert "'=HYPERLINK(\"http://x\") -2+3" in names and "Zoë Ōkubo" in names
    assert not any(isinstance(v, str) and v.startswith(("=", "+", "-", "@")) for row in values for v in row)
    zoe = next(row for row in body if row[0] == "Zoë Ōkubo")
    assert zoe[header.index("Clinical supervision")] == f"In date (next due {uk(add_months(HELD, 1))}) – Yusuf Raghunathan"
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$4:$4"


def test_matrix_csv_neutralises_formulas(workspace, team, tmp_path):
    matrix = workspace.supervision.matrix(team.admin)
    path = tmp_path / "matrix.csv"
    write_matrix_csv(path, matrix, matrix.rows)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][0] == "Name"
    assert "'=HYPERLINK(\"http://x\") -2+3" in [r[0] for r in rows]
    assert not any(v.startswith(("=", "+", "-", "@")) for r in rows for v in r)


def test_deployment_pdf_has_a_page_per_practice_with_readable_names(workspace, team, tmp_path):
    report = workspace.supervision.deployment(team.admin)
    path = tmp_path / "deployed.pdf"
    assert build_deployment_pdf(path, report) == 2
    reader = PdfReader(path)
    assert len(reader.pages) == 2
    first, second = (page.extract_text() for page in reader.pages)
    assert "Alpha Surgery" in first and "Beta Health Centre" in second
    assert "Zoë Ōkubo" in first and "Zoë Ōkubo" in second and "Аня Петрова" in second
    assert "Yusuf Raghunathan" in first and "Not arranged" in first
    assert "staff" in first  # plain Latin text: no discretionary 'st' ligature
    assert "Page 1 of 2" in first and "Page 2 of 2" in second  # a printout can be checked complete
    single = tmp_path / "beta.pdf"
    build_deployment_pdf(single, report, [p for p in report.practices if p.ods_code == "B22222"])
    assert len(PdfReader(single).pages) == 1


def test_deployment_csv(workspace, team, tmp_path):
    path = tmp_path / "deployed.csv"
    write_deployment_csv(path, workspace.supervision.deployment(team.admin))
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    zoe = [r for r in rows if r["Name"] == "Zoë Ōkubo"]
    assert [r["Practice"] for r in zoe] == ["Alpha Surgery", "Beta Health Centre"]
    assert zoe[0]["Clinical supervision"] == "Yusuf Raghunathan (In date)"
