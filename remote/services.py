"""Every change to a consultation goes through one of these: the row, its event and the
message to the room together. Concurrent specialists are settled by conditional updates."""

import logging
from datetime import timedelta

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import Department, Office
from counter import services as counter_services
from counter.models import Visit
from queues.models import Reservation, Ticket
from queues.purposes import REMOTE
from remote.models import Consultation, ConsultationEvent

log = logging.getLogger(__name__)
State = Consultation.State

# A room page says it is there every ALIVE_SECONDS (room.js); a live call neither of whose
# pages has spoken for STALE_AFTER is over (browsers closed without 終了, a PC turned off).
ALIVE_SECONDS = 20
STALE_AFTER = timedelta(seconds=120)


class ConsultationConflict(Exception):
    """Another specialist took it first, or it is no longer in the state this screen showed."""


def _event(c: Consultation, kind: str, by):
    ConsultationEvent.objects.create(consultation=c, kind=kind, by=by)


def _move(c: Consultation, *, from_states, by, event: str, **fields) -> Consultation:
    # One UPDATE … WHERE state IN (…): of two specialists clicking at once, exactly one wins.
    n = Consultation.objects.filter(pk=c.pk, state__in=from_states).update(**fields)
    if n == 0:
        c.refresh_from_db()
        raise ConsultationConflict(
            _("この相談はすでに他の職員が対応しているか、終了しています（%(state)s）。")
            % {"state": c.get_state_display()}
        )
    c.refresh_from_db()
    _event(c, event, by)
    return c


@transaction.atomic
def request_consultation(visit, *, by, department, note: str = "", request=None) -> Consultation:
    if visit.training:
        # 練習モード: a practice visit reaches no department, not even its lobby.
        raise ConsultationConflict(_("練習の来庁からはリモート相談を依頼できません。"))
    if visit.office.kind != Office.Kind.BRANCH:
        raise ConsultationConflict(_("リモート相談は支所の来庁から依頼します。"))
    open_one = visit.consultations.filter(
        state__in=(State.REQUESTED, *Consultation.LIVE_STATES)
    ).first()
    if open_one is not None:
        return open_one  # a double click or a second tab finds the open request
    c = Consultation.objects.create(
        visit=visit, office=visit.office, requested_by=by, department=department, note=note[:200]
    )
    _event(c, ConsultationEvent.Kind.REQUESTED, by)
    audit.record(
        by, "remote.requested", visit_id=visit.id, request=request, department=department.code
    )
    return c


@transaction.atomic
def admit(c: Consultation, *, by, request=None) -> Consultation:
    c = _move(
        c,
        from_states=[State.REQUESTED],
        by=by,
        event=ConsultationEvent.Kind.ADMITTED,
        state=State.ADMITTED,
        specialist=by,
        specialist_seen_at=timezone.now(),  # the specialist is on the lobby page, opening the room
    )
    audit.record(by, "remote.admitted", visit_id=c.visit_id, request=request, consultation=c.pk)
    return c


@transaction.atomic
def decline(c: Consultation, *, by, message: str, request=None) -> Consultation:
    c = _move(
        c,
        from_states=[State.REQUESTED],
        by=by,
        event=ConsultationEvent.Kind.DECLINED,
        state=State.DECLINED,
        specialist=by,
        decline_message=message.strip()[:200],
    )
    audit.record(by, "remote.declined", visit_id=c.visit_id, request=request, consultation=c.pk)
    return c


@transaction.atomic
def mark_connected(c: Consultation, *, by) -> bool:
    """The first report of media flowing; a reconnect later in the call adds no row."""
    try:
        _move(
            c,
            from_states=[State.ADMITTED],
            by=by,
            event=ConsultationEvent.Kind.CONNECTED,
            state=State.CONNECTED,
        )
    except ConsultationConflict:
        return False
    return True


@transaction.atomic
def end(c: Consultation, *, by, request=None) -> Consultation:
    try:
        c = _move(
            c,
            from_states=[State.REQUESTED, *Consultation.LIVE_STATES],
            by=by,
            event=ConsultationEvent.Kind.ENDED,
            state=State.ENDED,
        )
    except ConsultationConflict:
        return c  # hanging up twice (both sides at once) is not an error
    transaction.on_commit(lambda: broadcast(c, "ended"))
    return c


