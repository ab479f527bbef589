"""A person's record bundle: exported by their line manager or an administrator, imported into
another PCN as a new member of staff with their history, and refused when it does not check out."""

from __future__ import annotations

import hashlib
import json
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from arrs_desk.errors import PermissionDenied, ValidationError
from arrs_desk.paths import evidence_dir
from arrs_desk.services import evidence
from arrs_desk.services.actor import Actor
from arrs_desk.services.record_bundle import PREVIOUS_POST, RecordBundleService
from arrs_desk.services.workspace import Workspace
from arrs_desk.store.models import (
    AuditEntry, InductionChecklist, InductionEvidence, InductionItem, ProgrammeEnrolment, Review, ReviewObjective, Staff,
    SupervisionAttendance, SupervisionSession, TrainingRecord,
)
from tests.conftest import TODAY
from tests.support.pcn import account, build_northfield_pcn

PDF_BYTES = b"%PDF-1.4\n% BLS certificate\n%%EOF\n"
NEW_START = TODAY + timedelta(days=41)
"""The person starts at the new PCN in six weeks: a pre-start record there."""


@pytest.fixture
def other_pcn(backend, request, tmp_path):
    """Another PCN's database on the same backend, with one practice."""
    if backend == "postgres":
        databases = request.getfixturevalue("postgres_databases")
        url = databases.fresh("migrated")
        ws = Workspace.open(url)
    else:
        url = None
        ws = Workspace.open(tmp_path / "other.sqlite3")
    from arrs_desk.services.actor import SYSTEM

    ws.practice_id = build_northfield_pcn(ws, SYSTEM)
    yield ws
    ws.close()
    if url:
        databases.drop(url)


@pytest.fixture
def target_evidence(tmp_path) -> Path:
    return tmp_path / "other-evidence"


def receiver(ws: Workspace, root: Path) -> RecordBundleService:
    return RecordBundleService(ws.db, lambda: TODAY, evidence_root=lambda: root)


def mover(ws: Workspace) -> int:
    """The demo person with the fullest history: a programme, reviews, supervision and completed items."""
    with ws.db.read() as session:
        enrolled = set(session.execute(select(ProgrammeEnrolment.staff_id)).scalars())
        reviewed = set(session.execute(select(Review.staff_id)).scalars())
        supervised = set(session.execute(select(SupervisionAttendance.staff_id)).scalars())
        done = set(session.execute(select(InductionItem.staff_id).where(InductionItem.state == "complete")).scalars())
    return min(enrolled & reviewed & supervised & done)


def with_certificate(ws: Workspace, staff_id: int, tmp_path: Path) -> str:
    source = tmp_path / "BLS.pdf"
    source.write_bytes(PDF_BYTES)
    stored = evidence.store_file(source, evidence_dir())
    with ws.db.write() as session:
        item = session.execute(select(InductionItem).where(InductionItem.staff_id == staff_id,
                                                           InductionItem.state == "complete")).scalars().first()
        session.add(InductionEvidence(item_id=item.id, staff_id=staff_id, sha256=stored.sha256,
                                      stored_name=stored.stored_name, original_name="BLS.pdf",
                                      media_type=stored.kind.media_type, size=stored.size, added_by_name="Old Manager"))
    return stored.stored_name


@pytest.fixture
def bundle(demo_workspace, system_actor, tmp_path):
    staff_id = mover(demo_workspace)
    stored_name = with_certificate(demo_workspace, staff_id, tmp_path)
    path = tmp_path / "bundle.zip"
    demo_workspace.record_bundles.export_bundle(system_actor, staff_id=staff_id, path=path)
    return path, staff_id, stored_name


def counts(ws: Workspace) -> dict[str, int]:
    with ws.db.read() as session:
        return {m.__tablename__: session.execute(select(func.count()).select_from(m)).scalar_one()
                for m in (Staff, InductionChecklist, InductionItem, Review, SupervisionSession, AuditEntry)}


