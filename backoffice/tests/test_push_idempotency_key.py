"""A core system that answers too slowly gets the push again: with the same idempotency key,
in the header and in the payload, so that it keeps the task once (docs/backoffice.md)."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from accounts.models import Department
from backoffice import services as bo
from backoffice.models import CoreSystem, Handoff


class SlowCoreSystem:
    """A tiny core system on a loopback port: it takes each push (de-duplicating on the key, as
    docs/backoffice.md asks receivers to), and answers the first one only after `delay`."""

    def __init__(self, delay: float):
        self.received: list[tuple[str | None, dict]] = []
        self.kept: dict[str, dict] = {}
        system = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                key = self.headers.get("Idempotency-Key")
                system.received.append((key, body))
                system.kept.setdefault(key, body)  # taken before it answers, as a slow one does
                if len(system.received) == 1:
                    time.sleep(delay)
                try:
                    self.send_response(201)
                    self.end_headers()
                except OSError:
                    pass  # the sender gave up waiting: it will come again

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/tasks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def slow_system():
    system = SlowCoreSystem(delay=1.5)
    yield system
    system.close()


def _due_now(h: Handoff):
    Handoff.objects.filter(pk=h.pk).update(next_attempt_at=timezone.now())


@pytest.mark.django_db
def test_a_push_that_timed_out_is_sent_again_with_the_same_key_and_kept_once(
    accepted_visit, hoken_clerk, slow_system, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(bo, "PUSH_TIMEOUT", 0.3)  # the slow system answers after 1.5 s
    system = CoreSystem.objects.create(
        code="kokuho",
        name="国保システム",
        department=Department.objects.get(code="hoken_nenkin"),
        push_url=slow_system.url,
    )
    task = accepted_visit.tasks.get(procedure="kokuho_soshitsu")
    with django_capture_on_commit_callbacks(execute=True):
        bo.transition(task, action="done", by=hoken_clerk, version=task.version)
    h = Handoff.objects.get(kind=Handoff.Kind.PUSH, system=system)

    h = bo.run_handoff(h)
    assert (h.status, h.attempts) == (Handoff.Status.FAILED, 1)
    assert "timed out" in h.last_error
    _due_now(h)
    h = bo.run_handoff(Handoff.objects.get(pk=h.pk))
    assert (h.status, h.attempts) == (Handoff.Status.DONE, 2)

    assert len(slow_system.received) == 2  # delivered twice: the first was taken, then timed out
    (key1, body1), (key2, body2) = slow_system.received
    assert key1 and key1 == key2 == body1["idempotency_key"] == body2["idempotency_key"]
    assert key1 == Handoff.objects.get(pk=h.pk).idempotency_key
    assert body1["id"] == body2["id"] == task.pk
    assert list(slow_system.kept) == [key1]  # the receiver keeps the task once


@pytest.mark.django_db
def test_a_retry_after_giving_up_keeps_the_key_and_each_push_has_its_own(
    accepted_visit, hoken_clerk, slow_system, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(bo, "PUSH_TIMEOUT", 0.3)
    kokuho, koki = (
        CoreSystem.objects.create(
            code=code,
            name=name,
            department=Department.objects.get(code="hoken_nenkin"),
            push_url=slow_system.url,
        )
        for code, name in (("kokuho", "国保システム"), ("koki", "後期高齢者システム"))
    )
    task = accepted_visit.tasks.get(procedure="kokuho_soshitsu")
    with django_capture_on_commit_callbacks(execute=True):
        bo.transition(task, action="done", by=hoken_clerk, version=task.version)
    h = Handoff.objects.get(kind=Handoff.Kind.PUSH, system=kokuho)
    other = Handoff.objects.get(kind=Handoff.Kind.PUSH, system=koki)
    before = h.idempotency_key
    Handoff.objects.filter(pk=h.pk).update(status=Handoff.Status.GAVE_UP, attempts=bo.MAX_ATTEMPTS)
    h = bo.retry(Handoff.objects.get(pk=h.pk), by=hoken_clerk)  # the department's 再送
    assert h.idempotency_key == before
    assert other.idempotency_key != before  # the same task to another system is another push
