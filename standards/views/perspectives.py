"""One side's set of scores: scoring it a recommendation area at a time, checking and submitting
it, and reading it.

The staff lead scores the staff side, any of the board's reps the reps' side
(`access.get_perspective_to_edit`). A set that is no longer a draft, or an assessment that is
published, is never changed from here: both GET and POST send the person to the set as it stands,
with the reason, and the service refuses again on the locked rows should the state change in
between. Reading a set goes through `access.get_perspective_for_user`, so the other side's set
stays hidden until the blindness rule lets it show.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from portal.core.forms import add_service_errors
from portal.core.periods import financial_year_bounds
from standards import access, scoring, selectors, services, states
from standards.evidence import evidence_for
from standards.forms import ResponseForm
from standards.models import Perspective
from standards.states import AssessmentError, AssessmentStatus, Side
from standards.views.common import SIDE_TITLES, trail

NEXT_PAGE = "continue"
COME_BACK_LATER = "later"


def _not_editable(request, perspective: Perspective):
    """Send the person to the set as it stands, saying why it cannot be changed."""
    if perspective.assessment.status != AssessmentStatus.DRAFT:
        messages.info(request, services.PUBLISHED_READ_ONLY)
    else:
        messages.info(request, states.NOT_EDITABLE)
    return redirect(
        "standards:perspective_detail", pk=perspective.assessment.pk, side=perspective.side
    )


def _is_editable(perspective: Perspective) -> bool:
    return states.is_editable(perspective.status, perspective.assessment.status)


def _block(blocks, number: int) -> selectors.Block:
    for block in blocks:
        if block.number == number:
            return block
    raise Http404("No such recommendation area.")


def _attach(forms: list[ResponseForm], error: ValidationError) -> None:
    """Put a service's refusal beside the item it names, or above the first item."""
    code = getattr(error, "area_code", None)
    form = next((form for form in forms if form.area.code == code), forms[0])
    add_service_errors(form, error, rename={"score": "answer", "not_assessed": "answer"})


@require_http_methods(["GET", "POST"])
def perspective_edit(request, pk, side, number):
    """One recommendation area's areas for development: evidence the portal holds, then a score
    or "not assessed", evidence, and an improvement action for each."""
    perspective = access.get_perspective_to_edit(request.user, pk, side)
    assessment = perspective.assessment
    blocks = selectors.framework_blocks(assessment.framework)
    block = _block(blocks, number)
    if not _is_editable(perspective):
        return _not_editable(request, perspective)
    responses = selectors.answers(assessment, [side])[side]
    # The improvement actions are for after the year assessed.
    plan_from = financial_year_bounds(assessment.financial_year + 1)[0]
    forms = [
        ResponseForm(
            request.POST or None, area=area, response=responses.get(area.pk), plan_from=plan_from
        )
        for area in block.areas
    ]
    if request.method == "POST" and all([form.is_valid() for form in forms]):
        changed = {form.area: form.changes() for form in forms}
        answers = {area: changes for area, changes in changed.items() if changes}
        try:
            if answers:
                services.responses_save(perspective=perspective, answers=answers, by=request.user)
        except ValidationError as error:
            _attach(forms, error)
        except AssessmentError as error:
            messages.info(request, error.message)
            return redirect("standards:perspective_detail", pk=assessment.pk, side=side)
        else:
            return _after_saving(request, perspective, block, blocks)
    errors = [form for form in forms if form.errors]
    return render(
        request,
        "standards/assessments/perspective_edit.html",
        {
            "assessment": assessment,
            "framework": assessment.framework,
            "perspective": perspective,
            "side_title": SIDE_TITLES[Side(side)],
            # Not "block": templates use that name for their own blocks.
            "part": block,
            "blocks": blocks,
            "items": _with_evidence(forms, assessment),
            "forms_with_errors": errors,
            "scale": scoring.SCALE,
            "is_last": block is blocks[-1],
            "crumbs": trail(request.user, assessment),
        },
    )


