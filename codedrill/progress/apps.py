from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "codedrill.progress"
    label = "progress"

    def ready(self) -> None:
        from codedrill.progress import receivers  # noqa: F401
