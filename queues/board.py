"""What the call display shows besides the current calls: the latest calls and transfers,
each with where the resident goes now, read from the transitions (so a reload shows them)."""

from queues.models import TicketTransition

T = TicketTransition.Kind
SHOWN = (T.CALLED, T.RECALLED, T.TRANSFERRED)


def recent(office, day, n: int = 8) -> list[dict]:
    """The last `n` tickets called or sent on, newest first, each once: its label and the
    counter (or department) of its latest call or transfer."""
    rows = (
        TicketTransition.objects.filter(ticket__office=office, ticket__day=day, kind__in=SHOWN)
        .select_related("ticket", "counter", "department")
        .order_by("-at", "-id")
    )
    out, seen = [], set()
    for t in rows[: n * 4]:  # recalls repeat tickets: read a few more rows than shown
        if t.ticket_id in seen:
            continue
        seen.add(t.ticket_id)
        if t.kind == T.TRANSFERRED:
            counter = t.detail.get("to_counter")
            where = {"counter": counter, "department": None if counter else t.department.name}
        else:
            where = {"counter": t.counter.number if t.counter_id else None, "department": None}
        out.append({"label": t.ticket.label, "transferred": t.kind == T.TRANSFERRED, **where})
        if len(out) == n:
            break
    return out
