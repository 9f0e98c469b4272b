"""What the reps record holds about one rep, for their own download ("Your data").

`KINDS` says what each file holds without reading the database; `held_about` reads the rep's
records, one query for each kind however many there are: the rep's details, calendar address
and equality answers come in one, and the answers given with an expression of interest come
with it.
"""

from django.db.models import Model, QuerySet

from portal.core.personal_data import Held, Kind, acted
from reps.models import (
    AgendaItem,
    Attendance,
    EqualityRecord,
    ExpressionOfInterest,
    InductionItem,
    NeedsConversation,
    Rep,
    SupportRequest,
    Term,
    Training,
    UsualJourney,
)

# Every field of the rep record, with the heading the rep reads it under. The account linked to
# the record (the field `user`) has columns of its own, `ACCOUNT_HEADINGS`. A field added to
# `Rep` and not named here fails the tests, so the download never quietly leaves one out.
REP_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "Record number"),
    ("board", "Board"),
    ("full_name", "Name"),
    ("rep_type", "Kind of rep"),
    ("email", "Email address"),
    ("phone", "Phone number"),
    ("address", "Address"),
    ("postcode_area", "Postcode area"),
    ("filled_by_staff", "A member of staff fills this role"),
    *((field, f"Support needed: {label}") for field, label in Rep.ACCESS_NEEDS),
    ("needs_other", "Other support needed"),
    *((field, f"Contact by {label.lower()}") for field, label in Rep.CONTACT_PREFERENCES),
    ("involvement_payment_opt_in", "Asked to be paid for your time"),
    ("listed_publicly", "Name shown on the board's public page"),
    ("anonymised_on", "Personal details removed on"),
)
ACCOUNT_HEADINGS = (
    "Portal account email address",
    "Name on your portal account",
    "Second sign-in step turned on",
    "Portal account made",
    "Last signed in",
)

DETAILS = Kind(
    "Your details",
    "your-details.csv",
    "Everything your rep record holds: your name, the kind of rep you are, your contact "
    "details, the support you need, how you want to be contacted, and your choices about "
    "payment for your time and about your name being shown. Also your board, and your portal "
    "account's email address and name.",
    (*(heading for _, heading in REP_COLUMNS), *ACCOUNT_HEADINGS),
)
JOURNEYS = Kind(
    "Your usual journeys",
    "usual-journeys.csv",
    "The journeys you saved for expense claims to offer.",
    ("From", "To", "Miles, one way"),
)
TERMS = Kind(
    "Your terms",
    "terms.csv",
    "Each time you were appointed to a seat, with the seat and its group, the dates, how you "
    "were recruited, what you said you would like when it ends, and what was recorded when the "
    "term ended.",
    (
        "Group",
        "Seat",
        "Kind of seat",
        "Seat carries a vote",
        "Started",
        "Planned end",
        "Ended on",
        "Why the term ended early",
        "How you were recruited",
        "Exit interview held",
        "Handover notes",
        "Handed over to the next rep",
        "What you would like when the term ends",
        "Happy to help whoever follows",
        "Said on",
    ),
)
INDUCTION = Kind(
    "Your induction checklists",
    "induction-checklist.csv",
    "Each item on each term's induction checklist, whether it is done, when, and who marked "
    "it done.",
    ("Seat", "Term started", "Item", "Done", "Done on", "Marked done by"),
)
TRAINING = Kind(
    "Your training",
    "training.csv",
    "The courses on record for you, with their hours and cost.",
    ("Course", "Date", "Provider", "Hours", "Cost (£)"),
)
SUPPORT_REQUESTS = Kind(
    "Training and support you asked for",
    "training-and-support-requests.csv",
    "Each request you made, or staff recorded for you, and the answer you were given.",
    ("Asked on", "Kind", "What would help", "Anything else", "Status", "Answered on", "Answer"),
)
CONVERSATIONS = Kind(
    "Conversations about your training and support needs",
    "needs-conversations.csv",
    "Each conversation staff recorded having with you about the training and support you need, "
    "and what was agreed.",
    ("Date", "What was agreed"),
)
MEETINGS = Kind(
    "Your meetings",
    "meeting-attendance.csv",
    "Each meeting where your attendance was recorded, and what was recorded: attended, sent "
    "apologies, absent, or deputy attended.",
    ("Meeting date", "Start time", "Group", "Venue", "What was recorded"),
)
AGENDA_ITEMS = Kind(
    "Items you put on agendas",
    "agenda-items.csv",
    "Each item put forward in your name for a meeting's agenda, the decision on it and what "
    "came of it.",
    (
        "Meeting date",
        "Group",
        "Item",
        "More about it",
        "Decision",
        "Time given (minutes)",
        "What came of it",
    ),
)
EQUALITY = Kind(
    "Your equality monitoring answers",
    "equality-monitoring.csv",
    "Your answers to the optional equality monitoring questions, and when you agreed that the "
    "portal may keep them: those you gave as a rep, and any you gave when you said you were "
    "interested.",
    ("Given", "When you agreed", *(question for _, question in EqualityRecord.QUESTIONS)),
    when_none=(
        "The portal holds no equality monitoring answers from you: you have not answered the "
        "questions, or you withdrew your consent and your answers were deleted. So there is "
        "no file for them."
    ),
)
INTEREST = Kind(
    "Your expression of interest",
    "expressions-of-interest.csv",
    "What you sent on the board's \"I'm interested\" form before you were appointed, and the "
    "notes staff made as they followed it up.",
    (
        "Board",
        "Received",
        "Name",
        "Email address",
        "Phone number",
        "Role you were interested in",
        "Support you said you need",
        "Agreed to be contacted",
        "Where it got to",
        "Staff's notes",
        "Agreed to join the pool",
        "In the pool since",
        "Appointed on",
        "Name and contact details removed on",
    ),
)
CALENDAR = Kind(
    "Your calendar address",
    "calendar-address.csv",
    "Whether you have a secret address for your meetings calendar, and when it was made. The "
    "address itself is left out: anyone who has it can see your meetings.",
    ("You have a calendar address", "Made"),
)

