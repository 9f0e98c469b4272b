"""The retention rule of the privacy notice: who is anonymised when, that nothing of them is left
anywhere in the database, and that every figure of past years adds up as before."""

from dataclasses import asdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from axes.models import AccessAttempt, AccessLog
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from expenses.figures import spend_figures
from expenses.models import Claim, ClaimEvent, ClaimItem
from portal import retention
from portal.core.boards import ensure_integration_authorities
from portal.core.models import Board, Invitation, User
from portal.core.periods import financial_year_of
from reps import rules, services
from reps.figures import involvement_figures
from reps.models import (
    CalendarFeed,
    EqualityRecord,
    ExpressionOfInterest,
    Rep,
    Term,
    UsualJourney,
)
from tests.conftest import sign_in
from tests.factories import (
    AgendaItemFactory,
    ClaimFactory,
    ClaimItemFactory,
    EqualityRecordFactory,
    MeetingFactory,
    RepFactory,
    SeatFactory,
    TermFactory,
    UsualJourneyFactory,
    confirmed_totp_device,
)

TODAY = date(2026, 12, 3)
LONG_AGO = date(2019, 3, 31)  # more than six years before TODAY
RECENTLY = date(2022, 3, 31)


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def anonymise(*, dry_run: bool = False) -> str:
    out = StringIO()
    call_command("anonymise_personal_data", *(["--dry-run"] if dry_run else []), stdout=out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)


def former_rep(board, *, last_day=LONG_AGO, paid_on=LONG_AGO, **fields) -> Rep:
    term = TermFactory(
        seat=SeatFactory(board=board),
        rep__board=board,
        start=last_day - timedelta(days=3 * 365),
        planned_end=last_day,
    )
    rep = term.rep
    for name, value in fields.items():
        setattr(rep, name, value)
    rep.save()
    if paid_on is not None:
        ClaimFactory(rep=rep, status="paid", paid_at=_aware(paid_on), batch__paid_on=paid_on)
    return rep


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 12, 3), 72, date(2020, 12, 3)),
        (date(2024, 2, 29), 12, date(2023, 2, 28)),
        (date(2026, 3, 31), 1, date(2026, 2, 28)),
        (date(2026, 1, 15), 1, date(2025, 12, 15)),
        (date(2026, 5, 31), 24, date(2024, 5, 31)),
    ],
)
def test_the_periods_count_back_by_calendar_months(day, months, expected):
    assert rules.add_months(day, -months) == expected


# Everything of one former rep, and every place it could linger.


SECRETS = {
    "name": "Morag Fictional-Example",
    "email": "morag.fictional@example.org",
    "old email": "morag.old-address@example.org",
    "phone": "07700 900461",
    "address": "12 Imaginary Wynd, Kirkintilloch",
    "needs": "A hearing loop in the room",
    "handover": "Morag will brief her successor by phone",
    "item": "From Imaginary Wynd to the council offices",
    "event": "Morag asked for this to be paid to her daughter",
    "interest": "Needs a quiet room, says Morag",
    "agenda": "My mother's care package fell apart last winter",
}


def _text_fields(model: type[models.Model]) -> list[str]:
    return [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField | models.FileField)
    ]


