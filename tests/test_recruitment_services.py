"""The recruitment services and rules: states move only as declared, each change is checked and
recorded, and the figures count what happened in the year."""

import itertools
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from reps import rules, services
from reps.figures import involvement_figures
from reps.models import BoardSettings, ExpressionOfInterest
from reps.rules import INTEREST_TRANSITIONS, InterestStatus, interest_move_refusal
from standards.evidence import evidence_for
from tests.factories import GroupFactory, SeatFactory

S = InterestStatus

# Every move the table allows, written out by hand: the table must say exactly this.
ALLOWED = {
    (S.NEW, S.CONTACTED),
    (S.NEW, S.NOT_NOW),
    (S.CONTACTED, S.APPLIED),
    (S.CONTACTED, S.APPOINTED),
    (S.CONTACTED, S.NOT_NOW),
    (S.APPLIED, S.APPOINTED),
    (S.APPLIED, S.NOT_NOW),
    (S.NOT_NOW, S.CONTACTED),
}


@pytest.mark.parametrize(("current", "to"), list(itertools.product(S, S)))
def test_states_move_only_as_declared(current, to):
    refusal = interest_move_refusal(current, to)
    assert (refusal is None) == ((current, to) in ALLOWED)
    if refusal is not None:
        assert refusal.endswith(".") and refusal[0].isupper()


def test_appointed_is_final():
    assert INTEREST_TRANSITIONS[S.APPOINTED] == frozenset()
    assert interest_move_refusal(S.APPOINTED, S.NOT_NOW) == (
        "This person has been appointed, so it stays appointed."
    )


@pytest.mark.parametrize(("posts", "refused"), [(1, False), (5, False), (6, True), (50, True)])
def test_the_sixth_post_in_the_window_is_too_many(posts, refused):
    assert rules.too_many_posts(posts) is refused


def receive(board, **overrides):
    fields = {
        "full_name": "Morven Interested",
        "email": "morven@example.org",
        "phone": "",
        "role": "carer",
        "support_needed": "",
        "consent_to_contact": True,
        "notify": False,
        **overrides,
    }
    return services.interest_receive(board=board, **fields)


@pytest.mark.parametrize(("current", "to"), sorted(itertools.product(S, S)))
def test_the_service_moves_only_as_declared(board_a, staff_a, current, to):
    interest = receive(board_a)
    ExpressionOfInterest.objects.filter(pk=interest.pk).update(
        status=current, appointed_on=date(2025, 5, 1) if current == S.APPOINTED else None
    )
    interest.refresh_from_db()
    if current == to:
        # The same state again changes only the notes.
        services.interest_update(interest=interest, status=to, notes="noted", by=staff_a)
        assert ExpressionOfInterest.objects.get(pk=interest.pk).notes == "noted"
        return
    if (current, to) in ALLOWED and to != S.APPOINTED:
        services.interest_update(interest=interest, status=to, by=staff_a)
        assert ExpressionOfInterest.objects.get(pk=interest.pk).status == to
    else:
        with pytest.raises(ValidationError):
            services.interest_update(interest=interest, status=to, by=staff_a)
        assert ExpressionOfInterest.objects.get(pk=interest.pk).status == current


@pytest.mark.parametrize("who", ["staff_b", "rep_a1", "national_viewer", "viewer"])
def test_only_staff_who_manage_the_boards_reps_may_change_it(board_a, who, request):
    if who == "viewer":
        from tests.factories import StaffMembershipFactory

        user = StaffMembershipFactory(board=board_a, can_manage_reps=False).user
    else:
        user = request.getfixturevalue(who)
    interest = receive(board_a)
    seat = SeatFactory(group=GroupFactory(board=board_a))
    attempts = [
        lambda: services.interest_update(interest=interest, status="contacted", by=user),
        lambda: services.interest_join_pool(interest=interest, consent=True, by=user),
        lambda: services.interest_leave_pool(interest=interest, by=user),
        lambda: services.interest_appoint(
            interest=interest,
            seat=seat,
            full_name="X",
            email="",
            phone="1234567",
            start=date(2025, 4, 1),
            planned_end=date(2028, 3, 31),
            how_recruited="open",
            by=user,
        ),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    interest.refresh_from_db()
    assert (interest.status, interest.in_pool_since) == ("new", None)


def test_every_change_is_in_the_history_with_who_made_it(board_a, staff_a):
    interest = receive(board_a)
    services.interest_update(interest=interest, status="contacted", notes="Called", by=staff_a)
    services.interest_join_pool(interest=interest, consent=True, by=staff_a)
    history = list(interest.history.order_by("history_date", "history_id"))
    assert [(h.status, h.in_pool_since is not None, h.history_user) for h in history] == [
        ("new", False, None),
        ("contacted", False, staff_a),
        ("contacted", True, staff_a),
    ]


def test_a_seat_on_another_board_is_refused(board_a, board_b, staff_a):
    interest = receive(board_a)
    services.interest_update(interest=interest, status="contacted", by=staff_a)
    elsewhere = SeatFactory(group=GroupFactory(board=board_b))
    with pytest.raises((ValidationError, PermissionDenied)):
        services.interest_appoint(
            interest=interest,
            seat=elsewhere,
            full_name="Morven Interested",
            email="",
            phone="0141 496 0000",
            start=date(2025, 4, 1),
            planned_end=date(2028, 3, 31),
            how_recruited="open",
            by=staff_a,
        )
    interest.refresh_from_db()
    assert interest.status == "contacted"


def test_appointing_takes_them_out_of_the_pool(board_a, staff_a):
    interest = receive(board_a, pool_consent=True)
    services.interest_update(interest=interest, status="contacted", by=staff_a)
    services.interest_join_pool(interest=interest, consent=False, by=staff_a)
    seat = SeatFactory(group=GroupFactory(board=board_a), kind="lived")
    term = services.interest_appoint(
        interest=interest,
        seat=seat,
        full_name="Morven Interested",
        email="morven@example.org",
        phone="",
        start=date(2025, 4, 1),
        planned_end=date(2028, 3, 31),
        how_recruited="open",
        by=staff_a,
    )
    interest.refresh_from_db()
    assert interest.in_pool_since is None
    # The rep type follows the seat, whatever role they first asked about.
    assert term.rep.rep_type == "lived"
    with pytest.raises(ValidationError):
        services.interest_join_pool(interest=interest, consent=True, by=staff_a)


def test_the_database_refuses_a_row_without_consent_or_a_way_to_reply(board_a):
    for fields in ({"consent_to_contact": False, "email": "a@example.org"}, {"email": ""}):
        with pytest.raises(IntegrityError), transaction.atomic():
            ExpressionOfInterest.objects.create(
                board=board_a, full_name="X", **{"consent_to_contact": True, **fields}
            )


def test_the_service_refuses_them_too_with_a_message(board_a):
    with pytest.raises(ValidationError, match="Give an email address or a phone number"):
        receive(board_a, email="", phone="")


# Figures and evidence


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=timezone.get_default_timezone())


