from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "codedrill.accounts"
    label = "accounts"