def places_holding(text: str) -> list[str]:
    """Every table and column, in the whole database, where `text` still appears."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        fields = _text_fields(model)
        if not fields:
            continue
        matches = Q()
        for name in fields:
            matches |= Q(**{f"{name}__icontains": text})
        if model._default_manager.filter(matches).exists():
            found.append(model._meta.db_table)
    return found


@pytest.fixture
def morag(board_a, staff_a):
    """A former rep of board A with something in every place the portal keeps personal details."""
    user = User.objects.create_user(
        email=SECRETS["old email"], password="an-old-password", full_name=SECRETS["name"]
    )
    rep = former_rep(board_a, full_name=SECRETS["name"], email=SECRETS["old email"], user=user)
    # Changes made through the services, so the audit history holds the earlier versions.
    services.rep_update(
        rep=rep,
        by=staff_a,
        email=SECRETS["email"],
        phone=SECRETS["phone"],
        address=SECRETS["address"],
        needs_other=SECRETS["needs"],
    )
    user.email = SECRETS["email"]
    user.save()
    term = rep.terms.get()
    term.handover_notes = SECRETS["handover"]
    term.ended_early_reason = SECRETS["handover"]
    term.save()
    # In her own words, about her own life: the item's title and what came of it are the
    # board's record, and stay.
    AgendaItemFactory(
        meeting=MeetingFactory(group=term.seat.group, date=LONG_AGO - timedelta(days=30)),
        rep=rep,
        title="Care at home",
        details=SECRETS["agenda"],
    )
    EqualityRecordFactory(rep=rep)
    CalendarFeed.objects.create(rep=rep)
    UsualJourneyFactory(rep=rep, from_area="G66")
    claim = rep.claims.get()
    item = ClaimItemFactory(claim=claim, description=SECRETS["item"], date=LONG_AGO)
    item.receipt.save("receipt.pdf", ContentFile(b"%PDF-1.4 a receipt"))
    ClaimEvent.objects.create(
        claim=claim, from_status="approved", to_status="paid", reason=SECRETS["event"]
    )
    interest = services.interest_receive(
        board=board_a,
        full_name=SECRETS["name"],
        email=SECRETS["email"],
        phone=SECRETS["phone"],
        role="carer",
        support_needed=SECRETS["interest"],
        consent_to_contact=True,
        notify=False,
        now=_aware(LONG_AGO - timedelta(days=4 * 365)),
    )
    ExpressionOfInterest.objects.filter(pk=interest.pk).update(rep=rep)
    Invitation.objects.create(
        user=user, token_hash="x" * 64, created_at=_aware(LONG_AGO), expires_at=_aware(RECENTLY)
    )
    AccessAttempt.objects.create(
        username=SECRETS["email"], ip_address="192.0.2.1", failures_since_start=1
    )
    AccessLog.objects.create(username=SECRETS["email"], ip_address="192.0.2.1")
    confirmed_totp_device(user)
    return rep


@pytest.mark.django_db
def test_nothing_of_a_former_rep_is_left_anywhere(morag):
    receipt = morag.claims.get().items.get().receipt.name
    for secret in SECRETS.values():
        assert places_holding(secret), f"the fixture should have put {secret!r} somewhere"

    anonymise()

    for what, secret in SECRETS.items():
        assert places_holding(secret) == [], f"the {what} is still held"
    morag.refresh_from_db()
    assert morag.full_name == f"Former rep {morag.pk}"
    assert morag.anonymised_on == TODAY
    assert morag.user is None
    assert not EqualityRecord.objects.filter(rep=morag).exists()
    assert not CalendarFeed.objects.filter(rep=morag).exists()
    assert not UsualJourney.objects.filter(rep=morag).exists()
    account = User.objects.get(full_name="Former rep")
    assert not account.is_active
    assert not account.has_usable_password()
    assert not Invitation.objects.filter(user=account).exists()
    assert not TOTPDevice.objects.filter(user=account).exists()
    assert ClaimItem.objects.get(claim__rep=morag).receipt.name in ("", None)
    assert receipt
    # The anonymisation itself is in the rep's audit history, in words.
    assert morag.history.filter(history_change_reason=retention.retention.REASON).exists()


@pytest.mark.django_db(transaction=True)
def test_the_receipt_file_is_deleted_once_the_change_is_saved(board_a):
    rep = former_rep(board_a)
    item = ClaimItemFactory(claim=rep.claims.get(), date=LONG_AGO)
    item.receipt.save("receipt.pdf", ContentFile(b"%PDF-1.4 a receipt"))
    name = item.receipt.name
    assert default_storage.exists(name)

    assert "deleted 1 receipt." in anonymise()

    assert not default_storage.exists(name)


def _figures(board: Board, years: list[int]) -> list[dict]:
    return [
        {
            "involvement": asdict(involvement_figures(board, year, today=TODAY)),
            "spend": asdict(spend_figures(board, year)),
        }
        for year in years
    ]


@pytest.mark.django_db
def test_every_figure_of_past_years_adds_up_as_before(morag, board_a):
    former_rep(board_a, last_day=date(2018, 9, 30), paid_on=date(2018, 10, 15))
    years = list(range(financial_year_of(date(2015, 4, 1)), financial_year_of(TODAY) + 1))
    before = _figures(board_a, years)

    anonymise()

    assert Rep.objects.filter(anonymised_on=TODAY).count() == 2
    assert _figures(board_a, years) == before


@pytest.mark.django_db
def test_who_is_kept_and_why(board_a):
    due = former_rep(board_a)
    paid_since = former_rep(board_a, paid_on=RECENTLY)
    open_claim = former_rep(board_a)
    ClaimFactory(rep=open_claim, status="approved")
    in_post_lately = former_rep(board_a, last_day=RECENTLY)
    ended_early_long_ago = TermFactory(
        seat=SeatFactory(board=board_a),
        rep__board=board_a,
        start=date(2016, 4, 1),
        planned_end=date(2030, 3, 31),
        ended_on=date(2017, 1, 10),
    ).rep
    still_in_post = TermFactory(seat=SeatFactory(board=board_a), rep__board=board_a).rep
    never_had_a_term = RepFactory(board=board_a, user=None)

    report = anonymise(dry_run=True)

    assert "Former reps due: 2" in report
    assert f"rep {due.pk}, {board_a.name}: last day in post 31/03/2019" in report
    assert f"rep {ended_early_long_ago.pk}, " in report
    assert "Kept for their claims (paid since, or still open): 2" in report
    assert "left for staff to decide: 1" in report
    assert "Dry run: nothing was changed." in report
    assert not Rep.objects.filter(anonymised_on__isnull=False).exists()

    anonymise()

    anonymised = set(Rep.objects.filter(anonymised_on=TODAY).values_list("pk", flat=True))
    assert anonymised == {due.pk, ended_early_long_ago.pk}
    for kept in (paid_since, open_claim, in_post_lately, still_in_post, never_had_a_term):
        assert kept.pk not in anonymised
    # Nothing is due a second time.
    assert "Former reps due: 0" in anonymise()


@pytest.mark.django_db
def test_the_report_names_nobody(morag):
    report = anonymise(dry_run=True) + anonymise()
    for secret in SECRETS.values():
        assert secret not in report
    assert f"rep {morag.pk}" in report


@pytest.mark.django_db
def test_someone_who_is_also_staff_keeps_their_account(board_a, staff_rep_a):
    rep = Rep.objects.get(user=staff_rep_a)
    term = TermFactory(seat=SeatFactory(board=board_a), rep=rep, start=date(2014, 4, 1))
    Term.objects.filter(pk=term.pk).update(planned_end=LONG_AGO)

    anonymise()

    rep.refresh_from_db()
    staff_rep_a.refresh_from_db()
    assert rep.anonymised_on == TODAY
    assert rep.user is None
    assert staff_rep_a.is_active
    assert staff_rep_a.email == "staff.rep.a@example.org"


def _interest(board, *, received: date, **changes) -> ExpressionOfInterest:
    interest = services.interest_receive(
        board=board,
        full_name="Iona Interested",
        email="iona@example.org",
        phone="",
        role="carer",
        support_needed="",
        consent_to_contact=True,
        pool_consent=True,
        notify=False,
        now=_aware(received),
    )
    ExpressionOfInterest.objects.filter(pk=interest.pk).update(**changes)
    return interest


@pytest.mark.django_db
def test_expressions_of_interest_go_after_their_own_period_unless_in_the_pool(board_a, staff_a):
    old = _interest(board_a, received=date(2024, 6, 1), status="not_now")
    in_pool = _interest(
        board_a,
        received=date(2024, 6, 1),
        in_pool_since=date(2024, 7, 1),
        pool_checked_on=date(2025, 7, 1),
        pool_consent=True,
    )
    recent = _interest(board_a, received=date(2025, 6, 1))
    changed_lately = _interest(board_a, received=date(2024, 6, 1))
    services.interest_update(
        interest=changed_lately, by=staff_a, status="contacted", notes="Called back"
    )
    received_before = {i.pk: i.created_at for i in (old, in_pool, recent, changed_lately)}

    assert "Expressions of interest due: 1" in anonymise()

    old.refresh_from_db()
    assert (old.full_name, old.email, old.anonymised_on) == ("Anonymised", "", TODAY)
    assert old.status == "not_now"
    old.full_clean()
    assert old.history.filter(full_name="Iona Interested").count() == 0
    for kept in (in_pool, recent, changed_lately):
        kept.refresh_from_db()
        assert kept.full_name == "Iona Interested"
    # Counted as before: received, appointed and pool figures read these dates.
    assert {
        i.pk: i.created_at for i in ExpressionOfInterest.objects.filter(pk__in=received_before)
    } == received_before


# Across many reps at once: the rule, worked out person by person in plain Python, agrees.


def _expected(last_days: list[date], paid: list[tuple[date, str]], cutoff: date) -> bool:
    if not last_days or max(last_days) >= cutoff:
        return False
    return not any(status in ("submitted", "approved") for _, status in paid) and not any(
        day >= cutoff for day, status in paid if status == "paid"
    )


DAYS = st.dates(min_value=date(2012, 1, 1), max_value=date(2026, 12, 31))
CLAIMS = st.lists(
    st.tuples(DAYS, st.sampled_from(["paid", "submitted", "approved", "rejected", "draft"])),
    max_size=3,
)
REPS = st.lists(st.tuples(st.lists(DAYS, max_size=2), CLAIMS), min_size=1, max_size=6)


class TestTheRuleAcrossReps(HypothesisTestCase):
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(REPS)
    def test_anonymised_exactly_when_the_rule_says(self, people):
        ensure_integration_authorities(Board)
        board = Board.objects.order_by("pk").first()
        cutoff = rules.add_months(TODAY, -72)
        expected = {}
        total = Decimal(0)
        for last_days, claims in people:
            rep = RepFactory(board=board, user=None)
            for last_day in last_days:
                Term.objects.create(
                    rep=rep,
                    seat=SeatFactory(board=board),
                    start=last_day - timedelta(days=30),
                    planned_end=last_day,
                    how_recruited="open",
                )
            for day, status in claims:
                claim = ClaimFactory(
                    rep=rep,
                    status=status,
                    paid_at=_aware(day) if status == "paid" else None,
                    batch__paid_on=day,
                )
                total += ClaimItemFactory(claim=claim, date=day, description="Kilsyth").amount
            expected[rep.pk] = _expected(last_days, claims, cutoff)

        anonymise()

        anonymised = dict(Rep.objects.filter(pk__in=expected).values_list("pk", "anonymised_on"))
        assert {pk: day is not None for pk, day in anonymised.items()} == expected
        assert not ClaimItem.objects.filter(
            claim__rep__anonymised_on__isnull=False, description="Kilsyth"
        ).exists()
        # Money stays as it was.
        assert (
            sum(ClaimItem.objects.filter(claim__rep__in=expected).values_list("amount", flat=True))
            == total
        )
        assert Claim.objects.filter(rep__in=expected).count() == sum(len(c) for _, c in people)


@pytest.mark.django_db
def test_the_privacy_notice_states_the_periods_the_command_acts_on(client, settings):
    settings.REP_RETENTION_YEARS = 7
    settings.INTEREST_RETENTION_MONTHS = 18
    notice = client.get(reverse("privacy")).content.decode()
    assert "for 7 years after your last term ended" in notice
    assert "removed 18 months after your details last changed" in notice


@pytest.mark.django_db
def test_staff_see_that_a_record_was_anonymised_and_when(client, morag, staff_a):
    anonymise()
    sign_in(client, staff_a)
    page = client.get(reverse("reps:staff_rep_detail", args=[morag.pk])).content.decode()
    assert "personal details were removed on 3 December 2026" in page
    interest = ExpressionOfInterest.objects.get(rep=morag)
    page = client.get(reverse("reps:staff_interest_detail", args=[interest.pk])).content.decode()
    assert "contact details were removed on 3 December 2026" in page
