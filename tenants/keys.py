"""Each tenant's own keys (the audit chain's HMAC key, the My Number key), from the
deployment's master keys.

The default tenant uses the master key as it is, so a single-city install and its existing
data are unchanged. Another tenant uses MADOGUCHI_<PURPOSE>_KEY_<CODE> from the environment
when the operator set one, else a key derived from the master for its code: one city's key
never opens another's data, and losing a derived key is impossible while the master is kept.
"""

import hashlib
import hmac
import os

from tenants import scope


def env_name(purpose: str, code: str) -> str:
    return f"MADOGUCHI_{purpose.upper()}_KEY_{code.upper().replace('-', '_')}"


def tenant_key(purpose: str, master: str, code: str | None = None) -> str:
    """The key of `purpose` ("audit", "mynumber") for the tenant `code` (default: current)."""
    code = code or scope.current_id()
    if code == scope.DEFAULT:
        return master
    own = os.environ.get(env_name(purpose, code), "")
    if own:
        return own
    return hmac.new(
        master.encode(), f"tenant:{code}:{purpose}".encode(), hashlib.sha256
    ).hexdigest()
