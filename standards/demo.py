"""Demo data for the self-assessment: three years of More than Equal assessments for most boards.

`seed(rng, today)` runs after the reps' demo data. It gives 26 of the 31 boards assessments for
this financial year and the two before (two boards only this year, five none), so the national
comparison, its medians and each board's trend have something true to show:

- the earlier years are mostly published, a few with the reps' window closed after its deadline
  (no reps' view), one reopened to correct its evidence and published again, and a few never
  finished;
- this year is a mix: some published (one of them reopened since, saying why), some with both
  sides in and waiting to be published, some with the staff's scores submitted and the reps' not
  yet, some still being filled in, some just opened with last year's action plan carried over;
- the staff usually rate their board higher than the reps do, with gaps of 2 or more on a few
  areas for development; some boards improve year on year; a few items are "not assessed" with
  a reason; evidence and improvement actions are plain English, each action with a role and a
  date, and never a person's name.

The board the demo signs in to has its earlier years published and this year's open: the staff
lead (staff@example.org) and the reps (rep@example.org, rep2@example.org) have each filled in part
of their side, so both have something to do and neither sees the other's scores.

Everything goes through `standards.services`, as the staff lead and the reps do it in the
portal, each step stamped with the time it happened: each board's staff lead opens, scores,
closes and publishes; one of the board's reps saves and submits the reps' set.

It is idempotent: a board that already has an assessment is left alone, and which boards have
which story does not depend on `rng`, so a second run adds nothing.
"""

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from django.db import transaction
from django.utils import timezone

from portal.core import periods
from portal.core.models import Board, StaffMembership, User
from reps.models import Rep, Seat, Term
from standards import scoring, services
from standards.models import ActionProgress, AreaForDevelopment, Assessment, Perspective
from standards.states import Side

# The demo sign-ins' reps: they score this year's reps' set on their board.
DEMO_REP_EMAILS = ("rep@example.org", "rep2@example.org")


class Story(StrEnum):
    """How far one board's assessment for one year got."""

    PUBLISHED = "published"
    # The staff submitted; the reps did not by the deadline, so the lead closed their window.
    CLOSED = "closed"
    # Published, reopened to correct the staff's evidence, and published again.
    REPUBLISHED = "republished"
    # Published, then reopened with a reason, and not yet published again.
    REOPENED = "reopened"
    # Both sides submitted; the lead has not published yet.
    AGREED = "agreed"
    # The staff submitted; the reps are still working on theirs.
    STAFF_DONE = "staff_done"
    # Both sides part way through.
    DRAFTING = "drafting"
    # Opened, with nothing in it yet but last year's action plan.
    STARTED = "started"
    # An earlier year the staff submitted and nobody took further.
    UNFINISHED = "unfinished"


_P, _C = Story.PUBLISHED, Story.CLOSED

# Each board's story for (the year before last, last year, this year); None: no assessment.
# Boards are matched to stories in a fixed shuffled order (see `_stories`), not by `rng`; every
# third row's board improves year on year.
STORIES: list[tuple[Story | None, Story | None, Story | None]] = [
    *[(_P, _P, _P)] * 5,
    (_P, _C, _P),
    (_C, _P, _C),
    (_P, _P, _C),
    (Story.REPUBLISHED, _P, Story.REOPENED),
    *[(_P, _P, Story.AGREED)] * 2,
    (_C, _C, Story.AGREED),
    *[(_P, _P, Story.STAFF_DONE)] * 4,
    (Story.UNFINISHED, _P, Story.STAFF_DONE),
    *[(_P, Story.UNFINISHED, Story.DRAFTING)] * 2,
    *[(_P, _P, Story.DRAFTING)] * 2,
    *[(_P, _P, Story.STARTED)] * 2,
    # New to the self-assessment this year.
    (None, None, Story.DRAFTING),
    (None, None, Story.STARTED),
    *[(None, None, None)] * 5,
]
DEMO_BOARD_STORY = (_P, _P, None)

# Stories that need the reps' set submitted, and what becomes of them when no rep with an
# account held a seat at the time.
_WITHOUT_REPS = {
    Story.PUBLISHED: Story.CLOSED,
    Story.REPUBLISHED: Story.CLOSED,
    Story.REOPENED: Story.CLOSED,
    Story.AGREED: Story.STAFF_DONE,
}
_REPS_SUBMIT = frozenset(_WITHOUT_REPS)
_PUBLISH = frozenset({Story.PUBLISHED, Story.CLOSED, Story.REPUBLISHED, Story.REOPENED})
_STAFF_SUBMIT = _PUBLISH | {Story.AGREED, Story.STAFF_DONE, Story.UNFINISHED}
# This year's assessments still under way: opened late, their reps' deadline still to come.
_UNDER_WAY = frozenset({Story.AGREED, Story.STAFF_DONE, Story.DRAFTING, Story.STARTED})

