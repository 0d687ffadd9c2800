"""Every change to tickets and reservations: the row, its transition, the audit entry and the
message to the screens together. Views never save tickets directly."""

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import Department
from counter import services as counter_services
from queues import live
from queues.models import (
    Counter,
    Reservation,
    Slot,
    Ticket,
    TicketSequence,
    TicketTransition,
    _token,
)
from queues.purposes import purpose
from residents.practice import in_practice

T = TicketTransition.Kind


class TicketError(Exception):
    """A step that does not apply to the ticket as it is now; the message is for the clerk."""


class SlotFull(Exception):
    pass


def _transition(ticket, kind, *, by=None, counter=None, department=None, at=None, **detail):
    return TicketTransition.objects.create(
        ticket=ticket,
        kind=kind,
        at=at or timezone.now(),
        by=_user(by),
        counter=counter,
        department=department,
        detail=detail,
    )


def _user(user):
    return user if user is not None and user.is_authenticated else None


def _locked(ticket) -> Ticket:
    # of=self: PostgreSQL locks no row of the nullable counter join.
    return (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("office", "counter")
        .get(pk=ticket.pk)
    )


@transaction.atomic
def issue_ticket(
    *, office, purpose_code: str, by=None, token: str | None = None, reservation=None, request=None
) -> Ticket:
    """A new number of the day for this office; the same kiosk token returns the first ticket."""
    if token and (existing := Ticket.objects.filter(issue_token=token).first()):
        return existing
    p = purpose(purpose_code)
    department = Department.objects.get(code=p.department)
    now = timezone.now()
    day = timezone.localdate(now)
    number = _next_number(office, day)
    # The sequence row is locked until this transaction ends: a tap that waited for it
    # finds the ticket its token already took.
    if token and (existing := Ticket.objects.filter(issue_token=token).first()):
        # Give the number back: we still hold the row, so no other tap has taken a later one.
        TicketSequence.objects.filter(office=office, day=day).update(last=F("last") - 1)
        return existing
    ticket = Ticket.objects.create(
        office=office,
        day=day,
        number=number,
        purpose=p.code,
        department=department,
        issued_at=now,
        issue_token=token or None,
        reservation=reservation,
    )
    _transition(ticket, T.ISSUED, by=by, department=department, at=now)
    if reservation is not None:
        Reservation.objects.filter(pk=reservation.pk).update(state=Reservation.State.ARRIVED)
    audit.record(
        by,
        "ticket.issued",
        request=request,
        ticket=ticket.label,
        office=office.code,
        reservation=reservation.pk if reservation else None,
    )
    live.broadcast(ticket, "issued")
    return ticket


def _next_number(office, day) -> int:
    """The office's next number of the day. The UPDATE locks the day's sequence row until the
    caller's transaction ends (PostgreSQL row lock; SQLite's write lock), so two kiosks never
    read the same number."""
    if not TicketSequence.objects.filter(office=office, day=day).exists():
        try:
            with transaction.atomic():
                TicketSequence.objects.create(office=office, day=day)
        except IntegrityError:
            pass  # another tap created the day's row first
    TicketSequence.objects.filter(office=office, day=day).update(last=F("last") + 1)
    number = TicketSequence.objects.get(office=office, day=day).last
    # Tickets written without the sequence (an import, an older version) are never reused.
    highest = Ticket.objects.filter(office=office, day=day).aggregate(n=Max("number"))["n"] or 0
    if number <= highest:
        number = highest + 1
        TicketSequence.objects.filter(office=office, day=day).update(last=number)
    return number


def _call(ticket: Ticket, counter: Counter, *, by, request, kind) -> Ticket:
    ticket.state = Ticket.State.CALLED
    ticket.counter = counter
    ticket.save(update_fields=["state", "counter"])
    _transition(ticket, kind, by=by, counter=counter, department=ticket.department)
    audit.record(
        by,
        f"ticket.{kind}",
        request=request,
        visit_id=ticket.visit_id,
        ticket=ticket.label,
        counter=counter.number,
    )
    live.broadcast(ticket, kind)
    return ticket


@transaction.atomic
def call_next(counter: Counter, *, by, request=None) -> Ticket | None:
    """The next waiting ticket this counter may serve (a reservation due now first, then the
    oldest), or None when nobody waits."""
    now = timezone.now()
    ticket = (
        Ticket.objects.for_counter(counter)
        .filter(day=timezone.localdate(now))
        .in_call_order(now)
        .select_for_update(skip_locked=True, of=("self",))
        .first()
    )
    if ticket is None:
        return None
    ticket = _locked(ticket)
    return _call(ticket, counter, by=by, request=request, kind=T.CALLED)


