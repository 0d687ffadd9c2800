"""`madoguchi serve` runs the remote counter's due work (`remote_due --loop`) beside the web
server: a booked リモート相談 whose time has come, with the resident at the 支所's counter,
reaches 保険年金課's lobby without anyone running `remote_due`. Switched off (`--no-remote-due`,
or MADOGUCHI_REMOTE_DUE_EVERY=0, for a site that crons it) it does not; and of two `serve`
processes on one database only one runs it, the other taking over when the first stops."""

import json
import re
import signal
import time
import urllib.request

import pytest

from madoguchi.tests.processes import Serve, cmdline, descendants, wait_until

EVERY = "1"  # seconds between two rounds: the test waits seconds, not the default 30

# A booking at the 端野支所 whose time came this minute, its resident checked in and called to
# the counter (the clerk opened the visit from the ticket); and 保険年金課's clerk's session.
BOOK = """
import json
from datetime import timedelta
from django.contrib.auth.models import User
from django.db.models import F
from django.test import Client
from django.utils import timezone
from accounts.models import Office
from counter.models import Visit
from queues import services
from queues.models import Slot

branch = Office.objects.get(code="tanno")
clerk = User.objects.get(username="shisho")
# Never before today's midnight: only today's bookings are sent.
now = timezone.localtime().replace(second=0, microsecond=0)
slot, _ = Slot.objects.get_or_create(office=branch, purpose="remote_hoken", starts_at=now)
Slot.objects.filter(pk=slot.pk).update(capacity=F("booked") + 1)  # one more, each test its own
reservation = services.book(slot, name="窓口 花子", phone="0157-00-0000")
ticket = services.issue_ticket(
    office=branch, purpose_code="remote_hoken", by=clerk, reservation=reservation
)
visit = services.start_visit_from_ticket(ticket, by=clerk, office=branch)
# Opened a while ago: the next booking's visit is one of its own, not this one taken for the
# clerk's second click on an untouched visit (counter.services.start_visit).
Visit.objects.filter(pk=visit.pk).update(created_at=visit.created_at - timedelta(hours=1))
c = Client()
c.force_login(User.objects.get(username="hoken"))
print(json.dumps({"visit": visit.number, "reservation": reservation.number,
                  "session": c.cookies["sessionid"].value}))
"""


def book(db) -> dict:
    return json.loads(db.run(BOOK).strip().splitlines()[-1])


def waiting_in_lobby(serve: Serve, booking: dict) -> str:
    """The lobby's 「待っている相談」 table as 保険年金課's clerk sees it."""
    request = urllib.request.Request(
        serve.url + "/remote/lobby/", headers={"Cookie": f"sessionid={booking['session']}"}
    )
    with urllib.request.urlopen(request, timeout=10) as r:
        page = r.read().decode()
    return re.search(r'<table id="waiting">.*?</table>', page, re.S).group(0)


def is_requested(serve: Serve, booking: dict) -> bool:
    table = waiting_in_lobby(serve, booking)
    return booking["visit"] in table and f"予約 {booking['reservation']}" in table


def remote_due_loops(serve: Serve) -> list[int]:
    return [p for p in descendants(serve.pid) if "remote_due --loop" in cmdline(p)]


def test_serve_sends_a_due_booking_to_the_lobby_by_itself(serve_db):
    booking = book(serve_db)
    serve = Serve(serve_db.env(MADOGUCHI_REMOTE_DUE_EVERY=EVERY))
    try:
        assert f"リモート窓口の定期実行（{EVERY} 秒ごと）を起動しました" in serve.out.text
        assert wait_until(lambda: is_requested(serve, booking), timeout=20, step=0.5), (
            waiting_in_lobby(serve, booking),
            serve.err.text,
        )
        assert re.search(
            rf"予約のリモート相談を .+ に依頼しました（受付番号 {booking['visit']}）",
            serve.out.text,
        )
        (loop,) = remote_due_loops(serve)
        serve.signal(signal.SIGTERM)
        assert serve.wait(timeout=60) == 0
        assert wait_until(lambda: not remote_due_loops(serve) and not cmdline(loop), timeout=10)
    finally:
        serve.kill()


@pytest.mark.parametrize(
    "switch",
    [("--no-remote-due",), {"MADOGUCHI_REMOTE_DUE_EVERY": "0"}],
    ids=["option", "environment"],
)
def test_switched_off_serve_leaves_the_booking_to_cron(serve_db, switch):
    booking = book(serve_db)
    env = {"MADOGUCHI_REMOTE_DUE_EVERY": EVERY}
    args: tuple = ()
    if isinstance(switch, dict):
        env.update(switch)
    else:
        args = switch
    serve = Serve(serve_db.env(**env), *args)
    try:
        assert "リモート窓口の定期実行" not in serve.out.text
        assert not remote_due_loops(serve)
        # The handoff loop, started at the same moment, has run a round: a remote_due loop
        # would have had the time for several of its own.
        assert serve.out.wait_for("連携：成功", timeout=30), serve.err.text
        time.sleep(2 * int(EVERY))
        assert not is_requested(serve, booking)
        assert "予約のリモート相談を" not in serve.out.text
        assert booking["visit"] not in waiting_in_lobby(serve, booking)
    finally:
        serve.kill()


def test_of_two_serve_processes_one_runs_remote_due_and_the_other_takes_over(serve_db):
    env = serve_db.env(MADOGUCHI_REMOTE_DUE_EVERY=EVERY)
    first = Serve(env, "--no-handoff")
    second = None
    try:
        # The first one's loop holds the lock once it has sent a booking.
        booking = book(serve_db)
        assert first.out.wait_for(f"受付番号 {booking['visit']}", timeout=20), first.err.text
        second = Serve(env, "--no-handoff")
        assert second.err.wait_for(
            r"リモート窓口の定期処理は既に別のプロセスで動いています（.+）。それが終わるまで待ちます",
            timeout=30,
        ), second.err.text
        later = book(serve_db)
        assert first.out.wait_for(f"受付番号 {later['visit']}", timeout=20), first.err.text
        assert "予約のリモート相談を" not in second.out.text  # waiting, not running beside it

        first.signal(signal.SIGTERM)
        assert first.wait(timeout=60) == 0
        assert second.err.wait_for("リモート窓口の定期実行を引き継ぎました", timeout=30), (
            second.err.text
        )
        last = book(serve_db)
        assert wait_until(lambda: is_requested(second, last), timeout=20, step=0.5)
        second.signal(signal.SIGTERM)
        assert second.wait(timeout=60) == 0
    finally:
        first.kill()
        if second is not None:
            second.kill()
