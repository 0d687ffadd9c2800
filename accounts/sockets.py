"""Staff WebSockets held to the staff pages' session rules (accounts.sessions): a socket opens
only for a session the next page would let in, and closes once that session has ended — idle,
too long since login, logged out in another tab, or owing the second factor.

The public sockets (the call display, the resident's wait page in queues.consumers) are not
staff sockets and do not use this.
"""

import asyncio
import time
from importlib import import_module
from types import SimpleNamespace

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.contrib import auth
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.models import Device

from accounts import sessions

# Close codes the page reads (static/madoguchi/live-socket.js stops reconnecting on them and
# reloads, so the staff page's own middleware shows the login page, or the code's, and why).
SESSION_ENDED = 4401
SECOND_FACTOR_DUE = 4403


def verified(user, session) -> bool:
    """Whether this session has shown a one-time code of the user's: django_otp's
    OTPMiddleware's rule for a page, which no socket passes through."""
    persistent_id = session.get(DEVICE_ID_SESSION_KEY)
    device = Device.from_persistent_id(persistent_id) if persistent_id else None
    return device is not None and device.user_id == user.pk and device.confirmed


def refusal(session_key: str | None, user_pk) -> int | None:
    """The close code for a staff socket of this session and user, or None while the session
    lets them in. The session is read afresh from its store, as the next page's request would
    read it: a logout elsewhere deleted it, a page's request may have moved its activity."""
    if not session_key:
        return SESSION_ENDED
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    user = auth.get_user(SimpleNamespace(session=session))
    if not user.is_authenticated or user.pk != user_pk:
        return SESSION_ENDED
    if sessions.ended(session, int(time.time())) is not None:
        return SESSION_ENDED
    if sessions.two_factor_due(user, session, verified=verified(user, session)):
        return SECOND_FACTOR_DUE
    return None  # the session is only read: nothing here counts as activity or is saved


class StaffSocket(AsyncJsonWebsocketConsumer):
    """A consumer for staff pages: checked against the session before connect(), and again
    every STAFF_SOCKET_CHECK seconds while open.

    A refused socket is accepted and closed at once with its code: a code sent instead of the
    accept never reaches the page (the browser sees only 1006). Nothing is sent before the close.
    """

    refused: int | None = None
    watching: asyncio.Future | None = None

    async def websocket_connect(self, message):
        self.refused = await self._refusal()
        if self.refused is not None:
            await self.accept()
            await self.close(code=self.refused)
            return
        await super().websocket_connect(message)

    async def accept(self, subprotocol=None, headers=None):
        await super().accept(subprotocol, headers)
        if self.refused is None and self.watching is None:
            self.watching = asyncio.ensure_future(self._watch())

    async def websocket_disconnect(self, message):
        self._stop_watching()
        await super().websocket_disconnect(message)

    async def __call__(self, scope, receive, send):
        try:
            await super().__call__(scope, receive, send)
        finally:
            self._stop_watching()  # the consumer ended without a disconnect message

    def _stop_watching(self):
        if self.watching is not None:
            self.watching.cancel()

    async def _watch(self):
        while True:
            await asyncio.sleep(settings.STAFF_SOCKET_CHECK)
            code = await self._refusal()
            if code is not None:
                await self.close(code=code)
                return

    async def _refusal(self) -> int | None:
        session = self.scope.get("session")
        user = self.scope.get("user")
        if session is None or user is None or not user.is_authenticated:
            return SESSION_ENDED
        return await database_sync_to_async(refusal)(session.session_key, user.pk)
