"""The boards' public pages: what anyone may read, and the "I'm interested" form.

Nothing personal leaves these pages but the board's named contact and the names of reps who chose
to be listed. The form refuses a post with no way to reply, an over-long answer, a filled hidden
field, and a sixth post in ten minutes from one address, each with a message that says why.
"""

import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.core.models import Board
from reps import services
from reps.forms_recruitment import HONEYPOT_MESSAGE, TOO_MANY_MESSAGE
from reps.models import ExpressionOfInterest, InterestFormPost, Rep, Seat
from reps.recruitment import ROLE_DESCRIPTIONS
from tests.factories import ExpensePolicyFactory, GroupFactory, RepFactory, SeatFactory, TermFactory
from tests.standards_fixtures import YEAR
from tests.test_standards_public_page import publish_year


@pytest.fixture
def contact(board_a, staff_a):
    return services.board_settings_update(
        board=board_a,
        by=staff_a,
        contact_name="Jean Public-Contact",
        contact_role="Carer involvement officer",
        contact_email="carers.team@example.org",
        contact_phone="0141 496 0000",
    )


@pytest.fixture
def seats(board_a):
    """Board A's IJB with a seat held by a rep who chose to be listed, one held by a rep who did
    not, and a vacant lived experience seat."""
    today = timezone.localdate()
    ijb = GroupFactory(board=board_a, name="Integration Joint Board", kind="board")
    listed = RepFactory(
        board=board_a,
        user=None,
        full_name="Listed Lorna",
        email="lorna.secret@example.org",
        phone="07700 900111",
        listed_publicly=True,
    )
    unlisted = RepFactory(
        board=board_a,
        user=None,
        full_name="Canary Unlisted",
        email="canary.secret@example.org",
        phone="07700 900222",
    )
    start = today - timedelta(days=100)
    TermFactory(seat=SeatFactory(group=ijb, title="Carer rep 1"), rep=listed, start=start)
    TermFactory(seat=SeatFactory(group=ijb, title="Carer rep 2"), rep=unlisted, start=start)
    SeatFactory(group=ijb, title="Lived experience rep", kind="lived", voting=True)
    return ijb


def page_text(client, board) -> str:
    response = client.get(reverse("public_board", args=[board.slug]))
    assert response.status_code == 200
    return response.content.decode()


def valid_post(**overrides) -> dict:
    return {
        "full_name": "Morven Interested",
        "email": "morven@example.org",
        "phone": "",
        "role": "lived",
        "support_needed": "Meetings after 4pm, please.",
        "consent_to_contact": "on",
        "website": "",
        **overrides,
    }


def post_interest(client, board, data, **extra):
    return client.post(reverse("public_board_interest", args=[board.slug]), data, **extra)


# The index and the start page


def test_a_closed_seat_is_neither_shown_nor_counted_as_a_vacancy(client, board_a, seats, staff_a):
    closed = SeatFactory(group=seats, title="Deputy carer rep", created_on=date(2020, 4, 1))
    services.seat_close(seat=closed, on=date(2025, 4, 1), by=staff_a)

    index = client.get(reverse("public_board_list")).content.decode()
    row = index.split(reverse("public_board", args=[board_a.slug]))[1].split("</tr>")[0]
    assert "<td>1</td>" in row
    assert "Deputy carer rep" not in page_text(client, board_a)


def test_the_index_lists_all_31_boards_with_their_open_seats(client, board_a, seats):
    page = client.get(reverse("public_board_list")).content.decode()
    for board in Board.objects.all():
        assert reverse("public_board", args=[board.slug]) in page
    assert Board.objects.count() == 31
    row = page.split(reverse("public_board", args=[board_a.slug]))[1].split("</tr>")[0]
    assert "<td>1</td>" in row


def test_the_start_page_links_the_index(client, db):
    assert reverse("public_board_list") in client.get(reverse("start")).content.decode()


# What the board's page shows, and what it never shows


def test_the_page_shows_the_roles_the_vacancy_and_what_the_role_involves(client, board_a, seats):
    page = page_text(client, board_a)
    assert "Lived experience rep" in page
    assert "Integration Joint Board" in page
    assert ROLE_DESCRIPTIONS["lived"][:60] in page
    assert f"{reverse('public_board_interest', args=[board_a.slug])}?role=lived" in page


def section(page: str, heading_id: str) -> str:
    """The words of one section of the page, from its heading to the next."""
    start = page.index(f'id="{heading_id}"')
    end = page.find("<h2", start)
    return " ".join(re.sub(r"<[^>]+>", " ", page[start:end]).split())