def test_a_bundle_becomes_a_new_pre_start_record_with_its_history(
        bundle, demo_workspace, other_pcn, system_actor, target_evidence):
    path, old_id, stored_name = bundle
    with demo_workspace.db.read() as session:
        old = session.get(Staff, old_id)
        old_reviews = session.execute(select(func.count()).where(Review.staff_id == old_id)).scalar_one()
        old_done = session.execute(select(func.count()).where(InductionItem.staff_id == old_id,
                                                              InductionItem.state == "complete")).scalar_one()
    assert demo_workspace.audit_log.entries(system_actor)[0].action == "export_bundle"

    made = receiver(other_pcn, target_evidence).import_bundle(
        system_actor, path=path, employer_id=other_pcn.practice_id, practice_ids=[other_pcn.practice_id], start_date=NEW_START)
    with other_pcn.db.read() as session:
        record = session.get(Staff, made.staff_id)
    assert (record.given_name, record.family_name, record.role_code) == (old.given_name, old.family_name, old.role_code)
    assert record.registration_number == old.registration_number and record.status == "pre_start"
    assert record.employer_id == other_pcn.practice_id and record.start_date == NEW_START
    assert record.line_manager_id is None
    assert (target_evidence / stored_name[:2] / stored_name).read_bytes() == PDF_BYTES

    with other_pcn.db.read() as session:
        kinds = sorted(session.execute(select(InductionChecklist.kind).where(
            InductionChecklist.staff_id == made.staff_id)).scalars())
        assert kinds == ["induction", PREVIOUS_POST]  # the new post's own checklist, and the old one's record
        carried = session.execute(select(InductionItem).join(InductionChecklist).where(
            InductionChecklist.kind == PREVIOUS_POST)).scalars().all()
        assert len(carried) == old_done and {i.state for i in carried} == {"complete"}
        assert all(i.section_title.startswith("Previous post") for i in carried)
        assert all(i.signed_by_user_id is None and i.ticked_by_user_id is None for i in carried)
        reviews = session.execute(select(Review).where(Review.staff_id == made.staff_id)).scalars().all()
        assert len(reviews) == old_reviews
        assert all(r.appraiser_staff_id is None and r.appraiser_external_id is None for r in reviews)
        assert any(r.appraiser_name for r in reviews)
        objectives = session.execute(select(ReviewObjective).where(ReviewObjective.staff_id == made.staff_id)).scalars().all()
        review_ids = {r.id for r in reviews}
        assert objectives and all(o.review_id in review_ids for o in objectives)
        sessions = session.execute(select(SupervisionSession).join(SupervisionAttendance).where(
            SupervisionAttendance.staff_id == made.staff_id)).scalars().all()
        assert sessions and all(s.supervisor_staff_id is None and s.supervisor_name for s in sessions)
        enrolment = session.execute(select(ProgrammeEnrolment).where(
            ProgrammeEnrolment.staff_id == made.staff_id)).scalars().first()
        assert enrolment.preceptor_staff_id is None and enrolment.assessor_staff_id is None
        assert "Previous post at" in enrolment.notes
    entry = other_pcn.audit_log.entries(system_actor)[0]
    assert entry.action == "import_bundle" and entry.changes["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    # The services read the carried history as they read their own.
    assert other_pcn.reviews.reviews_of(system_actor, staff_id=made.staff_id)
    assert other_pcn.programmes.enrolments_for(system_actor, staff_id=made.staff_id)
    assert other_pcn.supervision.person(system_actor, staff_id=made.staff_id)
    view = other_pcn.induction.checklist(system_actor, staff_id=made.staff_id)
    assert any(s.title.startswith("Previous post") for s in view.sections)


def test_training_completions_move_with_the_person(bundle, demo_workspace, other_pcn, system_actor, target_evidence):
    """A three-yearly safeguarding course stays valid after a move: the bundle left training out,
    so the new PCN saw "never done" for everything the person had done."""
    path, old_id, _ = bundle
    with demo_workspace.db.read() as session:
        before = sorted((t.subject_code, t.level, t.completed_on, t.provider) for t in session.execute(
            select(TrainingRecord).where(TrainingRecord.staff_id == old_id)).scalars())
    assert before, "the demo's mover has training to carry"
    made = receiver(other_pcn, target_evidence).import_bundle(
        system_actor, path=path, employer_id=other_pcn.practice_id, practice_ids=[other_pcn.practice_id],
        start_date=NEW_START)
    assert made.carried["training_record"] == len(before)
    with other_pcn.db.read() as session:
        after = session.execute(select(TrainingRecord).where(TrainingRecord.staff_id == made.staff_id)).scalars().all()
    assert sorted((t.subject_code, t.level, t.completed_on, t.provider) for t in after) == before
    assert all(t.recorded_by_user_id is None for t in after)  # the old PCN's accounts are not this one's


def test_a_bundle_from_before_training_was_carried_still_imports(bundle, other_pcn, system_actor, target_evidence,
                                                                 tmp_path):
    path, _, _ = bundle
    older = rewrite(path, tmp_path / "older.zip", edited(lambda data: data["tables"].pop("training_record")))
    made = receiver(other_pcn, target_evidence).import_bundle(
        system_actor, path=older, employer_id=other_pcn.practice_id, practice_ids=[other_pcn.practice_id],
        start_date=NEW_START, override_reason="made by the release before training was carried")
    assert made.carried["training_record"] == 0


def test_the_cpd_log_and_revalidation_evidence_move_with_their_files(demo_workspace, other_pcn, system_actor,
                                                                     target_evidence, tmp_path):
    """A registrant's cycle runs on across a move: the bundle left the CPD log, revalidation evidence
    and the certificates on them behind, so the new PCN saw a nurse with no CPD at all."""
    from arrs_desk.store.models import CpdEntry, RevalidationEvidence, RevalidationFile

    staff_id = mover(demo_workspace)
    certificate = tmp_path / "anaphylaxis.pdf"
    certificate.write_bytes(PDF_BYTES)
    stored = evidence.store_file(certificate, evidence_dir())
    with demo_workspace.db.write() as session:
        for model in (RevalidationFile, CpdEntry, RevalidationEvidence):  # the demo's own, to count ours alone
            session.execute(model.__table__.delete().where(model.staff_id == staff_id))
        course = session.execute(select(TrainingRecord).where(TrainingRecord.staff_id == staff_id)).scalars().first()
        linked = CpdEntry(staff_id=staff_id, occurred_on=course.completed_on, title="Resuscitation update",
                          method="course", hours=2.0, source_kind="training", source_id=course.id,
                          verified_by_name="Old Manager", verified_on=TODAY - timedelta(days=2))
        unlinked = CpdEntry(staff_id=staff_id, occurred_on=TODAY - timedelta(days=9), title="Anaphylaxis e-learning",
                            method="e-learning", hours=1.5, source_kind="supervision", source_id=999_999)
        discussion = RevalidationEvidence(staff_id=staff_id, kind="discussion", occurred_on=TODAY - timedelta(days=5),
                                          title="Reflective discussion", partner_name="Ann Lee")
        session.add_all([linked, unlinked, discussion])
        session.flush()
        session.add(RevalidationFile(staff_id=staff_id, cpd_entry_id=unlinked.id, sha256=stored.sha256,
                                     stored_name=stored.stored_name, original_name="anaphylaxis.pdf",
                                     media_type=stored.kind.media_type, size=stored.size))
    path = tmp_path / "bundle.zip"
    demo_workspace.record_bundles.export_bundle(system_actor, staff_id=staff_id, path=path)
    made = receiver(other_pcn, target_evidence).import_bundle(
        system_actor, path=path, employer_id=other_pcn.practice_id, practice_ids=[other_pcn.practice_id],
        start_date=NEW_START)
    assert {t: made.carried[t] for t in ("cpd_entry", "revalidation_evidence", "revalidation_file")} == {
        "cpd_entry": 2, "revalidation_evidence": 1, "revalidation_file": 1}
    assert (target_evidence / stored.stored_name[:2] / stored.stored_name).read_bytes() == PDF_BYTES
    with other_pcn.db.read() as session:
        entries = {e.title: e for e in session.execute(
            select(CpdEntry).where(CpdEntry.staff_id == made.staff_id)).scalars()}
        carried_course = session.get(TrainingRecord, entries["Resuscitation update"].source_id)
        assert carried_course.staff_id == made.staff_id and carried_course.completed_on == course.completed_on
        assert entries["Resuscitation update"].verified_by_name == "Old Manager"
        assert entries["Resuscitation update"].verified_by_user_id is None
        assert (entries["Anaphylaxis e-learning"].source_kind, entries["Anaphylaxis e-learning"].source_id) == ("", None)
        [file] = session.execute(select(RevalidationFile).where(RevalidationFile.staff_id == made.staff_id)).scalars()
        assert file.cpd_entry_id == entries["Anaphylaxis e-learning"].id
    assert other_pcn.revalidation.person(system_actor, staff_id=made.staff_id).evidence[0].partner_name == "Ann Lee"


def test_a_bundle_from_before_cpd_was_carried_still_imports(bundle, other_pcn, system_actor, target_evidence,
                                                            tmp_path):
    path, _, _ = bundle

    def older_release(data) -> None:  # noqa: ANN001
        for table in ("cpd_entry", "revalidation_evidence", "revalidation_file"):
            data["tables"].pop(table)
    older = rewrite(path, tmp_path / "older.zip", edited(older_release))
    made = receiver(other_pcn, target_evidence).import_bundle(
        system_actor, path=older, employer_id=other_pcn.practice_id, practice_ids=[other_pcn.practice_id],
        start_date=NEW_START, override_reason="made by the release before CPD was carried")
    assert made.carried["cpd_entry"] == 0


def test_only_the_line_manager_or_an_administrator_may_export(demo_workspace, tmp_path):
    staff_id = mover(demo_workspace)
    with demo_workspace.db.read() as session:
        manager_id = session.get(Staff, staff_id).line_manager_id
        stranger = session.execute(select(Staff.id).where(Staff.id != staff_id, Staff.id != manager_id,
                                                          Staff.line_manager_id.is_(None))).scalars().first()
    # Real accounts (every audited write checks the writer's), acting for these people.
    outsider = account(demo_workspace, "other", "Other Manager", {"line_manager"}, stranger)
    with pytest.raises(PermissionDenied, match="line manager or an administrator"):
        demo_workspace.record_bundles.export_bundle(outsider, staff_id=staff_id, path=tmp_path / "no.zip")
    assert not (tmp_path / "no.zip").exists()
    if manager_id is not None:
        manager = account(demo_workspace, "mgr", "Their Manager", {"line_manager"}, manager_id)
        demo_workspace.record_bundles.export_bundle(manager, staff_id=staff_id, path=tmp_path / "yes.zip")
        data = json.loads(zipfile.ZipFile(tmp_path / "yes.zip").read("data.json"))
        assert data["private_notes_included"] is True


def test_an_administrator_does_not_carry_private_notes(bundle):
    path, _old_id, _ = bundle
    data = json.loads(zipfile.ZipFile(path).read("data.json"))
    assert data["private_notes_included"] is False
    assert all(a["reflective_notes"] == "" for a in data["tables"]["supervision_attendance"])
    assert all(r["self_assessment"] == "" and r["reflections"] == "" for r in data["tables"]["review"])


def rewrite(path: Path, out: Path, change) -> Path:  # noqa: ANN001
    with zipfile.ZipFile(path) as archive:
        files = {n: archive.read(n) for n in archive.namelist()}
    change(files)
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out


def edited(edit):  # noqa: ANN001
    """A change to data.json made by someone who also fixed up the manifest's hash."""
    def change(files) -> None:  # noqa: ANN001
        data = json.loads(files["data.json"])
        edit(data)
        files["data.json"] = json.dumps(data).encode()
        manifest = json.loads(files["manifest.json"])
        manifest["files"]["data.json"]["sha256"] = hashlib.sha256(files["data.json"]).hexdigest()
        files["manifest.json"] = json.dumps(manifest).encode()
    return change


def _unknown_role(data) -> None:  # noqa: ANN001
    data["person"]["staff"]["role_code"] = "NOPE"
    data["person"]["role_title"] = "Imaginary role"


unknown_role = edited(_unknown_role)
too_long = edited(lambda data: data["tables"]["review"][0].update(outcome_note="x" * 2001))
not_a_list = edited(lambda data: data["tables"].update(review={"id": 1}))


@pytest.mark.parametrize(("change", "message"), [
    (lambda f: f.__setitem__("data.json", f["data.json"].replace(b'"complete"', b'"completE"', 1)), "SHA-256"),
    (lambda f: f.__setitem__("../../x", b"x"), "not part of an ARRS Desk record bundle"),
    (lambda f: [f.pop(n) for n in [n for n in f if n.startswith("evidence/")]], "lacks 1 evidence file"),
    (lambda f: f.__setitem__("manifest.json", b'{"format": "arrs-desk-export", "format_version": 1}'),
     "not an ARRS Desk record bundle"),
    (lambda f: f.__setitem__("manifest.json", b"\xff\xfe{}"), "not UTF-8"),
    (unknown_role, "role 'Imaginary role' \\(code NOPE\\) is not in this PCN's role catalogue"),
    (too_long, "column outcome_note: is 2001 characters long; the most it may be is 2000"),
    (not_a_list, "Table review is missing .*or is not a list of rows"),
], ids=["tampered", "traversal", "missing-evidence", "full-export", "not-utf8", "unknown-role", "too-long", "not-list"])
def test_a_bundle_that_does_not_check_out_writes_nothing(
        bundle, other_pcn, system_actor, tmp_path, target_evidence, change, message):
    path, _, _ = bundle
    bad = rewrite(path, tmp_path / "bad.zip", change)
    before = counts(other_pcn)
    with pytest.raises(ValidationError, match=message):
        receiver(other_pcn, target_evidence).import_bundle(
            system_actor, path=bad, employer_id=other_pcn.practice_id, practice_ids=[other_pcn.practice_id],
            start_date=NEW_START, override_reason="the row checks still apply to a file let in by hand")
    assert counts(other_pcn) == before
    assert [p for p in target_evidence.rglob("*") if p.is_file()] == [] if target_evidence.exists() else True


def test_an_evidence_name_in_a_bundle_is_cleaned_as_a_chosen_one_is(
        bundle, other_pcn, system_actor, tmp_path, target_evidence):
    """A name in a bundle is data from outside this PC: cleaned on the way in (`evidence.clean_name`),
    not only length-checked, so a bidi override or a path does not reach the checklist."""
    path, _, stored_name = bundle
    renamed = edited(lambda data: next(e for e in data["tables"]["induction_evidence"]
                                       if e["stored_name"] == stored_name).update(original_name="../BLS\u202egpj.exe.pdf"))
    bad = rewrite(path, tmp_path / "names.zip", renamed)
    made = receiver(other_pcn, target_evidence).import_bundle(
        system_actor, path=bad, employer_id=other_pcn.practice_id, practice_ids=[other_pcn.practice_id],
        start_date=NEW_START, override_reason="names edited by hand")
    with other_pcn.db.read() as session:
        names = session.execute(select(InductionEvidence.original_name).where(
            InductionEvidence.staff_id == made.staff_id, InductionEvidence.stored_name == stored_name)).scalars().all()
    assert names == ["_BLSgpj.exe.pdf"]


def test_a_bad_choice_of_employer_is_named_and_nothing_written(bundle, other_pcn, system_actor, target_evidence):
    path, _, _ = bundle
    before = counts(other_pcn)
    with pytest.raises(ValidationError) as raised:
        receiver(other_pcn, target_evidence).import_bundle(system_actor, path=path, employer_id=9999, practice_ids=[],
                                                           start_date=NEW_START)
    assert "employer_id" in raised.value.errors
    assert counts(other_pcn) == before
    assert not target_evidence.exists() or not any(p.is_file() for p in target_evidence.rglob("*"))


def test_importing_needs_permission_to_add_staff(bundle, other_pcn, target_evidence):
    path, _, _ = bundle
    staff_member = Actor(5, "zoe", "Zoë", frozenset({"staff"}), None)
    with pytest.raises(PermissionDenied):
        receiver(other_pcn, target_evidence).import_bundle(
            staff_member, path=path, employer_id=other_pcn.practice_id, practice_ids=[other_pcn.practice_id],
            start_date=NEW_START)
