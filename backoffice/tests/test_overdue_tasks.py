"""A death reported months late: the department's queue marks the overdue tasks 期限超過."""

from datetime import date

import pytest
from django.utils import timezone

from backoffice.models import Task
from counter import services
from counter.tests.factories import elderly_couple


def _accepted_death(clerk, on, capture):
    hh, head, _wife = elderly_couple()
    visit = services.start_visit(
        by=clerk, office=clerk.staff.office, events=["death"], event_date=on, household=hh
    )
    services.update_person(visit.people.get(resident=head), by=clerk, role="deceased")
    with capture(execute=True):
        services.accept_visit(visit, by=clerk)
    return visit


@pytest.mark.django_db
def test_the_queue_marks_a_task_filed_after_its_deadline(
    clerk, hoken_client, django_capture_on_commit_callbacks
):
    visit = _accepted_death(clerk, date(2025, 1, 10), django_capture_on_commit_callbacks)
    task = visit.tasks.get(procedure="koki_soshitsu")
    assert task.overdue and "資格確認書" in task.late_note
    html = hoken_client.get("/backoffice/").content.decode()
    row = html[html.index(f'data-task="{task.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "期限超過" in row and task.late_note in row
    detail = hoken_client.get(f"/backoffice/tasks/{task.pk}/").content.decode()
    assert "期限超過" in detail and task.late_note in detail


@pytest.mark.django_db
def test_a_task_filed_in_time_is_not_marked(
    clerk, hoken_client, django_capture_on_commit_callbacks
):
    visit = _accepted_death(clerk, timezone.localdate(), django_capture_on_commit_callbacks)
    task = visit.tasks.get(procedure="koki_soshitsu")
    assert not task.overdue
    assert not any(t.overdue for t in Task.objects.all())
    assert "期限超過" not in hoken_client.get("/backoffice/").content.decode()
