"""Real `madoguchi serve` and `madoguchi handoff` processes for the tests of how they start,
stop and share the database; and what is left of them afterwards, read from /proc."""

import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def descendants(pid: int) -> list[int]:
    """Every live process below `pid` (children, grandchildren…), from /proc."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # "pid (comm) state ppid …": comm may hold spaces and parentheses.
            fields = stat.rsplit(")", 1)[1].split()
            if fields[0] != "Z":
                parents.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    """Running, not only a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def wait_until(predicate, timeout: float, step: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


class Output:
    """A child's stream read in a thread, so the test can wait for a line without blocking."""

    def __init__(self, stream):
        self.lines: list[str] = []
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream):
        for line in iter(stream.readline, ""):
            self.lines.append(line.rstrip("\n"))

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def wait_for(self, pattern: str, timeout: float = 30) -> re.Match | None:
        found = None

        def seen():
            nonlocal found
            found = re.search(pattern, self.text)
            return found is not None

        wait_until(seen, timeout)
        return found


class Process:
    """`python -m madoguchi ARGS` against a scratch database, stdout and stderr captured."""

    def __init__(self, env: dict, *args: str):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "madoguchi", *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.pid = self.proc.pid
        self.out, self.err = Output(self.proc.stdout), Output(self.proc.stderr)

    def signal(self, sig: int):
        os.kill(self.pid, sig)

    def wait(self, timeout: float = 40) -> int:
        return self.proc.wait(timeout=timeout)

    def kill(self):
        """The test's own clean-up: the process and everything below it."""
        for pid in [*descendants(self.pid), self.pid]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc.wait()


class Serve(Process):
    """`madoguchi serve --port 0`; `url` once it answers."""

    def __init__(self, env: dict, *args: str):
        super().__init__(env, "serve", "--port", "0", *args)
        found = self.out.wait_for(r"http://127\.0\.0\.1:(\d+)/", timeout=60)
        if not found:
            self.kill()
            raise RuntimeError(f"serve did not start:\n{self.out.text}\n{self.err.text}")
        self.url = f"http://127.0.0.1:{found.group(1)}"
        if not wait_until(self._answers, timeout=30, step=0.2):
            self.kill()
            raise RuntimeError(f"serve did not answer:\n{self.out.text}\n{self.err.text}")

    def _answers(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + "/accounts/login/", timeout=2) as r:
                return r.status == 200
        except OSError:
            return False
