"""Demo data for expenses: a policy for every board and three financial years of claims.

`seed(rng, today)` runs after the reps' demo data, and claims for the meetings each rep attended:
mileage from their usual journeys, parking, lunch, replacement care for carers, an involvement
payment for reps who chose one. Older claims are mostly paid, in payment batches; recent ones are
waiting, returned or still drafts. The demo rep (rep@example.org) has a claim in every state.

Every claim is made through `expenses.services`, step by step in the order things happened across
all claims and payment runs, each step stamped with its time: so the amounts are the ones the
portal works out (each claim against the rep's claims settled before it), and the people acting
are the ones the portal allows (staff enter the claims of reps without an account, someone else
approves them, finance pay). Nobody is emailed about any of it.

It is idempotent: boards with a policy and reps with claims are left alone.
"""

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from expenses import journeys, services
from expenses.calculations import InvolvementBasis, Kind, Vehicle
from expenses.models import CareProvider, Claim, ExpensePolicy, FinanceSettings, reference_prefix
from expenses.selectors import pick_policy
from expenses.states import ClaimStatus
from portal.core import periods
from portal.core.models import Board, StaffMembership, User
from reps import services as reps_services
from reps.access import reps_for
from reps.models import Attendance, Meeting, Rep, UsualJourney
from reps.selectors import usual_journeys_for_rep

DEMO_REP_EMAIL = "rep@example.org"
D = Decimal

# Why an approver sent a claim back or turned it down, each with the kinds of item it is about
# (None: any claim), so that a reason always fits the claim it is given on.
RETURN_REASONS: list[tuple[frozenset[str] | None, str]] = [
    (frozenset({Kind.PARKING}), "Please add the receipt for the parking."),
    (
        frozenset({Kind.MILEAGE, Kind.PUBLIC_TRANSPORT, Kind.TAXI}),
        "Which meeting was this trip for? Please add it to the item.",
    ),
    (
        frozenset({Kind.REPLACEMENT_CARE}),
        "The care hours look longer than the meeting and travel: could you check them?",
    ),
    (
        frozenset({Kind.MILEAGE}),
        "The mileage looks like a single trip: please claim there and back as one item.",
    ),
    (None, "Could you add the meeting or activity to each item, please?"),
]
REJECT_REASONS: list[tuple[frozenset[str] | None, str]] = [
    (
        frozenset({Kind.MILEAGE, Kind.PUBLIC_TRANSPORT, Kind.TAXI}),
        "This trip was already paid on an earlier claim.",
    ),
    (None, "The meeting was cancelled, and we told reps the day before."),
]


def fitting_reason(
    rng: random.Random, reasons: list[tuple[frozenset[str] | None, str]], items: list[dict]
) -> str:
    kinds = {item["kind"] for item in items}
    return rng.choice([reason for about, reason in reasons if about is None or about & kinds])


# The demo rep's most recent claims, oldest first, days before today: one in every state.
DEMO_REP_STORY = [
    (70, ClaimStatus.PAID),
    (60, ClaimStatus.REJECTED),
    (50, ClaimStatus.WITHDRAWN),
    (40, ClaimStatus.APPROVED),
    (30, ClaimStatus.RETURNED),
    (20, ClaimStatus.SUBMITTED),
    (10, ClaimStatus.DRAFT),
]
# What the demo rep does between meetings, for the story's days that have no meeting of theirs.
BETWEEN_MEETINGS = [
    "Carers' forum",
    "Briefing with the chief officer",
    "Strategic planning group workshop",
    "Locality planning group",
    "Development session for board members",
]
# How likely each state is for a claim whose last item is more than so many days old.
STATUS_BY_AGE = [
    (75, {"paid": 93, "rejected": 3, "withdrawn": 4}),
    (40, {"paid": 60, "approved": 25, "submitted": 10, "rejected": 5}),
    (14, {"approved": 30, "submitted": 40, "returned": 15, "paid": 15}),
    (-1, {"draft": 35, "submitted": 50, "returned": 10, "withdrawn": 5}),
]
# Days before today that the demo rep's board last paid claims: after the story's paid claim was
# approved, before its approved one was.
DEMO_REP_LAST_PAYMENT = 38
# The share of the meetings they attended that reps claim for, on the demo sign-ins' board and
# elsewhere.
CLAIMED_SHARE = 0.75
CLAIMED_SHARE_ELSEWHERE = 0.35
# How many steps of its timeline a claim in each state has been through.
STAGES = {
    ClaimStatus.DRAFT: 1,
    ClaimStatus.WITHDRAWN: 2,
    ClaimStatus.SUBMITTED: 2,
    ClaimStatus.RETURNED: 3,
    ClaimStatus.REJECTED: 3,
    ClaimStatus.APPROVED: 3,
    ClaimStatus.PAID: 4,
}


