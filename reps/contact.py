"""How the portal tells a rep something (a claim decided, a meeting called off): by email where
they take it, otherwise through the staff member who acted, in the way the rep asked to be
contacted."""

from collections.abc import Iterable
from datetime import date

from django.core.mail import EmailMessage
from django.template.loader import render_to_string

from reps.models import Rep, Term


def send_to_each(addresses: Iterable[str], subject: str, body: str) -> int:
    """The same email to each address on its own, so that nobody's address is shown to the
    others; how many went."""
    return sum(EmailMessage(subject, body, to=[address]).send() for address in addresses)


def send_to_reps(reps: Iterable[Rep], subject: str, template: str, context: dict) -> int:
    """One email to each rep who takes email, so that nobody's address is shown to the others,
    each rendered with the rep and whether they sign in; how many went."""
    sent = 0
    for rep in reps:
        address = email_for(rep)
        if not address:
            continue
        personal = {"rep": rep, "signs_in": signs_in(rep)}
        body = render_to_string(template, {**context, **personal})
        sent += EmailMessage(subject, body, to=[address]).send()
    return sent


def reps_in_post_who_sign_in(board_id: int, day: date) -> list[Rep]:
    """The reps holding a seat on the board on `day` who sign in, by name: those told of what
    changes for the board's reps (their self-assessment, the expenses policy)."""
    terms = (
        Term.objects.with_end()
        .filter(seat__board=board_id, start__lte=day, end__gte=day)
        .select_related("rep__user")
        .order_by("rep__full_name")
    )
    reps = {term.rep_id: term.rep for term in terms}.values()
    return [rep for rep in reps if signs_in(rep)]


def signs_in(rep: Rep) -> bool:
    """Whether a link to the claim is any use: a rep kept on paper has no account to open it."""
    return rep.user_id is not None and rep.user.is_active


def email_for(rep: Rep) -> str:
    """Where to email the rep: the address they sign in with, else the one on their record.
    Empty when they have neither, or asked not to be contacted by email."""
    if not rep.contact_by_email:
        return ""
    if signs_in(rep) and rep.user.email:
        return rep.user.email
    return rep.email


def tell_them_yourself(rep: Rep) -> str:
    """For the staff member who acted, when no email will go: how to tell the rep instead.
    Empty when the rep is emailed."""
    if email_for(rep):
        return ""
    ways = []
    if rep.contact_by_phone and rep.phone:
        ways.append(f"by phone on {rep.phone}")
    if rep.contact_by_post and rep.address:
        ways.append("by post")
    how = " or ".join(ways) or "in your usual way"
    why = "asked not to be emailed" if rep.contact_by_email is False else "has no email address"
    return f"{rep.full_name} {why}, so they are not told by email. Please tell them {how}."
