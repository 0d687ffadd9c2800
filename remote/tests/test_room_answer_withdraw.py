"""「変更」 in the remote room: either party takes an answer back through the room's own URL,
the other screen hears of it, an answer changed meanwhile is refused with what changed; after
the call the branch's withdrawal is saved to its visit and the specialist's refused."""

import pytest
from django.urls import reverse

from counter import services as counter_services
from remote import services

pytestmark = pytest.mark.django_db

SEEN_NO = {"fact": "new_dwelling", "person": "", "value": "false"}


@pytest.fixture
def answered(requested, branch_clerk):
    counter_services.record_answer(
        requested.visit, by=branch_clerk, fact="new_dwelling", value=False
    )
    return requested


def test_the_room_lists_the_answers_with_its_own_change_url(client, answered, hoken_clerk):
    services.admit(answered, by=hoken_clerk)
    client.force_login(hoken_clerk)
    html = client.get(reverse("remote:room", args=[answered.pk])).content.decode()
    listed = html.split('id="answered"', 1)[1].split("</details>", 1)[0]
    assert 'data-answer="new_dwelling@"' in listed
    assert f'hx-post="{reverse("remote:answer_withdraw", args=[answered.pk])}"' in listed
    assert reverse("counter:answer_withdraw", args=[answered.visit.number]) not in listed


def test_the_specialist_withdraws_and_the_branch_hears_of_it(
    client, answered, hoken_clerk, monkeypatch, django_capture_on_commit_callbacks
):
    services.admit(answered, by=hoken_clerk)
    heard = []
    monkeypatch.setattr(services, "broadcast", lambda c, kind: heard.append((c.pk, kind)))
    client.force_login(hoken_clerk)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("remote:answer_withdraw", args=[answered.pk]), SEEN_NO)
    assert r.status_code == 200
    assert 'data-fact="new_dwelling"' in r.content.decode()  # asked again
    assert heard == [(answered.pk, "visit-changed")]
    answered.visit.refresh_from_db()
    assert "new_dwelling" not in answered.visit.household_facts
    assert answered.visit.answers.get(withdrawn=True).by == hoken_clerk


def test_an_answer_changed_meanwhile_is_not_withdrawn_from_the_room(
    client, answered, branch_clerk, hoken_clerk
):
    services.admit(answered, by=hoken_clerk)
    counter_services.record_answer(answered.visit, by=branch_clerk, fact="new_dwelling", value=True)
    client.force_login(hoken_clerk)
    r = client.post(reverse("remote:answer_withdraw", args=[answered.pk]), SEEN_NO)
    assert r.status_code == 409
    assert "他の職員が先に変更しています" in r.content.decode()
    answered.visit.refresh_from_db()
    assert answered.visit.household_facts["new_dwelling"] is True


def test_after_the_call_the_branch_withdraws_and_the_specialist_cannot(
    client, answered, branch_clerk, hoken_clerk
):
    services.admit(answered, by=hoken_clerk)
    services.end(answered, by=hoken_clerk)
    url = reverse("remote:answer_withdraw", args=[answered.pk])
    client.force_login(hoken_clerk)
    r = client.post(url, SEEN_NO)
    assert r.status_code == 403
    answered.visit.refresh_from_db()
    assert answered.visit.household_facts == {"new_dwelling": False}

    client.force_login(branch_clerk)
    r = client.post(url, SEEN_NO)
    assert r.status_code == 200
    html = r.content.decode()
    assert "回答の取り消しは来庁記録に保存しました" in html
    # The question is asked again, its answer going to the counter's own page of the visit.
    assert 'data-fact="new_dwelling"' in html
    assert reverse("counter:answer", args=[answered.visit.number]) in html
    answered.visit.refresh_from_db()
    assert answered.visit.household_facts == {}
