"""Migration 0004 seals the head of an intact log and numbers it densely (ids written before
may have gaps from rolled-back writes on PostgreSQL); a broken log is left unsealed, so the
damage stays visible instead of being signed over."""

import importlib

import pytest
from django.apps import apps
from django.db import connection

from accounts import audit
from accounts.models import AuditEntry, AuditHead


class _SchemaEditor:
    connection = connection


def _seal():
    importlib.import_module("accounts.migrations.0004_audit_head_signature").seal(
        apps, _SchemaEditor()
    )


def _as_before_0004(gap_after: int):
    """The log as an older version left it: an unsigned head, and a gap in the ids."""
    entries = list(AuditEntry.objects.order_by("id"))
    for e in reversed(entries[gap_after:]):
        AuditEntry.objects.filter(pk=e.id).update(id=e.id + 7)
    last = AuditEntry.objects.order_by("-id").first()
    AuditHead.objects.filter(pk=1).update(last_id=last.id, signature="")


@pytest.mark.django_db
def test_an_intact_log_with_gaps_is_numbered_densely_and_sealed():
    AuditHead.objects.all().delete()
    for i in range(4):
        audit.record(None, "ticket.issued", n=i)
    _as_before_0004(gap_after=2)
    assert any("欠けて" in p for p in audit.verify())
    _seal()
    assert list(AuditEntry.objects.order_by("id").values_list("id", flat=True)) == [1, 2, 3, 4]
    assert AuditHead.objects.get(pk=1).is_signed()
    assert audit.verify() == []


@pytest.mark.django_db
def test_a_broken_log_is_left_unsealed():
    AuditHead.objects.all().delete()
    for i in range(3):
        audit.record(None, "ticket.issued", n=i)
    AuditHead.objects.filter(pk=1).update(signature="")
    AuditEntry.objects.filter(pk=2).update(action="ticket.forged")
    _seal()
    assert AuditHead.objects.get(pk=1).signature == ""
    problems = audit.verify()
    assert any("#2" in p and "改ざん" in p for p in problems)
    assert any("署名がありません" in p for p in problems)
