"""A page that asks before it acts: shown by GET, the action done by POST.

A refusal from the service (a `ValidationError`) is shown on the same page, in the error
summary's place (`problem`); success says so and goes on to `then`.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render


def confirmed_action(
    request: HttpRequest,
    act: Callable[[], object],
    *,
    done: str,
    then: str,
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    problem = None
    if request.method == "POST":
        try:
            act()
        except ValidationError as error:
            problem = " ".join(error.messages)
        else:
            messages.success(request, done)
            return redirect(then)
    return render(request, template, {**context, "problem": problem})
