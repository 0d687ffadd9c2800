"""Hostile input to every URL, for every role that may call it: never a 500, never raw input
echoed into an HTML page or an error answer, a 400 always says something in Japanese, and the
JSON APIs answer errors in JSON with a Japanese message.

How a new view is covered without a table: the URL patterns come from the resolver; a
request with no parameters is sent by GET and by POST as each role, and a middleware
(fuzz.RecordParameters) records which GET/POST keys the view asks for; those keys are filled
with a valid sample (`samples` in the world, or "" when unknown) and the request is sent
again, until no new key appears. The first role not refused (a login redirect, 401, 403,
404, 405) then sends each key alone with hostile values (fuzz.ALWAYS — NUL, HTML/script,
a non-number, a very long string — and one more drawn by the seed from fuzz.HOSTILE:
huge and negative numbers, invalid dates, invalid UTF-8, control characters, the key twice,
…) while the others stay valid, then all keys at once; the URL's own parts get hostile
values too. Every other role that may call it sends the valid parameters (its own code
path) and one hostile value in all of them. JSON bodies (JSON_BODIES) get each node
replaced by wrong shapes (arrays for objects, strings for lists, nested nulls …) and every
string a NUL byte and a lone surrogate.

Bounded and seeded: about 1,700 requests; MADOGUCHI_FUZZ_SEED (default 20260610) and
MADOGUCHI_FUZZ_EXTRA (more values per key) make a longer or another run. Each request runs
in a savepoint that is rolled back, so every request sees the same world. A failure names
the request (method, URL, role, key=category) to repeat it; MADOGUCHI_FUZZ_REPORT=1 prints
what was covered and the time per URL.
"""

import json
import logging
import os
import random
import re
import time
import traceback
import uuid
from datetime import date, timedelta

import pytest
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from madoguchi.tests import fuzz

SEED = int(os.environ.get("MADOGUCHI_FUZZ_SEED", "20260610"))
EXTRA = int(os.environ.get("MADOGUCHI_FUZZ_EXTRA", "1"))  # values drawn per key beyond ALWAYS
MAX_KEYS = int(os.environ.get("MADOGUCHI_FUZZ_KEYS", "12"))  # keys fuzzed one by one per view

ROLES = ["clerk", "supervisor", "admin", "department", "branch", "anon", "token"]
# The core systems' JSON APIs (token only): errors must be JSON with a Japanese message.
JSON_APIS = {"api:tasks", "api:task", "api:task_processed", "api:moving_notices",
             "api:register_import"}  # fmt: skip
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")

MOVING_NOTICE = {
    "予約番号": "MP-FUZZ-0001",
    "来庁予定日": "2026-12-01",
    "異動年月日": "2026-11-25",
    "電話番号": "090-0000-0000",
    "来庁窓口": "honcho",
    "転出元住所": {"郵便番号": "0600001", "都道府県": "北海道", "市区町村": "札幌市中央区"},
    "転入先住所": {"町字": "北4条東", "番地": "2-3"},
    "世帯員": [
        {
            "氏名": "転入　太郎",
            "氏名フリガナ": "テンニュウ　タロウ",
            "生年月日": "1990-04-01",
            "性別": "1",
            "続柄": "世帯主",
            "国籍": "JP",
        }
    ],
}
# A 1×1 transparent PNG, as the signature pad's canvas sends it.
PNG = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
    "YPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
JSON_BODIES = {
    "api:task_processed": {"reference": "R-0001"},
    "api:moving_notices": {"notices": [MOVING_NOTICE]},
    "counter:sign": {"png": PNG, "strokes": [[[1, 2], [3, 4]]]},
}
DESIGNER_FIELDS = json.dumps(
    [
        {"field": "visit.phone", "x": 20, "y": 30, "w": 60, "h": 8, "size": 10, "align": "L"},
        {"signature": True, "x": 20, "y": 50, "w": 60, "h": 12},
    ]
)


