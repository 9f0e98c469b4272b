"""Who may see and change reps, seats, terms, meetings and training: the one place for reps objects.

Every listing starts from one of these querysets, and every object a view touches comes from one
of these fetchers, which fetch and authorise in one step:

- `get_*_for_staff` fetch to read: an object outside the staff member's boards answers 404, so a
  guessed URL does not even reveal that it exists.
- `get_*_to_manage` fetch to change: 404 outside the boards as above, and 403 when the person can
  see the object but does not hold `Permission.MANAGE_REPS` on its board. A view that changes
  something uses one of these, so it cannot read with one check and forget the other.

`reps.services` checks the same predicates (`may_manage_reps`, `may_act_for_rep`) again, so the
rule holds for imports, the admin, commands and the demo too.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from portal.core.access import (
    Permission,
    boards_for,
    boards_with_permission,
    has_board_permission,
    staff_boards,
    staff_to_email,
)
from portal.core.models import Board, User
from reps.models import (
    AgendaItem,
    CalendarFeed,
    Document,
    ExpressionOfInterest,
    Group,
    InductionItemTemplate,
    Meeting,
    Rep,
    Seat,
    SupportRequest,
    Term,
    Training,
    UsualJourney,
)
from reps.selectors import meetings_for_rep

# Who may do what


def may_manage_reps(user: User, board: Board) -> bool:
    """Whether `user` may change the reps record of `board`.

    Staff who hold `Permission.MANAGE_REPS` there may; so may administrators, who bring records in
    through the admin for every board.
    """
    if user.role == User.Role.ADMINISTRATOR:
        return True
    return has_board_permission(user, board, Permission.MANAGE_REPS)


def require_manage_reps(user: User, board: Board) -> None:
    if not may_manage_reps(user, board):
        raise PermissionDenied


def may_act_for_rep(user: User, rep: Rep) -> bool:
    """Whether `user` may change what a rep keeps for themselves: their details, journeys, answers.

    The rep's own account may; so may whoever may manage reps on the rep's board.
    """
    if rep.user_id is not None and rep.user_id == user.pk:
        return True
    return may_manage_reps(user, rep.board)


def require_act_for_rep(user: User, rep: Rep) -> None:
    if not may_act_for_rep(user, rep):
        raise PermissionDenied


def require_submit_agenda_item(user: User, meeting: Meeting, rep: Rep | None) -> None:
    """A rep may put an item forward for a meeting of their own board; staff who may manage reps
    there may put one forward for anyone, or for the reps together (`rep` None)."""
    own = (
        rep is not None
        and rep.user_id is not None
        and rep.user_id == user.pk
        and rep.board_id == meeting.board_id
    )
    if not own and not may_manage_reps(user, meeting.board):
        raise PermissionDenied


def boards_managed_by(user: User) -> QuerySet[Board]:
    """Boards where a staff member may change the reps record (none for anyone else)."""
    return boards_with_permission(user, Permission.MANAGE_REPS)


def get_boards_to_manage(user: User) -> QuerySet[Board]:
    """Boards where the staff member may add records; 403 when there are none."""
    boards = boards_managed_by(user)
    if not boards.exists():
        raise PermissionDenied
    return boards


def boards_for_import(user: User) -> QuerySet[Board]:
    """Boards whose records the user may bring in from a spreadsheet or take out as one.

    Staff may do it for the boards where they manage reps; administrators, through the admin,
    for every board.
    """
    if user.role == User.Role.ADMINISTRATOR:
        return Board.objects.all()
    return boards_managed_by(user)


# Reps as a whole


def reps_for(user: User) -> QuerySet[Rep]:
    if user.role == User.Role.REP:
        return Rep.objects.filter(user=user)
    return Rep.objects.filter(board__in=boards_for(user))


def account_holds_a_rep(user: User) -> bool:
    """Whether a portal account is already linked to a rep record: each account is one person's."""
    return Rep.objects.filter(user=user).exists()


def reps_to_invite(reps: QuerySet[Rep]) -> QuerySet[Rep]:
    """Those of `reps` an invitation can reach: with an email address and no portal account."""
    return reps.filter(user__isnull=True).exclude(email="")


# Staff screens: fetch to read (404 outside the staff member's boards) ...


def get_rep_for_staff(user: User, pk: int) -> Rep:
    return get_object_or_404(
        Rep.objects.filter(board__in=staff_boards(user)).select_related("board", "user"), pk=pk
    )


def get_group_for_staff(user: User, pk: int) -> Group:
    return get_object_or_404(
        Group.objects.filter(board__in=staff_boards(user)).select_related("board"), pk=pk
    )


def get_seat_for_staff(user: User, pk: int) -> Seat:
    return get_object_or_404(
        Seat.objects.filter(board__in=staff_boards(user)).select_related("board", "group"),
        pk=pk,
    )


