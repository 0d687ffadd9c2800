"""The clerk's other moves: call the ticket they choose, hold with a reason (shown in the
held list), mark 不在 and call again when the resident turns up; the 「次の方を呼ぶ（N人待ち）」
button is part of what the screen refreshes, so its count follows the room."""

import re

import pytest
from django.urls import reverse

from queues import services
from queues.models import Ticket, TicketTransition


@pytest.fixture
def screen(clerk_client, counters):
    url = reverse("queues:staff")
    clerk_client.get(url, {"counter": counters[1].pk})  # the session's counter: 1番
    return url


@pytest.mark.django_db
def test_the_clerk_calls_the_ticket_they_choose(clerk_client, screen, honcho, counters):
    first = services.issue_ticket(office=honcho, purpose_code="moving")
    chosen = services.issue_ticket(office=honcho, purpose_code="moving")
    page = clerk_client.get(screen).text
    action = reverse("queues:ticket_action", args=[chosen.pk, "call"])
    assert f'action="{action}"' in page  # each waiting row has its own call button
    clerk_client.post(action, {"counter": counters[1].pk})
    chosen.refresh_from_db()
    first.refresh_from_db()
    assert chosen.state == "called" and chosen.counter == counters[1]
    assert first.state == "waiting"
    assert f"呼出中：{chosen.label}" in clerk_client.get(screen).text


@pytest.mark.django_db
def test_hold_needs_a_reason_and_the_held_list_shows_it(clerk_client, screen, honcho, counters):
    t = services.issue_ticket(office=honcho, purpose_code="moving")
    services.call_next(counters[1], by=None)
    url = reverse("queues:ticket_action", args=[t.pk, "hold"])
    refused = clerk_client.post(url, {"reason": ""}, follow=True).text
    t.refresh_from_db()
    assert t.state == "called" and "保留の理由を入力してください" in refused
    clerk_client.post(url, {"reason": "住民票の写しを取りに行っている"})
    t.refresh_from_db()
    assert t.state == "held"
    assert t.transitions.get(kind="held").detail == {"reason": "住民票の写しを取りに行っている"}
    page = clerk_client.get(screen).text
    held = page[page.index('id="held"') :].split("</ul>")[0]
    assert t.label in held and "住民票の写しを取りに行っている" in held


@pytest.mark.django_db
def test_a_resident_who_does_not_come_is_marked_absent_and_can_be_called_again(
    clerk_client, screen, honcho, counters, clerk
):
    t = services.issue_ticket(office=honcho, purpose_code="moving")
    services.call_next(counters[1], by=clerk)
    clerk_client.post(reverse("queues:ticket_action", args=[t.pk, "noshow"]))
    t.refresh_from_db()
    assert t.state == Ticket.State.NO_SHOW and t.get_state_display() == "不在"
    assert t.transitions.filter(kind=TicketTransition.Kind.NO_SHOW).count() == 1
    page = clerk_client.get(screen).text
    assert t.label in page[page.index('id="no-show"') :].split("</ul>")[0]
    assert "次の方を呼ぶ" in page  # the counter is free again
    with pytest.raises(services.TicketError):
        services.no_show(t, by=clerk)  # only a called ticket becomes 不在
    services.call_ticket(t, counters[1], by=clerk)  # they came back after all
    t.refresh_from_db()
    assert t.state == "called"
    assert (
        "お呼びしましたが"
        not in clerk_client.get(reverse("queues:wait_status", args=[t.token])).text
    )


@pytest.mark.django_db
def test_the_absent_residents_phone_says_to_ask_a_clerk(client, honcho, counters, clerk):
    t = services.issue_ticket(office=honcho, purpose_code="moving")
    services.call_next(counters[1], by=clerk)
    services.no_show(t, by=clerk)
    status = client.get(reverse("queues:wait_status", args=[t.token])).json()
    assert status["state"] == "noshow" and "お近くの職員にお声がけください" in status["message"]


@pytest.mark.django_db
def test_the_call_next_count_is_inside_what_the_screen_refreshes(clerk_client, screen, honcho):
    services.issue_ticket(office=honcho, purpose_code="moving")
    page = clerk_client.get(screen).text
    box = re.search(r'<div id="waiting-box"[^>]*>', page).group()
    oob = re.search(r'hx-select-oob="#([\w-]+)"', box).group(1)
    assert re.search(rf'id="{oob}">.*?1人待ち', page, re.S)
    services.issue_ticket(office=honcho, purpose_code="moving")
    # What the refresh fetches (the same URL) carries the new count in that element.
    refreshed = clerk_client.get(screen, HTTP_HX_REQUEST="true").text
    assert re.search(rf'id="{oob}">.*?2人待ち', refreshed, re.S)
