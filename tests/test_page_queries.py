"""Every page anyone may open by GET costs at most 12 queries, and no more at ten times the data.

The pages are those of the access matrix (tests/test_access_matrix.py): every route whose rule
gives a persona 200 by GET, opened by each such persona, downloads read to their end; and the
administrator's admin pages of every registered model (its list, its add page where the admin
offers one, and an existing object's page). Every page is measured, each board's records are
multiplied tenfold (`portal.scale.multiply`), and every page is measured again. A page that reads
more as the data grows slows down most for the boards that use the portal most. The one page
with a ceiling of its own is a rep's download of all their data (`MOST_QUERIES_FOR`).
"""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from portal.scale import multiply
from reps.models import BoardSettings, Budget, NeedsConversation
from tests.access_matrix import ROUTES, route_url
from tests.access_policy import ALL_PERSONAS, POLICY, expected_for
from tests.access_policy_standards_assessments import _draft, _draft_reps_area, _draft_staff_side
from tests.conftest import sign_in
from tests.expenses_staff_fixtures import CountQueries
from tests.factories import ExpensePolicyFactory, TrainingFactory

MOST_QUERIES = 12
# A rep's data download reads each kind of record the portal keeps about them once (16 kinds, in
# 14 queries after the session with its account, and the rep): more than a page, and as flat.
# Staff making it for a rep read their second factor and their permission on the rep's board too.
MOST_QUERIES_FOR = {"my_data_download": 16, "staff_rep_data_download": 18}
TIMES = 10
# Builders that start board A's assessment for the year afresh, deleting the published one the
# comparison's pages show: their pages are measured in a transaction rolled back afterwards.
STARTS_AFRESH = {_draft, _draft_reps_area, _draft_staff_side}


def queries_of(client, url) -> tuple[int, int]:
    """The queries of one GET, downloads read to their end, and its status."""
    # The log keeps the last 9,000 queries only, and a pass over every page makes more.
    connection.queries_log.clear()
    with CountQueries() as queries:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    return queries.count, response.status_code


def pages_of(context) -> dict[tuple[str, str], str]:
    """The URL of each page, by (persona, page), for each persona who may open it by GET."""
    pages = {}
    for name, rule in get_routes(starting_afresh=False):
        url = route_url(ROUTES[name], rule.kwargs(context) if rule.kwargs else None)
        pages.update({(persona, name): url for persona in viewers(rule)})
    for name, url in admin_pages(context.personas.administrator):
        pages["administrator", name] = url
    return pages


def measure(clients, context, pages) -> dict[tuple[str, str], tuple[str, int, int]]:
    """(url, queries, status) of every page, by (persona, page), in the same order each time, so
    that each request follows the same one as it did before."""
    counts = {page: (url, *queries_of(clients[page[0]], url)) for page, url in pages.items()}
    for name, rule in get_routes(starting_afresh=True):
        # Rolled back afterwards, so that what the builder replaced is back for the others.
        with transaction.atomic():
            url = route_url(ROUTES[name], rule.kwargs(context))
            for persona in viewers(rule):
                counts[persona, name] = (url, *queries_of(clients[persona], url))
            transaction.set_rollback(True)
    return counts


def get_routes(*, starting_afresh: bool):
    for name in sorted(ROUTES):
        rule = POLICY[name]
        if (
            rule.method == "get"
            and viewers(rule)
            and (rule.kwargs in STARTS_AFRESH) == starting_afresh
        ):
            yield name, rule


def viewers(rule) -> list[str]:
    return [persona for persona in ALL_PERSONAS if expected_for(rule.expected, persona) == 200]


def admin_pages(administrator) -> list[tuple[str, str]]:
    """(page, url): the list, the add page where there is one, and the first object's page of
    every model in the admin."""
    request = RequestFactory().get("/")
    request.user = administrator
    pages = []
    for model, model_admin in admin.site._registry.items():
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages.append((f"{info}_changelist", reverse(f"{info}_changelist")))
        if model_admin.has_add_permission(request):
            pages.append((f"{info}_add", reverse(f"{info}_add")))
        first = model._default_manager.order_by("pk").first()
        assert first is not None, f"Nothing to open in {info}_change: make one in admin_examples"
        pages.append((f"{info}_change", reverse(f"{info}_change", args=[first.pk])))
    return pages


def admin_examples(board, rep):
    """One row of each model in the admin that the matrix's pages never make."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_tasks_db.models import DBTaskResult, get_date_max

    now = timezone.now()
    BoardSettings.objects.create(board=board, contact_name="Carer involvement team")
    TrainingFactory(rep=rep)
    Budget.objects.create(board=board, financial_year=2025, training=Decimal(1000))
    NeedsConversation.objects.create(rep=rep, held_on=date(2025, 6, 1))
    ExpensePolicyFactory(board=board)
    Group.objects.create(name="Finance")
    visit = {"user_agent": "Firefox", "ip_address": "192.0.2.1", "username": "someone@example.org"}
    visit |= {"http_accept": "text/html", "path_info": "/login/", "attempt_time": now}
    AccessAttempt.objects.create(**visit, get_data="", post_data="", failures_since_start=1)
    AccessLog.objects.create(**visit)
    AccessFailureLog.objects.create(**visit)
    DBTaskResult.objects.create(
        task_path="reports.tasks.make_summary_file",
        args_kwargs={"args": [1, 1], "kwargs": {}},
        backend_name="default",
        enqueued_at=now,
        run_after=get_date_max(),  # how the table stores "no time set"
        exception_class_path="",
        traceback="",
    )


@pytest.mark.django_db
def test_every_get_page_is_light_and_flat_as_the_data_grows(
    monkeypatch, personas, board_a, board_b, working_everything_out
):
    # A busy session's expiry is pushed back once a minute, whatever the page: not its cost.
    monkeypatch.setattr("portal.middleware.TOUCH_INTERVAL_SECONDS", 24 * 60 * 60)
    context = SimpleNamespace(board_a=board_a, board_b=board_b, personas=personas)
    admin_examples(board_a, personas.rep_a1.rep_profile)
    clients = {}
    for persona in ALL_PERSONAS:
        clients[persona] = Client()
        if getattr(personas, persona) is not None:
            sign_in(clients[persona], getattr(personas, persona))

    pages = pages_of(context)
    # A first visit of every page, so that what happens once (a session refreshed, a content type
    # cached, a device made for the form) is not taken for a page's cost.
    measure(clients, context, pages)
    once = measure(clients, context, pages)
    multiply(TIMES)
    many = measure(clients, context, pages)

    offenders = []
    for page, (url, queries, status) in once.items():
        _, queries_then, status_then = many[page]
        most = MOST_QUERIES_FOR.get(page[1], MOST_QUERIES)
        if status == status_then == 200 and queries_then <= queries <= most:
            continue
        statuses = "" if status == status_then == 200 else f" (HTTP {status}, {status_then})"
        offenders.append(
            f"{page[0]} {page[1]} {url}: {queries} queries at 1x, {queries_then} at {TIMES}x"
            + statuses
        )
    assert not offenders, f"{len(offenders)} of {len(once)} pages:\n" + "\n".join(offenders)
