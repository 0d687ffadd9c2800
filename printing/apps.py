from django.apps import AppConfig


class PrintingConfig(AppConfig):
    name = "printing"

    def ready(self):
        # Registered on import: the start-up check, and the templates' part of
        # `madoguchi catalog check`.
        from printing import checks, formcheck  # noqa: F401
