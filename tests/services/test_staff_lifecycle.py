"""A staff record's life: status that follows the dates, leaving on a last day, and coming back."""

from __future__ import annotations

import pytest

from arrs_desk.errors import ValidationError
from tests.conftest import TODAY
from tests.date_support import days_ago, uk
from tests.support.pcn import HELEN, Member, build_small_pcn

LENA = Member("lena", "Lena", "Leaver", days_ago(400), role="PARA")


@pytest.fixture
def pcn(workspace, system_actor):
    return build_small_pcn(workspace, system_actor, members=(HELEN, LENA))


def save(workspace, actor, staff_id: int, **changes):
    record = workspace.staff.get(actor, staff_id=staff_id)
    for name, value in changes.items():
        setattr(record.data, name, value)
    return workspace.staff.update(actor, staff_id=staff_id, data=record.data, expected_version=record.version)


def test_a_last_day_of_today_is_accepted_and_a_day_gone_is_not(workspace, system_actor, pcn):
    """The end date is the last day in post: today's is still to be worked, yesterday's has passed."""
    lena = pcn.staff_ids["lena"]
    assert save(workspace, system_actor, lena, end_date=TODAY).data.end_date == TODAY
    with pytest.raises(ValidationError) as caught:
        save(workspace, system_actor, lena, end_date=days_ago(1))
    assert f"The end date ({uk(days_ago(1))}) has passed" in caught.value.errors["status"]
