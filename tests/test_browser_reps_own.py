"""A rep's own pages and the staff import, in a real Chromium, checked with axe at every step.

The rep signs in, sees their term and induction checklist, changes their support needs, answers
equality monitoring and then withdraws it, and downloads everything the portal holds about them.
Staff bring in a file with a bad row, read why, correct it and bring it in. Screenshots of every
page are saved in build/screenshots/.
"""

import datetime
import importlib
import re
import zipfile
from urllib.parse import urlsplit

import pytest
from django.apps import apps as django_apps
from django.utils import timezone
from playwright.sync_api import expect

from portal.core.boards import ensure_integration_authorities
from portal.core.models import Board, User
from portal.demo import DEMO_PASSWORD, seed_accounts
from reps import services
from reps.models import EqualityRecord, Group, Rep, Seat, SupportRequest
from tests.browser import (
    NARROW,
    SCREENSHOTS,
    browser_sign_in,
    check_page,
    set_up_second_factor,
)

add_national_items = importlib.import_module(
    "reps.migrations.0003_national_induction_items"
).add_national_items

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def morag():
    """The demo rep, in her second term as carer rep with a meeting coming up."""
    ensure_integration_authorities(Board)
    # A transactional test empties the tables between tests, migrations' rows included.
    add_national_items(django_apps, None)
    seed_accounts()
    staff = User.objects.get(email="staff@example.org")
    rep = Rep.objects.get(user__email="rep@example.org")
    group = services.group_create(
        board=rep.board, name="Integration Joint Board", kind=Group.Kind.BOARD, by=staff
    )
    seat = services.seat_create(
        board=rep.board, group=group, kind=Seat.Kind.CARER, title="Carer representative", by=staff
    )
    today = timezone.localdate()
    term = services.term_appoint(
        rep=rep,
        seat=seat,
        start=today - datetime.timedelta(days=200),
        planned_end=today + datetime.timedelta(days=900),
        how_recruited="open",
        by=staff,
    )
    first = term.induction_items.order_by("order").first()
    services.induction_item_mark_done(item=first, by=staff, on=today - datetime.timedelta(days=190))
    meeting = services.meeting_create(
        board=rep.board,
        group=group,
        date=today - datetime.timedelta(days=20),
        venue="Kirkintilloch council chambers",
        papers_issued_on=today - datetime.timedelta(days=30),
        by=staff,
    )
    services.attendance_record(meeting=meeting, rep=rep, status="attended", by=staff)
    services.meeting_create(
        board=rep.board,
        group=group,
        date=today + datetime.timedelta(days=14),
        start_time=datetime.time(14, 0),
        venue="Kirkintilloch Town Hall",
        by=staff,
    )
    services.usual_journey_add(
        rep=rep,
        from_area="Lenzie",
        venue="Kirkintilloch council chambers",
        miles="3.5",
        by=rep.user,
    )
    services.training_add(
        rep=rep,
        course="Understanding IJB finance",
        date=today - datetime.timedelta(days=100),
        hours="3.0",
        cost="0.00",
        provider="The partnership",
        by=staff,
    )
    return rep