def test_a_seat_a_member_of_staff_stands_in_for_is_open_and_counted(client, board_a, seats):
    stand_in = RepFactory(
        board=board_a, user=None, full_name="Staff Stand-In", filled_by_staff=True
    )
    TermFactory(
        seat=SeatFactory(group=seats, title="Carer rep 3"),
        rep=stand_in,
        start=timezone.localdate() - timedelta(days=30),
    )
    page = page_text(client, board_a)
    open_now = section(page, "vacancies")
    assert "Carer rep 3" in open_now
    assert "A member of staff is standing in until a carer representative takes the seat." in (
        open_now
    )
    assert "Staff Stand-In" not in page
    index = client.get(reverse("public_board_list")).content.decode()
    row = index.split(reverse("public_board", args=[board_a.slug]))[1].split("</tr>")[0]
    assert "<td>2</td>" in row


def test_a_seat_whose_term_ends_soon_with_nobody_to_follow_is_opening(
    client, board_a, seats, staff_a
):
    today = timezone.localdate()

    def ending(title, days, **seat):
        return TermFactory(
            seat=SeatFactory(group=seats, title=title, **seat),
            start=today - timedelta(days=1000),
            planned_end=today + timedelta(days=days),
        )

    soon = ending("Ends soon", 60)
    ending("Ends in two years", 700)
    followed = ending("Successor appointed", 60)
    TermFactory(seat=followed.seat, start=followed.planned_end + timedelta(days=1))
    closing = ending("Closing seat", 60, created_on=date(2020, 4, 1))
    services.seat_close(seat=closing.seat, on=closing.planned_end + timedelta(days=1), by=staff_a)

    opening = section(page_text(client, board_a), "opening")
    opens = soon.planned_end + timedelta(days=1)
    assert (
        f"Ends soon Integration Joint Board. Carer representative. Opens on {opens:%-d %B %Y}."
        in (opening)
    )
    for not_opening in ("Ends in two years", "Successor appointed", "Closing seat"):
        assert not_opening not in opening
    assert "Ends soon" not in section(page_text(client, board_a), "vacancies")


def test_a_board_with_no_seat_opening_soon_has_no_such_section(client, board_a, seats):
    assert 'id="opening"' not in page_text(client, board_a)


def test_a_vacancy_shows_what_the_board_says_about_it(client, board_a, seats):
    Seat.objects.filter(title="Lived experience rep").update(
        about="Meets monthly in Kirkintilloch.\nAbout 6 hours a month."
    )
    page = page_text(client, board_a)
    assert "Meets monthly in Kirkintilloch.<br>About 6 hours a month." in page
    assert ROLE_DESCRIPTIONS["lived"][:60] in page


def test_the_page_names_only_the_reps_who_chose_to_be_listed(client, board_a, seats):
    page = page_text(client, board_a)
    assert "Listed Lorna" in page
    assert "Canary Unlisted" not in page
    # Nobody's contact details, not even the listed rep's.
    for secret in ("lorna.secret", "canary.secret", "07700 900111", "07700 900222"):
        assert secret not in page


def test_the_page_shows_no_expression_of_interest(client, board_a, seats, contact):
    services.interest_receive(
        board=board_a,
        full_name="Canary Applicant",
        email="canary.applicant@example.org",
        phone="07700 900333",
        role="carer",
        support_needed="",
        consent_to_contact=True,
        pool_consent=True,
    )
    page = page_text(client, board_a)
    assert "Canary Applicant" not in page
    assert "canary.applicant" not in page


def test_the_page_shows_the_named_contact_and_no_staff(client, board_a, seats, contact, staff_a):
    page = page_text(client, board_a)
    assert "Jean Public-Contact" in page
    assert "carers.team@example.org" in page
    assert "0141 496 0000" in page
    assert staff_a.email not in page
    assert staff_a.full_name not in page


def test_a_board_without_a_contact_says_so(client, board_b):
    page = page_text(client, board_b)
    assert "has not named a contact here yet" in page


def test_the_page_sets_out_the_expenses_policy_in_force(client, board_a, seats):
    ExpensePolicyFactory(board=board_a, effective_from=date(2020, 4, 1))
    page = page_text(client, board_a)
    assert "Replacement care while you prepare, attend and travel" in page
    assert "up to £20.00 an hour" in page
    assert 'href="https://example.org/expenses-policy"' in page


def test_the_page_lists_what_the_induction_covers(client, board_a, seats):
    page = page_text(client, board_a)
    # The national checklist, loaded by a migration.
    assert "Role description given" in page


def test_an_unknown_board_is_404(client, db):
    assert client.get("/boards/no-such-board/").status_code == 404


def _queries(client, board) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("public_board", args=[board.slug])).status_code == 200
    return len(captured.captured_queries)


