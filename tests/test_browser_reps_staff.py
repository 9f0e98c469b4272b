"""Staff keep the reps record in a real Chromium; then the rep sees their term and checklist.

Staff appoint a rep to a vacant seat, tick induction items, record a meeting whose papers went
out late and who attended it. Every page reached is checked with axe-core at desktop width and
at 320 px (tests/browser.py); screenshots are saved in build/screenshots/.
"""

import importlib
import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from django_otp.oath import totp
from playwright.sync_api import expect

from portal.core.boards import ensure_integration_authorities
from portal.core.models import Board
from reps.models import Attendance, InductionItemTemplate, Meeting, SupportRequest, Term
from tests.browser import browser_sign_in, check_page
from tests.factories import (
    PASSWORD,
    AgendaItemFactory,
    GroupFactory,
    MeetingFactory,
    RepFactory,
    SeatFactory,
    StaffMembershipFactory,
    SupportRequestFactory,
    TermFactory,
    TrainingFactory,
    UsualJourneyFactory,
    confirmed_totp_device,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NATIONAL_ITEMS = importlib.import_module(
    "reps.migrations.0003_national_induction_items"
).NATIONAL_INDUCTION_ITEMS


def typed(day: date) -> str:
    return day.strftime("%d/%m/%Y")


@pytest.fixture
def board():
    ensure_integration_authorities(Board)
    # A transactional test empties every table afterwards, data migrations' rows included.
    for position, title in enumerate(NATIONAL_ITEMS, start=1):
        InductionItemTemplate.objects.get_or_create(
            board=None, title=title, defaults={"order": position * 10}
        )
    return Board.objects.get(slug="east-dunbartonshire-ijb")


@pytest.fixture
def staff(board):
    membership = StaffMembershipFactory(
        board=board, user__email="support@example.org", user__full_name="Jo Support"
    )
    return membership.user, confirmed_totp_device(membership.user)


@pytest.fixture
def setting(board):
    """A board with one seat held, one vacant, and a rep waiting to be appointed."""
    today = timezone.localdate()
    ijb = GroupFactory(board=board, name="Integration Joint Board", kind="board", order=1)
    held = TermFactory(
        seat=SeatFactory(group=ijb, title="Carer representative 1", voting=True),
        rep__full_name="Tariq Hussain",
        start=today - timedelta(days=400),
    )
    SeatFactory(group=ijb, title="Carer representative 2", created_on=today - timedelta(days=60))
    morag = RepFactory(
        board=board,
        user__email="morag@example.org",
        user__full_name="Morag Campbell",
        full_name="Morag Campbell",
        needs_bsl=True,
    )
    TrainingFactory(rep=morag, date=today - timedelta(days=20))
    UsualJourneyFactory(rep=morag, from_area="G66", venue="Kirkintilloch Town Hall")
    planning = GroupFactory(board=board, name="Strategic planning group", kind="planning", order=2)
    TermFactory(
        seat=SeatFactory(group=planning, title="Carer representative"),
        rep__full_name="Ailsa Grant",
        start=today - timedelta(days=1000),
        planned_end=today + timedelta(days=60),
    )
    long_server = RepFactory(board=board, user=None, full_name="Rab Long", rep_type="lived")
    long_seat = SeatFactory(group=planning, title="Lived experience representative", kind="lived")
    for years_ago in (7, 4, 1):
        start = today - timedelta(days=365 * years_ago)
        TermFactory(
            rep=long_server,
            seat=long_seat,
            start=start,
            planned_end=start + timedelta(days=3 * 365 - 1),
        )
    earlier = MeetingFactory(group=ijb, date=today - timedelta(days=30))
    AgendaItemFactory(meeting=earlier, rep=held.rep, title="Short breaks for carers")
    return {"ijb": ijb, "morag": morag, "tariq": held.rep, "today": today}


def staff_signs_in(page, staff):
    user, device = staff
    browser_sign_in(page, user.email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Enter the code from your authenticator app"
    )
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.get_by_label("Code from your authenticator app").fill(f"{code:06d}")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What needs doing")


# The design system draws its own radios and tick boxes over the real inputs, so a click lands on
# the label (as a person's would); `force` lets Playwright click there.


def heading(page, text):
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def test_staff_appoint_induct_and_record_a_meeting_then_the_rep_sees_it(page, staff, setting):
    today = setting["today"]
    start = today - timedelta(days=30)
    staff_signs_in(page, staff)
    check_page(page, "staff home")
    expect(
        page.get_by_role("cell", name="Carer representative 2, Integration Joint Board", exact=True)
    ).to_be_visible()

    # Appoint Morag to the vacant seat; a mistake first, then the right dates.
    page.get_by_role("link", name="Seats and vacancies").first.click()
    heading(page, "Seats and vacancies")
    check_page(page, "staff seat list")
    page.get_by_role(
        "link", name="Appoint a rep to Carer representative 2, Integration Joint Board"
    ).click()
    heading(page, "Appoint a rep to Carer representative 2")
    check_page(page, "staff appoint a rep")
    page.get_by_label("Rep").select_option(label="Morag Campbell")
    page.get_by_label("First day in the seat").fill(typed(start))
    page.get_by_label("Planned last day").fill(typed(start - timedelta(days=1)))
    # The design system draws its own radio over the real one: a person clicks the label.
    page.locator("label", has_text="Open recruitment").click()
    expect(page.get_by_label("Open recruitment")).to_be_checked()
    page.get_by_role("button", name="Appoint").click()
    expect(page.locator(".ds_error-summary")).to_contain_text(
        "The planned last day must be after the first day."
    )
    expect(page.get_by_label("First day in the seat")).to_have_value(typed(start))
    check_page(page, "staff appoint a rep with errors")
    page.get_by_label("Planned last day").fill(typed(start + timedelta(days=3 * 365)))
    page.get_by_role("button", name="Appoint").click()
    heading(page, "Carer representative 2")
    expect(page.get_by_text("Morag Campbell has been appointed")).to_be_visible()
    check_page(page, "staff term with checklist")

    # Tick two induction items.
    page.get_by_label("Role description given").check(force=True)
    page.get_by_label("Expenses policy given").check(force=True)
    page.get_by_role("button", name="Save the checklist").click()
    expect(page.get_by_text("2 items marked done.")).to_be_visible()
    expect(page.get_by_text("Done on", exact=False).first).to_be_visible()
    check_page(page, "staff term after ticking")
    term = Term.objects.get(rep=setting["morag"])
    assert term.induction_items.filter(done=True).count() == 2

    # The other term pages.
    page.get_by_role("link", name="Add an item to this checklist").click()
    heading(page, "Add an item to the induction checklist")
    check_page(page, "staff add induction item")
    page.get_by_role("link", name="Cancel").click()
    page.get_by_role("link", name="End this term").click()
    heading(page, "End Morag Campbell's term")
    check_page(page, "staff end a term")

    # A meeting whose papers went out two days before it.
    page.goto("/staff/meetings/")
    heading(page, "Meetings")
    check_page(page, "staff meeting list")
    page.get_by_role("link", name="Add a meeting").click()
    heading(page, "Add a meeting")
    check_page(page, "staff add a meeting")
    meeting_day = today - timedelta(days=3)
    page.get_by_label("Board or group").select_option(label="Integration Joint Board")
    page.get_by_label("Date of the meeting").fill(typed(meeting_day))
    page.get_by_label("Venue").fill("Kirkintilloch Town Hall")
    page.get_by_label("Date the papers were sent out").fill(typed(meeting_day - timedelta(days=2)))
    page.get_by_role("button", name="Add the meeting").click()
    heading(page, f"Integration Joint Board, {meeting_day:%-d %B %Y}")
    expect(page.get_by_text("Late", exact=True)).to_be_visible()
    check_page(page, "staff meeting detail")

    # Attendance of both seat holders.
    page.get_by_role("link", name="Record attendance").click()
    heading(page, "Record attendance")
    check_page(page, "staff record attendance")
    page.get_by_role("group", name="Morag Campbell (Carer representative 2)").get_by_label(
        "Attended", exact=True
    ).check(force=True)
    page.get_by_role("button", name="Save attendance").click()
    expect(page.locator(".ds_error-summary")).to_contain_text(
        "Choose whether Tariq Hussain attended."
    )
    check_page(page, "staff record attendance with errors")
    page.get_by_role("group", name="Tariq Hussain (Carer representative 1)").get_by_label(
        "Sent apologies"
    ).check(force=True)
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_text("Attendance has been saved.")).to_be_visible()
    meeting = Meeting.objects.get(date=meeting_day)
    assert dict(Attendance.objects.filter(meeting=meeting).values_list("rep", "status")) == {
        setting["morag"].pk: "attended",
        setting["tariq"].pk: "apologies",
    }

    # Items the reps put forward, and what came of them.
    page.get_by_role("link", name="Add an item the reps put forward").click()
    heading(page, "Add an item the reps put forward")
    check_page(page, "staff add agenda item")
    page.get_by_label("What the item is about").fill("Replacement care for meetings")
    page.get_by_label("Put forward by").select_option(label="Morag Campbell")
    page.get_by_role("button", name="Add the item").click()
    page.get_by_role("link", name="Replacement care for meetings").click()
    heading(page, "Replacement care for meetings")
    check_page(page, "staff decide agenda item")
    page.get_by_label("Accepted").check(force=True)
    page.get_by_label("Time given on the agenda (minutes)").fill("20")
    page.get_by_label("What came of it").fill("Care is now booked with the meeting papers.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Care is now booked with the meeting papers.")).to_be_visible()
    page.get_by_role("link", name="Change the meeting details").click()
    heading(page, f"Change the meeting of {meeting_day:%-d %B %Y}")
    check_page(page, "staff change a meeting")

    # The home page now has late papers and induction to follow up.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="What needs doing").click()
    heading(page, "What needs doing")
    expect(
        page.get_by_role("link", name=f"Integration Joint Board, {meeting_day:%-d %b %Y}")
    ).to_be_visible()
    expect(page.get_by_text("Ailsa Grant")).to_be_visible()
    expect(page.get_by_text("Rab Long")).to_be_visible()
    check_page(page, "staff home with work to do")

    # The rest of the staff screens, each checked once.
    page.goto("/staff/meetings/?late_papers=on")
    expect(page.get_by_text("Late", exact=True)).to_be_visible()
    check_page(page, "staff meeting list late papers")
    page.goto("/staff/reps/")
    heading(page, "Reps")
    check_page(page, "staff rep list")
    page.get_by_role("link", name="Morag Campbell").click()
    heading(page, "Morag Campbell")
    expect(page.get_by_text("Term 1")).to_be_visible()
    check_page(page, "staff rep record")
    page.get_by_role("link", name="Change the record of Morag Campbell").click()
    heading(page, "Change Morag Campbell's record")
    check_page(page, "staff change rep")
    page.get_by_label("Email address").fill("not an email")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".ds_error-summary")).to_be_visible()
    check_page(page, "staff change rep with errors")
    page.goto("/staff/reps/new/")
    heading(page, "Add a rep")
    check_page(page, "staff add a rep")
    morag = setting["morag"]
    own_item = InductionItemTemplate.objects.create(board=setting["ijb"].board, title="Buddy lunch")
    for path, title, name in [
        (f"/staff/reps/{morag.pk}/journeys/new/", "Add a usual journey", "staff add journey"),
        (f"/staff/reps/{morag.pk}/training/new/", "Add training", "staff add training"),
        (
            f"/staff/reps/{morag.pk}/training/{morag.training.get().pk}/",
            "Change the training record",
            "staff change training",
        ),
        (
            f"/staff/reps/{morag.pk}/training/{morag.training.get().pk}/remove/",
            f"Remove “{morag.training.get().course}” on {morag.training.get().date:%-d %B %Y}?",
            "staff remove training",
        ),
        (
            f"/staff/reps/{morag.pk}/journeys/{morag.usual_journeys.get().pk}/remove/",
            "Remove the journey from G66 to Kirkintilloch Town Hall?",
            "staff remove journey",
        ),
        ("/staff/terms/", "Terms and induction", "staff term list"),
        (
            f"/staff/terms/{term.pk}/change/",
            f"Change {term.rep.full_name}'s term",
            "staff change a term",
        ),
        ("/staff/training/", "Training", "staff training list"),
        ("/staff/seats/new/", "Add a seat", "staff add a seat"),
        (
            f"/staff/seats/{term.seat_id}/edit/",
            "Change Carer representative 2",
            "staff change a seat",
        ),
        ("/staff/groups/new/", "Add a group", "staff add a group"),
        (
            f"/staff/boards/{setting['ijb'].board.slug}/standards/",
            "The board's standards",
            "staff board standards",
        ),
        (
            f"/staff/boards/{setting['ijb'].board.slug}/induction/",
            "The board's induction checklist",
            "staff board induction",
        ),
        (
            f"/staff/boards/{setting['ijb'].board.slug}/induction/{own_item.pk}/",
            "Change an induction item",
            "staff board induction item",
        ),
        (
            f"/staff/groups/{setting['ijb'].pk}/edit/",
            "Change Integration Joint Board",
            "staff change a group",
        ),
    ]:
        page.goto(path)
        heading(page, title)
        check_page(page, name)
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("The group has been saved.")).to_be_visible()

    # The rep signs in and finds their term and checklist.
    page.get_by_role("button", name="Sign out").click()
    browser_sign_in(page, "morag@example.org", PASSWORD)
    heading(page, "Hello, Morag Campbell")
    main = page.locator("main")
    expect(main).to_contain_text("Carer representative 2")
    expect(main).to_contain_text("Role description given")
    expect(main).to_contain_text("2 of 9 items done")
    check_page(page, "rep home after appointment")


