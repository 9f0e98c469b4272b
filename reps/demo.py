"""Demo data for the reps app: three financial years for every board, with synthetic people.

`seed(rng, today)` gives each board its groups, seats, reps, terms, induction checklists,
training, meetings, attendance and agenda items, varied so that every screen and figure has
something true to show: vacancies (one open for a long time), a seat filled by staff, reps in a
third term, terms ending with nobody lined up, boards that often send papers late, agenda items
with what came of them.

Reps that already have a portal account (the demo sign-ins, created before this runs) are given
seats on their board, with terms, induction, training, meetings and agenda items of their own.

Every record is made through `reps.services`, as staff and reps make them in the portal, so the
demo keeps the portal's rules (a board's own induction item replaces the national one of the same
title, terms in a seat never overlap); each is stamped with the time it would have happened.

It is idempotent: a board that already has its groups is left alone, so a second call adds nothing.
"""

import io
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings as django_settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from pikepdf import Dictionary, Name, Pdf

from portal.core import periods
from portal.core.access import Permission
from portal.core.models import Board, StaffMembership, User
from reps import documents, recruitment, rules, services
from reps.models import (
    AgendaItem,
    Attendance,
    BoardSettings,
    Budget,
    Document,
    EqualityRecord,
    Group,
    InductionItemTemplate,
    Meeting,
    NeedsConversation,
    Rep,
    Seat,
    SupportRequest,
    Term,
    Training,
    UsualJourney,
)

# The demo sign-ins' reps (created before this seed, with portal accounts) get seats, terms and
# meetings of their own; the first of them is new in post, the others have a year behind them.
ACCOUNT_REP_MONTHS_IN_POST = [4, 14]
MEETING_TIMES = [time(10, 0), time(13, 30), time(14, 0), time(18, 30)]
# Day meetings take two hours; evening ones, when carers can more easily come, an hour and a half.
MEETING_ENDS = {
    time(10, 0): time(12, 0),
    time(13, 30): time(15, 30),
    time(14, 0): time(16, 0),
    time(18, 30): time(20, 0),
}
CANCELLATION_REASONS = [
    "Too few members could come for the meeting to go ahead.",
    "The items will go to the next meeting instead.",
    "",
]
TERM_MONTHS = 36

FIRST_NAMES = [
    "Agnes",
    "Ahmed",
    "Aileen",
    "Alasdair",
    "Alison",
    "Amira",
    "Andrew",
    "Anne",
    "Archie",
    "Ayesha",
    "Barbara",
    "Bashir",
    "Brian",
    "Bridget",
    "Callum",
    "Catriona",
    "Chen",
    "Christine",
    "Colin",
    "Craig",
    "David",
    "Deborah",
    "Donald",
    "Eilidh",
    "Elaine",
    "Eleanor",
    "Ewan",
    "Fatima",
    "Fiona",
    "Fraser",
    "Georgina",
    "Gordon",
    "Graham",
    "Hamish",
    "Harpreet",
    "Heather",
    "Iain",
    "Imran",
    "Irene",
    "Isla",
    "Jacqueline",
    "James",
    "Janet",
    "Jean",
    "Joanna",
    "John",
    "Karen",
    "Kenneth",
    "Kirsty",
    "Lesley",
    "Linda",
    "Lorna",
    "Malcolm",
    "Margaret",
    "Marion",
    "Mohammed",
    "Morag",
    "Murdo",
    "Nadia",
    "Neil",
    "Nicola",
    "Oksana",
    "Patricia",
    "Priya",
    "Rachel",
    "Robert",
    "Rona",
    "Ruth",
    "Sandra",
    "Shona",
    "Stuart",
    "Tariq",
    "Tomasz",
    "Valerie",
    "Wendy",
    "William",
    "Yvonne",
    "Zofia",
]
LAST_NAMES = [
    "Abbasi", "Anderson", "Bain", "Baird", "Begum", "Black", "Boyle", "Brown", "Cairns",
    "Campbell", "Chalmers", "Chaudhry", "Cowan", "Crawford", "Cunningham", "Davidson", "Dunn",
    "Ferguson", "Finlay", "Fleming", "Forbes", "Fraser", "Gallacher", "Gibson", "Gillies",
    "Gordon", "Grant", "Hamilton", "Henderson", "Hughes", "Hussain", "Johnston", "Kaur", "Kerr",
    "Kowalski", "Lamont", "Lindsay", "MacDonald", "MacKenzie", "MacLeod", "McGregor", "McIntyre",
    "McKay", "McLean", "Millar", "Mitchell", "Morrison", "Muir", "Munro", "Murray", "Nowak",
    "Paterson", "Quinn", "Rahman", "Reid", "Robertson", "Ross", "Scott", "Shaw", "Sinclair",
    "Singh", "Stewart", "Sutherland", "Thomson", "Wallace", "Watson", "Wilson", "Wong", "Young",
]  # fmt: skip

# The first part of postcodes in each board's area, for reps' addresses and usual journeys.
POSTCODE_AREAS = {
    "aberdeen-city-ijb": ["AB10", "AB11", "AB15", "AB16", "AB21", "AB24"],
    "aberdeenshire-ijb": ["AB30", "AB39", "AB42", "AB43", "AB51", "AB53"],
    "angus-ijb": ["DD8", "DD9", "DD10", "DD11"],
    "argyll-and-bute-ijb": ["PA23", "PA28", "PA31", "PA34", "G84"],
    "clackmannanshire-and-stirling-ijb": ["FK7", "FK8", "FK9", "FK10", "FK15"],
    "dumfries-and-galloway-ijb": ["DG1", "DG2", "DG6", "DG9", "DG12"],
    "dundee-city-ijb": ["DD1", "DD2", "DD3", "DD4", "DD5"],
    "east-ayrshire-ijb": ["KA1", "KA3", "KA17", "KA18"],
    "east-dunbartonshire-ijb": ["G61", "G62", "G64", "G65", "G66"],
    "east-lothian-ijb": ["EH21", "EH32", "EH39", "EH41", "EH42"],
    "east-renfrewshire-ijb": ["G46", "G76", "G77", "G78"],
    "edinburgh-ijb": ["EH3", "EH6", "EH11", "EH12", "EH16", "EH17"],
    "falkirk-ijb": ["FK1", "FK2", "FK3", "FK5", "FK6"],
    "fife-ijb": ["KY1", "KY2", "KY8", "KY11", "KY12", "KY16"],
    "glasgow-city-ijb": ["G3", "G11", "G15", "G21", "G32", "G42", "G51"],
    "highland": ["IV1", "IV2", "IV15", "KW1", "PH22", "PH33"],
    "inverclyde-ijb": ["PA15", "PA16", "PA19"],
    "midlothian-ijb": ["EH19", "EH20", "EH22", "EH26"],
    "moray-ijb": ["IV30", "IV31", "IV36", "AB55"],
    "north-ayrshire-ijb": ["KA12", "KA13", "KA20", "KA22", "KA30"],
    "north-lanarkshire-ijb": ["ML1", "ML2", "ML5", "ML6", "G67", "G69"],
    "orkney-ijb": ["KW15", "KW16", "KW17"],
    "perth-and-kinross-ijb": ["PH1", "PH2", "PH7", "PH10", "PH16"],
    "renfrewshire-ijb": ["PA1", "PA2", "PA3", "PA4", "PA5"],
    "scottish-borders-ijb": ["TD1", "TD6", "TD9", "TD11", "EH45"],
    "shetland-ijb": ["ZE1", "ZE2"],
    "south-ayrshire-ijb": ["KA7", "KA8", "KA9", "KA10", "KA26"],
    "south-lanarkshire-ijb": ["ML3", "ML10", "ML11", "G72", "G73", "G75"],
    "west-dunbartonshire-ijb": ["G60", "G81", "G82", "G83"],
    "west-lothian-ijb": ["EH47", "EH48", "EH52", "EH53", "EH54"],
    "western-isles-ijb": ["HS1", "HS2", "HS6", "HS8"],
}