def seed(rng: random.Random, today: date) -> None:
    with transaction.atomic():
        _seed_policies(rng, today)
        _seed_cost_codes()
        _seed_payee_references()
        _seed_claims(rng, today)
        _seed_meeting_journeys(today)


# Policies


def _seed_policies(rng: random.Random, today: date) -> None:
    have = set(ExpensePolicy.objects.values_list("board_id", flat=True))
    this_year = periods.financial_year_of(today)
    staff = _staff_by_board()
    zone = timezone.get_default_timezone()
    for board in Board.objects.order_by("name"):
        if board.pk in have:
            continue
        published = board.expenses_policy_url or (
            f"https://www.example.org/{board.slug}/reps-expenses-policy"
            if rng.random() < 0.7
            else ""
        )
        involvement = rng.choices(
            [InvolvementBasis.NONE, InvolvementBasis.PER_MEETING, InvolvementBasis.PER_HOUR],
            weights=[6, 3, 1],
        )[0]
        first = {
            "effective_from": date(this_year - 3, 4, 1),
            "breakfast_cap": D("6.00") if rng.random() < 0.5 else None,
            "lunch_cap": D("9.00") if rng.random() < 0.5 else None,
            "dinner_cap": D("15.00") if rng.random() < 0.4 else None,
            "daily_subsistence_cap": rng.choice([D("20.00"), D("25.00"), D("30.00")]),
            "overnight_cap": rng.choice([D("90.00"), D("100.00"), D("120.00")]),
            "care_hourly_cap": rng.choice([D("16.00"), D("18.00"), D("20.00"), D("22.50"), None]),
            "involvement_basis": involvement,
            "involvement_amount": {
                InvolvementBasis.NONE: D("0.00"),
                InvolvementBasis.PER_MEETING: rng.choice([D("25.00"), D("30.00"), D("40.00")]),
                InvolvementBasis.PER_HOUR: rng.choice([D("12.60"), D("15.00")]),
            }[involvement],
            "days_to_claim": rng.choice([60, 90, 90, 90, 180]),
            "receipt_threshold": rng.choice([D("0.00"), D("10.00"), D("20.00")]),
            "published_url": published,
        }
        # A second version this year: care rates rose, as they do, and the policy says so.
        second = first | {"effective_from": date(this_year, 4, 1)}
        if first["care_hourly_cap"] is not None:
            second["care_hourly_cap"] = first["care_hourly_cap"] + D("1.50")
        by = staff[board.pk].pays or staff[board.pk].approves
        if by is None:
            continue
        for version in (first, second):
            agreed = version["effective_from"] - timedelta(days=30)
            services.policy_add_version(
                board=board,
                by=by,
                now=datetime.combine(agreed, time(14), tzinfo=zone),
                notify=False,
                **version,
            )


# Claims


@dataclass
class _Occasion:
    day: date
    activity: str
    meeting_id: int | None = None


