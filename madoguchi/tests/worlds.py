"""The objects the access tests open, at either office, for an ordinary household or for a
支援措置 (DV protection) one, and the test that a response gives none of the protected
addresses away.

A protected household here has one flagged member (the wife) and one who is not (the head):
the rule protects everything that touches the household, whoever in it is flagged.
"""

import io
import unicodedata
import uuid
from datetime import date

from counter.tests.factories import household, resident

# Each protected household's old address (the register's) and the new one typed at the counter.
# The fragments are chosen to appear nowhere else, so finding one in a response is a leak.
PROTECTED_ADDRESSES = {
    "honcho": {
        "old": {"zip": "0900031", "town": "北1条西", "banchi": "913-27", "katagaki": "しのび野305"},
        "new": {
            "zip": "0991234",
            "town": "端野町三区",
            "banchi": "581-46",
            "katagaki": "ひみつ荘202",
        },
    },
    "tanno": {
        "old": {
            "zip": "0992112",
            "town": "端野町一区",
            "banchi": "727-19",
            "katagaki": "かくれ里101",
        },
        "new": {"zip": "0900812", "town": "常盤町", "banchi": "364-58", "katagaki": "まもり館707"},
    },
}
SECRETS = sorted(
    {
        part
        for office in PROTECTED_ADDRESSES.values()
        for address in office.values()
        for key, part in address.items()
        if key in ("banchi", "katagaki")
    }
    | {
        f"{a['zip'][:3]}-{a['zip'][3:]}"
        for office in PROTECTED_ADDRESSES.values()
        for a in office.values()
    }
)


def _fold(text: str) -> str:
    # Printed forms may set digits and hyphens full width: compare what a reader would read.
    return unicodedata.normalize("NFKC", text).replace("ー", "-").replace("−", "-")


