"""Access rules for recruitment: the boards' public pages, and expressions of interest for staff;
and what a board sets for itself (its contact, standards and induction items).

Merged into the one table in tests/access_policy.py. The public pages answer everyone, signed in
or not. Expressions of interest hold members of the public's contact details, so only staff who
manage reps on the board reach them: staff of another board get 404, so their existence does not
leak; staff of the same board without "manage reps" get 403 (tests/test_recruitment_staff.py).
"""

from reps.models import InductionItemTemplate
from tests.access_policy import PUBLIC, STAFF, Rule, only, outcome

OTHER_BOARD = "staff of another board get 404, not 403"


def _board(ctx):
    return {"slug": ctx.board_a.slug}


def _interest(ctx):
    from reps.models import ExpressionOfInterest

    interest = ExpressionOfInterest.objects.create(
        board=ctx.board_a,
        full_name="Canary Interest",
        email="canary.interest@example.org",
        consent_to_contact=True,
    )
    return {"pk": interest.pk}


def _board_a_only() -> dict[str, int]:
    return only(["staff_a"], others=403, staff_b=404)


POLICY: dict = {
    "public_board_list": Rule(PUBLIC, note="every board, with its open seats"),
    "public_board": Rule(PUBLIC, kwargs=_board, note="roles, vacancies, policy, contact, form"),
    "public_board_interest": Rule(
        PUBLIC, kwargs=_board, note="the form; a post with problems comes back to it"
    ),
    "public_board_interest_sent": Rule(PUBLIC, kwargs=_board, note="what happens next"),
    "public_board_interest_equality": Rule(
        outcome(404, anonymous=404),
        kwargs=_board,
        note="only for the browser that has just sent the form, once: 404 for everyone else",
    ),
    "reps:staff_interest_list": Rule(
        only(STAFF), note="expressions of interest on the boards where they manage reps"
    ),
    "reps:staff_pool_list": Rule(only(STAFF), note="the pool of the boards where they manage reps"),
    "reps:staff_interest_detail": Rule(_board_a_only(), kwargs=_interest, note=OTHER_BOARD),
    "reps:staff_interest_appoint": Rule(_board_a_only(), kwargs=_interest, note=OTHER_BOARD),
    "reps:staff_interest_pool": Rule(_board_a_only(), kwargs=_interest, note=OTHER_BOARD),
    "reps:staff_interest_stay_in_pool": Rule(
        only(["staff_a"], status=302, others=403, staff_b=404),
        kwargs=_interest,
        method="post",
        note="a button: back to the person's page, saying whether it was noted; " + OTHER_BOARD,
    ),
    "reps:staff_interest_forget": Rule(
        _board_a_only(), kwargs=_interest, note=OTHER_BOARD + "; a GET asks first"
    ),
    "reps:staff_board_contact": Rule(_board_a_only(), kwargs=_board, note=OTHER_BOARD),
    "reps:staff_board_induction": Rule(
        _board_a_only(), kwargs=_board, note="the board's own checklist items; " + OTHER_BOARD
    ),
    "reps:staff_board_induction_item": Rule(
        _board_a_only(),
        kwargs=lambda ctx: {
            **_board(ctx),
            "pk": InductionItemTemplate.objects.get_or_create(board=ctx.board_a, title="Own item")[
                0
            ].pk,
        },
        note="one of the board's own items; " + OTHER_BOARD,
    ),
    "reps:staff_board_standards": Rule(
        _board_a_only(), kwargs=_board, note="notice of papers, warning of terms; " + OTHER_BOARD
    ),
}
