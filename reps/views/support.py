"""Training and support needs: the rep asks for what would help, and withdraws what they no
longer need; staff who manage the board's reps see the requests, answer each, record one a rep
made in person, and record the conversations they have with a rep about their needs."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from portal.core.access import staff_required
from portal.core.confirm import confirmed_action
from portal.core.forms import add_service_errors
from portal.core.pagination import paginate
from reps import access, contact, selectors, services
from reps.access import own_rep_required
from reps.forms_own import SupportRequestForm
from reps.forms_staff import (
    NeedsConversationForm,
    StaffSupportRequestForm,
    SupportAnswerForm,
    SupportRequestFilterForm,
)


def _form_page(request, rep, form_class, save, *, done: str, then: str, template: str):
    """A form about the rep, saved through `save` (a service taking the form's fields), whose
    refusals show on the form."""
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            save(rep=rep, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(then)
    return render(request, template, {"rep": rep, "form": form})


# The rep's own: no rep id in these URLs (`own_rep_required`), and never cached.


@never_cache
@own_rep_required
@require_http_methods(["GET", "POST"])
def ask(request, rep):
    """Ask for training or support: staff answer on the training page, and by email."""
    return _form_page(
        request,
        rep,
        SupportRequestForm,
        services.support_request_ask,
        done="Your request is sent. Staff will answer it on this page, and by email if you "
        "take email.",
        then=reverse("reps:my_training") + "#requests",
        template="reps/own/support_ask.html",
    )


@never_cache
@own_rep_required
@require_http_methods(["GET", "POST"])
def withdraw(request, rep, pk):
    support = access.get_own_support_request(rep, pk)
    return confirmed_action(
        request,
        lambda: services.support_request_withdraw(request=support, by=request.user),
        done=f"Your request for “{support.what}” is withdrawn.",
        then=reverse("reps:my_training") + "#requests",
        template="reps/own/support_withdraw.html",
        context={"rep": rep, "support": support},
    )


# Staff's


@staff_required
def support_list(request):
    """Requests on the boards where the staff member manages reps: what reps ask for can say
    much about them, so it is for those who answer it."""
    boards = access.get_boards_to_manage(request.user)
    form = SupportRequestFilterForm(request.GET or None, boards=boards)
    filters = form.cleaned_data if form.is_valid() else {}
    shown = [filters["board"]] if filters.get("board") else boards
    requests = selectors.support_requests(shown, status=filters.get("status", ""))
    return render(
        request,
        "reps/staff/support_list.html",
        {"filter_form": form, "page_obj": paginate(request, requests)},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def support_detail(request, pk):
    """One request, and the answer to it while one can still be given."""
    support = access.get_support_request_to_manage(request.user, pk)
    form = SupportAnswerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and support.answerable and form.is_valid():
        try:
            saved = services.support_request_answer(
                request=support, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Your answer to “{saved.what}” is saved.")
            if reminder := contact.tell_them_yourself(saved.rep):
                messages.info(request, reminder)
            return redirect("reps:staff_support_requests")
    return render(
        request,
        "reps/staff/support_detail.html",
        {"support": support, "form": form},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def support_add(request, pk):
    """A request the rep made to staff in person or by phone, recorded for them."""
    rep = access.get_rep_to_manage(request.user, pk)
    return _form_page(
        request,
        rep,
        StaffSupportRequestForm,
        services.support_request_ask,
        done=f"The request from {rep.full_name} is recorded.",
        then=reverse("reps:staff_support_requests"),
        template="reps/staff/support_form.html",
    )


@staff_required
@require_http_methods(["GET", "POST"])
def conversation_add(request, pk):
    """Record a conversation with the rep about their training and support needs."""
    rep = access.get_rep_to_manage(request.user, pk)
    return _form_page(
        request,
        rep,
        NeedsConversationForm,
        services.needs_conversation_record,
        done=f"The conversation with {rep.full_name} is recorded.",
        then=reverse("reps:staff_rep_detail", args=[rep.pk]) + "#support-title",
        template="reps/staff/conversation_form.html",
    )
