"""The demonstration PCN's review histories, written in bulk, are exactly what the review service
writes for the same steps (issue 18: the demo of 10,000 staff in under two minutes).

The bulk writer (`demo.review_writer`) writes each review's final rows and one audit entry per
step; here the same plan is also carried out step by step through the service's own functions,
with their permission checks, validation and audit, and the two databases must match in every
table and column, audit chain and signed hashes included (the clock stands still, so even the
timestamps agree).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from arrs_desk.clock import parse_instant
from arrs_desk.demo import reviews as reviews_demo
from arrs_desk.demo.pcn import build_demo
from arrs_desk.services.actor import SYSTEM
from arrs_desk.services.reviews import ObjectiveInput, PdpInput
from arrs_desk.services.reviews import impact as impact_log
from arrs_desk.services.reviews import signatures, writing
from arrs_desk.services.reviews.facts import load_objectives, load_pdp
from tests.support.exports import export_plain


def through_the_service(session, today, histories) -> None:
    """Each step of each history as the service's write functions carry it out."""
    for history in histories:
        for planned in history.reviews:
            review = writing.create(session, planned.recorded_by, today, planned.data, True)
            if any(o.updated for o in planned.objectives):
                items = [ObjectiveInput(row.id, row.description, row.measure, row.due_date,
                                        o.status if o.updated else row.status,
                                        o.progress if o.updated else row.progress)
                         for row, o in zip(load_objectives(session, review.id), planned.objectives, strict=True)]
                plan = [PdpInput(p.id, p.need, p.action, p.support, p.target_date, p.status)
                        for p in load_pdp(session, review.id)]
                review = writing.update(session, planned.recorded_by, today, review.id,
                                        replace(planned.data, objectives=items, pdp=plan), review.version)
            if planned.self_assessment is not None:
                review = writing.self_assess(session, history.me, today, review.id, *planned.self_assessment,
                                             review.version)
            for signature in planned.signatures:
                if signature.on_paper is not None:
                    review = signatures.record_on_paper(session, signature.by, today, review.id,
                                                        signature.party.value, signature.on_paper, review.version)
                else:
                    review = signatures.sign(session, signature.by, today, review.id, signature.party.value,
                                             review.version, "", signature.signed_at)
        for actor, data in history.impact:
            impact_log.add(session, actor, today, data)


def _built(tmp_path, name: str, with_accounts: bool) -> dict[str, list[dict]]:
    from arrs_desk.services.data_export import read_export
    from arrs_desk.services.workspace import Workspace

    workspace = Workspace.open(tmp_path / f"{name}.sqlite3")
    try:
        build_demo(workspace, seed=11, with_accounts=with_accounts)
        export_plain(workspace.data_export, SYSTEM, tmp_path / f"{name}.zip")
    finally:
        workspace.close()
    tables = read_export(tmp_path / f"{name}.zip").rows
    for row in tables["user_account"]:
        row["password_hash"] = "(salted)"
    return tables


@pytest.mark.slow
@pytest.mark.sqlite_only("compares two whole builds in two SQLite files; the standard demo tests build it on "
                         "PostgreSQL too")
@pytest.mark.parametrize(("day", "with_accounts"), [
    ("2026-12-03", True),  # appraisers sign in the app; the external appraiser's signatures come on paper
    ("2028-02-29", False),  # nobody has an account: everyone signs as a person without one
    ("2027-03-28T00:30", True),  # before any working hour: signatures "this afternoon" are moved to now
])
def test_the_bulk_writer_writes_what_the_service_writes(clock, tmp_path, monkeypatch, day, with_accounts):
    clock.set(parse_instant(day))
    bulk = _built(tmp_path, "bulk", with_accounts)
    monkeypatch.setattr(reviews_demo, "write_histories", through_the_service)
    service = _built(tmp_path, "service", with_accounts)

    assert len(bulk["review"]) > 50 and any(o["carried_from_id"] for o in bulk["review_objective"])
    assert {s["signed_on"] is not None and s["signed_at"] is None for s in bulk["review_sign_off"]} == {True, False}
    for table in sorted(set(bulk) | set(service)):
        assert bulk.get(table) == service.get(table), f"{table} differs"


def test_a_plan_the_service_would_refuse_is_refused_and_nothing_is_written(workspace, system_actor):
    """The writer checks values with the service's rules: a meeting before the person started
    names the field, and the transaction leaves nothing behind."""
    from arrs_desk.demo.review_writer import PersonHistory, PlannedReview, write_histories
    from arrs_desk.errors import ValidationError
    from arrs_desk.store.models import AuditEntry, Review
    from tests.review_support import NEWBIE_STARTED, make_review_team, review_input

    team = make_review_team(workspace, system_actor)
    before_start = NEWBIE_STARTED - timedelta(days=10)
    data = replace(review_input(team, staff_id=team.newbie_id), period_start=before_start - timedelta(days=30),
                   period_end=before_start, meeting_date=before_start)
    history = PersonHistory(team.newbie_id, "محمد الحسن", NEWBIE_STARTED, system_actor,
                            reviews=[PlannedReview(data, team.helen, "Dr Yusuf", [])])
    entries = count(workspace, AuditEntry)
    with pytest.raises(ValidationError) as refused:
        with workspace.db.write() as session:
            write_histories(session, workspace.today(), [history])
    assert set(refused.value.errors) == {"meeting_date", "period"}
    assert count(workspace, Review) == 0 and count(workspace, AuditEntry) == entries


def count(workspace, model) -> int:
    with workspace.db.read() as session:
        return session.execute(select(func.count()).select_from(model)).scalar()