REOPEN_REASON = (
    "The reps asked to add what carers said at the carers' conference, held after we published."
)
CORRECTION_REASON = (
    "The staff's evidence for 3.3 quoted the previous year's figures for late papers."
)
CORRECTION_PERSPECTIVE_REASON = "To correct the evidence for 3.3."
CORRECTED_EVIDENCE = (
    "Papers went out seven days before most meetings; three of the year's meetings had late "
    "papers, all in the winter."
)

# For each area for development: evidence where things go well, evidence where they do not, and
# improvement actions, each with the role that will carry it out.
EVIDENCE: dict[str, tuple[tuple[str, str], tuple[str, str], tuple[tuple[str, str], ...]]] = {
    "1.1": (
        (
            "Both rep posts were advertised through the carers centre, the third sector "
            "interface and local radio, with an easy-read version of the advert.",
            "Applicants can have an informal chat before applying; two of the last three reps "
            "came to us that way.",
        ),
        (
            "Rep vacancies were filled by word of mouth: no open advert went out this year.",
            "One seat stayed empty for most of the year, and nobody under 50 applied.",
        ),
        (
            (
                "Advertise every rep vacancy openly, with an easy-read version and an informal "
                "chat before applying.",
                "HSCP carers lead",
            ),
            (
                "Work with the carers centre to reach younger carers and carers from minority "
                "ethnic communities.",
                "Carers centre manager",
            ),
        ),
    ),
    "1.2": (
        (
            "A role description for reps was agreed with the board and is sent with every "
            "appointment letter.",
            "Reps and the chair met to agree what the board expects of reps, and what reps can "
            "expect in return.",
        ),
        (
            "There is no written role description: reps learn the role as they go.",
            "The role description dates from 2016 and does not mention committees.",
        ),
        (
            (
                "Agree a written role description for reps with the board, and review it every "
                "year.",
                "IJB chief officer",
            ),
            ("Add the reps' role to the board's standing orders.", "IJB board secretary"),
        ),
    ),
    "1.3": (
        (
            "Every new rep had an induction checklist, and most items were done within three "
            "months.",
            "Outgoing reps met the people taking over from them before leaving, with a written "
            "handover.",
        ),
        (
            "Two terms ended with nobody lined up to follow on.",
            "Induction depends on who is available: some reps had none.",
        ),
        (
            (
                "Start recruiting six months before a term ends, so the new rep can shadow the "
                "outgoing one.",
                "HSCP carers lead",
            ),
            (
                "Finish every new rep's induction checklist within three months of starting.",
                "HSCP engagement officer",
            ),
        ),
    ),
    "1.4": (
        (
            "Reps sit on the strategic planning group and the clinical and care governance "
            "committee.",
            "A rep now joins the budget-setting workshops each year.",
        ),
        (
            "Reps are on the board itself but on none of its committees.",
            "Locality planning groups meet without a rep.",
        ),
        (
            (
                "Offer reps a seat on the strategic planning group and on at least one committee.",
                "IJB chief officer",
            ),
            ("Invite a rep to each locality planning group.", "Locality manager"),
        ),
    ),
    "2.1": (
        (
            "A named officer supports the reps, with time set aside before each board meeting "
            "for a pre-meeting.",
            "The carers centre runs a reps' forum every quarter, funded by the partnership.",
        ),
        (
            "Support for reps depends on one officer, who covers other work too.",
            "There is no forum where reps can hear from the carers and people they represent.",
        ),
        (
            ("Hold a pre-meeting with reps before every board meeting.", "HSCP engagement officer"),
            (
                "Fund a quarterly forum where reps hear from carers and people with lived "
                "experience.",
                "Carers centre manager",
            ),
        ),
    ),
    "2.2": (
        (
            "A pool of twelve carers and people with lived experience can be called on for "
            "groups and consultations.",
            "Deputies attend when reps cannot, so no meeting goes without a carer's voice.",
        ),
        (
            "There is no pool: when a rep is away, nobody takes their place.",
            "The same two reps are asked to join every new group.",
        ),
        (
            (
                "Build a pool of carers and people with lived experience who can join groups "
                "and support each other.",
                "Carers centre manager",
            ),
            ("Appoint deputies for the board's rep seats.", "HSCP carers lead"),
        ),
    ),
    "2.3": (
        (
            "Board members had a development session on the value of involvement, led by reps.",
            "Induction for new board members now includes a session on working with reps.",
        ),
        (
            "No training on involvement was offered to board members this year.",
            "Only voting members were invited to the development session on involvement.",
        ),
        (
            (
                "Hold a development session for all board members on the value of involvement, "
                "with reps presenting.",
                "IJB chair",
            ),
            (
                "Add working with reps to the induction of new board members.",
                "IJB board secretary",
            ),
        ),
    ),
    "2.4": (
        (
            "Every rep was offered training this year, and most took at least one course.",
            "Reps have a budget for training and conferences, and know how to use it.",
        ),
        (
            "Reps were not told what training was available.",
            "Training is offered only in office hours, which carers in work cannot attend.",
        ),
        (
            (
                "Offer each rep a training plan at their yearly review, with sessions in the "
                "evening as well as the day.",
                "HSCP engagement officer",
            ),
            (
                "Set a training budget for reps and tell them how to use it.",
                "HSCP chief finance officer",
            ),
        ),
    ),
    "2.5": (
        (
            "Reps took part in two national consultations and a national network meeting.",
            "Reps are told about national events, and their costs are paid to attend.",
        ),
        (
            "Reps heard about national consultations after they had closed.",
            "No rep attended a national meeting this year.",
        ),
        (
            (
                "Share national consultations and events with reps as soon as they are announced.",
                "HSCP engagement officer",
            ),
            ("Pay reps' costs to attend national network meetings.", "HSCP carers lead"),
        ),
    ),
    "3.1": (
        (
            "Rep seats on the board carry a vote.",
            "Reps are listed with the other members and speak on every item.",
        ),
        (
            "Reps are non-voting members and are asked to speak only at the end.",
            "Reps had no vote on a decision about carers' services.",
        ),
        (
            ("Propose to the board that rep seats carry a vote.", "IJB chair"),
            (
                "Make sure the chair invites reps to speak on each item, not only at the end.",
                "IJB chair",
            ),
        ),
    ),
    "3.2": (
        (
            "Reps placed several items on the agenda this year, and each had time for discussion.",
            "A standing item on carers' and lived experience issues is on every agenda.",
        ),
        (
            "Items reps put forward were deferred more than once.",
            "Reps do not know how to place an item on the agenda.",
        ),
        (
            (
                "Explain to every rep how to place an item on the agenda and how decisions are "
                "reported back.",
                "IJB board secretary",
            ),
            ("Keep a standing agenda item for reps at every board meeting.", "IJB chair"),
        ),
    ),
    "3.3": (
        (
            "Papers went out on time for almost every meeting, with large print and paper "
            "copies for those who asked.",
            "Hybrid meetings mean reps can join from home when caring makes travel hard.",
        ),
        (
            "Papers for several meetings arrived late, leaving little time to read them.",
            "Meetings are held in the daytime only, which rules out reps in work.",
        ),
        (
            (
                "Send papers seven days before every meeting, with a plain-English summary.",
                "IJB board secretary",
            ),
            (
                "Ask reps each year which meeting times and formats suit them.",
                "HSCP engagement officer",
            ),
        ),
    ),
    "3.4": (
        (
            "The expenses policy is published, and replacement care is paid for every meeting.",
            "Claims are paid within a month, and reps are not out of pocket.",
        ),
        (
            "Replacement care is paid only for board meetings, not for committees.",
            "Some claims took more than two months to be paid.",
        ),
        (
            (
                "Publish the expenses policy on the partnership's website and pay replacement "
                "care for every meeting.",
                "HSCP chief finance officer",
            ),
            ("Pay reps' claims within 30 days.", "HSCP finance manager"),
        ),
    ),
    "3.5": (
        (
            "Reps can choose an involvement payment for their time, with advice on how it may "
            "affect benefits.",
            "The board agreed a payment for reps' time after advice from a welfare rights service.",
        ),
        (
            "The board has not considered paying reps for their time.",
            "A payment for reps' time was discussed, but no decision was made.",
        ),
        (
            (
                "Bring a paper to the board on paying reps for their time, with welfare rights "
                "advice.",
                "IJB chief officer",
            ),
            (
                "Offer reps independent benefits advice before they choose an involvement payment.",
                "Welfare rights manager",
            ),
        ),
    ),
    "3.6": (
        (
            "Reps reviewed the strategic plan and the carers strategy before they went to the "
            "board.",
            "Equality impact assessments now ask how a change affects carers.",
        ),
        (
            "Plans reach reps at the same time as everyone else, too late to change them.",
            "The new charging policy went to the board without a carer's view.",
        ),
        (
            (
                "Share draft plans and policies with reps early enough for their views to "
                "change them.",
                "Head of strategic planning",
            ),
            ("Add a carers' question to every equality impact assessment.", "Equalities officer"),
        ),
    ),
    "3.7": (
        (
            "Each rep has a yearly review with their support officer, and can ask for help at "
            "any time.",
            "Reps said they feel supported and know who to contact.",
        ),
        (
            "Reps have no regular check-in once their induction is over.",
            "When the support officer left, reps had nobody to contact for three months.",
        ),
        (
            (
                "Offer every rep a yearly review and a named contact for support.",
                "HSCP engagement officer",
            ),
            (
                "Cover the reps' support officer's post when they are away.",
                "Head of strategic planning",
            ),
        ),
    ),
    "4.1": (
        (
            "The Annual Performance Report has a section on involvement, written with the reps.",
            "Reps were surveyed about their experience, and the findings went to the board.",
        ),
        (
            "Involvement is not mentioned in the Annual Performance Report.",
            "No evaluation of involvement has been done.",
        ),
        (
            (
                "Write the involvement section of the Annual Performance Report with the reps.",
                "Head of strategic planning",
            ),
            (
                "Survey reps every year and report the findings to the board.",
                "HSCP engagement officer",
            ),
        ),
    ),
    "4.2": (
        (
            "The board receives the carers' indicators from the national survey each year.",
            "Progress on the carers strategy is reported twice a year against the national "
            "outcomes.",
        ),
        (
            "National indicators for carers are not reported to the board.",
            "Figures are reported without saying what they mean for carers.",
        ),
        (
            (
                "Report the national indicators for carers to the board each year, with what "
                "they mean locally.",
                "HSCP performance manager",
            ),
            ("Add carers' outcomes to the performance framework.", "HSCP performance manager"),
        ),
    ),
    "4.3": (
        (
            "Spending on carers' support is shown line by line in the budget papers.",
            "The Carers Act funding and what it paid for are published each year.",
        ),
        (
            "Spending on carers' support cannot be told apart from other spending.",
            "Reps asked for the Carers Act funding figures and had no answer.",
        ),
        (
            (
                "Publish how the Carers Act funding was spent each year.",
                "HSCP chief finance officer",
            ),
            (
                "Show spending on carers' support as its own line in budget papers.",
                "HSCP chief finance officer",
            ),
        ),
    ),
    "4.4": (
        (
            "This self-assessment was done with the reps and taken to the board.",
            "Last year's action plan was reviewed at a joint meeting of staff and reps.",
        ),
        (
            "This is the first time the board has reviewed itself against these recommendations.",
            "Last year's action plan was not reviewed during the year.",
        ),
        (
            ("Review the action plan with the reps every six months.", "IJB chief officer"),
            (
                "Take the self-assessment and action plan to the board each year.",
                "IJB chief officer",
            ),
        ),
    ),
}
# Areas for development a side sometimes leaves unscored, and why.
NOT_ASSESSED = {
    "2.3": "The board's development sessions were paused this year, so there was nothing to judge.",
    "2.5": "No national meetings or consultations for reps took place this year.",
    "3.5": "The board is waiting for national guidance on payment before it looks at this.",
    "4.2": "The national survey results for this year were not out when we scored.",
}
# How boards usually fare on an area for development, against their own level: few pay reps for
# their time or report on national outcomes; most have an expenses policy. 3.1 follows whether
# the board's rep seats carry a vote (see `_reps_score`).
AREA_LEANING = {"1.2": 1, "2.5": -1, "3.4": 1, "3.5": -2, "4.1": -1, "4.2": -1}


