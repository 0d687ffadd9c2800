"""Every URL of the system × every role → the exact status, and no protected address in what
comes back.

The tables below are the rule (accounts.access decides it). A URL added without a row fails
`test_every_url_has_a_row_in_the_matrix`: add one line to MATRIX with the method the check
uses and what each role gets. A kwarg the samples do not know fails with its name: add it to
the samples (madoguchi/tests/worlds.py) or give the row its own kwargs.

Each cell is the status code; `login` is a redirect to the login page. A 400 is an empty
form refused after the check let the request in; a 500 is never right.
Roles (conftest personas): anon; clerk = 市民課 at the 本庁; department = 保険年金課 (role
department) at the 本庁; branch = 市民課 at the 端野支所; supervisor = 市民課 係長; admin.

The whole table is run four times, over the objects of
- the 本庁: an accepted 転出 with its tasks, a 保険年金課 task, call and failed push (MATRIX);
- the 端野支所: the same, opened by the branch clerk (BRANCH says what differs);
- a 支援措置 household's 転居 at the 本庁, and one at the 端野支所 (PROTECTED, PROTECTED_BRANCH).
In every run, no response to anyone but the administrator may carry an old or new address
of a protected household: HTML, JSON, CSV, or the text of a PDF (worlds.leaked).
WS_MATRIX does the same for the WebSockets: who gets in, and what they hear on connecting.
"""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from madoguchi.tests import worlds

ROLES = ["anon", "clerk", "department", "branch", "supervisor", "admin"]

