from django.apps import AppConfig


class AttemptsConfig(AppConfig):
    name = "codedrill.attempts"
    label = "attempts"
