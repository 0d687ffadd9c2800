"""What the screens hear: one channel-layer group per office's display, fed after commit.

Messages are small and carry no names: a display in the waiting room is public.
"""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from tenants import scope

log = logging.getLogger(__name__)


def display_group(office_code: str, tenant: str | None = None) -> str:
    # Office codes are each municipality's own: the tenant keeps two cities' 本庁 apart.
    return f"queue.display.{tenant or scope.current_id()}.{office_code}"


def ticket_group(token: str) -> str:
    return f"queue.ticket.{token}"


def call_message(ticket, kind: str) -> dict:
    return {
        "type": "queue.event",
        "kind": kind,
        "ticket": ticket.label,
        "id": ticket.pk,
        "counter": ticket.counter.number if ticket.counter_id else None,
        "department": str(ticket.department.name),
        "purpose": str(ticket.purpose_label),
        "state": ticket.state,
    }


def _send(groups: list[str], message: dict):
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        for g in groups:
            async_to_sync(layer.group_send)(g, message)
    except Exception:  # a broker outage must not undo or hide the call itself
        log.exception("queue broadcast failed")


def broadcast(ticket, kind: str):
    """After commit, tell the office's displays and the ticket's phone page."""
    message = call_message(ticket, kind)
    groups = [display_group(ticket.office.code, ticket.tenant_id), ticket_group(ticket.token)]
    transaction.on_commit(lambda: _send(groups, message))