def test_the_page_takes_the_same_queries_at_ten_times_the_seats_and_the_published_years(
    client, board_a, board_b, staff_a, staff_b, rep_a1, rep_b1
):
    for board, count in ((board_a, 1), (board_b, 10)):
        group = GroupFactory(board=board)
        for n in range(count):
            TermFactory(seat=SeatFactory(group=group, title=f"Seat {n}"))
            SeatFactory(group=group, title=f"Empty {n}")
            RepFactory(board=board, user=None, listed_publicly=True)
    # Board A published one self-assessment with no actions; board B three years, each side
    # with an action on every area for development.
    publish_year(board_a, YEAR, staff_a, rep_a1)
    for year in (YEAR - 2, YEAR - 1, YEAR):
        publish_year(board_b, year, staff_b, rep_b1, action=("Act", "HSCP carers lead"))
    assert _queries(client, board_a) == _queries(client, board_b)


# The form


def test_a_valid_post_keeps_the_row_and_emails_the_person_and_the_contact(
    client, board_a, seats, contact
):
    response = post_interest(client, board_a, valid_post(pool_consent="on"))
    assert response.status_code == 302
    assert response.url == reverse("public_board_interest_sent", args=[board_a.slug])

    interest = ExpressionOfInterest.objects.get()
    assert (interest.board, interest.full_name, interest.email) == (
        board_a,
        "Morven Interested",
        "morven@example.org",
    )
    assert (interest.status, interest.role, interest.pool_consent) == ("new", "lived", True)
    assert interest.in_pool_since is None

    to_person = [m for m in mail.outbox if m.to == ["morven@example.org"]]
    to_contact = [m for m in mail.outbox if m.to == ["carers.team@example.org"]]
    assert len(to_person) == len(to_contact) == 1
    assert "What happens next" in to_person[0].body
    assert "Jean Public-Contact" in to_person[0].body
    assert to_person[0].reply_to == ["carers.team@example.org"]
    # Nothing the person typed is echoed back, and the staff email names nobody.
    assert "Morven" not in to_person[0].body
    assert "Morven" not in to_contact[0].body
    assert reverse("reps:staff_interest_detail", args=[interest.pk]) in to_contact[0].body

    sent = client.get(response.url).content.decode()
    assert "What happens next" in sent
    assert "Jean Public-Contact" in sent


def test_without_a_named_contact_the_boards_recruiting_staff_are_emailed(
    client, board_a, seats, staff_a, approver_a
):
    post_interest(client, board_a, valid_post(email="", phone="07700 900444"))
    assert ExpressionOfInterest.objects.get().phone == "07700 900444"
    # No email address given: the person is phoned, and only staff who recruit hear of it.
    assert [m.to for m in mail.outbox] == [[staff_a.email]]


def test_a_post_with_no_way_to_reply_is_refused(client, board_a, seats):
    response = post_interest(client, board_a, valid_post(email="", phone=""))
    assert response.status_code == 200
    assert "Give an email address or a phone number" in response.content.decode()
    assert not ExpressionOfInterest.objects.exists()
    assert not mail.outbox


@pytest.mark.parametrize(
    ("field", "length", "message"),
    [
        ("full_name", 151, "Your name must be 150 characters or fewer."),
        ("support_needed", 1001, "in 1000 characters or fewer"),
        ("phone", 41, "Phone number must be 40 characters or fewer."),
    ],
)
def test_an_over_long_answer_is_refused(client, board_a, seats, field, length, message):
    value = "0" * length if field == "phone" else "x" * length
    response = post_interest(client, board_a, valid_post(**{field: value}))
    assert message in response.content.decode()
    assert not ExpressionOfInterest.objects.exists()


def test_a_filled_hidden_field_is_refused_with_a_message(client, board_a, seats):
    response = post_interest(client, board_a, valid_post(website="https://spam.example"))
    page = response.content.decode()
    assert response.status_code == 200
    assert HONEYPOT_MESSAGE in page
    # The box comes back empty, so a person whose browser filled it can send again.
    assert "https://spam.example" not in page
    assert not ExpressionOfInterest.objects.exists()


def test_consent_to_be_contacted_is_required(client, board_a, seats):
    data = valid_post()
    del data["consent_to_contact"]
    page = post_interest(client, board_a, data).content.decode()
    assert "Tick the box to agree that we may contact you" in page
    assert not ExpressionOfInterest.objects.exists()


def test_the_sixth_post_in_ten_minutes_from_one_address_is_refused(
    client, board_a, seats, time_machine
):
    time_machine.move_to(timezone.now())
    for n in range(5):
        response = post_interest(client, board_a, valid_post(email=f"p{n}@example.org"))
        assert response.status_code == 302
    response = post_interest(client, board_a, valid_post(email="p5@example.org"))
    assert response.status_code == 200
    assert TOO_MANY_MESSAGE in response.content.decode()
    assert ExpressionOfInterest.objects.count() == 5

    # Another address is not held back by this one's posts.
    other = post_interest(
        client, board_a, valid_post(email="else@example.org"), REMOTE_ADDR="192.0.2.9"
    )
    assert other.status_code == 302

    # Once ten minutes have passed, the address may post again.
    time_machine.shift(timedelta(minutes=10, seconds=1))
    assert post_interest(client, board_a, valid_post(email="later@example.org")).status_code == 302


