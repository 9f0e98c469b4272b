"""Remind the reps of each board, a few days before their deadline, that their self-assessment
scores are still to send.

    python manage.py send_reminders

For a scheduler to run once a day. Each deadline is reminded of once, so running it more often
sends nothing twice; moving a deadline lets the reps be reminded of the new one. The rule:
`standards.services.reps_reminders_send`.
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from standards import services


class Command(BaseCommand):
    help = (
        "Email the reps of boards whose self-assessment scores are due within "
        "REPS_REMINDER_DAYS and still a draft, once for each deadline."
    )

    def handle(self, *args, **options):
        reminded = services.reps_reminders_send(today=timezone.localdate())
        self.stdout.write(
            f"Reps reminded of a deadline within {settings.REPS_REMINDER_DAYS} days: "
            f"{reminded} self-assessment{'' if reminded == 1 else 's'}."
        )