# What reps whose terms end soon told staff they would like, in turn; one in four has not said.
AFTERWARDS_IN_TURN = [
    (Term.Afterwards.ANOTHER, False),
    (Term.Afterwards.STEPPING_DOWN, True),
    ("", False),
    (Term.Afterwards.NOT_SURE, False),
]

# What reps asked for: (kind, what, more about it, what arranging it says, why it could not be).
SUPPORT_ASKED = [
    (
        SupportRequest.Kind.TRAINING,
        "Understanding the IJB budget",
        "The finance papers are hard to follow and I would like to ask better questions.",
        "The chief finance officer will take you through the budget papers for an hour before "
        "the next board meeting.",
        "The finance team's sessions are full this year. We have sent you their plain-English "
        "guide to the budget, and will offer a place next year.",
    ),
    (
        SupportRequest.Kind.SUPPORT,
        "A mentor who has been a rep before",
        "Someone to talk to before my first few meetings.",
        "A former carer representative has agreed to meet you monthly for your first six "
        "months. We will send you her details.",
        "No former rep is free at the moment. The Coalition of Carers runs a peer network, "
        "and we have put you in touch.",
    ),
    (
        SupportRequest.Kind.SUPPORT,
        "Papers in large print",
        "",
        "From the next meeting, your papers will be posted to you in 16 point print.",
        "The papers come from the board's office, which cannot reprint them. We will send you "
        "the files to print at your own size.",
    ),
    (
        SupportRequest.Kind.TRAINING,
        "Chairing and speaking at meetings",
        "I would like to feel more confident speaking up at the board.",
        "We have booked you on the local college's course starting in the spring.",
        "The course is not running this year. We will look for another and let you know.",
    ),
    (
        SupportRequest.Kind.SUPPORT,
        "A briefing before each board meeting",
        "Half an hour to go through the papers with someone.",
        "Your support officer will call you the week before each meeting.",
        "We cannot offer this for every meeting, but we will for the budget meeting.",
    ),
]
# What staff and a rep agreed when they talked about the rep's training and support needs.
AGREED = [
    "Nothing new for now: happy with the pre-meeting briefings.",
    "To look for a course on the IJB budget before the budget meeting.",
    "Papers to be posted as well as emailed.",
    "To pair up with a more experienced rep for the next two meetings.",
    "",
]
# How long staff take to answer, in days, and the share of answers that are "not possible".
SUPPORT_ANSWER_DAYS = (3, 28)
SUPPORT_NOT_POSSIBLE_SHARE = 0.25

OPTIONAL_GROUPS = [
    ("Audit and risk committee", Group.Kind.COMMITTEE),
    ("Clinical and care governance committee", Group.Kind.COMMITTEE),
    ("Carers strategy group", Group.Kind.OTHER),
    ("Performance and finance committee", Group.Kind.COMMITTEE),
]
LOCALITIES = ["North", "South", "East", "West", "Central", "Rural"]
SEAT_TITLES = {
    Seat.Kind.CARER: "Carer representative",
    Seat.Kind.LIVED_EXPERIENCE: "Lived experience representative",
    Seat.Kind.DEPUTY_CARER: "Deputy carer representative",
    Seat.Kind.DEPUTY_LIVED_EXPERIENCE: "Deputy lived experience representative",
}
# What some boards say about their seats on the public page: how often, where, how long.
SEAT_ABOUT = {
    "board": (
        "The board meets about every six weeks on a weekday morning, at the council "
        "headquarters or online. Most reps spend 8 to 10 hours a month on it, reading included."
    ),
    "other": (
        "The group meets monthly, for two hours in the afternoon, in a room with a hearing "
        "loop and step-free access. Allow 4 to 6 hours a month, reading included."
    ),
}
BOARD_INDUCTION_ITEMS = [
    "Visit to the local carers centre",
    "Tour of the partnership's main services",
    "Introduction to the locality planning groups",
]
COURSES = [
    ("Introduction to integration joint boards", "The partnership", "2.5", "0.00"),
    ("Carer representative induction day", "Coalition of Carers in Scotland", "5.0", "0.00"),
    ("Understanding IJB budgets", "The partnership's finance team", "3.0", "0.00"),
    ("Influencing and negotiating skills", "Carers Trust Scotland", "6.0", "95.00"),
    (
        "Equality impact assessment: the carer's view",
        "Coalition of Carers in Scotland",
        "3.0",
        "0.00",
    ),
    ("Chairing and speaking at meetings", "Local college", "12.0", "180.00"),
    ("Self-directed support explained", "Self Directed Support Scotland", "2.0", "0.00"),
    ("Mental health first aid", "Scottish Association for Mental Health", "12.0", "150.00"),
    ("Using online meeting tools", "The partnership's digital team", "1.5", "0.00"),
    ("Reading a strategic plan", "Health and Social Care Alliance Scotland", "2.0", "25.00"),
    ("Data protection for members", "The council's information governance team", "1.0", "0.00"),
]
# (title, more about it as the rep wrote it, what came of it)
AGENDA_ITEMS = [
    (
        "Short breaks for carers in rural areas",
        "Carers in the glens wait months for a break: the nearest places are an hour away.",
        "Two more short break places funded from April.",
    ),
    (
        "Replacement care so carers can attend meetings",
        "I could only come today because a neighbour sat in. Others cannot ask anyone.",
        "Replacement care now paid for every IJB and group meeting.",
    ),
    (
        "Hospital discharge and carers' involvement",
        "Carers hear of a discharge on the day. We would like to be asked before the plan is made.",
        "Discharge teams now ask about the carer on admission.",
    ),
    (
        "Carer Support Plans: waiting times",
        "",
        "Waiting list reviewed monthly and shortened from 12 weeks to 6.",
    ),
    (
        "Accessible meeting papers",
        "The papers run to 300 pages. A short summary in plain English would let more of us take "
        "part.",
        "Papers now come with a one-page plain-English summary.",
    ),
    (
        "Transport to day services",
        "The new route means a two-hour round trip for some people.",
        "Route changes agreed with the transport provider.",
    ),
    (
        "Young carers moving to adult services",
        "Young carers lose their support at 18 before adult services pick them up.",
        "A joint transition protocol was written with education.",
    ),
    (
        "Mental health support for carers",
        "",
        "Carers can now refer themselves to the wellbeing service.",
    ),
    (
        "Charging for social care",
        "Carers were not told about the consultation in time to answer it.",
        "The charging policy consultation was extended by four weeks.",
    ),
    (
        "Respite for older carers",
        "Many carers here are over 75 and have had no break in years.",
        "A respite pilot began in two localities.",
    ),
    (
        "Digital exclusion and online meetings",
        "Not everyone has a laptop or a good connection at home.",
        "Hybrid meetings with a room for reps are now standard.",
    ),
    (
        "Carers' views in the strategic plan",
        "",
        "A carers' chapter was added to the strategic plan.",
    ),
    (
        "Delays in care at home packages",
        "Families are filling the gap while they wait, and it is wearing them out.",
        "Monthly figures on unmet need now come to the board.",
    ),
    (
        "Involving people with lived experience in commissioning",
        "People who use services should help choose who provides them.",
        "Reps now sit on tender panels.",
    ),
]
EARLY_END_REASONS = [
    "Caring responsibilities increased.",
    "Moved out of the area.",
    "Ill health.",
    "Started paid work that clashed with meetings.",
    "Personal reasons.",
    "The person they cared for died and they needed time away.",
]
HANDOVER_NOTES = [
    "Met the new rep twice and passed on the papers for the year.",
    "Introduced the new rep to the chair and the carers centre.",
    "Shared notes on the open agenda items and the budget timetable.",
]