@transaction.atomic
def call_ticket(ticket: Ticket, counter: Counter, *, by, request=None) -> Ticket:
    """Call one ticket out of order: one the clerk chose from the list, a held ticket coming
    back, a resident marked 不在 who turned up after all."""
    ticket = _locked(ticket)
    if ticket.state not in (Ticket.State.WAITING, Ticket.State.HELD, Ticket.State.NO_SHOW):
        raise TicketError(
            _("%(t)s はすでに%(s)sです。") % {"t": ticket.label, "s": ticket.get_state_display()}
        )
    return _call(ticket, counter, by=by, request=request, kind=T.CALLED)


@transaction.atomic
def recall(ticket: Ticket, *, by, request=None) -> Ticket:
    ticket = _locked(ticket)
    if ticket.state != Ticket.State.CALLED:
        raise TicketError(_("呼出中の番号だけを再呼出できます。"))
    return _call(ticket, ticket.counter, by=by, request=request, kind=T.RECALLED)


@transaction.atomic
def hold(ticket: Ticket, *, by, reason: str = "", request=None) -> Ticket:
    """Set aside (the resident stepped away, a document is missing); called again by hand."""
    ticket = _locked(ticket)
    if ticket.state not in (Ticket.State.CALLED, Ticket.State.WAITING):
        raise TicketError(_("この番号は保留にできません。"))
    counter = ticket.counter
    ticket.state = Ticket.State.HELD
    ticket.save(update_fields=["state"])
    _transition(ticket, T.HELD, by=by, counter=counter, department=ticket.department, reason=reason)
    audit.record(by, "ticket.held", request=request, ticket=ticket.label)
    live.broadcast(ticket, "held")
    return ticket


@transaction.atomic
def no_show(ticket: Ticket, *, by, request=None) -> Ticket:
    """不在: called (and usually recalled) and nobody came. The counter is free for the next
    resident; the ticket stays open and can be called again until the day is closed."""
    ticket = _locked(ticket)
    if ticket.state != Ticket.State.CALLED:
        raise TicketError(_("呼出中の番号だけを不在にできます。"))
    ticket.state = Ticket.State.NO_SHOW
    ticket.save(update_fields=["state"])
    _transition(ticket, T.NO_SHOW, by=by, counter=ticket.counter, department=ticket.department)
    audit.record(by, "ticket.noshow", request=request, ticket=ticket.label)
    live.broadcast(ticket, "noshow")
    return ticket


@transaction.atomic
def transfer(
    ticket: Ticket,
    *,
    by,
    counter: Counter | None = None,
    department: Department | None = None,
    request=None,
) -> Ticket:
    """Send the resident on: to a counter by number, or to any counter of a department. The
    ticket waits again, keeping its place by issue time."""
    ticket = _locked(ticket)
    if ticket.state in (Ticket.State.DONE, Ticket.State.CLOSED):
        raise TicketError(_("終了した番号は転送できません。"))
    if counter is None and department is None:
        raise TicketError(_("転送先の窓口か担当課を選んでください。"))
    from_counter = ticket.counter if ticket.state == Ticket.State.CALLED else None
    ticket.department = counter.department if counter else department
    ticket.counter = counter
    ticket.state = Ticket.State.WAITING
    ticket.save(update_fields=["department", "counter", "state"])
    _transition(
        ticket,
        T.TRANSFERRED,
        by=by,
        counter=from_counter,
        department=ticket.department,
        to_counter=counter.number if counter else None,
        to_department=ticket.department.code,
    )
    audit.record(
        by,
        "ticket.transferred",
        request=request,
        visit_id=ticket.visit_id,
        ticket=ticket.label,
        department=ticket.department.code,
        counter=counter.number if counter else None,
    )
    live.broadcast(ticket, "transferred")
    return ticket


@transaction.atomic
def finish(ticket: Ticket, *, by, request=None) -> Ticket:
    ticket = _locked(ticket)
    if ticket.state != Ticket.State.CALLED:
        raise TicketError(_("呼出中の番号だけを完了にできます。"))
    ticket.state = Ticket.State.DONE
    ticket.save(update_fields=["state"])
    _transition(ticket, T.DONE, by=by, counter=ticket.counter, department=ticket.department)
    audit.record(by, "ticket.done", request=request, visit_id=ticket.visit_id, ticket=ticket.label)
    live.broadcast(ticket, "done")
    return ticket


