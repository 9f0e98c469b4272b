"""Remove the personal details the privacy notice says the portal keeps no longer.

    python manage.py anonymise_personal_data --dry-run    # who is due, changing nothing
    python manage.py anonymise_personal_data

Former reps are due `REP_RETENTION_YEARS` after their last term ended and their last expenses
were paid; expressions of interest from people not appointed and not in the pool,
`INTEREST_RETENTION_MONTHS` after they last changed, and from people in the pool as long after
they last said they want to stay in it. For a scheduler to run once a day or a
month. What is removed and what stays: `portal.retention`. The output names records by number
and board only, so that it can go into any log.
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from portal import retention
from portal.core.forms import DATE_FORMAT


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


class Command(BaseCommand):
    help = (
        "Anonymise former reps and expressions of interest past the retention periods in the "
        "settings. With --dry-run, only list them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List who is due without changing anything."
        )

    def handle(self, *args, dry_run: bool = False, **options):
        plan = retention.plan(timezone.localdate())
        write = self.stdout.write
        write(
            f"Former reps are kept {_plural(settings.REP_RETENTION_YEARS, 'year')} after their "
            f"last term and last payment (due: both before "
            f"{plan.reps_before.strftime(DATE_FORMAT)}). Expressions of interest are kept "
            f"{_plural(settings.INTEREST_RETENTION_MONTHS, 'month')} after their last change "
            f"(due: before {plan.interests_before.strftime(DATE_FORMAT)})."
        )
        write(f"Former reps due: {len(plan.reps)}")
        for rep in plan.reps:
            write(
                f"  rep {rep.pk}, {rep.board.name}: last day in post "
                f"{rep.last_day.strftime(DATE_FORMAT)}"  # type: ignore[attr-defined]
            )
        write(f"Kept for their claims (paid since, or still open): {plan.kept_for_claims}")
        write(f"With no term recorded, left for staff to decide: {plan.without_terms}")
        write(f"Expressions of interest due: {len(plan.interests)}")
        for interest in plan.interests:
            write(
                f"  expression of interest {interest.pk}, {interest.board.name}: last changed "
                f"{timezone.localdate(interest.last_change).strftime(DATE_FORMAT)}"  # type: ignore[attr-defined]
            )
        due_in_pool = len(plan.pool_members)
        write(f"People in the pool due (last said they want to stay before then): {due_in_pool}")
        for interest in plan.pool_members:
            write(
                f"  expression of interest {interest.pk}, {interest.board.name}: last said they "
                f"want to stay {interest.pool_checked_on.strftime(DATE_FORMAT)}"  # type: ignore[union-attr]
            )
        if dry_run:
            write("Dry run: nothing was changed.")
            return
        done = retention.carry_out(plan)
        self.stdout.write(
            self.style.SUCCESS(
                f"Anonymised {_plural(done.reps, 'former rep')} and "
                f"{_plural(done.interests, 'expression')} of interest; deleted "
                f"{_plural(done.receipts, 'receipt')}."
            )
        )
