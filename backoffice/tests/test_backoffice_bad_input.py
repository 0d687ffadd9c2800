"""The core systems' API and the department screens answer input they cannot use with a 4xx
and a Japanese message that names the item; never a 500, nothing recorded."""

import json

import pytest
from django.test import Client

from backoffice.api import issue_token
from backoffice.models import CoreSystem, TaskReceipt


@pytest.fixture
def api(db, demo_staff):
    from accounts.models import Department

    system = CoreSystem.objects.create(
        code="kokuho", name="国保システム", department=Department.objects.get(code="hoken_nenkin")
    )
    return Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(system)}")


@pytest.fixture
def task(accepted_visit):
    return accepted_visit.tasks.get(procedure="kokuho_soshitsu")


def _report(api, task, body: bytes):
    return api.post(
        f"/api/v1/tasks/{task.pk}/processed", data=body, content_type="application/json"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            json.dumps({"reference": "KK\x00-1"}),
            "reference に使えない文字（NUL）が含まれています。",
        ),
        (
            json.dumps({"reference": "KK\ud800"}),
            "reference に使えない文字（U+D800）が含まれています。",
        ),
        (json.dumps({"reference": ["KK-1"]}), "reference は文字列で指定してください。"),
        (json.dumps({"reference": "K" * 101}), "reference は 100 文字以内で指定してください。"),
        (json.dumps(["KK-1"]), "本文 は JSON のオブジェクト（{…}）で指定してください。"),
        ("{reference: KK-1}", "本文を JSON として読めません（1 行 2 文字目）。"),
        (b"\xff\xfe", "本文が UTF-8 の文字列ではありません。"),
    ],
)
def test_a_report_the_api_cannot_record_is_a_400_naming_the_item(api, task, body, message):
    r = _report(api, task, body)
    assert r.status_code == 400
    assert r.json() == {"error": "bad_request", "message": message}
    assert not TaskReceipt.objects.exists()


@pytest.mark.django_db
def test_a_report_without_a_body_is_recorded_without_a_reference(api, task):
    r = _report(api, task, b"")
    assert r.status_code == 201 and r.json()["reference"] == ""


@pytest.mark.django_db
def test_a_method_the_api_does_not_take_is_answered_in_json(api, task):
    r = api.get(f"/api/v1/tasks/{task.pk}/processed")
    assert r.status_code == 405 and r["Allow"] == "POST"
    assert r.json() == {"error": "method_not_allowed", "message": "このURLで使えるのは POST です。"}
    r = api.post("/api/v1/tasks")
    assert r.status_code == 405 and r.json()["message"] == "このURLで使えるのは GET です。"


@pytest.mark.django_db
def test_a_supervisor_asking_for_a_department_code_with_a_nul_gets_a_404(client, demo_staff):
    client.force_login(demo_staff["kanri"])
    assert client.get("/backoffice/", {"department": "hoken\x00"}).status_code == 404
    assert client.get("/backoffice/export.csv", {"department": "\x00"}).status_code == 404
    assert client.get("/backoffice/", {"department": "hoken_nenkin"}).status_code == 200


@pytest.mark.django_db
def test_a_queue_filter_with_a_nul_says_which_filter(client, demo_staff):
    client.force_login(demo_staff["kanri"])
    r = client.get("/backoffice/", {"department": "hoken_nenkin", "office": "1\x00"})
    assert r.status_code == 200
    assert "庁舎に使えない文字（NUL）が含まれています。" in r.content.decode()