def test_the_years_figures_count_interest_appointments_and_the_pool(board_a, staff_a):
    seat = SeatFactory(group=GroupFactory(board=board_a), created_on=date(2020, 4, 1))
    receive(board_a, now=_at(date(2025, 3, 31)))  # the year before
    for day in (date(2025, 4, 1), date(2025, 9, 1), date(2026, 3, 31)):
        receive(board_a, now=_at(day))
    pooled = receive(board_a, now=_at(date(2025, 5, 1)), pool_consent=True)
    services.interest_join_pool(interest=pooled, consent=False, by=staff_a, today=date(2025, 6, 1))
    appointed = receive(board_a, now=_at(date(2025, 5, 2)))
    services.interest_update(interest=appointed, status="contacted", by=staff_a)
    services.interest_appoint(
        interest=appointed,
        seat=seat,
        full_name="Appointed Person",
        email="",
        phone="0141 496 0000",
        start=date(2025, 7, 1),
        planned_end=date(2028, 6, 30),
        how_recruited="open",
        by=staff_a,
        now=_at(date(2025, 6, 20)),
    )
    figures = involvement_figures(board_a, 2025, today=date(2026, 5, 1))
    assert (figures.interest_received, figures.interest_appointed, figures.pool_size) == (5, 1, 1)

    lines = {
        code: [str(line) for line in found]
        for code, found in evidence_for(board_a, 2025, today=date(2026, 5, 1)).items()
    }
    assert "Expressions of interest received in the year: 5" in lines["1.1"]
    assert "People appointed from an expression of interest in the year: 1" in lines["1.1"]
    assert lines["2.2"] == [
        "People in the board's pool for strategic groups and peer support: 1",
        # The person appointed holds their one seat on the year's last day.
        "Reps holding more than one seat: 0 of 1",
    ]


def test_someone_who_joined_the_pool_after_the_year_is_not_counted_in_it(board_a, staff_a):
    pooled = receive(board_a, pool_consent=True)
    services.interest_join_pool(interest=pooled, consent=False, by=staff_a, today=date(2026, 6, 1))
    assert involvement_figures(board_a, 2025, today=date(2026, 7, 1)).pool_size == 0
    assert involvement_figures(board_a, 2026, today=date(2026, 7, 1)).pool_size == 1


def test_old_posts_stop_counting_and_are_deleted(db):
    start = timezone.now()
    for _ in range(5):
        services.interest_post_counted(client_address="198.51.100.7", now=start)
    later = start + rules.INTEREST_POSTS_WINDOW + timedelta(seconds=1)
    assert services.interest_post_counted(client_address="198.51.100.7", now=later) == 1
    from reps.models import InterestFormPost

    assert InterestFormPost.objects.count() == 1


def test_the_demo_gives_a_board_interest_in_every_state_but_appointed_and_a_pool(board_a, staff_a):
    from reps.demo import _seed_recruitment

    _seed_recruitment([board_a], {board_a.pk: staff_a}, date(2026, 5, 1))
    statuses = set(ExpressionOfInterest.objects.values_list("status", flat=True))
    assert statuses == {"new", "contacted", "applied", "not_now"}
    pool = ExpressionOfInterest.objects.filter(in_pool_since__isnull=False)
    assert pool.count() == 4
    # One of those in the pool for more than a year is due to be asked whether they want to
    # stay; the other was asked two months ago.
    with time_machine.travel(date(2026, 5, 1), tick=False):
        assert sorted(interest.pool_check_due for interest in pool) == [False, False, False, True]
    settings = BoardSettings.objects.get(board=board_a)
    assert settings.contact_name == staff_a.full_name
    assert settings.contact_email.endswith("@example.org")