def _with_evidence(forms: list[ResponseForm], assessment):
    # The portal's figures for the board and year, read once for the whole page.
    evidence = evidence_for(assessment.board, assessment.financial_year)
    return [(form, evidence.get(form.area.code, [])) for form in forms]


def _after_saving(request, perspective: Perspective, block, blocks):
    assessment = perspective.assessment
    if request.POST.get("then") == COME_BACK_LATER:
        messages.success(
            request,
            f"Your answers for area {block.number} are saved. Come back to them at any time "
            "before the scores are submitted.",
        )
        return redirect("standards:assessment_detail", pk=assessment.pk)
    following = [later for later in blocks if later.number > block.number]
    if following:
        return redirect(
            "standards:perspective_edit",
            pk=assessment.pk,
            side=perspective.side,
            number=following[0].number,
        )
    return redirect("standards:perspective_submit", pk=assessment.pk, side=perspective.side)


@require_http_methods(["GET", "POST"])
def perspective_submit(request, pk, side):
    """Check every answer, with a link to change each, then submit the set."""
    perspective = access.get_perspective_to_edit(request.user, pk, side)
    assessment = perspective.assessment
    if not _is_editable(perspective):
        return _not_editable(request, perspective)
    problem = ""
    if request.method == "POST":
        try:
            submitted = services.perspective_submit(perspective=perspective, by=request.user)
        except AssessmentError as error:
            problem = error.message
        else:
            if side == Side.REPS:
                done = "The reps' scores are submitted, for all the board's reps."
            else:
                done = "The staff's scores are submitted."
            other = assessment.perspectives.exclude(side=side).get()
            if access.may_see_other_perspective(submitted, other):
                after = "Both sides have submitted: here they are side by side."
            else:
                after = "Once both sides have submitted, you will see them side by side."
            messages.success(request, f"{done} {after}")
            return redirect("standards:assessment_detail", pk=assessment.pk)
    blocks = selectors.framework_blocks(assessment.framework)
    responses = selectors.answers(assessment, [side])[side]
    answers = selectors.side_answers(blocks, responses)
    return render(
        request,
        "standards/assessments/perspective_submit.html",
        {
            "assessment": assessment,
            "framework": assessment.framework,
            "perspective": perspective,
            "side_title": SIDE_TITLES[Side(side)],
            "sections": _sections(blocks, answers),
            "missing": [answer for answer in answers if not answer.is_answered],
            "problem": problem,
            "crumbs": trail(request.user, assessment),
        },
    )


def _sections(blocks, answers):
    by_area = {answer.area.pk: answer for answer in answers}
    scores = selectors.area_scores(answers)
    return [
        {
            "block": block,
            "score": scores.get(block.number),
            "answers": [by_area[area.pk] for area in block.areas],
        }
        for block in blocks
    ]


def perspective_detail(request, pk, side):
    """One side's set, read-only: to its own side always, to the other side once the blindness
    rule allows, and nationally once published."""
    perspective = access.get_perspective_for_user(request.user, pk, side)
    assessment = perspective.assessment
    blocks = selectors.framework_blocks(assessment.framework)
    responses = selectors.answers(assessment, [side])[side]
    answers = selectors.side_answers(blocks, responses)
    may_edit = access.may_edit_side(request.user, assessment.board, side) and _is_editable(
        perspective
    )
    return render(
        request,
        "standards/assessments/perspective_detail.html",
        {
            "assessment": assessment,
            "framework": assessment.framework,
            "perspective": perspective,
            "side_title": SIDE_TITLES[Side(side)],
            "status": selectors.SideStatus(side=side, perspective=perspective, own=False),
            "sections": _sections(blocks, answers),
            "progress": selectors.progress(answers),
            "may_edit": may_edit,
            "edit_url": reverse(
                "standards:perspective_edit", args=[assessment.pk, side, blocks[0].number]
            )
            if may_edit and blocks
            else "",
            "crumbs": trail(request.user, assessment),
        },
    )
