from django.core.management.base import BaseCommand, CommandError

from portal.scale import multiply


class Command(BaseCommand):
    help = (
        "Copy each board's reps, seats, terms, meetings, training and claims until it holds "
        "TIMES as many, for measuring pages against more data. Made-up people, no accounts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--times", type=int, default=10, help="How many times the data (10).")

    def handle(self, *args, times, **options):
        if times < 1:
            raise CommandError("--times must be 1 or more.")
        added = multiply(times)
        width = max((len(label) for label in added), default=0)
        for label, count in added.items():
            self.stdout.write(f"{label:<{width}}  {count:>8,} added")