# Parameters the discovery must find (a check of the test itself, not a list to keep up).
MUST_REACH = {
    ("counter:home", "GET", "q"),
    ("counter:answer", "POST", "person"),
    ("counter:answer_withdraw", "POST", "value"),
    ("counter:address", "POST", "phone"),
    ("counter:person_add", "POST", "surname"),
    ("queues:ticket_action", "POST", "counter"),
    ("queues:book_okuyami", "POST", "deceased_birth"),
    ("backoffice:transition", "POST", "reason"),
    ("backoffice:queue", "GET", "office"),
    ("catalog:try", "POST", "p-0-other"),
    ("counter:designer_save", "POST", "fields"),
    ("remote:answer", "POST", "value"),
    ("api:tasks", "GET", "after"),
}


def walk(patterns=None, ns=""):
    """(name, pattern) of every URL, through every include."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            yield from walk(p.url_patterns, f"{ns}:{p.namespace}" if ns else (p.namespace or ns))
        elif isinstance(p, URLPattern):
            yield (f"{ns}:{p.name}" if ns else p.name), p


# -- the world ----------------------------------------------------------------------------------


@pytest.fixture
def world(demo_staff, django_capture_on_commit_callbacks, settings, tmp_path):
    """An open visit with two people (the interview's routes), an accepted one with tasks, a
    call, a failed handoff, queue objects, a consultation, a designer blank, an API token."""
    from fpdf import FPDF

    from accounts.models import Department, Office
    from backoffice.api import issue_token
    from backoffice.models import CoreSystem, CounterCall, Handoff
    from counter import services
    from counter.models import Packet
    from counter.tablet import sign_token
    from counter.tests.factories import elderly_couple
    from preentry.tests.family import finished_pre_entry
    from queues import services as queue_services
    from queues.models import Counter, Reservation, Slot
    from remote.models import Consultation

    clerk, hoken_user = demo_staff["shimin"], demo_staff["hoken"]
    honcho = Office.objects.get(code="honcho")
    hoken = Department.objects.get(code="hoken_nenkin")
    shimin = Department.objects.get(code="shimin")
    hh, _head, _wife = elderly_couple()
    open_visit = services.start_visit(
        by=clerk, office=honcho, events=["tenshutsu"], event_date=date(2026, 6, 15), household=hh
    )
    hh2, _h2, _w2 = elderly_couple()
    done_visit = services.start_visit(
        by=clerk, office=honcho, events=["tenshutsu"], event_date=date(2026, 6, 15), household=hh2
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_visit(done_visit, by=clerk)
    task = done_visit.tasks.filter(department=hoken).first()
    call = CounterCall.objects.create(
        visit=done_visit, department=hoken, counter="3番窓口", called_by=clerk
    )
    system = CoreSystem.objects.create(code="kokuho", name="国保システム", department=hoken)
    handoff = Handoff.objects.create(
        kind=Handoff.Kind.PUSH,
        visit=done_visit,
        task=task,
        system=system,
        department=hoken,
        office=honcho,
        status=Handoff.Status.GAVE_UP,
        attempts=6,
        last_error="ConnectionRefusedError",
    )
    Packet.objects.create(
        visit=open_visit, digest="0" * 64, pdf=b"%PDF-1.4", pages=1, created_by=clerk
    )
    blank = FPDF()
    blank.add_page()
    settings.PRINTING_DESIGNER_DIR = str(tmp_path / "designer")
    settings.PRINTING_FORMS_DIR = str(tmp_path / "forms")  # a save must not touch the pack
    (tmp_path / "designer").mkdir()
    (tmp_path / "designer" / "kokuho_ido.pdf").write_bytes(bytes(blank.output()))
    counter = Counter.objects.create(office=honcho, number=1, department=shimin)
    Counter.objects.create(office=honcho, number=5, department=hoken)
    ticket = queue_services.issue_ticket(office=honcho, purpose_code="moving")
    reservation = Reservation.objects.create(
        office=honcho, planned_date=date(2026, 6, 15), name="予約　太郎"
    )
    slot = Slot.objects.create(
        office=honcho,
        purpose="moving",
        starts_at=timezone.now() + timedelta(days=2),
        capacity=5,
    )
    # The resident's own page (and its cancel button): a booking of its own, so cancelling it
    # changes nothing the other queue URLs read.
    booked = queue_services.book(slot, name="予約　二郎")
    consultation = Consultation.objects.create(
        visit=open_visit,
        office=honcho,
        requested_by=clerk,
        department=hoken,
        specialist=hoken_user,
        state=Consultation.State.ADMITTED,
    )
    pre_entry = finished_pre_entry()
    # Hostile tokens are misses: the lock-out must not end the run's coverage early.
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "preentry_miss": (100_000, 600)}
    path = {
        "number": open_visit.number,
        "household_id": hh.pk,
        "key": "p1",
        "event_id": "tenshutsu",
        "procedure_id": "kokuho_soshitsu",
        "token": sign_token(open_visit),
        "version": 1,
        "form_id": "kokuho_ido",
        "office": "honcho",
        "action": "recall",
    }
    by_name = {
        "backoffice:task": {"pk": task.pk},
        "backoffice:transition": {"pk": task.pk},
        "backoffice:call_take": {"pk": call.pk},
        "backoffice:handoff_retry": {"pk": handoff.pk},
        "api:task": {"pk": task.pk},
        "api:task_processed": {"pk": task.pk},
        "queues:wait": {"token": ticket.token},
        "queues:wait_status": {"token": ticket.token},
        "queues:ticket_print": {"token": ticket.token},
        "queues:call_next": {"pk": counter.pk},
        "queues:ticket_action": [
            {"pk": ticket.pk, "action": a}
            for a in ("recall", "hold", "noshow", "done", "call", "transfer", "visit", "nonsense")
        ],
        "queues:announce": {"label": ticket.label, "counter": 1},
        "queues:my_reservation": {"key": booked.public_key},
        "queues:reservation_prepare": {"pk": reservation.pk},
        **{
            f"preentry:{n}": {"token": pre_entry.edit_token}
            for n in ("resume", "move", "people", "questions", "done", "wording")
        },
        "queues:reservation_cancel": {"pk": reservation.pk},
    }
    for name in ("admit", "decline", "room", "live", "answer", "answer_withdraw", "end"):
        by_name[f"remote:{name}"] = {"pk": consultation.pk}
    # 練習モード: another trainee's assignment (starting it would switch the session), the
    # clerk's own finished attempt and results.
    from django.contrib.auth.models import User

    from madoguchi.tests.worlds import PRACTICE_SCENARIO
    from training.models import Assignment, Attempt

    someone = User.objects.create(username="trainee-fuzz")
    kanri, shimin = demo_staff["kanri"], demo_staff["shimin"]
    elsewhere = Assignment.objects.create(trainee=someone, assigned_by=kanri, name="見本",
                                          source="-", scenario=PRACTICE_SCENARIO)  # fmt: skip
    own = Assignment.objects.create(trainee=shimin, assigned_by=kanri, name="見本", source="-",
                                    scenario=PRACTICE_SCENARIO)  # fmt: skip
    attempt = Attempt.objects.create(assignment=own, trainee=shimin, finished_at=timezone.now())
    by_name["training:start"] = {"pk": elsewhere.pk}
    by_name["training:attempt"] = {"pk": attempt.pk}
    by_name["training:trainee_results"] = {"user_id": shimin.pk}
    # The administrator's staff screen: the clerk's account (unlocked, stopped, its 2FA reset).
    for name in ("staff_unlock", "staff_active", "staff_otp_reset"):
        by_name[f"accounts:{name}"] = {"user_id": shimin.pk}
    samples = {
        # the training assignment form: a trainee and a pasted scenario
        "trainees": str(shimin.staff.pk),
        "text": PRACTICE_SCENARIO,
        # the staff screen's 「停止する」 (0) or 「再開する」 (1)
        "active": "0",
        # the search box, the start form, a newcomer
        "q": "タカハシ",
        "events": "tennyu",
        "event_date": "R8.4.1",
        "token": uuid.uuid4().hex,
        "surname": "転入",
        "given_name": "花子",
        "surname_kana": "テンニュウ",
        "given_kana": "ハナコ",
        "birth_date": "S55.3.2",
        "sex": "2",
        "relation": "妻",
        "role": "member",
        "nationality": "JP",
        "moving": "1",
        "applicant": "1",
        # the interview and the addresses
        "fact": "has_mynumber_card",
        "person": "p1",
        "value": "true",
        "unanswered": "1",
        "which": "new_address",
        "zip": "090-0024",
        "pref": "北海道",
        "city": "北見市",
        "town": "北4条東",
        "banchi": "1-1",
        "phone": "0157-23-0000",
        # the pre-entry (phone and counter)
        "code": "JZ-0000-0000-0000-0000",
        "event": "tennyu",
        "new_town": "北4条東",
        "easy": "1",
        "step": "move",
        # the department's screens
        "department": "hoken_nenkin",
        "state": "open",
        "sort": "deadline",
        "office": str(honcho.pk),
        "action": "start",
        "do": "start",
        "version": str(task.version),
        "reason": "書類の不足",
        "next": "queue",
        "query": "state=open",
        "counter": str(counter.pk),
        "note": "年金の相談",
        "message": "ただいま対応できません",
        # the queue
        "purpose": "moving",
        "reservation": str(reservation.pk),
        "slot": str(slot.pk),
        "name": "予約　花子",
        "name_kana": "ヨヤク　ハナコ",
        "deceased_name": "予約　一郎",
        "deceased_kana": "ヨヤク　イチロウ",
        "deceased_birth": "1940-01-01",
        "death_date": "2026-01-10",
        "day": (timezone.localdate() + timedelta(days=3)).isoformat(),
        "first": "09:00",
        "last": "10:00",
        "minutes": "30",
        "capacity": "2",
        "start": "2026-01-01",
        "end": "2026-01-31",
        # the catalog's 試す page
        "date": "R8.4.1",
        "rows": "2",
        # the designer
        "form_id": "kokuho_ido",
        "title": "国保異動届",
        "fields": DESIGNER_FIELDS,
        "replace": "1",
        # login
        "username": "shimin",
        "password": "wrong-password",
    }
    by_url_key = {
        # These take a primary key where the queue filter takes a code.
        ("backoffice:call", "department"): str(hoken.pk),
        ("backoffice:call", "counter"): "3",
        ("remote:request", "department"): str(hoken.pk),
        ("queues:ticket_action", "department"): str(hoken.pk),
        ("queues:reservations", "purpose"): "death",
        ("catalog:try", "events"): "tenshutsu",
    }
    token = issue_token(system)
    users = {
        "anon": None,
        "token": None,
        "clerk": clerk,
        "department": hoken_user,
        "branch": demo_staff["shisho"],
        "supervisor": demo_staff["kanri"],
        "admin": demo_staff["admin"],
    }
    return {
        "path": path,
        "by_name": by_name,
        "samples": samples,
        "by_url_key": by_url_key,
        "users": users,
        "token": token,
    }


# Formset keys (catalog 試す): the management form, and row fields named like the row form's.
FORMSET = [
    (re.compile(r"-TOTAL_FORMS$"), "1"),
    (re.compile(r"-INITIAL_FORMS$"), "0"),
    (re.compile(r"-(MIN|MAX)_NUM_FORMS$"), ""),
    (re.compile(r"^p-\d+-relation$"), "世帯主"),
    (re.compile(r"^p-\d+-birth_date$"), "S30.1.1"),
    (re.compile(r"^p-\d+-sex$"), "1"),
    (re.compile(r"^p-\d+-moving$"), "on"),
    (re.compile(r"^p-\d+-role$"), "member"),
    (re.compile(r"^p-\d+-nationality$"), "JP"),
    (re.compile(r"^p-\d+-has_mynumber_card$"), "true"),
    (re.compile(r"^h_"), "false"),
]


def sample(world, name, key):
    if (name, key) in world["by_url_key"]:
        return world["by_url_key"][(name, key)]
    if key in world["samples"]:
        return world["samples"][key]
    for pattern, value in FORMSET:
        if pattern.search(key):
            return value
    return ""


def fuzzed_keys(keys):
    """Formset rows repeat one form: fuzz row 0's fields only (the others are the same code)."""
    return sorted(k for k in keys if k != "_fuzz" and not re.match(r"^p-[1-9]\d*-", k))


# -- sending ------------------------------------------------------------------------------------


class Run:
    def __init__(self, world, rng):
        self.world, self.rng = world, rng
        self.failures: dict[tuple, str] = {}
        self.sent = 0
        self.last_status = None
        self.valid_json: dict[str, int | None] = {}  # the unchanged sample body's status
        self.covered: list[tuple] = []  # (name, method, role, keys): MADOGUCHI_FUZZ_REPORT=1
        self.clients = {}
        for role in ROLES:
            c = Client()
            if role == "token":
                c.defaults["HTTP_AUTHORIZATION"] = f"Bearer {world['token']}"
            self.clients[role] = c
            self._login(role)

    def _login(self, role):
        user = self.world["users"][role]
        if user is not None:
            self.clients[role].force_login(user)
            self.clients[role]._fuzz_session = self.clients[role].cookies["sessionid"].value

    def send(self, role, name, method, url, data=None, *, body=None, content_type=None, label=""):
        """One request in a rolled-back savepoint; returns the response or None on a failure."""
        client = self.clients[role]
        extra = {}
        if self.rng.random() < 0.3:  # htmx asks for a fragment: another template, same checks
            extra = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "results"}
        self.sent += 1
        response = None
        try:
            with transaction.atomic():
                if method == "GET":
                    query = fuzz.encode(data or {})
                    response = client.get(url + ("?" + query if query else ""), **extra)
                elif body is not None:
                    response = client.post(url, data=body, content_type=content_type, **extra)
                else:
                    response = client.post(
                        url,
                        data=fuzz.encode(data or {}),
                        content_type="application/x-www-form-urlencoded",
                        **extra,
                    )
                transaction.set_rollback(True)
        except Exception as e:
            frames = traceback.extract_tb(e.__traceback__)
            own = [f for f in frames if "site-packages" not in f.filename]
            where = own[-1] if own else frames[-1]
            self._fail(
                (name, method, label, type(e).__name__, where.lineno),
                f"{method} {url} as {role} [{label}]: {type(e).__name__}: {str(e)[:160]} "
                f"(at {os.path.relpath(where.filename)}:{where.lineno})",
            )
            response = None
        finally:
            session = client.cookies.get("sessionid")
            if getattr(client, "_fuzz_session", None) and (
                session is None or session.value != client._fuzz_session
            ):
                self._login(role)  # a logout or a login changed the session: back to the role
        self.last_status = response.status_code if response is not None else None
        if response is not None:
            self.check(role, name, method, url, label, response)
        return response

    def _fail(self, key, text):
        self.failures.setdefault(key, text)

    def check(self, role, name, method, url, label, response):
        status = response.status_code
        where = f"{method} {url} as {role} [{label}]"
        if status >= 500:
            self._fail((name, method, label, status), f"{where}: HTTP {status}")
            return
        ctype = response.get("Content-Type", "")
        # Raw input may come back in an HTML page (escaped, it is text) or in any error
        # answer (JSON ones included: whoever shows the message must not get markup).
        html = "text/html" in ctype
        if (html or status >= 400) and not getattr(response, "streaming", False):
            text = response.content.decode("utf-8", "replace")
            if html and status == 400 and not JAPANESE.search(text):
                self._fail(
                    (name, method, label, "400"), f"{where}: HTTP 400 says nothing: {text!r}"
                )
            for marker in fuzz.RAW_MARKERS:
                if marker in text:
                    self._fail(
                        (name, method, label, "raw"),
                        f"{where}: HTTP {status} echoes the raw input {marker!r}",
                    )
        if name in JSON_APIS and status >= 400:
            try:
                messages = list(_messages(json.loads(response.content)))
            except ValueError:
                messages = []
            if not any(JAPANESE.search(m) for m in messages):
                self._fail(
                    (name, method, label, "json"),
                    f"{where}: HTTP {status} without a Japanese JSON message: "
                    f"{response.content[:200]!r}",
                )


