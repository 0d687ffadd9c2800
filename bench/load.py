"""Load test: N counter terminals against the real `madoguchi serve` on PostgreSQL.

    .venv/bin/python bench/load.py --json                        # 300 terminals, 60 s, 2 workers vs 1
    .venv/bin/python bench/load.py --terminals 50 --duration 20  # a quick check
    .venv/bin/python bench/load.py --json --serves 2 --workers 1 # two app servers, one database

Each terminal is a clerk's browser with a session of its own (a staff login made by Django's
auth in the preparation step; the password hash is not what is measured) and a visit of its
own (転居 of a household of the generated city). In a loop it does one of

    search  50 %  GET /?q=… as the search box sends it (htmx, the results part)
    visit   30 %  GET /visits/<number>/ (the whole visit page: navigator, questions, addresses)
    answer  20 %  POST /visits/<number>/answer/ (one interview answer; htmx, the live part)

then thinks for a random time (--think, default 2–8 s, as a clerk reads the screen or asks the
resident). Terminals start spread over the warm-up; only requests started after it count.
Every request has a 30 s timeout; each run ends after --duration seconds plus what is in flight.

Reported per kind: count, p50, p95 and max in ms; the requests per second; errors (any answer
but 200, a timeout, a refused connection), by kind and cause; the most connections the server
held on the database (sampled from pg_stat_activity) and how many remained once it stopped;
the CPU time per request of the server's processes, of its PostgreSQL backends and of this
load generator (from /proc: unlike latency, it hardly moves when other work shares the
machine). The same load runs twice in one go: with --workers (default 2, --threads 8 each)
and with --baseline-workers (default 1); ratio_p95 is the baseline's p95 over the main run's.
The machine's load average before and after goes in the result (the machine may be shared).
target_met: no error and p95 ≤ 500 ms for search and answer POSTs in the main run.

The city (--residents, default 20,000) is generated once into the PostgreSQL database of
--database-url (created if missing; default madoguchi_bench on 127.0.0.1) and reused.
Workers above 1 share call displays through Redis (--redis-url, default $REDIS_URL or DB 0).
"""

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from datetime import date, datetime
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.timing import p95  # noqa: E402