MATRIX = {
    #  name                          method  anon  clerk dept branch super admin   kwargs
    "accounts:login": ("GET", "200 200 200 200 200 200"),
    "accounts:logout": ("POST", "302 302 302 302 302 302"),
    "accounts:security": ("GET", "login 200 200 200 200 200"),  # one's own password and 2FA
    "accounts:password_change": ("GET", "login 200 200 200 200 200"),
    "accounts:otp_setup": ("GET", "login 200 200 200 200 200"),
    "accounts:otp_verify": ("GET", "login 302 302 302 302 302"),
    "accounts:otp_disable": ("POST", "login 302 302 302 302 302"),
    "accounts:keepalive": ("POST", "login 204 204 204 204 204"),
    # Other staff's accounts: the administrator's (access.py). Without its field, 「停止する」
    # is a 400; the sample account (the branch clerk) is not locked, nor has a device.
    "accounts:staff_accounts": ("GET", "login 403 403 403 403 200"),
    "accounts:staff_unlock": ("POST", "login 403 403 403 403 302", {"user_id": "staff_user"}),
    "accounts:staff_active": ("POST", "login 403 403 403 403 400", {"user_id": "staff_user"}),
    "accounts:staff_otp_reset": ("POST", "login 403 403 403 403 302", {"user_id": "staff_user"}),
    "catalog:index": ("GET", "login 200 200 200 200 200"),
    "catalog:event": ("GET", "login 200 200 200 200 200"),
    "catalog:procedure": ("GET", "login 200 200 200 200 200"),
    "catalog:try": ("GET", "login 200 200 200 200 200"),
    "counter:sign": ("GET", "200 200 200 200 200 200"),  # the signed link is the key
    "counter:packet_version": ("GET", "login 200 403 403 200 200"),
    "counter:sign_qr": ("GET", "login 200 403 403 200 200"),
    "counter:signature_clear": ("POST", "login 200 403 403 200 200"),
    "counter:designer": ("GET", "login 403 403 403 403 200"),
    "counter:designer_edit": ("GET", "login 403 403 403 403 200"),
    "counter:designer_page": ("GET", "login 403 403 403 403 200"),
    "counter:designer_preview": ("POST", "login 403 403 403 403 200"),
    "counter:designer_save": ("POST", "login 403 403 403 403 400"),
    "backoffice:queue": ("GET", "login 200 200 200 200 200"),  # each sees their own department
    "backoffice:queue_live": ("GET", "login 200 200 200 200 200"),
    "backoffice:export": ("GET", "login 200 200 200 200 200"),
    "backoffice:chime": ("GET", "200 200 200 200 200 200"),  # a sound, no data
    "backoffice:task": ("GET", "login 403 200 403 200 200", {"pk": "task"}),
    "backoffice:transition": ("POST", "login 403 400 403 400 400", {"pk": "task"}),
    "backoffice:call_take": ("POST", "login 404 302 404 404 404", {"pk": "call"}),
    "backoffice:handoff_retry": ("POST", "login 404 302 404 404 404", {"pk": "handoff"}),
    "backoffice:board": ("GET", "login 200 403 403 200 200"),
    "backoffice:call": ("POST", "login 400 403 403 400 400"),
    "api:openapi": ("GET", "200 200 200 200 200 200"),
    "api:tasks": ("GET", "401 401 401 401 401 401"),  # core systems' tokens only
    "api:task": ("GET", "401 401 401 401 401 401", {"pk": "task"}),
    "api:task_processed": ("POST", "401 401 401 401 401 401", {"pk": "task"}),
    "api:moving_notices": ("POST", "401 401 401 401 401 401"),  # the 転入予約 feed
    "api:register_import": ("POST", "401 401 401 401 401 401"),  # the 市民課 system's token
    "queues:kiosk": ("GET", "200 200 200 200 200 200"),  # the lobby's screens: public
    "queues:display": ("GET", "200 200 200 200 200 200"),
    "queues:chime": ("GET", "200 200 200 200 200 200"),
    # The spoken call: a sound made from a ticket label and a counter number only.
    "queues:announce": (
        "GET",
        "200 200 200 200 200 200",
        {"label": "ticket_label", "counter": "counter_number"},
    ),
    "queues:wait": ("GET", "200 200 200 200 200 200", {"token": "ticket_token"}),
    "queues:wait_status": ("GET", "200 200 200 200 200 200", {"token": "ticket_token"}),
    "queues:ticket_print": ("GET", "200 200 200 200 200 200", {"token": "ticket_token"}),
    "queues:book": ("GET", "200 200 200 200 200 200"),
    "queues:book_okuyami": ("GET", "200 200 200 200 200 200"),
    # The resident's own booking page: its unguessable key is the permission.
    "queues:my_reservation": ("GET", "200 200 200 200 200 200", {"key": "reservation_key"}),
    "queues:staff": ("GET", "login 200 200 200 200 200"),  # a department: its own counters
    "queues:staff_issue": ("POST", "login 302 403 302 302 302"),
    # A counter of another office is not found: the staff screen lists their own office's.
    "queues:call_next": ("POST", "login 302 403 404 302 302", {"pk": "queue_counter"}),
    "queues:ticket_action": (
        "POST",
        "login 302 403 403 302 302",
        {"pk": "ticket", "action": "ticket_action"},
    ),
    "queues:reservations": ("GET", "login 200 403 200 200 200"),
    "queues:reservation_prepare": ("POST", "login 302 403 404 302 302", {"pk": "reservation"}),
    "queues:reservation_cancel": ("POST", "login 302 403 404 302 302", {"pk": "reservation"}),
    "analytics:dashboard": ("GET", "login 403 403 403 200 200"),
    "analytics:dashboard_csv": ("GET", "login 403 403 403 200 200"),
    "counter:home": ("GET", "login 200 302 200 200 200"),  # department: to its queue
    "counter:visit_new": ("GET", "login 200 403 200 200 200"),
    "counter:visit_start": ("GET", "login 200 403 200 200 200"),
    "counter:visit": ("GET", "login 200 403 403 200 200"),
    "counter:person_add": ("POST", "login 400 403 403 400 400"),
    "counter:person_update": ("POST", "login 200 403 403 200 200"),
    "counter:answer": ("POST", "login 400 403 403 400 400"),
    "counter:answer_none": ("POST", "login 400 403 403 400 400"),
    "counter:answer_withdraw": ("POST", "login 400 403 403 400 400"),
    "counter:address": ("POST", "login 400 403 403 400 400"),
    "counter:packet": ("GET", "login 200 403 403 200 200"),
    "counter:accept": ("POST", "login 302 403 403 302 302"),
    "counter:card_read": ("POST", "login 400 403 403 400 400"),
    "counter:card_home": ("POST", "login 400 403 400 400 400"),  # the home screen's card read
    "counter:postal": ("GET", "login 200 403 200 200 200"),  # the postal dictionary, no resident
    "counter:variants": ("GET", "login 200 403 200 200 200"),  # the fonts' 異体字, and readings
    # The sample visit is accepted: its confirmation step sends back to the visit page, a
    # removal is refused there with the reason, its people are the register's (no edit page).
    "counter:accept_confirm": ("GET", "login 302 403 403 302 302"),
    "counter:person_edit": ("GET", "login 404 403 403 404 404"),
    "counter:person_remove": ("POST", "login 302 403 403 302 302"),
    "counter:visit_cancel": ("GET", "login 200 403 403 200 200"),
    "counter:visit_reopen": ("GET", "login 403 403 403 200 200"),  # supervisors (access.py)
    "counter:audit_log": ("GET", "login 403 403 403 200 200"),  # supervisors and administrators
    "counter:audit_log_csv": ("GET", "login 403 403 403 200 200"),
    # The resident's pre-entry on a phone: public, its edit token is the key; the counter's
    # side (scan, open by code) is counter staff's. No code in the query: not found.
    "preentry:start": ("GET", "200 200 200 200 200 200"),
    "preentry:resume": ("GET", "302 302 302 302 302 302", {"token": "preentry_token"}),
    "preentry:move": ("GET", "200 200 200 200 200 200", {"token": "preentry_token"}),
    "preentry:people": ("GET", "200 200 200 200 200 200", {"token": "preentry_token"}),
    "preentry:questions": ("GET", "200 200 200 200 200 200", {"token": "preentry_token"}),
    "preentry:done": ("GET", "200 200 200 200 200 200", {"token": "preentry_token"}),
    "preentry:wording": ("POST", "302 302 302 302 302 302", {"token": "preentry_token"}),
    "preentry:scan": ("GET", "login 200 403 200 200 200"),
    "preentry:open": ("GET", "login 404 403 404 404 404"),
    # 練習モード: counter staff practise; supervisors assign and read everyone's results; a
    # trainee reads only their own (the sample attempt is the branch clerk's). The sample
    # assignment is another trainee's: nobody else may start it.
    "training:home": ("GET", "login 200 403 200 200 200"),
    "training:start": ("POST", "login 404 403 404 404 404", {"pk": "assignment"}),
    "training:stop": ("POST", "login 302 302 302 302 302"),
    "training:card": ("GET", "login 302 403 302 302 302"),  # not practising: to the home
    "training:assign": ("GET", "login 403 403 403 200 200"),
    "training:results": ("GET", "login 403 403 403 200 200"),
    "training:trainee_results": ("GET", "login 403 403 200 200 200", {"user_id": "trainee"}),
    "training:attempt": ("GET", "login 403 403 200 200 200", {"pk": "attempt"}),
    "remote:visit_panel": ("GET", "login 200 403 403 200 200"),  # the visit page's block
    "remote:request": ("POST", "login 400 403 403 400 400"),
    "remote:lobby": ("GET", "login 403 200 403 403 403"),  # a department's own lobby
    "remote:waiting": ("GET", "login 403 200 403 403 403"),  # the header's count, the same
    "remote:admit": ("POST", "login 403 302 403 403 403", {"pk": "consultation"}),
    "remote:decline": ("POST", "login 403 302 403 403 403", {"pk": "consultation"}),
    # The room: its two admitted parties only (requested by the clerk, admitted by 保険年金課).
    "remote:room": ("GET", "login 200 200 403 403 403", {"pk": "consultation"}),
    "remote:live": ("GET", "login 200 200 403 403 403", {"pk": "consultation"}),
    "remote:answer": ("POST", "login 400 400 403 403 403", {"pk": "consultation"}),
    "remote:answer_withdraw": ("POST", "login 400 400 403 403 403", {"pk": "consultation"}),
    "remote:end": ("POST", "login 302 302 403 403 403", {"pk": "consultation"}),
}

