"""The room's signaling: offer, answer and ICE candidates relayed between the two admitted
parties of one consultation, and notices (visit changed, ended) from the server.

Media never passes through here; the browsers connect peer to peer. The socket is a staff
page's: held to the session's idle time, logout and second factor (accounts.sockets).
"""

from channels.db import database_sync_to_async

from accounts import access
from accounts.sockets import StaffSocket
from remote import services
from remote.models import Consultation

SIGNALS = {"offer", "answer", "ice", "hello", "present", "bye"}


class RoomConsumer(StaffSocket):
    async def connect(self):
        user = self.scope.get("user")
        self.consultation = await self._consultation(self.scope["url_route"]["kwargs"]["pk"], user)
        self.role = self.consultation.role_of(user) if self.consultation else None
        if self.consultation is not None and self.consultation.state == Consultation.State.ENDED:
            # A party's page whose socket was down when the call ended (the `ended` notice
            # missed) hears it on reconnecting, and shows the end instead of retrying forever.
            await self.accept()
            await self.send_json({"kind": "ended"})
            await self.close()
            return
        if self.role is None:
            # Not a party, not admitted yet, or already ended: no room.
            await self.close(code=4403)
            return
        self.group = self.consultation.group
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self._seen()
        await self.send_json({"kind": "welcome", "role": self.role})

    async def disconnect(self, code):
        if getattr(self, "group", None):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        kind = content.get("kind")
        if kind == "connected":
            await self._mark_connected()
        elif kind == "alive":
            await self._seen()  # the page is still open: the call is not stale
        elif kind in SIGNALS:
            await self.channel_layer.group_send(
                self.group,
                {
                    "type": "room.signal",
                    "sender": self.channel_name,
                    "role": self.role,
                    "kind": kind,
                    "data": content.get("data"),
                },
            )

    async def room_signal(self, event):
        if event["sender"] != self.channel_name:
            await self.send_json(
                {"kind": event["kind"], "from": event["role"], "data": event["data"]}
            )

    async def room_notice(self, event):
        await self.send_json({"kind": event["kind"]})
        if event["kind"] == "ended":
            await self.close()

    @database_sync_to_async
    def _consultation(self, pk, user):
        """The consultation if this user is one of its parties (accounts.access), else None."""
        staff = access.staff_for(user)
        c = Consultation.objects.filter(pk=pk).first()
        return c if c is not None and staff is not None and staff.may_open(c) else None

    @database_sync_to_async
    def _seen(self):
        services.seen(self.consultation, self.role)

    @database_sync_to_async
    def _mark_connected(self):
        services.mark_connected(self.consultation, by=self.scope["user"])