def seed(rng: random.Random, today: date) -> None:
    """Give boards without an assessment their years of self-assessment (see the module)."""
    this_year = periods.financial_year_of(today)
    # This year's assessments happen between its first day and yesterday: none on its first day.
    if today <= periods.financial_year_bounds(this_year)[0]:
        this_year -= 1
    years = [this_year - 2, this_year - 1, this_year]
    have = set(Assessment.objects.values_list("board_id", flat=True))
    plan = [planned for planned in _stories() if planned[0].pk not in have]
    if not any(story for _, stories, _ in plan for story in stories):
        return
    areas = list(
        AreaForDevelopment.objects.filter(recommendation__framework=services.latest_framework())
        .select_related("recommendation")
        .order_by("recommendation__number", "number")
    )
    leads = _leads()
    reps = _Reps()
    voting = set(Seat.objects.filter(voting=True).values_list("board_id", flat=True))
    with transaction.atomic():
        for board, stories, improving in plan:
            if not any(stories):
                continue
            lead = leads.get(board.pk)
            if lead is None:
                raise ValueError(f"{board} has no demo staff who lead the self-assessment.")
            _BoardSeeder(
                board=board,
                lead=lead,
                rng=rng,
                today=today,
                areas=areas,
                reps=reps,
                has_vote=board.pk in voting,
                improving=improving,
            ).run(list(zip(years, stories, strict=True)))
        reps.stamp_sign_ins()


