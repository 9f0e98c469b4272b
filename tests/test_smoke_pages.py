from django.urls import reverse

from tests.conftest import sign_in


def test_start_page_lists_the_31_boards(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert response.content.decode().count("IJB") >= 30
    assert "Highland (lead agency)" in response.content.decode()


def test_rep_lands_on_their_home_page(client, rep_a1):
    response = sign_in(client, rep_a1).get("/home/", follow=True)
    assert response.redirect_chain[-1][0] == "/rep/"
    assert "Hello, Alice Rep" in response.content.decode()


def test_the_wrong_role_gets_a_plain_403_page(client, rep_a1):
    response = sign_in(client, rep_a1).get("/staff/")
    assert response.status_code == 403
    assert "You cannot use this page" in response.content.decode()


def test_an_unknown_address_gets_the_404_page(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_opening_a_forms_address_from_a_link_says_why_nothing_happened(client, staff_a, board_a):
    """Creating a payment batch is a POST; a bookmark of its address must not give a blank page."""
    url = reverse("expenses:staff_batch_create", args=[board_a.slug])
    response = sign_in(client, staff_a).get(url)
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    page = response.content.decode()
    assert "This page cannot be opened from a link" in page
    assert "Nothing has been changed" in page
    assert client.head(url).content == b""


def test_a_server_error_gets_a_page_that_needs_nothing_from_the_request(rf):
    from portal.views.errors import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_every_page_links_the_accessibility_statement_and_privacy_notice(client, db):
    page = client.get("/accessibility/").content.decode()
    assert 'href="/accessibility/"' in page
    assert 'href="/privacy/"' in page
