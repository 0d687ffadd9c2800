"""The training register (練習モード): one flag, one switch, read in one place.

Residents, households and visits carry `training`. Their default managers return only the
rows of the register the current request works in: the real one, unless the training app's
middleware switched this request to practice (`practising()`). So every reader that does not
ask for practice — the handoff to departments and core systems, analytics, the queue boards,
exports, the API, management commands — sees real rows only, without a filter of its own; and
a trainee's screens see training rows only. Rows made in practice are training rows by the
field's default. docs/training.md explains the design.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.models import TenantManager

_practising: ContextVar[bool] = ContextVar("madoguchi_practising", default=False)


def in_practice() -> bool:
    """Whether this request (or task) works in the training register."""
    return _practising.get()


@contextmanager
def practising(on: bool = True):
    """Work in the training register (on) or the real one (off) inside the block."""
    token = _practising.set(on)
    try:
        yield
    finally:
        _practising.reset(token)


class RegisterManager(TenantManager):
    """The default manager of register and visit rows: the current tenant's and the current
    register's rows only."""

    def get_queryset(self):
        return super().get_queryset().filter(training=in_practice())


def training_field():
    # A callable default: whatever is created while practising is a training row.
    return models.BooleanField(_("練習"), default=in_practice, editable=False)
