"""A page kept whole is sent again only to the session and browser it was made for, while the
records stand as they were, and never with a message meant for one look
(`portal.core.kept_pages`)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.fallback import FallbackStorage
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from portal.core import change_notices
from portal.core.kept_pages import kept_page
from portal.sessions import SessionStore
from reps.models import Group
from tests.conftest import sign_in


class Page:
    """A view that says how many times it has been asked."""

    def __init__(self, **response):
        self.asked = 0
        self.response = response

    def __call__(self, request):
        self.asked += 1
        answer = HttpResponse(f"worked out {self.asked} times")
        for name, value in self.response.items():
            setattr(answer, name, value)
        return answer


def visit(session_key: str, browser: str = "a" * 32, method: str = "get", path: str = "/page/"):
    request = getattr(RequestFactory(), method)(path)
    request.session = SessionStore(session_key)
    request.COOKIES[settings.CSRF_COOKIE_NAME] = browser
    request._messages = FallbackStorage(request)
    return request


@pytest.fixture
def session_key(transactional_db):
    """A session, on real transactions: on PostgreSQL a test's own open transaction keeps pages
    from keeping anything. Whatever made it has been heard of by the time the test begins."""
    session = SessionStore()
    session.create()
    change_notices.listener.catch_up()
    return session.session_key


def test_a_page_is_sent_again_as_it_was_while_the_records_stand(session_key, board_a):
    page = kept_page(Page())
    first = page(visit(session_key)).content
    assert page(visit(session_key)).content == first
    Group.objects.create(board=board_a, name="A new committee")
    assert page(visit(session_key)).content != first


def test_another_session_browser_or_address_gets_a_page_of_its_own(session_key):
    view = Page()
    page = kept_page(view)
    page(visit(session_key))
    other = SessionStore()
    other.create()
    page(visit(other.session_key))
    page(visit(session_key, browser="b" * 32))
    page(visit(session_key, path="/page/?page=2"))
    assert view.asked == 4


def test_a_page_with_a_message_is_worked_out_afresh_and_not_kept(session_key):
    view = Page()
    page = kept_page(view)
    with_message = visit(session_key)
    messages.success(with_message, "Your claim was sent.")
    page(with_message)
    page(visit(session_key))
    page(visit(session_key))
    assert view.asked == 2


@pytest.mark.parametrize(
    "why",
    ["a form sent", "no CSRF cookie yet", "no session", "not found", "figures gone stale"],
)
def test_what_is_never_kept(session_key, why):
    view = Page()
    page = kept_page(view)
    request = {
        "a form sent": lambda: visit(session_key, method="post"),
        "no CSRF cookie yet": lambda: visit(session_key, browser=""),
        "no session": lambda: visit(None),
    }.get(why, lambda: visit(session_key))
    if why == "not found":
        view.response = {"status_code": 404}
    if why == "figures gone stale":
        view.response = {"fresh_until": timezone.now() - timedelta(seconds=1)}
    page(request())
    page(request())
    assert view.asked == 2


def test_a_refusal_is_never_kept(session_key):
    def refused(request):
        raise Http404("No such claim.")

    with pytest.raises(Http404):
        kept_page(refused)(visit(session_key))


@pytest.mark.django_db(transaction=True)
def test_a_reps_message_shows_once_on_a_kept_home_page(client, rep_a1):
    sign_in(client, rep_a1)
    home = reverse("rep_home")
    client.get(home)
    client.get(home)  # now kept
    # A message left for the next page, as a form that has just been sent leaves one.
    storage = CookieStorage(RequestFactory().get(home))
    storage.add(messages.SUCCESS, "Thank you for telling us.")
    response = HttpResponse()
    storage.update(response)
    client.cookies.update(response.cookies)
    assert "Thank you for telling us." in client.get(home).content.decode()
    assert "Thank you for telling us." not in client.get(home).content.decode()