def test_staff_close_an_abolished_seat_and_cancel_a_meeting(page, staff, setting):
    today = setting["today"]
    coming = MeetingFactory(
        group=setting["ijb"], date=today + timedelta(days=20), papers_issued_on=None
    )
    staff_signs_in(page, staff)

    page.goto("/staff/seats/")
    expect(page.get_by_text("4 seats, 1 vacant.")).to_be_visible()
    page.get_by_role("link", name="Change Carer representative 2, Integration Joint Board").click()
    page.get_by_role("link", name="Close this seat").click()
    heading(page, "Close Carer representative 2")
    check_page(page, "seat close")

    # Wrong input: no day, then a day before the seat was set up.
    page.get_by_label("First day without the seat").fill("")
    page.get_by_role("button", name="Close the seat").click()
    expect(page.locator(".ds_error-summary")).to_be_visible()
    page.get_by_label("First day without the seat").fill(typed(today - timedelta(days=365)))
    page.get_by_role("button", name="Close the seat").click()
    expect(page.get_by_text("it can only close after that.").first).to_be_visible()
    check_page(page, "seat close refused")

    page.get_by_label("First day without the seat").fill(typed(today))
    page.get_by_role("button", name="Close the seat").click()
    expect(page.get_by_text("The seat Carer representative 2 has been closed.")).to_be_visible()
    expect(page.get_by_role("button", name="Open the seat again")).to_be_visible()
    check_page(page, "seat closed")

    page.goto("/staff/seats/")
    expect(page.get_by_text("3 seats, 0 vacant.")).to_be_visible()
    page.goto("/staff/seats/?closed=on")
    expect(page.get_by_text("4 seats, 0 vacant, 1 closed.")).to_be_visible()
    expect(page.get_by_text("Closed", exact=True)).to_be_visible()
    check_page(page, "seat list with closed seats")

    page.goto(f"/staff/meetings/{coming.pk}/")
    page.get_by_role("link", name="Cancel the meeting").click()
    heading(page, "Cancel this meeting?")
    check_page(page, "meeting cancel")
    page.get_by_label("Why it is cancelled").fill("Too few members could come.")
    page.get_by_role("button", name="Cancel the meeting").click()
    expect(page.get_by_text("The meeting is marked as cancelled.")).to_be_visible()
    expect(page.get_by_text("This meeting is cancelled.")).to_be_visible()
    check_page(page, "meeting cancelled")
    coming.refresh_from_db()
    assert coming.cancelled_reason == "Too few members could come."
    page.goto("/staff/meetings/")
    page.get_by_label("Show").select_option("no")
    page.get_by_role("button", name="Show results").click()
    expect(page.get_by_role("heading", name="1 meeting")).to_be_visible()
    expect(page.get_by_text("Cancelled", exact=True)).to_be_visible()
    check_page(page, "meeting list of cancelled meetings")

    page.goto(f"/staff/meetings/{coming.pk}/")
    page.get_by_role("button", name="The meeting is going ahead after all").click()
    expect(page.get_by_text("The meeting is going ahead")).to_be_visible()
    coming.refresh_from_db()
    assert coming.cancelled_on is None


