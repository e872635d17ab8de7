from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running the system: backup, restore and the scan for plaintext personal data."""

    name = "naikkelas.operations"
    label = "operations"
