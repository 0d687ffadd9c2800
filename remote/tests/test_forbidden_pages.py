"""Refusals on the remote URLs are the site's Japanese 403 page (madoguchi/errors.py), saying
why, not Django's English one nor a bare status."""

import pytest
from django.urls import reverse

from remote import services


def refusal(response) -> str:
    assert response.status_code == 403 and response["X-Madoguchi-Error"] == "403"
    html = response.content.decode()
    assert 'id="error-title"' in html and "この画面は表示できません" in html
    start = html.index('id="error-message"')
    return html[start : html.index("</", start)]


@pytest.mark.django_db
def test_a_counter_clerk_opening_the_lobby_is_told_it_is_the_departments(client, branch_clerk):
    client.force_login(branch_clerk)
    assert "相談の待合は担当課の職員が開きます" in refusal(client.get(reverse("remote:lobby")))


@pytest.mark.django_db
def test_another_departments_specialist_cannot_take_the_request(client, requested, kaigo_clerk):
    client.force_login(kaigo_clerk)
    for name in ("remote:admit", "remote:decline"):
        response = client.post(reverse(name, args=[requested.pk]))
        assert "他の課への相談は受け入れ・お断りできません" in refusal(response)
    requested.refresh_from_db()
    assert requested.state == "requested"


@pytest.mark.django_db
def test_the_room_says_who_may_enter_and_when(client, requested, hoken_clerk, clerk, branch_clerk):
    url = reverse("remote:room", args=[requested.pk])
    client.force_login(branch_clerk)
    assert "まだ受け入れられていないか、終了しています" in refusal(client.get(url))
    services.admit(requested, by=hoken_clerk)
    client.force_login(clerk)
    assert "依頼した職員と受け入れた職員だけです" in refusal(client.get(url))
    assert "依頼した職員と受け入れた職員だけです" in refusal(
        client.get(reverse("remote:live", args=[requested.pk]))
    )
    services.end(requested, by=hoken_clerk)
    client.force_login(hoken_clerk)
    assert "まだ受け入れられていないか、終了しています" in refusal(client.get(url))


@pytest.mark.django_db
def test_a_specialist_opening_the_branch_visit_block_is_sent_to_the_work_list(
    client, requested, hoken_clerk
):
    client.force_login(hoken_clerk)
    response = client.get(reverse("remote:visit_panel", args=[requested.visit.number]))
    assert "担当課の職員は窓口の画面を開けません" in refusal(response)
