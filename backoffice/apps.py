from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "backoffice"
    verbose_name = "担当課業務"

    def ready(self):
        from counter.signals import visit_accepted

        visit_accepted.connect(_make_tasks, dispatch_uid="backoffice.make_tasks")


def _make_tasks(sender, visit, **kwargs):
    from backoffice.services import create_tasks_for

    create_tasks_for(visit)
