from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "naikkelas.accounts"
    label = "accounts"
