"""The 異体字・外字 picker beside the name fields: by a base character (葛) or by a reading
(ワタナベ), the characters and IVS variants the print fonts can draw, to insert as typed.

Only what printing's fonts have is offered (their cmap and cmap format 14, read by
printing.fonts), so a name picked here never fails at the printer. A reading is looked up
in the register's own names: the spellings staff meet are the municipality's.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts import access
from lib import searchkey
from lib.kana import is_kana
from lib.text import VARIATION_SELECTORS
from printing.fonts import FontNotFound, clusters, get_fontset
from residents.models import Resident

MAX_SPELLINGS = 12
MAX_BASES = 12
MAX_NAMES_READ = 300


@dataclass(frozen=True)
class Variant:
    text: str  # what is inserted: a character, or a base and its selector
    label: str  # 「U+845B」「U+845B U+E0100」


@dataclass(frozen=True)
class Group:
    base: str
    variants: list[Variant]


@cache
def _sequences_by_base() -> dict[str, tuple[str, ...]]:
    """Every (base, selector) pair of every print font, by base character."""
    try:
        faces = get_fontset().faces.values()
    except FontNotFound:
        return {}
    out: dict[str, set[str]] = {}
    for face in faces:
        for base, vs in face.sequences:
            if 0xE0100 <= vs <= 0xE01EF:  # ideographic variation selectors (IVS)
                out.setdefault(chr(base), set()).add(chr(base) + chr(vs))
    return {base: tuple(sorted(seqs)) for base, seqs in out.items()}


def _printable(ch: str) -> bool:
    try:
        fontset = get_fontset()
    except FontNotFound:
        return False
    return any(face.covers(ch) for face in fontset.faces.values())


def _label(text: str) -> str:
    return " ".join(f"U+{ord(c):04X}" for c in text)


def groups_for(base_chars: str) -> list[Group]:
    """For each base character: itself, its 異体字 and every IVS variant the fonts draw."""
    seqs = _sequences_by_base()
    out: list[Group] = []
    seen: set[str] = set()
    for cl in clusters(base_chars):
        base = cl.translate({ord(c): None for c in VARIATION_SELECTORS})
        if len(base) != 1 or base in seen or not unicodedata.name(base, "").startswith("CJK"):
            continue
        members = [base] + [m for m in searchkey.variant_family(base) if m != base]
        seen.update(members)
        variants: list[Variant] = []
        for m in members:
            for text in (m, *seqs.get(m, ())):
                if _printable(text):
                    variants.append(Variant(text, _label(text)))
        if variants:
            out.append(Group(base, variants))
        if len(out) >= MAX_BASES:
            break
    return out


def spellings_for_reading(reading: str) -> list[str]:
    """The ways the register writes a surname or a given name read so (ワタナベ → 渡辺, 渡邊…)."""
    key = searchkey.kana_key(reading)
    if not key:
        return []
    found: dict[str, None] = {}
    given = Resident.objects.filter(kana_given_key=key).values_list("name", flat=True)
    for name in given[:MAX_NAMES_READ]:
        found.setdefault(name.partition("\u3000")[2], None)
    rows = (
        Resident.objects.filter(kana_key__gte=key, kana_key__lt=key + "\U0010ffff")
        .order_by("kana_key")
        .values_list("name", "name_kana")[:MAX_NAMES_READ]
    )
    for name, kana in rows:
        surname, _sep, _given = name.partition("\u3000")
        kana_surname = kana.partition("\u3000")[0]
        if searchkey.kana_key(kana_surname) == key:
            found.setdefault(surname, None)
    return [s for s in found if s][:MAX_SPELLINGS]


@login_required
def picker(request):
    """GET ?q= — the picker's list, as an htmx partial under the name fields."""
    access.require(request, "counter")
    q = (request.GET.get("q") or "").strip()[:20]
    spellings = spellings_for_reading(q) if q and is_kana(q) else []
    bases = "".join(spellings) if spellings else q
    ctx = {"q": q, "spellings": spellings, "groups": groups_for(bases) if bases else []}
    return render(request, "counter/_variant_picker.html", ctx)