def _stories() -> list[tuple[Board, tuple[Story | None, ...], bool]]:
    """Each board with its stories and whether it improves; the demo sign-ins' board with its
    own, improving."""
    demo_board_ids = {
        user.rep_profile.board_id
        for user in User.objects.filter(email__in=DEMO_REP_EMAILS).select_related("rep_profile")
        if hasattr(user, "rep_profile")
    }
    boards = list(Board.objects.order_by("name"))
    others = [board for board in boards if board.pk not in demo_board_ids]
    rows = [(stories, position % 3 == 0) for position, stories in enumerate(STORIES)]
    # A fixed order, not `rng`: the same boards get the same stories on every run, so a second
    # run finds the boards with no assessment planned still without one.
    random.Random("more-than-equal").shuffle(rows)  # noqa: S311 - demo data, not security
    planned: list[tuple[Board, tuple[Story | None, ...], bool]] = [
        (board, *rows[index % len(rows)]) for index, board in enumerate(others)
    ]
    planned += [(board, DEMO_BOARD_STORY, True) for board in boards if board.pk in demo_board_ids]
    return planned


def _leads() -> dict[int, User]:
    leads: dict[int, User] = {}
    memberships = StaffMembership.objects.filter(can_lead_assessment=True).select_related("user")
    for membership in memberships.order_by("pk"):
        if membership.user.is_active:
            leads.setdefault(membership.board_id, membership.user)
    return leads


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=timezone.get_default_timezone())