# The 端野支所's objects: its counter staff (branch) open its visits, the 本庁's clerk does not;
# the 保険年金課 at the 本庁 works on every office's tasks. Supervisors and the administrator
# open any visit, but queue counters and reservations are each office's own screen.
BRANCH = {
    "counter:packet_version": "login 403 403 200 200 200",
    "counter:signature_clear": "login 403 403 200 200 200",
    "counter:sign_qr": "login 403 403 200 200 200",
    "backoffice:board": "login 403 403 200 200 200",
    "backoffice:call": "login 403 403 400 400 400",
    "queues:call_next": "login 404 404 302 404 404",
    "queues:ticket_action": "login 403 403 302 302 302",
    "queues:reservation_prepare": "login 404 403 302 404 404",
    "queues:reservation_cancel": "login 404 403 302 404 404",
    "counter:visit": "login 403 403 200 200 200",
    "counter:person_add": "login 403 403 400 400 400",
    "counter:person_update": "login 403 403 200 200 200",
    "counter:answer": "login 403 403 400 400 400",
    "counter:answer_none": "login 403 403 400 400 400",
    "counter:answer_withdraw": "login 403 403 400 400 400",
    "counter:address": "login 403 403 400 400 400",
    "counter:packet": "login 403 403 200 200 200",
    "counter:accept": "login 403 403 302 302 302",
    "counter:card_read": "login 403 403 400 400 400",
    "counter:accept_confirm": "login 403 403 302 302 302",
    "counter:person_edit": "login 403 403 404 404 404",
    "counter:person_remove": "login 403 403 302 302 302",
    "counter:visit_cancel": "login 403 403 200 200 200",
    "remote:visit_panel": "login 403 403 200 200 200",
    "remote:request": "login 403 403 400 400 400",
    "remote:room": "login 403 200 200 403 403",
    "remote:live": "login 403 200 200 403 403",
    "remote:answer": "login 403 400 400 403 403",
    "remote:answer_withdraw": "login 403 400 400 403 403",
    "remote:end": "login 403 302 302 403 403",
}

