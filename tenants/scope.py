"""The current tenant: a context variable, so each request thread, each asyncio task of a
websocket, and each step of a command's loop over tenants has its own.

Only the tenant's code is kept (the primary key of tenants.Tenant): scoping a query needs no
look-up, and a deployment with one municipality never sets it (DEFAULT).
"""

import contextlib
from contextvars import ContextVar

DEFAULT = "default"

_current: ContextVar[str | None] = ContextVar("madoguchi_tenant", default=None)


def current_id() -> str:
    """The code of the tenant whose rows queries see and saves write."""
    return _current.get() or DEFAULT


def is_set() -> bool:
    """Whether someone named the tenant (a request, a command), rather than the default."""
    return _current.get() is not None


def activate(code: str | None):
    """Set the current tenant until reset(token); the middleware's form of use()."""
    return _current.set(_code(code))


def reset(token) -> None:
    _current.reset(token)


@contextlib.contextmanager
def use(tenant):
    """Work as `tenant` (a Tenant or its code) inside the block."""
    token = _current.set(_code(tenant))
    try:
        yield
    finally:
        _current.reset(token)


def each():
    """Every tenant in turn, current while the caller's loop body runs: a command or a
    background loop does its work once per municipality. Only the named one when a tenant
    was named (`madoguchi --tenant CODE …`)."""
    from tenants.models import Tenant

    if is_set():
        yield current()
        return
    for tenant in Tenant.objects.order_by("number"):
        with use(tenant):
            yield tenant


def current():
    """The current Tenant row."""
    from tenants.models import Tenant

    return Tenant.get(current_id())


def _code(tenant) -> str | None:
    if tenant is None or isinstance(tenant, str):
        return tenant
    return tenant.pk


def municipality() -> dict[str, str]:
    """{code, name, pref} of the current tenant's city: the forms' あて先, the slip, the
    address defaults and search. The default tenant's is settings.MUNICIPALITY (its pack's)."""
    if current_id() == DEFAULT:
        from django.conf import settings

        return settings.MUNICIPALITY
    return current().municipality()


def own_dir(path):
    """The current tenant's part of a data folder (the field designer's blanks and forms):
    the folder itself for the default tenant, tenants/<code>/ inside it for another, so a
    backup of the data directory still holds every tenant's files."""
    from pathlib import Path

    code = current_id()
    return Path(path) if code == DEFAULT else Path(path) / "tenants" / code
