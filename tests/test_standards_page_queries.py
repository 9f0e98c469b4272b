"""The self-assessment pages cost the same number of queries however many reps took part, however
many events the record holds, and however many past years the board has assessed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from standards import services
from standards.states import Side
from tests.conftest import sign_in
from tests.factories import RepFactory
from tests.standards_fixtures import WHEN, YEAR, areas, side, submit

# A page may read a good deal (the framework, both sides, the record, the portal's evidence), but
# a fixed amount of it.
MOST_QUERIES = 25


class World:
    """Board A's 2024/25 assessment with both sides submitted, and a way to add to everything
    that could make a page read more: past years, reps who took part, events in the record."""

    def __init__(self, board, lead, rep):
        self.board, self.lead, self.rep = board, lead, rep
        self.past_years = 0
        self.reps = 0
        self.assessment = services.assessment_start(
            board=board, financial_year=YEAR, by=lead, now=WHEN
        )
        submit(self.assessment, Side.STAFF, lead, score=5)
        submit(self.assessment, Side.REPS, rep, score=2)

    def add(self, count):
        for _ in range(count):
            self.past_years += 1
            past = services.assessment_start(
                board=self.board, financial_year=YEAR - self.past_years, by=self.lead, now=WHEN
            )
            for area in areas()[:3]:
                services.response_save(
                    perspective=side(past, Side.STAFF),
                    area=area,
                    by=self.lead,
                    score=4,
                    action_what="An action from a past year",
                )
        reps = side(self.assessment, Side.REPS)
        services.perspective_reopen(perspective=reps, by=self.lead, reason="More reps to add")
        first = areas()[0]
        for _ in range(count):
            self.reps += 1
            rep = RepFactory(board=self.board, full_name=f"Extra rep {self.reps}").user
            services.response_save(perspective=reps, area=first, by=rep, evidence="Agreed")
        services.perspective_submit(perspective=reps, by=self.rep)


def _queries(client, url):
    client.get(url)  # the first request after signing in settles the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def _measure(client, world, personas):
    """Each page's query count, for each person who opens it."""
    pk = world.assessment.pk
    counts = {}
    read = {
        "list": reverse("standards:assessment_list"),
        "detail": reverse("standards:assessment_detail", args=[pk]),
        "staff side": reverse("standards:perspective_detail", args=[pk, Side.STAFF]),
        "reps side": reverse("standards:perspective_detail", args=[pk, Side.REPS]),
    }
    for who in ("staff_a", "manager_a", "rep_a1"):
        sign_in(client, personas[who])
        for name, url in read.items():
            counts[who, name] = _queries(client, url)

    # Scoring pages need a draft: the reps' set, reopened for the while.
    reps = side(world.assessment, Side.REPS)
    services.perspective_reopen(perspective=reps, by=world.lead, reason="To measure")
    sign_in(client, personas["rep_a1"])
    for number in (1, 3):
        url = reverse("standards:perspective_edit", args=[pk, Side.REPS, number])
        counts["rep_a1", f"area {number}"] = _queries(client, url)
    url = reverse("standards:perspective_submit", args=[pk, Side.REPS])
    counts["rep_a1", "check"] = _queries(client, url)
    services.perspective_submit(perspective=reps, by=world.rep)

    # Nationally, once published.
    services.assessment_publish(assessment=world.assessment, by=world.lead)
    sign_in(client, personas["national_viewer"])
    counts["national_viewer", "detail"] = _queries(client, read["detail"])
    counts["national_viewer", "reps side"] = _queries(client, read["reps side"])
    services.assessment_reopen(assessment=world.assessment, by=world.lead, reason="To measure")
    return counts


@pytest.fixture
def world(board_a, staff_a, rep_a1):
    return World(board_a, staff_a, rep_a1)


def test_pages_cost_the_same_with_ten_times_the_reps_events_and_years(
    client, world, staff_a, manager_a, rep_a1, national_viewer
):
    personas = {
        "staff_a": staff_a,
        "manager_a": manager_a,
        "rep_a1": rep_a1,
        "national_viewer": national_viewer,
    }
    world.add(1)
    small = _measure(client, world, personas)
    world.add(9)
    assert world.past_years == 10 and world.reps == 10
    assert _measure(client, world, personas) == small
    too_many = {page: count for page, count in small.items() if count > MOST_QUERIES}
    assert not too_many
