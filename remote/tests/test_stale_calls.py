"""A call whose two browsers closed without 終了 ends by itself (remote_due)."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import AuditEntry
from remote import services
from remote.models import Consultation


def _silent_since(c, **ago):
    then = timezone.now() - timedelta(**ago)
    Consultation.objects.filter(pk=c.pk).update(branch_seen_at=then, specialist_seen_at=then)


@pytest.mark.django_db
def test_a_call_both_of_whose_pages_fell_silent_is_ended_by_nobody(requested, hoken_clerk):
    c = services.admit(requested, by=hoken_clerk)
    services.mark_connected(c, by=hoken_clerk)
    _silent_since(c, minutes=5)
    call_command("remote_due")
    c.refresh_from_db()
    assert c.state == "ended"
    assert list(c.events.values_list("kind", "by")) == [
        ("requested", c.requested_by_id),
        ("admitted", hoken_clerk.pk),
        ("connected", hoken_clerk.pk),
        ("ended", None),
    ]
    assert AuditEntry.objects.filter(action="remote.ended_stale", visit_id=c.visit_id).exists()
    call_command("remote_due")  # once only
    assert c.events.filter(kind="ended").count() == 1


@pytest.mark.django_db
def test_a_call_with_one_page_still_open_goes_on(requested, hoken_clerk):
    c = services.admit(requested, by=hoken_clerk)
    _silent_since(c, minutes=5)
    services.seen(c, "specialist")
    call_command("remote_due")
    c.refresh_from_db()
    assert c.state == "admitted"


@pytest.mark.django_db
def test_a_just_admitted_call_the_branch_has_not_joined_yet_goes_on(requested, hoken_clerk):
    c = services.admit(requested, by=hoken_clerk)  # the specialist counts as seen on admitting
    assert services.end_stale() == []
    # …until the timeout has passed with neither page heard from.
    assert services.end_stale(now=timezone.now() + timedelta(minutes=3)) == [c]


@pytest.mark.django_db
def test_a_waiting_request_is_not_a_call(requested):
    assert services.end_stale(now=timezone.now() + timedelta(hours=1)) == []
    requested.refresh_from_db()
    assert requested.state == "requested"
