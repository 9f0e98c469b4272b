"""Queue again, or mark failed, summary PDFs whose worker died while making them.

    python manage.py recover_stuck_summaries

For a scheduler to run every few minutes (cron, a systemd timer, or a loop beside the worker),
so a job finishes even when nobody is looking at its page. Why work gets stuck and what is done
about it: `reports.services`.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from reports import services


class Command(BaseCommand):
    help = (
        "Queue again, or mark failed after the last attempt, summary PDFs still being made "
        "past REPORT_FILE_STUCK_MINUTES."
    )

    def handle(self, *args, **options):
        moved = services.recover_stuck()
        self.stdout.write(
            f"{moved} summary PDF{'s' if moved != 1 else ''} stuck for more than "
            f"{settings.REPORT_FILE_STUCK_MINUTES} minutes: queued again or marked failed."
        )