def _messages(doc):
    """Every "message" string in a JSON answer (the feed nests one per notice)."""
    if isinstance(doc, dict):
        for k, v in doc.items():
            if k == "message" and isinstance(v, str):
                yield v
            else:
                yield from _messages(v)
    elif isinstance(doc, list):
        for v in doc:
            yield from _messages(v)


def refused(response) -> bool:
    if response is None:
        return False
    if response.status_code in (401, 403, 404, 405):
        return True
    return response.status_code == 302 and "/accounts/login/" in response.get("Location", "")


def discover(run, role, name, method, url):
    """The valid parameters of this view for this role: the keys it reads, filled with
    samples, until no new key appears. None when the role is refused (or the method)."""
    data: dict = {"_fuzz": "1"}  # not empty: `Form(request.POST or None)` binds only then
    first = True
    for _round in range(5):
        response = run.send(role, name, method, url, data, label="discover")
        if response is None:
            return data if not first else None
        read = getattr(response, "fuzz_read", {}).get(method, set())
        # Refused before reading anything: access (or the method). A 404 after reading a key
        # is the view not finding what the key names (a counter, a reservation): go on.
        if first and refused(response) and not (response.status_code == 404 and read - {"_fuzz"}):
            return None
        first = False
        new = read - set(data)
        if not new:
            break
        for key in sorted(new):
            data[key] = sample(run.world, name, key)
    return data


