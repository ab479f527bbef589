"""What an appraisal pack counts as worth discussing: a rule shared by the service that
assembles a pack (services.appraisal_packs) and the report that prints it (reports.pack_blocks),
kept here so neither has to reach into the other for it."""

from __future__ import annotations

GAP_DAYS = 14
"""A required supervision session overdue for at least this many days is a gap the pack lists;
shorter delays are a session booked a few days late, not a gap worth discussing."""


def is_gap_worth_discussing(days_overdue: int) -> bool:
    return days_overdue >= GAP_DAYS