def seed(rng: random.Random, today: date) -> None:
    """Create demo data for every board that has none yet."""
    boards = list(Board.objects.order_by("name"))
    seeded = set(
        Group.objects.filter(kind=Group.Kind.BOARD).values_list("board_id", flat=True).distinct()
    )
    to_seed = [(index, board) for index, board in enumerate(boards) if board.pk not in seeded]
    if not to_seed:
        return
    account_reps: dict[int, list[Rep]] = defaultdict(list)
    without_terms = Rep.objects.filter(terms__isnull=True).select_related("user").order_by("pk")
    for rep in without_terms:
        if rep.user_id is not None:
            account_reps[rep.board_id].append(rep)
    national_items = list(InductionItemTemplate.objects.filter(board__isnull=True, active=True))
    # Whoever manages the board's reps in the demo makes every change a member of staff makes.
    staff_by_board: dict[int, User] = {}
    managers = StaffMembership.objects.filter(**{Permission.MANAGE_REPS.value: True})
    for membership in managers.select_related("user").order_by("pk"):
        staff_by_board.setdefault(membership.board_id, membership.user)

    plan = _Plan(rng=rng, today=today)
    for index, board in to_seed:
        staff = staff_by_board.get(board.pk)
        if staff is None:
            raise ValueError(f"{board} has no demo staff who manage reps to make its records.")
        plan.staff[board.pk] = staff
        _BoardSeeder(
            plan=plan,
            board=board,
            index=index,
            rng=rng,
            today=today,
            account_reps=account_reps[board.pk],
            national_items=national_items,
        ).run()
    with transaction.atomic():
        plan.save()
        _seed_recruitment(
            [board for _, board in to_seed if board.slug in RECRUITMENT_BOARDS], plan.staff, today
        )
        _seed_documents([board for _, board in to_seed], plan.staff, today)


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=timezone.get_default_timezone())