def path_kwargs(world, pattern, own):
    out = {}
    for kw in pattern.pattern.converters:
        assert kw in own or kw in world["path"], (
            f"no sample for <{kw}> of {pattern.pattern}: add it to the fuzz world's path samples"
        )
        out[kw] = own.get(kw, world["path"].get(kw))
    return out


def fuzz_url(run, name, pattern):
    world = run.world
    variants = world["by_name"].get(name, {})
    for own in variants if isinstance(variants, list) else [variants]:
        kwargs = path_kwargs(world, pattern, own)
        url = reverse(name, kwargs=kwargs)
        roles = ["token"] if name in JSON_APIS else [r for r in ROLES if r != "token"]
        got = False  # the GET pass covered the view (path and all)
        for method in ("GET", "POST"):
            valid = None
            for role in roles:
                if valid is None:
                    valid = discover(run, role, name, method, url)
                    if valid is None:
                        if run.last_status == 405:
                            break  # the view does not take this method, whoever asks
                        continue
                    run.covered.append((name, method, role, sorted(valid)))
                    keys = fuzzed_keys(valid)
                    if method == "GET":
                        got = True
                    elif got and not keys and name not in JSON_BODIES:
                        break  # a page that answers POST as GET: the GET pass covered it
                    fuzz_each_key(run, role, name, method, url, valid)
                    fuzz_path(run, role, name, method, pattern, kwargs, valid)
                    if method == "POST" and name in JSON_BODIES:
                        fuzz_json(run, role, name, url)
                elif fuzzed_keys(valid):
                    fuzz_other_role(run, role, name, method, url, valid)