# A 支援措置 household: papers with its address are printed by the administrator only (the
# others are sent back to the visit page with the reason, or refused an earlier version).
PROTECTED = {
    "counter:packet_version": "login 403 403 403 403 200",
    "counter:packet": "login 302 403 403 302 200",
}
PROTECTED_BRANCH = {
    **BRANCH,
    "counter:packet_version": "login 403 403 403 403 200",
    "counter:packet": "login 403 403 302 302 200",
}
RUNS = [
    ("honcho", False, {}),
    ("tanno", False, BRANCH),
    ("honcho", True, PROTECTED),
    ("tanno", True, PROTECTED_BRANCH),
]

# Tampering with what a screen reads from the query: another department's queue, CSV, live
# list; a department that does not exist; another department's call taken by naming it.
TAMPERING = [
    ("GET", "/backoffice/?department=kaigo", "login 403 403 403 200 200"),
    ("GET", "/backoffice/live/?department=kaigo", "login 403 403 403 200 200"),
    ("GET", "/backoffice/export.csv?department=kaigo", "login 403 403 403 200 200"),
    ("GET", "/backoffice/export.csv?department=hoken_nenkin", "login 403 200 403 200 200"),
    ("GET", "/backoffice/?department=no_such", "login 403 403 403 404 404"),
]


def walk(patterns=None, prefix="", ns=""):
    """(name, route) of every URL pattern, through every include."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            inner = f"{ns}:{p.namespace}" if ns and p.namespace else (p.namespace or ns)
            yield from walk(p.url_patterns, prefix + str(p.pattern), inner)
        elif isinstance(p, URLPattern):
            yield (f"{ns}:{p.name}" if ns else (p.name or prefix + str(p.pattern))), p


def test_every_url_has_a_row_in_the_matrix():
    names = {name for name, _p in walk()}
    missing = sorted(names - set(MATRIX))
    assert not missing, (
        f"URLs without a row in the permission matrix (add them to MATRIX): {missing}"
    )
    stale = sorted((set(MATRIX) | set(BRANCH) | set(PROTECTED)) - names)
    assert not stale, f"rows for URLs that no longer exist: {stale}"


@pytest.fixture
def users(demo_staff):
    return {
        "anon": None,
        "clerk": demo_staff["shimin"],
        "department": demo_staff["hoken"],
        "branch": demo_staff["shisho"],
        "supervisor": demo_staff["kanri"],
        "admin": demo_staff["admin"],
    }


@pytest.fixture
def designer_blank(settings, tmp_path):
    """A blank form for the designer's routes, in a scratch folder."""
    from fpdf import FPDF

    blank = FPDF()
    blank.add_page()
    settings.PRINTING_DESIGNER_DIR = str(tmp_path)
    (tmp_path / "kokuho_ido.pdf").write_bytes(bytes(blank.output()))