def get_term_for_staff(user: User, pk: int) -> Term:
    """A term with its end and number worked out, as every page about one term shows them."""
    return get_object_or_404(
        Term.objects.filter(seat__board__in=staff_boards(user))
        .with_end()
        .with_number()
        .select_related("rep", "seat", "seat__group", "seat__board", "handed_over_to"),
        pk=pk,
    )


def get_meeting_for_staff(user: User, pk: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.filter(board__in=staff_boards(user)).select_related("board", "group"),
        pk=pk,
    )


def get_agenda_item_for_staff(user: User, pk: int) -> AgendaItem:
    return get_object_or_404(
        AgendaItem.objects.filter(meeting__board__in=staff_boards(user)).select_related(
            "rep", "meeting", "meeting__board", "meeting__group"
        ),
        pk=pk,
    )


def get_support_request_for_staff(user: User, pk: int) -> SupportRequest:
    return get_object_or_404(
        SupportRequest.objects.filter(rep__board__in=staff_boards(user)).select_related(
            "rep__board", "rep__user"
        ),
        pk=pk,
    )


# ... and fetch to change (404 outside them, 403 without "manage reps" on the object's board).


def get_rep_to_manage(user: User, pk: int) -> Rep:
    rep = get_rep_for_staff(user, pk)
    require_manage_reps(user, rep.board)
    return rep


def get_training_to_manage(user: User, rep_pk: int, pk: int) -> Training:
    """One training record of the rep `rep_pk`, with the rep; both must be on the staff's
    boards (404), and the staff must manage reps there (403)."""
    rep = get_rep_for_staff(user, rep_pk)
    training = get_object_or_404(Training.objects.filter(rep=rep), pk=pk)
    require_manage_reps(user, rep.board)
    training.rep = rep
    return training


def get_support_request_to_manage(user: User, pk: int) -> SupportRequest:
    request = get_support_request_for_staff(user, pk)
    require_manage_reps(user, request.rep.board)
    return request


def get_usual_journey_to_manage(user: User, rep_pk: int, pk: int) -> UsualJourney:
    """One usual journey of the rep `rep_pk`, with the rep; both must be on the staff's boards."""
    rep = get_rep_for_staff(user, rep_pk)
    journey = get_object_or_404(UsualJourney.objects.filter(rep=rep), pk=pk)
    require_manage_reps(user, rep.board)
    journey.rep = rep
    return journey


def get_group_to_manage(user: User, pk: int) -> Group:
    group = get_group_for_staff(user, pk)
    require_manage_reps(user, group.board)
    return group


def get_seat_to_manage(user: User, pk: int) -> Seat:
    seat = get_seat_for_staff(user, pk)
    require_manage_reps(user, seat.board)
    return seat


def get_term_to_manage(user: User, pk: int) -> Term:
    term = get_term_for_staff(user, pk)
    require_manage_reps(user, term.seat.board)
    return term


def get_meeting_to_manage(user: User, pk: int) -> Meeting:
    meeting = get_meeting_for_staff(user, pk)
    require_manage_reps(user, meeting.board)
    return meeting


def get_agenda_item_to_manage(user: User, pk: int) -> AgendaItem:
    item = get_agenda_item_for_staff(user, pk)
    require_manage_reps(user, item.meeting.board)
    return item


# Recruitment: the public board pages, and expressions of interest for the board's staff.
#
# Expressions of interest hold the contact details of members of the public who are not reps,
# so only staff who recruit, those with "manage reps" on the board, may read them as well as
# change them: other staff of the board get 403, staff of other boards 404.


def get_board_public(slug: str) -> Board:
    """Any of the 31 boards, for its public page: which boards exist is public fact. Its
    settings come with it: the page names the board's contact."""
    return get_object_or_404(Board.objects.select_related("rep_settings"), slug=slug)


def get_board_to_manage(user: User, slug: str) -> Board:
    """One of the staff member's boards (404 for any other) where they manage reps (else 403)."""
    board = get_object_or_404(staff_boards(user), slug=slug)
    require_manage_reps(user, board)
    return board


def get_induction_template_to_manage(user: User, slug: str, pk: int) -> InductionItemTemplate:
    """One of the board's own induction items (404 for a national item or another board's),
    for staff who manage reps there (403)."""
    board = get_board_to_manage(user, slug)
    template = get_object_or_404(
        InductionItemTemplate.objects.filter(board=board).select_related("document"), pk=pk
    )
    template.board = board
    return template


def interests_for(user: User) -> QuerySet[ExpressionOfInterest]:
    """Expressions of interest on the boards where the staff member manages reps."""
    return ExpressionOfInterest.objects.filter(board__in=boards_managed_by(user))


def get_interest_to_manage(user: User, pk: int) -> ExpressionOfInterest:
    interest = get_object_or_404(
        ExpressionOfInterest.objects.filter(board__in=staff_boards(user)).select_related(
            "board", "rep"
        ),
        pk=pk,
    )
    require_manage_reps(user, interest.board)
    return interest


