"""Pages shown to someone signed in are never kept by a browser or a shared cache."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils.cache import get_max_age

from portal.middleware import NoStoreForSignedInMiddleware
from reps.models import Rep
from tests.conftest import sign_in


def directives(response):
    return {part.strip() for part in response.headers.get("Cache-Control", "").split(",")}


@pytest.mark.parametrize(
    "name",
    [
        "password_change",
        "mfa_setup",  # shows the secret of the authenticator app
        "privacy",  # a public page, but shown to someone signed in
    ],
)
def test_a_signed_in_reps_pages_are_not_stored(client, rep_a1, name):
    response = sign_in(client, rep_a1).get(reverse(name))
    assert response.status_code == 200
    assert {"no-store", "private"} <= directives(response)


def test_a_signed_in_persons_error_page_is_not_stored(client, rep_a1):
    response = sign_in(client, rep_a1).get("/no-such-page/")
    assert response.status_code == 404
    assert {"no-store", "private"} <= directives(response)


def test_the_pages_staff_open_about_reps_are_not_stored(client, staff_a, rep_a1):
    rep = Rep.objects.get(user=rep_a1)
    sign_in(client, staff_a)
    for path in (
        reverse("staff_home"),
        reverse("reps:staff_rep_list"),
        reverse("reps:staff_rep_detail", args=[rep.pk]),
        reverse("reps:staff_term_list"),
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert {"no-store", "private"} <= directives(response), path


def test_public_pages_stay_cacheable_for_visitors(client, db):
    for path in ("/", reverse("accessibility"), reverse("privacy")):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "Cache-Control" not in response.headers, path


def test_a_download_keeps_the_cache_control_its_view_chose(client, staff_a):
    response = sign_in(client, staff_a).get(
        reverse("reps:export"), {"what": "reps", "file_format": "csv", "board": ""}
    )
    assert response["Content-Disposition"].startswith("attachment")
    assert directives(response) == {
        "max-age=0",
        "no-cache",
        "no-store",
        "must-revalidate",
        "private",
    }


def test_a_view_that_chose_its_own_cache_control_keeps_it(rf_user):
    def view(request):
        response = HttpResponse(b"receipt", content_type="application/pdf")
        response["Cache-Control"] = "private, max-age=60"
        return response

    response = NoStoreForSignedInMiddleware(view)(rf_user)
    assert response["Cache-Control"] == "private, max-age=60"
    assert get_max_age(response) == 60


def test_nothing_is_added_for_a_visitor():
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    response = NoStoreForSignedInMiddleware(lambda request: HttpResponse("hello"))(request)
    assert not response.has_header("Cache-Control")


@pytest.fixture
def rf_user(rep_a1):
    request = RequestFactory().get("/my/receipt/")
    request.user = rep_a1
    return request
