"""Demo data for expenses: a policy for every board and three financial years of claims.

`seed(rng, today)` runs after the reps' demo data, and claims for the meetings each rep attended:
mileage from their usual journeys, parking, lunch, replacement care for carers, an involvement
payment for reps who chose one. Older claims are mostly paid, in payment batches; recent ones are
waiting, returned or still drafts. The demo rep (rep@example.org) has a claim in every state.

Amounts come from `expenses.calculations.work_out` and the policy in force on each item's date,
as the services work them out: each claim against what the rep's claims approved before it had
used, and open claims against all the rep's approved and paid claims. Nothing is sent: the rows
are written directly, with the timeline each claim would have had, so no emails are queued.

It is idempotent: boards with a policy and reps with claims are left alone.
"""

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from expenses import calculations
from expenses.calculations import InvolvementBasis, Kind, Vehicle
from expenses.models import (
    CareProvider,
    Claim,
    ClaimEvent,
    ClaimItem,
    ExpensePolicy,
    PaymentBatch,
    reference_prefix,
)
from expenses.selectors import pick_policy
from expenses.states import OPEN, SETTLED, ClaimStatus
from portal.core.models import Board, StaffMembership, User
from reps.models import Attendance, Rep, UsualJourney

DEMO_REP_EMAIL = "rep@example.org"
D = Decimal

RETURN_REASONS = [
    "Please add the receipt for the parking.",
    "Which meeting was the second trip for? Please add it to the item.",
    "The care hours look longer than the meeting and travel: could you check them?",
    "The mileage looks like a single trip: please claim there and back as one item.",
]
REJECT_REASONS = [
    "This trip was already paid on an earlier claim.",
    "The meeting was cancelled, and we told reps the day before.",
    "This course was paid for directly by the partnership.",
]
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
# How likely each state is for a claim whose last item is more than so many days old.
STATUS_BY_AGE = [
    (75, {"paid": 93, "rejected": 3, "withdrawn": 4}),
    (40, {"paid": 60, "approved": 25, "submitted": 10, "rejected": 5}),
    (14, {"approved": 30, "submitted": 40, "returned": 15, "paid": 15}),
    (-1, {"draft": 35, "submitted": 50, "returned": 10, "withdrawn": 5}),
]
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
        _seed_claims(rng, today)


# Policies


def _seed_policies(rng: random.Random, today: date) -> None:
    have = set(ExpensePolicy.objects.values_list("board_id", flat=True))
    this_year = calculations.financial_year_of(today)
    policies = []
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
        first = ExpensePolicy(
            board=board,
            effective_from=date(this_year - 3, 4, 1),
            breakfast_cap=D("6.00") if rng.random() < 0.5 else None,
            lunch_cap=D("9.00") if rng.random() < 0.5 else None,
            dinner_cap=D("15.00") if rng.random() < 0.4 else None,
            daily_subsistence_cap=rng.choice([D("20.00"), D("25.00"), D("30.00")]),
            overnight_cap=rng.choice([D("90.00"), D("100.00"), D("120.00")]),
            care_hourly_cap=rng.choice([D("16.00"), D("18.00"), D("20.00"), D("22.50"), None]),
            involvement_basis=involvement,
            involvement_amount={
                InvolvementBasis.NONE: D("0.00"),
                InvolvementBasis.PER_MEETING: rng.choice([D("25.00"), D("30.00"), D("40.00")]),
                InvolvementBasis.PER_HOUR: rng.choice([D("12.60"), D("15.00")]),
            }[involvement],
            days_to_claim=rng.choice([60, 90, 90, 90, 180]),
            receipt_threshold=rng.choice([D("0.00"), D("10.00"), D("20.00")]),
            published_url=published,
        )
        # A second version this year: care rates rose, as they do, and the policy says so.
        second = ExpensePolicy(
            **{
                f.attname: getattr(first, f.attname)
                for f in ExpensePolicy._meta.concrete_fields
                if f.attname != "id"
            }
        )
        second.effective_from = date(this_year, 4, 1)
        if first.care_hourly_cap is not None:
            second.care_hourly_cap = first.care_hourly_cap + D("1.50")
        policies += [first, second]
    bulk_create_with_history(policies, ExpensePolicy, batch_size=500)


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
    claim: Claim | None = None
    items: list[ClaimItem] = field(default_factory=list)
    events: list[ClaimEvent] = field(default_factory=list)
    paid_on: date | None = None


