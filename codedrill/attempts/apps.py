from django.apps import AppConfig


class AttemptsConfig(AppConfig):
    name = "codedrill.attempts"
    label = "attempts"

    def ready(self) -> None:
        from codedrill.attempts import receivers  # noqa: F401