def test_staff_move_an_item_off_a_cancelled_meeting(page, staff, setting):
    today = setting["today"]
    called_off = MeetingFactory(
        group=setting["ijb"],
        date=today + timedelta(days=5),
        cancelled_on=today,
        cancelled_reason="The chair is unwell.",
    )
    following = MeetingFactory(
        group=setting["ijb"], date=today + timedelta(days=33), venue="Kirkintilloch Hub"
    )
    item = AgendaItemFactory(meeting=called_off, rep=None, title="Short breaks for carers")
    staff_signs_in(page, staff)

    page.goto(f"/staff/meetings/{called_off.pk}/")
    page.get_by_role("link", name="Move to another meeting").click()
    heading(page, "Short breaks for carers")
    check_page(page, "agenda item move")

    # Wrong input: nothing chosen. The answer says so and moves nothing.
    page.get_by_role("button", name="Move the item").click()
    expect(page.locator(".ds_error-summary")).to_be_visible()
    expect(page.get_by_text("Choose the meeting to take the item to.").first).to_be_visible()
    check_page(page, "agenda item move refused")

    page.get_by_label(following.date.strftime("%A %-d %B %Y") + ", Kirkintilloch Hub").check(
        force=True
    )
    page.get_by_role("button", name="Move the item").click()
    expect(
        page.get_by_text("“Short breaks for carers” is now on this meeting's agenda.")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Short breaks for carers")).to_be_visible()
    check_page(page, "agenda item moved")
    item.refresh_from_db()
    assert item.meeting == following


def test_staff_record_apologies_given_by_phone_before_a_meeting(page, staff, setting):
    coming = MeetingFactory(group=setting["ijb"], date=setting["today"] + timedelta(days=9))
    staff_signs_in(page, staff)
    page.goto(f"/staff/meetings/{coming.pk}/")
    page.get_by_role("link", name="Record apologies").click()
    heading(page, "Record apologies")
    check_page(page, "staff record apologies")
    page.get_by_label("Tariq Hussain (Carer representative 1)").check(force=True)
    page.get_by_role("button", name="Save apologies").click()
    expect(page.get_by_text("The apologies have been saved.")).to_be_visible()
    assert list(Attendance.objects.filter(meeting=coming).values_list("rep", "status")) == [
        (setting["tariq"].pk, "apologies")
    ]
    # Apologies are no sign the meeting took place: it can still be cancelled.
    expect(page.get_by_role("link", name="Cancel the meeting")).to_be_visible()
    check_page(page, "staff meeting with apologies")


def test_staff_record_what_a_rep_would_like_when_their_term_ends(page, staff, setting):
    staff_signs_in(page, staff)
    succession = page.locator("#succession-title + p + div")
    expect(succession.get_by_role("row", name="Ailsa Grant")).to_contain_text("Not said yet")
    page.get_by_role("link", name="Ailsa Grant").click()
    page.get_by_role("link", name="Record what the rep would like when the term ends").click()
    heading(page, "When Ailsa Grant's term ends")
    check_page(page, "staff term afterwards")
    page.get_by_label("Plans to step down").check(force=True)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("What the rep would like when the term ends is saved.")).to_be_visible()
    expect(page.get_by_text("Plans to step down")).to_be_visible()
    page.goto("/staff/")
    expect(succession.get_by_role("row", name="Ailsa Grant")).to_contain_text("Plans to step down")
    check_page(page, "staff home with what a rep would like")
    assert Term.objects.get(rep__full_name="Ailsa Grant").afterwards == "stepping_down"


