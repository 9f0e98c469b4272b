"""What the portal already knows about a board's year, set beside each area for development.

More than Equal asks boards to monitor involvement with evidence; much of it is already in the
portal (seats, induction, training, meetings, agenda items, papers, expenses). This module says in
one place which of those figures speak to which area for development (`EVIDENCE`), and reads them
for a board and financial year (`evidence_for`), so nobody types in what the portal knows.

The figures come only from the public selectors of `reps.figures` and `expenses.figures`, each
read once per call, so the number of queries does not grow with the data or with the number of
areas. They are counts and sums: no line names or points at a person.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Final

from django.conf import settings

from expenses.calculations import ZERO, Kind, format_money
from expenses.figures import SpendFigures, spend_figures
from portal.core.models import Board
from reps import rules
from reps.figures import InvolvementFigures, equality_aggregates, involvement_figures
from reps.models import AgendaItem, Attendance, Rep

__all__ = [
    "EVIDENCE",
    "NONE_YET",
    "Evidence",
    "EvidenceLine",
    "PortalFigures",
    "evidence_for",
    "portal_figures",
]

# What a line says when the portal has nothing to count yet (no meetings, no claims paid...).
NONE_YET: Final = "none yet"


@dataclass(frozen=True)
class PortalFigures:
    """Everything the evidence lines read, gathered once for a board and financial year."""

    involvement: InvolvementFigures
    spend: SpendFigures
    # Reps with an equality monitoring record, as the suppressed display ("fewer than 5"):
    # a small count could point at someone.
    equality_answered: str


@dataclass(frozen=True)
class Evidence:
    """One figure offered as evidence: its label as a page shows it, and how to read its value.

    `read` gives the formatted value, or None when there is nothing to count yet.
    """

    label: str
    read: Callable[[PortalFigures], str | None]


@dataclass(frozen=True)
class EvidenceLine:
    """One line of evidence as a page shows it: "Seats filled by staff instead of a rep: 1"."""

    label: str
    value: str

    def __str__(self) -> str:
        return f"{self.label}: {self.value}"


# Formatting: money as money, percentages to one decimal place, None for "none yet"


def _count(number: int) -> str:
    return str(number)


def _of(part: int, whole: int, noun: str = "") -> str | None:
    """ "3 of 12 meetings"; None when there is no whole to count against."""
    if whole == 0:
        return None
    return f"{part} of {whole} {noun}".rstrip()


def _of_with_percent(part: int, whole: int, percent: Decimal | None) -> str | None:
    """ "6 of 8 (75.0%)"."""
    if whole == 0 or percent is None:
        return None
    return f"{part} of {whole} ({_percent(percent)})"


def _percent(value: Decimal) -> str:
    return f"{value:.1f}%"


def _money(value: Decimal) -> str:
    return format_money(value)


def _days(value: Decimal | int | None) -> str | None:
    if value is None:
        return None
    number = Decimal(value).normalize()
    return f"{number:f} day" if number == 1 else f"{number:f} days"


def _hours(value: Decimal) -> str:
    return f"{value:.1f}"


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


# Readers that need more than one field


def _attendance(figures: PortalFigures) -> str | None:
    """Places at meetings taken by the rep or their deputy, of the places recorded."""
    involvement = figures.involvement
    present = involvement.attendance.get(Attendance.Status.ATTENDED, 0) + (
        involvement.attendance.get(Attendance.Status.DEPUTY_ATTENDED, 0)
    )
    return _of_with_percent(
        present, involvement.attendance_recorded, involvement.attendance_percent
    )


def _agenda_items(figures: PortalFigures) -> str | None:
    """ "4 (2 accepted, 1 deferred, 0 declined, 1 awaiting a decision)"."""
    items = figures.involvement.agenda_items
    total = figures.involvement.agenda_items_total
    if total == 0:
        return None
    parts = [
        f"{items.get(AgendaItem.Status.ACCEPTED, 0)} accepted",
        f"{items.get(AgendaItem.Status.DEFERRED, 0)} deferred",
        f"{items.get(AgendaItem.Status.DECLINED, 0)} declined",
        f"{items.get(AgendaItem.Status.SUBMITTED, 0)} awaiting a decision",
    ]
    return f"{total} ({', '.join(parts)})"


def _role_description(figures: PortalFigures) -> str:
    involvement = figures.involvement
    if involvement.role_description == "board":
        if involvement.role_description_public:
            return "The board's own, shown on its public page"
        return "The board's own"
    if involvement.role_description == "national":
        return "The national one only"
    return "No"


def _involvement_payments(figures: PortalFigures) -> str:
    return _money(figures.spend.by_kind.get(Kind.INVOLVEMENT, ZERO))


# The mapping: which figures are evidence for which area for development.
#
# Codes as the framework file numbers them (1.1 to 4.4). An area maps to an empty tuple where
# what it asks for is not something the portal records, so any figure shown there would suggest
# evidence the board has not got; the comment beside it says why.

_SEATS_VACANT = Evidence(
    "Rep seats vacant", lambda f: _of(f.involvement.vacancies, f.involvement.seats)
)
_SEATS = Evidence("Rep seats on the board and its groups", lambda f: _count(f.involvement.seats))
_TRAINING_SPEND = Evidence(
    "Spent on reps' training", lambda f: _money(f.involvement.training_spend)
)


def _budget(budget: Decimal | None) -> str:
    return "Not set" if budget is None else _money(budget)


def _spent_of(spent: Decimal, budget: Decimal | None) -> str | None:
    """ "£1,240.00 of £2,000.00 (62.0%)"; None with no budget to set it against."""
    share = rules.budget_spent(spent, budget)
    if budget is None or share is None:
        return None
    return f"{_money(spent)} of {_money(budget)} ({_percent(share)})"


EVIDENCE: Final[dict[str, tuple[Evidence, ...]]] = {
    # Recruitment and representativeness: seats left empty, seats held by staff rather than
    # carers or people with lived experience, whether representation is being monitored, and
    # who came forward from the board's public page.
    "1.1": (
        _SEATS_VACANT,
        Evidence(
            "Seats filled by staff instead of a rep",
            lambda f: _count(f.involvement.staff_filled_seats),
        ),
        Evidence("Reps taking part in equality monitoring (today)", lambda f: f.equality_answered),
        Evidence(
            "Expressions of interest received in the year",
            lambda f: _count(f.involvement.interest_received),
        ),
        Evidence(
            "People appointed from an expression of interest in the year",
            lambda f: _count(f.involvement.interest_appointed),
        ),
    ),
    # The role and remit: a role description reps can read in the portal, and what the board
    # says of each seat on its public page (how often it meets, where, the time it takes).
    "1.2": (
        Evidence("Role description for reps in the portal (today)", _role_description),
        Evidence(
            "Seats the board describes on its public page",
            lambda f: _of(f.involvement.seats_described, f.involvement.seats),
        ),
    ),
    # Induction for the terms that started in the year; terms ending in it, and ending early,
    # are what succession planning has to cover: whether a successor was appointed, whether
    # those who left had an exit interview and handed over, and how many reps serve longer than
    # the usual two terms.
    "1.3": (
        Evidence(
            "Induction checklist items done, for terms starting in the year",
            lambda f: _of_with_percent(
                f.involvement.induction_done,
                f.involvement.induction_total,
                f.involvement.induction_percent,
            ),
        ),
        Evidence("Terms ending in the year", lambda f: _count(f.involvement.terms_ending)),
        Evidence("Terms ended early", lambda f: _count(f.involvement.terms_ended_early)),
        Evidence(
            "Terms ending in the year with a successor appointed",
            lambda f: _of(
                f.involvement.terms_ending_with_successor,
                f.involvement.terms_ending_in_seats_going_on,
            ),
        ),
        Evidence(
            "Exit interviews held, for terms that ended in the year",
            lambda f: _of(f.involvement.exit_interviews_held, f.involvement.terms_ended),
        ),
        Evidence(
            "Handovers to the next rep recorded, for terms that ended in the year",
            lambda f: _of(f.involvement.handovers_recorded, f.involvement.terms_ended),
        ),
        Evidence(
            "Reps in a third term or later", lambda f: _count(f.involvement.reps_beyond_usual_terms)
        ),
    ),
    # Reps' places on the board and its planning groups, and whether they get to take them up.
    "1.4": (
        _SEATS,
        Evidence("Meetings held", lambda f: _count(f.involvement.meetings)),
        Evidence("Places at meetings taken by the rep or a deputy", _attendance),
    ),
    # Wider involvement structures (Carers Voice groups, networks) are not recorded; the notice
    # reps get to consult them is shown under 3.3.
    "2.1": (),
    # The pool beyond the reps who hold seats, for strategic groups and peer support, and
    # whether the seats rest on a few reps holding several each.
    "2.2": (
        Evidence(
            "People in the board's pool for strategic groups and peer support",
            lambda f: _count(f.involvement.pool_size),
        ),
        Evidence(
            "Reps holding more than one seat",
            lambda f: _of(f.involvement.reps_in_several_seats, f.involvement.reps_in_post),
        ),
    ),
    # The portal records reps' training, not training given to IJB members and partners.
    "2.3": (),
    # Training for reps, the budget spent on it, and the training and support reps asked for.
    "2.4": (
        Evidence("Training sessions for reps", lambda f: _count(f.involvement.training_count)),
        Evidence("Hours of training for reps", lambda f: _hours(f.involvement.training_hours)),
        _TRAINING_SPEND,
        Evidence("Training budget for reps", lambda f: _budget(f.involvement.training_budget)),
        Evidence(
            "Training budget spent",
            lambda f: _spent_of(f.involvement.training_spend, f.involvement.training_budget),
        ),
        Evidence(
            "Reps in post whose training and support needs were discussed in the year",
            lambda f: _of(f.involvement.reps_needs_discussed, f.involvement.reps_in_post),
        ),
        Evidence(
            "Requests from reps for training or support",
            lambda f: _count(f.involvement.support_asked),
        ),
        Evidence(
            "Requests answered",
            lambda f: _of(f.involvement.support_answered, f.involvement.support_asked),
        ),
        Evidence(
            "Requests arranged",
            lambda f: _of(f.involvement.support_arranged, f.involvement.support_asked),
        ),
    ),
    # National networks and policy discussions happen outside the portal.
    "2.5": (),
    # Equal partners: how many of the reps' seats carry a vote.
    "3.1": (
        Evidence(
            "Rep seats with a vote", lambda f: _of(f.involvement.voting_seats, f.involvement.seats)
        ),
    ),
    # Items reps placed on agendas, what became of them, and whether the outcome was recorded.
    "3.2": (
        Evidence("Agenda items raised by reps", _agenda_items),
        Evidence(
            "Agenda items with an outcome recorded",
            lambda f: _of(
                f.involvement.agenda_items_with_outcome, f.involvement.agenda_items_total
            ),
        ),
    ),
    # Papers sent on time: late against the board's own standard, and the notice reps got.
    "3.3": (
        Evidence(
            "Papers issued late",
            lambda f: _of(
                f.involvement.meetings_with_late_papers,
                f.involvement.meetings_with_papers_date,
                "meetings",
            ),
        ),
        Evidence("Median notice of papers", lambda f: _days(f.involvement.median_notice_days)),
        Evidence(
            "The board's standard notice for papers",
            lambda f: _days(f.involvement.papers_notice_standard),
        ),
    ),
    # The expenses policy published, replacement care paid (to reps, or arranged by the
    # partnership), and how quickly claims are paid.
    "3.4": (
        Evidence("Expenses policy published", lambda f: _yes_no(f.spend.policy_published)),
        Evidence("Replacement care paid to reps", lambda f: _money(f.spend.replacement_care)),
        Evidence(
            "Replacement care arranged and paid by the partnership",
            lambda f: _money(f.spend.replacement_care_arranged),
        ),
        Evidence("Claims paid", lambda f: _count(f.spend.claims_paid)),
        Evidence("Median days from claim to payment", lambda f: _days(f.spend.median_days_to_pay)),
    ),
    # Payment for reps' time, where the board offers it.
    "3.5": (Evidence("Involvement payments for reps' time", _involvement_payments),),
    # Impact assessments of plans and policies are not recorded.
    "3.6": (),
    # Ongoing support: pre-meetings to go through the papers, one of the report's examples.
    "3.7": (
        Evidence(
            "Meetings with a pre-meeting for reps",
            lambda f: _of(f.involvement.meetings_with_pre_meeting, f.involvement.meetings),
        ),
    ),
    # Evaluation and Annual Performance Reports are written outside the portal.
    "4.1": (),
    # National outcomes and indicators are not held in the portal.
    "4.2": (),
    # Spend on supporting reps, reported transparently.
    "4.3": (
        Evidence(
            "Paid in reps' expenses, including replacement care",
            lambda f: _money(f.spend.total),
        ),
        Evidence("Budget for reps' expenses", lambda f: _budget(f.involvement.expenses_budget)),
        Evidence(
            "Expenses budget spent",
            lambda f: _spent_of(f.spend.total, f.involvement.expenses_budget),
        ),
        _TRAINING_SPEND,
    ),
    # The annual review is this self-assessment itself.
    "4.4": (),
}


def portal_figures(
    board: Board, financial_year: int, *, today: date | None = None
) -> PortalFigures:
    """Read each figures selector once for `board` and `financial_year`."""
    equality = equality_aggregates(
        Rep.objects.filter(board=board), threshold=settings.SUPPRESSION_THRESHOLD
    )
    return PortalFigures(
        involvement=involvement_figures(board, financial_year, today=today),
        spend=spend_figures(board, financial_year),
        equality_answered=equality.answered,
    )


def evidence_for(
    board: Board, financial_year: int, *, today: date | None = None
) -> dict[str, list[EvidenceLine]]:
    """The evidence lines for each area for development, by code, in the framework's order.

    Every code in `EVIDENCE` is present, with an empty list where the portal holds nothing for
    it. A figure with nothing to count yet reads "none yet".
    """
    figures = portal_figures(board, financial_year, today=today)
    return {
        code: [
            EvidenceLine(evidence.label, evidence.read(figures) or NONE_YET)
            for evidence in evidences
        ]
        for code, evidences in EVIDENCE.items()
    }
