"""The audit trail read a page at a time (issue 18: lists that grow past ~10,000 rows): each page
starts where the last ended, so paging reads every entry the filters select exactly once, in the
trail's order, newest first, even where many entries share a moment (a batch saved in one go)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from arrs_desk.errors import PermissionDenied
from arrs_desk.services.actor import SYSTEM, Actor
from arrs_desk.services.audit_log import AuditFilter


def every_page(workspace, flt: AuditFilter, size: int) -> list[list]:
    """The pages a viewer reads, each after the last entry of the one before."""
    pages = [workspace.audit_log.entries(SYSTEM, flt=replace(flt, limit=size))]
    while len(pages[-1]) == size:
        last = pages[-1][-1]
        pages.append(workspace.audit_log.entries(SYSTEM, flt=replace(flt, limit=size, older_than=(last.at, last.id))))
    return pages


@pytest.mark.parametrize(("flt", "size"), [(AuditFilter(), 97), (AuditFilter(action="sign_off", entity_type="review"), 1),
                                           (AuditFilter(entity_type="training"), 13)])
def test_paging_reads_every_entry_once_in_order_newest_first(demo_workspace, flt, size):
    everything = demo_workspace.audit_log.entries(SYSTEM, flt=replace(flt, limit=1_000_000))
    assert len(everything) > 2 * size and len({row.at for row in everything}) < len(everything), \
        "the demo's entries share moments: the ties are what this test is about"
    pages = every_page(demo_workspace, flt, size)
    read = [row.id for page in pages for row in page]
    assert read == [row.id for row in everything]
    assert len(set(read)) == len(read)
    assert all(len(page) == size for page in pages[:-1]) and len(pages[-1]) < size


def test_paging_follows_the_order_across_moments_and_ties(workspace, clock):
    """Entries written at several moments, some in the same one, and a filter on the text."""
    for number, minutes in enumerate((0, 5, 0, 0, 9, 0, 30)):
        clock.advance(timedelta(minutes=minutes))
        workspace.organisations.create(SYSTEM, kind="practice", name=f"Paging Surgery {number}",
                                       ods_code=f"P{number:05d}")
    everything = workspace.audit_log.entries(SYSTEM, flt=AuditFilter(limit=1_000_000))
    assert len({row.at for row in everything}) > 3
    assert [(row.at, row.id) for row in everything] == sorted(((row.at, row.id) for row in everything), reverse=True)
    for size in (1, 2, 3):
        for flt in (AuditFilter(), AuditFilter(text="Paging Surgery")):
            read = [row.id for page in every_page(workspace, flt, size) for row in page]
            wanted = workspace.audit_log.entries(SYSTEM, flt=replace(flt, limit=1_000_000))
            assert read == [row.id for row in wanted] and len(wanted) >= 7


def test_a_page_needs_the_right_to_read_the_trail(workspace):
    nobody = Actor(99, "someone", "Someone", frozenset({"staff"}), None)
    with pytest.raises(PermissionDenied):
        workspace.audit_log.entries(nobody, flt=AuditFilter(limit=10, older_than=(None, 1)))


def test_the_search_matches_what_was_typed_with_no_wildcards(workspace):
    """A % or _ in the search box is that character (not SQL's "anything"), and so is a backslash."""
    names = ["Care 100% Surgery", "Care 1000 Surgery", "A_B Surgery", "AxB Surgery", "Back\\slash Surgery",
             "Backslash Surgery"]
    for number, name in enumerate(names):
        workspace.organisations.create(SYSTEM, kind="practice", name=name, ods_code=f"Q{number:05d}")

    def found(text: str) -> list[str]:
        rows = workspace.audit_log.entries(SYSTEM, flt=AuditFilter(text=text))
        return sorted(name for name in names for row in rows if name in row.summary)

    assert found("100%") == ["Care 100% Surgery"]
    assert found("a_b") == ["A_B Surgery"]
    assert found("k\\s") == ["Back\\slash Surgery"]
    assert found("%") == ["Care 100% Surgery"] and found("_") == ["A_B Surgery"]
    assert found("surgery") == sorted(names), "still a search in any case"


def test_a_days_filter_holds_that_day_in_england_not_in_utc(workspace, clock):
    """In summer time an entry made at 00:30 on 15/07 is stored as 23:30 UTC on the 14th: the
    filter "15/07 to 15/07" left it out and took the next night's 00:30 instead."""
    from datetime import date, datetime, timezone

    for name, instant in (("Late Surgery", datetime(2026, 7, 14, 23, 30, tzinfo=timezone.utc)),
                          ("Later Surgery", datetime(2026, 7, 15, 23, 30, tzinfo=timezone.utc)),
                          ("Winter Surgery", datetime(2026, 12, 15, 23, 30, tzinfo=timezone.utc))):
        clock.set(instant)
        workspace.organisations.create(SYSTEM, kind="practice", name=name, ods_code=f"W{len(name):05d}")

    def on(day: date) -> list[str]:
        return [r.summary for r in workspace.audit_log.entries(SYSTEM, flt=AuditFilter(since=day, until=day))]

    assert [s for s in on(date(2026, 7, 15)) if "Surgery" in s] == [s for s in on(date(2026, 7, 15)) if "Late " in s]
    assert any("Late Surgery" in s for s in on(date(2026, 7, 15)))
    assert any("Later Surgery" in s for s in on(date(2026, 7, 16)))
    assert any("Winter Surgery" in s for s in on(date(2026, 12, 15)))  # no summer time: the UTC day
