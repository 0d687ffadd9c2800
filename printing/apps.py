from django.apps import AppConfig


class PrintingConfig(AppConfig):
    name = "printing"

    def ready(self):
        from printing import checks  # noqa: F401  (registers the start-up check)
