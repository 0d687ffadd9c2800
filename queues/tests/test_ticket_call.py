"""Issuing and calling tickets: numbering per day and office, call order, every step a row."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import AuditEntry, Department
from queues import services
from queues.models import Ticket, TicketSequence, TicketTransition


@pytest.mark.django_db
def test_numbers_count_up_per_office_and_restart_the_next_day(honcho, counters):
    tanno = counters["tanno"].office
    a = services.issue_ticket(office=honcho, purpose_code="moving")
    b = services.issue_ticket(office=honcho, purpose_code="certificate")
    c = services.issue_ticket(office=tanno, purpose_code="moving")
    assert (a.number, b.number, c.number) == (1, 2, 1)
    assert (a.label, b.label) == ("A001", "D002")
    yesterday = timezone.localdate() - timedelta(days=1)  # as if issued yesterday
    Ticket.objects.update(day=yesterday)
    TicketSequence.objects.update(day=yesterday)
    assert services.issue_ticket(office=honcho, purpose_code="moving").number == 1


@pytest.mark.django_db
def test_the_same_kiosk_tap_twice_prints_one_ticket(honcho):
    a = services.issue_ticket(office=honcho, purpose_code="birth", token="tap-1")
    b = services.issue_ticket(office=honcho, purpose_code="birth", token="tap-1")
    assert a.pk == b.pk and Ticket.objects.count() == 1


@pytest.mark.django_db
def test_a_counter_calls_the_oldest_ticket_of_its_department(honcho, counters, clerk):
    first = services.issue_ticket(office=honcho, purpose_code="moving")
    insurance = services.issue_ticket(office=honcho, purpose_code="insurance")
    second = services.issue_ticket(office=honcho, purpose_code="death")
    assert services.call_next(counters[1], by=clerk) == first
    assert services.call_next(counters[2], by=clerk) == second  # 保険・年金 waits for 5番
    assert services.call_next(counters[1], by=clerk) is None
    assert services.call_next(counters[5], by=clerk) == insurance
    first.refresh_from_db()
    assert first.state == Ticket.State.CALLED and first.counter == counters[1]


@pytest.mark.django_db
def test_recall_hold_transfer_and_done_are_recorded_with_who_and_where(honcho, counters, clerk):
    t = services.issue_ticket(office=honcho, purpose_code="moving", by=clerk)
    services.call_next(counters[1], by=clerk)
    services.recall(t, by=clerk)
    services.hold(t, by=clerk, reason="書類を取りに")
    services.call_ticket(t, counters[2], by=clerk)
    services.transfer(t, by=clerk, department=Department.objects.get(code="hoken_nenkin"))
    t.refresh_from_db()
    assert t.state == Ticket.State.WAITING and t.department.code == "hoken_nenkin"
    assert services.call_next(counters[5], by=clerk) == t
    services.finish(t, by=clerk)
    rows = list(t.transitions.values_list("kind", "counter__number", "by__username"))
    assert rows == [
        ("issued", None, "shimin"),
        ("called", 1, "shimin"),
        ("recalled", 1, "shimin"),
        ("held", 1, "shimin"),
        ("called", 2, "shimin"),
        ("transferred", 2, "shimin"),
        ("called", 5, "shimin"),
        ("done", 5, "shimin"),
    ]
    assert AuditEntry.objects.filter(action__startswith="ticket.").count() == 8


@pytest.mark.django_db
def test_a_ticket_transferred_to_a_counter_is_called_only_there(honcho, counters, clerk):
    t = services.issue_ticket(office=honcho, purpose_code="moving")
    services.call_next(counters[1], by=clerk)
    services.transfer(t, by=clerk, counter=counters[2])
    other = services.issue_ticket(office=honcho, purpose_code="moving")
    assert services.call_next(counters[1], by=clerk) == other
    assert services.call_next(counters[2], by=clerk) == t


@pytest.mark.django_db
def test_done_is_refused_for_a_ticket_not_called(honcho, clerk):
    t = services.issue_ticket(office=honcho, purpose_code="moving")
    with pytest.raises(services.TicketError):
        services.finish(t, by=clerk)


@pytest.mark.django_db
def test_a_visit_started_from_a_called_ticket_is_linked_once(honcho, counters, clerk):
    t = services.issue_ticket(office=honcho, purpose_code="death")
    services.call_next(counters[1], by=clerk)
    visit = services.start_visit_from_ticket(t, by=clerk, office=honcho)
    again = services.start_visit_from_ticket(t, by=clerk, office=honcho)
    t.refresh_from_db()
    assert visit == again == t.visit and visit.events == ["death"]
    assert list(visit.tickets.all()) == [t]


@pytest.mark.django_db
def test_end_of_day_closes_open_tickets_with_the_reason(honcho, counters, clerk, capsys):
    waiting = services.issue_ticket(office=honcho, purpose_code="moving")
    called = services.issue_ticket(office=honcho, purpose_code="moving")
    done = services.issue_ticket(office=honcho, purpose_code="moving")
    services.call_next(counters[1], by=clerk)
    services.call_next(counters[2], by=clerk)
    services.call_ticket(done, counters[1], by=clerk)
    services.finish(done, by=clerk)
    call_command("queue_close_day", "--reason", "閉庁")
    assert "2 枚" in capsys.readouterr().out
    for t in (waiting, called):
        t.refresh_from_db()
        assert t.state == Ticket.State.CLOSED
        assert t.transitions.get(kind="closed").detail == {"reason": "閉庁"}
    assert TicketTransition.objects.filter(ticket=done, kind="closed").count() == 0