@dataclass
class _Plan:
    """Every board's records, planned in memory and then made through `reps.services`, as staff
    and reps make them in the portal, each stamped with the time it happened."""

    rng: random.Random
    today: date
    staff: dict[int, User] = field(default_factory=dict)
    settings: list[BoardSettings] = field(default_factory=list)
    budgets: list[Budget] = field(default_factory=list)
    templates: list[InductionItemTemplate] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    seats: list[Seat] = field(default_factory=list)
    reps: list[Rep] = field(default_factory=list)
    changed_reps: list[Rep] = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)
    diligence: dict[int, float] = field(default_factory=dict)
    training: list[Training] = field(default_factory=list)
    support_requests: list[SupportRequest] = field(default_factory=list)
    conversations: list[NeedsConversation] = field(default_factory=list)
    journeys: list[UsualJourney] = field(default_factory=list)
    equality: list[EqualityRecord] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    attendance: list[Attendance] = field(default_factory=list)
    agenda_items: list[AgendaItem] = field(default_factory=list)
    # Planned meetings (by id) called off, with the reason and the day they were.
    cancelled: dict[int, tuple[str, date]] = field(default_factory=dict)
    # Planned seats (by id) the board abolished, with the first day without them.
    closed: dict[int, date] = field(default_factory=dict)
    # Planned objects (by id) and the rows made for them.
    made: dict[int, Any] = field(default_factory=dict)

    def _by(self, planned: Any) -> User:
        return self.staff[planned.board_id]

    def _the(self, planned: Any) -> Any:
        return self.made[id(planned)]

    def save(self) -> None:
        for settings in self.settings:
            services.board_settings_update(
                board=settings.board,
                by=self._by(settings),
                papers_notice_days=settings.papers_notice_days,
                succession_lead_months=settings.succession_lead_months,
            )
        for budget in self.budgets:
            services.budget_set(
                board=budget.board,
                financial_year=budget.financial_year,
                training=budget.training,
                expenses=budget.expenses,
                by=self._by(budget),
            )
        # A board's own checklist items are set up in the admin site, which has no service.
        InductionItemTemplate.objects.bulk_create(self.templates)
        for group in self.groups:
            self.made[id(group)] = services.group_create(
                board=group.board,
                name=group.name,
                kind=group.kind,
                order=group.order,
                by=self._by(group),
            )
        for seat in self.seats:
            self.made[id(seat)] = services.seat_create(
                board=seat.board,
                group=self._the(seat.group),
                kind=seat.kind,
                title=seat.title,
                voting=seat.voting,
                about=seat.about,
                created_on=seat.created_on,
                by=self._by(seat),
                now=_at(seat.created_on),
            )
        self._save_reps()
        self._save_terms()
        for seat in self.seats:
            if id(seat) in self.closed:
                services.seat_close(
                    seat=self._the(seat), on=self.closed[id(seat)], by=self._by(seat)
                )
        self._save_people_extras()
        self._save_meetings()
        self._save_invitations()

    def _save_invitations(self) -> None:
        """On the board the demo signs in to, the two newest reps with an email address and no
        account: one invited and not yet active, one whose invitation staff withdrew."""
        board_ids = {rep.board_id for rep in self.changed_reps}
        answered = {id(record.rep) for record in self.equality}
        started: dict[int, date] = {}
        for term in self.terms:
            started[id(term.rep)] = max(started.get(id(term.rep), term.start), term.start)
        newest = sorted(
            (
                rep
                for rep in self.reps
                if rep.board_id in board_ids
                and rep.user_id is None
                and rep.email
                # Equality answers in the demo stand for reps without an account.
                and id(rep) not in answered
            ),
            key=lambda rep: started.get(id(rep), self.today),
            reverse=True,
        )
        base_url = getattr(django_settings, "SITE_URL", "") or "http://localhost:8000"
        for n, planned in enumerate(newest[:2]):
            rep = self._the(planned)
            invited = _at(self.today - timedelta(days=3 + 9 * n))
            services.rep_invite(rep=rep, by=self._by(rep), base_url=base_url, now=invited)
            if n == 1:
                services.rep_invitation_withdraw(
                    rep=rep, by=self._by(rep), now=invited + timedelta(days=2)
                )

    def _save_reps(self) -> None:
        first_start: dict[int, date] = {}
        for term in self.terms:
            key = id(term.rep)
            first_start[key] = min(first_start.get(key, term.start), term.start)
        for rep in self.reps:
            fields = {
                name: getattr(rep, name)
                for name in services.REP_STAFF_FIELDS
                if name not in {"full_name", "rep_type"}
            }
            joined = min(first_start[id(rep)] - timedelta(days=21), self.today)
            self.made[id(rep)] = services.rep_create(
                board=rep.board,
                full_name=rep.full_name,
                rep_type=rep.rep_type,
                by=self._by(rep),
                now=_at(joined),
                **fields,
            )
        for rep in self.changed_reps:
            # A demo sign-in's rep fills in their own details, as a rep does in the portal.
            self.made[id(rep)] = services.rep_update(
                rep=rep,
                by=rep.user,
                now=_at(min(first_start[id(rep)], self.today), 19),
                email=rep.email,
                phone=rep.phone,
                postcode_area=rep.postcode_area,
                needs_paper_copies=rep.needs_paper_copies,
            )
            # So the demo rep's meetings page shows a calendar address to try on a phone.
            services.calendar_feed_reset(rep=self.made[id(rep)], by=rep.user)

    def _rep(self, planned: Rep) -> Rep:
        return self.made.get(id(planned), planned)

    def _save_terms(self) -> None:
        """Each seat's terms in the order they began: appointed, given their checklist, ended."""
        by_seat: dict[int, list[Term]] = defaultdict(list)
        for term in self.terms:
            by_seat[id(term.seat)].append(term)
        for terms in by_seat.values():
            for planned in sorted(terms, key=lambda t: t.start):
                seat = self._the(planned.seat)
                by = self.staff[seat.board_id]
                term = services.term_appoint(
                    rep=self._rep(planned.rep),
                    seat=seat,
                    start=planned.start,
                    planned_end=planned.planned_end,
                    how_recruited=planned.how_recruited,
                    by=by,
                    now=_at(min(planned.start - timedelta(days=14), self.today)),
                )
                self._induction(term, diligence=self.diligence[seat.board_id], by=by)
                if planned.ended_on is not None:
                    handed_to = planned.handed_over_to
                    services.term_end(
                        term=term,
                        on=planned.ended_on,
                        reason=planned.ended_early_reason,
                        exit_interview_held=planned.exit_interview_held,
                        handover_notes=planned.handover_notes,
                        handed_over_to=self._rep(handed_to) if handed_to else None,
                        by=by,
                        now=_at(min(planned.ended_on, self.today), 16),
                    )

    def _induction(self, term: Term, *, diligence: float, by: User) -> None:
        """Tick the checklist `term_appoint` gave the term, as far as the board got with it."""
        rng, today = self.rng, self.today
        days_in = (today - term.start).days
        done_on: dict[int, date] = {}
        items = term.induction_items.order_by("order", "title")
        for position, item in enumerate(items):
            if days_in < 0:
                done = item.order <= 20 and rng.random() < 0.7
            elif term.rep.user_id and days_in < 200:
                # A demo sign-in new in post has the first steps done and the rest to do.
                done = position < 5
            else:
                done = rng.random() < min(diligence, 0.3 + days_in / 150)
            if done:
                done_on[item.pk] = min(term.start + timedelta(days=rng.randint(-21, 90)), today)
        if done_on:
            services.induction_items_mark_done(term=term, done=done_on, by=by, today=today)

    def _save_people_extras(self) -> None:
        for journey in self.journeys:
            rep = self._rep(journey.rep)
            services.usual_journey_add(
                rep=rep,
                from_area=journey.from_area,
                venue=journey.venue,
                miles=journey.miles,
                by=self.staff[rep.board_id],
            )
        for training in self.training:
            rep = self._rep(training.rep)
            services.training_add(
                rep=rep,
                course=training.course,
                date=training.date,
                hours=training.hours,
                cost=training.cost,
                provider=training.provider,
                by=self.staff[rep.board_id],
            )
        for planned in self.conversations:
            rep = self._rep(planned.rep)
            services.needs_conversation_record(
                rep=rep,
                held_on=planned.held_on,
                agreed=planned.agreed,
                by=self.staff[rep.board_id],
                today=self.today,
            )
        for planned in self.support_requests:
            rep = self._rep(planned.rep)
            support = services.support_request_ask(
                rep=rep,
                kind=planned.kind,
                what=planned.what,
                details=planned.details,
                by=self.staff[rep.board_id],
                today=planned.asked_on,
                notify=False,
            )
            if planned.answered_on is not None:
                services.support_request_answer(
                    request=support,
                    status=planned.status,
                    answer=planned.answer,
                    by=self.staff[rep.board_id],
                    today=planned.answered_on,
                    notify=False,
                )
        for record in self.equality:
            rep = self._rep(record.rep)
            # Answers given on paper, which staff entered with the rep's consent.
            services.equality_record_save(
                rep=rep,
                consent=True,
                answers={name: getattr(record, name) for name in services.EQUALITY_FIELDS},
                by=self.staff[rep.board_id],
                now=record.consent_given_at,
            )

    def _save_meetings(self) -> None:
        for planned in self.meetings:
            by = self._by(planned)
            # Meetings go in the diary some weeks ahead.
            added = min(planned.date - timedelta(days=self.rng.randint(28, 70)), self.today)
            self.made[id(planned)] = services.meeting_create(
                board=planned.board,
                group=self._the(planned.group),
                date=planned.date,
                start_time=planned.start_time,
                end_time=planned.end_time,
                venue=planned.venue,
                papers_issued_on=planned.papers_issued_on,
                pre_meeting_held=planned.pre_meeting_held,
                by=by,
                now=_at(added, 9),
            )
        for planned in self.meetings:
            if id(planned) in self.cancelled:
                reason, on = self.cancelled[id(planned)]
                services.meeting_cancel(
                    meeting=self._the(planned),
                    reason=reason,
                    by=self._by(planned),
                    today=on,
                    notify=False,
                )
        registers: dict[int, dict[Rep, str]] = defaultdict(dict)
        for attendance in self.attendance:
            registers[id(attendance.meeting)][self._rep(attendance.rep)] = attendance.status
        for planned in self.meetings:
            if registers[id(planned)]:
                meeting = self._the(planned)
                services.attendance_record_register(
                    meeting=meeting, register=registers[id(planned)], by=self._by(meeting)
                )
        for planned in self.agenda_items:
            meeting = self._the(planned.meeting)
            rep = self._rep(planned.rep)
            by = self.staff[meeting.board_id]
            # A rep who signs in puts their items forward themselves; staff enter the others'.
            item = services.agenda_item_submit(
                meeting=meeting,
                rep=rep,
                title=planned.title,
                details=planned.details,
                by=rep.user or by,
                # Put forward a fortnight or so before the meeting, as reps do.
                today=min(meeting.date - timedelta(days=14), self.today),
                notify=False,
            )
            if planned.status != AgendaItem.Status.SUBMITTED:
                item = services.agenda_item_decide(
                    item=item,
                    status=planned.status,
                    minutes_given=planned.minutes_given,
                    by=by,
                    notify=False,
                )
            if planned.outcome:
                services.agenda_item_record_outcome(item=item, outcome=planned.outcome, by=by)


