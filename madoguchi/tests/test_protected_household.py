"""支援措置 (DV protection) reaches every place a protected household's address could leave by:
the counter's screens and their error messages, the department's task, the CSV, the API,
the push to a core system and the WebSockets. One rule (accounts.access): whatever touches a
member of a protected household is protected, whoever in it is flagged.

The household of madoguchi.tests.worlds: the wife is flagged, the head is not.
"""

import csv
import io
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from asgiref.sync import async_to_sync
from django.test import Client
from django.urls import reverse

from accounts.models import AuditEntry, Department
from backoffice import services as bo
from backoffice.api import issue_token
from backoffice.models import CoreSystem, Handoff, Task
from counter import services
from counter.models import Visit
from madoguchi.tests import worlds

OLD = worlds.PROTECTED_ADDRESSES["honcho"]["old"]
NEW = worlds.PROTECTED_ADDRESSES["honcho"]["new"]


def _as(user):
    c = Client(raise_request_exception=False)
    c.force_login(user)
    return c


def _refused(**detail):
    return AuditEntry.objects.filter(action="protected_address.refused", **detail)


@pytest.fixture
def family(db):
    return worlds.protected_household("honcho")


@pytest.fixture
def tenkyo(family, clerk, admin, django_capture_on_commit_callbacks):
    """The issue's steps: 転居 of the household at the 本庁, the new address typed (by the one
    who may), 受付完了 — and the tasks made after commit."""
    hh, _head, _wife = family
    clerk_client = _as(clerk)
    r = clerk_client.post(
        reverse("counter:visit_start", args=[hh.pk]),
        {"events": ["tenkyo"], "event_date": "R8.6.15", "token": "t-1"},
    )
    assert r.status_code == 302
    visit = Visit.objects.get(start_token="t-1")
    for name, value in NEW.items():
        r = _as(admin).post(
            reverse("counter:address", args=[visit.number]), {"which": "new_address", name: value}
        )
        assert r.status_code == 200, r.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        # From the confirmation step (the packet is the administrator's to print here).
        r = clerk_client.post(reverse("counter:accept", args=[visit.number]), {"confirmed": "1"})
        assert r.status_code == 302
    visit.refresh_from_db()
    assert (
        visit.new_address["banchi"] == NEW["banchi"]
        and visit.old_address["banchi"] == OLD["banchi"]
    )
    return visit


# --- the counter ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_household_task_of_a_protected_household_shows_neither_address(tenkyo, clerk):
    task = tenkyo.tasks.get(procedure="jumin_tenkyo")
    assert task.person is None  # done once per visit: no person of its own
    html = _as(clerk).get(reverse("backoffice:task", args=[task.pk])).content.decode()
    assert "支援措置の対象者のため、住所は表示しません。" in html
    assert worlds.leaked(html) == []
    assert _refused(user=clerk, detail__where="task", visit_id=tenkyo.id).exists()


@pytest.mark.django_db
def test_the_unflagged_heads_task_is_protected_as_his_household_is(tenkyo, hoken_clerk, family):
    _hh, head, wife = family
    task = tenkyo.tasks.get(procedure="koki_jusho")
    assert task.person.resident == head and not head.support_measure
    html = _as(hoken_clerk).get(reverse("backoffice:task", args=[task.pk])).content.decode()
    assert worlds.leaked(html) == []
    # The audit names the flagged resident whose protection refused it.
    assert _refused(user=hoken_clerk, resident_id=wife.pk, detail__where="task").exists()


@pytest.mark.django_db
def test_a_clerk_cannot_probe_the_stored_address_through_the_conflict_message(family, clerk):
    hh, _head, wife = family
    visit = services.start_visit(
        by=clerk, office=clerk.staff.office, events=["tenkyo"], event_date=date(2026, 6, 15),
        household=hh,
    )  # fmt: skip
    services.set_addresses(visit, by=clerk, new_address=dict(NEW))
    url = reverse("counter:address", args=[visit.number])
    for which, stored in (("new_address", NEW), ("old_address", OLD)):
        r = _as(clerk).post(url, {"which": which, "banchi": "1-1", "seen": "guess"})
        assert r.status_code == 403
        assert worlds.leaked(r.content.decode()) == []
        visit.refresh_from_db()
        assert getattr(visit, which)["banchi"] == stored["banchi"]  # nothing saved either
    assert _refused(user=clerk, resident_id=wife.pk, detail__where="address").count() == 2