@pytest.fixture
def runs(users, designer_blank, django_capture_on_commit_callbacks):
    """Every run's objects, all in the database together: a list page of one run shows the
    protected rows of another, and must hide their addresses too."""
    return [
        (
            f"{office}{' 支援措置' if protected else ''}",
            worlds.build(
                users,
                office=office,
                protected=protected,
                capture=django_capture_on_commit_callbacks,
            ),
            table,
        )
        for office, protected, table in RUNS
    ]


def _kwargs(pattern, row, samples):
    own = row[2] if len(row) > 2 else {}
    out = {}
    for kw in pattern.pattern.converters:
        source = own.get(kw, kw)
        assert source in samples, (
            f"no sample value for <{kw}> of {pattern.pattern}: add it to the samples"
        )
        out[kw] = samples[source]
    return out


def _status(response) -> str:
    login = reverse("accounts:login") + "?next="
    if response.status_code == 302 and response["Location"].startswith(login):
        return "login"
    return str(response.status_code)


def _clients(users):
    clients = {role: Client(raise_request_exception=False) for role in ROLES}
    for role, user in users.items():
        if user is not None:
            clients[role].force_login(user)
    return clients


def _check(wrong, label, role, response, want):
    got = _status(response)
    if got != want:
        wrong.append(f"{label} as {role}: expected {want}, got {got}")
    if role != "admin":
        found = worlds.leaked(worlds.response_text(response))
        if found:
            wrong.append(f"{label} as {role}: shows the protected address {found}")


@pytest.mark.django_db
def test_each_role_gets_exactly_what_the_matrix_says_and_no_protected_address(runs, users):
    wrong = []
    clients = _clients(users)
    for run, samples, table in runs:
        for name, pattern in walk():
            row = MATRIX.get(name)
            if row is None:
                continue  # reported by test_every_url_has_a_row_in_the_matrix
            method, expected = row[0], table.get(name, row[1]).split()
            url = reverse(name, kwargs=_kwargs(pattern, row, samples))
            for role, want in zip(ROLES, expected, strict=True):
                client = clients[role]
                response = client.post(url) if method == "POST" else client.get(url)
                if users[role] is not None and name == "accounts:logout":
                    client.force_login(users[role])
                _check(wrong, f"[{run}] {name}", role, response, want)
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
def test_tampering_with_the_department_in_the_query_is_refused(runs, users):
    wrong = []
    clients = _clients(users)
    for method, url, expected in TAMPERING:
        for role, want in zip(ROLES, expected.split(), strict=True):
            client = clients[role]
            response = client.post(url) if method == "POST" else client.get(url)
            _check(wrong, f"{method} {url}", role, response, want)
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
def test_another_departments_call_cannot_be_taken_by_naming_the_department(runs, users):
    """The call-take form says which department's queue it came from: naming 保険年金課 does
    not let a 市民課 clerk take its call."""
    _run, samples, _table = runs[0]
    url = reverse("backoffice:call_take", args=[samples["call"]])
    wrong = []
    clients = _clients(users)
    for role, want in zip(ROLES, "login 403 302 403 302 302".split(), strict=True):
        response = clients[role].post(url, {"department": "hoken_nenkin"})
        _check(wrong, f"POST {url} department=hoken_nenkin", role, response, want)
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
def test_the_search_finds_a_protected_household_by_name_but_never_shows_where_it_lives(runs, users):
    wrong = []
    clients = _clients(users)
    old = worlds.PROTECTED_ADDRESSES["honcho"]["old"]
    queries = {
        "by name": ("ヒダ　シズカ", "login 200 302 200 200 200"),
        "by the head's name": ("秘田　守", "login 200 302 200 200 200"),
        # What is typed is echoed in the box: the query is part of the address, not all of it.
        "by address": (old["town"] + old["banchi"][:3], "login 200 302 200 200 200"),
    }
    for label, (q, expected) in queries.items():
        for role, want in zip(ROLES, expected.split(), strict=True):
            response = clients[role].get("/", {"q": q})
            _check(wrong, f"search {label}", role, response, want)
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
def test_the_administrator_sees_the_protected_address_so_the_content_check_can_fail(runs, users):
    """The check above reads the responses: here it must find the address where it is shown."""
    admin = _clients(users)["admin"]
    for _run, samples, _table in runs[2:]:
        page = worlds.response_text(admin.get(reverse("counter:visit", args=[samples["number"]])))
        assert len(worlds.leaked(page)) >= 4  # the old and the new banchi and 方書
        pdf = admin.get(reverse("counter:packet", args=[samples["number"]]))
        assert pdf["Content-Type"] == "application/pdf"
        assert worlds.leaked(worlds.response_text(pdf))