def _seed_claims(rng: random.Random, today: date) -> None:
    with_claims = set(Claim.objects.values_list("rep_id", flat=True).distinct())
    reps = [
        rep
        for rep in Rep.objects.select_related("user", "board").order_by("pk")
        if rep.pk not in with_claims
    ]
    if not reps:
        return
    start = date(calculations.financial_year_of(today) - 2, 4, 1)
    zone = timezone.get_default_timezone()

    policies: dict[int, list[ExpensePolicy]] = defaultdict(list)
    for policy in ExpensePolicy.objects.all():
        policies[policy.board_id].append(policy)
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
    approvers: dict[int, User] = {}
    payers: dict[int, User] = {}
    for membership in StaffMembership.objects.select_related("user").order_by("pk"):
        if membership.can_approve_claims:
            approvers.setdefault(membership.board_id, membership.user)
        if membership.can_pay_claims:
            payers.setdefault(membership.board_id, membership.user)

    planned: list[_PlannedClaim] = []
    for rep in reps:
        if rep.user is not None and rep.user.email == DEMO_REP_EMAIL:
            planned += _demo_rep_claims(rng, rep, occasions[rep.pk], today)
        else:
            planned += _ordinary_claims(rng, rep, occasions[rep.pk], today)

    builder = _Builder(
        rng=rng,
        today=today,
        zone=zone,
        policies=policies,
        journeys=journeys,
        approvers=approvers,
        payers=payers,
    )
    for plan in planned:
        builder.build(plan)
    built = [plan for plan in planned if plan.claim is not None]
    builder.settle(built)
    builder.save(built)


def _ordinary_claims(
    rng: random.Random, rep: Rep, occasions: list[_Occasion], today: date
) -> list[_PlannedClaim]:
    claimed = [occasion for occasion in occasions if rng.random() < 0.75]
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
    for days_ago, status in DEMO_REP_STORY:
        wanted = today - timedelta(days=days_ago)
        near = [o for o in occasions if abs((o.day - wanted).days) <= 4]
        occasion = near[0] if near else _Occasion(wanted, "Integration Joint Board meeting")
        plans.append(_PlannedClaim(rep=rep, status=status, occasions=[occasion]))
    return plans


