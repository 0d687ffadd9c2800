"""WebSockets of the call display (per office) and of a resident's wait page (per ticket).

Both are public by design: the display shows numbers only, the wait page is keyed by the
ticket's unguessable token and shows no name.
"""

import asyncio
import logging

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from redis.exceptions import RedisError

from queues import live

log = logging.getLogger(__name__)

# What a channel layer raises when its broker (Redis) is away.
LAYER_DOWN = (OSError, RedisError, asyncio.TimeoutError)


class LiveScreen(AsyncJsonWebsocketConsumer):
    """A public screen's socket that proves its whole path every MADOGUCHI_LIVE_BEAT seconds:
    a beat sent through the channel layer comes back to this socket and on to the browser.

    When the layer (Redis) cannot carry it, the socket is closed, so the page shows its
    connection banner and keeps reconnecting (static/madoguchi/live-socket.js), and a new
    socket is refused until the layer is back. The page itself closes a socket that stays
    silent for a few beats (a network that died without saying so). The process never stops
    for it.
    """

    groups_joined: list[str] = []

    async def __call__(self, scope, receive, send):
        try:
            await super().__call__(scope, receive, send)
        except LAYER_DOWN as e:
            # No channel for a new socket (new_channel() subscribes in Redis): refuse the
            # handshake with a line in the log, not a traceback per retry of every screen.
            log.warning("live screen refused, channel layer unavailable: %s", e)
            await send({"type": "websocket.close", "code": 1011})

    async def join(self, *groups: str) -> bool:
        try:
            for g in groups:
                await self.channel_layer.group_add(g, self.channel_name)
        except LAYER_DOWN as e:
            log.warning("live screen refused, channel layer unavailable: %s", e)
            await self.close(code=1011)
            return False
        self.groups_joined = list(groups)
        await self.accept()
        self.beating = asyncio.ensure_future(self._beat())
        return True

    async def _beat(self):
        every = settings.MADOGUCHI_LIVE_BEAT
        while True:
            await asyncio.sleep(every)
            try:
                message = {"type": "link.beat"}
                await asyncio.wait_for(self.channel_layer.send(self.channel_name, message), every)
            except LAYER_DOWN as e:
                log.warning("live screen closed, channel layer unavailable: %s", e)
                await self.close(code=1011)
                return

    async def link_beat(self, event):
        await self.send_json({"kind": "beat"})

    async def disconnect(self, code):
        if getattr(self, "beating", None):
            self.beating.cancel()
        for g in self.groups_joined:
            try:
                await self.channel_layer.group_discard(g, self.channel_name)
            except LAYER_DOWN:
                break  # the layer is away: its subscriptions went with it


class DisplayConsumer(LiveScreen):
    async def connect(self):
        await self.join(live.display_group(self.scope["url_route"]["kwargs"]["office"]))

    async def queue_event(self, event):
        await self.send_json({k: v for k, v in event.items() if k != "type"})


class TicketConsumer(LiveScreen):
    """Sends the ticket's status now and again whenever anything moves in its office's line."""

    async def connect(self):
        self.token = self.scope["url_route"]["kwargs"]["token"]
        office = await self._office_code()
        if office is None:
            await self.close()
            return
        if await self.join(live.display_group(office), live.ticket_group(self.token)):
            await self.send_json(await self._status())

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
