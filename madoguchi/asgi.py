import os

from asgiref.sync import sync_to_async
from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "madoguchi.settings")
# Django must be set up before the consumers (and their models) are imported.
django_asgi = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

import queues.routing  # noqa: E402
import remote.routing  # noqa: E402
from madoguchi.dbpool import close_pools  # noqa: E402

websocket_urlpatterns = queues.routing.websocket_urlpatterns + remote.routing.websocket_urlpatterns


def warm_up() -> None:
    """Parse the catalog and the fonts before the first request, so the first clerk to print
    does not wait for them (about a second)."""
    from catalog.pack import default_pack
    from printing.fonts import get_fontset

    default_pack()
    get_fontset()


class Lifespan:
    """ASGI lifespan around the router (which knows only http and websocket): uvicorn's
    startup and graceful shutdown (SIGTERM from `madoguchi serve`) call these hooks."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "lifespan":
            return await self.app(scope, receive, send)
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await sync_to_async(warm_up, thread_sensitive=False)()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                # Pooled connections go back to PostgreSQL now, not when the process ends.
                await sync_to_async(close_pools, thread_sensitive=False)()
                await send({"type": "lifespan.shutdown.complete"})
                return


application = Lifespan(
    ProtocolTypeRouter(
        {
            "http": django_asgi,
            "websocket": AllowedHostsOriginValidator(
                AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
            ),
        }
    )
)