def fuzz_each_key(run, role, name, method, url, valid):
    """Each key alone (the others valid), then every key at once, per hostile value."""
    rng = run.rng
    keys = fuzzed_keys(valid)
    if len(keys) > MAX_KEYS:  # a long form: a seeded sample alone, all of them together below
        keys = sorted(rng.sample(keys, MAX_KEYS))
    for key in keys:
        for category, value in fuzz.choose(rng, EXTRA):
            run.send(role, name, method, url, {**valid, key: value}, label=f"{key}={category}")
        if valid[key].startswith(("[", "{")):  # a JSON document in a form field
            for where, doc in fuzz.json_mutations(json.loads(valid[key]), rng, 0):
                # ASCII escapes: a lone surrogate arrives as \ud800, as a buggy client sends it.
                text = json.dumps(doc)
                run.send(role, name, method, url, {**valid, key: text}, label=f"{key}:{where}")
    if len(valid) > 1:
        for category, value in fuzz.choose(rng, EXTRA, only=fuzz.ALL_AT_ONCE):
            run.send(role, name, method, url, {k: value for k in valid}, label=f"all={category}")


def fuzz_other_role(run, role, name, method, url, valid):
    """Another role that may call the view: its own code paths (a supervisor's department
    choice), with the main role's valid parameters and then one hostile value in all of them."""
    response = run.send(role, name, method, url, valid, label="role")
    if response is None or refused(response):
        return
    new = getattr(response, "fuzz_read", {}).get(method, set()) - set(valid)
    data = {**valid, **{k: sample(run.world, name, k) for k in new}}
    run.covered.append((name, method, role, sorted(data)))
    if len(data) > 1:
        category, value = run.rng.choice([h for h in fuzz.HOSTILE if h[0] in fuzz.ALWAYS])
        run.send(role, name, method, url, {k: value for k in data}, label=f"all={category}")


