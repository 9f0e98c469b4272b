"""A board's self-assessments: the list, starting a year, the assessment's page, and the staff
lead's actions on it (the reps' deadline, closing their window, publishing, reopening).

Every assessment comes from `standards.access`, scoped to the person: 404 outside their boards
(or, for national viewers and administrators, outside what is published), 403 for an action their
role does not allow. Every change goes through `standards.services`; a refusal is shown on the
page in words, never as an error page.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from portal.core.access import role_required
from portal.core.forms import add_service_errors
from portal.core.models import User
from portal.core.periods import day_in_words, financial_year_of, financial_years_to_offer
from standards import access, scoring, selectors, services, states
from standards.forms import AssessmentStartForm, DeadlineForm, ReasonForm
from standards.models import FIRST_YEAR, Assessment
from standards.states import AssessmentError, PerspectiveStatus, Side
from standards.views.common import SIDE_OWNERS, trail

staff_or_rep_required = role_required(User.Role.STAFF, User.Role.REP)

DETAIL_TEMPLATE = "standards/assessments/detail.html"
# How far back a lead may start a year that was missed.
YEARS_BACK = 4


def _start_form(user, data=None):
    boards = access.boards_led_by(user).order_by("name")
    listed = list(boards)
    if not listed:
        return None
    today = timezone.localdate()
    years = [
        year for year in financial_years_to_offer(today, back=YEARS_BACK) if year >= FIRST_YEAR
    ]
    if len(listed) == 1:
        started = selectors.years_started(listed[0])
        years = [year for year in years if year not in started]
    if not years:
        return None
    # The year just ended: boards report on it in their Annual Performance Report.
    suggested = financial_year_of(today) - 1
    return AssessmentStartForm(data, boards=boards, years=years, suggested=suggested)


@staff_or_rep_required
def assessment_list(request):
    """The person's boards' assessments by year, newest first, each side's status as they may
    know it; and for a staff lead, the form to start a year."""
    user = request.user
    rows = selectors.assessment_list(access.assessments_for(user), access.own_side(user))
    led = list(access.boards_led_by(user))
    return render(
        request,
        "standards/assessments/list.html",
        {
            "rows": rows,
            "several_boards": len({row.assessment.board_id for row in rows}) > 1,
            "start_form": _start_form(user),
            "leads_any": bool(led),
            # The actions of the published plans the lead follows up, as they come due.
            "actions_due": selectors.actions_due(led, today=timezone.localdate()),
            "actions_due_within": selectors.ACTIONS_DUE_WITHIN_DAYS,
            "today": timezone.localdate(),
            "crumbs": trail(user, in_list=False),
        },
    )


@staff_or_rep_required
@require_http_methods(["GET", "POST"])
def assessment_start(request):
    """Start a board's assessment for a year, carrying last year's action plan over."""
    user = request.user
    form = _start_form(user, request.POST or None)
    if form is None:
        if not access.boards_led_by(user).exists():
            # Only a board's staff lead starts its assessment.
            raise PermissionDenied
        messages.info(request, "Every year you could start already has an assessment.")
        return redirect("standards:assessment_list")
    if request.method == "POST" and form.is_valid():
        board = access.get_board_to_lead(user, form.cleaned_data["board"].slug)
        try:
            assessment = services.assessment_start(
                board=board,
                financial_year=form.cleaned_data["financial_year"],
                reps_deadline=form.cleaned_data["reps_deadline"],
                by=user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except AssessmentError as error:
            form.add_error(None, error.message)
        else:
            started = f"The {assessment.year_label} self-assessment for {board.name} has started."
            if assessment.carried_from_id:
                started += (
                    f" The action plan from {assessment.carried_from.year_label} has been carried "
                    "over to both sides as a starting point: change or remove each action as "
                    "you score."
                )
            messages.success(request, started)
            return redirect("standards:assessment_detail", pk=assessment.pk)
    return render(
        request, "standards/assessments/start.html", {"form": form, "crumbs": trail(user)}
    )


# The assessment's page


def _lead_forms(assessment: Assessment, perspectives, bound: dict) -> dict:
    """The staff lead's forms, unbound unless one was just sent back with a problem."""
    forms = {
        "deadline_form": bound.get("deadline_form")
        or DeadlineForm(initial={"reps_deadline": assessment.reps_deadline}),
        "reopen_assessment_form": bound.get("reopen_assessment_form")
        or ReasonForm(
            prefix="reopen-assessment", label="Why are you reopening the published assessment?"
        ),
        "reopen_forms": [],
    }
    for side in (Side.STAFF, Side.REPS):
        if perspectives[side].status in states.DONE:
            key = f"reopen_{side}_form"
            forms["reopen_forms"].append(
                (
                    side,
                    bound.get(key)
                    or ReasonForm(
                        prefix=f"reopen-{side}",
                        label=f"Why are you reopening {SIDE_OWNERS[side]} scores?",
                    ),
                )
            )
    return forms


