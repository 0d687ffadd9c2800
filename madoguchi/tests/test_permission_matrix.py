"""Every URL of the system × every role → allowed (Y) or refused (N).

The table below is the rule. A URL added without a row fails
`test_every_url_has_a_row_in_the_matrix`: add one line to MATRIX with the method the
check uses and what each role should get. A kwarg the samples do not know fails with its
name: add it to SAMPLES (or give the row its own kwargs).

Refused means: a redirect to the login page (anonymous), 401, 403 or 404. Anything else is
allowed: a 400 for an empty form, even a 500, has passed the authorisation, which is what
this test is about (other tests own the behaviour behind it).
Roles (conftest personas): anon; clerk = 市民課 at the 本庁; department = 保険年金課 (role
department); branch = 市民課 at the 端野支所; supervisor = 市民課 係長; admin.
The objects: a visit of the 本庁, accepted, with its tasks; a 保険年金課 task, call and failed
handoff.
"""

from datetime import date

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

ROLES = ["anon", "clerk", "department", "branch", "supervisor", "admin"]

MATRIX = {
    #  name                            method  anon clerk dept branch super admin   kwargs
    "accounts:login": ("GET", "Y Y Y Y Y Y"),
    "accounts:logout": ("POST", "Y Y Y Y Y Y"),
    "accounts:security": ("GET", "N Y Y Y Y Y"),  # one's own password and second factor
    "accounts:password_change": ("GET", "N Y Y Y Y Y"),
    "accounts:otp_setup": ("GET", "N Y Y Y Y Y"),
    "accounts:otp_verify": ("GET", "N Y Y Y Y Y"),
    "accounts:otp_disable": ("POST", "N Y Y Y Y Y"),
    "accounts:keepalive": ("POST", "N Y Y Y Y Y"),
    "catalog:index": ("GET", "N Y Y Y Y Y"),
    "catalog:event": ("GET", "N Y Y Y Y Y"),
    "catalog:procedure": ("GET", "N Y Y Y Y Y"),
    "catalog:try": ("GET", "N Y Y Y Y Y"),
    "printing:sign": ("GET", "Y Y Y Y Y Y"),  # the signed link is the key
    "printing:packet_version": ("GET", "N Y N N Y Y"),
    "printing:signature_clear": ("POST", "N Y N N Y Y"),
    "printing:designer": ("GET", "N N N N N Y"),
    "printing:designer_edit": ("GET", "N N N N N Y"),
    "printing:designer_page": ("GET", "N N N N N Y"),
    "printing:designer_preview": ("POST", "N N N N N Y"),
    "printing:designer_save": ("POST", "N N N N N Y"),
    "backoffice:queue": ("GET", "N Y Y Y Y Y"),  # each sees their own department
    "backoffice:queue_live": ("GET", "N Y Y Y Y Y"),
    "backoffice:export": ("GET", "N Y Y Y Y Y"),
    "backoffice:chime": ("GET", "Y Y Y Y Y Y"),  # a sound, no data
    "backoffice:task": ("GET", "N N Y N Y Y", {"pk": "task"}),
    "backoffice:transition": ("POST", "N N Y N Y Y", {"pk": "task"}),
    "backoffice:call_take": ("POST", "N N Y N N N", {"pk": "call"}),
    "backoffice:handoff_retry": ("POST", "N N Y N N N", {"pk": "handoff"}),
    "backoffice:board": ("GET", "N Y N N Y Y"),
    "backoffice:call": ("POST", "N Y N N Y Y"),
    "api:openapi": ("GET", "Y Y Y Y Y Y"),
    "api:tasks": ("GET", "N N N N N N"),  # core systems' tokens only
    "api:task": ("GET", "N N N N N N", {"pk": "task"}),
    "api:task_processed": ("POST", "N N N N N N", {"pk": "task"}),
    "queues:kiosk": ("GET", "Y Y Y Y Y Y"),  # the lobby's screens: public
    "queues:display": ("GET", "Y Y Y Y Y Y"),
    "queues:chime": ("GET", "Y Y Y Y Y Y"),
    "queues:wait": ("GET", "Y Y Y Y Y Y", {"token": "ticket_token"}),
    "queues:wait_status": ("GET", "Y Y Y Y Y Y", {"token": "ticket_token"}),
    "queues:ticket_print": ("GET", "Y Y Y Y Y Y", {"token": "ticket_token"}),
    "queues:book": ("GET", "Y Y Y Y Y Y"),
    "queues:book_okuyami": ("GET", "Y Y Y Y Y Y"),
    "queues:staff": ("GET", "N Y N Y Y Y"),
    "queues:staff_issue": ("POST", "N Y N Y Y Y"),
    "queues:call_next": ("POST", "N Y N N Y Y", {"pk": "queue_counter"}),
    "queues:ticket_action": ("POST", "N Y N N Y Y", {"pk": "ticket", "action": "ticket_action"}),
    "queues:reservations": ("GET", "N Y N Y Y Y"),
    "queues:reservation_prepare": ("POST", "N Y N N Y Y", {"pk": "reservation"}),
    "queues:reservation_cancel": ("POST", "N Y N N Y Y", {"pk": "reservation"}),
    "queues:dashboard": ("GET", "N N N N Y Y"),
    "queues:dashboard_csv": ("GET", "N N N N Y Y"),
    "queues:moving_notices": ("POST", "N N N N N N"),  # core systems' tokens only
    "counter:home": ("GET", "N Y Y Y Y Y"),  # department: to its queue
    "counter:visit_new": ("GET", "N Y N Y Y Y"),
    "counter:visit_start": ("GET", "N Y N Y Y Y"),
    "counter:visit": ("GET", "N Y N N Y Y"),
    "counter:person_add": ("POST", "N Y N N Y Y"),
    "counter:person_update": ("POST", "N Y N N Y Y"),
    "counter:answer": ("POST", "N Y N N Y Y"),
    "counter:address": ("POST", "N Y N N Y Y"),
    "counter:packet": ("GET", "N Y N N Y Y"),
    "counter:accept": ("POST", "N Y N N Y Y"),
    "remote:visit_panel": ("GET", "N Y N N Y Y"),  # the visit page's block
    "remote:request": ("POST", "N Y N N Y Y"),
    "remote:lobby": ("GET", "N N Y N N N"),  # a department's own lobby
    "remote:admit": ("POST", "N N Y N N N", {"pk": "consultation"}),
    "remote:decline": ("POST", "N N Y N N N", {"pk": "consultation"}),
    # The room: its two admitted parties only (requested by the clerk, admitted by 保険年金課).
    "remote:room": ("GET", "N Y Y N N N", {"pk": "consultation"}),
    "remote:live": ("GET", "N Y Y N N N", {"pk": "consultation"}),
    "remote:answer": ("POST", "N Y Y N N N", {"pk": "consultation"}),
    "remote:end": ("POST", "N Y Y N N N", {"pk": "consultation"}),
}


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
    stale = sorted(set(MATRIX) - names)
    assert not stale, f"rows for URLs that no longer exist: {stale}"


