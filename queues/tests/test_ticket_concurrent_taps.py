"""Twelve residents tap the kiosk at the same moment: every tap gets its own number, none
an error (on PostgreSQL four of twelve used to fail with 'could not allocate')."""

import threading

import pytest
from django.db import connection

from queues import services
from queues.models import Ticket

TAPS = 12

# Each thread is a kiosk with its own connection: on SQLite (a file, not memory, in tests:
# madoguchi.settings) and on PostgreSQL in CI's second pass.


@pytest.mark.django_db(transaction=True)
def test_simultaneous_taps_each_get_a_number(honcho):
    barrier = threading.Barrier(TAPS)
    numbers, errors = [], []

    def tap(i):
        try:
            barrier.wait()
            t = services.issue_ticket(office=honcho, purpose_code="moving", token=f"tap-{i}")
            numbers.append(t.number)
        except Exception as e:  # noqa: BLE001 - every failure is what the test reports
            errors.append(repr(e))
        finally:
            connection.close()

    threads = [threading.Thread(target=tap, args=(i,)) for i in range(TAPS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(numbers) == list(range(1, TAPS + 1))
    assert Ticket.objects.filter(office=honcho).count() == TAPS


@pytest.mark.django_db(transaction=True)
def test_the_same_tap_twice_at_once_prints_one_ticket_and_skips_no_number(honcho):
    barrier = threading.Barrier(2)
    got = []

    def tap():
        barrier.wait()
        got.append(services.issue_ticket(office=honcho, purpose_code="moving", token="one").pk)
        connection.close()

    threads = [threading.Thread(target=tap) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(got)) == 1
    after = services.issue_ticket(office=honcho, purpose_code="moving", token="next")
    assert after.number == 2
