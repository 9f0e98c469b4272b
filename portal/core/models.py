from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower


class UserManager(BaseUserManager):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email):
        """The one spelling of an address: stored, signed in with and counted by the throttle.

        People type their email in any case, so the whole address is lower-cased, not only the
        domain as Django's own rule does.
        """
        return (email or "").strip().lower()

    def get_by_natural_key(self, email):
        # Addresses are stored lower-case and unique; sign-in matches them in any case.
        return self.get(email__iexact=email)

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("Every user needs an email address.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.update(is_staff=True, is_superuser=True, role=User.Role.ADMINISTRATOR)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in, by email. What they may see follows from `role`.

    Django's own `is_staff` flag means "may use the Django admin" and is kept for administrators
    only; HSCP staff are `role=STAFF` with a membership of each board they support.
    """

    class Role(models.TextChoices):
        REP = "rep", "Representative"
        STAFF = "staff", "HSCP staff"
        NATIONAL_VIEWER = "national", "National viewer"
        ADMINISTRATOR = "admin", "Administrator"

    username = None
    first_name = None
    last_name = None
    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150)
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.REP)
    mfa_enabled = models.BooleanField(
        "second sign-in step turned on",
        default=False,
        help_text="Set when the person confirms an authenticator app; reps may choose it.",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    objects = UserManager()

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_unique_ci")]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def second_factor_optional(self) -> bool:
        """A rep's own account: it sees no one else's records, so the second step is a choice."""
        return self.role == self.Role.REP and not self.is_staff and not self.is_superuser

    @property
    def needs_second_factor(self) -> bool:
        """Anyone who can see other people's records, and any rep who turned it on."""
        return not self.second_factor_optional or self.mfa_enabled


class Board(models.Model):
    """One of Scotland's 31 integration authorities (30 IJBs and Highland's lead agency)."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    hscp_name = models.CharField("partnership name", max_length=160)
    health_board = models.CharField(max_length=80)
    councils = models.CharField("council or councils", max_length=200)
    website = models.URLField(blank=True)
    expenses_policy_url = models.URLField("published expenses policy", blank=True)
    # Some partnerships' finance rules ask that nobody pays what they approved themselves.
    payer_is_not_approver = models.BooleanField(
        "whoever marks a payment batch paid must not have approved any claim in it",
        default=False,
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class StaffMembership(models.Model):
    """An HSCP staff member's attachment to one board, with what they may do there."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="staff_memberships")
    can_manage_reps = models.BooleanField("manage reps", default=False)
    can_approve_claims = models.BooleanField("approve claims", default=False)
    can_pay_claims = models.BooleanField("pay claims (finance)", default=False)
    can_lead_assessment = models.BooleanField("lead the self-assessment", default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "board"], name="one_membership_per_board")
        ]

    def __str__(self):
        return f"{self.user} at {self.board}"


class Invitation(models.Model):
    """A single-use, expiring link that lets a new rep set a password and so sign in.

    Only a hash of the link's secret is kept, so a copy of the database (a backup, a report run
    against it) holds no working link. The secret itself exists only in the email.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be used"
        USED = "used", "Used to set a password"
        REPLACED = "replaced", "Replaced by a newer invitation"
        WITHDRAWN = "withdrawn", "Withdrawn by staff"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A newer invitation replaces the older one, so only one link works at a time.
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="pending"),
                name="one_pending_invitation_per_user",
            ),
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="invitation_expires_after_it_is_made",
            ),
        ]

    def __str__(self):
        return f"Invitation for {self.user} ({self.get_status_display().lower()})"


class RecordsChange(models.Model):
    """A change to the portal's records, written by database triggers, never by the portal.

    On PostgreSQL each row is one statement that wrote to a table of the portal, numbered in
    turn; on SQLite one row counts every change. `portal.core.record_changes`
    reads it to keep what a busy page works out until the records change.
    """

    number = models.BigIntegerField(primary_key=True)

    def __str__(self):
        return f"change {self.number}"
