"""Ticking several items of a term's checklist at once, each on its own date."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from reps import services
from reps.models import InductionItem
from tests.factories import StaffMembershipFactory, TermFactory

TODAY = date(2025, 6, 30)


@pytest.fixture
def term(board_a):
    return TermFactory(seat__group__board=board_a, start=date(2025, 4, 1))


@pytest.fixture
def items(term):
    return [
        InductionItem.objects.create(term=term, title=title, order=n)
        for n, title in enumerate(["Role description", "Meet the chair", "Papers explained"])
    ]


def ticks(term):
    return list(
        term.induction_items.order_by("order").values_list("title", "done", "done_on", "done_by")
    )


def test_the_items_ticked_record_each_date_and_who(term, items, staff_a):
    services.induction_items_mark_done(
        term=term,
        done={items[0].pk: date(2025, 4, 3), items[2].pk: date(2025, 5, 1)},
        by=staff_a,
        today=TODAY,
    )
    assert ticks(term) == [
        ("Role description", True, date(2025, 4, 3), staff_a.pk),
        ("Meet the chair", False, None, None),
        ("Papers explained", True, date(2025, 5, 1), staff_a.pk),
    ]


def test_ticking_many_items_takes_no_more_queries_than_ticking_one(
    term, items, staff_a, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        services.induction_items_mark_done(
            term=term, done={item.pk: date(2025, 4, 3) for item in items}, by=staff_a, today=TODAY
        )
    assert all(done for _, done, _, _ in ticks(term))


def test_an_item_ticked_already_keeps_the_first_tick(term, items, staff_a, board_a):
    colleague = StaffMembershipFactory(board=board_a).user
    services.induction_item_mark_done(item=items[0], by=staff_a, on=date(2025, 4, 3), today=TODAY)
    services.induction_items_mark_done(
        term=term, done={items[0].pk: date(2025, 6, 1)}, by=colleague, today=TODAY
    )
    assert ticks(term)[0] == ("Role description", True, date(2025, 4, 3), staff_a.pk)


def test_a_date_after_today_is_refused_and_nothing_is_ticked(term, items, staff_a):
    with pytest.raises(ValidationError, match="cannot be in the future"):
        services.induction_items_mark_done(
            term=term,
            done={items[0].pk: date(2025, 4, 3), items[1].pk: date(2025, 7, 1)},
            by=staff_a,
            today=TODAY,
        )
    assert not any(done for _, done, _, _ in ticks(term))


def test_an_item_of_another_term_is_refused_and_nothing_is_ticked(term, items, staff_a, board_b):
    elsewhere = InductionItem.objects.create(
        term=TermFactory(seat__group__board=board_b), title="Tour"
    )
    with pytest.raises(ValidationError, match="not on this term's checklist"):
        services.induction_items_mark_done(
            term=term,
            done={items[0].pk: date(2025, 4, 3), elsewhere.pk: date(2025, 4, 3)},
            by=staff_a,
            today=TODAY,
        )
    elsewhere.refresh_from_db()
    assert not elsewhere.done
    assert not any(done for _, done, _, _ in ticks(term))


def test_only_staff_who_manage_the_boards_reps_may_tick(
    term, items, board_a, rep_a1, staff_b, national_viewer
):
    reader = StaffMembershipFactory(board=board_a, can_manage_reps=False).user
    for user in (rep_a1, staff_b, national_viewer, reader):
        with pytest.raises(PermissionDenied):
            services.induction_items_mark_done(
                term=term, done={items[0].pk: date(2025, 4, 3)}, by=user, today=TODAY
            )
    assert not any(done for _, done, _, _ in ticks(term))
