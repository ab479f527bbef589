"""Which backup copies to keep, and when the next automatic one is due.

Pure rules over timestamps, so the policy is tested without files. Periods are counted over
those that have a backup (as `borg prune` does): a PC switched off for a fortnight keeps seven
daily copies from the days it was used, rather than seven empty days and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class RetentionPolicy:
    daily: int = 7
    weekly: int = 4
    monthly: int = 12


DEFAULT_POLICY = RetentionPolicy()


def _newest_per_period(ordered: list[datetime], count: int, period: Callable[[datetime], Hashable]) -> set[datetime]:
    kept: set[datetime] = set()
    seen: set[Hashable] = set()
    for stamp in ordered:
        key = period(stamp)
        if key in seen:
            continue
        if len(seen) == count:
            break
        seen.add(key)
        kept.add(stamp)
    return kept


def backups_to_keep(stamps: Iterable[datetime], policy: RetentionPolicy = DEFAULT_POLICY) -> set[datetime]:
    """The newest copy of each of the last `daily` days, `weekly` ISO weeks and `monthly` months.

    A copy that qualifies under several rules is kept once; the newest copy is always kept.
    """
    ordered = sorted(set(stamps), reverse=True)
    keep = _newest_per_period(ordered, policy.daily, lambda s: s.date())
    keep |= _newest_per_period(ordered, policy.weekly, lambda s: s.isocalendar()[:2])
    keep |= _newest_per_period(ordered, policy.monthly, lambda s: (s.year, s.month))
    return keep


def backups_to_remove(stamps: Iterable[datetime], policy: RetentionPolicy = DEFAULT_POLICY) -> set[datetime]:
    stamps = set(stamps)
    return stamps - backups_to_keep(stamps, policy)


def safety_copies_to_remove(stamps: Iterable[datetime], policy: RetentionPolicy = DEFAULT_POLICY) -> set[datetime]:
    """The copies kept before a restore that may go. Each holds work the restore replaced, so two
    restores in one day are two different states, both kept for the last `daily` days that have
    one (thinned to the newest per day, the first was deleted with the next day's backup); older
    ones are thinned as the automatic copies are."""
    stamps = set(stamps)
    recent_days = sorted({s.date() for s in stamps}, reverse=True)[:policy.daily]
    return {s for s in backups_to_remove(stamps, policy) if s.date() not in recent_days}


def automatic_backup_due(last: datetime | None, now: datetime) -> bool:
    """One automatic copy a calendar day: due when none has been made today (or the clock went back)."""
    return last is None or last.date() != now.date()
