import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.urls import get_script_prefix

from tenants import scope

log = logging.getLogger(__name__)


def municipality(request):
    # SCRIPT_PREFIX: "/t/<code>/" on a tenant's page reached by path (websocket addresses).
    return {"MUNICIPALITY": scope.municipality(), "SCRIPT_PREFIX": get_script_prefix()}


def production(request):
    """The demo banner and the idle-timeout warning read these (templates/base.html)."""
    return {
        "PRODUCTION": settings.PRODUCTION,
        "IDLE_TIMEOUT": settings.IDLE_TIMEOUT,
        "IDLE_WARNING": settings.IDLE_WARNING,
    }


# Whether Redis answered, asked at most every REDIS_CHECK_EVERY seconds per process.
REDIS_CHECK_EVERY = 10
_redis = {"at": float("-inf"), "up": True}


def redis_up() -> bool:
    now = time.monotonic()
    if now - _redis["at"] >= REDIS_CHECK_EVERY:
        _redis["at"] = now
        try:
            cache.get("madoguchi:ping")
            _redis["up"] = True
        except Exception:
            if _redis["up"]:
                log.exception("Redis is not answering")
            _redis["up"] = False
    return _redis["up"]


def services(request):
    """A banner on the staff screens while Redis is down: saves still work (they go to the
    database), but calls, displays and the remote counter's signaling do not reach anyone."""
    if not settings.REDIS_URL or not request.user.is_authenticated:
        return {}
    return {"REDIS_DOWN": not redis_up()}