def response_text(response) -> str:
    """What a reader gets from the response: the text of a PDF, else the decoded body."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/pdf") and body.startswith(b"%PDF"):
        from pypdf import PdfReader

        try:
            return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)
        except Exception:  # noqa: BLE001 — a stub PDF of a fixture has no pages to read
            return body.decode("latin-1")
    return body.decode("utf-8", errors="replace")


def leaked(text: str, secrets=SECRETS) -> list[str]:
    folded = _fold(text)
    return [s for s in secrets if _fold(s) in folded]


def protected_household(office: str):
    """A couple whose wife is under 支援措置; the head is not flagged himself."""
    old = PROTECTED_ADDRESSES[office]["old"]
    hh = household(**old)
    head = resident(
        hh,
        "秘田　守",
        "ヒダ　マモル",
        date(1945, 5, 1),
        "世帯主",
        health_insurance="koki",
        has_inkan=True,
        has_mynumber_card=True,
        care_certified=False,
    )
    wife = resident(
        hh,
        "秘田　静",
        "ヒダ　シズカ",
        date(1960, 2, 2),
        "妻",
        sex="2",
        health_insurance="kokuho",
        has_inkan=False,
        has_mynumber_card=False,
    )
    wife.support_measure = True
    wife.save()
    return hh, head, wife


def _finished_pre_entry():
    from preentry.tests.family import finished_pre_entry

    return finished_pre_entry()


def build(users, *, office: str, protected: bool, capture) -> dict:
    """A visit of `office` with what hangs off it — tasks, a call, a failed push, a packet, a
    consultation, a ticket, a reservation — as samples for the URL patterns' kwargs.

    The ordinary visit is a 転出 (the matrix's original world); the protected one a 転居 to a
    new address, accepted, its 市民課 household task and a 保険年金課 task done.
    """
    from accounts.models import Department, Office
    from backoffice import services as backoffice_services
    from backoffice.models import CoreSystem, CounterCall, Handoff
    from counter import services
    from counter.models import Packet
    from counter.tablet import sign_token
    from counter.tests.factories import elderly_couple
    from queues import services as queue_services
    from queues.models import Counter, Reservation
    from remote.models import Consultation

    clerk = users["clerk"] if office == "honcho" else users["branch"]
    specialist, admin = users["department"], users["admin"]
    where = Office.objects.get(code=office)
    hoken = Department.objects.get(code="hoken_nenkin")
    if protected:
        hh, _head, _wife = protected_household(office)
        events = ["tenkyo"]
    else:
        hh, _head, _wife = elderly_couple()
        events = ["tenshutsu"]
    visit = services.start_visit(
        by=clerk, office=where, events=events, event_date=date(2026, 6, 15), household=hh
    )
    if protected:
        services.set_addresses(
            visit, by=admin, new_address=dict(PROTECTED_ADDRESSES[office]["new"])
        )
    with capture(execute=True):
        services.accept_visit(visit, by=clerk)
    # The head's task (p1): he is not flagged himself, his household is.
    task = visit.tasks.filter(department=hoken).order_by("person_key", "id").first()
    call = CounterCall.objects.create(
        visit=visit, department=hoken, counter="3番窓口", called_by=clerk
    )
    system = CoreSystem.objects.create(
        code=f"kokuho-{office}-{int(protected)}",
        name="国保システム",
        department=hoken,
        push_url="http://127.0.0.1:9/",
    )
    handoff = Handoff.objects.create(
        kind=Handoff.Kind.PUSH,
        visit=visit,
        task=task,
        system=system,
        department=hoken,
        office=where,
        status=Handoff.Status.GAVE_UP,
        attempts=6,
        last_error="ConnectionRefusedError",
    )
    if protected:
        services.print_packet(visit, by=admin)  # the administrator's print: a real PDF
        for t in visit.tasks.filter(procedure__in=["jumin_tenkyo", "kokuho_jusho"]):
            backoffice_services.transition(t, action="done", by=admin, version=t.version)
    else:
        Packet.objects.create(
            visit=visit, digest="0" * 64, pdf=b"%PDF-1.4", pages=1, created_by=clerk
        )
    counter = Counter.objects.create(
        office=where,
        number=1 + Counter.objects.filter(office=where).count(),
        department=Department.objects.get(code="shimin"),
    )
    ticket = queue_services.issue_ticket(office=where, purpose_code="other")
    reservation = Reservation.objects.create(
        office=where,
        planned_date=date(2026, 6, 15),
        name="予約　太郎",
        public_key=uuid.uuid4().hex[:20],
    )
    consultation = Consultation.objects.create(
        visit=visit,
        office=where,
        requested_by=clerk,
        department=hoken,
        specialist=specialist,
        state=Consultation.State.ADMITTED,
    )
    assignment, attempt = _practice(users)
    return {
        "assignment": assignment.pk,
        "attempt": attempt.pk,
        "trainee": users["branch"].pk,
        "staff_user": users["branch"].pk,  # an account the administrator unlocks or stops
        "preentry_token": _finished_pre_entry().edit_token,
        "visit_obj": visit,
        "number": visit.number,
        "household_id": hh.pk,
        "key": "p1",
        "event_id": events[0],
        "procedure_id": "kokuho_soshitsu",
        "token": sign_token(visit),
        "version": 1,
        "form_id": "kokuho_ido",
        "task": task.pk,
        "call": call.pk,
        "handoff": handoff.pk,
        "office": office,
        "ticket_token": ticket.token,
        "queue_counter": counter.pk,
        "ticket": ticket.pk,
        "ticket_action": "recall",
        "reservation": reservation.pk,
        "reservation_key": reservation.public_key,
        "ticket_label": ticket.label,
        "counter_number": counter.number,
        "consultation": consultation.pk,
    }


PRACTICE_SCENARIO = """name: 練習の見本
event: tennyu
date: 2026-04-10
people:
  - id: a
    applicant: true
    moving: true
    birth_date: 1990-01-01
    sex: 1
"""


def _practice(users):
    """練習モード: an assignment of a trainee none of the roles is (no role may start it), and
    a finished attempt of the branch clerk's (theirs and the overseers' to read)."""
    from django.contrib.auth.models import User
    from django.utils import timezone

    from training.models import Assignment, Attempt

    someone, _new = User.objects.get_or_create(username="trainee-elsewhere")
    assignment = Assignment.objects.create(
        trainee=someone, assigned_by=users["supervisor"], name="練習の見本", source="-",
        scenario=PRACTICE_SCENARIO,
    )  # fmt: skip
    theirs = Assignment.objects.create(
        trainee=users["branch"], assigned_by=users["supervisor"], name="練習の見本", source="-",
        scenario=PRACTICE_SCENARIO,
    )  # fmt: skip
    attempt = Attempt.objects.create(
        assignment=theirs, trainee=users["branch"], finished_at=timezone.now(),
        score={"expected": 1, "matched": 1, "missed": [], "extra": [], "needless": [],
               "answers": 3, "actions": 5, "seconds": 60},
    )  # fmt: skip
    return assignment, attempt
