"""A WebSocket client for an ASGI app in-process. channels.testing would need daphne (and
Twisted) only for this; asgiref's ApplicationCommunicator is enough."""

import json

from asgiref.testing import ApplicationCommunicator


class WebSocket(ApplicationCommunicator):
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

    async def connect(self, timeout=3) -> bool:
        await self.send_input({"type": "websocket.connect"})
        return (await self.receive_output(timeout))["type"] == "websocket.accept"

    async def receive_json_from(self, timeout=3):
        message = await self.receive_output(timeout)
        assert message["type"] == "websocket.send", message
        return json.loads(message["text"])

    async def disconnect(self, code=1000, timeout=1):
        await self.send_input({"type": "websocket.disconnect", "code": code})
        await self.wait(timeout)
