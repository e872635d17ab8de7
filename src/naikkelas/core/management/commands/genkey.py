from typing import Any

from cryptography.fernet import Fernet
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Print fresh personal-data keys to put in the environment of a production server."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"NAIKKELAS_PII_KEY={Fernet.generate_key().decode()}")
        self.stdout.write(f"NAIKKELAS_INDEX_KEY={Fernet.generate_key().decode()}")
