from typing import Any

from django.core.management.base import BaseCommand

from naikkelas.regions.loading import load_regions


class Command(BaseCommand):
    help = "Load the Kepmendagri region table, population and kelurahan boundaries."

    def handle(self, *args: Any, **options: Any) -> None:
        created = load_regions()
        self.stdout.write(f"regions: {created} created")
