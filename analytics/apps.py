from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    """Figures read from every app's state rows. It sits above queues, remote and backoffice,
    so none of them imports another to count."""

    name = "analytics"
    verbose_name = "分析"
