"""A printed packet holds the residents' data: every time a version is served, it is logged."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.models import AuditEntry
from counter import services
from counter.tests.factories import elderly_couple


@pytest.mark.django_db
def test_every_serve_of_a_packet_version_is_logged_for_the_visits_residents(clerk, clerk_client):
    hh, head, wife = elderly_couple()
    visit = services.start_visit(by=clerk, office=clerk.staff.office, events=["tenkyo"],
                                 event_date=date(2026, 4, 10), household=hh)  # fmt: skip
    services.print_packet(visit, by=clerk)
    url = reverse("counter:packet_version", args=[visit.number, 1])
    viewed = AuditEntry.objects.filter(action="packet.viewed", user=clerk)
    for n in (1, 2):
        assert clerk_client.get(url).status_code == 200
        assert viewed.count() == n  # one entry per serve, naming everyone on the papers
    residents = set(visit.people.values_list("resident_id", flat=True))
    assert viewed.subject_ids() == residents == {head.pk, wife.pk}
    assert all(e.detail["visit"] == visit.number and e.detail["version"] == 1 for e in viewed)
