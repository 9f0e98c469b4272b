"""Shared pieces for the tests of agenda items: a group of board A whose meetings fall some days
either side of a Thursday, 15 January 2026, frozen for the whole test."""

from datetime import date, timedelta

import pytest

from tests.factories import GroupFactory, MeetingFactory

TODAY = date(2026, 1, 15)


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(TODAY, tick=False)


@pytest.fixture
def group(board_a):
    return GroupFactory(board=board_a, name="Strategic planning group")


def meeting_in(group, days, **extra):
    """A meeting of `group` `days` after TODAY (before, if negative)."""
    return MeetingFactory(
        group=group, date=TODAY + timedelta(days=days), venue=f"Venue {days}", **extra
    )
