import os

from a2wsgi import WSGIMiddleware
from asgiref.sync import sync_to_async
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "madoguchi.settings")
# Django must be set up before the consumers (and their models) are imported.
django_wsgi = get_wsgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.db import database_sync_to_async  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402

import queues.routing  # noqa: E402
import remote.routing  # noqa: E402
from madoguchi.dbpool import close_pools  # noqa: E402
from madoguchi.middleware import resolve_tenant  # noqa: E402
from tenants import scope as tenant_scope  # noqa: E402
from tenants.models import Tenant  # noqa: E402

websocket_urlpatterns = queues.routing.websocket_urlpatterns + remote.routing.websocket_urlpatterns


def warm_up() -> None:
    """Parse the catalog and the fonts before the first request, so the first clerk to print
    does not wait for them (about a second)."""
    from catalog.pack import default_pack
    from printing.fonts import get_fontset

    default_pack()
    get_fontset()


class TenantScope:
    """A websocket's tenant, as madoguchi.middleware.TenantMiddleware finds a page's: the
    staff member's, or the one the host or the /t/<code>/ path names. The consumer's task,
    and the threads its database work runs in, inherit it."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        headers = dict(scope.get("headers") or [])
        try:
            tenant, path = await database_sync_to_async(resolve_tenant)(
                scope["path"],
                headers.get(b"host", b"").decode("latin-1"),
                scope.get("user"),
                "",
            )
        except Tenant.DoesNotExist:
            return await send({"type": "websocket.close", "code": 4404})
        if path != scope["path"]:
            scope = dict(scope, path=path)
        token = tenant_scope.activate(tenant)
        try:
            return await self.app(scope, receive, send)
        finally:
            tenant_scope.reset(token)


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


# Every page is a sync Django view. Under Django's ASGI handler a request crossed between the
# event loop and threads several times (at the sync-only middleware, then for the view), each
# request in a new thread: about 5 ms of CPU a request, a third of a page's cost
# (bench/load.py). Here a request runs start to end in one thread of a fixed pool, as under a
# WSGI server: one crossing, and at most MADOGUCHI_THREADS requests of a process work at once,
# each with at most one database connection. WebSockets stay with Channels.
application = Lifespan(
    ProtocolTypeRouter(
        {
            "http": WSGIMiddleware(django_wsgi, workers=settings.MADOGUCHI_THREADS),
            "websocket": AllowedHostsOriginValidator(
                AuthMiddlewareStack(TenantScope(URLRouter(websocket_urlpatterns)))
            ),
        }
    )
)
