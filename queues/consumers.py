"""WebSockets of the call display (per office) and of a resident's wait page (per ticket).

Both are public by design: the display shows numbers only, the wait page is keyed by the
ticket's unguessable token and shows no name.
"""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from queues import live


class DisplayConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        self.group = live.display_group(self.scope["url_route"]["kwargs"]["office"])
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def queue_event(self, event):
        await self.send_json({k: v for k, v in event.items() if k != "type"})


class TicketConsumer(AsyncJsonWebsocketConsumer):
    """Sends the ticket's status now and again whenever anything moves in its office's line."""

    async def connect(self):
        self.token = self.scope["url_route"]["kwargs"]["token"]
        office = await self._office_code()
        if office is None:
            await self.close()
            return
        self.groups_joined = [live.display_group(office), live.ticket_group(self.token)]
        for g in self.groups_joined:
            await self.channel_layer.group_add(g, self.channel_name)
        await self.accept()
        await self.send_json(await self._status())

    async def disconnect(self, code):
        for g in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(g, self.channel_name)

    async def queue_event(self, event):
        await self.send_json(await self._status())

    @database_sync_to_async
    def _office_code(self):
        from queues.models import Ticket

        return (
            Ticket.objects.filter(token=self.token).values_list("office__code", flat=True).first()
        )

    @database_sync_to_async
    def _status(self):
        from queues.waiting import status_of_token

        return status_of_token(self.token) or {}
