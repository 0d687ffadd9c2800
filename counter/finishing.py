"""What is still open on a visit when the clerk presses 受付完了: the confirmation step's list."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from counter.models import result_key
from counter.navigation import navigate_visit


@dataclass
class OpenItems:
    checks: list = field(default_factory=list)  # 要確認 results, each with .key and .person_obj
    addresses: list[str] = field(default_factory=list)  # 「新住所（町字・番地）」 not entered
    printing: str = ""  # why the printed packet is not the visit as it stands, or ""

    @property
    def any(self) -> bool:
        return bool(self.checks or self.addresses or self.printing)


def _missing(address: dict, parts, labels) -> list[str]:
    return [labels[p] for p in parts if not str(address.get(p, "")).strip()]


def missing_addresses(visit) -> list[str]:
    """The addresses the visit's move needs and does not have, named with their empty parts.
    Only whether a part is empty is said, never its value (a 支援措置 address stays hidden)."""
    labels = {
        "pref": _("都道府県"),
        "city": _("市区町村"),
        "town": _("町字"),
        "banchi": _("番地"),
        "country": _("国名"),
    }
    needs = []
    if visit.new_address_in_city:
        needs.append((_("新住所"), visit.new_address, ("town", "banchi")))
    elif visit.moves_out:
        parts = ("country",) if visit.abroad else ("pref", "city")
        needs.append((_("転出先の住所"), visit.new_address, parts))
    if visit.moves_in:
        parts = ("country",) if visit.abroad else ("pref", "city")
        needs.append((_("前住所"), visit.old_address, parts))
    out = []
    for label, address, parts in needs:
        empty = _missing(address or {}, parts, labels)
        if empty:
            out.append(f"{label}（{'・'.join(empty)}）")
    return out


def print_state(visit) -> str:
    """「未印刷」, or that the answers changed after the last print, or "" when printed as is."""
    from counter.packet import packet_data
    from counter.services import packet_digest

    if not visit.people.exists():
        return _("異動する方が登録されていません")
    digests = set(visit.packets.values_list("digest", flat=True))
    if not digests:
        return _("申請書一式をまだ印刷していません")
    if packet_digest(packet_data(visit)) not in digests:
        return _("印刷のあとで内容が変わりました（印刷し直してください）")
    return ""


def open_items(visit) -> OpenItems:
    people = list(visit.people.select_related("resident"))
    by_key = {vp.key: vp for vp in people}
    results, _questions = navigate_visit(visit, people)
    checks = []
    for r in results:
        if r.status == "needs_check":
            r.key = result_key(r)
            r.person_obj = by_key.get(r.person)
            checks.append(r)
    return OpenItems(checks=checks, addresses=missing_addresses(visit), printing=print_state(visit))