def _detail(request, assessment: Assessment, *, problem: str = "", **bound):
    """The assessment's page; `problem` and `bound` forms when an action was refused."""
    user = request.user
    perspectives = {perspective.side: perspective for perspective in assessment.perspectives.all()}
    for perspective in perspectives.values():
        perspective.assessment = assessment
    standing = access.standing(user, assessment, perspectives)
    blocks = selectors.framework_blocks(assessment.framework)
    # Only the sides this person may see are read at all.
    by_side = selectors.answers(assessment, standing.sees)
    seen = {side: selectors.side_answers(blocks, by_side[side]) for side in standing.sees}
    both = {Side.STAFF, Side.REPS} <= standing.sees
    context = {
        "assessment": assessment,
        "framework": assessment.framework,
        "scale": scoring.SCALE,
        "standing": standing,
        "sides": selectors.side_statuses(
            blocks, perspectives, standing.side, seen.get(standing.side or ""), seen
        ),
        "blocks": blocks,
        "compared": selectors.compare(blocks, by_side[Side.STAFF], by_side[Side.REPS])
        if both
        else None,
        "plan": selectors.action_plan(blocks, by_side),
        "may_edit": standing.may_edit,
        "editable": standing.side is not None
        and states.is_editable(perspectives[standing.side].status, assessment.status),
        "problem": problem,
        "crumbs": trail(user),
    }
    if standing.inside:
        context["events"] = selectors.events(assessment)
        if Side.REPS in standing.sees:
            context["participants"] = selectors.participants(assessment)
    if standing.leads:
        context.update(_lead_forms(assessment, perspectives, bound))
        context["publish_refusal"] = states.publish_refusal(
            perspectives[Side.STAFF].status, perspectives[Side.REPS].status
        )
        context["close_refusal"] = (
            states.close_window_refusal(assessment.reps_deadline, timezone.localdate())
            if perspectives[Side.REPS].status == PerspectiveStatus.DRAFT
            else None
        )
        context["reps_draft"] = perspectives[Side.REPS].status == PerspectiveStatus.DRAFT
    return render(request, DETAIL_TEMPLATE, context)


def assessment_detail(request, pk):
    """The assessment: both sides' status, the scores each person may see, side by side once
    allowed, the action plan, and for the staff lead what to do next."""
    assessment = access.get_assessment_for_user(request.user, pk)
    return _detail(request, assessment)


# The staff lead's actions: each a POST through one service, refusals shown on the page.


def _done(request, assessment: Assessment, message: str):
    messages.success(request, message)
    return redirect("standards:assessment_detail", pk=assessment.pk)


@require_POST
def reps_deadline(request, pk):
    assessment = access.get_assessment_to_lead(request.user, pk)
    form = DeadlineForm(request.POST)
    if form.is_valid():
        deadline = form.cleaned_data["reps_deadline"]
        try:
            services.reps_deadline_set(assessment=assessment, deadline=deadline, by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        except AssessmentError as error:
            return _detail(request, assessment, problem=error.message)
        else:
            if deadline is None:
                return _done(
                    request, assessment, "The deadline for the reps' scores is taken away."
                )
            return _done(
                request,
                assessment,
                f"The reps' scores are now due by {day_in_words(deadline)}.",
            )
    return _detail(request, assessment, deadline_form=form)


@require_POST
def reps_window_close(request, pk):
    assessment = access.get_assessment_to_lead(request.user, pk)
    try:
        services.reps_window_close(assessment=assessment, by=request.user)
    except AssessmentError as error:
        return _detail(request, assessment, problem=error.message)
    return _done(
        request,
        assessment,
        "The reps' window is closed. What they drafted stays theirs and is not shown to staff; "
        "you can now publish the assessment without their scores.",
    )


@require_POST
def assessment_publish(request, pk):
    assessment = access.get_assessment_to_lead(request.user, pk)
    try:
        services.assessment_publish(assessment=assessment, by=request.user)
    except AssessmentError as error:
        return _detail(request, assessment, problem=error.message)
    return _done(
        request,
        assessment,
        f"The {assessment.year_label} self-assessment is published. It now counts in the national "
        "comparison and can no longer be changed unless you reopen it.",
    )


@require_POST
def assessment_reopen(request, pk):
    assessment = access.get_assessment_to_lead(request.user, pk)
    form = ReasonForm(
        request.POST,
        prefix="reopen-assessment",
        label="Why are you reopening the published assessment?",
    )
    if form.is_valid():
        try:
            services.assessment_reopen(
                assessment=assessment, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except AssessmentError as error:
            return _detail(request, assessment, problem=error.message)
        else:
            return _done(
                request,
                assessment,
                "The assessment is a draft again, and no longer counts in the national "
                "comparison until it is published again.",
            )
    return _detail(request, assessment, reopen_assessment_form=form)


@require_POST
def perspective_reopen(request, pk, side):
    assessment = access.get_assessment_to_lead(request.user, pk)
    perspective = assessment.perspectives.get(side=side)
    perspective.assessment = assessment
    form = ReasonForm(
        request.POST,
        prefix=f"reopen-{side}",
        label=f"Why are you reopening {SIDE_OWNERS[side]} scores?",
    )
    if form.is_valid():
        try:
            services.perspective_reopen(
                perspective=perspective, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except AssessmentError as error:
            return _detail(request, assessment, problem=error.message)
        else:
            return _done(
                request,
                assessment,
                f"{SIDE_OWNERS[side].capitalize()} scores are a draft again and can be changed.",
            )
    return _detail(request, assessment, **{f"reopen_{side}_form": form})
