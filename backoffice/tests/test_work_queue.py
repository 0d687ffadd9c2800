"""A department's screen: its open tasks only, filters, live updates that cost nothing when
nothing changed."""

from datetime import date

import pytest

from accounts.models import Office
from backoffice import services as bo
from backoffice.models import Task
from counter import services
from counter.tests.factories import elderly_couple


@pytest.mark.django_db
def test_a_department_sees_only_its_own_tasks(accepted_visit, hoken_client):
    r = hoken_client.get("/backoffice/")
    html = r.content.decode()
    assert r.status_code == 200
    shown = {t.procedure for t in Task.objects.all() if f'data-task="{t.pk}"' in html}
    assert shown == {"kokuho_soshitsu", "koki_tenshutsu"}


@pytest.mark.django_db
def test_done_tasks_leave_the_queue_and_the_state_filter_brings_them_back(
    accepted_visit, hoken_clerk, hoken_client
):
    task = accepted_visit.tasks.get(procedure="kokuho_soshitsu")
    bo.transition(task, action="done", by=hoken_clerk, version=task.version)
    assert f'data-task="{task.pk}"' not in hoken_client.get("/backoffice/").content.decode()
    assert f'data-task="{task.pk}"' in hoken_client.get("/backoffice/?state=done").content.decode()


@pytest.mark.django_db
def test_the_event_and_office_filters(
    accepted_visit, hoken_client, clerk, django_capture_on_commit_callbacks
):
    hh, _h, _w = elderly_couple()
    other = services.start_visit(
        by=clerk,
        office=clerk.staff.office,
        events=["tenkyo"],
        event_date=date(2026, 6, 15),
        household=hh,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_visit(other, by=clerk)
    html = hoken_client.get("/backoffice/?event=tenshutsu").content.decode()
    assert accepted_visit.number in html and other.number not in html
    tanno = Office.objects.get(code="tanno")
    tanno = hoken_client.get(
        "/backoffice/", {"office": tanno.pk}
    ).content  # no visit at the 端野支所
    assert accepted_visit.number.encode() not in tanno


@pytest.mark.django_db
def test_newest_visits_first_or_nearest_deadline_first(
    accepted_visit, hoken_client, clerk, django_capture_on_commit_callbacks
):
    hh, _h, _w = elderly_couple()
    newer = services.start_visit(
        by=clerk,
        office=clerk.staff.office,
        events=["tenshutsu"],
        event_date=date(2026, 6, 1),
        household=hh,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_visit(newer, by=clerk)
    html = hoken_client.get("/backoffice/").content.decode()
    assert html.index(newer.number) < html.index(accepted_visit.number)


@pytest.mark.django_db
def test_the_live_poll_answers_204_until_something_changes(
    accepted_visit, hoken_clerk, hoken_client
):
    r = hoken_client.get("/backoffice/live/")
    stamp = r.content.decode().split("stamp=", 1)[1].split('"', 1)[0]
    from urllib.parse import unquote

    assert hoken_client.get("/backoffice/live/", {"stamp": unquote(stamp)}).status_code == 204
    task = accepted_visit.tasks.get(procedure="kokuho_soshitsu")
    bo.transition(task, action="start", by=hoken_clerk, version=task.version)
    r = hoken_client.get("/backoffice/live/", {"stamp": unquote(stamp)})
    assert r.status_code == 200 and "対応中" in r.content.decode()


@pytest.mark.django_db
def test_the_queue_buttons_move_a_task_and_a_stale_click_says_why(accepted_visit, hoken_client):
    task = accepted_visit.tasks.get(procedure="kokuho_soshitsu")
    r = hoken_client.post(
        f"/backoffice/tasks/{task.pk}/transition/", {"do": "start", "version": 1, "next": "queue"}
    )
    assert r.status_code == 302
    r = hoken_client.post(
        f"/backoffice/tasks/{task.pk}/transition/",
        {"do": "done", "version": 1, "next": "queue"},
        follow=True,
    )
    assert "他の職員が先に更新しました" in r.content.decode()
    task.refresh_from_db()
    assert task.state == Task.State.IN_PROGRESS


@pytest.mark.django_db
def test_department_staff_are_sent_from_the_counter_search_to_their_queue(hoken_client):
    r = hoken_client.get("/")
    assert r.status_code == 302 and r["Location"] == "/backoffice/"


@pytest.mark.django_db
def test_a_department_cannot_open_another_departments_task(accepted_visit, hoken_client):
    task = accepted_visit.tasks.get(procedure="inkan_haishi")
    assert hoken_client.get(f"/backoffice/tasks/{task.pk}/").status_code == 403
    assert hoken_client.get("/backoffice/?department=shimin").status_code == 403


@pytest.mark.django_db
def test_a_supervisor_chooses_any_departments_queue(accepted_visit, demo_staff, client):
    client.force_login(demo_staff["kanri"])
    html = client.get("/backoffice/", {"department": "hoken_nenkin"}).content.decode()
    task = accepted_visit.tasks.get(procedure="kokuho_soshitsu")
    assert f'data-task="{task.pk}"' in html and 'name="department"' in html