def test_the_rep_sees_their_term_changes_needs_and_answers_then_withdraws(page, morag):
    browser_sign_in(page, "rep@example.org", DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Morag Campbell")
    expect(page.get_by_role("heading", name="Carer representative")).to_be_visible()
    expect(page.get_by_text("Role description given")).to_be_visible()
    expect(page.get_by_text("items done.")).to_be_visible()
    check_page(page, "rep home with term and checklist")

    page.get_by_role("link", name="Your contact details, support needs and usual journeys").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your details")
    check_page(page, "rep details")

    page.get_by_role("link", name="Change your contact details").click()
    page.get_by_label("Email address").fill("not an email")
    page.get_by_role("button", name="Save your contact details").click()
    expect(page.locator(".ds_error-summary")).to_be_visible()
    expect(page.get_by_label("Email address")).to_have_value("not an email")
    check_page(page, "rep contact details with errors")
    page.get_by_label("Email address").fill("morag@example.org")
    page.get_by_role("button", name="Save your contact details").click()
    expect(page.get_by_text("Your contact details are saved.")).to_be_visible()

    page.get_by_role("link", name="Change the support you need").click()
    check_page(page, "rep support needs")
    tick(page, "Easy read")
    page.get_by_label("Anything else you need").fill("A hearing loop, please")
    page.get_by_role("button", name="Save the support you need").click()
    expect(page.get_by_text("Your support needs are saved.")).to_be_visible()
    expect(page.get_by_text("A hearing loop, please")).to_be_visible()
    morag.refresh_from_db()
    assert morag.needs_easy_read and morag.needs_other == "A hearing loop, please"

    page.get_by_role("link", name="Change how we contact you").click()
    check_page(page, "rep contact preferences")
    page.go_back()
    page.get_by_role("link", name="Change whether you are paid for your time").click()
    expect(page.get_by_text("Expenses never affect benefits.")).to_be_visible()
    check_page(page, "rep payment for time")
    page.go_back()
    page.get_by_role("link", name="Add a usual journey").click()
    page.get_by_label("Miles, one way").fill("12.345")
    page.get_by_role("button", name="Save the journey").click()
    expect(page.get_by_text("Enter where the journey starts.").first).to_be_visible()
    check_page(page, "rep journey with errors")
    page.goto("/my/details/")
    page.get_by_role("link", name="Remove the journey from Lenzie").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Remove this journey?")
    check_page(page, "rep journey remove")

    for path, heading in [
        ("/my/terms/", "Your terms and induction"),
        ("/my/meetings/", "Your meetings"),
        ("/my/training/", "Your training"),
    ]:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        check_page(page, f"rep {heading}")

    page.goto("/rep/")
    page.get_by_role("link", name="Equality monitoring (optional)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Equality monitoring")
    check_page(page, "rep equality monitoring")
    tick(page.get_by_role("group", name="What is your age? (optional)"), "65 to 74")
    page.get_by_role("button", name="Save my answers").click()
    expect(page.locator(".ds_error-summary")).to_contain_text("only keep your answers if you agree")
    check_page(page, "rep equality monitoring without consent")
    assert not EqualityRecord.objects.exists()

    tick(page, "I agree that the portal may keep my answers to these questions")
    page.get_by_role("button", name="Save my answers").click()
    expect(page.get_by_text("Thank you. Your answers are saved.")).to_be_visible()
    expect(page.get_by_role("heading", name="Your answers", exact=True)).to_be_visible()
    check_page(page, "rep equality monitoring answered")
    assert EqualityRecord.objects.get().age_band == "65-74"

    page.get_by_role("link", name="Withdraw consent and delete my answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete your answers?")
    check_page(page, "rep equality withdraw")
    page.get_by_role("button", name="Withdraw consent and delete my answers").click()
    expect(page.get_by_text("Your answers are deleted. No copy of them is kept.")).to_be_visible()
    expect(page.get_by_role("heading", name="Your answers", exact=True)).to_have_count(0)
    assert not EqualityRecord.objects.exists()


def test_on_a_phone_the_rep_puts_an_item_forward_for_their_next_meeting(page, morag):
    page.set_viewport_size(NARROW)
    browser_sign_in(page, "rep@example.org", DEMO_PASSWORD)
    page.goto("/my/meetings/")
    meeting_day = timezone.localdate() + datetime.timedelta(days=14)
    page.get_by_role(
        "link", name=f"Put an item forward for Integration Joint Board, {meeting_day:%-d %B %Y}"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Put an item forward")
    check_page(page, "rep put an item forward")

    # Nothing typed in the first box: the page says what to do and keeps the second.
    page.get_by_label("More about it (optional)").fill("I could only come as a neighbour sat in.")
    page.get_by_role("button", name="Send your item").click()
    expect(page.locator(".ds_error-summary")).to_contain_text(
        "Enter what you would like the meeting to discuss."
    )
    expect(page.get_by_label("More about it (optional)")).to_have_value(
        "I could only come as a neighbour sat in."
    )
    check_page(page, "rep put an item forward with errors")
    page.get_by_label("What would you like the meeting to discuss?").fill(
        "Replacement care so carers can attend meetings"
    )
    page.get_by_role("button", name="Send your item").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your meetings")
    expect(page.get_by_text("Your item is sent.")).to_be_visible()
    expect(page.get_by_text("Replacement care so carers can attend meetings")).to_be_visible()
    expect(page.get_by_text("Waiting for a decision")).to_be_visible()
    check_page(page, "rep meetings with an item put forward")
    item = morag.agenda_items.get()
    assert (item.title, item.status) == (
        "Replacement care so carers can attend meetings",
        "submitted",
    )


def test_on_a_phone_the_rep_sends_apologies_from_home_then_takes_them_back(page, morag):
    page.set_viewport_size(NARROW)
    browser_sign_in(page, "rep@example.org", DEMO_PASSWORD)
    page.goto("/rep/")
    page.get_by_role("link", name="Cannot come? Send apologies").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Send apologies")
    check_page(page, "rep send apologies")
    send = page.get_by_role("button", name="Send apologies")
    send.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your meetings")
    expect(page.get_by_text("The staff who support reps are told.")).to_be_visible()
    check_page(page, "rep meetings with apologies sent")
    assert list(morag.attendance.filter(status="apologies").values_list("meeting__venue")) == [
        ("Kirkintilloch Town Hall",)
    ]

    meeting_day = timezone.localdate() + datetime.timedelta(days=14)
    page.get_by_role(
        "link",
        name=f"Take back your apologies for Integration Joint Board, {meeting_day:%-d %B %Y}",
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your apologies are sent")
    check_page(page, "rep apologies sent")
    page.get_by_role("button", name="I can come after all").click()
    expect(page.get_by_text("you are expected there")).to_be_visible()
    assert not morag.attendance.filter(status="apologies").exists()


def test_on_a_phone_claims_come_first_and_the_meetings_reach_the_reps_calendar(
    page, live_server, morag
):
    page.set_viewport_size(NARROW)
    browser_sign_in(page, "rep@example.org", DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Morag Campbell")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "rep-home-on-a-phone-320px.png", full_page=True)
    claims = page.get_by_role("heading", name="Your expense claims").bounding_box()
    start = page.get_by_role("link", name="Claim for a meeting you attended").bounding_box()
    meeting = page.get_by_role("heading", name="Your next meeting").bounding_box()
    checklist = page.locator("details.ds_details").first.bounding_box()
    assert claims["y"] < start["y"] < meeting["y"] < checklist["y"]
    # A screen is 640 px high: claims start on the first screen, not the fourth.
    assert claims["y"] < 640
    expect(page.get_by_text("Kirkintilloch Town Hall").first).to_be_visible()
    expect(page.get_by_text("2:00pm").first).to_be_visible()
    check_page(page, "rep home on a phone")

    page.get_by_role("link", name="Put your meetings in your phone's calendar").click()
    page.get_by_role("button", name="Get your calendar address").click()
    expect(page.get_by_text("Your calendar address is ready.")).to_be_visible()
    check_page(page, "rep meetings with a calendar address")
    address = page.get_by_label("Your calendar address").input_value()
    feed_path = urlsplit(address).path
    feed = page.request.get(live_server.url + feed_path)
    assert feed.status == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    assert "LOCATION:Kirkintilloch Town Hall" in feed.text()

    page.get_by_role("link", name="Reset the address").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset your calendar address?")
    check_page(page, "rep calendar address reset")
    page.get_by_role("button", name="Reset the address").click()
    expect(page.get_by_text("The old address no longer works")).to_be_visible()
    assert page.get_by_label("Your calendar address").input_value() != address
    assert page.request.get(live_server.url + feed_path).status == 404


def test_the_rep_reads_what_the_portal_holds_and_downloads_it(page, morag):
    browser_sign_in(page, "rep@example.org", DEMO_PASSWORD)
    page.goto("/my/details/")
    page.get_by_role("link", name="See what the portal holds and download it").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your data")
    expect(page.get_by_text("claim-items.csv")).to_be_visible()
    check_page(page, "rep your data")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download your data").click()
    today = timezone.localdate().isoformat()
    assert download.value.suggested_filename == f"your-data-{today}.zip"
    with zipfile.ZipFile(download.value.path()) as archive:
        assert "Morag Campbell" in archive.read("your-details.csv").decode("utf-8-sig")
        assert "Understanding IJB finance" in archive.read("training.csv").decode("utf-8-sig")
        assert "Kirkintilloch council chambers" in archive.read("meeting-attendance.csv").decode(
            "utf-8-sig"
        )
        assert "README.txt" in archive.namelist()
    # Downloading leaves the rep where they were.
    expect(page.get_by_role("heading", level=1)).to_have_text("Your data")


def test_the_rep_downloads_their_data_without_javascript(browser, live_server, morag):
    context = browser.new_context(
        java_script_enabled=False, base_url=live_server.url, accept_downloads=True
    )
    page = context.new_page()
    try:
        browser_sign_in(page, "rep@example.org", DEMO_PASSWORD)
        page.goto("/privacy/")
        page.get_by_role("link", name="your data", exact=True).click()
        with page.expect_download() as download:
            page.get_by_role("link", name="Download your data").click()
        with zipfile.ZipFile(download.value.path()) as archive:
            assert "your-details.csv" in archive.namelist()
    finally:
        context.close()


def tick(scope, label):
    """Tick a box or choose a radio as a person does: by its label, which sits over the input."""
    scope.locator("label").filter(has_text=re.compile(rf"^\s*{re.escape(label)}\s*$")).click()
    expect(scope.get_by_label(label, exact=True)).to_be_checked()


def seats_file(*rows: str) -> dict:
    lines = ["Board,Group,Seat title,Kind of seat,Carries a vote", *rows]
    return {"name": "seats.csv", "mimeType": "text/csv", "buffer": "\n".join(lines).encode()}


def test_staff_preview_an_import_with_a_bad_row_then_bring_in_the_corrected_file(page, morag):
    browser_sign_in(page, "staff@example.org", DEMO_PASSWORD)
    set_up_second_factor(page, "staff@example.org")

    page.goto("/staff/import/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bring in a spreadsheet")
    check_page(page, "staff import")
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator(".ds_error-summary")).to_contain_text("Choose a file to bring in.")
    check_page(page, "staff import with errors")

    tick(page, "Seats")
    page.locator("input[type=file]").set_input_files(
        seats_file(
            "East Dunbartonshire IJB,Integration Joint Board,Deputy carer representative,"
            "Deputy carer representative,no",
            "East Dunbartonshire IJB,Audit committee,Lived experience representative,lived,yes",
        )
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check the file before it is brought in"
    )
    problems = page.locator(".ds_error-summary")
    expect(problems).to_contain_text("Row 3")
    expect(problems).to_contain_text("has no group called “Audit committee”")
    expect(page.get_by_role("button", name="Bring in")).to_have_count(0)
    check_page(page, "staff import preview with a bad row")
    assert Seat.objects.count() == 1

    page.get_by_role("link", name="Choose the corrected file").click()
    tick(page, "Seats")
    page.locator("input[type=file]").set_input_files(
        seats_file(
            "East Dunbartonshire IJB,Integration Joint Board,Deputy carer representative,"
            "Deputy carer representative,no",
            "East Dunbartonshire IJB,Integration Joint Board,Lived experience representative,"
            "lived,yes",
        )
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text("2 new, 0 changed and 0 unchanged")).to_be_visible()
    check_page(page, "staff import preview good")
    page.get_by_role("button", name="Bring in 2 rows").click()
    expect(page.get_by_text("Seats brought in: 2 new and 0 changed.")).to_be_visible()
    assert set(Seat.objects.values_list("title", flat=True)) == {
        "Carer representative",
        "Deputy carer representative",
        "Lived experience representative",
    }

    page.goto("/staff/export/")
    check_page(page, "staff export")
    tick(page, "Seats")
    tick(page, "Excel (XLSX), to open in a spreadsheet")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download").click()
    assert download.value.suggested_filename.startswith("seats-east-dunbartonshire-ijb-")


def test_import_and_own_details_work_without_javascript(browser, live_server, morag):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    try:
        browser_sign_in(page, "rep@example.org", DEMO_PASSWORD)
        page.goto("/my/details/support/")
        tick(page, "Papers sent by post")
        page.get_by_role("button", name="Save the support you need").click()
        expect(page.get_by_text("Your support needs are saved.")).to_be_visible()
        page.get_by_role("button", name="Sign out").click()

        browser_sign_in(page, "staff@example.org", DEMO_PASSWORD)
        set_up_second_factor(page, "staff@example.org", check=False)
        page.goto("/staff/import/")
        tick(page, "Seats")
        page.get_by_label("File to bring in").set_input_files(
            seats_file("East Dunbartonshire IJB,Integration Joint Board,Second carer rep,carer,no")
        )
        page.get_by_role("button", name="Check the file").click()
        expect(page.get_by_text("1 new, 0 changed and 0 unchanged")).to_be_visible()
        page.get_by_role("button", name="Bring in 1 row").click()
        expect(page.get_by_text("Seats brought in: 1 new and 0 changed.")).to_be_visible()
    finally:
        context.close()
    morag.refresh_from_db()
    assert morag.needs_papers_by_post
    assert Seat.objects.filter(title="Second carer rep").exists()


def test_on_a_phone_the_rep_says_what_they_would_like_when_their_term_ends(page, morag):
    page.set_viewport_size(NARROW)
    browser_sign_in(page, "rep@example.org", DEMO_PASSWORD)
    page.goto("/rep/")
    page.get_by_role("link", name="Tell us what you would like when this term ends").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("When your term ends")
    check_page(page, "rep term afterwards")
    page.get_by_role("button", name="Save").click()
    expect(
        page.get_by_text("Choose what you would like when this term ends.").first
    ).to_be_visible()
    check_page(page, "rep term afterwards with a problem")
    # By keyboard: the design system's radios and checkboxes draw their own boxes over the inputs.
    for label in (
        "I would like another term, if the board agrees",
        "I would be happy to help whoever follows me settle in",
    ):
        page.get_by_label(label).focus()
        page.keyboard.press("Space")
    save = page.get_by_role("button", name="Save")
    save.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Morag Campbell")
    expect(
        page.get_by_text("You would like another term, and would be happy to help whoever follows")
    ).to_be_visible()
    term = morag.terms.get()
    assert (term.afterwards, term.will_help_successor) == ("another", True)


def test_on_a_phone_the_rep_asks_for_support_and_withdraws_it(page, morag):
    page.set_viewport_size(NARROW)
    browser_sign_in(page, "rep@example.org", DEMO_PASSWORD)
    page.goto("/my/training/")
    page.get_by_role("link", name="Ask for training or support").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask for training or support")
    check_page(page, "rep asks for support")
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_text("Choose training or support.").first).to_be_visible()
    check_page(page, "rep asks for support with a problem")
    # By keyboard: the design system's radios draw their own circles over the inputs.
    page.get_by_label("Support in your role", exact=False).focus()
    page.keyboard.press("Space")
    page.get_by_label("What would help you?").fill("Papers in large print")
    send = page.get_by_role("button", name="Send the request")
    send.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your training")
    expect(page.get_by_text("Waiting for an answer")).to_be_visible()
    check_page(page, "rep training with a request waiting")
    assert SupportRequest.objects.get(rep=morag).status == "asked"

    page.get_by_role("link", name="Withdraw your request for Papers in large print").click()
    check_page(page, "rep withdraws a request")
    page.get_by_role("button", name="Withdraw the request").click()
    expect(
        page.get_by_text("Your request for “Papers in large print” is withdrawn.")
    ).to_be_visible()
    assert SupportRequest.objects.get(rep=morag).status == "withdrawn"
