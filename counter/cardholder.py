"""A card read at a visit whose holder is already on it: a registered resident of the visit's
household, or a newcomer the 転入予約 feed, a pre-entry or the clerk put there. The card is
recorded for that person — not added as someone new — and what it says is compared with what
the visit holds: the name as written and the address.

The person is the one of the same birth date, sex and name, the name folded as the search
folds it (the card may use a substitute character where the register has a rare one). What
prints stays the record's: the register's name, the feed's 旧住所 unless the clerk takes the
card's. A 支援措置 household's address is never compared for staff who may not see it: "it
differs" would tell them something about it.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _l

from accounts import audit
from counter import card
from counter.models import Visit, VisitPerson
from lib import searchkey

ADDRESS_PARTS = ("pref", "city", "town", "banchi", "katagaki")


@dataclass(frozen=True)
class Mismatch:
    """One thing the card says otherwise than the visit: `item` ("name", "address"), the
    card's text and the record's, as printed."""

    item: str
    label: str
    card: str
    record: str


def _identity(vp: VisitPerson) -> tuple[list[str], object, str]:
    """(names the person is known by, birth date, sex): the register's for a resident."""
    r = vp.resident
    if r is not None:
        return [n for n in (r.name, r.name_alpha) if n], r.birth_date, r.sex
    return [vp.name] if vp.name else [], vp.birth_date, vp.sex


def _namesakes(visit: Visit, read: card.CardRead) -> list[VisitPerson]:
    """The visit's people of the card's name (folded)."""
    key = searchkey.name_key(f"{read.surname}{read.given_name}")
    if not key:
        return []
    people = visit.people.select_related("resident")
    return [vp for vp in people if any(searchkey.name_key(n) == key for n in _identity(vp)[0])]


def _fits(vp: VisitPerson, read: card.CardRead) -> bool:
    _names, born, sex = _identity(vp)
    same_sex = not (read.sex in ("1", "2") and sex in ("1", "2")) or sex == read.sex
    return born == read.birth_date and same_sex


def holder_on_visit(visit: Visit, read: card.CardRead) -> VisitPerson | None:
    """The visit's person this card belongs to, or None (nobody, or two who fit: the clerk
    decides)."""
    if read.birth_date is None:
        return None
    fits = [vp for vp in _namesakes(visit, read) if _fits(vp, read)]
    return fits[0] if len(fits) == 1 else None


def namesakes(visit: Visit, read: card.CardRead) -> list[VisitPerson]:
    """People of the visit with the card's name but another birth date or sex: perhaps the
    holder, written down wrong (by the feed, a pre-entry or a clerk). The card then fills the
    add row as for someone new, and the clerk is told about them before adding a second."""
    return [vp for vp in _namesakes(visit, read) if not _fits(vp, read)]


def address_text(address: dict) -> str:
    """An address dict on one line as the visit page prints it (方書 after a space)."""
    head = "".join(address.get(k, "") or "" for k in ADDRESS_PARTS[:4])
    katagaki = address.get("katagaki", "") or ""
    return f"{head}\u3000{katagaki}" if katagaki else head


def reference_address(visit: Visit) -> tuple[str, dict]:
    """What the card's address is compared with: ("old", the 旧住所) for a visit that holds one
    (a 転入's, or the household's when it moves out), else ("register", the household's
    address), or ("", {}) when there is none to compare."""
    if visit.old_address and any(visit.old_address.get(k) for k in ADDRESS_PARTS):
        return "old", visit.old_address
    if visit.household_id is not None and not visit.moves_in:
        return "register", visit.household.as_address()
    return "", {}


def mismatches(
    visit: Visit, vp: VisitPerson, read: card.CardRead, *, address_hidden: bool
) -> list[Mismatch]:
    out = []
    names, _born, _sex = _identity(vp)
    on_card = f"{read.surname}\u3000{read.given_name}".strip()
    # Folded they are one name (that is how the person was found); written, they may differ:
    # an IVS, an old form, a substitute character on the card.
    if names and on_card not in names:
        out.append(Mismatch("name", str(_l("氏名の表記")), on_card, names[0]))
    kind, address = ("", {}) if address_hidden else reference_address(visit)
    if kind and read.address:
        if searchkey.address_key(read.address) != searchkey.address_key(
            "".join(address.get(k, "") or "" for k in ADDRESS_PARTS)
        ):
            label = _l("旧住所") if kind == "old" else _l("住民記録の住所")
            out.append(Mismatch("address", str(label), read.address, address_text(address)))
    return out


def take_card(
    visit: Visit, vp: VisitPerson, read: card.CardRead, *, by, request=None, address_hidden: bool
) -> list[Mismatch]:
    """Record the card for `vp` (shown, and its 個人番号 when one was read for this visit) and
    return what the card says otherwise; the audit entry names the items, never their text."""
    card.record_card_shown(vp, by=by, request=request, mynumber_enc=read.mynumber_enc)
    found = mismatches(visit, vp, read, address_hidden=address_hidden)
    audit.record(
        by,
        "card.holder_found",
        request=request,
        visit_id=visit.id,
        resident_id=vp.resident_id,
        person=vp.key,
        differs=[m.item for m in found],
    )
    return found
