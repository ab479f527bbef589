from datetime import datetime, timedelta

from arrs_desk.domain.backups import (
    RetentionPolicy, automatic_backup_due, backups_to_keep, backups_to_remove, safety_copies_to_remove,
)


def daily(start: datetime, days: int, hour: int = 9) -> list[datetime]:
    return [start.replace(hour=hour) + timedelta(days=i) for i in range(days)]


def test_nothing_is_removed_while_there_are_fewer_copies_than_the_policy_keeps():
    stamps = daily(datetime(2026, 11, 1), 5)
    assert backups_to_keep(stamps) == set(stamps)
    assert backups_to_remove(stamps) == set()


def test_a_year_of_daily_copies_keeps_7_days_4_weeks_12_months():
    stamps = daily(datetime(2025, 11, 25), 365)  # 25/11/2025 .. 24/11/2026
    keep = backups_to_keep(stamps)
    newest = max(stamps)
    last_week = {newest - timedelta(days=i) for i in range(7)}
    assert last_week <= keep
    # The newest copy of each of the last 4 ISO weeks and of each of the last 12 months.
    weeks = {s.isocalendar()[:2] for s in keep}
    months = {(s.year, s.month) for s in keep}
    assert len(months) == 12 and (2025, 12) in months and (2025, 11) not in months
    assert len(weeks) >= 4
    # Month ends are the newest copy of their month.
    assert datetime(2026, 10, 31, 9) in keep and datetime(2026, 9, 30, 9) in keep
    assert datetime(2026, 10, 30, 9) not in keep
    # At most 7 + 4 + 12 copies, fewer where the rules pick the same copy.
    assert 15 <= len(keep) <= 23
    assert backups_to_remove(stamps) == set(stamps) - keep


def test_several_copies_a_day_keep_only_the_newest_of_older_days():
    stamps = [datetime(2026, 11, d, h) for d in range(1, 25) for h in (8, 12, 17)]
    keep = backups_to_keep(stamps)
    assert datetime(2026, 11, 24, 17) in keep and datetime(2026, 11, 24, 8) not in keep
    assert all(s.hour == 17 for s in keep)


def test_periods_without_copies_do_not_count():
    # Used on 3 days in spring and 3 in autumn: all six are the newest of their day, kept.
    stamps = [datetime(2026, 3, 2, 9), datetime(2026, 3, 3, 9), datetime(2026, 3, 4, 9),
              datetime(2026, 10, 5, 9), datetime(2026, 10, 6, 9), datetime(2026, 10, 7, 9)]
    assert backups_to_keep(stamps) == set(stamps)


def test_a_smaller_policy_and_an_empty_list():
    stamps = daily(datetime(2026, 1, 1), 60)
    keep = backups_to_keep(stamps, RetentionPolicy(daily=2, weekly=0, monthly=1))
    assert keep == {datetime(2026, 3, 1, 9), datetime(2026, 2, 28, 9)}
    assert backups_to_keep([]) == set()


def test_automatic_backup_is_due_once_a_calendar_day():
    now = datetime(2026, 11, 24, 8, 30)
    assert automatic_backup_due(None, now)
    assert not automatic_backup_due(datetime(2026, 11, 24, 0, 1), now)
    assert automatic_backup_due(datetime(2026, 11, 23, 23, 59), now)
    assert automatic_backup_due(datetime(2026, 11, 25, 9, 0), now)  # the clock was wrong then


def test_copies_kept_before_a_restore_are_all_kept_for_the_last_seven_days_that_have_one():
    """Two restores in a day leave two copies, each holding work the restore replaced: thinned to
    the newest per day, the first went with the next day's automatic backup."""
    first, second = datetime(2027, 3, 1, 10, 0), datetime(2027, 3, 1, 15, 0)
    assert safety_copies_to_remove([first, second]) == set()
    assert backups_to_remove([first, second]) == {first}  # the automatic copies' rule, which lost it
    year = [datetime(2026, 1, 1, 9) + timedelta(days=i) for i in range(365)] + [datetime(2026, 12, 31, 18)]
    removed = safety_copies_to_remove(year)
    assert datetime(2026, 12, 31, 9) not in removed and datetime(2026, 12, 31, 18) not in removed
    assert removed == backups_to_remove(year) - {datetime(2026, 12, 31, 9)}  # older days thinned as before
