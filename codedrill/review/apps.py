from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "codedrill.review"
    label = "review"