KINDS = (
    DETAILS,
    JOURNEYS,
    TERMS,
    INDUCTION,
    TRAINING,
    SUPPORT_REQUESTS,
    MEETINGS,
    AGENDA_ITEMS,
    EQUALITY,
    INTEREST,
    CALENDAR,
)


def held_about(rep: Rep) -> list[Held]:
    """The rep's records of each of `KINDS`, in that order."""
    # Read again with what hangs off it one to one: one query for three of the kinds.
    rep = Rep.objects.select_related("board", "user", "calendar_feed", "equality_record").get(
        pk=rep.pk
    )
    interests = list(_interests(rep))
    return [
        Held(DETAILS, (_details(rep),)),
        Held(
            JOURNEYS,
            tuple(
                (journey.from_area, journey.venue, journey.miles)
                for journey in UsualJourney.objects.filter(rep=rep).order_by("from_area", "venue")
            ),
        ),
        Held(TERMS, tuple(_term(term) for term in _terms(rep))),
        Held(INDUCTION, tuple(_induction_item(item, rep) for item in _induction_items(rep))),
        Held(
            TRAINING,
            tuple(
                (course.course, course.date, course.provider, course.hours, course.cost)
                for course in Training.objects.filter(rep=rep).order_by("date", "pk")
            ),
        ),
        Held(
            SUPPORT_REQUESTS,
            tuple(
                (
                    support.asked_on,
                    support.get_kind_display(),
                    support.what,
                    support.details,
                    support.get_status_display(),
                    support.answered_on,
                    support.answer,
                )
                for support in SupportRequest.objects.filter(rep=rep).order_by("asked_on", "pk")
            ),
        ),
        Held(
            CONVERSATIONS,
            tuple(
                (conversation.held_on, conversation.agreed)
                for conversation in NeedsConversation.objects.filter(rep=rep).order_by(
                    "held_on", "pk"
                )
            ),
        ),
        Held(MEETINGS, tuple(_attendance(attendance) for attendance in _attendance_of(rep))),
        Held(AGENDA_ITEMS, tuple(_agenda_item(item) for item in _agenda_items(rep))),
        Held(EQUALITY, _equality(rep, interests)),
        Held(INTEREST, tuple(_interest(interest) for interest in interests)),
        Held(CALENDAR, (_calendar(rep),)),
    ]


def _details(rep: Rep) -> tuple[object, ...]:
    user = rep.user
    account = (
        (user.email, user.full_name, user.mfa_enabled, user.date_joined, user.last_login)
        if user is not None
        else ("",) * len(ACCOUNT_HEADINGS)
    )
    return (*(_field_value(rep, name) for name, _ in REP_COLUMNS), *account)


