from django.apps import AppConfig
from django.db.models.signals import post_migrate


class TenantsConfig(AppConfig):
    name = "tenants"

    def ready(self):
        post_migrate.connect(ensure_default, sender=self)


def ensure_default(using="default", **kwargs):
    """The default tenant exists whenever the tables do: the migration makes it, and this
    makes it again after a flush (the test database between transactional tests)."""
    from tenants.models import Tenant

    Tenant.ensure_default(using)