@dataclass
class _BoardSeeder:
    plan: _Plan
    board: Board
    index: int
    rng: random.Random
    today: date
    account_reps: list[Rep]
    national_items: list[InductionItemTemplate]
    terms_by_seat: dict[int, list[Term]] = field(default_factory=lambda: defaultdict(list))
    account_rep_for_seat: dict[int, tuple[Rep, int]] = field(default_factory=dict)

    def run(self) -> None:
        rng, board = self.rng, self.board
        self.window_start = date(periods.financial_year_of(self.today) - 2, 4, 1)
        self.postcodes = POSTCODE_AREAS.get(board.slug, ["G1"])
        self.place = board.name.removesuffix(" IJB").split(" (")[0]
        self.venues = [
            f"{self.place} council chambers",
            "Online meeting",
            f"{self.place} health and care centre",
            f"{self.place} community hall",
        ]
        # Some boards often send papers late, most rarely; some hold pre-meetings as a habit.
        self.late_rate = 0.6 if self.index % 6 == 1 else rng.choice([0.03, 0.08, 0.12, 0.2])
        self.pre_meeting_rate = rng.choice([0.2, 0.5, 0.8, 0.95])
        self.settings = BoardSettings(
            board=board,
            papers_notice_days=10 if self.index % 9 == 3 else 7,
            succession_lead_months=9 if self.index % 7 == 2 else 6,
        )
        self.plan.settings.append(self.settings)
        self._budgets()
        self.board_items = self._board_induction_items()
        groups = self._groups()
        seats = self._seats(groups)
        for seat, scenario in zip(seats, self._scenarios(seats), strict=True):
            self._terms(seat, scenario)
        self._close_a_seat(seats)
        self._induction()
        self._people_extras()
        for group in groups:
            self._meetings(group, [s for s in seats if s.group is group])

    def _budgets(self) -> None:
        """Each year's budgets since the demo's records start: most boards set both, some
        only one, and one board in five sets a training budget its reps' courses overspend.
        Budgets are set in each year's first days, before anything is spent."""
        # A generator of its own, so that the rest of the demo draws what it drew before.
        rng = random.Random(f"budgets-{self.board.slug}")  # noqa: S311 - demo data
        first = periods.financial_year_of(self.window_start)
        for year in range(first, periods.financial_year_of(self.today) + 1):
            training = Decimal(rng.choice([None, 600, 800, 1000, 1500]) or 0) or None
            if self.index % 5 == 2:
                training = Decimal(150)
            expenses = Decimal(rng.choice([None, 4000, 6000, 8000, 12000]) or 0) or None
            if self.account_reps:
                # The board the demo signs in to shows both, with room left.
                training, expenses = Decimal(1500), Decimal(8000)
            self.plan.budgets.append(
                Budget(board=self.board, financial_year=year, training=training, expenses=expenses)
            )

    # Structure

    def _board_induction_items(self) -> list[InductionItemTemplate]:
        count = self.index % 3
        items = [
            InductionItemTemplate(board=self.board, title=title, order=100 + 10 * n)
            for n, title in enumerate(BOARD_INDUCTION_ITEMS[:count])
        ]
        self.plan.templates.extend(items)
        return items

    def _groups(self) -> list[Group]:
        rng = self.rng
        groups = [
            Group(board=self.board, name="Integration Joint Board", kind=Group.Kind.BOARD, order=0),
            Group(
                board=self.board,
                name="Strategic planning group",
                kind=Group.Kind.STRATEGIC_PLANNING,
                order=10,
            ),
        ]
        for n, (name, kind) in enumerate(rng.sample(OPTIONAL_GROUPS, rng.randint(1, 2))):
            groups.append(Group(board=self.board, name=name, kind=kind, order=20 + n))
        for n, area in enumerate(rng.sample(LOCALITIES, rng.randint(0, 2))):
            groups.append(
                Group(
                    board=self.board,
                    name=f"{area} locality group",
                    kind=Group.Kind.LOCALITY,
                    order=40 + n,
                )
            )
        self.plan.groups.extend(groups)
        return groups

    def _seats(self, groups: list[Group]) -> list[Seat]:
        rng = self.rng
        ijb, planning, *others = groups
        voting = self.index % 4 == 0
        core = [
            (ijb, Seat.Kind.CARER, voting),
            (ijb, Seat.Kind.LIVED_EXPERIENCE, voting),
            (planning, Seat.Kind.CARER, False),
            (planning, Seat.Kind.LIVED_EXPERIENCE, False),
        ]
        extra = [
            (ijb, Seat.Kind.DEPUTY_CARER, False),
            (ijb, Seat.Kind.DEPUTY_LIVED_EXPERIENCE, False),
            *((group, Seat.Kind.CARER, False) for group in others),
        ]
        chosen = core + rng.sample(extra, min(len(extra), rng.randint(0, 4)))
        seats = []
        for group, kind, votes in chosen:
            if group is ijb:
                created = date(2016, 4, 1)
            else:
                created = date(rng.randint(2016, 2021), rng.choice([4, 6, 9]), 1)
            seats.append(
                Seat(
                    board=self.board,
                    group=group,
                    kind=kind,
                    title=SEAT_TITLES[kind],
                    voting=votes,
                    # Half the boards say something of their own about each seat.
                    about=SEAT_ABOUT["board" if group is ijb else "other"]
                    if self.index % 2 == 0
                    else "",
                    created_on=created,
                )
            )
        # A seat set up recently that nobody has filled yet: the long-open vacancy.
        if self.index % 6 == 2:
            seats[-1].created_on = self.window_start - timedelta(days=rng.randint(30, 200))
        self.plan.seats.extend(seats)
        return seats

    def _scenarios(self, seats: list[Seat]) -> list[str]:
        rng = self.rng
        scenarios = [
            rng.choices(
                ["filled", "new", "vacant", "ending", "third"], weights=[55, 15, 12, 10, 8]
            )[0]
            for _ in seats
        ]
        if self.index % 5 == 0:
            scenarios[0] = "third"
        if self.index % 4 == 1:
            scenarios[2] = "staff"
        if self.index % 3 == 0:
            scenarios[1] = "ending"
        if self.index % 5 == 3:
            scenarios[3] = "ending_with_successor"
        if self.index % 6 == 2:
            scenarios[-1] = "never_filled"
        if self.account_reps and len(seats) > 4:
            # The board the demo signs in to shows a seat a member of staff stands in for, and
            # one opening soon with nobody appointed yet, on its public page and staff home.
            scenarios[2], scenarios[4] = "staff", "ending"
        # Seats 0 and 1 are the board's own carer and lived experience seats: one account rep of
        # each type takes one.
        for months, rep in zip(ACCOUNT_REP_MONTHS_IN_POST, self.account_reps, strict=False):
            position = 0 if rep.rep_type == Rep.RepType.CARER else 1
            if scenarios[position] != "account":
                scenarios[position] = "account"
                self.account_rep_for_seat[id(seats[position])] = (rep, months)
        return scenarios

    # People and terms

    def _new_rep(self, seat: Seat, *, staff: bool = False) -> Rep:
        rng = self.rng
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        rep = Rep(
            board=self.board,
            full_name=f"{first} {last}",
            rep_type=seat.rep_type,
            email=f"{first}.{last}.{rng.randint(10, 99)}@example.org".lower(),
            phone=f"07700 900{rng.randint(0, 999):03d}",
            postcode_area=rng.choice(self.postcodes),
            filled_by_staff=staff,
            needs_large_print=rng.random() < 0.12,
            needs_easy_read=rng.random() < 0.06,
            needs_bsl=rng.random() < 0.02,
            needs_paper_copies=rng.random() < 0.25,
            needs_papers_by_post=rng.random() < 0.1,
            needs_meeting_times=rng.random() < 0.3,
            contact_by_email=rng.random() < 0.85,
            contact_by_post=rng.random() < 0.2,
            contact_by_phone=rng.random() < 0.35,
            involvement_payment_opt_in=rng.random() < 0.15,
        )
        self.plan.reps.append(rep)
        return rep

    def _how_recruited(self) -> str:
        return self.rng.choices(list(Term.HowRecruited.values), weights=[50, 20, 25, 5])[0]

    def _term(self, seat: Seat, rep: Rep, start: date, **fields) -> Term:
        planned_end = fields.pop("planned_end", None) or _term_planned_end(start)
        term = Term(
            rep=rep,
            seat=seat,
            start=start,
            planned_end=planned_end,
            how_recruited=fields.pop("how_recruited", None) or self._how_recruited(),
            **fields,
        )
        self.terms_by_seat[id(seat)].append(term)
        self.plan.terms.append(term)
        return term

    def _afterwards(self, term: Term) -> None:
        """What the rep said they would like when their term ends, in turn; some have not said."""
        turn = len(self.plan.terms)
        afterwards, will_help = AFTERWARDS_IN_TURN[turn % len(AFTERWARDS_IN_TURN)]
        if self.account_reps:
            # The board the demo signs in to: its seat opening soon is one whose rep steps down.
            afterwards, will_help = Term.Afterwards.STEPPING_DOWN, True
        if afterwards:
            term.afterwards, term.will_help_successor = afterwards, will_help
            term.afterwards_said_on = self.today - timedelta(days=5 + turn % 40)

    def _terms(self, seat: Seat, scenario: str) -> None:
        rng, today = self.rng, self.today
        if scenario == "never_filled":
            return
        successor = None
        if scenario == "account":
            rep, months_in_post = self.account_rep_for_seat[id(seat)]
            start = rules.add_months(today.replace(day=1), -months_in_post)
            current = self._term(seat, rep, start, how_recruited=Term.HowRecruited.CARERS_CENTRE)
            runs = 1
        elif scenario == "vacant":
            last_end = today - timedelta(days=rng.randint(30, 330))
            self._history(seat, before=last_end + timedelta(days=1), first_end=last_end)
            return
        else:
            rep = self._new_rep(seat, staff=scenario == "staff")
            if scenario == "new":
                start = rules.add_months(today.replace(day=1), -rng.randint(0, 3))
            elif scenario in {"ending", "ending_with_successor"}:
                end = today + timedelta(days=rng.randint(25, 150))
                start = rules.add_months(end + timedelta(days=1), -TERM_MONTHS)
            elif scenario == "third":
                start = rules.add_months(today.replace(day=1), -rng.randint(2, 30))
            else:
                start = rules.add_months(today.replace(day=1), -rng.randint(4, 32))
            how = Term.HowRecruited.OTHER if scenario == "staff" else None
            current = self._term(seat, rep, start, how_recruited=how)
            runs = 3 if scenario == "third" else 1
            if scenario in {"ending", "ending_with_successor"}:
                self._afterwards(current)
            if scenario == "ending_with_successor":
                successor = self._new_rep(seat)
                self._term(
                    seat,
                    successor,
                    current.planned_end + timedelta(days=1),
                    how_recruited=Term.HowRecruited.OPEN,
                )
        # The same rep's earlier terms in the seat, back to back.
        start = current.start
        for _ in range(runs - 1):
            previous_start = rules.add_months(start, -TERM_MONTHS)
            if previous_start < seat.created_on:
                break
            self._term(
                seat,
                current.rep,
                previous_start,
                ended_on=start - timedelta(days=1),
                how_recruited=Term.HowRecruited.NOMINATION,
            )
            start = previous_start
        self._history(seat, before=start, handed_to=current.rep)

    def _history(
        self,
        seat: Seat,
        *,
        before: date,
        first_end: date | None = None,
        handed_to: Rep | None = None,
    ) -> None:
        """Earlier holders of the seat, walking back in time from `before`."""
        rng = self.rng
        end = first_end
        # The board the demo signs in to goes back to when its seats were made; the others keep
        # the holder before the current one, as far back as their figures reach, so that the
        # demo loads in seconds.
        for _ in range(4 if self.account_reps else 1):
            if end is None:
                gap = 0 if rng.random() < 0.6 else rng.randint(20, 240)
                end = before - timedelta(days=1 + gap)
            early = rng.random() < 0.15
            planned_end = end + timedelta(days=rng.randint(60, 600)) if early else end
            start = rules.add_months(planned_end + timedelta(days=1), -TERM_MONTHS)
            if start < seat.created_on:
                if (end - seat.created_on).days < 180:
                    return
                start = seat.created_on
                planned_end = max(planned_end, start + timedelta(days=1))
            if early and end <= start:
                return
            rep = self._new_rep(seat)
            handover = handed_to is not None and (before - end).days <= 31
            self._term(
                seat,
                rep,
                start,
                planned_end=planned_end,
                ended_on=end,
                ended_early_reason=rng.choice(EARLY_END_REASONS) if early else "",
                exit_interview_held=rng.random() < 0.5,
                handover_notes=rng.choice(HANDOVER_NOTES) if handover else "",
                handed_over_to=handed_to if handover else None,
            )
            before, end, handed_to = start, None, rep

    def _close_a_seat(self, seats: list[Seat]) -> None:
        """On some boards, a seat left vacant was abolished a month after its last term ended."""
        if self.index % 4 != 0:
            return
        for seat in seats[2:]:
            terms = self.terms_by_seat[id(seat)]
            last_end = max((term.end for term in terms), default=None)
            if last_end is not None and last_end < self.today - timedelta(days=60):
                self.plan.closed[id(seat)] = last_end + timedelta(days=30)
                return

    def _holder_on(self, seat: Seat, day: date) -> Term | None:
        for term in self.terms_by_seat[id(seat)]:
            if term.start <= day <= term.end:
                return term
        return None

    # Induction, training, journeys and equality monitoring

    def _induction(self) -> None:
        # How far the board's staff get with each new rep's checklist: ticked as terms are made.
        self.plan.diligence[self.board.pk] = self.rng.choice([0.6, 0.8, 0.95, 1.0])

    def _people_extras(self) -> None:
        rng, today = self.rng, self.today
        reps: dict[int, tuple[Rep, list[Term]]] = {}
        for terms in self.terms_by_seat.values():
            for term in terms:
                reps.setdefault(id(term.rep), (term.rep, []))[1].append(term)
        for rep, terms in reps.values():
            active = [t for t in terms if t.end >= self.window_start and t.start <= today]
            if not active:
                continue
            postcode = rep.postcode_area or rng.choice(self.postcodes)
            for venue in rng.sample(self.venues[:1] + self.venues[2:], rng.randint(1, 2)):
                miles = Decimal(rng.randint(12, 320)) / 10
                self.plan.journeys.append(
                    UsualJourney(rep=rep, from_area=postcode, venue=venue, miles=miles)
                )
            first_day = max(min(t.start for t in active), self.window_start)
            last_day = min(max(t.end for t in active), today)
            courses = rng.randint(2, 3) if rep.user_id else rng.randint(0, 4)
            for course, provider, hours, cost in rng.sample(COURSES, courses):
                span = max((last_day - first_day).days, 0)
                self.plan.training.append(
                    Training(
                        rep=rep,
                        course=course,
                        provider=provider,
                        date=first_day + timedelta(days=rng.randint(0, span)),
                        hours=Decimal(hours),
                        cost=Decimal(cost),
                    )
                )
            if max(t.end for t in active) >= today:
                self._support_requests(rep, first_day)
            # Reps who sign in to the demo answer (or not) for themselves.
            if not rep.user_id and rng.random() < 0.55:
                self.plan.equality.append(self._equality_record(rep, first_day))
            elif not rep.user_id and self.account_reps:
                # The board the demo signs in to has enough answers for its staff to see counts
                # (below five, none is shown), drawn apart so that the rest of the demo is as
                # it was.
                apart = random.Random(f"equality-{self.board.slug}:{rep.full_name}")  # noqa: S311
                self.plan.equality.append(self._equality_record(rep, first_day, rng=apart))
        for rep, _ in self.account_rep_for_seat.values():
            rep.email = rep.email or rep.user.email
            rep.phone = rep.phone or f"07700 900{100 + rep.pk % 900:03d}"
            rep.postcode_area = rep.postcode_area or self.postcodes[-1]
            rep.needs_paper_copies = True
            self.plan.changed_reps.append(rep)

    def _support_requests(self, rep: Rep, since: date) -> None:
        """What a rep asked for since `since`: the rep who signs in to the demo asked for one
        thing that is arranged and one still waiting; others one thing or nothing. And the
        conversations staff had with them about their needs, about once a year."""
        # A generator of its own, so that the rest of the demo draws what it drew before.
        rng = random.Random(f"{self.board.slug}:{rep.full_name}")  # noqa: S311 - demo data
        today = self.today
        asks = 2 if rep.user_id else rng.choice([0, 0, 1])
        for turn, (kind, what, details, arranged, not_possible) in enumerate(
            rng.sample(SUPPORT_ASKED, asks)
        ):
            waiting = rep.user_id and turn == 1 or not rep.user_id and rng.random() < 0.2
            days = (today - since).days
            asked_on = today - timedelta(
                days=rng.randint(1, 10) if waiting else rng.randint(40, max(days, 40))
            )
            support = SupportRequest(
                rep=rep, kind=kind, what=what, details=details, asked_on=max(asked_on, since)
            )
            if not waiting:
                impossible = not rep.user_id and rng.random() < SUPPORT_NOT_POSSIBLE_SHARE
                support.status = (
                    SupportRequest.Status.NOT_POSSIBLE
                    if impossible
                    else SupportRequest.Status.ARRANGED
                )
                support.answer = not_possible if impossible else arranged
                support.answered_on = min(
                    support.asked_on + timedelta(days=rng.randint(*SUPPORT_ANSWER_DAYS)), today
                )
            self.plan.support_requests.append(support)
        # Most boards talk with each rep about their needs about once a year; some forget.
        held_on = today - timedelta(days=rng.randint(20, 300))
        while held_on >= since and rng.random() < 0.8:
            agreed = rng.choice(AGREED)
            self.plan.conversations.append(
                NeedsConversation(rep=rep, held_on=held_on, agreed=agreed)
            )
            held_on -= timedelta(days=rng.randint(300, 420))

    def _equality_record(
        self, rep: Rep, since: date, rng: random.Random | None = None
    ) -> EqualityRecord:
        rng = rng or self.rng

        def answer(choices, weights=None):
            if rng.random() < 0.08:
                return ""
            return rng.choices(choices.values, weights=weights)[0]

        return EqualityRecord(
            rep=rep,
            consent_given_at=datetime.combine(since, time(10, 0), tzinfo=UTC),
            age_band=answer(EqualityRecord.AgeBand, [1, 3, 6, 12, 20, 18, 10, 2]),
            sex=answer(EqualityRecord.Sex, [62, 35, 3]),
            gender_identity=answer(EqualityRecord.TransStatus, [94, 2, 4]),
            sexual_orientation=answer(EqualityRecord.SexualOrientation, [85, 4, 3, 1, 7]),
            ethnic_group=answer(
                EqualityRecord.EthnicGroup,
                [
                    70,
                    12,
                    2,
                    3,
                    1,
                    0.2,
                    0.2,
                    2,
                    1,
                    2,
                    1,
                    0.5,
                    1,
                    0.5,
                    1,
                    0.3,
                    0.3,
                    0.3,
                    0.2,
                    0.3,
                    0.3,
                    2,
                ],
            ),  # fmt: skip
            disability=answer(EqualityRecord.Disability, [30, 65, 5]),
            caring_role=answer(EqualityRecord.CaringRole, [20, 25, 30, 15, 5, 5]),
        )

    # Meetings

    def _meetings(self, group: Group, seats: list[Seat]) -> None:
        rng, today = self.rng, self.today
        every = 2 if group.kind == Group.Kind.BOARD else 3
        month = rules.add_months(self.window_start, rng.randint(0, every - 1))
        horizon = today + timedelta(days=75)
        standard = self.settings.papers_notice_days
        while month <= horizon:
            day = month.replace(day=rng.randint(8, 24))
            day += timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)
            month = rules.add_months(month, every)
            if day > horizon:
                break
            late = rng.random() < self.late_rate
            notice = rng.randint(2, standard - 1) if late else rng.randint(standard, standard + 5)
            issued = day - timedelta(days=notice)
            if issued > today or (day <= today and rng.random() < 0.03):
                issued = None
            # From the date, not `rng`, so that the rest of the demo stays as it was.
            starts = MEETING_TIMES[day.toordinal() % len(MEETING_TIMES)]
            meeting = Meeting(
                board=self.board,
                group=group,
                date=day,
                start_time=starts,
                end_time=MEETING_ENDS[starts],
                venue=rng.choice(self.venues),
                papers_issued_on=issued,
                pre_meeting_held=day <= today and rng.random() < self.pre_meeting_rate,
            )
            self.plan.meetings.append(meeting)
            # From the date, as the start time: about one meeting in seventeen is called off.
            called_off = day.toordinal() % 17 == 0
            if called_off:
                reason = CANCELLATION_REASONS[day.toordinal() % len(CANCELLATION_REASONS)]
                self.plan.cancelled[id(meeting)] = (reason, min(day - timedelta(days=3), today))
            holders = [t for s in seats if (t := self._holder_on(s, day)) is not None]
            if day <= today:
                for term in holders:
                    status = self._status(term)
                    if not called_off:
                        self.plan.attendance.append(
                            Attendance(meeting=meeting, rep=term.rep, status=status)
                        )
            elif not called_off:
                # Apologies sent ahead for about one meeting to come in five, chosen without the
                # random numbers so that the rest of the demo stays as it was.
                self.plan.attendance.extend(
                    Attendance(meeting=meeting, rep=term.rep, status=Attendance.Status.APOLOGIES)
                    for term in holders
                    if (day.toordinal() + len(term.rep.full_name)) % 5 == 0
                )
            if group.kind in {Group.Kind.BOARD, Group.Kind.STRATEGIC_PLANNING} and holders:
                planned = len(self.plan.agenda_items)
                self._agenda_items(meeting, holders)
                if called_off:
                    # Planned all the same, so that the rest of the demo stays as it was.
                    del self.plan.agenda_items[planned:]

    def _status(self, term: Term) -> str:
        if term.rep.user_id:
            if self.rng.random() < 0.9:
                return Attendance.Status.ATTENDED
            return Attendance.Status.APOLOGIES
        statuses = list(Attendance.Status.values)
        weights = [80, 11, 5, 0 if term.seat.is_deputy else 4]
        return self.rng.choices(statuses, weights=weights)[0]

    def _agenda_items(self, meeting: Meeting, holders: list[Term]) -> None:
        rng, today = self.rng, self.today
        account_term = next((t for t in holders if t.rep.user_id), None)
        chance = 0.8 if account_term else 0.35
        if rng.random() >= chance:
            return
        term = account_term or rng.choice(holders)
        title, details, outcome = rng.choice(AGENDA_ITEMS)
        item = AgendaItem(meeting=meeting, rep=term.rep, title=title, details=details)
        if meeting.date > today:
            item.status = AgendaItem.Status.SUBMITTED
        else:
            item.status = rng.choices(
                [
                    AgendaItem.Status.ACCEPTED,
                    AgendaItem.Status.DEFERRED,
                    AgendaItem.Status.DECLINED,
                ],
                weights=[70, 18, 12],
            )[0]
        if item.status == AgendaItem.Status.ACCEPTED:
            item.minutes_given = rng.choice([10, 15, 20, 30])
            if (today - meeting.date).days > 30 and rng.random() < 0.75:
                item.outcome = outcome
        self.plan.agenda_items.append(item)


