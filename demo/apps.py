from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The synthetic demo city and its logins. It sits above every app and may import any of
    them; only the project package (`madoguchi`) and tests import it."""

    name = "demo"
    verbose_name = "デモ"
