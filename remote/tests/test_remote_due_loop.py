"""`madoguchi remote_due --loop` (as `serve` runs it): a round that fails is logged, and the
next round does the work; once stopped (what SIGTERM does), the loop ends after its round."""

import io
import logging
import re
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from queues import services as queue_services
from queues.models import Slot
from remote import services
from remote.management.commands import remote_due


@pytest.mark.django_db
def test_a_failed_round_is_logged_and_the_next_one_sends_the_booking(
    client, branch_clerk, hoken_clerk, caplog
):
    office = branch_clerk.staff.office
    now = timezone.localtime().replace(second=0, microsecond=0)
    slot = Slot.objects.create(office=office, purpose="remote_hoken", starts_at=now)
    reservation = queue_services.book(slot, name="窓口 花子", phone="0157-00-0000")
    ticket = queue_services.issue_ticket(
        office=office, purpose_code="remote_hoken", by=branch_clerk, reservation=reservation
    )
    visit = queue_services.start_visit_from_ticket(ticket, by=branch_clerk, office=office)

    command = remote_due.Command(stdout=io.StringIO(), stderr=io.StringIO())
    real = services.request_booked
    rounds = []

    def flaky(*args, **kwargs):
        rounds.append(len(rounds) + 1)
        if len(rounds) == 1:
            raise RuntimeError("データベースが一時的に応答しません")
        command.stopping.set()  # as SIGTERM does: this round ends, and the loop with it
        return real(*args, **kwargs)

    with (
        mock.patch.object(services, "request_booked", flaky),
        caplog.at_level(logging.ERROR, logger="madoguchi.loops"),
    ):
        call_command(command, "--loop", "1")

    assert rounds == [1, 2]
    (failure,) = caplog.records
    assert (
        "リモート窓口の定期実行の 1 回分が失敗しました。1 秒後に続けます。" in failure.getMessage()
    )
    assert "データベースが一時的に応答しません" in str(failure.exc_info[1])
    said = command.stdout.getvalue()
    assert f"予約のリモート相談を 保険年金課 に依頼しました（受付番号 {visit.number}）" in said

    client.force_login(hoken_clerk)
    page = client.get(reverse("remote:lobby")).content.decode()
    waiting = re.search(r'<table id="waiting">.*?</table>', page, re.S).group(0)
    assert visit.number in waiting and f"予約 {reservation.number}" in waiting
