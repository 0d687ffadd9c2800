"""One handoff runner per database: a second loop says so and waits for the first, a single
run says so and does nothing, and a loop started by `serve` (handoff's or remote_due's, both
madoguchi.loops) ends when `serve` is gone."""

import os
import signal
import subprocess
import sys

import pytest

from madoguchi.tests.processes import ROOT, Process, alive, wait_until

ALREADY = "連携の実行は既に別のプロセスで動いています"


def test_a_second_loop_waits_for_the_first_and_takes_over_when_it_stops(serve_db):
    env = serve_db.env()
    first = Process(env, "handoff", "--loop", "1")
    second = None
    try:
        assert first.out.wait_for("連携：成功", timeout=30), first.err.text
        second = Process(env, "handoff", "--loop", "1")
        assert second.err.wait_for(ALREADY + r".*待ちます", timeout=30), second.err.text
        ran_before = second.out.text
        assert "連携：成功" not in ran_before  # waiting, not running beside the first

        once = subprocess.run(
            [sys.executable, "-m", "madoguchi", "handoff"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert once.returncode == 1 and ALREADY in once.stderr
        assert "連携：成功" not in once.stdout

        first.signal(signal.SIGTERM)
        assert first.wait(timeout=30) == 0
        assert second.err.wait_for("引き継ぎました", timeout=30), second.err.text
        assert second.out.wait_for("連携：成功", timeout=30)
        second.signal(signal.SIGTERM)
        assert second.wait(timeout=30) == 0
    finally:
        first.kill()
        if second is not None:
            second.kill()


SPAWN_THEN_SLEEP = """
import os, subprocess, sys, time
child = subprocess.Popen([sys.executable, "-m", "madoguchi", sys.argv[1], "--loop", "60",
                          "--parent-pid", str(os.getpid())], start_new_session=True)
print(child.pid, flush=True)
time.sleep(120)
"""


@pytest.mark.parametrize("command", ["handoff", "remote_due"])
def test_a_loop_given_its_parent_pid_ends_when_its_parent_is_killed(serve_db, command):
    parent = subprocess.Popen(
        [sys.executable, "-c", SPAWN_THEN_SLEEP, command],
        cwd=ROOT,
        env=serve_db.env(),
        stdout=subprocess.PIPE,
        text=True,
    )
    loop_pid = int(parent.stdout.readline())
    try:
        assert wait_until(lambda: alive(loop_pid), timeout=5)
        parent.kill()  # SIGKILL: nothing in the parent can stop the loop
        parent.wait()
        assert wait_until(lambda: not alive(loop_pid), timeout=20)
    finally:
        if alive(loop_pid):
            os.kill(loop_pid, signal.SIGKILL)
