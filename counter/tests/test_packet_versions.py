"""Printing from a visit: a changed answer gives a new version, the old one is kept, with counts."""

from datetime import date

import pytest
from django.urls import reverse

from counter import services
from counter.models import FormFill, Packet
from counter.tests.factories import elderly_couple


@pytest.fixture
def tenkyo(clerk):
    hh, _head, _wife = elderly_couple()
    return services.start_visit(by=clerk, office=clerk.staff.office, events=["tenkyo"],
                                event_date=date(2026, 4, 10), household=hh)  # fmt: skip


@pytest.mark.django_db
def test_a_print_records_per_form_fill_counts(tenkyo, clerk):
    packet = services.print_packet(tenkyo, by=clerk)
    fills = list(packet.fills.all())
    assert fills and fills[0].form == "jumin_ido"
    assert all(f.signatures >= 1 for f in fills)
    totals = FormFill.objects.filter(packet=packet).totals()
    assert totals["forms"] == len(fills) and totals["prefilled"] > 0


@pytest.mark.django_db
def test_a_reprint_is_the_same_version_and_a_changed_answer_a_new_one(tenkyo, clerk):
    first = services.print_packet(tenkyo, by=clerk)
    assert services.print_packet(tenkyo, by=clerk).pk == first.pk
    services.set_addresses(tenkyo, by=clerk, phone="0157-00-0000")
    second = services.print_packet(tenkyo, by=clerk)
    assert second.pk != first.pk
    assert Packet.objects.filter(visit=tenkyo).count() == 2  # the old version is kept
    assert bytes(Packet.objects.get(pk=first.pk).pdf) == bytes(first.pdf)
    assert (
        FormFill.objects.filter(packet=first).count()
        == FormFill.objects.filter(packet=second).count()
    )


@pytest.mark.django_db
def test_the_visit_page_lists_the_versions_and_each_can_be_opened(tenkyo, clerk, clerk_client):
    services.print_packet(tenkyo, by=clerk)
    services.set_addresses(tenkyo, by=clerk, phone="0157-00-0000")
    services.print_packet(tenkyo, by=clerk)
    page = clerk_client.get(reverse("counter:visit", args=[tenkyo.number])).content.decode()
    assert "第1版" in page and "第2版" in page and "署名用の画面を開く" in page
    r = clerk_client.get(reverse("counter:packet_version", args=[tenkyo.number, 1]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert bytes(r.content) == bytes(Packet.objects.filter(visit=tenkyo).order_by("id")[0].pdf)
    assert (
        clerk_client.get(reverse("counter:packet_version", args=[tenkyo.number, 3])).status_code
        == 404
    )


@pytest.mark.django_db
def test_a_signature_changes_the_digest_so_the_next_print_is_a_new_version(tenkyo, clerk):
    from counter.signatures import record_signature
    from printing.tests.test_signature_boxes import signature_png

    first = services.print_packet(tenkyo, by=clerk)
    record_signature(tenkyo, png=signature_png(), strokes=[[[1, 1, 0]]], by=None)
    second = services.print_packet(tenkyo, by=clerk)
    assert second.pk != first.pk
