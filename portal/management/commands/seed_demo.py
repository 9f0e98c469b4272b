import random
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal.core.models import Board
from portal.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, seed_accounts, seed_board_staff


class Command(BaseCommand):
    help = "Load the demo data (all 31 boards, demo people, claims). Running it again adds nothing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load demo data even with DEBUG off (never on a live service).",
        )
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            help="Lay the demo out around this day (YYYY-MM-DD) rather than today.",
        )

    def handle(self, *args, allow_production=False, today=None, **options):
        if not (settings.DEBUG or settings.DEMO_MODE or allow_production):
            raise CommandError("Demo data is for demonstration copies: set DEMO_MODE=1.")
        if Board.objects.count() != 31:
            raise CommandError("The 31 boards are missing: run 'manage.py migrate' first.")
        # The same seed every time, so the demo tells the same story on every machine.
        rng = random.Random(2026)  # noqa: S311 - demo data, not security
        today = today or date.today()  # noqa: DTZ011 - the demo is laid out around the local day
        with transaction.atomic():
            made = seed_accounts(random_passwords=allow_production)
            seed_board_staff()
            for seed in self.domain_seeds():
                seed(rng, today)
        self.print_sign_ins(made, published=not allow_production)

    def domain_seeds(self):
        # Order matters: claims need reps, seats and meetings to exist first; the reps' side of
        # a self-assessment needs reps in post.
        from expenses import demo as expenses_demo
        from reports import demo as reports_demo
        from reps import demo as reps_demo
        from standards import demo as standards_demo

        # The summary PDF reads everything above, so it comes last.
        return [reps_demo.seed, expenses_demo.seed, standards_demo.seed, reports_demo.seed]

    def print_sign_ins(self, made: dict[str, str], *, published: bool):
        out = self.stdout
        out.write("")
        out.write(self.style.SUCCESS("The IJB Rep Portal is ready at http://127.0.0.1:8000/"))
        if published:
            out.write(f"Demo sign-ins (every password is {DEMO_PASSWORD}):")
        else:
            out.write(
                "Demo sign-ins. Each new account has a password of its own, shown only now: "
                "keep them safe. Accounts made before keep the password they had."
            )
        for account in DEMO_ACCOUNTS:
            who = f"{account.full_name}, {account.what}"
            if published:
                out.write(f"  {account.email:<24} {who}")
            else:
                password = made.get(account.email, "(unchanged)")
                out.write(f"  {account.email:<24} {password:<18} {who}")
        if not settings.REQUIRE_MFA:
            out.write("The second sign-in step (authenticator app) is switched off in this demo.")
        out.write("")