@dataclass
class _Reps:
    """Which rep of a board scores the reps' set, signed in with a rep account of their own.

    Only the demo sign-ins' reps have accounts when this runs. Elsewhere the demo gives an
    account to a rep who held a seat when the scoring was done, preferring one it gave an
    account before: the least that lets the reps' side be scored as the portal requires (by a
    rep account of the board, never by staff on the reps' behalf). Nobody can sign in with these
    accounts: they have no usable password, as the demo boards' staff have none. A rep account
    in the portal comes from an invitation; making one that way would email every board's rep
    a link, so the account is made as the demo makes its other accounts, and linked to the rep.
    """

    by_board: dict[int, list[Term]] = field(default_factory=lambda: defaultdict(list))
    accounts: set[int] = field(default_factory=set)
    last_seen: dict[int, datetime] = field(default_factory=dict)

    def __post_init__(self) -> None:
        terms = Term.objects.filter(rep__filled_by_staff=False).select_related("rep", "rep__user")
        for term in terms.order_by("start", "pk"):
            self.by_board[term.rep.board_id].append(term)
        self.accounts = set(
            User.objects.filter(email__in=DEMO_REP_EMAILS).values_list("pk", flat=True)
        )

    def sign_ins(self, board: Board) -> list[User]:
        """The demo sign-ins' accounts on `board`, in the order of `DEMO_REP_EMAILS`."""
        users = {
            term.rep.user.email: term.rep.user
            for term in self.by_board[board.pk]
            if term.rep.user_id in self.accounts and term.rep.user is not None
        }
        return [users[email] for email in DEMO_REP_EMAILS if email in users]

    def in_post(self, board: Board, first: datetime, last: datetime, by: User) -> User | None:
        """A rep account of someone who held a seat on `board` from `first` to `last`."""
        # Whoever stays longest first, so one account serves as many years as it can.
        covering = [
            term
            for term in self.by_board[board.pk]
            if term.start <= first.date() and (term.ended_on or term.planned_end) >= last.date()
        ]
        covering.sort(key=lambda term: term.ended_on or term.planned_end, reverse=True)
        candidates = [term.rep for term in covering]
        for rep in candidates:
            if rep.user_id in self.accounts:
                return rep.user
        for rep in candidates:
            if rep.user_id is None and rep.email:
                account = self._account_for(rep, by=by, now=first - timedelta(days=3))
                if account is not None:
                    return account
        return None

    def _account_for(self, rep: Rep, *, by: User, now: datetime) -> User | None:
        email = rep.email.strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            return None
        user = User(email=email, full_name=rep.full_name, role=User.Role.REP)
        user.set_unusable_password()
        user.save()
        rep.user = user
        # The audit history says who linked the account, as it would for an invitation.
        rep._history_user = by  # type: ignore[attr-defined]
        rep._history_date = now  # type: ignore[attr-defined]
        rep.save(update_fields=["user"])
        self.accounts.add(user.pk)
        return user

    def seen(self, user: User, at: datetime) -> None:
        if user.pk not in self.last_seen or at > self.last_seen[user.pk]:
            self.last_seen[user.pk] = at

    def stamp_sign_ins(self) -> None:
        """A rep who scored has signed in: the rep's record shows the account in use, last
        signed in when the rep last worked on the scores."""
        demo = set(User.objects.filter(email__in=DEMO_REP_EMAILS).values_list("pk", flat=True))
        for pk, at in self.last_seen.items():
            if pk not in demo:
                User.objects.filter(pk=pk, last_login__isnull=True).update(last_login=at)