@transaction.atomic
def close_day(*, office=None, day: date | None = None, reason: str, by=None) -> int:
    """Close every ticket still open at the end of the day; tomorrow starts again at 1."""
    day = day or timezone.localdate()
    tickets = Ticket.objects.open().filter(day__lte=day).select_related("office", "counter")
    if office is not None:
        tickets = tickets.filter(office=office)
    n = 0
    for ticket in tickets.select_for_update(of=("self",)):
        ticket.state = Ticket.State.CLOSED
        ticket.save(update_fields=["state"])
        _transition(
            ticket,
            T.CLOSED,
            by=by,
            counter=ticket.counter,
            department=ticket.department,
            reason=reason,
        )
        live.broadcast(ticket, "closed")
        n += 1
    audit.record(
        by,
        "ticket.day_closed",
        office=office.code if office else None,
        day=day.isoformat(),
        count=n,
        reason=reason,
    )
    return n


@transaction.atomic
def start_visit_from_ticket(ticket: Ticket, *, by, office, request=None):
    """The visit the called ticket is served in: the one its reservation prepared, or a new one
    with the purpose's events. Starting twice returns the same visit."""
    if in_practice():
        # 練習モード: a resident's ticket is real work; its visit is never a practice one.
        raise TicketError(
            _("練習中は番号札から来庁を開けません。練習を終えてから操作してください。")
        )
    ticket = _locked(ticket)
    if ticket.visit_id:
        return ticket.visit
    visit = (
        ticket.reservation.visit if ticket.reservation_id and ticket.reservation.visit_id else None
    )
    if visit is None:
        visit = counter_services.start_visit(
            by=by,
            office=office,
            events=list(purpose(ticket.purpose).events),
            event_date=timezone.localdate(),
            request=request,
            token=f"ticket-{ticket.token}",
        )
    ticket.visit = visit
    ticket.save(update_fields=["visit"])
    audit.record(by, "ticket.visit_linked", visit_id=visit.id, request=request, ticket=ticket.label)
    return visit


# -- reservations ---------------------------------------------------------------------------

KIND_PURPOSE = {Reservation.Kind.OKUYAMI: "death", Reservation.Kind.TENNYU: "moving"}


def purpose_of(reservation: Reservation) -> str:
    return (
        reservation.slot.purpose
        if reservation.slot_id
        else KIND_PURPOSE.get(reservation.kind, "other")
    )


@transaction.atomic
def book(
    slot: Slot,
    *,
    name: str,
    phone: str = "",
    kind=Reservation.Kind.GENERAL,
    details=None,
    name_kana: str = "",
    by=None,
    token: str | None = None,
    request=None,
) -> Reservation:
    """Book one place in the slot; a full slot raises SlotFull, the same form twice books once."""
    if token and (existing := Reservation.objects.filter(token=token).first()):
        return existing
    # The conditional UPDATE is the guard: two last bookings at once cannot both pass it.
    taken = Slot.objects.filter(pk=slot.pk, booked__lt=F("capacity")).update(booked=F("booked") + 1)
    if not taken:
        raise SlotFull(
            _("この時間帯は満員です（定員 %(n)s 人）。別の時間帯を選んでください。")
            % {"n": slot.capacity}
        )
    slot.refresh_from_db()
    try:
        with transaction.atomic():
            r = Reservation.objects.create(
                kind=kind,
                office=slot.office,
                slot=slot,
                planned_date=timezone.localtime(slot.starts_at).date(),
                name=name,
                name_kana=name_kana,
                phone=phone,
                details=details or {},
                token=token or None,
                public_key=_token(),
                created_by=_user(by),
            )
    except IntegrityError:
        # The same form raced past the check above: give the place back, return the first.
        Slot.objects.filter(pk=slot.pk).update(booked=F("booked") - 1)
        return Reservation.objects.get(token=token)
    audit.record(
        by, "reservation.booked", request=request, reservation=r.pk, kind=kind, slot=slot.pk
    )
    return r


@transaction.atomic
def cancel(reservation: Reservation, *, by, request=None) -> Reservation:
    r = Reservation.objects.select_for_update().get(pk=reservation.pk)
    if r.state == Reservation.State.CANCELLED:
        return r
    r.state = Reservation.State.CANCELLED
    r.save(update_fields=["state"])
    if r.slot_id:
        Slot.objects.filter(pk=r.slot_id, booked__gt=0).update(booked=F("booked") - 1)
    audit.record(by, "reservation.cancelled", request=request, reservation=r.pk)
    return r
