"""Handoff to core systems: the CSV with the standard item names, the token API, and pushes
that fail visibly and are retried. The API's generated OpenAPI document:
madoguchi/tests/test_api_document.py."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from accounts.models import AuditEntry, Department
from backoffice import services as bo
from backoffice.api import issue_token
from backoffice.models import ApiToken, CoreSystem, Handoff, Task, TaskReceipt
from backoffice.tests.core_system import CoreSystemServer


def _finish(task, by):
    task.refresh_from_db()
    return bo.transition(task, action="done", by=by, version=task.version)


@pytest.fixture
def kokuho_system(db, demo_staff):
    return CoreSystem.objects.create(
        code="kokuho", name="国保システム", department=Department.objects.get(code="hoken_nenkin")
    )


@pytest.fixture
def api(kokuho_system):
    c = Client()
    c.defaults["HTTP_AUTHORIZATION"] = f"Bearer {issue_token(kokuho_system)}"
    return c


# --- CSV ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_csv_has_the_standard_item_names_and_only_completed_tasks(
    accepted_visit, hoken_clerk, hoken_client
):
    done = accepted_visit.tasks.get(procedure="kokuho_soshitsu")
    _finish(done, hoken_clerk)
    r = hoken_client.get("/backoffice/export.csv")
    assert r["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert len(rows) == 1
    row = rows[0]
    for name in (
        "宛名番号",
        "世帯番号",
        "氏名",
        "氏名の振り仮名",
        "生年月日",
        "性別",
        "世帯主との続柄",
        "住所",
        "方書",
        "郵便番号",
        "異動前住所",
        "異動年月日",
        "届出の年月日",
    ):
        assert name in row
    assert (
        row["氏名"] == "髙橋　花子"
        and row["生年月日"] == "1960-02-02"
        and row["手続きID"] == "kokuho_soshitsu"
    )
    assert row["住所"].startswith("北海道北見市北4条東")
    assert (
        AuditEntry.objects.filter(action="resident.exported")
        .about(done.person.resident_id)
        .exists()
    )


@pytest.mark.django_db
def test_a_protected_residents_address_is_left_out_of_the_csv_and_the_attempt_logged(
    accepted_visit, hoken_clerk, hoken_client
):
    task = accepted_visit.tasks.get(procedure="kokuho_soshitsu")
    task.person.resident.support_measure = True
    task.person.resident.save()
    _finish(task, hoken_clerk)
    rows = list(
        csv.DictReader(
            io.StringIO(hoken_client.get("/backoffice/export.csv").content.decode("utf-8-sig"))
        )
    )
    assert rows[0]["支援措置"] == "1" and rows[0]["住所"] == "" and rows[0]["氏名"] == "髙橋　花子"
    assert AuditEntry.objects.filter(
        action="protected_address.refused", user=hoken_clerk, resident_id=task.person.resident_id
    ).exists()


# --- API ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_refuses_a_missing_wrong_or_revoked_token(kokuho_system):
    assert Client().get("/api/v1/tasks").status_code == 401
    assert Client(HTTP_AUTHORIZATION="Bearer nope").get("/api/v1/tasks").status_code == 401
    token = issue_token(kokuho_system)
    ApiToken.objects.update(revoked_at=timezone.now())
    assert Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/v1/tasks").status_code == 401


@pytest.mark.django_db
def test_only_the_hash_of_a_token_is_stored(kokuho_system):
    token = issue_token(kokuho_system)
    stored = ApiToken.objects.get()
    assert token not in (stored.key_hash, stored.prefix) and len(stored.key_hash) == 64


@pytest.mark.django_db
def test_a_core_system_pulls_its_departments_new_tasks_and_reports_them_processed(
    accepted_visit, hoken_clerk, api
):
    task = accepted_visit.tasks.get(procedure="kokuho_soshitsu")
    _finish(task, hoken_clerk)
    body = api.get("/api/v1/tasks").json()
    assert [t["id"] for t in body["tasks"]] == [task.pk]
    pulled = body["tasks"][0]
    assert pulled["person"]["name"] == "髙橋　花子" and pulled["form"] == "kokuho_ido"
    assert {t["procedure"] for t in api.get("/api/v1/tasks?state=all").json()["tasks"]} == {
        "kokuho_soshitsu",
        "koki_tenshutsu",
    }  # never another department's

    r = api.post(
        f"/api/v1/tasks/{task.pk}/processed",
        data=json.dumps({"reference": "KK-1"}),
        content_type="application/json",
    )
    assert r.status_code == 201
    again = api.post(
        f"/api/v1/tasks/{task.pk}/processed", data="{}", content_type="application/json"
    )
    assert again.status_code == 200 and again.json()["reference"] == "KK-1"
    assert TaskReceipt.objects.count() == 1
    assert api.get("/api/v1/tasks").json()["tasks"] == []  # processed: no longer new


@pytest.mark.django_db
def test_another_departments_task_is_not_found(accepted_visit, api):
    other = accepted_visit.tasks.get(procedure="inkan_haishi")
    assert api.get(f"/api/v1/tasks/{other.pk}").status_code == 404
    assert api.post(f"/api/v1/tasks/{other.pk}/processed").status_code == 404


@pytest.mark.django_db
def test_the_api_gives_no_protected_address(accepted_visit, api):
    task = accepted_visit.tasks.get(procedure="kokuho_soshitsu")
    task.person.resident.support_measure = True
    task.person.resident.save()
    person = api.get(f"/api/v1/tasks/{task.pk}").json()["person"]
    assert person["support_measure"] is True and person["address"] == "" and person["zip"] == ""


# --- pushes to core systems -----------------------------------------------------------------


def _loop(stdout=None):
    """One round of `madoguchi handoff --loop`, as `serve` runs it every minute."""
    call_command("handoff", stdout=stdout or io.StringIO(), stderr=io.StringIO())


@pytest.fixture
def core_system(kokuho_system):
    """The 国保システム as a real HTTP server that takes pushes (answers: see each test)."""
    server = CoreSystemServer(201)
    kokuho_system.push_url = server.url
    kokuho_system.save()
    yield server
    server.close()


@pytest.mark.django_db
def test_a_clerks_done_click_only_queues_the_push_and_the_loop_sends_it(
    accepted_visit, hoken_clerk, core_system, api, django_capture_on_commit_callbacks
):
    task = accepted_visit.tasks.get(procedure="kokuho_soshitsu")
    with django_capture_on_commit_callbacks(execute=True):
        _finish(task, hoken_clerk)
    h = Handoff.objects.get(kind=Handoff.Kind.PUSH)
    assert core_system.requests == [] and (h.status, h.attempts) == (Handoff.Status.PENDING, 0)
    _loop()
    h.refresh_from_db()
    assert (h.status, h.attempts) == (Handoff.Status.DONE, 1)
    [request] = core_system.requests
    assert (request["method"], request["path"]) == ("POST", "/madoguchi/tasks")
    assert request["headers"]["Content-Type"] == "application/json"
    assert request["headers"]["Idempotency-Key"] == h.idempotency_key
    # The body is the task as the pull API gives it, with the push's idempotency key.
    pulled = api.get(f"/api/v1/tasks/{task.pk}").json()
    assert request["body"] == {**pulled, "idempotency_key": h.idempotency_key}
    assert request["body"]["person"]["name"] == "髙橋　花子"
    _loop()
    assert len(core_system.requests) == 1  # done handoffs are not sent again


@pytest.mark.django_db
def test_a_failing_push_is_shown_to_the_department_and_retried(
    accepted_visit, hoken_clerk, hoken_client, core_system, django_capture_on_commit_callbacks
):
    core_system.statuses = [503, 201]  # down for the first push, up again for the retry
    task = accepted_visit.tasks.get(procedure="kokuho_soshitsu")
    with django_capture_on_commit_callbacks(execute=True):
        _finish(task, hoken_clerk)
    _loop()
    h = Handoff.objects.get(kind=Handoff.Kind.PUSH)
    assert (h.status, h.attempts) == (Handoff.Status.FAILED, 1) and "503" in h.last_error
    html = hoken_client.get("/backoffice/").content.decode()
    assert "連携の失敗" in html and "503" in html
    # Not the 市民課's to see: it is the 保険年金課's core system.
    clerk_view = Client()
    clerk_view.force_login(accepted_visit.created_by)
    assert h.last_error not in clerk_view.get("/backoffice/").content.decode()

    r = hoken_client.post(f"/backoffice/handoffs/{h.pk}/retry/", follow=True)
    assert "再送を受け付けました" in r.content.decode()
    h.refresh_from_db()
    assert h.status == Handoff.Status.PENDING  # the click did not wait on the system
    assert len(core_system.requests) == 1
    _loop()
    h.refresh_from_db()
    assert h.status == Handoff.Status.DONE  # the 再送 started the count afresh
    first, again = core_system.requests
    assert first["body"] == again["body"] and again["body"]["id"] == task.pk
    key = again["headers"]["Idempotency-Key"]
    assert first["headers"]["Idempotency-Key"] == key == h.idempotency_key  # kept once
    assert Task.objects.get(pk=task.pk).state == Task.State.DONE


@pytest.mark.django_db
def test_the_apitoken_command_registers_a_system_and_prints_a_working_token(demo_staff):
    out = io.StringIO()
    call_command("apitoken", "kaigo-sys", department="kaigo", name="介護システム", stdout=out)
    token = out.getvalue().strip()
    assert CoreSystem.objects.get(code="kaigo-sys").department.code == "kaigo"
    assert Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/v1/tasks").status_code == 200
