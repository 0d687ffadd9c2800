"""保険年金課 staff call the residents waiting for their own counters (5番・6番) from the
queue screen; they neither call another department's counter nor see its waiting list, and
issuing tickets stays with the counter staff."""

import pytest
from django.test import Client
from django.urls import reverse

from queues import services
from queues.models import Ticket


@pytest.fixture
def hoken_client(hoken_clerk):
    c = Client()
    c.force_login(hoken_clerk)
    return c


@pytest.mark.django_db
def test_the_screen_offers_only_the_departments_counters_and_its_waiting(
    hoken_client, counters, honcho
):
    services.issue_ticket(office=honcho, purpose_code="insurance")
    moving = services.issue_ticket(office=honcho, purpose_code="moving")
    response = hoken_client.get(reverse("queues:staff"))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'value="{counters[5].pk}"' in page
    assert f'value="{counters[1].pk}"' not in page and f'value="{counters[2].pk}"' not in page
    assert moving.label not in page
    assert "窓口で発券" not in page


@pytest.mark.django_db
def test_it_calls_next_at_its_own_counter(hoken_client, counters, honcho, hoken_clerk):
    services.issue_ticket(office=honcho, purpose_code="moving")
    insurance = services.issue_ticket(office=honcho, purpose_code="insurance")
    response = hoken_client.post(reverse("queues:call_next", args=[counters[5].pk]))
    assert response.status_code == 302
    insurance.refresh_from_db()
    assert insurance.state == Ticket.State.CALLED and insurance.counter == counters[5]


@pytest.mark.django_db
def test_it_may_not_call_at_another_departments_counter(hoken_client, counters, honcho):
    moving = services.issue_ticket(office=honcho, purpose_code="moving")
    response = hoken_client.post(reverse("queues:call_next", args=[counters[1].pk]))
    assert response.status_code == 403
    assert "他の課の窓口は操作できません。" in response.content.decode()
    moving.refresh_from_db()
    assert moving.state == Ticket.State.WAITING


@pytest.mark.django_db
def test_it_may_not_act_on_another_departments_ticket(hoken_client, counters, honcho):
    moving = services.issue_ticket(office=honcho, purpose_code="moving")
    response = hoken_client.post(reverse("queues:ticket_action", args=[moving.pk, "call"]))
    assert response.status_code == 403
    assert "他の課の番号は操作できません。" in response.content.decode()


@pytest.mark.django_db
def test_it_may_not_issue_tickets(hoken_client, counters):
    response = hoken_client.post(reverse("queues:staff_issue"), {"purpose": "insurance"})
    assert response.status_code == 403 and not Ticket.objects.exists()