def fuzz_path(run, role, name, method, pattern, kwargs, valid):
    """Hostile values in the URL's own parts: a str part gets the strings, an int part huge
    and zero ids (the resolver itself refuses what is not digits)."""
    for kw, converter in pattern.pattern.converters.items():
        kind = type(converter).__name__
        if kind == "IntConverter":
            values = [("huge", 10**30), ("zero", 0)]
        elif kind == "StringConverter":
            values = [
                (c, v)
                for c, v in fuzz.HOSTILE
                if isinstance(v, str) and v and "/" not in v and c != "long"
            ] + [("long", "x" * 3000)]
        else:
            values = [("long", "a" * 3000)]
        for category, value in values:
            try:
                url = reverse(name, kwargs={**kwargs, kw: value})
            except NoReverseMatch:
                continue
            run.send(role, name, method, url, valid, label=f"<{kw}>={category}")


def fuzz_json(run, role, name, url):
    sample_doc = JSON_BODIES[name]
    ok = run.send(role, name, "POST", url, body=json.dumps(sample_doc),
                  content_type="application/json", label="valid")  # fmt: skip
    run.valid_json[name] = ok.status_code if ok is not None else None
    for where, doc in fuzz.json_mutations(sample_doc, run.rng, 0):
        body = json.dumps(doc)  # ASCII escapes: a lone surrogate arrives as \ud800
        run.send(role, name, "POST", url, body=body, content_type="application/json", label=where)
    for label, body in [
        ("not_json", b"{'a': 1"),
        ("bad_utf8", b'{"a": "\xff\xfe"}'),
        ("nul", b"\x00"),
        ("empty", b""),
        ("number", b"12"),
        ("huge_number", b"1" + b"0" * 5000),
    ]:
        run.send(role, name, "POST", url, body=body, content_type="application/json", label=label)


