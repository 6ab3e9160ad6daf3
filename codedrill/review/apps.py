from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "codedrill.review"
    label = "review"

    def ready(self) -> None:
        from codedrill.review import receivers  # noqa: F401
