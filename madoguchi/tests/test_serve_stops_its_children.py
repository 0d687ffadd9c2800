"""`madoguchi serve` is a supervisor: whatever signal stops it, its web server (and the
workers below it) and its loops (handoff, remote_due) stop with it, and a restart never adds a
loop."""

import signal

import pytest

from madoguchi.tests.processes import Serve, alive, cmdline, descendants, wait_until


@pytest.mark.parametrize(
    "sig", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP], ids=lambda s: s.name
)
def test_no_child_of_serve_is_left_after_a_stop_signal(serve_db, sig):
    serve = Serve(serve_db.env())
    try:
        children = descendants(serve.pid)
        commands = [cmdline(pid) for pid in children]
        assert any("uvicorn madoguchi.asgi:application" in c for c in commands), commands
        assert any("handoff --loop 60 --parent-pid" in c for c in commands), commands
        assert any("remote_due --loop 30 --parent-pid" in c for c in commands), commands
        serve.signal(sig)
        assert serve.wait(timeout=60) == 0
        assert wait_until(lambda: not any(alive(pid) for pid in children), timeout=10), [
            (pid, cmdline(pid)) for pid in children if alive(pid)
        ]
        assert f"{sig.name} を受けて終了しました" in serve.out.text
    finally:
        serve.kill()


def test_a_restarted_serve_runs_one_loop_of_each(serve_db):
    for _round in range(2):
        serve = Serve(serve_db.env())
        try:
            loops = [p for p in descendants(serve.pid) if " --loop " in cmdline(p)]
            commands = sorted(cmdline(p).split(" -m madoguchi ")[1].split()[0] for p in loops)
            assert commands == ["handoff", "remote_due"]
            serve.signal(signal.SIGTERM)
            serve.wait(timeout=60)
            assert wait_until(lambda loops=loops: not any(map(alive, loops)), timeout=10)
        finally:
            serve.kill()
