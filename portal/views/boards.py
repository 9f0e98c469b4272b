"""The public pages of the boards: no sign-in, for anyone thinking of becoming a rep.

Each board's page shows its rep roles, its vacancies with what the role involves and the support
given, the expenses policy in force, a named contact, the board's latest published
self-assessment and the "I'm interested" form. These pages read reps, expenses and standards
together, so they live here, above the three apps.

What they show is public by design (`reps.recruitment`, `standards.public`): no one's name unless
the rep chose to be listed, and no contact details but the board's named contact.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from expenses import selectors as expense_selectors
from portal.core.forms import add_service_errors
from portal.core.models import Board
from portal.throttling import client_ip_address
from reps import access, recruitment, rules, services
from reps.forms_recruitment import InterestEqualityForm, InterestForm
from reps.models import ExpressionOfInterest
from standards import public as standards_public
from standards import scoring

# The session key of the expression of interest this browser has just sent.
JUST_SENT = "interest_just_sent"


@login_not_required
@require_safe
def board_list(request):
    today = timezone.localdate()
    return render(
        request,
        "portal/boards/board_list.html",
        {"boards": recruitment.boards_with_open_seats(Board.objects.order_by("name"), today=today)},
    )


def _page_context(board: Board) -> dict:
    today = timezone.localdate()
    page = recruitment.public_board(board, today=today)
    policy = expense_selectors.policy_in_force(board, today)
    return {
        "board": board,
        "page": page,
        "policy": policy,
        "policy_lines": expense_selectors.policy_lines(policy) if policy else [],
        # Where the partnership publishes the policy in full: the version in force, or the board's.
        "policy_url": (policy.published_url if policy else "") or board.expenses_policy_url,
        # More than Equal asks boards to publish their evaluation: the latest one, without names.
        "published": standards_public.published_assessment(board),
        "scale": scoring.SCALE,
        # Only what staff marked public: a role description, the expenses policy.
        "documents": list(access.public_documents(board).order_by("title", "pk")),
    }


@login_not_required
@require_safe
def board_page(request, slug):
    board = access.get_board_public(slug)
    context = _page_context(board)
    form = InterestForm(board=board, roles=context["page"].roles)
    return render(request, "portal/boards/board_page.html", {**context, "form": form})


@login_not_required
@require_http_methods(["GET", "POST"])
def board_interest(request, slug):
    """The "I'm interested" form on a page of its own: where a vacancy's link leads, and where
    a form with a problem comes back to be put right."""
    board = access.get_board_public(slug)
    page = recruitment.public_board(board, today=timezone.localdate())
    if request.method != "POST":
        role = request.GET.get("role", "")
        initial = {"role": role} if role in dict(page.roles) else {}
        form = InterestForm(board=board, roles=page.roles, initial=initial)
        return render(request, "portal/boards/interest.html", {"board": board, "form": form})

    form = InterestForm(request.POST, board=board, roles=page.roles)
    # Every post counts, valid or not: a program trying again and again is what the limit is for.
    posts = services.interest_post_counted(client_address=client_ip_address(request))
    if rules.too_many_posts(posts):
        form.is_valid()
        form.refuse_too_many()
    elif form.is_valid():
        try:
            interest = services.interest_receive(board=board, **form.for_service())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # Only whoever sent it, in this browser, may add equality answers to it, and once.
            request.session[JUST_SENT] = interest.pk
            return redirect("public_board_interest_sent", slug=board.slug)
    return render(request, "portal/boards/interest.html", {"board": board, "form": form})


def _just_sent(request, board) -> ExpressionOfInterest | None:
    """The expression of interest this browser has just sent to `board`, not yet with answers."""
    pk = request.session.get(JUST_SENT)
    if pk is None:
        return None
    return ExpressionOfInterest.objects.filter(
        pk=pk, board=board, equality_record__isnull=True, anonymised_on__isnull=True
    ).first()


@login_not_required
@require_safe
def board_interest_sent(request, slug):
    board = access.get_board_public(slug)
    return render(
        request,
        "portal/boards/interest_sent.html",
        {
            "board": board,
            "contact": recruitment.contact_for(board),
            "may_answer": _just_sent(request, board) is not None,
        },
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def board_interest_equality(request, slug):
    """The optional equality questions, offered once to whoever has just sent the form; anyone
    else gets 404, as if the page were not there."""
    board = access.get_board_public(slug)
    interest = _just_sent(request, board)
    if interest is None:
        raise Http404("There is no expression of interest waiting for answers here.")
    form = InterestEqualityForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.interest_equality_save(
                interest=interest, consent=form.cleaned_data["consent"], answers=form.answers()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            del request.session[JUST_SENT]
            messages.success(request, "Thank you. Your answers are saved.")
            return redirect("public_board_interest_sent", slug=board.slug)
    return render(request, "portal/boards/interest_equality.html", {"board": board, "form": form})
