"""Shared pieces for the tests of what a rep holds of their own: Alice (rep A1 of board A), on
a Thursday morning, 20 November 2025, frozen for the whole test."""

import datetime

import pytest
import time_machine

TODAY = datetime.date(2025, 11, 20)
NOW = datetime.datetime(2025, 11, 20, 10, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(NOW):
        yield


@pytest.fixture
def alice(rep_a1):
    return rep_a1.rep_profile
