from django.apps import AppConfig


class GraduationConfig(AppConfig):
    name = "naikkelas.graduation"
    label = "graduation"