@pytest.fixture
def world(demo_staff, django_capture_on_commit_callbacks, settings, tmp_path):
    from accounts.models import Department, Office
    from backoffice.models import CoreSystem, CounterCall, Handoff
    from counter import services
    from counter.models import Packet
    from counter.tests.factories import elderly_couple

    clerk = demo_staff["shimin"]
    hh, _head, _wife = elderly_couple()
    visit = services.start_visit(
        by=clerk,
        office=clerk.staff.office,
        events=["tenshutsu"],
        event_date=date(2026, 6, 15),
        household=hh,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_visit(visit, by=clerk)
    hoken = Department.objects.get(code="hoken_nenkin")
    task = visit.tasks.filter(department=hoken).first()
    call = CounterCall.objects.create(
        visit=visit, department=hoken, counter="3番窓口", called_by=clerk
    )
    system = CoreSystem.objects.create(
        code="kokuho", name="国保システム", department=hoken, push_url="http://127.0.0.1:9/"
    )
    handoff = Handoff.objects.create(
        kind=Handoff.Kind.PUSH,
        visit=visit,
        task=task,
        system=system,
        department=hoken,
        office=Office.objects.get(code="honcho"),
        status=Handoff.Status.GAVE_UP,
        attempts=6,
        last_error="ConnectionRefusedError",
    )
    Packet.objects.create(visit=visit, digest="0" * 64, pdf=b"%PDF-1.4", pages=1, created_by=clerk)
    # A blank form for the designer's routes, in a scratch folder.
    from fpdf import FPDF

    blank = FPDF()
    blank.add_page()
    settings.PRINTING_DESIGNER_DIR = str(tmp_path)
    (tmp_path / "kokuho_ido.pdf").write_bytes(bytes(blank.output()))
    try:
        from printing.views import sign_token

        token = sign_token(visit)
    except ImportError:
        token = "x"
    samples = {
        "number": visit.number,
        "household_id": hh.pk,
        "key": "p1",
        "event_id": "tenshutsu",
        "procedure_id": "kokuho_soshitsu",
        "token": token,
        "version": 1,
        "form_id": "kokuho_ido",
        "task": task.pk,
        "call": call.pk,
        "handoff": handoff.pk,
    }
    samples.update(_queue_samples(clerk))
    samples.update(_remote_samples(visit, clerk, demo_staff["hoken"], hoken))
    users = {
        "anon": None,
        "clerk": clerk,
        "department": demo_staff["hoken"],
        "branch": demo_staff["shisho"],
        "supervisor": demo_staff["kanri"],
        "admin": demo_staff["admin"],
    }
    return samples, users


def _queue_samples(clerk) -> dict:
    """A 本庁 counter, ticket and reservation for the queues routes (if that app is installed)."""
    try:
        from queues import services as queue_services
        from queues.models import Counter, Reservation
    except ImportError:
        return {}
    from accounts.models import Department, Office

    honcho = Office.objects.get(code="honcho")
    counter = Counter.objects.create(
        office=honcho, number=1, department=Department.objects.get(code="shimin")
    )
    ticket = queue_services.issue_ticket(office=honcho, purpose_code="other")
    reservation = Reservation.objects.create(
        office=honcho, planned_date=date(2026, 6, 15), name="予約　太郎"
    )
    return {
        "office": "honcho",
        "ticket_token": ticket.token,
        "queue_counter": counter.pk,
        "ticket": ticket.pk,
        "ticket_action": "recall",
        "reservation": reservation.pk,
    }


def _remote_samples(visit, clerk, specialist, department) -> dict:
    """A consultation on the visit, admitted by the 保険年金課 specialist (if remote is installed)."""
    try:
        from remote.models import Consultation
    except ImportError:
        return {}
    c = Consultation.objects.create(
        visit=visit,
        office=visit.office,
        requested_by=clerk,
        department=department,
        specialist=specialist,
        state=Consultation.State.ADMITTED,
    )
    return {"consultation": c.pk}


def _kwargs(pattern, row, samples):
    own = row[2] if len(row) > 2 else {}
    out = {}
    for kw in pattern.pattern.converters:
        source = own.get(kw, kw)
        assert source in samples, (
            f"no sample value for <{kw}> of {pattern.pattern}: add it to SAMPLES"
        )
        out[kw] = samples[source]
    return out


def _refused(response) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    return response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:login") + "?next="
    )


@pytest.mark.django_db
def test_each_role_gets_what_the_matrix_says(world):
    samples, users = world
    wrong = []
    clients = {role: Client(raise_request_exception=False) for role in ROLES}
    for role, user in users.items():
        if user is not None:
            clients[role].force_login(user)
    for name, pattern in walk():
        row = MATRIX.get(name)
        if row is None:
            continue  # reported by test_every_url_has_a_row_in_the_matrix
        method, expected = row[0], row[1].split()
        url = reverse(name, kwargs=_kwargs(pattern, row, samples))
        for role, want in zip(ROLES, expected, strict=True):
            client = clients[role]
            response = client.post(url) if method == "POST" else client.get(url)
            if users[role] is not None and name == "accounts:logout":
                client.force_login(users[role])
            got = "N" if _refused(response) else "Y"
            if got != want:
                wrong.append(
                    f"{name} as {role}: expected {want}, got {got} ({response.status_code})"
                )
    assert not wrong, "\n".join(wrong)
