"""Emails about claims and the expenses policy, sent in the background by the tasks worker.

Each task takes only the id of the `ClaimEvent` (or policy version) that prompted it: the queue
is a database table, and names, addresses and amounts have no business sitting in it. The task
reads what it needs when it runs.
"""

from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from expenses import access, settlement
from expenses.calculations import format_money
from expenses.models import ClaimEvent, ExpensePolicy
from expenses.selectors import policy_lines
from expenses.states import ClaimStatus
from portal.core.links import absolute_url
from portal.core.periods import day_in_words
from reps import contact

SUBJECTS = {
    ClaimStatus.SUBMITTED: "An expenses claim is waiting for approval ({reference})",
    ClaimStatus.RETURNED: "Your expenses claim {reference} needs a change",
    ClaimStatus.REJECTED: "Your expenses claim {reference} has not been approved",
    ClaimStatus.APPROVED: "Your expenses claim {reference} has been approved",
    ClaimStatus.PAID: "Your expenses claim {reference} has been paid",
}

SETTLED_SUBJECT = "Your expenses claim {reference} is settled"

REP_NOTICES = frozenset(
    {ClaimStatus.RETURNED, ClaimStatus.REJECTED, ClaimStatus.APPROVED, ClaimStatus.PAID}
)


def _event(event_id: int) -> ClaimEvent | None:
    return (
        ClaimEvent.objects.select_related("claim__rep__user", "claim__board", "claim__batch")
        .filter(pk=event_id)
        .first()
    )


def _context(event: ClaimEvent) -> dict:
    claim = event.claim
    context = {
        "event": event,
        "claim": claim,
        "board": claim.board,
        "rep": claim.rep,
        "total": format_money(claim.total),
        "paid_on": claim.batch.paid_on if claim.batch_id else None,
    }
    if event.to_status == ClaimStatus.APPROVED:
        # The settled amount and why: it may differ from what the rep saw when they sent it.
        sent = (
            claim.events.filter(to_status=ClaimStatus.SUBMITTED, total__isnull=False)
            .order_by("-at", "-pk")
            .values_list("total", flat=True)
            .first()
        )
        context["sent_total"] = format_money(sent) if sent not in (None, claim.total) else ""
        context["notes"] = settlement.why_this_amount(
            claim.items.select_related("policy"), ExpensePolicy.objects.filter(board=claim.board)
        )
    return context


@task
def email_approvers_claim_submitted(event_id: int) -> int:
    """Tell the board's approvers that a claim is waiting. No name and no amount in the email."""
    event = _event(event_id)
    if event is None or event.to_status != ClaimStatus.SUBMITTED:
        return 0
    claim = event.claim
    approvers = access.approvers_to_email(claim)
    if event.by_id is not None:
        # Whoever sent the claim in knows already, and cannot approve what they entered.
        approvers = approvers.exclude(pk=event.by_id)
    subject = SUBJECTS[ClaimStatus.SUBMITTED].format(reference=claim.reference)
    link = absolute_url(reverse("expenses:staff_claim", args=[claim.pk]))
    body = render_to_string("expenses/email/claim_submitted.txt", {**_context(event), "link": link})
    sent = 0
    for approver in approvers:
        # One email each, so that no approver's address is shown to the others.
        sent += EmailMessage(subject, body, to=[approver.email]).send()
    return sent


@task
def email_rep_claim_decision(event_id: int) -> int:
    """Tell the rep their claim was returned, rejected, approved or paid."""
    event = _event(event_id)
    if event is None or event.to_status not in REP_NOTICES:
        return 0
    claim = event.claim
    address = contact.email_for(claim.rep)
    if not address:
        # The staff who made the decision were asked to tell the rep themselves.
        return 0
    subject = SUBJECTS[ClaimStatus(event.to_status)].format(reference=claim.reference)
    if event.to_status == ClaimStatus.PAID and not claim.total:
        # Care the partnership paid for directly, alone: nothing reached the rep.
        subject = SETTLED_SUBJECT.format(reference=claim.reference)
    context = _context(event)
    if contact.signs_in(claim.rep):
        context["link"] = absolute_url(reverse("expenses:my_claim", args=[claim.pk]))
        context["claims_link"] = absolute_url(reverse("expenses:my_claims"))
    body = render_to_string(f"expenses/email/claim_{event.to_status}.txt", context)
    return EmailMessage(subject, body, to=[address]).send()


@task
def email_reps_policy_version(policy_id: int) -> int:
    """Tell the board's reps in post who sign in what a new version of its expenses policy says,
    and from when."""
    policy = ExpensePolicy.objects.select_related("board").filter(pk=policy_id).first()
    if policy is None:
        return 0
    subject = (
        f"Your partnership's expenses policy for reps, from {day_in_words(policy.effective_from)}"
    )
    context = {
        "policy": policy,
        "lines": policy_lines(policy),
        "claims_link": absolute_url(reverse("expenses:my_claims")),
    }
    sent = 0
    for rep in contact.reps_in_post_who_sign_in(policy.board_id, timezone.localdate()):
        if address := contact.email_for(rep):
            body = render_to_string("expenses/email/policy_version.txt", {**context, "rep": rep})
            sent += EmailMessage(subject, body, to=[address]).send()
    return sent
