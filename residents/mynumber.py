"""My Numbers at rest: Fernet tokens in Resident.mynumber_enc (japanese-text.md: store it encrypted).

Fernet (AES-128-CBC + HMAC-SHA256, a random IV per token) costs about 13 µs a number on
the 2-core demo machine, so 1,000,000 residents spend ~13 s here: fast enough that the
demo keeps the standard scheme rather than a faster hand-built one.

The key is settings.MYNUMBER_KEY (urlsafe base64 of 32 bytes). Several keys separated by
commas rotate: the first encrypts, all decrypt. When it is empty (the demo) a key is
derived from SECRET_KEY, so a demo database cannot be read with another SECRET_KEY.
Each tenant other than the default has keys of its own (cipher(); tenants.keys).
"""

import base64
import os
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from lib import mynumber as _mn
from tenants import keys, scope

__all__ = ["InvalidToken", "decrypt", "encrypt", "masked"]


def _derived_key(secret: str) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"madoguchi mynumber v1")
    return base64.urlsafe_b64encode(hkdf.derive(secret.encode()))


@lru_cache(maxsize=64)  # a few keys per tenant
def _cipher(keys: str, secret: str) -> MultiFernet:
    listed = [k.strip() for k in keys.split(",") if k.strip()]
    fernets = [Fernet(k) for k in listed] or [Fernet(_derived_key(secret))]
    return MultiFernet(fernets)


def cipher() -> MultiFernet:
    # Keyed on the settings values so that override_settings in tests takes effect.
    code = scope.current_id()
    if code == scope.DEFAULT:
        return _cipher(settings.MYNUMBER_KEY or "", settings.SECRET_KEY)
    # Another municipality: its own keys (MADOGUCHI_MYNUMBER_KEY_<CODE>), else one derived
    # for its code from the deployment's key, so one city's key never opens another's numbers.
    own = os.environ.get(keys.env_name("mynumber", code), "")
    return _cipher(own, f"{settings.MYNUMBER_KEY or settings.SECRET_KEY}|tenant:{code}")


def encrypt(number: str) -> str:
    """A token for mynumber_enc; the number must be 12 digits with a valid check digit."""
    if not _mn.is_valid(number):
        raise ValueError("個人番号が正しくありません")
    return cipher().encrypt(number.encode("ascii")).decode("ascii")


def decrypt(token: str) -> str:
    """The 12 digits; raises InvalidToken when the key is wrong or the token was altered."""
    return cipher().decrypt(token.encode("ascii")).decode("ascii")


def masked(token: str) -> str:
    """What a screen may show: 「＊＊＊＊ ＊＊＊＊ 9018」, or "" when nothing is on file."""
    return _mn.mask(decrypt(token)) if token else ""