# WebSockets: the call display and a ticket's page are public (numbers only); a room is its
# two admitted parties' (here the 本庁's clerk who asked and the 保険年金課 who admitted).
WS_MATRIX = [
    ("/ws/queue/display/{office}/", "Y Y Y Y Y Y"),
    ("/ws/queue/ticket/{ticket_token}/", "Y Y Y Y Y Y"),
    ("/ws/queue/ticket/no-such-token/", "N N N N N N"),
    ("/ws/remote/{consultation}/", "N Y Y N N N"),
    ("/ws/remote/{requested}/", "N N N N N N"),  # asked for, not admitted yet
]


@pytest.mark.django_db(transaction=True)
def test_each_role_gets_the_websockets_the_matrix_says(users, django_capture_on_commit_callbacks):
    from concurrent.futures import ThreadPoolExecutor

    from asgiref.sync import async_to_sync
    from channels.routing import URLRouter
    from django.contrib.auth.models import AnonymousUser
    from django.db import connections

    from accounts.sockets import SECOND_FACTOR_DUE, SESSION_ENDED
    from madoguchi.asgi import websocket_urlpatterns
    from remote.models import Consultation
    from remote.tests.wsclient import WebsocketCommunicator, signed_in

    samples = worlds.build(
        users, office="honcho", protected=True, capture=django_capture_on_commit_callbacks
    )
    asked = Consultation.objects.get(pk=samples["consultation"])
    samples["requested"] = Consultation.objects.create(
        visit=asked.visit, office=asked.office, requested_by=asked.requested_by,
        department=asked.department,
    ).pk  # fmt: skip
    app = URLRouter(websocket_urlpatterns)
    sessions = {role: signed_in(users[role]) for role in ROLES}
    wrong = []

    async def scenario():
        for path, expected in WS_MATRIX:
            url = path.format(**samples)
            for role, want in zip(ROLES, expected.split(), strict=True):
                ws = WebsocketCommunicator(app, url)
                ws.scope["user"] = users[role] or AnonymousUser()
                ws.scope["session"] = sessions[role]
                accepted, _code = await ws.connect()
                if accepted:
                    while not await ws.receive_nothing(timeout=0.1):
                        message = await ws.receive_output()
                        if message.get("code") in (SESSION_ENDED, SECOND_FACTOR_DUE):
                            accepted = False  # a staff socket's refusal (accounts.sockets)
                            break
                        if worlds.leaked(message.get("text", "")):
                            wrong.append(f"{url} as {role}: {message}")
                    await ws.disconnect()
                if ("Y" if accepted else "N") != want:
                    wrong.append(f"{url} as {role}: expected {want}")

    def run():
        try:
            async_to_sync(scenario)()
        finally:
            connections.close_all()

    # Not in the main thread, where the session's Playwright keeps its event loop.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(run).result()
    assert not wrong, "\n".join(wrong)
