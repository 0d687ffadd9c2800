"""Where a ticket stands and how long it may still wait, from recorded transitions."""

import statistics
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from queues.models import Ticket, TicketTransition

T = TicketTransition.Kind
RECENT = timedelta(days=14)  # long enough for a quiet purpose, short enough to follow changes
DEFAULT_SERVICE_MINUTES = 10  # until the purpose has a served ticket of its own


def service_minutes(purpose: str, *, office=None, now=None) -> float:
    """Median minutes from the first call to done, over the purpose's recent tickets."""
    now = now or timezone.now()
    rows = (
        TicketTransition.objects.filter(
            ticket__purpose=purpose, kind__in=(T.CALLED, T.DONE), at__gte=now - RECENT
        )
        .order_by("ticket_id", "at", "id")
        .values_list("ticket_id", "kind", "at")
    )
    if office is not None:
        rows = rows.filter(ticket__office=office)
    return statistics.median(service_durations(rows) or [DEFAULT_SERVICE_MINUTES * 60]) / 60


def service_durations(rows) -> list[float]:
    """Seconds from each ticket's first call to its done, from (ticket_id, kind, at) in order."""
    called, out = {}, []
    for tid, kind, at in rows:
        if kind == T.CALLED:
            called.setdefault(tid, at)
        elif kind == T.DONE and tid in called:
            out.append((at - called.pop(tid)).total_seconds())
    return out


def position(ticket: Ticket, *, now=None) -> int:
    """How many are called before this ticket: those ahead of it in its line's call order
    (the same office, day and department; reservations due come first)."""
    line = (
        Ticket.objects.waiting()
        .filter(office=ticket.office_id, day=ticket.day, department=ticket.department_id)
        .in_call_order(now or timezone.now())
        .values_list("pk", flat=True)
    )
    ids = list(line)
    return ids.index(ticket.pk) if ticket.pk in ids else len(ids)


def estimate_minutes(ticket: Ticket, ahead: int) -> int:
    """Minutes until the call: those ahead × the purpose's median service ÷ the line's counters."""
    counters = max(
        1, ticket.office.counters.filter(active=True, department=ticket.department_id).count()
    )
    return round(ahead * service_minutes(ticket.purpose, office=ticket.office) / counters)


def status(ticket: Ticket) -> dict:
    out = {
        "ticket": ticket.label,
        "state": ticket.state,
        "state_label": str(ticket.get_state_display()),
        "purpose": str(ticket.purpose_label),
        "counter": ticket.counter.number if ticket.counter_id else None,
        "department": str(ticket.department.name),
    }
    if ticket.state == Ticket.State.WAITING:
        ahead = position(ticket)
        minutes = estimate_minutes(ticket, ahead)
        out.update(ahead=ahead, minutes=minutes)
        out["message"] = _("あなたの前に %(n)s 人お待ちです。目安 約%(m)s分") % {
            "n": ahead,
            "m": minutes,
        }
        # Sent on by the clerk: the resident learns where to wait now, on the phone too.
        if ticket.transitions.filter(kind=TicketTransition.Kind.TRANSFERRED).exists():
            where = (
                _("%(c)s番窓口") % {"c": out["counter"]}
                if ticket.counter_id
                else ticket.department.name
            )
            out["transferred_to"] = str(where)
            out["message"] = (
                _("担当が %(w)s に変わりました。") % {"w": where} + " " + out["message"]
            )
    elif ticket.state == Ticket.State.CALLED:
        out["message"] = _("呼ばれています。%(c)s番窓口へお越しください。") % {"c": out["counter"]}
    elif ticket.state == Ticket.State.NO_SHOW:
        out["message"] = _(
            "お呼びしましたが、いらっしゃいませんでした。お近くの職員にお声がけください。"
        )
    elif ticket.state == Ticket.State.HELD:
        out["message"] = _("お手続きを保留しています。お近くの職員にお声がけください。")
    else:
        out["message"] = _("お手続きは終了しました。")
    return out


def status_of_token(token: str) -> dict | None:
    ticket = (
        Ticket.objects.select_related("office", "counter", "department").filter(token=token).first()
    )
    return status(ticket) if ticket else None
