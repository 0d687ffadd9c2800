"""A visit that moves someone to the dwelling of a 支援措置 household it does not otherwise touch:
a 転入 or 転居 to that address, perhaps by the very person the household is protected from.

The register's flags protect what a visit touches (Visit.protected_resident_ids); an address
typed at the counter touches nobody by itself. Here the visit's new address is compared with
the protected households' dwellings (residents.occupancy, 方書 and folded keys as
same_dwelling reads them), and an approach is

- recorded once per visit and household, in the entry the change writes anyway
  (`protected_address.approached` standing for `visit.address_changed` or `visit.started`),
  so that the number of entries is the same with or without a protected household there;
- shown to those who may see protected addresses (accounts.access.may_see_protected) on the
  visit page, the 受付完了 confirmation and the audit screen;
- invisible to everyone else, who must see the same page, the same response and the same audit
  rows whether or not a protected household lives at the address: any difference would tell
  them it does. The audit screen shows them the entry as the one it stands for.

The resident's pre-entry pages never ask (they store what the resident typed; the counter's
opening of a pre-entry is a staff action and goes through set_addresses like any other).
"""

from dataclasses import dataclass

from accounts import access, audit
from accounts.models import AuditEntry
from counter.models import Visit
from residents import occupancy
from residents.models import Household, Resident
from tenants import scope

APPROACHED = "protected_address.approached"
# What an approach adds to the detail of the entry it stands for; the audit screen drops these
# for viewers who may not see protected addresses (counter.audit_log).
APPROACH_KEYS = ("households", "stands_for", "resident_ids")


def _in_city(visit: Visit, address: dict) -> bool:
    # A 転出's new address is another city's, whose 町字 and 番地 may fold to one of ours.
    if visit.moves_out:
        return False
    city = (address.get("city") or "").strip()
    return not city or city == scope.municipality()["name"]


def _own(visit: Visit) -> set[int]:
    """The households the visit already touches (its own, its people's): protected on the visit
    itself when flagged, and no one approaches the dwelling they live in."""
    ids = set(
        visit.people.filter(resident__isnull=False).values_list("resident__household_id", flat=True)
    )
    if visit.household_id:
        ids.add(visit.household_id)
    return ids


def approached(visit: Visit, address: dict | None = None) -> list[int]:
    """The protected households (pks) whose dwelling `address` (the visit's new address by
    default) is, other than the ones the visit touches."""
    address = visit.new_address if address is None else address
    # 練習: the practice register's households are nobody's; the administrator hears of none.
    if visit.training or not address or not _in_city(visit, address):
        return []
    found = occupancy.protected_households_at(address)
    if not found:
        return []
    own = _own(visit)
    return [pk for pk in found if pk not in own]


def _protected_ids(households) -> list[int]:
    return list(
        Resident.objects.filter(household_id__in=households, support_measure=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _newly(visit: Visit, before: dict | None) -> list[int]:
    """Approached by this change: not at the address before it, or never recorded for this
    visit (a household flagged since the last save)."""
    now = approached(visit)
    if not now:
        return []
    was = set(approached(visit, before)) & set(now) if before else set()
    if was:
        recorded: set[int] = set()
        entries = (
            AuditEntry.objects.about(_protected_ids(was))  # the subjects' index, not a scan
            .filter(action=APPROACHED, visit_id=visit.id)
            .values_list("detail", flat=True)
        )
        for detail in entries:
            recorded.update(detail.get("households") or [])
        was &= recorded
    return [pk for pk in now if pk not in was]


def record(by, visit: Visit, action: str, *, before: dict | None, request=None, **detail):
    """The audit entry of a change that may set the visit's new address: `action` as always,
    or, when the change brings the visit to a protected household's dwelling, the approach
    standing for it (its detail kept, the households and their protected residents added)."""
    households = _newly(visit, before)
    if not households:
        return audit.record(by, action, visit_id=visit.id, request=request, **detail)
    return audit.record(
        by,
        APPROACHED,
        visit_id=visit.id,
        request=request,
        resident_ids=_protected_ids(households),
        **detail,
        households=households,
        stands_for=action,
    )


# --- what those who may see it see -------------------------------------------------------------


@dataclass
class Approached:
    household: Household
    members: list  # current residents, the protected ones among them marked by the template


def banner(user, visit: Visit) -> list[Approached] | None:
    """The protected households this visit moves someone to, for a viewer who may see them;
    None for anyone else (whose page must not differ: the template draws nothing)."""
    if not access.may_see_protected(user):
        return None
    if visit.is_cancelled:
        return []
    households = Household.objects.filter(pk__in=approached(visit)).prefetch_related("residents")
    return [Approached(h, h.members()) for h in households.order_by("household_no")]