@dataclass
class _Builder:
    rng: random.Random
    today: date
    zone: tzinfo
    policies: dict[int, list[ExpensePolicy]]
    journeys: dict[int, list[Decimal]]
    approvers: dict[int, User]
    payers: dict[int, User]

    def at(self, day: date, hour: int) -> datetime:
        return datetime.combine(day, time(hour, self.rng.randint(0, 59)), tzinfo=self.zone)

    def build(self, plan: _PlannedClaim) -> None:
        rep, rng = plan.rep, self.rng
        last_day = plan.occasions[-1].day
        status = plan.status
        story = plan.rep.user is not None and plan.rep.user.email == DEMO_REP_EMAIL
        if story and len(plan.occasions) == 1 and (self.today - last_day).days <= 80:
            offsets = [1, 1, 4, 7]
        else:
            # A meeting yesterday is claimed the same evening at the latest.
            offsets = [min(rng.randint(1, 12), (self.today - last_day).days - 1)]
            offsets.append(offsets[0] + rng.randint(0, 3))
            offsets.append(offsets[1] + rng.randint(2, 16))
            offsets.append(offsets[2] + rng.randint(3, 14))
        # Nothing may happen today or later: step back to the last state that fits.
        while (last_day + timedelta(days=offsets[STAGES[status] - 1])) >= self.today:
            status = {
                ClaimStatus.PAID: ClaimStatus.APPROVED,
                ClaimStatus.APPROVED: ClaimStatus.SUBMITTED,
                ClaimStatus.RETURNED: ClaimStatus.SUBMITTED,
                ClaimStatus.REJECTED: ClaimStatus.SUBMITTED,
                ClaimStatus.SUBMITTED: ClaimStatus.DRAFT,
                ClaimStatus.WITHDRAWN: ClaimStatus.DRAFT,
            }.get(status)
            if status is None:
                return
        days = [last_day + timedelta(days=offset) for offset in offsets]
        created = self.at(days[0], 19)
        submitted = self.at(days[1], 20) if STAGES[status] >= 2 else None
        decided = self.at(days[2], 10) if STAGES[status] >= 3 else None
        entered_by = rep.user
        approver = self.approvers.get(rep.board_id)
        payer = self.payers.get(rep.board_id)

        claim = Claim(
            rep=rep,
            board_id=rep.board_id,
            status=status,
            created_by=entered_by,
            created_at=created,
            submitted_at=submitted,
            decided_at=decided if status in ("approved", "rejected", "paid") else None,
            reference=f"DEMO-{rng.getrandbits(60):015x}",
        )
        plan.claim = claim
        plan.status = status

        for occasion in plan.occasions:
            plan.items += self.items_for(rep, occasion)
        if not plan.items:
            plan.claim = None
            return

        events = plan.events
        events.append(self.event(claim, "", "draft", entered_by, created))
        if status == ClaimStatus.DRAFT:
            return
        if status == ClaimStatus.WITHDRAWN:
            if rng.random() < 0.5:
                events.append(self.event(claim, "draft", "withdrawn", entered_by, submitted))
                claim.submitted_at = None
            else:
                events.append(self.event(claim, "draft", "submitted", entered_by, submitted))
                later = submitted + timedelta(days=1)
                events.append(self.event(claim, "submitted", "withdrawn", entered_by, later))
            return
        events.append(self.event(claim, "draft", "submitted", entered_by, submitted))
        if status == ClaimStatus.SUBMITTED:
            return
        if status == ClaimStatus.RETURNED:
            reason = rng.choice(RETURN_REASONS)
            events.append(self.event(claim, "submitted", "returned", approver, decided, reason))
            return
        if status == ClaimStatus.REJECTED:
            reason = rng.choice(REJECT_REASONS)
            events.append(self.event(claim, "submitted", "rejected", approver, decided, reason))
            return
        if rng.random() < 0.1 and (decided - submitted) > timedelta(days=3):
            # Some claims came back once before they were approved.
            back = submitted + (decided - submitted) / 3
            again = submitted + (decided - submitted) * 2 / 3
            reason = rng.choice(RETURN_REASONS)
            events.append(self.event(claim, "submitted", "returned", approver, back, reason))
            events.append(self.event(claim, "returned", "submitted", entered_by, again))
        events.append(self.event(claim, "submitted", "approved", approver, decided))
        if status == ClaimStatus.PAID:
            plan.paid_on = days[3]
            claim.paid_at = self.at(days[3], 11)
            events.append(self.event(claim, "approved", "paid", payer, claim.paid_at))

    def event(self, claim, from_status, to_status, by, at, reason=""):
        return ClaimEvent(
            claim=claim, from_status=from_status, to_status=to_status, by=by, at=at, reason=reason
        )

    def settle(self, plans: list[_PlannedClaim]) -> None:
        """Each claim's amounts, in the order they became final: approved and paid claims when
        approved, rejected ones when rejected, withdrawn ones when withdrawn, open ones now."""
        used: dict[int, calculations.Used] = defaultdict(calculations.Used)
        now = timezone.now()

        def final_at(plan: _PlannedClaim) -> datetime:
            if plan.status in OPEN:
                return now
            return (
                plan.events[-1].at
                if plan.status == ClaimStatus.WITHDRAWN
                else plan.claim.decided_at
            )

        for plan in sorted(plans, key=final_at):
            claim, rep = plan.claim, plan.rep
            chosen = [pick_policy(self.policies[rep.board_id], item.date) for item in plan.items]
            worked_out = calculations.work_out(
                [
                    calculations.DatedItem(date=item.date, inputs=item.inputs(), rates=p.as_rates())
                    for item, p in zip(plan.items, chosen, strict=True)
                ],
                used=used[rep.pk],
                opted_in=rep.involvement_payment_opt_in,
            )
            for item, result, policy in zip(plan.items, worked_out.items, chosen, strict=True):
                item.amount = result.amount
                item.miles_at_first_rate = result.miles_at_first_rate
                item.miles_at_second_rate = result.miles_at_second_rate
                item.policy = policy
            if plan.status in SETTLED:
                used[rep.pk] = worked_out.used
            claim.total = calculations.total(i.amount for i in plan.items if i.payable_to_rep)
            for event in plan.events:
                event.total = claim.total

    def items_for(self, rep: Rep, occasion: _Occasion) -> list[ClaimItem]:
        rng = self.rng
        policy = pick_policy(self.policies[rep.board_id], occasion.day)
        if policy is None:
            return []
        rates = policy.as_rates()
        items: list[ClaimItem] = []

        def add(kind, **inputs):
            item = ClaimItem(
                date=occasion.day,
                activity=occasion.activity,
                meeting_id=occasion.meeting_id,
                kind=kind,
                **inputs,
            )
            items.append(item)

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
                arranged_by_partnership=rng.random() < 0.08,
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

    def save(self, plans: list[_PlannedClaim]) -> None:
        batches: dict[tuple[int, date], PaymentBatch] = {}
        for plan in plans:
            if plan.paid_on is None:
                continue
            key = (plan.rep.board_id, plan.paid_on)
            if key not in batches:
                payer = self.payers.get(plan.rep.board_id)
                batches[key] = PaymentBatch(
                    board_id=plan.rep.board_id,
                    created_by=payer,
                    created_at=self.at(plan.paid_on, 9),
                    paid_on=plan.paid_on,
                    paid_by=payer,
                )
            batch = batches[key]
            batch.claim_count += 1
            batch.total += plan.claim.total
            plan.claim.batch = batch
        # Django fills in each claim's batch id from its batch, now saved, when the claims are.
        PaymentBatch.objects.bulk_create(batches.values(), batch_size=500)

        claims = [plan.claim for plan in plans]
        Claim.objects.bulk_create(claims, batch_size=500)
        for claim in claims:
            claim.reference = (
                f"{reference_prefix(claim.rep.board.name)}-{claim.created_at:%Y}-{claim.pk:05d}"
            )
            claim._history_date = claim.created_at
        Claim.objects.bulk_update(claims, ["reference"], batch_size=500)
        Claim.history.bulk_history_create(claims, batch_size=500)

        items = []
        events = []
        for plan in plans:
            for item in plan.items:
                item.claim = plan.claim
                items.append(item)
            for event in plan.events:
                event.claim = plan.claim
                events.append(event)
        bulk_create_with_history(items, ClaimItem, batch_size=500)
        ClaimEvent.objects.bulk_create(events, batch_size=1000)