def test_staff_answer_a_reps_request_for_training(page, staff, setting):
    morag = setting["morag"]
    SupportRequestFactory(
        rep=morag,
        what="Understanding the IJB budget",
        details="The finance papers are hard to follow.",
        asked_on=setting["today"] - timedelta(days=3),
    )
    staff_signs_in(page, staff)
    page.goto("/staff/training/")
    page.get_by_role("link", name="Requests for training or support from reps").click()
    heading(page, "Requests for training or support")
    check_page(page, "staff support requests")
    page.get_by_role("link", name="Understanding the IJB budget").click()
    heading(page, "Understanding the IJB budget")
    page.get_by_role("button", name="Save the answer").click()
    expect(page.get_by_text("Choose whether it is arranged or not possible.").first).to_be_visible()
    check_page(page, "staff answer a request with a problem")
    page.get_by_label("Yes, it is arranged").check(force=True)
    page.get_by_label("What to tell the rep").fill("The finance officer will meet you on 3 March.")
    page.get_by_role("button", name="Save the answer").click()
    expect(
        page.get_by_text("Your answer to “Understanding the IJB budget” is saved.")
    ).to_be_visible()
    expect(
        page.get_by_role("row", name=re.compile("Understanding the IJB budget"))
    ).to_contain_text("Arranged")
    assert SupportRequest.objects.get(rep=morag).status == "arranged"