@pytest.fixture
def quiet_request_log():
    """Thousands of 4xx (and the errors this test reports itself) would flood the output."""
    logging.disable(logging.CRITICAL)
    yield
    logging.disable(logging.NOTSET)


@pytest.mark.django_db
def test_no_url_answers_hostile_input_with_a_500_or_raw_html(world, settings, quiet_request_log):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "madoguchi.tests.fuzz.RecordParameters"]
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    run = Run(world, random.Random(SEED))
    for name, pattern in walk():
        t0, n0 = time.perf_counter(), run.sent
        fuzz_url(run, name, pattern)
        if os.environ.get("MADOGUCHI_FUZZ_REPORT"):
            print(f"TIME {name} {time.perf_counter() - t0:.2f}s {run.sent - n0} requests")
    failures = sorted(run.failures.values())
    if os.environ.get("MADOGUCHI_FUZZ_REPORT"):
        for row in run.covered:
            print(*row)
        print(*failures, sep="\nFAIL ")
    assert not failures, (
        f"{len(failures)} failures in {run.sent} requests (seed {SEED}):\n"
        + "\n".join(failures[:80])
    )
    # The run reached what it claims: views' parameters were found, valid samples went
    # through (so hostile values met the code behind the validation, not only a 404).
    reached = {(n, m, k) for n, m, _role, keys in run.covered for k in keys}
    missing = MUST_REACH - reached
    assert not missing, f"parameters the discovery did not find: {sorted(missing)}"
    assert run.valid_json == {
        "api:task_processed": 201,
        "api:moving_notices": 200,
        "counter:sign": 200,
    }
