"""Render the national report for a financial year to a PDF file, for operations.

    python manage.py render_national 2025 --output national-report.pdf

The year is the financial year's start: 2025 for 2025/26.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.core.periods import financial_year_label
from reports.documents import render_national_pdf
from reports.summaries import summary_years


class Command(BaseCommand):
    help = "Render the national report for a financial year (2025 for 2025/26) as a PDF."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="the financial year's start: 2025 for 2025/26")
        parser.add_argument("--output", required=True, help="the PDF file to write")

    def handle(self, *args, year, output, **options):
        years = summary_years()
        if year not in years:
            offered = ", ".join(f"{y} for {financial_year_label(y)}" for y in years)
            raise CommandError(f"There is no national report for {year}. Choose one of: {offered}.")
        content = render_national_pdf(year)
        Path(output).write_bytes(content)
        self.stdout.write(
            f"Wrote the {financial_year_label(year)} national report to {output} "
            f"({len(content):,} bytes)."
        )