@dataclass
class _PlannedClaim:
    rep: Rep
    status: str
    occasions: list[_Occasion]
    items: list[dict[str, Any]] = field(default_factory=list)
    # What happens to the claim, when and by whom: (at, service, its arguments).
    steps: list[tuple[datetime, str, dict[str, Any]]] = field(default_factory=list)
    claim: Claim | None = None


def _seed_claims(rng: random.Random, today: date) -> None:
    with_claims = set(Claim.objects.values_list("rep_id", flat=True).distinct())
    reps = [
        rep
        for rep in Rep.objects.select_related("user", "board").order_by("pk")
        if rep.pk not in with_claims
    ]
    if not reps:
        return
    start = date(periods.financial_year_of(today) - 2, 4, 1)

    occasions: dict[int, list[_Occasion]] = defaultdict(list)
    for rep_id, day, group, meeting_id in (
        Attendance.objects.filter(
            rep__in=reps,
            status=Attendance.Status.ATTENDED,
            meeting__date__range=(start, today - timedelta(days=1)),
        )
        .order_by("meeting__date", "pk")
        .values_list("rep_id", "meeting__date", "meeting__group__name", "meeting_id")
    ):
        occasions[rep_id].append(_Occasion(day, f"{group} meeting", meeting_id))
    journeys: dict[int, list[Decimal]] = defaultdict(list)
    for rep_id, miles in UsualJourney.objects.filter(rep__in=reps).values_list("rep_id", "miles"):
        journeys[rep_id].append(miles)
    policies: dict[int, list[ExpensePolicy]] = defaultdict(list)
    for policy in ExpensePolicy.objects.all():
        policies[policy.board_id].append(policy)

    demo_boards = {
        rep.board_id for rep in reps if rep.user is not None and rep.user.email == DEMO_REP_EMAIL
    }
    planned: list[_PlannedClaim] = []
    for rep in reps:
        if rep.user is not None and rep.user.email == DEMO_REP_EMAIL:
            planned += _demo_rep_claims(rng, rep, occasions[rep.pk], today)
        else:
            # Reps elsewhere claim for fewer of their meetings (many claim only for the longer
            # trips), so that the demo loads in seconds; the board the demo signs in to is full.
            share = CLAIMED_SHARE if rep.board_id in demo_boards else CLAIMED_SHARE_ELSEWHERE
            planned += _ordinary_claims(rng, rep, occasions[rep.pk], today, share=share)

    builder = _Builder(
        rng=rng,
        today=today,
        zone=timezone.get_default_timezone(),
        policies=policies,
        journeys=journeys,
        staff=_staff_by_board(),
    )
    for plan in planned:
        builder.build(plan)
    builder.replay([plan for plan in planned if plan.steps])


# Claiming from a meeting: the journey filled in, and the journey asked for


def _weekday_on_or_before(day: date) -> date:
    return day - timedelta(days=max(0, day.weekday() - 4))