# Recruitment: the boards whose public page has a named contact and whose staff have people who
# came forward from it, in every state, some of them in the pool. The demo board is the first.
RECRUITMENT_BOARDS = ("east-dunbartonshire-ijb", "fife-ijb", "glasgow-city-ijb")
# (days ago it arrived, where it stands, in the pool, role, notes)
RECRUITMENT_STORIES = [
    (2, rules.InterestStatus.NEW, False, Seat.Kind.CARER, ""),
    (6, rules.InterestStatus.NEW, False, "", ""),
    (
        15,
        rules.InterestStatus.CONTACTED,
        False,
        Seat.Kind.LIVED_EXPERIENCE,
        "Phoned; a chat is booked.",
    ),
    (
        30,
        rules.InterestStatus.APPLIED,
        False,
        Seat.Kind.CARER,
        "Met at the carers centre; applied.",
    ),
    (
        48,
        rules.InterestStatus.NOT_NOW,
        True,
        Seat.Kind.DEPUTY_CARER,
        "Caring hours too long this year.",
    ),
    (70, rules.InterestStatus.NOT_NOW, True, "", "Would like peer support work for now."),
    # In the pool for more than a year: staff have not asked since they joined, so are due to.
    (540, rules.InterestStatus.NOT_NOW, True, Seat.Kind.CARER, "Joins the carers' forum."),
    # In the pool for more than a year, and asked two months ago (`POOL_ASKED_DAYS_AGO`).
    (420, rules.InterestStatus.NOT_NOW, True, "", "Happy to be asked about groups."),
]
# How many days ago staff asked the people of a story (by its days ago) whether they want to
# stay in the pool.
POOL_ASKED_DAYS_AGO = {420: 60}
RECRUITMENT_NEEDS = ["", "Meetings after 4pm.", "Papers in large print.", ""]


