import time

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants import scope


class Tenant(models.Model):
    """A municipality served by this deployment. `code` is the id every row carries.

    `pack` is the municipality's catalog pack (an overlay on the shared one); empty, the
    deployment's own (settings.CATALOG_DIR), which is how the default tenant runs. The city's
    name and codes are copied from the pack when the tenant is made (`madoguchi tenant`); the
    default tenant's are settings.MUNICIPALITY.
    `number` places the tenant's audit entries in a range of ids of their own
    (accounts.audit), so each chain is numbered densely without waiting on the others."""

    code = models.SlugField(_("団体コード名"), max_length=40, primary_key=True)
    number = models.PositiveIntegerField(unique=True)
    name = models.CharField(_("市区町村名"), max_length=60, blank=True)
    pref = models.CharField(_("都道府県"), max_length=10, blank=True)
    lg_code = models.CharField(_("全国地方公共団体コード"), max_length=6, blank=True)
    pack = models.CharField(_("カタログパック"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return f"{self.code}（{self.municipality()['name']}）"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        forget()

    @property
    def is_default(self) -> bool:
        return self.pk == scope.DEFAULT

    def pack_dir(self) -> str:
        return self.pack or str(settings.CATALOG_DIR)

    def municipality(self) -> dict[str, str]:
        """{code, name, pref} as settings.MUNICIPALITY has them for the deployment's own pack."""
        if self.is_default and not self.pack:
            return settings.MUNICIPALITY
        return {"code": self.lg_code, "name": self.name, "pref": self.pref}

    def host_names(self) -> list[str]:
        return sorted(h for h, code in settings.TENANT_HOSTS.items() if code == self.pk)

    @classmethod
    def next_number(cls) -> int:
        return (cls.objects.aggregate(n=models.Max("number"))["n"] or 0) + 1

    @classmethod
    def ensure_default(cls, using="default") -> "Tenant":
        tenant, _created = cls.objects.using(using).get_or_create(
            code=scope.DEFAULT, defaults={"number": 0}
        )
        forget()  # after a flush the other tenants may be gone
        return tenant

    @classmethod
    def get(cls, code: str) -> "Tenant":
        """The row, kept a short while per process: every page names its city."""
        now = time.monotonic()
        hit = _cache.get(code)
        if hit is not None and now - hit[0] < CACHE_SECONDS:
            return hit[1]
        tenant = cls.objects.filter(pk=code).first()
        if tenant is None and code == scope.DEFAULT:
            tenant = cls.ensure_default()
        if tenant is None:
            raise cls.DoesNotExist(code)
        _cache[code] = (now, tenant)
        return tenant


CACHE_SECONDS = 30


def code_for_host(host: str) -> str | None:
    """The tenant a public host name is given to (settings.TENANT_HOSTS): configuration, like
    the proxy's, so that a page needs no query to know its city (the login page answers
    while the database is down)."""
    return settings.TENANT_HOSTS.get(host.split(":", 1)[0].lower())


_cache: dict[str, tuple[float, Tenant]] = {}


def forget() -> None:
    """Drop what this process keeps of the tenants (a tenant made or changed here)."""
    _cache.clear()


class TenantManager(models.Manager):
    """The one place queries are scoped: only the current tenant's rows. Reverse relations
    (household.residents) and get_object_or_404 go through it too; `Model._base_manager`
    (Django's, unscoped) is for the few who must look across tenants to find which one a
    request belongs to (madoguchi.middleware) and for related-object access."""

    def get_queryset(self):
        return super().get_queryset().filter(tenant_id=scope.current_id())


class CrossTenantWrite(Exception):
    pass


class TenantModel(models.Model):
    # No index of its own: one tenant's rows are found through the other indexes and the
    # (tenant, code) unique constraints; a single-city register pays nothing for the column.
    tenant = models.ForeignKey(
        Tenant,
        on_delete=models.PROTECT,
        default=scope.current_id,
        related_name="+",
        editable=False,
        db_index=False,
    )

    objects = TenantManager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self.tenant_id:
            self.tenant_id = scope.current_id()
        elif scope.is_set() and self.tenant_id != scope.current_id():
            # A row made or read under one tenant, saved while working for another.
            raise CrossTenantWrite(f"{self._meta.label} of {self.tenant_id}")
        super().save(*args, **kwargs)
