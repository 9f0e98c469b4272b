"""A rep sees and changes their own details, and nothing of anyone else's."""

from decimal import Decimal
from unittest import mock

import pytest
from django.urls import reverse

from reps import services
from reps.models import Rep, UsualJourney
from tests.conftest import sign_in
from tests.factories import UsualJourneyFactory


@pytest.fixture
def alice(client, rep_a1):
    rep = rep_a1.rep_profile
    rep.email, rep.phone, rep.postcode_area = "alice@example.org", "0141 496 0000", "G66"
    rep.needs_large_print = True
    rep.save()
    sign_in(client, rep_a1)
    return rep


def test_the_details_page_shows_the_reps_own_details(client, alice, rep_a2):
    other = rep_a2.rep_profile
    other.email = "amir@example.org"
    other.save()
    UsualJourneyFactory(rep=alice, from_area="Kirkintilloch", venue="Council chambers")
    UsualJourneyFactory(rep=other, from_area="Milngavie", venue="Somewhere else")
    page = client.get(reverse("reps:my_details")).content.decode()
    assert "alice@example.org" in page
    assert "Large print" in page
    assert "Kirkintilloch" in page
    assert "amir@example.org" not in page
    assert "Milngavie" not in page


def test_own_pages_are_never_cached(client, alice):
    response = client.get(reverse("reps:my_details"))
    assert "no-store" in response["Cache-Control"]


def test_editing_contact_details_writes_through_rep_update(client, alice, rep_a1):
    with mock.patch("reps.views.own.services.rep_update", wraps=services.rep_update) as update:
        response = client.post(
            reverse("reps:my_contact_edit"),
            {
                "email": "new@example.org",
                "phone": "",
                "address": "1 High St",
                "postcode_area": "g66",
            },
        )
    assert response.status_code == 302
    update.assert_called_once()
    assert update.call_args.kwargs["by"] == rep_a1
    alice.refresh_from_db()
    assert (alice.email, alice.phone, alice.postcode_area) == ("new@example.org", "", "G66")
    assert alice.history.first().history_user == rep_a1


def test_staff_only_fields_posted_by_a_rep_are_ignored(client, alice, board_b, rep_a1):
    client.post(
        reverse("reps:my_contact_edit"),
        {
            "email": "alice@example.org",
            "postcode_area": "G66",
            "filled_by_staff": "on",
            "board": board_b.pk,
            "user": "",
            "full_name": "Somebody Else",
            "rep_type": "lived",
        },
    )
    alice.refresh_from_db()
    assert alice.filled_by_staff is False
    assert alice.board.slug == "east-dunbartonshire-ijb"
    assert alice.user == rep_a1
    assert alice.full_name == "Alice Rep"
    assert alice.rep_type == Rep.RepType.CARER


