"""A board's expenses policy for staff: the version in force, the earlier and later versions, and
a new version from a date.

Versions are never edited: each claim item uses the version in force on its date, so changing an
old version would change what was already worked out under it. Staff who manage the board's reps
or pay its claims may add one; a board outside the user's boards answers 404, and other staff of
the board get 403.
"""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from expenses import access, selectors, services
from expenses.calculations import format_money, format_rate
from expenses.forms_staff import POLICY_FIELDS, PolicyForm
from expenses.models import ExpensePolicy, InvolvementBasisChoice
from portal.core.access import staff_required
from portal.core.forms import add_service_errors


def _limit(cap: Decimal | None, then: str = "") -> str:
    return "No limit" if cap is None else f"Up to {format_money(cap)}{then}"


def policy_rows(policy: ExpensePolicy) -> list[tuple[str, str]]:
    """Every figure of one version with its name, for staff checking what it says."""
    involvement = (
        "None"
        if policy.involvement_basis == InvolvementBasisChoice.NONE
        else f"{format_money(policy.involvement_amount)}: "
        f"{policy.get_involvement_basis_display().lower()}"
    )
    return [
        ("In force from", f"{policy.effective_from:%-d %B %Y}"),
        (
            "Car or van",
            f"{format_rate(policy.car_rate_first)} a mile for the first "
            f"{policy.car_threshold_miles:,} miles in a tax year, then "
            f"{format_rate(policy.car_rate_after)} a mile",
        ),
        ("Each passenger", f"{format_rate(policy.passenger_rate)} a mile"),
        ("Motorcycle", f"{format_rate(policy.motorcycle_rate)} a mile"),
        ("Bicycle", f"{format_rate(policy.bicycle_rate)} a mile"),
        ("Breakfast", _limit(policy.breakfast_cap)),
        ("Lunch", _limit(policy.lunch_cap)),
        ("Evening meal", _limit(policy.dinner_cap)),
        ("Food and drink in one day", _limit(policy.daily_subsistence_cap)),
        ("Overnight stay", _limit(policy.overnight_cap, " a night")),
        (
            "Replacement care",
            "The rate the rep pays"
            if policy.care_hourly_cap is None
            else _limit(policy.care_hourly_cap, " an hour"),
        ),
        ("Involvement payment", involvement),
        ("Days allowed to claim", str(policy.days_to_claim)),
        (
            "Receipt needed",
            f"For anything over {format_money(policy.receipt_threshold)}"
            if policy.receipt_threshold
            else "For everything except mileage",
        ),
    ]


def _shown(policy: ExpensePolicy) -> dict:
    return {"policy": policy, "rows": policy_rows(policy)}


@staff_required
def policy_versions(request, slug):
    board = access.get_policy_board_to_change(request.user, slug)
    versions = list(ExpensePolicy.objects.filter(board=board).order_by("-effective_from"))
    today = timezone.localdate()
    in_force = selectors.pick_policy(versions, today)
    return render(
        request,
        "expenses/staff/policy.html",
        {
            "board": board,
            "in_force": in_force and _shown(in_force),
            "lines": selectors.policy_lines(in_force) if in_force else [],
            "later": [_shown(v) for v in versions if v.effective_from > today],
            "earlier": [_shown(v) for v in versions if v.effective_from <= today and v != in_force],
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def policy_new_version(request, slug):
    board = access.get_policy_board_to_change(request.user, slug)
    current = selectors.policy_in_force(board, timezone.localdate())
    # The new version starts as a copy of the one in force: usually one or two rates change.
    initial = model_to_dict(current, fields=POLICY_FIELDS[1:]) if current else None
    form = PolicyForm(request.POST or None, board=board, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.policy_add_version(board=board, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"The new version of the policy is saved. It applies to items dated from "
                f"{version.effective_from:%-d %B %Y}.",
            )
            return redirect("expenses:staff_policy", slug=board.slug)
    return render(
        request,
        "expenses/staff/policy_form.html",
        {"board": board, "form": form, "current": current},
    )
