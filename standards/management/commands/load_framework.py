"""Load a framework edition from its file: `manage.py load_framework standards/frameworks/x.json`.

Safe to run again: an edition already loaded with the same wording is left as it is.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from standards import loading
from standards.models import AreaForDevelopment, Framework, Recommendation


class Command(BaseCommand):
    help = "Load a framework edition (such as More than Equal) from its JSON file."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The edition's JSON file.")

    def handle(self, *args, **options):
        try:
            data = loading.read(options["file"])
            with transaction.atomic():
                framework, created = loading.install(
                    data,
                    Framework=Framework,
                    Recommendation=Recommendation,
                    AreaForDevelopment=AreaForDevelopment,
                )
        except (OSError, loading.FrameworkFileError) as error:
            raise CommandError(str(error)) from error
        if created:
            areas = AreaForDevelopment.objects.filter(recommendation__framework=framework).count()
            self.stdout.write(
                f"Loaded {framework}, version {framework.version}: "
                f"{framework.recommendations.count()} areas, {areas} areas for development."
            )
        else:
            self.stdout.write(f"{framework} was already loaded; nothing changed.")
