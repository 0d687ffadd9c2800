"""channels.testing.WebsocketCommunicator's interface for the room's tests. Importing
channels.testing needs daphne (and Twisted), which the project does not install; asgiref's
ApplicationCommunicator underneath is all it uses."""

import json

from asgiref.testing import ApplicationCommunicator


class WebsocketCommunicator(ApplicationCommunicator):
    def __init__(self, application, path):
        super().__init__(
            application,
            {
                "type": "websocket",
                "path": path,
                "query_string": b"",
                "headers": [],
                "subprotocols": [],
                "client": ("127.0.0.1", 1),
                "server": ("127.0.0.1", 80),
            },
        )

    async def connect(self, timeout=3):
        await self.send_input({"type": "websocket.connect"})
        message = await self.receive_output(timeout)
        return message["type"] == "websocket.accept", message.get("code")

    async def send_json_to(self, data):
        await self.send_input({"type": "websocket.receive", "text": json.dumps(data)})

    async def receive_json_from(self, timeout=3):
        message = await self.receive_output(timeout)
        assert message["type"] == "websocket.send", message
        return json.loads(message["text"])

    async def disconnect(self, code=1000, timeout=1):
        await self.send_input({"type": "websocket.disconnect", "code": code})
        await self.wait(timeout)
