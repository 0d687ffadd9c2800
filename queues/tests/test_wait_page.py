"""The resident's phone: sent on to another counter, it says where to wait now (on the page
and through the poll the live link also sends); a wrong link gets a page in Japanese."""

import pytest
from django.urls import reverse

from queues import services


@pytest.mark.django_db
def test_a_transferred_resident_sees_the_new_counter(client, honcho, counters, clerk):
    t = services.issue_ticket(office=honcho, purpose_code="moving")
    services.call_next(counters[1], by=clerk)
    services.transfer(t, by=clerk, counter=counters[5])
    status = client.get(reverse("queues:wait_status", args=[t.token])).json()
    assert (
        status["transferred_to"] == "5番窓口"
        and "担当が 5番窓口 に変わりました" in status["message"]
    )
    page = client.get(reverse("queues:wait", args=[t.token])).text
    assert "担当が 5番窓口 に変わりました" in page
    services.call_next(counters[5], by=clerk)
    status = client.get(reverse("queues:wait_status", args=[t.token])).json()
    assert "5番窓口へお越しください" in status["message"]


@pytest.mark.django_db
def test_a_resident_sent_to_a_department_sees_its_name(client, honcho, counters, clerk):
    t = services.issue_ticket(office=honcho, purpose_code="moving")
    services.call_next(counters[1], by=clerk)
    services.transfer(t, by=clerk, department=counters[5].department)
    status = client.get(reverse("queues:wait_status", args=[t.token])).json()
    assert "担当が 保険年金課 に変わりました" in status["message"]


@pytest.mark.django_db
def test_a_wrong_link_gets_a_japanese_page(client, honcho):
    response = client.get(reverse("queues:wait", args=["no-such-ticket"]))
    assert response.status_code == 404
    page = response.content.decode()
    assert '<html lang="ja">' in page and "番号札が見つかりません" in page
    assert "QR コードをもう一度読み取ってください" in page and "Not Found" not in page
