"""Short references that a person reads aloud, a phone shows as a QR code and a USB barcode
scanner types into a field: random, case-free, no symbol a keyboard layout could change.

Crockford's base32 (no I, L, O, U): 16 characters carry 80 random bits, shown in groups of
four after a prefix that tells the counter's search box what it holds (「JZ-7K3M-…」).
Reading forgives what typing does to it: full-width characters (an IME left on), lower case
(Caps Lock on a scanner), spaces and any dash, O for 0, I and L for 1.
"""

import re
import secrets
import unicodedata

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 16  # characters after the prefix: 80 bits
PREENTRY_PREFIX = "JZ"  # 事前 (jizen): the pre-entry page's code (preentry app)

_CONFUSED = str.maketrans({"O": "0", "I": "1", "L": "1"})
_DASHES = re.compile(r"[\s\-‐‑‒–—―−ー－_]+")


def new(prefix: str) -> str:
    """A fresh reference body (LENGTH characters, without the prefix)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def display(prefix: str, body: str) -> str:
    """「JZ-ABCD-EFGH-JKMN-PQRS」: what the QR code holds and the page prints."""
    return "-".join([prefix, *(body[i : i + 4] for i in range(0, len(body), 4))])


def parse(prefix: str, text: str) -> str | None:
    """The body of a reference typed, scanned or pasted in any of the ways above; None when the
    text is not one (wrong prefix, wrong length, a character outside the alphabet)."""
    if not isinstance(text, str) or len(text) > 80:
        return None
    folded = _DASHES.sub("", unicodedata.normalize("NFKC", text)).upper()
    if not folded.startswith(prefix):
        return None
    body = folded[len(prefix) :].translate(_CONFUSED)
    if len(body) != LENGTH or any(c not in ALPHABET for c in body):
        return None
    return body


def looks_like(prefix: str, text: str) -> bool:
    return parse(prefix, text) is not None