def _field_value(rep: Rep, name: str) -> object:
    """A field of the rep record as the rep's own pages show it: a choice in words, the board
    by name."""
    display = getattr(rep, f"get_{name}_display", None)
    if display is not None:
        return display()
    value = getattr(rep, name)
    return str(value) if isinstance(value, Model) else value


def _terms(rep: Rep) -> QuerySet[Term]:
    return Term.objects.filter(rep=rep).select_related("seat", "seat__group").order_by("start")


def _term(term: Term) -> tuple[object, ...]:
    seat = term.seat
    return (
        seat.group.name,
        seat.title,
        seat.get_kind_display(),
        seat.voting,
        term.start,
        term.planned_end,
        term.ended_on,
        term.ended_early_reason,
        term.get_how_recruited_display(),
        term.exit_interview_held,
        term.handover_notes,
        # Whether, not to whom: the rep who took over is someone else, with data of their own.
        term.handed_over_to_id is not None,
        term.get_afterwards_display(),
        term.will_help_successor,
        term.afterwards_said_on,
    )


def _induction_items(rep: Rep) -> QuerySet[InductionItem]:
    return (
        InductionItem.objects.filter(term__rep=rep)
        .select_related("term__seat", "done_by")
        .order_by("term__start", "order", "title")
    )


def _induction_item(item: InductionItem, rep: Rep) -> tuple[object, ...]:
    return (
        item.term.seat.title,
        item.term.start,
        item.title,
        item.done,
        item.done_on,
        acted(item.done_by, own_user_id=rep.user_id),
    )


def _attendance_of(rep: Rep) -> QuerySet[Attendance]:
    return (
        Attendance.objects.filter(rep=rep)
        .select_related("meeting", "meeting__group")
        .order_by("meeting__date", "meeting__pk")
    )


def _attendance(attendance: Attendance) -> tuple[object, ...]:
    meeting = attendance.meeting
    return (
        meeting.date,
        meeting.start_time.strftime("%H:%M") if meeting.start_time else "",
        meeting.group.name,
        meeting.venue,
        attendance.get_status_display(),
    )


def _agenda_items(rep: Rep) -> QuerySet[AgendaItem]:
    return (
        AgendaItem.objects.filter(rep=rep)
        .select_related("meeting", "meeting__group")
        .order_by("meeting__date", "pk")
    )


def _agenda_item(item: AgendaItem) -> tuple[object, ...]:
    return (
        item.meeting.date,
        item.meeting.group.name,
        item.title,
        item.details,
        item.get_status_display(),
        item.minutes_given,
        item.outcome,
    )


def _equality(rep: Rep, interests: list[ExpressionOfInterest]) -> tuple[tuple[object, ...], ...]:
    """The rep's own answers, and those given with an expression of interest that led to their
    appointment: both are about them."""
    given = [("As a rep", getattr(rep, "equality_record", None))]
    given += [
        ("When you said you were interested", getattr(interest, "equality_record", None))
        for interest in interests
    ]
    return tuple(
        (
            when,
            record.consent_given_at,
            *(
                getattr(record, f"get_{name}_display")() or "Not answered"
                for name, _ in EqualityRecord.QUESTIONS
            ),
        )
        for when, record in given
        if record is not None
    )


def _interests(rep: Rep) -> QuerySet[ExpressionOfInterest]:
    return (
        ExpressionOfInterest.objects.filter(rep=rep)
        .select_related("board", "equality_record")
        .order_by("created_at", "pk")
    )


def _interest(interest: ExpressionOfInterest) -> tuple[object, ...]:
    return (
        interest.board.name,
        interest.created_at,
        interest.full_name,
        interest.email,
        interest.phone,
        interest.get_role_display() or "Not sure yet",
        interest.support_needed,
        interest.consent_to_contact,
        interest.get_status_display(),
        interest.notes,
        interest.pool_consent,
        interest.in_pool_since,
        interest.appointed_on,
        interest.anonymised_on,
    )


def _calendar(rep: Rep) -> tuple[object, ...]:
    # The token is left out on purpose: it is the feed's only key, and a copy of the download
    # left on a shared computer would otherwise let anyone follow the rep's meetings.
    feed = getattr(rep, "calendar_feed", None)
    return (feed is not None, feed.created_at if feed is not None else None)
