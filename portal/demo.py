"""The demo sign-ins that `make run` prints, one for every role."""

import random
import secrets
from dataclasses import dataclass

from portal.core.models import Board, StaffMembership, User
from reps.demo import FIRST_NAMES, LAST_NAMES
from reps.models import Rep

DEMO_PASSWORD = "demo-portal-2026"  # noqa: S105 - published on screen; demo data only
DEMO_BOARD_SLUG = "east-dunbartonshire-ijb"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    role: str
    what: str


DEMO_ACCOUNTS = [
    DemoAccount("rep@example.org", "Morag Campbell", User.Role.REP, "carer representative"),
    DemoAccount(
        "rep2@example.org", "Tariq Hussain", User.Role.REP, "lived experience representative"
    ),
    DemoAccount(
        "staff@example.org",
        "Fiona MacLeod",
        User.Role.STAFF,
        "HSCP support officer: manage reps, approve claims, lead assessment",
    ),
    DemoAccount("finance@example.org", "Gordon Reid", User.Role.STAFF, "HSCP finance: pay claims"),
    DemoAccount(
        "national@example.org",
        "Isla Grant",
        User.Role.NATIONAL_VIEWER,
        "national viewer (Coalition of Carers in Scotland)",
    ),
    DemoAccount(
        "admin@example.org", "Portal Administrator", User.Role.ADMINISTRATOR, "administrator"
    ),
]


def seed_accounts(*, random_passwords: bool = False) -> dict[str, str]:
    """Create the demo accounts; a second run finds them and adds nothing.

    Every account gets the published demo password, or with `random_passwords` a password of its
    own: a trial copy reachable by others must not open to a password printed in the README.
    Returns the password of each account made now, by email.
    """
    board = Board.objects.get(slug=DEMO_BOARD_SLUG)
    made = {}
    for account in DEMO_ACCOUNTS:
        is_admin = account.role == User.Role.ADMINISTRATOR
        user, created = User.objects.get_or_create(
            email=account.email,
            defaults={
                "full_name": account.full_name,
                "role": account.role,
                "is_staff": is_admin,
                "is_superuser": is_admin,
            },
        )
        if created:
            made[account.email] = secrets.token_urlsafe(12) if random_passwords else DEMO_PASSWORD
            user.set_password(made[account.email])
            user.save(update_fields=["password"])
        if account.role == User.Role.REP:
            rep_type = (
                Rep.RepType.CARER if "carer" in account.what else Rep.RepType.LIVED_EXPERIENCE
            )
            Rep.objects.get_or_create(
                user=user,
                defaults={"board": board, "full_name": account.full_name, "rep_type": rep_type},
            )
    StaffMembership.objects.get_or_create(
        user=User.objects.get(email="staff@example.org"),
        board=board,
        defaults={"can_manage_reps": True, "can_approve_claims": True, "can_lead_assessment": True},
    )
    StaffMembership.objects.get_or_create(
        user=User.objects.get(email="finance@example.org"),
        board=board,
        defaults={"can_pay_claims": True},
    )
    return made


# The staff every board needs for its demo history to be made as the portal makes it: someone who
# manages reps, decides on claims and leads the self-assessment, someone who manages reps and
# enters claims sent in on paper (so that another person approves them), and finance, who pay.
# East Dunbartonshire's officer and finance are the demo sign-ins above. Nobody can sign in as
# these: they have no password.
BOARD_STAFF = [
    (
        "officer",
        "support.{slug}@example.org",
        {"can_manage_reps", "can_approve_claims", "can_lead_assessment"},
    ),
    ("assistant", "reps.{slug}@example.org", {"can_manage_reps"}),
    ("finance", "finance.{slug}@example.org", {"can_pay_claims"}),
]
SIGN_IN_STAFF = {"officer": "staff@example.org", "finance": "finance@example.org"}


def seed_board_staff() -> None:
    """Give every board its demo staff (see `BOARD_STAFF`); a second run adds nothing."""
    for board in Board.objects.order_by("name"):
        # Seeded by the board, so each board keeps the same people whatever else changes.
        names = random.Random(board.slug)  # noqa: S311 - demo names, not security
        for job, address, permissions in BOARD_STAFF:
            if board.slug == DEMO_BOARD_SLUG and job in SIGN_IN_STAFF:
                continue
            name = f"{names.choice(FIRST_NAMES)} {names.choice(LAST_NAMES)}"
            user, created = User.objects.get_or_create(
                email=address.format(slug=board.slug),
                defaults={"full_name": name, "role": User.Role.STAFF},
            )
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            membership, _ = StaffMembership.objects.get_or_create(
                user=user, board=board, defaults=dict.fromkeys(permissions, True)
            )
            # A demo loaded before a permission was added to `BOARD_STAFF` gains it now.
            missing = [name for name in permissions if not getattr(membership, name)]
            if missing:
                StaffMembership.objects.filter(pk=membership.pk).update(
                    **dict.fromkeys(missing, True)
                )
