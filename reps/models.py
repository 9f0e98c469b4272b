from django.conf import settings
from django.db import models

from portal.models import Board


class Rep(models.Model):
    """A carer or lived experience representative on one board.

    A rep need not have a portal account: staff keep the record of reps who never sign in.
    """

    class RepType(models.TextChoices):
        CARER = "carer", "Carer representative"
        LIVED_EXPERIENCE = "lived", "Lived experience representative"

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="reps")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rep_profile",
    )
    full_name = models.CharField(max_length=150)
    rep_type = models.CharField(max_length=10, choices=RepType.choices)

    class Meta:
        ordering = ["full_name"]

    def __str__(self):
        return self.full_name
