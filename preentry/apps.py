from django.apps import AppConfig


class PreentryConfig(AppConfig):
    name = "preentry"
    verbose_name = "事前入力"
