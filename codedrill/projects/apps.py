from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "codedrill.projects"
    label = "projects"
    verbose_name = "Projects"