@pytest.mark.django_db
def test_the_administrator_gets_the_conflict_with_the_values_and_that_is_logged(
    family, clerk, admin
):
    hh, _head, wife = family
    visit = services.start_visit(
        by=clerk, office=clerk.staff.office, events=["tenkyo"], event_date=date(2026, 6, 15),
        household=hh,
    )  # fmt: skip
    services.set_addresses(visit, by=admin, new_address=dict(NEW))
    r = _as(admin).post(
        reverse("counter:address", args=[visit.number]),
        {"which": "new_address", "banchi": "1-1", "seen": "guess"},
    )
    assert r.status_code == 409 and NEW["banchi"] in r.content.decode()
    assert AuditEntry.objects.filter(
        action="protected_address.shown", user=admin, resident_id=wife.pk, detail__where="address"
    ).exists()


@pytest.mark.django_db
def test_the_phone_is_still_saved_for_a_protected_household(family, clerk):
    """Only the address is the administrator's: the clerk still records a contact number."""
    hh, _head, _wife = family
    visit = services.start_visit(
        by=clerk, office=clerk.staff.office, events=["tenkyo"], event_date=date(2026, 6, 15),
        household=hh,
    )  # fmt: skip
    r = _as(clerk).post(
        reverse("counter:address", args=[visit.number]),
        {"which": "new_address", "phone": "0157-00-0000", "seen": ""},
    )
    assert r.status_code == 200
    visit.refresh_from_db()
    assert visit.phone == "0157-00-0000"


@pytest.mark.django_db
def test_a_resident_flagged_after_the_visit_opened_protects_the_whole_visit(clerk):
    """The household's residents decide, not only the people listed in the visit: a member
    registered (and flagged) since the visit opened hides its address too."""
    from counter.tests.factories import elderly_couple, resident

    hh, _head, _wife = elderly_couple()
    visit = services.start_visit(
        by=clerk, office=clerk.staff.office, events=["tenkyo"], event_date=date(2026, 6, 15),
        household=hh,
    )  # fmt: skip
    child = resident(hh, "髙橋　守", "タカハシ　マモル", date(2001, 1, 1), "子")
    child.support_measure = True
    child.save()
    html = _as(clerk).get(reverse("counter:visit", args=[visit.number])).content.decode()
    assert 'id="address-hidden"' in html and hh.banchi not in html
    r = _as(clerk).get(reverse("counter:packet", args=[visit.number]), follow=True)
    assert "管理者だけが印刷できます" in r.content.decode()


# --- the department's exports -----------------------------------------------------------------


def _csv(response):
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.django_db
def test_every_csv_row_of_a_protected_household_says_so_and_has_no_address(
    tenkyo, clerk, admin, hoken_clerk
):
    for t in tenkyo.tasks.filter(procedure__in=["jumin_tenkyo", "koki_jusho"]):
        bo.transition(t, action="done", by=admin, version=t.version)
    for user, code in ((clerk, "shimin"), (hoken_clerk, "hoken_nenkin")):
        r = _as(user).get(reverse("backoffice:export"))
        rows = [row for row in _csv(r) if row["受付番号"] == tenkyo.number]
        assert rows, code
        assert all(row["支援措置"] == "1" for row in rows), rows
        assert all(row["住所"] == row["異動前住所"] == row["郵便番号"] == "" for row in rows)
        assert worlds.leaked(r.content.decode("utf-8-sig")) == []
    # The administrator's CSV has the addresses, still marked.
    rows = [row for row in _csv(_as(admin).get(reverse("backoffice:export")))]
    row = next(row for row in rows if row["手続きID"] == "jumin_tenkyo")
    assert (
        row["支援措置"] == "1"
        and NEW["banchi"] in row["住所"]
        and OLD["banchi"] in (row["異動前住所"])
    )


