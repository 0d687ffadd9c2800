"""Whether the register has anyone living at an address: a household that moves in where
nobody is registered starts its own dwelling there (counter.dwelling).

"Nobody" is decided on the folded address key (lib.searchkey.address_key), so 「3丁目12番地」
and 「３－１２」 are one place. What cannot be told apart counts as someone: an address without
its 方書 when households live at that 番地 under one, or a household registered at the bare
番地 of a building whose 方書 was given.

支援措置 households are left out of anyone_registered_at for every caller: whether anyone lives
at an address must not tell a clerk that a protected household does (the answer would be an
oracle for its address). protected_households_at answers the other question, for the counter's
write path only (counter.approach), whose answer no clerk ever sees.
"""

from django.db.models import Exists, F, OuterRef

from lib import searchkey
from residents.models import Household, Resident
from residents.search import KeyPrefix


def _keys(address: dict) -> tuple[str, str]:
    town, banchi = address.get("town", ""), address.get("banchi", "")
    base = searchkey.address_key(town + banchi)
    return base, searchkey.address_key(town + banchi + address.get("katagaki", ""))


def same_dwelling(a: dict, b: dict) -> bool:
    """Whether two addresses may be one dwelling: the same 町字 and 番地, and the same 方書
    or one of them without it."""
    (base_a, full_a), (base_b, full_b) = _keys(a), _keys(b)
    return base_a == base_b and (full_a == full_b or base_a in (full_a, full_b))


def _at(households, address: dict):
    """The pks of `households` that may live at the address, as same_dwelling reads it."""
    base, full = _keys(address)
    if full != base:
        # This 方書, or a household at the bare 番地 (which dwelling it has is not said).
        return households.filter(address_key__in=[full, base]).values_list("pk", flat=True)
    # No 方書: anyone at the 番地, whatever their 方書 (but 3-120 is not 3-12).
    rows = households.filter(KeyPrefix(F("address_key"), base)).values_list("pk", "address_key")
    return (pk for pk, key in rows.iterator() if not key[len(base) :][:1].isdigit())


def _complete(address: dict) -> bool:
    return bool(address.get("town", "").strip() and address.get("banchi", "").strip())


def _current():
    return Household.objects.filter(
        Exists(Resident.objects.filter(household=OuterRef("pk"), removed_on__isnull=True))
    )


def _protected():
    return Resident.objects.filter(household=OuterRef("pk"), support_measure=True)


def anyone_registered_at(address: dict) -> bool | None:
    """True if a current, unprotected household may live at the address; None when the
    address lacks its 町字 or 番地 (nothing can be said)."""
    if not _complete(address):
        return None
    return any(True for _pk in _at(_current().exclude(Exists(_protected())), address))


def protected_households_at(address: dict) -> list[int]:
    """The current 支援措置 households (anyone of them flagged, as Household.protected_resident_ids
    reads it) that may live at the address; none when it lacks its 町字 or 番地."""
    if not _complete(address):
        return []
    return sorted(_at(_current().filter(Exists(_protected())), address))