def _interest_answers(rng: random.Random) -> dict[str, str]:
    """Equality answers of someone who came forward; any question may be left out."""
    return {
        name: rng.choice(
            [value for value, _ in EqualityRecord._meta.get_field(name).choices] + [""]
        )
        for name, _ in EqualityRecord.QUESTIONS
    }


def _seed_recruitment(boards: list[Board], staff: dict[int, User], today: date) -> None:
    """Each board's named contact, and expressions of interest as staff have moved them along.

    A random source of its own, so that the rest of the demo is the same with or without it.
    """
    for n, board in enumerate(boards):
        rng = random.Random(f"recruitment-{board.slug}")  # noqa: S311 - demo data, not security
        by = staff[board.pk]
        services.board_settings_update(
            board=board,
            by=by,
            contact_name=by.full_name,
            contact_role="Carer and lived experience involvement officer",
            contact_email=f"involvement.{board.slug}@example.org",
            contact_phone=f"0141 496 0{100 + n:03d}",
        )
        stories = RECRUITMENT_STORIES if n == 0 else RECRUITMENT_STORIES[::2]
        for days_ago, status, pooled, role, notes in stories:
            arrived = _at(today - timedelta(days=days_ago), hour=rng.choice([9, 13, 19]))
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            interest = services.interest_receive(
                board=board,
                full_name=name,
                email=f"{slugify(name).replace('-', '.')}@example.org",
                phone=f"07700 900{rng.randrange(1000):03d}" if rng.random() < 0.5 else "",
                role=role,
                support_needed=rng.choice(RECRUITMENT_NEEDS),
                consent_to_contact=True,
                pool_consent=pooled,
                now=arrived,
                notify=False,
            )
            if rng.random() < 0.7:
                services.interest_equality_save(
                    interest=interest, consent=True, answers=_interest_answers(rng), now=arrived
                )
            moved = arrived + timedelta(days=2)
            steps = {
                rules.InterestStatus.CONTACTED: [rules.InterestStatus.CONTACTED],
                rules.InterestStatus.APPLIED: [
                    rules.InterestStatus.CONTACTED,
                    rules.InterestStatus.APPLIED,
                ],
                rules.InterestStatus.NOT_NOW: [
                    rules.InterestStatus.CONTACTED,
                    rules.InterestStatus.NOT_NOW,
                ],
            }.get(status, [])
            for step in steps:
                interest = services.interest_update(
                    interest=interest, status=step, notes=notes, by=by, now=moved
                )
                moved += timedelta(days=3)
            if pooled:
                services.interest_join_pool(
                    interest=interest, consent=True, by=by, today=moved.date(), now=moved
                )
                if days_ago in POOL_ASKED_DAYS_AGO:
                    services.interest_stay_in_pool(
                        interest=interest,
                        by=by,
                        today=today - timedelta(days=POOL_ASKED_DAYS_AGO[days_ago]),
                    )