def _token_client(code, department):
    system = CoreSystem.objects.create(
        code=code, name=code, department=Department.objects.get(code=department)
    )
    c = Client()
    c.defaults["HTTP_AUTHORIZATION"] = f"Bearer {issue_token(system)}"
    return c


@pytest.mark.django_db
def test_the_api_marks_every_task_of_a_protected_household_and_gives_no_address(tenkyo):
    for code, department in (("juki", "shimin"), ("kokuho", "hoken_nenkin")):
        api = _token_client(code, department)
        r = api.get("/api/v1/tasks", {"state": "all"})
        tasks = [t for t in r.json()["tasks"] if t["visit"] == tenkyo.number]
        assert tasks, code
        for t in tasks:
            assert t["person"]["support_measure"] is True, t
            assert t["person"]["address"] == t["person"]["previous_address"] == ""
            one = api.get(f"/api/v1/tasks/{t['id']}")
            assert worlds.leaked(one.content.decode()) == []
        assert worlds.leaked(r.content.decode()) == []
    assert _refused(detail__where="api").exists()


@pytest.mark.django_db
def test_another_departments_token_reaches_none_of_its_tasks(tenkyo):
    kaigo = _token_client("kaigo-sys", "kaigo")
    for task in tenkyo.tasks.exclude(department__code="kaigo"):
        assert kaigo.get(f"/api/v1/tasks/{task.pk}").status_code == 404
        r = kaigo.post(
            f"/api/v1/tasks/{task.pk}/processed", data="{}", content_type="application/json"
        )
        assert r.status_code == 404
    listed = kaigo.get("/api/v1/tasks", {"state": "all"}).json()["tasks"]
    assert listed and {t["department"] for t in listed} == {"kaigo"}


class _Receiver(BaseHTTPRequestHandler):
    bodies: list = []

    def do_POST(self):  # noqa: N802 — http.server's name
        self.bodies.append(self.rfile.read(int(self.headers["Content-Length"])))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def core_system_server():
    """A real HTTP endpoint on a free local port, standing in for a core system."""
    _Receiver.bodies = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/tasks", _Receiver.bodies
    server.shutdown()
    server.server_close()


@pytest.mark.django_db
def test_the_push_to_a_core_system_carries_no_protected_address(tenkyo, admin, core_system_server):
    url, bodies = core_system_server
    for code, department in (("juki-push", "shimin"), ("kokuho-push", "hoken_nenkin")):
        CoreSystem.objects.create(
            code=code, name=code, department=Department.objects.get(code=department), push_url=url
        )
    for t in tenkyo.tasks.filter(procedure__in=["jumin_tenkyo", "koki_jusho"]):
        bo.transition(t, action="done", by=admin, version=t.version)
    pushes = Handoff.objects.filter(kind=Handoff.Kind.PUSH, visit=tenkyo)
    assert pushes.count() == 2
    for h in pushes:
        assert bo.run_handoff(h).status == Handoff.Status.DONE, h.last_error
    assert len(bodies) == 2
    for body in bodies:
        payload = json.loads(body)
        assert payload["person"]["support_measure"] is True
        assert payload["person"]["address"] == payload["person"]["previous_address"] == ""
        assert worlds.leaked(body.decode()) == []
    assert _refused(detail__where="push").exists()


# --- WebSockets ------------------------------------------------------------------------------


def _in_own_thread(fn):
    """async_to_sync cannot run where the session's Playwright keeps its loop: own thread."""
    from django.db import connections

    def run():
        try:
            fn()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(1) as pool:
        pool.submit(run).result()


