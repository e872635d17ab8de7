from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "naikkelas.demo"
    label = "demo"
