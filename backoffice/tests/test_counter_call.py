"""The counter calls a department ("国保の担当の方、3番窓口へ"); its screen rings until someone
takes the call; the counter's board shows who is coming."""

import io
import wave

import pytest
from django.test import Client

from accounts.models import Department
from backoffice import services as bo
from backoffice.models import CounterCall


@pytest.mark.django_db
def test_a_call_rings_on_the_departments_screen_until_taken(
    accepted_visit, clerk_client, hoken_clerk
):
    hoken_client = Client()
    hoken_client.force_login(hoken_clerk)
    hoken = Department.objects.get(code="hoken_nenkin")
    r = clerk_client.post(
        f"/backoffice/visits/{accepted_visit.number}/call/",
        {"department": hoken.pk, "counter": "3", "note": "国保の喪失"},
    )
    assert r.status_code == 200 and "保険年金課を3番窓口へ呼びました" in r.content.decode()
    html = hoken_client.get("/backoffice/").content.decode()
    assert "保険年金課の担当の方、3番窓口へ" in html and "data-chime=" in html
    call = CounterCall.objects.get()
    r = hoken_client.post(f"/backoffice/calls/{call.pk}/take/", follow=True)
    assert "3番窓口へ向かってください" in r.content.decode()
    html = hoken_client.get("/backoffice/").content.decode()
    assert "data-chime=" not in html and "保険年金課 井上が3番窓口へ" in html


@pytest.mark.django_db
def test_the_board_shows_every_task_and_who_is_coming(accepted_visit, clerk_client, hoken_clerk):
    hoken = Department.objects.get(code="hoken_nenkin")
    call = bo.call_department(
        accepted_visit, department=hoken, counter="3番窓口", by=accepted_visit.created_by
    )
    html = clerk_client.get(
        f"/backoffice/visits/{accepted_visit.number}/board/?frame=1"
    ).content.decode()
    assert all(f'data-task="{t.pk}"' in html for t in accepted_visit.tasks.all())
    assert "呼出中" in html
    bo.take_call(call, by=hoken_clerk)
    html = clerk_client.get(f"/backoffice/visits/{accepted_visit.number}/board/").content.decode()
    assert "保険年金課 井上が向かっています" in html


@pytest.mark.django_db
def test_a_second_click_calls_nobody_twice_and_a_second_taker_is_told_who_went(
    accepted_visit, hoken_clerk, admin
):
    hoken = Department.objects.get(code="hoken_nenkin")
    a = bo.call_department(accepted_visit, department=hoken, counter="3番窓口", by=admin)
    b = bo.call_department(accepted_visit, department=hoken, counter="3番窓口", by=admin)
    assert a.pk == b.pk
    bo.take_call(a, by=hoken_clerk)
    with pytest.raises(bo.CallTaken, match="保険年金課 井上"):
        bo.take_call(a, by=admin)


@pytest.mark.django_db
def test_the_chime_is_a_wav_made_at_request_time(client):
    r = client.get("/backoffice/chime.wav")
    assert r["Content-Type"] == "audio/wav"
    with wave.open(io.BytesIO(r.content)) as w:
        assert w.getnchannels() == 1 and 0.5 < w.getnframes() / w.getframerate() < 2


@pytest.mark.django_db
def test_the_visit_page_loads_the_board(accepted_visit, clerk_client):
    html = clerk_client.get(f"/visits/{accepted_visit.number}/").content.decode()
    assert f"/backoffice/visits/{accepted_visit.number}/board/?frame=1" in html
