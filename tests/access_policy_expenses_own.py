"""Access rules for a rep's own expense claims, under /my/claims/.

Merged into the one table in tests/access_policy.py. The pages are for reps: staff, national
viewers and administrators get 403. A claim, item or meeting of another rep answers 404, so its
existence does not leak. The receipt download is the one page staff reach too: staff of the
claim's board get the file, everyone else who is not the rep gets 404.
"""

import datetime
import io
from decimal import Decimal

from django.core.files.base import ContentFile
from PIL import Image

from tests.access_policy import REPS, Rule, only, outcome
from tests.factories import (
    AttendanceFactory,
    ClaimFactory,
    ClaimItemFactory,
    MeetingFactory,
    UsualJourneyFactory,
)


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, format="PNG")
    return out.getvalue()


ANOTHER_REP = "another rep's claim answers 404, not 403"


def _rep_a1_only(status: int = 200) -> dict[str, int]:
    return only(["rep_a1"], status=status, others=403, rep_a2=404, rep_b1=404)


def _draft_of_rep_a1(ctx):
    rep = ctx.personas.rep_a1.rep_profile
    claim = ClaimFactory(rep=rep, status="draft")
    item = ClaimItemFactory(
        claim=claim,
        kind="parking",
        miles=None,
        vehicle="",
        amount_claimed=Decimal("3.50"),
        amount=Decimal("3.50"),
        receipt=ContentFile(_png(), name="receipt.png"),
    )
    return claim, item


def _claim(ctx):
    claim, _item = _draft_of_rep_a1(ctx)
    return {"pk": claim.pk}


def _item(ctx):
    claim, item = _draft_of_rep_a1(ctx)
    return {"pk": claim.pk, "item_pk": item.pk}


def meeting_rep_a1_attended(ctx):
    rep = ctx.personas.rep_a1.rep_profile
    meeting = MeetingFactory(group__board=ctx.board_a, date=datetime.date(2025, 6, 10))
    AttendanceFactory(meeting=meeting, rep=rep)
    return {"meeting_pk": meeting.pk}


def meeting_rep_a1_attended_with_journey(ctx):
    kwargs = meeting_rep_a1_attended(ctx)
    rep = ctx.personas.rep_a1.rep_profile
    if not rep.usual_journeys.exists():
        UsualJourneyFactory(rep=rep, venue="Somewhere else")
    return kwargs


POLICY: dict = {
    "expenses:my_claims": Rule(only(REPS)),
    "expenses:my_claim_start": Rule(
        only(REPS), note="asks for the first item; the claim is made when it is saved"
    ),
    "expenses:my_meetings": Rule(only(REPS)),
    "expenses:my_claim_from_meeting": Rule(
        _rep_a1_only(302),
        kwargs=meeting_rep_a1_attended,
        method="post",
        note="without a submission token the rep is sent back to the list; another rep "
        "(who did not attend) gets 404",
    ),
    "expenses:my_claim_journey": Rule(
        _rep_a1_only(),
        kwargs=meeting_rep_a1_attended_with_journey,
        note="asks which usual journey; another rep (who did not attend) gets 404",
    ),
    "expenses:my_claim": Rule(_rep_a1_only(), kwargs=_claim, note=ANOTHER_REP),
    "expenses:my_claim_delete": Rule(_rep_a1_only(), kwargs=_claim, note=ANOTHER_REP),
    "expenses:my_item_add": Rule(_rep_a1_only(), kwargs=_claim, note=ANOTHER_REP),
    "expenses:my_item_change": Rule(_rep_a1_only(), kwargs=_item, note=ANOTHER_REP),
    "expenses:my_item_remove": Rule(_rep_a1_only(), kwargs=_item, note=ANOTHER_REP),
    "expenses:my_claim_submit": Rule(_rep_a1_only(), kwargs=_claim, note=ANOTHER_REP),
    "expenses:my_claim_withdraw": Rule(
        _rep_a1_only(),
        kwargs=lambda ctx: {
            "pk": ClaimFactory(rep=ctx.personas.rep_a1.rep_profile, status="submitted").pk
        },
        note="a claim that was sent (a draft is deleted instead); " + ANOTHER_REP,
    ),
    "expenses:my_item_receipt": Rule(
        outcome(404, rep_a1=200, staff_a=200),
        kwargs=_item,
        note="the rep and staff of the claim's board get the file; anyone else 404",
    ),
}
