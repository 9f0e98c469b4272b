"""Render a board's annual summary for a financial year to a PDF file, for operations.

    python manage.py render_summary east-dunbartonshire-ijb 2025 --output summary.pdf

The year is the financial year's start: 2025 for 2025/26.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.core.models import Board
from portal.core.periods import financial_year_label
from reports.documents import render_summary_pdf
from reports.summaries import summary_years


class Command(BaseCommand):
    help = "Render a board's annual summary for a financial year (2025 for 2025/26) as a PDF."

    def add_arguments(self, parser):
        parser.add_argument("board", help="the board's short name in its address, its slug")
        parser.add_argument("year", type=int, help="the financial year's start: 2025 for 2025/26")
        parser.add_argument("--output", required=True, help="the PDF file to write")

    def handle(self, *args, board, year, output, **options):
        found = Board.objects.filter(slug=board).first()
        if found is None:
            raise CommandError(
                f"No board has the slug {board!r}. The boards' slugs are listed in the admin."
            )
        years = summary_years()
        if year not in years:
            offered = ", ".join(f"{y} for {financial_year_label(y)}" for y in years)
            raise CommandError(f"There is no summary for {year}. Choose one of: {offered}.")
        content = render_summary_pdf(found, year)
        Path(output).write_bytes(content)
        self.stdout.write(
            f"Wrote the {financial_year_label(year)} summary of {found.name} to {output} "
            f"({len(content):,} bytes)."
        )