@pytest.mark.django_db(transaction=True)
def test_no_websocket_message_carries_a_protected_address(
    demo_staff, branch_clerk, hoken_clerk, clerk, django_capture_on_commit_callbacks
):
    """The room of a protected household's consultation, the call display and a ticket's
    page: every message either side hears while the visit is worked on."""
    from channels.routing import URLRouter

    from madoguchi.asgi import websocket_urlpatterns
    from queues import services as queue_services
    from queues.models import Counter
    from remote import services as remote_services
    from remote.tests.wsclient import WebsocketCommunicator, signed_in

    users = {"clerk": clerk, "branch": branch_clerk, "department": hoken_clerk,
             "admin": demo_staff["admin"]}  # fmt: skip
    hh, _head, _wife = worlds.protected_household("tanno")
    visit = services.start_visit(
        by=branch_clerk, office=branch_clerk.staff.office, events=["tenkyo"],
        event_date=date(2026, 6, 15), household=hh,
    )  # fmt: skip
    services.set_addresses(
        visit, by=users["admin"], new_address=dict(worlds.PROTECTED_ADDRESSES["tanno"]["new"])
    )
    c = remote_services.request_consultation(
        visit, by=branch_clerk, department=Department.objects.get(code="hoken_nenkin")
    )
    remote_services.admit(c, by=hoken_clerk)
    office = visit.office
    counter = Counter.objects.create(
        office=office, number=5, department=Department.objects.get(code="shimin")
    )
    ticket = queue_services.issue_ticket(office=office, purpose_code="other")
    app = URLRouter(websocket_urlpatterns)
    sessions = {u: signed_in(u) for u in (clerk, branch_clerk, hoken_clerk)}

    def socket(path, user):
        ws = WebsocketCommunicator(app, path)
        ws.scope["user"] = user
        ws.scope["session"] = sessions.get(user)
        return ws

    heard = []

    async def drain(ws):
        while not await ws.receive_nothing(timeout=0.3):
            heard.append(json.dumps(await ws.receive_json_from(), ensure_ascii=False))

    async def scenario():
        # A non-party, the clerk of the 本庁, gets no room.
        assert not (await socket(f"/ws/remote/{c.pk}/", clerk).connect())[0]
        sockets = [
            socket(f"/ws/remote/{c.pk}/", branch_clerk),
            socket(f"/ws/remote/{c.pk}/", hoken_clerk),
            socket(f"/ws/queue/display/{office.code}/", None),
            socket(f"/ws/queue/ticket/{ticket.token}/", None),
        ]
        for ws in sockets:
            assert (await ws.connect())[0]
        for ws in sockets:
            await drain(ws)
        return sockets

    def act():
        # Answers in the room, the ticket called: each sends its messages after commit.
        from django.db import connections

        try:
            specialist = _as(hoken_clerk)
            r = specialist.post(
                reverse("remote:answer", args=[c.pk]),
                {"fact": "has_inkan", "person": "p1", "value": "false"},
            )
            assert r.status_code == 200 and worlds.leaked(r.content.decode()) == []
            queue_services.call_next(counter, by=branch_clerk)
        finally:
            connections.close_all()  # this worker thread's own connection

    async def full():
        sockets = await scenario()
        from asgiref.sync import sync_to_async

        await sync_to_async(act, thread_sensitive=False)()
        for ws in sockets:
            await drain(ws)
            await ws.disconnect()

    _in_own_thread(lambda: async_to_sync(full)())
    assert any("visit-changed" in m for m in heard) and any(ticket.label in m for m in heard)
    assert [m for m in heard if worlds.leaked(m)] == []


# --- the rule itself ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_visit_touches_its_peoples_households_as_well_as_its_own(clerk):
    """A person in the visit from another household brings that household's protection in."""
    from counter.models import VisitPerson
    from counter.tests.factories import elderly_couple

    hh, _head, _wife = elderly_couple()
    other, _other_head, other_wife = worlds.protected_household("tanno")
    visit = services.start_visit(
        by=clerk, office=clerk.staff.office, events=["marriage"], event_date=date(2026, 6, 15),
        household=hh,
    )  # fmt: skip
    assert visit.protected_resident_ids() == []
    VisitPerson.objects.create(visit=visit, key="p9", resident=_other_head, order=9)
    assert visit.protected_resident_ids() == [other_wife.pk]
    task = Task(visit=visit, procedure="x", department=Department.objects.get(code="shimin"))
    assert task.protected_resident_ids() == [other_wife.pk]