@dataclass
class _Times:
    """When each step of one assessment happened."""

    start: datetime
    staff_save: datetime
    reps_save: datetime
    staff_submit: datetime
    reps_submit: datetime
    deadline: date
    close: datetime
    publish: datetime
    reopen: datetime
    republish: datetime


@dataclass
class _BoardSeeder:
    board: Board
    lead: User
    rng: random.Random
    today: date
    areas: list[AreaForDevelopment]
    reps: _Reps
    has_vote: bool
    improving: bool
    # The board's level on the scale last year, and how it moves from year to year.
    level: int = 0
    trend: int = 0
    optimism: int = 0

    def run(self, years: list[tuple[int, Story | None]]) -> None:
        rng = self.rng
        if self.improving:
            self.level, self.trend = rng.choice([3, 3, 4]), 1
        else:
            self.level = rng.choice([3, 4, 4, 5])
            self.trend = rng.choice([0, 0, 0, -1]) if self.level > 3 else 0
        # How much higher than the reps the staff tend to rate their board.
        self.optimism = rng.choice([0, 1, 1, 1, 2])
        for age, (year, story) in enumerate(years):
            if story is not None:
                self._year(year, story, step=age - 1)
        if years[-1][1] is None and self.reps.sign_ins(self.board):
            self._demo_year(years[-1][0])

    # One year

    def _year(self, year: int, story: Story, *, step: int) -> None:
        rng = self.rng
        first, last = self._window(year)
        under_way = year == periods.financial_year_of(self.today) and story in _UNDER_WAY
        times = self._times(first, last, under_way=under_way)
        if story == Story.CLOSED and times.close.date() <= times.deadline:
            story = Story.STAFF_DONE
        scores = self._scores(self.level + self.trend * step)
        # The reps' set: submitted, begun (in most of the rest), or not touched.
        reps_begin = story != Story.STARTED and (story in _REPS_SUBMIT or rng.random() < 0.6)
        rep = None
        if reps_begin:
            rep = self.reps.in_post(self.board, times.reps_save, times.reps_submit, self.lead)
        if rep is None:
            story = _WITHOUT_REPS.get(story, story)
        assessment = services.assessment_start(
            board=self.board,
            financial_year=year,
            by=self.lead,
            reps_deadline=times.deadline,
            now=times.start,
            notify=False,
        )
        if story == Story.STARTED:
            return
        staff, reps = self._perspectives(assessment)
        if story in _STAFF_SUBMIT:
            self._answer(staff, scores[Side.STAFF], by=self.lead, at=times.staff_save)
        else:
            self._answer(staff, scores[Side.STAFF], by=self.lead, at=times.staff_save, part=True)
        if rep is not None:
            part = story not in _REPS_SUBMIT
            self._answer(reps, scores[Side.REPS], by=rep, at=times.reps_save, part=part)
        if story in _STAFF_SUBMIT:
            services.perspective_submit(
                perspective=staff, by=self.lead, now=times.staff_submit, notify=False
            )
        if rep is not None and story in _REPS_SUBMIT:
            services.perspective_submit(
                perspective=reps, by=rep, now=times.reps_submit, notify=False
            )
            self.reps.seen(rep, times.reps_submit)
        if story == Story.CLOSED:
            services.reps_window_close(assessment=assessment, by=self.lead, now=times.close)
        if story in _PUBLISH:
            services.assessment_publish(
                assessment=assessment, by=self.lead, now=times.publish, notify=False
            )
        if story == Story.REOPENED:
            services.assessment_reopen(
                assessment=assessment, by=self.lead, reason=REOPEN_REASON, now=times.reopen
            )
        if story == Story.REPUBLISHED:
            self._correct(assessment, staff, times)

    def _correct(self, assessment: Assessment, staff: Perspective, times: _Times) -> None:
        """Reopen a published assessment to put right the staff's evidence, and publish again."""
        at = times.reopen
        services.assessment_reopen(
            assessment=assessment, by=self.lead, reason=CORRECTION_REASON, now=at
        )
        services.perspective_reopen(
            perspective=staff,
            by=self.lead,
            reason=CORRECTION_PERSPECTIVE_REASON,
            now=at + timedelta(minutes=5),
        )
        area = next(area for area in self.areas if area.code == "3.3")
        services.responses_save(
            perspective=staff,
            answers={area: {"evidence": CORRECTED_EVIDENCE}},
            by=self.lead,
            now=at + timedelta(minutes=20),
        )
        services.perspective_submit(
            perspective=staff, by=self.lead, now=at + timedelta(minutes=25), notify=False
        )
        services.assessment_publish(
            assessment=assessment, by=self.lead, now=times.republish, notify=False
        )

    def _demo_year(self, year: int) -> None:
        """This year on the demo sign-ins' board: open, each side part way through."""
        first, last = self._window(year)
        times = self._times(first, last, under_way=True)
        scores = self._scores(self.level + self.trend)
        assessment = services.assessment_start(
            board=self.board,
            financial_year=year,
            by=self.lead,
            reps_deadline=self.today + timedelta(days=28),
            now=times.start,
        )
        staff, reps = self._perspectives(assessment)
        # The staff lead has scored the first two recommendations and begun the third.
        staff_codes = [area.code for area in self.areas if area.code < "3.4"]
        self._answer(
            staff, scores[Side.STAFF], by=self.lead, at=times.staff_save, codes=staff_codes
        )
        # The reps share one set: one has scored the first recommendation, the other added
        # evidence on expenses and papers, with no score yet.
        signed_in = self.reps.sign_ins(self.board)
        self._answer(
            reps,
            scores[Side.REPS],
            by=signed_in[-1],
            at=times.reps_save,
            codes=[area.code for area in self.areas if area.code < "2"],
        )
        self._answer(
            reps,
            scores[Side.REPS],
            by=signed_in[0],
            at=times.reps_save + timedelta(days=2, hours=8),
            codes=["3.3", "3.4"],
            evidence_only=True,
        )

    # When things happened

    def _window(self, year: int) -> tuple[date, date]:
        """The days an assessment for `year` is worked on: for an earlier year from September
        to March; for this year from its first day to yesterday."""
        if year < periods.financial_year_of(self.today):
            return date(year, 9, 1), date(year + 1, 3, 20)
        first = periods.financial_year_bounds(year)[0]
        return first, max(first, self.today - timedelta(days=1))

    def _times(self, first: date, last: date, *, under_way: bool) -> _Times:
        rng = self.rng
        span = (last - first).days

        def at(fraction: float, hour: int) -> datetime:
            return _at(first + timedelta(days=round(min(fraction, 1) * span)), hour)

        begin = rng.uniform(0.55, 0.75) if under_way else rng.uniform(0.02, 0.15)
        pace = (0.95 - begin) / 6 if under_way else 0.1
        # The hours rise step by step, so the steps keep their order in a short year too.
        times = _Times(
            start=at(begin, 9),
            staff_save=at(begin + pace, 10),
            reps_save=at(begin + 1.5 * pace, 11),
            staff_submit=at(begin + 3 * pace, 12),
            reps_submit=at(begin + 3.5 * pace, 13),
            deadline=at(begin + 4 * pace, 14).date(),
            close=at(begin + 5 * pace, 14),
            publish=at(begin + 5.5 * pace, 15),
            reopen=at(begin + 6.5 * pace, 16),
            republish=at(begin + 7 * pace, 17),
        )
        if under_way:
            times.deadline = self.today + timedelta(days=rng.randint(14, 56))
        return times

    # What each side said

    def _scores(self, level: int) -> dict[str, dict[str, int | None]]:
        """Both sides' scores for every area for development: None where not assessed.

        The reps score from the board's level and each area's leaning; the staff usually a
        point or so higher, and on a few areas two or three points higher.
        """
        rng = self.rng
        reps: dict[str, int | None] = {}
        staff: dict[str, int | None] = {}
        # Not 3.1: whether seats carry a vote is a fact both sides agree on.
        codes = [area.code for area in self.areas if area.code != "3.1"]
        disputed = set(rng.sample(codes, rng.randint(1, 3)))
        for area in self.areas:
            code = area.code
            score = self._reps_score(code, level)
            reps[code] = score
            if code in disputed:
                score = reps[code] = min(score, 4)
                staff[code] = _clamp(score + rng.choice([2, 2, 3]))
            elif code == "3.1":
                staff[code] = score + (1 if score < scoring.HIGHEST and rng.random() < 0.4 else 0)
            else:
                staff[code] = _clamp(score + rng.choice([-1, 0, 0, 1, 1, 1]) + self.optimism // 2)
        for side in (reps, staff):
            if rng.random() < 0.3:
                side[rng.choice(sorted(NOT_ASSESSED))] = None
        return {Side.REPS: reps, Side.STAFF: staff}

    def _reps_score(self, code: str, level: int) -> int:
        if code == "3.1":
            # Reps with a vote see themselves as equal partners; without one, hardly.
            return self.rng.choice([4, 5, 5, 6]) if self.has_vote else self.rng.choice([1, 2, 2])
        leaning = AREA_LEANING.get(code, 0)
        return _clamp(level + leaning + self.rng.choice([-1, 0, 0, 0, 1]))

    def _answer(
        self,
        perspective: Perspective,
        scores: dict[str, int | None],
        *,
        by: User,
        at: datetime,
        part: bool = False,
        codes: list[str] | None = None,
        evidence_only: bool = False,
    ) -> None:
        """Save one side's answers in one go: every area for development, or with `part` some of
        them (a few with evidence and no score yet), or those in `codes`."""
        rng = self.rng
        areas = self.areas
        if codes is not None:
            areas = [area for area in self.areas if area.code in codes]
        elif part:
            areas = rng.sample(self.areas, rng.randint(3, 12))
        carried = {
            response.area_id
            for response in perspective.responses.all()
            if response.action_carried_over
        }
        planned = self._action_plan(areas, scores)
        year_end = periods.financial_year_bounds(perspective.assessment.financial_year)[1]
        answers: dict[AreaForDevelopment, dict[str, Any]] = {}
        for area in areas:
            score = scores[area.code]
            good, weak, actions = EVIDENCE[area.code]
            answer: dict[str, Any] = {}
            if score is None:
                answer["not_assessed"] = True
                answer["not_assessed_reason"] = NOT_ASSESSED[area.code]
            else:
                answer["evidence"] = rng.choice(good if score >= 4 else weak)
                if not evidence_only and not (part and rng.random() < 0.25):
                    answer["score"] = score
            if evidence_only:
                pass
            elif area.pk in planned and not (area.pk in carried and rng.random() < 0.5):
                # A new action, or last year's replaced; the rest of last year's stand as they
                # came across.
                what, who = rng.choice(actions)
                answer["action_what"] = what
                answer["action_who"] = who
                answer["action_by"] = date(year_end.year, rng.choice([6, 9, 12]), 30)
            elif area.pk in carried and area.pk not in planned and rng.random() < 0.7:
                # Done last year: taken off this year's plan.
                answer.update(action_what="", action_who="", action_by=None)
            if area.pk in carried and not evidence_only:
                answer.update(_progress(area, answer))
            answers[area] = answer
        services.responses_save(perspective=perspective, answers=answers, by=by, now=at)
        if perspective.side == Side.REPS:
            self.reps.seen(by, at)

    def _action_plan(
        self, areas: list[AreaForDevelopment], scores: dict[str, int | None]
    ) -> set[int]:
        """The few areas for development a side plans to improve: its weakest, as plans do."""
        rng = self.rng
        weakest = sorted(
            (area for area in areas if (scores[area.code] or scoring.HIGHEST) <= 4),
            key=lambda area: (scores[area.code], rng.random()),
        )
        return {area.pk for area in weakest[: rng.randint(3, 6)]}

    def _perspectives(self, assessment: Assessment) -> tuple[Perspective, Perspective]:
        perspectives = {p.side: p for p in assessment.perspectives.all()}
        return perspectives[Side.STAFF], perspectives[Side.REPS]


# What came of last year's actions, by how far they got. Chosen by the area, not the random
# numbers, so that the rest of the demo stays as it was.
PROGRESS_NOTES = {
    ActionProgress.DONE: (
        "Done, and now part of how the partnership works.",
        "Done: the reps agreed the new arrangement at their forum.",
    ),
    ActionProgress.PARTLY: (
        "Started; the rest is in this year's plan.",
        "Half done: agreed by the board, not yet in place everywhere.",
    ),
    ActionProgress.NOT_DONE: (
        "Not done: a vacancy in the team held it up.",
        "",
    ),
}


def _progress(area: AreaForDevelopment, answer: dict[str, Any]) -> dict[str, str]:
    """How far last year's action for the area got: done where this year's plan dropped it,
    partly or not done where it stands or was replaced."""
    if answer.get("action_what") == "":
        progress = ActionProgress.DONE
    elif "action_what" in answer:
        progress = ActionProgress.NOT_DONE if area.pk % 3 == 0 else ActionProgress.PARTLY
    else:
        progress = ActionProgress.PARTLY
    notes = PROGRESS_NOTES[progress]
    return {
        "last_action_progress": progress,
        "last_action_note": notes[area.pk % len(notes)],
    }


def _clamp(score: int) -> int:
    return max(scoring.LOWEST, min(scoring.HIGHEST, score))
