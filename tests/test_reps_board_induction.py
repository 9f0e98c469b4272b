"""Staff who manage reps keep the board's own items on every new term's induction checklist:
add one, change it, stop using it. Checklists already given keep what they had."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from reps import services
from reps.models import InductionItem, InductionItemTemplate
from tests.conftest import sign_in
from tests.factories import GroupFactory, RepFactory, SeatFactory
from tests.reps_documents_fixtures import make_document

pytestmark = pytest.mark.django_db


def page_url(board) -> str:
    return reverse("reps:staff_board_induction", args=[board.slug])


def item_url(template) -> str:
    return reverse("reps:staff_board_induction_item", args=[template.board.slug, template.pk])


def appoint(board, staff):
    seat = SeatFactory(group=GroupFactory(board=board))
    return services.term_appoint(
        rep=RepFactory(board=board),
        seat=seat,
        start=date(2026, 1, 5),
        planned_end=date(2029, 1, 4),
        how_recruited="open",
        by=staff,
    )


def checklist(term) -> list[str]:
    return list(InductionItem.objects.filter(term=term).values_list("title", flat=True))


def test_an_item_added_goes_on_new_checklists_and_not_on_those_given(client, board_a, staff_a):
    before = appoint(board_a, staff_a)
    guide = make_document(board_a, title="Carers centre guide")
    sign_in(client, staff_a)

    response = client.post(
        page_url(board_a),
        {"title": "Visit to the carers centre", "order": "95", "document": guide.pk},
        follow=True,
    )

    page = response.content.decode()
    assert "“Visit to the carers centre” goes on every new term" in page
    assert "Role description given" in page  # a national item, shown for reading
    assert "Carers centre guide" in page
    after = appoint(board_a, staff_a)
    assert "Visit to the carers centre" in checklist(after)
    assert "Visit to the carers centre" not in checklist(before)
    item = InductionItem.objects.get(term=after, title="Visit to the carers centre")
    assert item.template.document == guide


def test_an_item_no_longer_used_stays_on_the_list_and_leaves_new_checklists(
    client, board_a, staff_a
):
    template = services.induction_template_add(
        board=board_a, title="Buddy lunch", order=100, by=staff_a
    )
    sign_in(client, staff_a)

    client.post(item_url(template), {"title": "Buddy lunch", "order": "100"})

    template.refresh_from_db()
    assert template.active is False
    assert "No longer used" in client.get(page_url(board_a)).content.decode()
    assert "Buddy lunch" not in checklist(appoint(board_a, staff_a))


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"title": ""}, "Enter item"),
        ({"title": "Role description given"}, None),
        ({"title": "Buddy lunch"}, "This board already has an item with that title."),
        ({"order": "-1"}, "Enter 0 or more."),
        ({"order": "first"}, "as a whole number, like 100."),
    ],
)
def test_a_wrong_item_is_refused_and_what_was_typed_stays(
    client, board_a, staff_a, answers, message
):
    services.induction_template_add(board=board_a, title="Buddy lunch", order=100, by=staff_a)
    sign_in(client, staff_a)
    data = {"title": "Tour of services", "order": "100", **answers}

    response = client.post(page_url(board_a), data)

    if message is None:
        # A board's item may take a national item's title: it replaces it on the checklist.
        assert response.status_code == 302
        return
    assert response.status_code == 200
    assert message in response.content.decode()
    assert InductionItemTemplate.objects.filter(board=board_a).count() == 1


def test_another_boards_document_cannot_be_chosen(client, board_a, board_b, staff_a):
    theirs = make_document(board_b, title="Board B guide")
    sign_in(client, staff_a)

    response = client.post(
        page_url(board_a), {"title": "Read this", "order": "100", "document": theirs.pk}
    )

    assert "Board B guide" not in client.get(page_url(board_a)).content.decode()
    assert "That option is not available any more." in response.content.decode()
    assert not InductionItemTemplate.objects.filter(board=board_a).exists()


def test_a_national_item_is_not_reached_through_a_board(client, board_a, staff_a):
    national = InductionItemTemplate.objects.filter(board__isnull=True).first()
    sign_in(client, staff_a)
    url = reverse("reps:staff_board_induction_item", args=[board_a.slug, national.pk])
    assert client.get(url).status_code == 404
    with pytest.raises(PermissionDenied):
        services.induction_template_update(template=national, by=staff_a, title="Changed")