def test_staff_set_the_years_budgets_for_reps(page, staff, setting):
    staff_signs_in(page, staff)
    page.goto("/staff/training/")
    page.get_by_role("link", name=re.compile("^Set the budgets of East Dunbartonshire IJB")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Budgets for reps")
    check_page(page, "staff budgets")
    page.get_by_label("Training budget for reps").fill("lots")
    page.get_by_role("button", name="Save the budgets").click()
    expect(
        page.get_by_text("Enter training budget for reps as a number, like 2000.00.").first
    ).to_be_visible()
    check_page(page, "staff budgets with a problem")
    page.get_by_label("Training budget for reps").fill("1500")
    page.get_by_label("Budget for reps' expenses").fill("8,000")
    page.get_by_role("button", name="Save the budgets").click()
    expect(page.get_by_text("East Dunbartonshire IJB's budgets for")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("East Dunbartonshire IJB"))).to_contain_text(
        "£1,500.00"
    )
    check_page(page, "staff training with a budget")


def test_staff_record_a_conversation_about_a_reps_needs(page, staff, setting):
    morag = setting["morag"]
    staff_signs_in(page, staff)
    page.goto(f"/staff/reps/{morag.pk}/")
    page.get_by_role("link", name="Record a conversation with Morag Campbell").click()
    heading(page, "Record a conversation about training and support")
    check_page(page, "staff record a conversation")
    page.get_by_role("button", name="Record the conversation").click()
    expect(page.get_by_text("Enter the date of the conversation.").first).to_be_visible()
    check_page(page, "staff record a conversation with a problem")
    page.get_by_label("Date of the conversation").fill(typed(setting["today"]))
    page.get_by_label("What was agreed").fill("Papers posted as well as emailed.")
    page.get_by_role("button", name="Record the conversation").click()
    expect(page.get_by_text("The conversation with Morag Campbell is recorded.")).to_be_visible()
    expect(page.get_by_text("Papers posted as well as emailed.")).to_be_visible()
    check_page(page, "staff rep record with a conversation")
    assert morag.needs_conversations.get().agreed == "Papers posted as well as emailed."
