"""Access rules for a board's self-assessment pages.

Merged into the one table in tests/access_policy.py. The list is for the staff and reps of the
boards; an assessment of board A answers 404 to board B's staff and reps, and to national viewers
and administrators until it is published. Only the staff lead scores the staff side and takes the
lead's actions; any rep of the board scores the reps' side; everyone else of the board gets 403.
"""

from datetime import UTC, date, datetime

from tests.access_policy import REPS, STAFF, Rule, only, outcome

YEAR = 2024
PUBLISHED_YEAR = 2023
DEADLINE = date(2025, 3, 1)  # passed: the lead may close the reps' window
DEADLINE_SET_ON = datetime(2025, 2, 3, 10, 0, tzinfo=UTC)
OTHER_BOARD = (
    "board B's staff and reps get 404; national viewers and administrators too, until published"
)


def _fresh_draft(ctx):
    """Board A's assessment for the year, started afresh for each request: a POST let in may
    have closed, published or reopened the one before."""
    from standards import services
    from standards.models import Assessment

    Assessment.objects.filter(board=ctx.board_a, financial_year=YEAR).delete()
    return services.assessment_start(
        board=ctx.board_a,
        financial_year=YEAR,
        by=ctx.personas.staff_a,
        reps_deadline=DEADLINE,
        # Set while it was still to come.
        now=DEADLINE_SET_ON,
    )


def _draft(ctx):
    return {"pk": _fresh_draft(ctx).pk}


def _published(ctx):
    """Board A's published assessment, both sides submitted (made once per test)."""
    from standards import services
    from standards.models import Assessment
    from standards.states import Side
    from tests.standards_fixtures import submit

    found = Assessment.objects.filter(board=ctx.board_a, financial_year=PUBLISHED_YEAR).first()
    if found is None:
        found = services.assessment_start(
            board=ctx.board_a, financial_year=PUBLISHED_YEAR, by=ctx.personas.staff_a
        )
        submit(found, Side.STAFF, ctx.personas.staff_a, score=5)
        submit(found, Side.REPS, ctx.personas.rep_a1, score=3)
        services.assessment_publish(assessment=found, by=ctx.personas.staff_a)
    return found


def _published_pk(ctx):
    return {"pk": _published(ctx).pk}


def _published_staff_side(ctx):
    return {"pk": _published(ctx).pk, "side": "staff"}


def _draft_reps_area(ctx):
    return {"pk": _fresh_draft(ctx).pk, "side": "reps", "number": 1}


def _draft_staff_side(ctx):
    return {"pk": _fresh_draft(ctx).pk, "side": "staff"}


# Inside board A: its staff and reps. Outside: everyone else, who cannot tell a draft exists.
_INSIDE_A = ("rep_a1", "rep_a2", "staff_a")
_OUTSIDE_DRAFT = {"rep_b1": 404, "staff_b": 404, "national_viewer": 404, "administrator": 404}


def _published_page() -> dict[str, int]:
    return only(
        (*_INSIDE_A, "national_viewer", "administrator"), others=403, rep_b1=404, staff_b=404
    )


def _lead_only() -> dict[str, int]:
    return outcome(403, **_OUTSIDE_DRAFT, staff_a=200)


POLICY: dict[str, Rule] = {
    "standards:assessment_list": Rule(
        only((*STAFF, *REPS)), note="staff and reps see their own boards' assessments"
    ),
    "standards:assessment_start": Rule(
        only(STAFF), note="staff A and staff B each lead their own board's assessment"
    ),
    "standards:assessment_detail": Rule(
        _published_page(),
        kwargs=_published_pk,
        note="published: national viewers and administrators may read it, with no names",
    ),
    "standards:perspective_detail": Rule(
        _published_page(), kwargs=_published_staff_side, note="published: as the assessment"
    ),
    "standards:perspective_edit": Rule(
        outcome(403, **_OUTSIDE_DRAFT, rep_a1=200, rep_a2=200),
        kwargs=_draft_reps_area,
        note="any of the board's reps scores the reps' side; staff never do. " + OTHER_BOARD,
    ),
    "standards:perspective_submit": Rule(
        _lead_only(),
        kwargs=_draft_staff_side,
        note="only the staff lead scores and submits the staff side. " + OTHER_BOARD,
    ),
    "standards:reps_deadline": Rule(
        outcome(403, **_OUTSIDE_DRAFT, staff_a=302),
        kwargs=_draft,
        method="post",
        note="the lead's action; a rep gets 403. " + OTHER_BOARD,
    ),
    "standards:reps_window_close": Rule(
        outcome(403, **_OUTSIDE_DRAFT, staff_a=302),
        kwargs=_draft,
        method="post",
        note="after the deadline the lead closes the reps' window",
    ),
    "standards:assessment_publish": Rule(
        _lead_only(),
        kwargs=_draft,
        method="post",
        note="nothing submitted yet: the page says why it cannot be published",
    ),
    "standards:assessment_reopen": Rule(
        _lead_only(),
        kwargs=_draft,
        method="post",
        note="no reason given, and not published: the page says so",
    ),
    "standards:perspective_reopen": Rule(
        _lead_only(),
        kwargs=_draft_staff_side,
        method="post",
        note="no reason given: the page asks for one",
    ),
}
