"""Signature and FormFill moved from printing to counter: the rows a running system already has
(signed visits, fill counts of printed packets) are still there after the migration."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

# accounts before its tenant column (accounts 0007), as it was when the move was made.
ACCOUNTS = ("accounts", "0006_audit_terminal_name")
BEFORE = [("printing", "0001_initial"), ("counter", "0001_initial"), ACCOUNTS]
AFTER = [
    ("printing", "0002_signature_formfill_to_counter"),
    ("counter", "0002_signature_formfill"),
    ACCOUNTS,
]


@pytest.mark.django_db(transaction=True)
def test_signatures_and_fill_counts_survive_the_move_to_counter():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    user = old.get_model("auth", "User").objects.create(username="moved")
    office = old.get_model("accounts", "Office").objects.create(code="mv", name="移行")
    visit = old.get_model("counter", "Visit").objects.create(
        number="MOVE-001", office=office, created_by=user, event_date=date(2026, 4, 1)
    )
    packet = old.get_model("counter", "Packet").objects.create(
        visit=visit, digest="d" * 64, pdf=b"%PDF", pages=3, created_by=user
    )
    old.get_model("printing", "Signature").objects.create(
        visit=visit, png=b"\x89PNG-old", strokes=[[[1, 2, 0]]], signed_at=timezone.now()
    )
    old.get_model("printing", "FormFill").objects.create(
        packet=packet, form="kokuho_ido", procedure="kokuho_kanyu", prefilled=7, to_write=1,
        signatures=1,
    )  # fmt: skip

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    sig = new.get_model("counter", "Signature").objects.get()
    assert (sig.visit_id, bytes(sig.png), sig.strokes) == (visit.pk, b"\x89PNG-old", [[[1, 2, 0]]])
    fill = new.get_model("counter", "FormFill").objects.get()
    assert (fill.packet_id, fill.form, fill.prefilled, fill.to_write) == (
        packet.pk, "kokuho_ido", 7, 1,
    )  # fmt: skip
    assert "printing_signature" not in connection.introspection.table_names()
    ct = new.get_model("contenttypes", "ContentType")
    assert not ct.objects.filter(app_label="printing", model__in=("signature", "formfill")).exists()

    # Back to the latest state for the tests that follow.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
