"""Who may read a board's annual summary: the one place for the rule, on `portal.core.access`.

A summary counts people and names none, so it is for everyone who reads figures about a board:
the board's own staff, national viewers and administrators (every board's). Staff of another
board get 404, as for anything outside their boards, so a guessed address does not tell them
more than the URL. Reps are turned away with 403: their board's summary is published by the
board, and the portal's reports are the staff's and the national bodies' tools.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from portal.core.access import Permission, has_board_permission, role_required, staff_boards
from portal.core.models import Board, User
from reports.models import FileState, SummaryFile, SummaryJob
from reps.access import get_rep_for_staff
from reps.models import Rep

# Every board's summary for these; their own boards' for staff.
READ_EVERY_BOARD = (User.Role.NATIONAL_VIEWER, User.Role.ADMINISTRATOR)

summary_reader_required = role_required(User.Role.STAFF, *READ_EVERY_BOARD)


def summary_boards(user: User) -> QuerySet[Board]:
    """The boards whose summaries `user` may read, by name."""
    if not user.is_active:
        return Board.objects.none()
    if user.role in READ_EVERY_BOARD:
        return Board.objects.order_by("name")
    return staff_boards(user).order_by("name")


def get_board_for_summary(user: User, slug: str) -> Board:
    """The board `slug` if `user` may read its summary: 403 for a role that reads none, 404 for
    a board outside theirs."""
    if user.role not in (User.Role.STAFF, *READ_EVERY_BOARD):
        raise PermissionDenied
    return get_object_or_404(summary_boards(user), slug=slug)


# Summary PDFs made in the background (reports.services, reports.views_jobs).

every_board_generator_required = role_required(*READ_EVERY_BOARD)


def may_generate_every_board(user: User) -> bool:
    """Every board's summaries for a year at once: for those who read every board's."""
    return user.is_active and user.role in READ_EVERY_BOARD


def summary_jobs(user: User) -> QuerySet[SummaryJob]:
    """The jobs `user` may follow: every job for national viewers and administrators; for staff,
    the single-board jobs of their own boards (a job for every board is not theirs to follow)."""
    if not user.is_active:
        return SummaryJob.objects.none()
    if user.role in READ_EVERY_BOARD:
        return SummaryJob.objects.all()
    return SummaryJob.objects.filter(kind=SummaryJob.Kind.ONE_BOARD, board__in=summary_boards(user))


def get_job_for_user(user: User, pk: int) -> SummaryJob:
    """The job `pk` if `user` may follow it: 403 for a role that reads no summary, 404 outside."""
    if user.role not in (User.Role.STAFF, *READ_EVERY_BOARD):
        raise PermissionDenied
    return get_object_or_404(summary_jobs(user).select_related("board"), pk=pk)


def summary_files(user: User) -> QuerySet[SummaryFile]:
    """The made summaries `user` may download: their boards' (staff), every board's (others)."""
    return SummaryFile.objects.filter(board__in=summary_boards(user), state=FileState.DONE)


def get_file_for_download(user: User, pk: int) -> SummaryFile:
    """A finished summary file of a board `user` reads: 403 for a role that reads none, 404 for
    another board's (a guessed number tells staff nothing) or one not finished."""
    if user.role not in (User.Role.STAFF, *READ_EVERY_BOARD):
        raise PermissionDenied
    return get_object_or_404(summary_files(user).select_related("board"), pk=pk)


# The national report, and a rep's statement of what their board paid them (reports.views_national,
# reports.views_statements).

national_reader_required = role_required(*READ_EVERY_BOARD)

# Staff who may produce a rep's statement: those who approve or pay the board's claims see what
# it paid; those who manage its reps keep the rep's record and answer the rep's questions.
STATEMENT_PERMISSIONS = (Permission.APPROVE_CLAIMS, Permission.PAY_CLAIMS, Permission.MANAGE_REPS)


def may_produce_statement(user: User, board: Board) -> bool:
    return any(has_board_permission(user, board, held) for held in STATEMENT_PERMISSIONS)


def get_rep_for_statement(user: User, pk: int) -> Rep:
    """The rep `pk` of one of the staff member's boards, if they may produce the rep's statement:
    404 for a rep of another board (a guessed number tells them nothing), 403 for staff of the
    rep's board who neither approve, pay nor manage reps there."""
    rep = get_rep_for_staff(user, pk)
    if not may_produce_statement(user, rep.board):
        raise PermissionDenied
    return rep
