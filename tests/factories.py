import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.core.boards import INTEGRATION_AUTHORITIES
from portal.core.models import Board, StaffMembership, User
from reps.models import Rep

PASSWORD = "correct horse battery staple"


def board_in_turn(n: int) -> Board:
    """The boards in turn, read afresh each time: a test on real transactions empties the table
    and the boards put back have new ids, so boards read before then would point nowhere."""
    return Board.objects.all()[n % len(INTEGRATION_AUTHORITIES)]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    role = User.Role.REP
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class RepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rep

    board = factory.Sequence(board_in_turn)
    user = factory.SubFactory(UserFactory, role=User.Role.REP)
    full_name = factory.LazyAttribute(lambda rep: rep.user.full_name if rep.user else "A rep")
    rep_type = Rep.RepType.CARER


class StaffMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMembership

    user = factory.SubFactory(UserFactory, role=User.Role.STAFF)
    board = factory.Sequence(board_in_turn)
    can_manage_reps = True
    can_approve_claims = True
    can_pay_claims = True
    can_lead_assessment = True


def confirmed_totp_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Test phone", confirmed=True)


# Reps, seats, terms and meetings


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reps.Group"

    board = factory.Sequence(board_in_turn)
    name = factory.Sequence(lambda n: f"Strategic group {n}")
    kind = "other"


class SeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reps.Seat"

    group = factory.SubFactory(GroupFactory)
    board = factory.SelfAttribute("group.board")
    kind = "carer"
    title = factory.Sequence(lambda n: f"Carer representative {n}")
    voting = False
    created_on = datetime.date(2020, 4, 1)


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reps.Term"

    seat = factory.SubFactory(SeatFactory)
    rep = factory.SubFactory(RepFactory, board=factory.SelfAttribute("..seat.board"), user=None)
    start = datetime.date(2024, 4, 1)
    planned_end = factory.LazyAttribute(
        lambda term: term.start.replace(year=term.start.year + 3) - datetime.timedelta(days=1)
    )
    how_recruited = "open"


class TrainingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reps.Training"

    rep = factory.SubFactory(RepFactory, user=None)
    course = "Understanding IJB finance"
    date = datetime.date(2025, 6, 1)
    provider = "The partnership"
    hours = Decimal("3.0")
    cost = Decimal("40.00")


class SupportRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reps.SupportRequest"

    rep = factory.SubFactory(RepFactory, user=None)
    kind = "training"
    what = "Understanding the IJB budget"
    asked_on = datetime.date(2025, 6, 1)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reps.Meeting"

    group = factory.SubFactory(GroupFactory)
    board = factory.SelfAttribute("group.board")
    date = datetime.date(2025, 6, 10)
    venue = "Council chambers"
    papers_issued_on = factory.LazyAttribute(lambda m: m.date - datetime.timedelta(days=7))


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reps.Attendance"

    meeting = factory.SubFactory(MeetingFactory)
    rep = factory.SubFactory(RepFactory, board=factory.SelfAttribute("..meeting.board"), user=None)
    status = "attended"


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reps.AgendaItem"

    meeting = factory.SubFactory(MeetingFactory)
    rep = factory.SubFactory(RepFactory, board=factory.SelfAttribute("..meeting.board"), user=None)
    title = factory.Sequence(lambda n: f"Short breaks for carers, item {n}")
    status = "submitted"


class UsualJourneyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reps.UsualJourney"

    rep = factory.SubFactory(RepFactory, user=None)
    from_area = "G66"
    venue = factory.Sequence(lambda n: f"Venue {n}")
    miles = Decimal("8.5")


class EqualityRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reps.EqualityRecord"

    rep = factory.SubFactory(RepFactory, user=None)
    consent_given_at = factory.LazyFunction(timezone.now)
    age_band = "55-64"


# Expenses


class ExpensePolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "expenses.ExpensePolicy"
        django_get_or_create = ("board", "effective_from")

    board = factory.Sequence(board_in_turn)
    effective_from = datetime.date(2015, 4, 1)
    care_hourly_cap = Decimal("20.00")
    overnight_cap = Decimal("100.00")
    daily_subsistence_cap = Decimal("25.00")
    receipt_threshold = Decimal("10.00")
    published_url = "https://example.org/expenses-policy"


class PaymentBatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "expenses.PaymentBatch"

    board = factory.Sequence(board_in_turn)
    number = factory.Sequence(lambda n: n + 1)
    created_by = factory.SubFactory(UserFactory, role=User.Role.STAFF)


class ClaimFactory(factory.django.DjangoModelFactory):
    """A claim put straight into `status`, for tests of what may happen next.

    Real claims only move through `expenses.services`; this skips the steps to reach a state.
    """

    class Meta:
        model = "expenses.Claim"

    rep = factory.SubFactory(RepFactory)
    board = factory.SelfAttribute("rep.board")
    reference = factory.Sequence(lambda n: f"TST-{n:05d}")
    status = "draft"
    created_by = factory.LazyAttribute(lambda claim: claim.rep.user)
    submitted_at = factory.LazyAttribute(
        lambda claim: None if claim.status in ("draft", "withdrawn") else timezone.now()
    )
    decided_at = factory.LazyAttribute(
        lambda claim: timezone.now() if claim.status in ("approved", "rejected", "paid") else None
    )
    paid_at = factory.LazyAttribute(
        lambda claim: timezone.now() if claim.status == "paid" else None
    )
    batch = factory.Maybe(
        factory.LazyAttribute(lambda claim: claim.status == "paid"),
        yes_declaration=factory.SubFactory(
            PaymentBatchFactory,
            board=factory.SelfAttribute("..board"),
            paid_on=factory.LazyFunction(timezone.localdate),
            paid_by=factory.SelfAttribute("created_by"),
        ),
        no_declaration=None,
    )


class ClaimItemFactory(factory.django.DjangoModelFactory):
    """A 10-mile car trip today; its amount is set, not computed, as in `ClaimFactory`."""

    class Meta:
        model = "expenses.ClaimItem"

    claim = factory.SubFactory(ClaimFactory)
    date = factory.LazyFunction(timezone.localdate)
    kind = "mileage"
    miles = Decimal("10.0")
    vehicle = "car"
    amount = Decimal("4.50")


def in_post(rep, board, *, days_ago=30, days_on=300):
    """Give `rep` a seat on `board` from `days_ago` days ago to `days_on` days from today."""
    today = timezone.localdate()
    TermFactory(
        rep=rep,
        seat=SeatFactory(group__board=board),
        start=today - datetime.timedelta(days=days_ago),
        planned_end=today + datetime.timedelta(days=days_on),
    )
    return rep
