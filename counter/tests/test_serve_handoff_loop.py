"""`madoguchi serve` runs the handoff loop beside the web server: pushes and retries move
without a cron, and the loop ends with the server."""

import sys
import time

import pytest
from django.core.management import call_command

from counter.management.commands import serve


class FakeChild:
    started = []

    def __init__(self, args, **kwargs):
        self.args, self.kwargs, self.pid, self.returncode = args, kwargs, 4242, None
        FakeChild.started.append(self)

    def poll(self):
        return self.returncode

    def wait(self, timeout=None):
        while self.returncode is None:
            time.sleep(0.01)
        return self.returncode

    def terminate(self):
        self.returncode = -15


@pytest.fixture
def fake_server(monkeypatch):
    FakeChild.started = []
    seen = {}
    monkeypatch.setattr(serve.subprocess, "Popen", FakeChild)
    monkeypatch.setattr(serve, "call_command", lambda *a, **k: None)  # no migrate, no collectstatic

    def run(*args, **kwargs):
        seen["running"] = [c.poll() is None for c in FakeChild.started]

    import uvicorn

    monkeypatch.setattr(uvicorn, "run", run)
    return seen


def test_serve_starts_handoff_loop_60_with_the_same_python_and_stops_it_when_it_exits(
    fake_server, capsys
):
    call_command("serve")
    [child] = FakeChild.started
    assert child.args == [sys.executable, "-m", "madoguchi", "handoff", "--loop", "60"]
    assert (
        child.kwargs["env"].get("DJANGO_SETTINGS_MODULE", "madoguchi.settings")
        == "madoguchi.settings"
    )
    assert fake_server["running"] == [True]  # alive while the server ran
    assert child.returncode == -15  # terminated once it returned
    assert "連携の定期実行" in capsys.readouterr().out


def test_no_handoff_starts_no_loop(fake_server):
    call_command("serve", "--no-handoff")
    assert FakeChild.started == [] and fake_server["running"] == []


def test_a_loop_that_exits_is_restarted_and_a_stopped_one_is_really_gone():
    loop = serve.HandoffLoop(every=0)
    loop.args = [sys.executable, "-c", "pass"]  # exits at once: the watcher starts it again
    loop.start()
    first = loop.child
    deadline = time.monotonic() + 10
    while loop.child is first and time.monotonic() < deadline:
        time.sleep(0.05)
    assert loop.child is not first
    loop.stop()

    loop = serve.HandoffLoop(every=60)
    loop.args = [sys.executable, "-c", "import time; time.sleep(60)"]
    loop.start()
    child = loop.child
    assert child.poll() is None
    loop.stop()
    assert child.poll() is not None
