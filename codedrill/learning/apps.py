from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "codedrill.learning"
    label = "learning"

    def ready(self) -> None:
        from codedrill.learning import receivers  # noqa: F401
