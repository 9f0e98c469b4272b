"""Staff appoint reps to seats, work through each term's induction checklist and end terms."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils.html import escape

from reps import services
from reps.models import InductionItem, InductionItemTemplate, Term
from tests.conftest import sign_in
from tests.factories import (
    GroupFactory,
    RepFactory,
    SeatFactory,
    StaffMembershipFactory,
    TermFactory,
)

TODAY = date(2026, 1, 15)


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(TODAY, tick=False)


@pytest.fixture
def seat(board_a):
    group = GroupFactory(board=board_a, name="Integration Joint Board")
    return SeatFactory(group=group, title="Carer representative 2")


@pytest.fixture
def newcomer(board_a):
    return RepFactory(board=board_a, user=None, full_name="Fiona MacLeod", rep_type="carer")


def appoint(client, seat, rep, **overrides):
    data = {
        "rep": rep.pk,
        "start": "01/02/2026",
        "planned_end": "31/01/2029",
        "how_recruited": "open",
    }
    data.update(overrides)
    return client.post(reverse("reps:staff_term_appoint", args=[seat.pk]), data)


# Appointing


def test_appointing_to_a_vacant_seat_starts_a_term_with_its_checklist(
    staff_client, staff_a, seat, newcomer
):
    national = InductionItemTemplate.objects.filter(board__isnull=True, active=True).count()

    response = appoint(staff_client, seat, newcomer)

    term = Term.objects.get(seat=seat)
    assert response.status_code == 302
    assert response.url == reverse("reps:staff_term_detail", args=[term.pk])
    assert (term.rep, term.start, term.planned_end) == (
        newcomer,
        date(2026, 2, 1),
        date(2029, 1, 31),
    )
    assert term.induction_items.count() == national > 0
    assert term.history.get().history_user == staff_a


def test_the_appoint_form_offers_only_reps_who_could_hold_the_seat(
    staff_client, board_a, board_b, seat, newcomer
):
    RepFactory(board=board_a, user=None, full_name="Lived Experience Rep", rep_type="lived")
    RepFactory(board=board_b, user=None, full_name="Fife Carer", rep_type="carer")
    response = staff_client.get(reverse("reps:staff_term_appoint", args=[seat.pk]))
    offered = {rep.full_name for rep in response.context["form"].fields["rep"].queryset}
    assert offered == {"Fiona MacLeod"}
    # A vacant seat suggests starting today, for three years.
    assert response.context["form"].initial["start"] == TODAY
    assert response.context["form"].initial["planned_end"] == date(2029, 1, 14)


def test_a_rep_of_another_board_cannot_be_appointed(staff_client, board_b, seat, newcomer):
    fife = RepFactory(board=board_b, user=None, rep_type="carer")
    response = appoint(staff_client, seat, fife)
    assert response.status_code == 200
    assert "That option is not available any more." in response.content.decode()
    assert not Term.objects.exists()


def test_an_overlapping_term_gets_a_plain_message_and_is_not_saved(staff_client, seat, newcomer):
    TermFactory(
        seat=seat,
        rep__full_name="Morag Campbell",
        start=date(2024, 4, 1),
        planned_end=date(2027, 3, 31),
    )
    response = appoint(staff_client, seat, newcomer)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Morag Campbell holds this seat from 1 April 2024 to 31 March 2027" in page
    assert "Terms in one seat cannot overlap" in page
    assert 'value="01/02/2026"' in page
    assert Term.objects.filter(seat=seat).count() == 1


def test_a_successor_is_suggested_from_the_day_after_the_current_term(staff_client, seat):
    TermFactory(seat=seat, start=date(2023, 4, 1), planned_end=date(2026, 3, 31))
    response = staff_client.get(reverse("reps:staff_term_appoint", args=[seat.pk]))
    assert response.context["form"].initial["start"] == date(2026, 4, 1)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"planned_end": "01/01/2026"}, "The planned last day must be after the first day."),
        ({"start": ""}, "Enter first day in the seat"),
        ({"how_recruited": ""}, "Answer “How was the rep recruited?”"),
        ({"start": "30/02/2026"}, "30/02/2026 is not a real date."),
    ],
)
def test_an_appointment_with_mistakes_is_refused(staff_client, seat, newcomer, overrides, message):
    response = appoint(staff_client, seat, newcomer, **overrides)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Term.objects.exists()


# The induction checklist


@pytest.fixture
def term(seat, newcomer, staff_a):
    return services.term_appoint(
        rep=newcomer,
        seat=seat,
        start=date(2026, 1, 5),
        planned_end=date(2029, 1, 4),
        how_recruited="open",
        by=staff_a,
    )


def checklist(term, ticked, done_on="15/01/2026"):
    data = {"done_on": done_on}
    for item in term.induction_items.all():
        if item.title in ticked:
            data[f"item_{item.pk}"] = "on"
    return data


def test_the_term_page_shows_the_term_and_its_checklist(staff_client, term):
    page = staff_client.get(reverse("reps:staff_term_detail", args=[term.pk])).content.decode()
    assert "Carer representative 2" in page
    assert "Term 1 in this seat" in page
    assert f"0 of {term.induction_items.count()} items done" in page
    for item in term.induction_items.all():
        assert item.title in page


def test_ticking_items_records_who_and_when(staff_client, staff_a, term):
    first, second, *_ = term.induction_items.all()
    url = reverse("reps:staff_term_detail", args=[term.pk])

    response = staff_client.post(url, checklist(term, {first.title, second.title}, "12/01/2026"))

    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.done, first.done_on, first.done_by) == (True, date(2026, 1, 12), staff_a)
    assert term.induction_items.filter(done=True).count() == 2
    page = staff_client.get(url).content.decode()
    assert "2 items marked done." in page
    assert f"Done on 12 January 2026 by {escape(staff_a.full_name)}." in page


SCRIPT = "<img src=x onerror=alert(1)>"


def test_a_name_that_is_markup_is_shown_in_the_checklist_hint_as_text(staff_client, board_a, seat):
    rep = RepFactory(board=board_a, user=None, full_name=SCRIPT)
    term = services.term_appoint(
        rep=rep,
        seat=seat,
        start=date(2026, 1, 5),
        planned_end=date(2029, 1, 4),
        how_recruited="open",
        by=StaffMembershipFactory(board=board_a).user,
    )
    ticked_by = StaffMembershipFactory(board=board_a, user__full_name=SCRIPT).user
    item = term.induction_items.first()
    services.induction_item_mark_done(item=item, by=ticked_by, on=date(2026, 1, 10))

    page = staff_client.get(reverse("reps:staff_term_detail", args=[term.pk])).content.decode()

    assert SCRIPT not in page
    hint_id = f"id_item_{item.pk}_helptext"
    assert (
        f'id="{hint_id}">Done on 10 January 2026 by &lt;img src=x onerror=alert(1)&gt;.</p>' in page
    )


def test_unticking_an_item_marks_it_not_done(staff_client, staff_a, term):
    item = term.induction_items.first()
    services.induction_item_mark_done(item=item, by=staff_a, on=date(2026, 1, 10))
    response = staff_client.post(
        reverse("reps:staff_term_detail", args=[term.pk]), checklist(term, set())
    )
    item.refresh_from_db()
    assert response.status_code == 302
    assert (item.done, item.done_on, item.done_by) == (False, None, None)


def test_a_done_date_in_the_future_is_refused_and_nothing_is_ticked(staff_client, term):
    titles = {item.title for item in term.induction_items.all()[:2]}
    response = staff_client.post(
        reverse("reps:staff_term_detail", args=[term.pk]),
        checklist(term, titles, done_on="16/01/2026"),
    )
    assert response.status_code == 200
    assert "The date cannot be in the future." in response.content.decode()
    assert not InductionItem.objects.filter(done=True).exists()


def test_adding_an_item_to_one_terms_checklist(staff_client, term):
    response = staff_client.post(
        reverse("reps:staff_induction_item_add", args=[term.pk]),
        {"title": "Meeting with the chief officer"},
    )
    assert response.status_code == 302
    assert term.induction_items.filter(title="Meeting with the chief officer").exists()


def test_an_item_already_on_the_checklist_gets_a_plain_message(staff_client, term):
    title = term.induction_items.first().title
    response = staff_client.post(
        reverse("reps:staff_induction_item_add", args=[term.pk]), {"title": title}
    )
    assert response.status_code == 200
    assert "This checklist already has that item." in response.content.decode()


# Ending a term


def test_ending_a_term_early_needs_a_reason(staff_client, term):
    url = reverse("reps:staff_term_end", args=[term.pk])
    response = staff_client.post(url, {"ended_on": "14/01/2026", "handover_notes": "See file"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Say why the term ended early." in page
    assert "See file" in page
    term.refresh_from_db()
    assert term.ended_on is None


def test_ending_a_term_records_the_reason_exit_interview_and_handover(
    staff_client, staff_a, board_a, term
):
    successor = RepFactory(board=board_a, user=None, full_name="Next Rep")
    response = staff_client.post(
        reverse("reps:staff_term_end", args=[term.pk]),
        {
            "ended_on": "14/01/2026",
            "reason": "Moved away from the area.",
            "exit_interview_held": "on",
            "handover_notes": "Papers are in the shared folder.",
            "handed_over_to": successor.pk,
        },
    )
    term.refresh_from_db()
    assert response.status_code == 302
    assert term.ended_on == date(2026, 1, 14)
    assert term.ended_early_reason == "Moved away from the area."
    assert term.exit_interview_held
    assert term.handed_over_to == successor
    assert term.history.latest().history_user == staff_a
    page = staff_client.get(reverse("reps:staff_term_detail", args=[term.pk])).content.decode()
    assert "Ended early" in page
    assert "Moved away from the area." in page


def test_a_term_cannot_end_before_it_started(staff_client, term):
    response = staff_client.post(
        reverse("reps:staff_term_end", args=[term.pk]),
        {"ended_on": "01/01/2026", "reason": "Never started."},
    )
    assert response.status_code == 200
    assert "A term cannot end before it starts." in response.content.decode()
    term.refresh_from_db()
    assert term.ended_on is None


def test_staff_of_another_board_get_404_for_a_term(client, staff_b, term):
    sign_in(client, staff_b)
    for name in ["reps:staff_term_detail", "reps:staff_term_end", "reps:staff_induction_item_add"]:
        assert client.get(reverse(name, args=[term.pk])).status_code == 404, name
    item = term.induction_items.first()
    response = client.post(
        reverse("reps:staff_term_detail", args=[term.pk]),
        {"done_on": "15/01/2026", f"item_{item.pk}": "on"},
    )
    assert response.status_code == 404
    assert not InductionItem.objects.filter(done=True).exists()


def test_the_list_of_terms_can_show_unfinished_inductions(staff_client, staff_a, term, board_a):
    other = TermFactory(seat__group__board=board_a, rep__full_name="Done Rep")
    url = reverse("reps:staff_term_list")
    everyone = {t.rep.full_name for t in staff_client.get(url).context["terms"]}
    unfinished = {
        t.rep.full_name for t in staff_client.get(url, {"induction": "unfinished"}).context["terms"]
    }
    assert everyone == {"Fiona MacLeod", "Done Rep"}
    # A term with no checklist items has nothing unfinished.
    assert other.induction_items.count() == 0
    assert unfinished == {"Fiona MacLeod"}


# Putting a term right


def change(client, term, **overrides):
    data = {"start": "05/01/2026", "planned_end": "04/01/2029", "how_recruited": "open"}
    data.update(overrides)
    return client.post(reverse("reps:staff_term_change", args=[term.pk]), data)


def test_a_terms_dates_and_recruitment_can_be_put_right(staff_client, staff_a, term):
    form = staff_client.get(reverse("reps:staff_term_change", args=[term.pk])).content.decode()
    assert 'value="05/01/2026"' in form

    response = change(staff_client, term, planned_end="04/07/2029", how_recruited="carers_centre")

    assert response.status_code == 302
    term.refresh_from_db()
    assert (term.planned_end, term.how_recruited) == (date(2029, 7, 4), "carers_centre")
    assert term.history.latest().history_user == staff_a
    page = staff_client.get(response.url).content.decode()
    assert "The term has been saved." in page
    assert "4 July 2029 (planned)" in page


def test_a_change_that_would_overlap_another_term_is_refused(staff_client, seat, term):
    TermFactory(
        seat=seat,
        rep__full_name="Morag Campbell",
        start=date(2023, 1, 5),
        planned_end=date(2026, 1, 4),
    )

    response = change(staff_client, term, start="01/12/2025")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Terms in one seat cannot overlap" in page
    assert 'value="01/12/2025"' in page
    term.refresh_from_db()
    assert term.start == date(2026, 1, 5)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"planned_end": "01/01/2026"}, "The planned last day must be after the first day."),
        ({"start": ""}, "Enter first day in the seat"),
        ({"start": "30/02/2026"}, "30/02/2026 is not a real date."),
        ({"how_recruited": "by_magic"}, "That option is not available any more."),
    ],
)
def test_a_change_with_mistakes_is_refused(staff_client, term, overrides, message):
    response = change(staff_client, term, **overrides)
    assert response.status_code == 200
    assert message in response.content.decode()
    term.refresh_from_db()
    assert (term.start, term.planned_end) == (date(2026, 1, 5), date(2029, 1, 4))


def test_an_ended_term_keeps_its_end_honest(staff_client, staff_a, term):
    services.term_end(term=term, on=date(2029, 1, 4), by=staff_a)

    response = change(staff_client, term, planned_end="04/07/2029")

    assert "The term ended on 4 January 2029. To plan a later last day" in (
        response.content.decode()
    )
    term.refresh_from_db()
    assert term.planned_end == date(2029, 1, 4)
