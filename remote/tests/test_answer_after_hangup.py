"""An answer sent from the room after the other side hung up is not lost: the branch's is
saved to its visit and the room keeps showing the visit with a Japanese message; the
specialist's, whose reach ended with the call, is refused with the reason and saves nothing."""

import pytest
from django.urls import reverse

from remote import services

ANSWER = {"fact": "new_dwelling", "value": "false", "person": "", "unanswered": "1"}


@pytest.fixture
def ended(requested, hoken_clerk):
    services.admit(requested, by=hoken_clerk)
    services.mark_connected(requested, by=hoken_clerk)
    return services.end(requested, by=hoken_clerk)  # the specialist hung up


@pytest.mark.django_db
def test_the_branch_answers_after_the_specialist_hung_up_and_it_is_saved(
    client, ended, branch_clerk
):
    client.force_login(branch_clerk)
    response = client.post(reverse("remote:answer", args=[ended.pk]), ANSWER)
    assert response.status_code == 200
    html = response.content.decode()
    assert "相談は終了しましたが、この回答は来庁記録に保存しました" in html
    assert 'id="procedures"' in html  # the shared visit is still there
    assert 'data-fact="new_dwelling"' not in html  # answered: no longer asked
    # Further answers go to the counter's own page of the visit, which is the branch's.
    assert reverse("counter:answer", args=[ended.visit.number]) in html
    ended.visit.refresh_from_db()
    assert ended.visit.household_facts["new_dwelling"] is False
    assert ended.visit.answers.filter(fact="new_dwelling", by=branch_clerk).exists()


@pytest.mark.django_db
def test_the_specialist_answering_after_the_end_is_told_it_was_not_saved(
    client, ended, hoken_clerk
):
    client.force_login(hoken_clerk)
    response = client.post(reverse("remote:answer", args=[ended.pk]), ANSWER)
    assert response.status_code == 403 and response["X-Madoguchi-Error"] == "403"
    assert "この回答は保存されていません" in response.content.decode()
    ended.visit.refresh_from_db()
    assert "new_dwelling" not in ended.visit.household_facts


@pytest.mark.django_db
def test_an_outsider_cannot_answer_an_ended_consultation(client, ended, clerk):
    client.force_login(clerk)
    response = client.post(reverse("remote:answer", args=[ended.pk]), ANSWER)
    assert response.status_code == 403
    ended.visit.refresh_from_db()
    assert "new_dwelling" not in ended.visit.household_facts
