from django.apps import AppConfig


class LabConfig(AppConfig):
    name = "codedrill.lab"
    label = "lab"
    verbose_name = "Lab"
