"""The live screens show residents' names: every render is logged, a 204 poll is not."""

from urllib.parse import unquote

import pytest

from accounts.models import AuditEntry
from backoffice import services as bo


def _stamp(html: str) -> str:
    return unquote(html.split("stamp=", 1)[1].split('"', 1)[0])


def _viewed(where):
    return AuditEntry.objects.filter(action="resident.viewed", detail__where=where)


@pytest.mark.django_db
def test_the_queue_poll_logs_the_residents_it_shows_and_not_an_unchanged_204(
    accepted_visit, hoken_clerk, hoken_client
):
    r = hoken_client.get("/backoffice/live/")
    shown = {
        t.person.resident_id
        for t in accepted_visit.tasks.filter(department__code=hoken_clerk.staff.department.code)
        if t.person and t.person.resident_id
    }
    assert shown and _viewed("queue_live").filter(user=hoken_clerk).subject_ids() == shown
    logged = _viewed("queue_live").count()
    assert (
        hoken_client.get("/backoffice/live/", {"stamp": _stamp(r.content.decode())}).status_code
        == 204
    )
    assert _viewed("queue_live").count() == logged
    task = accepted_visit.tasks.get(procedure="kokuho_soshitsu")
    bo.transition(task, action="start", by=hoken_clerk, version=task.version)
    assert (
        hoken_client.get("/backoffice/live/", {"stamp": _stamp(r.content.decode())}).status_code
        == 200
    )
    assert _viewed("queue_live").count() > logged


@pytest.mark.django_db
def test_the_visit_board_logs_the_residents_it_shows_and_not_an_unchanged_204(
    accepted_visit, clerk, clerk_client
):
    url = f"/backoffice/visits/{accepted_visit.number}/board/"
    html = clerk_client.get(url, {"frame": 1}).content.decode()
    shown = {
        t.person.resident_id
        for t in accepted_visit.tasks.all()
        if t.person and t.person.resident_id
    }
    entries = _viewed("visit_board").filter(user=clerk)
    assert shown and entries.subject_ids() == shown
    assert all(e.detail["visit"] == accepted_visit.number for e in entries)
    logged = entries.count()
    assert clerk_client.get(url, {"stamp": _stamp(html)}).status_code == 204
    assert _viewed("visit_board").count() == logged
    assert clerk_client.get(url).status_code == 200
    assert _viewed("visit_board").count() == 2 * logged