def test_refused_posts_count_towards_the_limit_too(client, board_a, seats):
    for _ in range(5):
        post_interest(client, board_a, valid_post(website="filled"))
    response = post_interest(client, board_a, valid_post())
    assert TOO_MANY_MESSAGE in response.content.decode()
    assert not ExpressionOfInterest.objects.exists()


def test_the_count_is_kept_in_the_database_where_every_worker_sees_it(client, board_a, seats):
    for _ in range(5):
        post_interest(client, board_a, valid_post())
    # A second worker has a process of its own but the same database: it sees the five posts.
    assert InterestFormPost.objects.count() == 5
    # Kept as a keyed hash, not as the address.
    assert not InterestFormPost.objects.filter(client__contains="127.0.0.1").exists()
    assert TOO_MANY_MESSAGE in post_interest(client, board_a, valid_post()).content.decode()


def test_a_forwarded_address_from_an_untrusted_sender_does_not_escape_the_count(
    client, board_a, seats, settings
):
    settings.TRUSTED_PROXIES = []
    for n in range(5):
        post_interest(client, board_a, valid_post(), HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    response = post_interest(client, board_a, valid_post(), HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert TOO_MANY_MESSAGE in response.content.decode()


def test_behind_a_trusted_proxy_each_client_is_counted_apart(client, board_a, seats, settings):
    import ipaddress

    settings.TRUSTED_PROXIES = [ipaddress.ip_network("127.0.0.1/32")]
    for _ in range(5):
        post_interest(client, board_a, valid_post(), HTTP_X_FORWARDED_FOR="203.0.113.1")
    response = post_interest(client, board_a, valid_post(), HTTP_X_FORWARDED_FOR="203.0.113.2")
    assert response.status_code == 302


def test_the_browser_decides_neither_the_board_nor_the_state(client, board_a, board_b, seats):
    post_interest(
        client,
        board_a,
        valid_post(board=board_b.pk, status="appointed", in_pool_since="2020-01-01", notes="x"),
    )
    interest = ExpressionOfInterest.objects.get()
    assert (interest.board, interest.status, interest.in_pool_since, interest.notes) == (
        board_a,
        "new",
        None,
        "",
    )


def test_a_role_the_board_has_no_seat_for_is_refused(client, board_a, seats):
    page = post_interest(client, board_a, valid_post(role="deputy_carer")).content.decode()
    assert "Choose one of the roles listed, or “Not sure yet”." in page
    assert not ExpressionOfInterest.objects.exists()


def test_not_sure_is_kept_as_no_role(client, board_a, seats):
    post_interest(client, board_a, valid_post(role="not_sure"))
    assert ExpressionOfInterest.objects.get().role == ""


def test_a_vacancys_link_chooses_its_role_on_the_form(client, board_a, seats):
    page = client.get(
        reverse("public_board_interest", args=[board_a.slug]) + "?role=lived"
    ).content.decode()
    assert 'value="lived" checked' in page
    assert 'value="carer" checked' not in page


# A rep's choice to be listed


def test_a_rep_chooses_to_be_listed_on_their_own_details(client, board_a, seats, rep_a1):
    from tests.conftest import sign_in

    rep = Rep.objects.get(user=rep_a1)
    rep.email = "alice@example.org"
    rep.save()
    TermFactory(
        seat=SeatFactory(group=seats, title="Carer rep 3"),
        rep=rep,
        start=timezone.localdate() - timedelta(days=10),
    )
    assert rep.listed_publicly is False
    client.logout()
    assert "Alice Rep" not in page_text(client, board_a)

    sign_in(client, rep_a1)
    client.post(
        reverse("reps:my_preferences_edit"),
        {"contact": ["contact_by_email"], "listed_publicly": "on"},
    )
    rep.refresh_from_db()
    assert rep.listed_publicly is True
    client.logout()
    assert "Alice Rep" in page_text(client, board_a)


def test_the_privacy_notice_says_what_the_interest_form_keeps_and_who_sees_it(client, board_a):
    form_page = client.get(reverse("public_board", args=[board_a.slug])).content.decode()
    assert f'href="{reverse("privacy")}"' in form_page
    notice = client.get(reverse("privacy")).content.decode()
    assert "If you tell a board you are interested" in notice
    assert "Only the staff at that board's partnership who support reps can see them" in notice