def rep_managers_to_email(board: Board) -> QuerySet[User]:
    """The board's staff who manage reps, with an account that is switched on and an email
    address: who hears of an item a rep put forward, and of a new expression of interest when the
    board has named no contact email."""
    return staff_to_email(board, Permission.MANAGE_REPS)


# Documents: a board's own, which its staff who manage reps upload and change, and national ones
# (no board), which only administrators add and every board's reps and staff read. Another
# board's document answers 404, to staff and reps alike.


def may_manage_document(user: User, document: Document) -> bool:
    board = document.board
    if board is None:
        return user.role == User.Role.ADMINISTRATOR
    return may_manage_reps(user, board)


def require_manage_document(user: User, document: Document) -> None:
    if not may_manage_document(user, document):
        raise PermissionDenied


def documents_for_staff(user: User) -> QuerySet[Document]:
    """The documents of the staff member's boards, and the national ones."""
    return Document.objects.filter(Q(board__in=staff_boards(user)) | Q(board__isnull=True))


def get_document_for_staff(user: User, pk: int) -> Document:
    return get_object_or_404(documents_for_staff(user).select_related("board"), pk=pk)


def get_document_to_manage(user: User, pk: int) -> Document:
    """404 outside the staff member's boards; 403 for a national document, or without "manage
    reps" on the document's board."""
    document = get_document_for_staff(user, pk)
    require_manage_document(user, document)
    return document


def documents_for_board(board: Board) -> QuerySet[Document]:
    """The documents a checklist item of the board may point at: the board's and national ones."""
    return Document.objects.filter(Q(board=board) | Q(board__isnull=True)).order_by("title")


def documents_for_rep(rep: Rep) -> QuerySet[Document]:
    """What a rep reads: their board's documents and the national ones."""
    return Document.objects.filter(Q(board_id=rep.board_id) | Q(board__isnull=True))


def get_document_for_rep(rep: Rep, pk: int) -> Document:
    """One of the rep's documents (`rep` from `own_rep_required`); any other board's is 404."""
    return get_object_or_404(documents_for_rep(rep), pk=pk)


def public_documents(board: Board) -> QuerySet[Document]:
    """What the board's public page links: its public documents and the public national ones."""
    return Document.objects.filter(Q(board=board) | Q(board__isnull=True), public=True)


def get_public_document(slug: str, pk: int) -> Document:
    """A document marked public, of the board at `slug` or national; anything else is 404."""
    return get_object_or_404(public_documents(get_board_public(slug)), pk=pk)


# A rep's own pages.

NOT_LINKED_TEMPLATE = "reps/own/not_linked.html"


def own_rep_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For every page of a rep's own: call `view(request, rep, ...)` with the rep's own record.

    Anyone signed in whose role is not rep gets 403. A rep account that staff have not linked to a
    rep record yet has nothing to show, so it gets a page that says so and whom to ask, rather than
    an error.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not isinstance(user, User) or user.role != User.Role.REP:
            raise PermissionDenied
        rep = Rep.objects.select_related("board").filter(user=user).first()
        if rep is None:
            return render(request, NOT_LINKED_TEMPLATE)
        return view(request, rep, *args, **kwargs)

    return wrapped


def get_own_meeting(rep: Rep, pk: int) -> Meeting:
    """A meeting of the rep's own (`rep` from `own_rep_required`): of a group where they held a
    seat on the day, or where they are recorded. Any other meeting is 404."""
    return get_object_or_404(meetings_for_rep(rep), pk=pk)


def get_own_term(rep: Rep, pk: int) -> Term:
    """One of the rep's own terms (`rep` from `own_rep_required`), with its seat and group;
    anyone else's is 404."""
    return get_object_or_404(
        Term.objects.with_end().filter(rep=rep).select_related("seat__group"), pk=pk
    )


def get_own_support_request(rep: Rep, pk: int) -> SupportRequest:
    """One of the rep's own requests for training or support (`rep` from `own_rep_required`);
    anyone else's is 404."""
    return get_object_or_404(SupportRequest.objects.filter(rep=rep), pk=pk)


def get_own_usual_journey(rep: Rep, pk: int) -> UsualJourney:
    """One of the rep's own usual journeys (`rep` from `own_rep_required`); anyone else's is 404."""
    return get_object_or_404(UsualJourney.objects.filter(rep=rep), pk=pk)


# A rep's meetings calendar, for calendar apps, which cannot sign in.


def get_calendar_feed(token: str) -> CalendarFeed:
    """The calendar feed whose secret address this is, with its rep and board; otherwise 404.

    The token is the only credential, so a reset token (gone from the table) is 404 at once, and
    so is the feed of a rep whose account has been switched off.
    """
    return get_object_or_404(
        CalendarFeed.objects.filter(rep__user__is_active=True).select_related("rep", "rep__board"),
        token=token,
    )