def test_a_bad_answer_is_explained_and_what_was_typed_is_kept(client, alice):
    response = client.post(
        reverse("reps:my_contact_edit"),
        {"email": "not an email", "phone": "call me", "postcode_area": "Glasgow"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Enter an email address like name@example.com." in page
    assert "Enter a phone number using numbers only" in page
    assert "Enter the first half of your postcode only, such as G66." in page
    assert 'value="not an email"' in page
    assert 'value="Glasgow"' in page
    alice.refresh_from_db()
    assert alice.email == "alice@example.org"


def test_too_long_an_answer_is_explained_in_plain_words(client, alice):
    address = "1 Main Street, " * 40
    response = client.post(
        reverse("reps:my_contact_edit"), {"address": address, "postcode_area": "G66"}
    )
    page = response.content.decode()
    assert "The address must be 500 characters or fewer." in page
    assert "Ensure this value" not in page
    assert address.strip() in page
    alice.refresh_from_db()
    assert alice.address != address.strip()


def test_support_needs_are_ticked_and_unticked(client, alice):
    client.post(
        reverse("reps:my_needs_edit"),
        {"needs": ["needs_bsl", "needs_papers_by_post"], "needs_other": "A hearing loop"},
    )
    alice.refresh_from_db()
    assert alice.needs_bsl and alice.needs_papers_by_post
    assert not alice.needs_large_print, "unticked is saved as not needed"
    assert alice.needs_other == "A hearing loop"


def test_a_way_of_contact_needs_its_detail(client, alice):
    alice.address = ""
    alice.save()
    page = client.post(
        reverse("reps:my_preferences_edit"), {"contact": ["contact_by_post"]}
    ).content.decode()
    assert "To be contacted by post, add an address to your contact details first" in page
    page = client.post(reverse("reps:my_preferences_edit"), {}).content.decode()
    assert "Choose at least one way for us to contact you." in page

    client.post(reverse("reps:my_preferences_edit"), {"contact": ["contact_by_phone"]})
    alice.refresh_from_db()
    assert (alice.contact_by_email, alice.contact_by_phone) == (False, True)


def test_payment_for_time_is_off_until_the_rep_asks_and_the_page_says_why(client, alice):
    page = client.get(reverse("reps:my_payment_edit")).content.decode()
    assert "Payment for your time can affect some benefits" in page
    assert "Expenses never affect benefits" in page
    assert 'value="no" checked' in page
    client.post(reverse("reps:my_payment_edit"), {"wants_payment": "yes"})
    alice.refresh_from_db()
    assert alice.involvement_payment_opt_in is True


def test_a_usual_journey_is_added_and_removed(client, alice, rep_a1):
    client.post(
        reverse("reps:my_journey_add"),
        {"from_area": " G66 ", "venue": "Council chambers", "miles": "8.5"},
    )
    journey = UsualJourney.objects.get(rep=alice)
    assert (journey.from_area, journey.miles) == ("G66", Decimal("8.5"))

    confirm_page = client.get(reverse("reps:my_journey_remove", args=[journey.pk]))
    assert "Remove this journey?" in confirm_page.content.decode()
    client.post(reverse("reps:my_journey_remove", args=[journey.pk]))
    assert not UsualJourney.objects.filter(rep=alice).exists()


@pytest.mark.parametrize(
    ("miles", "message"),
    [
        ("NaN", "Enter the miles as a number, such as 8.5."),
        ("Infinity", "Enter the miles as a number, such as 8.5."),
        ("8.55", "Enter the miles to one decimal place at most, such as 8.5."),
        ("0", "Enter the miles as a number above 0."),
        ("", "Enter the miles, such as 8.5."),
        # A slip such as 360 for 3.6 would fill in every claim that uses the journey.
        ("1000", "Enter the miles one way, up to 999.9."),
        ("100000", "Enter the miles one way, up to 999.9."),
    ],
)
def test_miles_must_be_a_real_distance(client, alice, miles, message):
    page = client.post(
        reverse("reps:my_journey_add"), {"from_area": "G66", "venue": "Hall", "miles": miles}
    ).content.decode()
    assert message in page
    # Said once beside the box, once in the summary at the top of the page.
    assert page.count(message) == 2
    assert 'value="Hall"' in page
    assert not UsualJourney.objects.exists()


def test_the_same_journey_twice_is_refused_plainly(client, alice):
    UsualJourneyFactory(rep=alice, from_area="G66", venue="Hall")
    page = client.post(
        reverse("reps:my_journey_add"), {"from_area": "G66", "venue": "Hall", "miles": "3"}
    ).content.decode()
    assert "This journey is already saved." in page


def test_a_rep_cannot_remove_another_reps_journey(client, alice, rep_a2):
    theirs = UsualJourneyFactory(rep=rep_a2.rep_profile)
    assert client.post(reverse("reps:my_journey_remove", args=[theirs.pk])).status_code == 404
    assert UsualJourney.objects.filter(pk=theirs.pk).exists()