CITY_DAY = date(2026, 4, 1)  # the generated city does not change with the day the bench runs
CITY_SEED = 1
KINDS = {"search": 50, "visit": 30, "answer": 20}
TARGET_P95_MS = 500  # issue 10: search and answer POSTs, 300 terminals, no error
TIMEOUT = 30


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--terminals", type=int, default=300)
    parser.add_argument("--duration", type=float, default=60, help="seconds measured per run")
    parser.add_argument("--warmup", type=float, default=15, help="seconds before measuring")
    parser.add_argument("--think", default="2-8", help="seconds between requests, MIN-MAX")
    parser.add_argument("--workers", type=int, default=2, help="per server")
    parser.add_argument(
        "--serves",
        type=int,
        default=1,
        help="`madoguchi serve` processes on the one database and Redis (several app servers)",
    )
    parser.add_argument(
        "--baseline-workers", type=int, default=1, help="0 runs no baseline (the ratio is left out)"
    )
    parser.add_argument(
        "--threads", type=int, default=8, help="requests at once (and connections) per worker"
    )
    parser.add_argument("--residents", type=int, default=20_000)
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "MADOGUCHI_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/madoguchi_bench"
        ),
    )
    parser.add_argument(
        "--redis-url", default=os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    )
    parser.add_argument("--port", type=int, default=0, help="0: any free port")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.prepare:
        print(json.dumps(prepare(args), ensure_ascii=False))
        return

    think = tuple(float(x) for x in args.think.split("-"))
    ensure_database(args.database_url)
    env = dict(
        os.environ,
        DATABASE_URL=args.database_url,
        DJANGO_SETTINGS_MODULE="madoguchi.settings",
        REDIS_URL=args.redis_url,
        MADOGUCHI_CHANNEL_PREFIX=f"madoguchi-bench-{uuid.uuid4().hex[:6]}",
        PYTHONPATH=str(ROOT),
        # Every simulated terminal comes from 127.0.0.1 here; in an office each has its own
        # address, so the public pages' per-address limit (the login page) is lifted.
        MADOGUCHI_RATE_LIMITS="public=1000000/60",
    )
    started = time.perf_counter()
    prepared = json.loads(
        subprocess.run(
            [sys.executable, __file__, "--prepare", *_passed(argv)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
            check=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    print(f"prepared in {time.perf_counter() - started:.1f} s", file=sys.stderr)

    load_before = os.getloadavg()
    # The baseline is one server of --baseline-workers: the main run's extra workers, or its
    # extra servers, are what the ratio measures.
    plan = [("main", args.serves, args.workers)]
    if args.baseline_workers and (args.baseline_workers, 1) != (args.workers, args.serves):
        plan.append(("baseline", 1, args.baseline_workers))
    runs = {}
    for name, serves, workers in plan:
        runs[name] = run_once(args, env, prepared, serves, workers, think)
        _print_run(name, runs[name])
    main_run = runs["main"]
    result = {
        "name": "load",
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "terminals": args.terminals,
        "think_s": list(think),
        # What the terminals would ask for with instant answers; slower answers ask for less.
        "offered_requests_per_s": round(args.terminals / (sum(think) / 2), 1),
        "duration_s": args.duration,
        "warmup_s": args.warmup,
        "residents": prepared["residents"],
        "threads": args.threads,
        "workers": args.workers,
        "serves": args.serves,
        "cpus": os.cpu_count(),
        "loadavg_before": [round(x, 2) for x in load_before],
        "loadavg_after": [round(x, 2) for x in os.getloadavg()],
        "p50_ms": {k: v["p50_ms"] for k, v in main_run["kinds"].items()},
        "p95_ms": {k: v["p95_ms"] for k, v in main_run["kinds"].items()},
        "requests_per_s": main_run["requests_per_s"],
        "errors": main_run["errors"],
        "target_met": main_run["errors"] == 0
        and all(main_run["kinds"][k]["p95_ms"] <= TARGET_P95_MS for k in ("search", "answer")),
        "runs": runs,
    }
    if "baseline" in runs:
        base = runs["baseline"]
        result["baseline_workers"] = args.baseline_workers
        result["ratio_p95"] = {
            k: round(base["kinds"][k]["p95_ms"] / max(0.01, main_run["kinds"][k]["p95_ms"]), 2)
            for k in KINDS
        }
        result["note"] = (
            f"ratio_p95 = p95 with 1 serve of {args.baseline_workers} worker(s) / p95 with "
            f"{args.serves} serve(s) of {args.workers}, same terminals, think time and data, "
            "in the same run"
        )
    if args.json:
        print(json.dumps(result, ensure_ascii=False))


def _passed(argv) -> list[str]:
    """The options the preparation step needs, as given on the command line."""
    return [a for a in (sys.argv[1:] if argv is None else argv) if a != "--json"]


# --- the database and the data -------------------------------------------------------------


def ensure_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        sys.exit("bench/load.py measures PostgreSQL: --database-url postgres://…")
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    try:
        conn = psycopg.connect(admin, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as e:
        sys.exit(f"bench/load.py needs PostgreSQL ({parts.hostname}:{parts.port or 5432}): {e}")
    with conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def prepare(args) -> dict:
    """In its own process (DATABASE_URL set): migrate, generate the city once, make the
    terminals' staff, sessions and visits, and draw the searches and answers."""
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import transaction
    from django.test import Client

    from accounts.models import Department, Office, Staff
    from bench.search import draw_queries
    from catalog.pack import default_pack
    from counter import services
    from counter.models import Visit
    from counter.navigation import navigate_visit
    from demo.city import generate_city
    from demo.staff import ensure_demo_staff
    from residents.models import Household, Resident

    call_command("migrate", verbosity=0, skip_checks=True)
    if Resident.objects.count() != args.residents:
        started = time.perf_counter()
        generate_city(args.residents, CITY_SEED, today=CITY_DAY, replace=True, progress=True)
        print(f"city generated in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    pack = default_pack()
    ensure_demo_staff({c: d.name for c, d in pack.departments.items()})
    office = Office.objects.get(code="honcho")
    shimin = Department.objects.get(code="shimin")
    rng = random.Random(args.seed)
    households = list(
        Household.objects.filter(residents__isnull=False)
        .values_list("pk", flat=True)
        .distinct()
        .order_by("pk")[:5000]
    )
    terminals = []
    for i in range(args.terminals):
        username = f"bench-load-{i + 1:03d}"
        with transaction.atomic():
            user, created = User.objects.get_or_create(username=username)
            if created:
                user.set_unusable_password()
                user.save()
                Staff.objects.create(
                    user=user,
                    display_name=f"負荷試験 端末{i + 1}",
                    role=Staff.Role.CLERK,
                    department=shimin,
                    office=office,
                )
        client = Client()
        client.force_login(user)
        household = Household.objects.get(pk=rng.choice(households))
        visit = services.start_visit(
            by=user,
            office=office,
            events=["tenkyo"],
            event_date=CITY_DAY,
            household=household,
            token=f"bench-load-{i + 1:03d}-{household.pk}",
        )
        if visit.status == Visit.Status.ACCEPTED:
            continue
        # A visit reused from an earlier run starts again with no answers, so that its screen
        # asks the same questions each run.
        visit.household_facts = {}
        visit.save(update_fields=["household_facts"])
        visit.people.update(facts={})
        terminals.append(
            {
                "session": client.cookies["sessionid"].value,
                "visit": visit.number,
                "answers": _answers(visit, pack, navigate_visit),
            }
        )
    queries = [q for q, _kind in draw_queries(args.residents, 2000, args.seed)]
    return {"residents": Resident.objects.count(), "terminals": terminals, "queries": queries}


def _answers(visit, pack, navigate_visit) -> list[dict]:
    """POST bodies answering the questions the visit's screen asks, each choice in turn (so
    that the answers change what the navigator finds, as a clerk's corrections do)."""
    people = list(visit.people.select_related("resident"))
    _results, questions = navigate_visit(visit, people)
    out = []
    for q in questions:
        fact = pack.facts[q.fact]
        values = ["-"] if fact.type == "set" else [v for v, _label in fact.choice_list or []]
        out += [{"fact": q.fact, "person": q.person or "", "value": v} for v in values]
    if not out:
        raise SystemExit(f"visit {visit.number} asks nothing: the bench needs a question")
    return out


# --- one run: the server up, the terminals, the server down ---------------------------------


def run_once(args, env, prepared, serves: int, workers: int, think) -> dict:
    """`serves` servers of `workers` workers each on one database and Redis (a hosting of
    several app processes), the terminals shared among them in turn."""
    procs, bases = [], []
    try:
        for n in range(serves):
            port = (args.port + n if args.port else 0) or _free_port()
            procs.append(_start_serve(env, port, workers, args.threads))
            bases.append(f"http://127.0.0.1:{port}")
        for base, serve in zip(bases, procs, strict=True):
            _wait_until_up(base, serve)
        sampler = ConnectionSampler(args.database_url)
        sampler.start()
        meter = CpuMeter([p.pid for p in procs], args.database_url)
        samples, cpu = asyncio.run(_drive(bases, prepared, args, think, meter))
        sampler.stop()
    finally:
        for serve in procs:
            if serve.poll() is None:
                serve.send_signal(signal.SIGTERM)
        for serve in procs:
            try:
                serve.wait(timeout=60)
            except subprocess.TimeoutExpired:
                serve.kill()
                serve.wait()
    left = _connections_after_stop(args.database_url)
    return _summarise(samples, args.duration, workers, sampler.peak, left, cpu) | {"serves": serves}


def _start_serve(env, port: int, workers: int, threads: int) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "madoguchi",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--threads",
            str(threads),
        ],  # fmt: skip
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(base: str, serve: subprocess.Popen) -> None:
    import urllib.request

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if serve.poll() is not None:
            sys.exit(f"madoguchi serve exited:\n{serve.stderr.read()[-3000:]}")
        try:
            with urllib.request.urlopen(base + "/accounts/login/", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    sys.exit("madoguchi serve did not answer within 120 s")


def _cpu_seconds(pids) -> float:
    """User + system CPU time of these processes so far, from /proc (Linux)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def _tree(pid: int) -> list[int]:
    """The process and everything below it."""
    parents = defaultdict(list)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            parents[ppid].append(int(entry.name))
    out, todo = [pid], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def _own_cpu() -> float:
    """CPU seconds of this process: the load generator shares the machine with the server."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class CpuMeter:
    """CPU seconds the server spent while measured: its processes (uvicorn workers, handoff
    and remote_due loops) and the PostgreSQL backends serving its database. Unlike latency, this hardly moves
    when other work shares the machine, so it says what one request costs."""

    def __init__(self, serve_pids: list[int], url: str):
        self.serve_pids, self.url = serve_pids, url

    def _backends(self) -> list[int]:
        import psycopg

        name = urlsplit(self.url).path.lstrip("/")
        admin = urlunsplit(urlsplit(self.url)._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as conn:
            rows = conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s", [name]
            ).fetchall()
        return [r[0] for r in rows]

    def read(self) -> tuple[dict[int, float], dict[int, float]]:
        return (
            {pid: _cpu_seconds([pid]) for top in self.serve_pids for pid in _tree(top)},
            {pid: _cpu_seconds([pid]) for pid in self._backends()},
        )

    @staticmethod
    def spent(before: dict, after: dict) -> float:
        """CPU seconds between two reads; a process new since the first counts from zero."""
        return sum(after[p] - before.get(p, 0.0) for p in after)


class ConnectionSampler(threading.Thread):
    """The most connections the bench database had at once, sampled every 0.2 s."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        self.url, self.peak, self._stopping = url, 0, threading.Event()

    def run(self):
        import psycopg

        name = urlsplit(self.url).path.lstrip("/")
        admin = urlunsplit(urlsplit(self.url)._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as conn:
            while not self._stopping.wait(0.2):
                n = conn.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [name]
                ).fetchone()[0]
                self.peak = max(self.peak, n)

    def stop(self):
        self._stopping.set()
        self.join()


def _connections_after_stop(url: str) -> int:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        n = None
        for _ in range(25):  # a backend takes a moment to notice its client has gone
            n = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [name]
            ).fetchone()[0]
            if n == 0:
                break
            time.sleep(0.2)
        return n


async def _drive(bases: list[str], prepared: dict, args, think, meter) -> tuple[list[tuple], dict]:
    import aiohttp

    start = time.monotonic()
    measure_from = start + args.warmup
    end = measure_from + args.duration
    samples: list[tuple] = []  # (kind, started, seconds, error or None)
    connector = aiohttp.TCPConnector(limit=0, force_close=False)
    timeout = aiohttp.ClientTimeout(total=TIMEOUT)
    queries = prepared["queries"]
    kinds, weights = list(KINDS), list(KINDS.values())

    async with aiohttp.ClientSession(
        connector=connector, timeout=timeout, cookie_jar=aiohttp.DummyCookieJar()
    ) as http:

        async def terminal(i: int, t: dict):
            rng = random.Random(args.seed * 1000 + i)
            base = bases[i % len(bases)]  # each terminal talks to one server, as behind a proxy
            csrf = uuid.uuid4().hex
            cookie = f"sessionid={t['session']}; csrftoken={csrf}"
            answers = t["answers"]
            await asyncio.sleep(rng.uniform(0, args.warmup))
            n = 0
            while time.monotonic() < end:
                kind = rng.choices(kinds, weights=weights)[0]
                if kind == "search":
                    method, url, data = "GET", f"{base}/?q={quote(rng.choice(queries))}", None
                    headers = {"HX-Request": "true", "HX-Target": "results"}
                elif kind == "visit":
                    method, url, data, headers = "GET", f"{base}/visits/{t['visit']}/", None, {}
                else:
                    method, url = "POST", f"{base}/visits/{t['visit']}/answer/"
                    data = answers[n % len(answers)]
                    headers = {"HX-Request": "true", "HX-Target": "live", "X-CSRFToken": csrf}
                    n += 1
                headers["Cookie"] = cookie
                began = time.monotonic()
                error = None
                try:
                    async with http.request(
                        method, url, data=data, headers=headers, allow_redirects=False
                    ) as r:
                        await r.read()
                        if r.status != 200:
                            error = f"HTTP {r.status}"
                except TimeoutError:
                    error = "timeout"
                except aiohttp.ClientError as e:
                    error = type(e).__name__
                if began >= measure_from:
                    samples.append((kind, began, time.monotonic() - began, error))
                await asyncio.sleep(rng.uniform(*think))

        async def measure_cpu():
            await asyncio.sleep(max(0.0, measure_from - time.monotonic()))
            before, client = await asyncio.to_thread(meter.read), _own_cpu()
            await asyncio.sleep(max(0.0, end - time.monotonic()))
            after = await asyncio.to_thread(meter.read)
            cpu["app_s"] = round(CpuMeter.spent(before[0], after[0]), 2)
            cpu["db_s"] = round(CpuMeter.spent(before[1], after[1]), 2)
            cpu["client_s"] = round(_own_cpu() - client, 2)

        cpu: dict = {}
        await asyncio.gather(
            measure_cpu(), *(terminal(i, t) for i, t in enumerate(prepared["terminals"]))
        )
    return samples, cpu


def _summarise(samples, duration: float, workers: int, peak: int, left: int, cpu: dict) -> dict:
    by_kind = defaultdict(list)
    errors = defaultdict(Counter)
    for kind, _began, seconds, error in samples:
        by_kind[kind].append(seconds * 1000)
        if error:
            errors[kind][error] += 1
    kinds = {}
    for kind in KINDS:
        ms = by_kind.get(kind) or [0.0]
        kinds[kind] = {
            "count": len(by_kind.get(kind, [])),
            "p50_ms": round(statistics.median(ms), 1),
            "p95_ms": round(p95(ms), 1),
            "max_ms": round(max(ms), 1),
            "errors": dict(errors[kind]),
        }
    return {
        "workers": workers,
        "requests": len(samples),
        "requests_per_s": round(len(samples) / duration, 1),
        "errors": sum(sum(c.values()) for c in errors.values()),
        "kinds": kinds,
        "peak_db_connections": peak,
        "db_connections_after_stop": left,
        # CPU per request, server and database: steady when the machine is shared.
        "cpu_ms_per_request": {
            "app": round(cpu.get("app_s", 0) * 1000 / max(1, len(samples)), 1),
            "db": round(cpu.get("db_s", 0) * 1000 / max(1, len(samples)), 1),
            "load_generator": round(cpu.get("client_s", 0) * 1000 / max(1, len(samples)), 1),
        },
    }


def _print_run(name: str, run: dict) -> None:
    parts = "  ".join(
        f"{k} p50 {v['p50_ms']} / p95 {v['p95_ms']} ms ({v['count']})"
        for k, v in run["kinds"].items()
    )
    print(
        f"{name}: {run.get('serves', 1)} serve × {run['workers']} worker(s)  {run['requests_per_s']} req/s  errors {run['errors']}"
        f"  db connections peak {run['peak_db_connections']}, after stop "
        f"{run['db_connections_after_stop']}  cpu/request app {run['cpu_ms_per_request']['app']}"
        f" + db {run['cpu_ms_per_request']['db']} ms (load generator "
        f"{run['cpu_ms_per_request']['load_generator']} ms)  |  {parts}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
