"""Self-assessments for the standards tests: board A's for a year, and ways to fill each side in.

Staff A leads the assessment on board A (the factory grants every permission); reps A1 and A2 give
the reps' perspective together.
"""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from standards import services
from standards.models import AreaForDevelopment, Framework
from standards.states import Side
from tests.factories import TermFactory

YEAR = 2024
# A moment inside the 2024/25 financial year, so every stamped time is the same in every run.
WHEN = datetime(2025, 2, 3, 10, 0, tzinfo=UTC)
DEADLINE = date(2025, 3, 1)
AFTER_DEADLINE = datetime(2025, 3, 2, 10, 0, tzinfo=UTC)


def first_edition() -> Framework:
    return Framework.objects.get(slug="more-than-equal-2024")


def areas(framework: Framework | None = None) -> list[AreaForDevelopment]:
    return list(
        AreaForDevelopment.objects.filter(
            recommendation__framework=framework or first_edition()
        ).select_related("recommendation")
    )


def left_the_board(user, board):
    """Give the rep account a term on `board` that ended yesterday: a rep who has left."""
    today = timezone.localdate()
    TermFactory(
        rep=user.rep_profile,
        seat__group__board=board,
        start=today - timedelta(days=1000),
        ended_on=today - timedelta(days=1),
    )


def side(assessment, which):
    return assessment.perspectives.get(side=which)


def answer_all(assessment, which, by, *, score=4, evidence="", now=WHEN, **extra):
    """Give every area for development on one side the same score (and any other fields)."""
    perspective = side(assessment, which)
    for area in areas(assessment.framework):
        services.response_save(
            perspective=perspective,
            area=area,
            by=by,
            now=now,
            score=score,
            evidence=evidence,
            **extra,
        )
    return perspective


def submit(assessment, which, by, *, score=4, evidence="", now=WHEN):
    perspective = answer_all(assessment, which, by, score=score, evidence=evidence, now=now)
    return services.perspective_submit(perspective=perspective, by=by, now=now)


@pytest.fixture
def assessment_a(board_a, staff_a):
    return services.assessment_start(
        board=board_a, financial_year=YEAR, by=staff_a, reps_deadline=DEADLINE, now=WHEN
    )


@pytest.fixture
def both_submitted(assessment_a, staff_a, rep_a1):
    submit(assessment_a, Side.STAFF, staff_a, score=5)
    submit(assessment_a, Side.REPS, rep_a1, score=2)
    return assessment_a
