from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = "練習モード"

    def ready(self):
        from training import receivers  # noqa: F401  (connects to counter's signal)