GLOSSARY = [
    "Glossary of terms for carer and lived experience representatives",
    "",
    "IJB: Integration Joint Board, which plans and directs health and social care in an area.",
    "HSCP: Health and Social Care Partnership, which delivers the services the IJB directs.",
    "Strategic plan: the IJB's plan for services over the next three years.",
    "Direction: the IJB's instruction to the council and the health board to deliver a service.",
    "Locality: a part of the area with its own planning group.",
    "Voting member: a member of the IJB who may vote; representatives usually do not.",
]
CODE_OF_CONDUCT = """Code of conduct for representatives on {board}

As a representative you agree to:

- speak for carers or people with lived experience, not only for yourself;
- read the papers before each meeting and say when they reach you too late;
- treat other members and staff with respect, and expect the same;
- keep confidential papers confidential, and ask if you are unsure;
- tell your support officer about any interest that could affect a decision.
"""
EXPENSES_SUMMARY = """How {hscp} pays representatives' expenses

You should never be out of pocket for taking part. We pay:

- travel by car at HMRC's approved mileage rates, or public transport and taxis at cost;
- replacement care for the person you look after while you prepare, travel and attend;
- food and drink on long days, up to the limits in the policy.

Claim in the portal within three months. Expenses do not count as income, so they do not
affect benefits.
"""


def _text(text: str) -> documents.CheckedFile:
    return documents.check_bytes(text.encode())


def _tiny_pdf(lines: list[str]) -> bytes:
    """A one-page PDF of plain lines of text, made in code so that the demo needs no files."""
    pdf = Pdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    page = pdf.pages[0]
    font = Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
    page.Resources = Dictionary(Font=Dictionary(F1=pdf.make_indirect(font)))
    escaped = (line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") for line in lines)
    body = "".join(f"({line}) Tj T* " for line in escaped)
    page.Contents = pdf.make_stream(f"BT /F1 11 Tf 16 TL 56 780 Td {body}ET".encode("latin-1"))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _seed_documents(boards: list[Board], staff: dict[int, User], today: date) -> None:
    """Each board's role description and expenses summary (both public) and code of conduct;
    the national glossary, as a PDF, which the national induction item about it links."""
    added = _at(today - timedelta(days=200))
    for board in boards:
        by = staff[board.pk]
        description = recruitment.ROLE_DESCRIPTIONS[Seat.Kind.CARER]
        for title, kind, public, text in [
            (
                "Role description: carer representative",
                Document.Kind.ROLE_DESCRIPTION,
                True,
                f"Carer representative on {board.name}\n\n{description}\n",
            ),
            (
                "Expenses: what we pay",
                Document.Kind.EXPENSES_POLICY,
                True,
                EXPENSES_SUMMARY.format(hscp=board.hscp_name),
            ),
            (
                "Code of conduct",
                Document.Kind.CODE_OF_CONDUCT,
                False,
                CODE_OF_CONDUCT.format(board=board.name),
            ),
        ]:
            services.document_add(
                board=board,
                title=title,
                kind=kind,
                public=public,
                checked=_text(text),
                by=by,
                now=added,
            )
    administrator = (
        User.objects.filter(role=User.Role.ADMINISTRATOR, is_active=True).order_by("pk").first()
    )
    if administrator is None or Document.objects.filter(board__isnull=True).exists():
        return
    glossary = services.document_add(
        board=None,
        title="Glossary of terms",
        kind=Document.Kind.GLOSSARY,
        public=False,
        checked=documents.check_bytes(_tiny_pdf(GLOSSARY)),
        by=administrator,
        now=added,
    )
    # National checklist items are set up in the admin site, which has no service.
    InductionItemTemplate.objects.filter(
        board__isnull=True, title="Glossary of terms given"
    ).update(document=glossary)


def _term_planned_end(start: date) -> date:
    return rules.add_months(start, TERM_MONTHS) - timedelta(days=1)