def _seed_meeting_journeys(today: date) -> None:
    """Two recent meetings of the demo rep's group: one at the venue of the rep's usual journey,
    claimed with that journey filled in; one at a venue none of their journeys goes to, not yet
    claimed, so that "Claim for a meeting" asks which journey the rep made."""
    account = User.objects.filter(email=DEMO_REP_EMAIL).first()
    if account is None:
        return
    rep = reps_for(account).select_related("board", "user").first()
    if rep is None or rep.user is None:
        return
    place = rep.board.name.removesuffix(" IJB").split(" (")[0]
    elsewhere = f"{place} Town Hall"
    if Meeting.objects.filter(board=rep.board, venue=elsewhere).exists():
        return
    last = (
        Attendance.objects.filter(rep=rep, status=Attendance.Status.ATTENDED)
        .select_related("meeting__group")
        .order_by("-meeting__date")
        .first()
    )
    staff = (
        StaffMembership.objects.filter(board=rep.board, can_manage_reps=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if last is None or staff is None:
        return
    usual = list(usual_journeys_for_rep(rep))
    if not usual:
        usual = [
            reps_services.usual_journey_add(
                rep=rep,
                by=rep.user,
                from_area=rep.postcode_area or "G66",
                venue=f"{place} council chambers",
                miles=D("7.5"),
            )
        ]
    journey = usual[0]
    group = last.meeting.group

    def attended(day: date, venue: str) -> Meeting:
        meeting = reps_services.meeting_create(
            board=rep.board,
            group=group,
            date=day,
            start_time=time(10, 0),
            venue=venue,
            papers_issued_on=day - timedelta(days=10),
            by=staff.user,
        )
        reps_services.attendance_record(
            meeting=meeting, rep=rep, status=Attendance.Status.ATTENDED, by=staff.user
        )
        return meeting

    # Boards meet on weekdays.
    matched = attended(_weekday_on_or_before(today - timedelta(days=5)), journey.venue)
    attended(_weekday_on_or_before(today - timedelta(days=2)), elsewhere)
    zone = timezone.get_default_timezone()
    services.claim_create_draft(
        rep=rep,
        created_by=rep.user,
        items=[
            {
                "date": matched.date,
                "activity": f"{group.name} meeting",
                "meeting": matched,
                **journeys.mileage_inputs(journey),
            }
        ],
        now=datetime.combine(today - timedelta(days=3), time(19, 5), tzinfo=zone),
    )


@dataclass
class _Staff:
    enters: User | None = None
    approves: User | None = None
    pays: User | None = None


def _seed_cost_codes() -> None:
    """Most boards' finance teams have given the portal their cost code; every fifth has not yet,
    and its batch files leave the column empty."""
    have = set(FinanceSettings.objects.values_list("board_id", flat=True))
    staff = _staff_by_board()
    for index, board in enumerate(Board.objects.order_by("name")):
        payer = staff[board.pk].pays
        if board.pk in have or payer is None or index % 5 == 4:
            continue
        services.finance_settings_update(
            board=board, cost_code=f"{4100 + index}-{reference_prefix(board.name)}-REPS", by=payer
        )


def _seed_payee_references() -> None:
    """Where finance set a cost code, it has also given most reps a payee number of its own; a
    rep in three has none yet, and is paid under the portal's reference."""
    coded = set(FinanceSettings.objects.exclude(cost_code="").values_list("board_id", flat=True))
    staff = _staff_by_board()
    reps = Rep.objects.filter(board__in=coded, payee__isnull=True).select_related("board")
    for rep in reps.order_by("board__name", "pk"):
        payer = staff[rep.board_id].pays
        # By the record's number, so that loading the demo again adds nobody.
        if rep.pk % 3 == 2 or payer is None:
            continue
        reference = f"{reference_prefix(rep.board.name)}{70000 + rep.pk}"
        services.payee_reference_set(rep=rep, reference=reference, by=payer)


def _staff_by_board() -> dict[int, _Staff]:
    """Who acts on each board's claims: staff who manage reps but do not decide on claims enter
    the ones reps send in on paper, so that someone else approves them; finance pay."""
    staff: dict[int, _Staff] = defaultdict(_Staff)
    for membership in StaffMembership.objects.select_related("user").order_by("pk"):
        people = staff[membership.board_id]
        if membership.can_approve_claims:
            people.approves = people.approves or membership.user
        elif membership.can_manage_reps:
            people.enters = people.enters or membership.user
        if membership.can_pay_claims:
            people.pays = people.pays or membership.user
    return staff


def _ordinary_claims(
    rng: random.Random,
    rep: Rep,
    occasions: list[_Occasion],
    today: date,
    *,
    share: float = CLAIMED_SHARE,
) -> list[_PlannedClaim]:
    claimed = [occasion for occasion in occasions if rng.random() < share]
    if occasions and not claimed:
        claimed = [occasions[-1]]
    plans = []
    while claimed:
        size = min(rng.choice([1, 1, 2, 3]), len(claimed))
        group, claimed = claimed[:size], claimed[size:]
        age = (today - group[-1].day).days
        weights = next(table for oldest, table in STATUS_BY_AGE if age > oldest)
        status = rng.choices(list(weights), weights=list(weights.values()))[0]
        plans.append(_PlannedClaim(rep=rep, status=status, occasions=group))
    return plans


def _demo_rep_claims(
    rng: random.Random, rep: Rep, occasions: list[_Occasion], today: date
) -> list[_PlannedClaim]:
    """Ordinary claims up to two and a half months ago, then the story of one claim per state."""
    cutoff = today - timedelta(days=DEMO_REP_STORY[0][0] + 5)
    plans = _ordinary_claims(rng, rep, [o for o in occasions if o.day < cutoff], today)
    for number, (days_ago, status) in enumerate(DEMO_REP_STORY):
        wanted = today - timedelta(days=days_ago)
        near = [o for o in occasions if abs((o.day - wanted).days) <= 4]
        activity = BETWEEN_MEETINGS[number % len(BETWEEN_MEETINGS)]
        occasion = near[0] if near else _Occasion(wanted, activity)
        plans.append(_PlannedClaim(rep=rep, status=status, occasions=[occasion]))
    return plans


@dataclass
class _Builder:
    rng: random.Random
    today: date
    zone: tzinfo
    policies: dict[int, list[ExpensePolicy]]
    journeys: dict[int, list[Decimal]]
    staff: dict[int, _Staff]

    def at(self, day: date, hour: int) -> datetime:
        return datetime.combine(day, time(hour, self.rng.randint(0, 59)), tzinfo=self.zone)

    def build(self, plan: _PlannedClaim) -> None:
        """Plan the claim's steps; how much each item comes to is the services' to work out."""
        rep, rng = plan.rep, self.rng
        last_day = plan.occasions[-1].day
        # Approved claims are paid by the board's next payment run (see `replay`).
        status = ClaimStatus.APPROVED if plan.status == ClaimStatus.PAID else plan.status
        story = plan.rep.user is not None and plan.rep.user.email == DEMO_REP_EMAIL
        if story and len(plan.occasions) == 1 and (self.today - last_day).days <= 80:
            offsets = [1, 1, 4]
        else:
            # A meeting yesterday is claimed the same evening at the latest.
            offsets = [min(rng.randint(1, 12), (self.today - last_day).days - 1)]
            offsets.append(offsets[0] + rng.randint(0, 3))
            offsets.append(offsets[1] + rng.randint(2, 16))
        # Nothing may happen today or later: step back to the last state that fits.
        while (last_day + timedelta(days=offsets[STAGES[status] - 1])) >= self.today:
            status = {
                ClaimStatus.APPROVED: ClaimStatus.SUBMITTED,
                ClaimStatus.RETURNED: ClaimStatus.SUBMITTED,
                ClaimStatus.REJECTED: ClaimStatus.SUBMITTED,
                ClaimStatus.SUBMITTED: ClaimStatus.DRAFT,
                ClaimStatus.WITHDRAWN: ClaimStatus.DRAFT,
            }.get(status)
            if status is None:
                return
        # Reps who sign in claim for themselves; staff enter the claims the others send in,
        # including those of reps invited who have not set a password yet.
        entered_by = rep.user if rep.user is not None and rep.user.is_active else None
        staff = self.staff[rep.board_id]
        if entered_by is None:
            entered_by = staff.enters
        approver = staff.approves
        if entered_by is None or approver is None:
            return
        for occasion in plan.occasions:
            plan.items += self.items_for(rep, occasion, by_staff=rep.user is None)
        if not plan.items:
            return
        plan.status = status
        days = [last_day + timedelta(days=offset) for offset in offsets]
        created = self.at(days[0], 19)
        submitted = self.at(days[1], 20)
        decided = self.at(days[2], 10)

        steps = plan.steps
        steps.append((created, "create", {"created_by": entered_by, "items": plan.items}))
        if status == ClaimStatus.DRAFT:
            return
        if status == ClaimStatus.WITHDRAWN:
            if rng.random() < 0.5:
                steps.append((submitted, "withdraw", {"by": entered_by}))
            else:
                steps.append((submitted, "submit", {"by": entered_by}))
                later = submitted + timedelta(days=1)
                steps.append((later, "withdraw", {"by": entered_by}))
            return
        steps.append((submitted, "submit", {"by": entered_by}))
        if status == ClaimStatus.SUBMITTED:
            return
        if status == ClaimStatus.RETURNED:
            reason = fitting_reason(rng, RETURN_REASONS, plan.items)
            steps.append((decided, "return", {"by": approver, "reason": reason}))
            return
        if status == ClaimStatus.REJECTED:
            reason = fitting_reason(rng, REJECT_REASONS, plan.items)
            steps.append((decided, "reject", {"by": approver, "reason": reason}))
            return
        if rng.random() < 0.1 and (decided - submitted) > timedelta(days=3):
            # Some claims came back once before they were approved.
            back = submitted + (decided - submitted) / 3
            again = submitted + (decided - submitted) * 2 / 3
            reason = fitting_reason(rng, RETURN_REASONS, plan.items)
            steps.append((back, "return", {"by": approver, "reason": reason}))
            steps.append((again, "submit", {"by": entered_by}))
        steps.append((decided, "approve", {"by": approver}))

    def payment_runs(self, board_id: int, *, demo_rep_board: bool) -> list[date]:
        """The days finance paid the board's approved claims, every four or five weeks.

        The demo rep's board last paid between the rep's paid and approved claims, so that the
        approved one is still waiting to be paid.
        """
        if self.staff[board_id].pays is None:
            return []
        last = DEMO_REP_LAST_PAYMENT if demo_rep_board else self.rng.randint(8, 34)
        runs = [self.today - timedelta(days=last)]
        start = date(periods.financial_year_of(self.today) - 2, 4, 1)
        while runs[-1] > start:
            runs.append(runs[-1] - timedelta(days=self.rng.randint(28, 35)))
        return runs[::-1]

    def replay(self, plans: list[_PlannedClaim]) -> None:
        """Make every claim through the services, step by step in the order things happened
        across all claims, so that each is worked out against the claims settled before it,
        as the portal works them out."""
        demo_rep_boards = {
            plan.rep.board_id
            for plan in plans
            if plan.rep.user is not None and plan.rep.user.email == DEMO_REP_EMAIL
        }
        timeline: list[tuple[datetime, int, _PlannedClaim | int, str, dict[str, Any]]] = []
        for n, plan in enumerate(plans):
            for at, action, arguments in plan.steps:
                timeline.append((at, n, plan, action, arguments))
        for board_id in sorted({plan.rep.board_id for plan in plans}):
            runs = self.payment_runs(board_id, demo_rep_board=board_id in demo_rep_boards)
            for day in runs:
                timeline.append((self.at(day, 9), -1, board_id, "pay", {}))
        timeline.sort(key=lambda step: (step[0], step[1]))
        approved: dict[int, int] = defaultdict(int)
        meetings = Meeting.objects.in_bulk(
            {item["meeting_id"] for plan in plans for item in plan.items if item["meeting_id"]}
        )
        with services.without_emails():
            for at, _, subject, action, arguments in timeline:
                if action == "pay":
                    if approved[subject]:
                        self.pay(subject, at)
                        approved[subject] = 0
                    continue
                if action == "create":
                    items = [
                        {name: value for name, value in item.items() if name != "meeting_id"}
                        | {"meeting": meetings.get(item["meeting_id"])}
                        for item in arguments["items"]
                    ]
                    subject.claim = services.claim_create_draft(
                        rep=subject.rep, created_by=arguments["created_by"], items=items, now=at
                    )
                    continue
                claim = subject.claim
                if action == "submit":
                    services.claim_submit(claim=claim, now=at, **arguments)
                elif action == "withdraw":
                    services.claim_withdraw(claim=claim, now=at, **arguments)
                elif action == "return":
                    services.claim_return(claim=claim, now=at, **arguments)
                elif action == "reject":
                    services.claim_reject(claim=claim, now=at, **arguments)
                elif action == "approve":
                    self.approve(claim, at, arguments["by"])
                    approved[claim.board_id] += 1

    def approve(self, claim: Claim, at: datetime, by: User) -> None:
        # The approver confirms the total the claim shows when they approve it.
        total = Claim.objects.values_list("total", flat=True).get(pk=claim.pk)
        try:
            services.claim_approve(claim=claim, by=by, confirmed_total=total, now=at)
        except services.AmountChanged as changed:
            services.claim_approve(claim=claim, by=by, confirmed_total=changed.total, now=at)

    def pay(self, board_id: int, at: datetime) -> None:
        payer = self.staff[board_id].pays
        board = Board.objects.get(pk=board_id)
        batch = services.batch_create(board=board, by=payer, now=at)
        paid = at + timedelta(hours=2)
        services.batch_mark_paid(batch=batch, by=payer, paid_on=paid.date(), now=paid)

    def items_for(self, rep: Rep, occasion: _Occasion, *, by_staff: bool) -> list[dict[str, Any]]:
        rng = self.rng
        policy = pick_policy(self.policies[rep.board_id], occasion.day)
        if policy is None:
            return []
        rates = policy.as_rates()
        items: list[dict[str, Any]] = []

        def add(kind, **inputs):
            items.append(
                {
                    "date": occasion.day,
                    "activity": occasion.activity,
                    "meeting_id": occasion.meeting_id,
                    "kind": kind,
                    **inputs,
                }
            )

        journeys = self.journeys.get(rep.pk) or [D(rng.randint(20, 240)) / 10]
        way = rng.random()
        if way < 0.82:
            add(
                Kind.MILEAGE,
                miles=rng.choice(journeys) * 2,
                vehicle=Vehicle.CAR,
                passengers=1 if rng.random() < 0.05 else 0,
                description="There and back",
            )
            if rng.random() < 0.25:
                add(Kind.PARKING, amount_claimed=rng.choice([D("2.00"), D("3.50"), D("4.80")]))
        elif way < 0.86:
            add(Kind.MILEAGE, miles=rng.choice(journeys) * 2, vehicle=Vehicle.BICYCLE)
        elif way < 0.97:
            add(Kind.PUBLIC_TRANSPORT, amount_claimed=D(rng.randint(320, 1860)) / 100)
        else:
            add(Kind.TAXI, amount_claimed=D(rng.randint(900, 2600)) / 100)
        if rng.random() < 0.15:
            add(Kind.SUBSISTENCE, meal="lunch", amount_claimed=D(rng.randint(650, 1400)) / 100)
        if rep.rep_type == Rep.RepType.CARER and rng.random() < 0.45:
            add(
                Kind.REPLACEMENT_CARE,
                hours_preparation=rng.choice([D("0.5"), D("1"), D("1.5"), D("2")]),
                hours_meeting=rng.choice([D("2"), D("2.5"), D("3"), D("4")]),
                hours_travel=rng.choice([D("0.5"), D("1"), D("1.5")]),
                hourly_rate=rng.choice([D("15.50"), D("18.00"), D("21.00"), D("24.00")]),
                provider_type=rng.choice(CareProvider.values),
                # Only staff record care that the partnership arranged.
                arranged_by_partnership=by_staff and rng.random() < 0.08,
            )
        if rep.involvement_payment_opt_in and rates.has_involvement_payment:
            add(Kind.INVOLVEMENT, hours_preparation=D("1"), hours_meeting=D("2"))
        if rng.random() < 0.04:
            add(
                Kind.PHONE_POSTAGE_PRINTING,
                amount_claimed=D(rng.randint(250, 1200)) / 100,
                description="Printing the meeting papers",
            )
        return items
