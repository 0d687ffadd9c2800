"""Counters in the cache (Redis in production) for failed logins and the public pages' limits.

Two shapes, both keyed by a hash so that a user name or an address never sits in Redis as is:
- `Window`: at most `count` hits per fixed window of `seconds` (the public pages);
- `Lockout`: `count` failures within `seconds` lock the key for `seconds` from the last one
  (logins), so the page can say how long.
A cache that is down fails open with an error in the log: the kiosk keeps issuing tickets and
the clerks keep logging in while Redis restarts (docs/security.md).
"""

import hashlib
import ipaddress
import logging
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

log = logging.getLogger(__name__)


def client_ip(request) -> str:
    """The client's address; a trusted proxy's forwarded address replaces its own."""
    addr = request.META.get("REMOTE_ADDR", "") or "unknown"
    trusted = _networks(tuple(settings.TRUSTED_PROXIES))
    if not trusted or not _within(addr, trusted):
        return addr
    header = "HTTP_" + settings.CLIENT_IP_HEADER.upper().replace("-", "_")
    hops = [h.strip() for h in request.META.get(header, "").split(",") if h.strip()]
    # Each proxy appends the address it saw: read from the right, past our own proxies.
    for hop in reversed(hops):
        if not _within(hop, trusted):
            return hop
        addr = hop
    return addr


_networks_cache: dict[tuple[str, ...], list] = {}


def _networks(spec: tuple[str, ...]) -> list:
    if spec not in _networks_cache:
        _networks_cache[spec] = [ipaddress.ip_network(s.strip(), strict=False) for s in spec]
    return _networks_cache[spec]


def _within(addr: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(addr)
    except ValueError:
        return False
    return any(ip in n for n in networks)


def is_kiosk(request) -> bool:
    kiosks = _networks(tuple(settings.KIOSK_ADDRESSES))
    return bool(kiosks) and _within(client_ip(request), kiosks)


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(f"{kind}\0{value}".encode()).hexdigest()[:32]
    return f"madoguchi:throttle:{kind}:{digest}"


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int = 0  # seconds until allowed again

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.retry_after / 60))


ALLOWED = Verdict(True)


class Window:
    """At most `count` hits per fixed window of `seconds`."""

    def __init__(self, kind: str, count: int, seconds: int):
        self.kind, self.count, self.seconds = kind, count, seconds

    def hit(self, value: str) -> Verdict:
        now = time.time()
        window = int(now // self.seconds)
        key = _key(self.kind, f"{value}\0{window}")
        try:
            cache.add(key, 0, self.seconds + 5)
            n = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, self.seconds + 5)
            n = 1
        except Exception:
            log.exception("rate limit %s: the cache is unavailable, request allowed", self.kind)
            return ALLOWED
        if n <= self.count:
            return ALLOWED
        return Verdict(False, math.ceil((window + 1) * self.seconds - now))


class Lockout:
    """`count` failures within `seconds` lock the value for `seconds` after the last one."""

    def __init__(self, kind: str, count: int, seconds: int):
        self.kind, self.count, self.seconds = kind, count, seconds

    def check(self, value: str) -> Verdict:
        try:
            until = cache.get(_key(self.kind + ":lock", value))
        except Exception:
            log.exception("lockout %s: the cache is unavailable, login allowed", self.kind)
            return ALLOWED
        now = time.time()
        if until is None or until <= now:
            return ALLOWED
        return Verdict(False, math.ceil(until - now))

    def fail(self, value: str) -> Verdict:
        key = _key(self.kind, value)
        try:
            cache.add(key, 0, self.seconds)
            n = cache.incr(key)
            cache.touch(key, self.seconds)  # the count runs from the latest failure
            if n >= self.count:
                cache.set(
                    _key(self.kind + ":lock", value), time.time() + self.seconds, self.seconds
                )
                cache.delete(key)
                return Verdict(False, self.seconds)
        except ValueError:
            cache.set(key, 1, self.seconds)
        except Exception:
            log.exception("lockout %s: the cache is unavailable, failure not counted", self.kind)
        return ALLOWED

    def clear(self, value: str) -> None:
        try:
            cache.delete(_key(self.kind, value))
        except Exception:
            log.exception("lockout %s: the cache is unavailable", self.kind)

    def locked_until(self, values) -> dict[str, float] | None:
        """When each locked value's lock ends (a Unix time); values not locked are left out.
        One read for all of them (the administrator's list of staff). None: the cache is
        unavailable, so nothing is locked in effect (check() lets everyone in)."""
        keys = {_key(self.kind + ":lock", v): v for v in values}
        try:
            found = cache.get_many(list(keys))
        except Exception:
            log.exception("lockout %s: the cache is unavailable", self.kind)
            return None
        now = time.time()
        return {keys[k]: until for k, until in found.items() if until > now}

    def unlock(self, value: str) -> bool:
        """Lift the lock before its time, and forget the failures counted towards the next.
        True only for the caller whose delete removed the lock: of two at once, one."""
        try:
            cache.delete(_key(self.kind, value))
            return bool(cache.delete(_key(self.kind + ":lock", value)))
        except Exception:
            log.exception("lockout %s: the cache is unavailable, nothing to unlock", self.kind)
            return False


def login_name(username: str) -> str:
    """The form a user name is counted under: case and surrounding spaces ignored."""
    return (username or "").strip().casefold()


def login_user_lock() -> Lockout:
    return Lockout("login-user", settings.LOGIN_FAILURES_PER_USER, settings.LOGIN_LOCK_SECONDS)


def login_address_lock() -> Lockout:
    return Lockout("login-ip", settings.LOGIN_FAILURES_PER_ADDRESS, settings.LOGIN_LOCK_SECONDS)


def window(group: str) -> Window:
    count, seconds = settings.RATE_LIMITS[group]
    return Window(group, count, seconds)
