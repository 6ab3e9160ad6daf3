from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "codedrill.content"
    label = "content"
