"""Subject access (issue 20 item 3): everything held about a person, as a PDF and a ZIP, printed
by the person for themselves or by an administrator for anyone; owner-only files; audited."""

from __future__ import annotations

import json
import zipfile

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from arrs_desk.errors import PermissionDenied
from arrs_desk.paths import is_private
from arrs_desk.store.models import AuditEntry
from tests.retention_support import LEAVER, make_leaver_pcn


@pytest.fixture
def pcn(workspace, system_actor, tmp_path):
    return make_leaver_pcn(workspace, system_actor, tmp_path)


def pdf_text(path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(str(path)).pages).split())


def test_the_person_prints_everything_held_about_them(workspace, pcn, tmp_path):
    quentin, leaver = pcn.actors["quentin"], pcn.staff_ids["quentin"]
    result = workspace.subject_access.save(quentin, staff_id=leaver, folder=tmp_path / "sar")
    assert is_private(result.pdf) and is_private(result.zip) and is_private(tmp_path / "sar")
    text = pdf_text(result.pdf)
    assert f"Everything we hold about {LEAVER}" in text and "Induction item" in text and "Audit trail" in text
    assert "Private reflective notes are included" in text
    with zipfile.ZipFile(result.zip) as archive:
        data = json.loads(archive.read("data.json"))
        names = archive.namelist()
    assert data["person"]["staff"]["family_name"] == "Zabrowski" and data["tables"]["induction_item"]
    assert data["held_elsewhere"]["checkins_answered"] == [{"months_in_post": 3}]
    account = data["held_elsewhere"]["sign_in_account"][0]
    assert account["username"] == "quentin" and "password_hash" not in account
    assert result.evidence_files == 1 and sum(n.startswith("evidence/") for n in names) == 1
    with workspace.db.read() as session:
        entries = session.execute(select(AuditEntry).where(AuditEntry.entity_type == "subject_access")).scalars().all()
    assert {e.changes["format"] for e in entries} == {"PDF", "ZIP"} and all(e.subject_staff_id == leaver
                                                                             for e in entries)


def test_only_the_person_or_an_administrator_may(workspace, pcn, tmp_path):
    leaver = pcn.staff_ids["quentin"]
    with pytest.raises(PermissionDenied):
        workspace.subject_access.save(pcn.actors["helen"], staff_id=leaver, folder=tmp_path)
    result = workspace.subject_access.save(pcn.actors["admin"], staff_id=pcn.staff_ids["rita"], folder=tmp_path)
    assert "Everything we hold about Rita Stays" in pdf_text(result.pdf)
