"""channels.testing.WebsocketCommunicator's interface for the room's tests. Importing
channels.testing needs daphne (and Twisted), which the project does not install; asgiref's
ApplicationCommunicator underneath is all it uses."""

import json

from asgiref.testing import ApplicationCommunicator


def signed_in(user):
    """A session logged in as this user, as the login page leaves it: with the user, what
    AuthMiddlewareStack puts in a socket's scope (scope["session"]). None (no user): an empty
    session, a visitor's. The staff sockets read it again from the store (accounts.sockets)."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import Client

    if user is None or not user.is_authenticated:
        return SessionStore()
    client = Client()
    client.force_login(user)
    return client.session


def session_cookie(session) -> tuple[bytes, bytes]:
    """The Cookie header a browser with this session sends on the socket's handshake."""
    from django.conf import settings

    return (b"cookie", f"{settings.SESSION_COOKIE_NAME}={session.session_key}".encode())


class WebsocketCommunicator(ApplicationCommunicator):
    def __init__(self, application, path, headers=()):
        super().__init__(
            application,
            {
                "type": "websocket",
                "path": path,
                "query_string": b"",
                "headers": list(headers),
                "subprotocols": [],
                "client": ("127.0.0.1", 1),
                "server": ("127.0.0.1", 80),
            },
        )

    async def connect(self, timeout=3):
        await self.send_input({"type": "websocket.connect"})
        message = await self.receive_output(timeout)
        return message["type"] == "websocket.accept", message.get("code")

    async def closed_with(self, timeout=3):
        """The code of the server's close, the next thing the socket says."""
        message = await self.receive_output(timeout)
        assert message["type"] == "websocket.close", message
        return message.get("code")

    async def send_json_to(self, data):
        await self.send_input({"type": "websocket.receive", "text": json.dumps(data)})

    async def receive_json_from(self, timeout=3):
        message = await self.receive_output(timeout)
        assert message["type"] == "websocket.send", message
        return json.loads(message["text"])

    async def disconnect(self, code=1000, timeout=1):
        await self.send_input({"type": "websocket.disconnect", "code": code})
        await self.wait(timeout)