def seen(c: Consultation, role: str, now=None):
    """A party's room page is there (its socket opened or said so): one UPDATE, no event."""
    field = "branch_seen_at" if role == "branch" else "specialist_seen_at"
    Consultation.objects.filter(pk=c.pk).update(**{field: now or timezone.now()})


def end_stale(now=None, after: timedelta = STALE_AFTER) -> list[Consultation]:
    """End every live call whose two pages have both been silent for `after`; the event's `by`
    is empty (nobody hung up). Run by `madoguchi remote_due` (`serve` loops it; or cron)."""
    cutoff = (now or timezone.now()) - after
    ended = []
    for c in Consultation.objects.stale(cutoff):
        with transaction.atomic():
            # end() re-checks the state in its UPDATE: a hang-up in between wins, once.
            c = end(c, by=None)
        if c.state == State.ENDED:
            audit.record(None, "remote.ended_stale", visit_id=c.visit_id, consultation=c.pk)
            ended.append(c)
    return ended


def request_booked(now=None) -> list[Consultation]:
    """Booked リモート相談 (a purpose with `remote_department`) whose slot time has come today,
    and whose resident is at the branch counter (the ticket's visit is open): each becomes a
    request in the department's lobby, asked by the clerk who opened the visit. A visit that
    already had a consultation is left to its clerk. Run by `madoguchi remote_due`."""
    now = now or timezone.now()
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    due = (
        Ticket.objects.filter(
            purpose__in=list(REMOTE),
            reservation__slot__starts_at__lte=now,
            reservation__slot__starts_at__gte=today,
            visit__isnull=False,
            visit__office__kind=Office.Kind.BRANCH,
            visit__status=Visit.Status.DRAFT,
        )
        .exclude(visit__consultations__isnull=False)
        .select_related("visit__office", "visit__created_by", "reservation__slot")
    )
    asked = []
    for ticket in due:
        department = Department.objects.filter(code=REMOTE[ticket.purpose]).first()
        if department is None:
            log.error("booked remote purpose %s names no department", ticket.purpose)
            continue
        starts = timezone.localtime(ticket.reservation.slot.starts_at)
        note = _("予約 %(number)s（%(time)s）") % {
            "number": ticket.reservation.number,
            "time": f"{starts:%H:%M}",
        }
        asked.append(
            request_consultation(
                ticket.visit, by=ticket.visit.created_by, department=department, note=note
            )
        )
    return asked


def booked_today(department, now=None):
    """Today's booked リモート相談 with this department (its lobby lists them), by time."""
    codes = [code for code, dept in REMOTE.items() if dept == department.code]
    day = timezone.localdate(now or timezone.now())
    return (
        Reservation.objects.filter(slot__purpose__in=codes, slot__starts_at__date=day)
        .exclude(state=Reservation.State.CANCELLED)
        .select_related("slot", "office")
        .order_by("slot__starts_at", "id")
    )


def record_answers(c: Consultation, *, by, fact: str, value, people, request=None):
    """An answer given in the room, by either party; the other screen hears of it after commit."""
    with transaction.atomic():
        answers = counter_services.record_answers(
            c.visit, by=by, fact=fact, value=value, people=people, request=request
        )
        transaction.on_commit(lambda: broadcast(c, "visit-changed"))
    return answers


def withdraw_answer(c: Consultation, *, by, fact: str, seen, person=None, request=None):
    """「変更」 in the room, by either party; the other screen hears of it after commit."""
    with transaction.atomic():
        row = counter_services.withdraw_answer(
            c.visit, by=by, fact=fact, seen=seen, person=person, request=request
        )
        transaction.on_commit(lambda: broadcast(c, "visit-changed"))
    return row


def broadcast(c: Consultation, kind: str):
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(c.group, {"type": "room.notice", "kind": kind})
    except Exception:  # the answer is saved; a broker outage must not turn it into an error
        log.exception("remote broadcast failed")
