from django.apps import AppConfig


class LtiConfig(AppConfig):
    name = "codedrill.lti"
    label = "lti"
    verbose_name = "LTI 1.3"

    def ready(self) -> None:
        from codedrill.lti import passback  # noqa: F401 - connects its signal receiver
