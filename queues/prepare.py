"""Work done before the resident arrives: おくやみ予約 and the 転入予約 feed each open the visit,
fill what is known and print the packet, so the counter starts from a ready file."""

import logging
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import Office
from counter import services as counter_services
from counter.models import VisitPerson
from madoguchi.inputs import (
    BadInput,
    expect_list,
    expect_object,
    expect_text,
    refuse_unstorable_json,
)
from queues.models import Reservation
from residents.models import Resident
from residents.search import EmptyQuery

log = logging.getLogger(__name__)


def _date(value) -> date | None:
    if isinstance(value, date) or not value:
        return value or None
    return date.fromisoformat(str(value).replace("/", "-"))


def find_deceased(deceased: dict) -> list[Resident]:
    """Register residents matching the deceased's reading (or name) and birth date."""
    birth = _date(deceased.get("birth_date"))
    hits = []
    for key in (deceased.get("name_kana"), deceased.get("name")):
        if not key:
            continue
        try:
            qs = Resident.objects.matching(key).select_related("household")
        except (EmptyQuery, ValueError):
            continue
        hits = [r for r in qs[:50] if birth is None or r.birth_date == birth]
        if hits:
            break
    return hits


def _print(visit, by, reservation) -> str:
    try:
        counter_services.print_packet(visit, by=by)
    except Exception as e:  # the visit stays prepared; the clerk prints at the counter
        log.exception("packet for reservation %s", reservation.pk)
        return _("申請書の事前印刷に失敗しました（%(e)s）。窓口で印刷してください。") % {
            "e": type(e).__name__
        }
    return ""


@transaction.atomic
def prepare_okuyami(
    reservation: Reservation, *, by, office=None, print_packet=True, request=None
) -> Reservation:
    """Find the deceased's household, open the death visit with the deceased and the applicant
    marked, and print the packet. Nothing found: the note says why, the clerk searches by hand."""
    r = Reservation.objects.select_for_update().get(pk=reservation.pk)
    if r.visit_id:
        return r
    deceased = r.details.get("deceased", {})
    applicant = r.details.get("applicant", {})
    hits = find_deceased(deceased)
    households = {h.household_id for h in hits}
    if len(households) != 1:
        r.prepare_note = (
            _("亡くなった方が住民記録に見つかりません。窓口で検索してください。")
            if not hits
            else _("該当する方が複数います（%(n)s 人）。窓口で確認してください。")
            % {"n": len(hits)}
        )
        r.save(update_fields=["prepare_note"])
        return r
    person = hits[0]
    visit = counter_services.start_visit(
        by=by,
        office=office or r.office,
        events=["death"],
        event_date=_date(deceased.get("death_date")) or r.planned_date,
        household=person.household,
        token=f"reservation-{r.pk}",
        request=request,
    )
    for vp in visit.people.select_related("resident"):
        if vp.resident_id == person.pk:
            counter_services.update_person(
                vp, by=by, role=VisitPerson.Role.DECEASED, applicant=False, moving=False
            )
        elif applicant.get("name") and vp.resident.name.replace("　", "") == applicant[
            "name"
        ].replace("　", "").replace(" ", ""):
            counter_services.update_person(vp, by=by, applicant=True)
    if applicant.get("phone"):
        counter_services.set_addresses(visit, by=by, phone=applicant["phone"])
    r.visit = visit
    r.state = Reservation.State.PREPARED
    r.prepare_note = _print(visit, by, r) if print_packet else ""
    r.save(update_fields=["visit", "state", "prepare_note"])
    audit.record(
        by,
        "reservation.prepared",
        visit_id=visit.id,
        resident_id=person.pk,
        request=request,
        reservation=r.pk,
    )
    return r


# -- 転入予約 feed ------------------------------------------------------------------------------
# Item names follow the 住民記録システム標準仕様 (so that mapping a core system's export is a
# table); docs/queue.md lists them with the CSV layout.

NOTICE_ITEMS = {
    "予約番号": "external_id",
    "来庁予定日": "planned_date",
    "異動年月日": "event_date",
    "電話番号": "phone",
    "来庁窓口": "office",
}
ADDRESS_ITEMS = {
    "郵便番号": "zip",
    "都道府県": "pref",
    "市区町村": "city",
    "町字": "town",
    "番地": "banchi",
    "方書": "katagaki",
    "国名": "country",
}
PERSON_ITEMS = {
    "氏名": "name",
    "氏名フリガナ": "name_kana",
    "生年月日": "birth_date",
    "性別": "sex",
    "続柄": "relation",
    "国籍": "nationality",
}
SEX = {"1": "1", "2": "2", "男": "1", "女": "2", "9": "9", "0": "0"}


class FeedError(BadInput):
    """A notice refused; str(e) says which item and why, in Japanese."""


# The lengths the counter's own forms and the register's columns allow.
PERSON_LIMITS = {"name": 100, "name_kana": 100, "relation": 30, "nationality": 40}
ADDRESS_LIMITS = {"zip": 8, "pref": 10, "city": 30, "town": 60, "banchi": 60, "katagaki": 100,
                  "country": 40}  # fmt: skip


def _feed_date(value, where: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    text = expect_text(value, where, max_length=10)
    try:
        return date.fromisoformat(text.replace("/", "-"))
    except ValueError:
        raise BadInput(
            _("%(where)s は YYYY-MM-DD の日付で指定してください。") % {"where": where}
        ) from None


def _address(value, where: str) -> dict:
    if value in (None, ""):
        return {}
    d = expect_object(value, where)
    out = {}
    for k, v in d.items():
        if k in ADDRESS_ITEMS and v not in (None, ""):
            name = ADDRESS_ITEMS[k]
            out[name] = expect_text(
                v, f"{where}の{k}", max_length=ADDRESS_LIMITS[name], numbers=True
            ).strip()
    return out


def parse_notice(item) -> dict:
    """One announcement in the standard item names → the fields prepare_tennyu needs; FeedError
    (naming the item) for a missing item, a wrong shape, a date that is not one, a text too
    long or a character no database stores."""
    try:
        return _parse_notice(item)
    except FeedError:
        raise
    except BadInput as e:
        raise FeedError(str(e)) from None


def _parse_notice(item) -> dict:
    item = expect_object(item, _("お知らせ"))
    refuse_unstorable_json(item, _("お知らせ"))  # kept as it came, in Reservation.details
    missing = [k for k in ("予約番号", "来庁予定日", "世帯員") if item.get(k) in (None, "", [])]
    if missing:
        raise FeedError(_("項目がありません：%(items)s") % {"items": "、".join(missing)})
    out = {
        "external_id": expect_text(item["予約番号"], "予約番号", max_length=40, numbers=True),
        "phone": expect_text(item.get("電話番号") or "", "電話番号", max_length=20, numbers=True),
        "office": expect_text(item.get("来庁窓口") or "", "来庁窓口", max_length=50),
    }
    out["planned_date"] = _feed_date(item["来庁予定日"], "来庁予定日")
    out["event_date"] = _feed_date(item.get("異動年月日"), "異動年月日") or out["planned_date"]
    people = []
    for i, p in enumerate(expect_list(item["世帯員"], "世帯員"), 1):
        where = _("世帯員の%(n)s人目") % {"n": i}
        p = expect_object(p, where)
        person = {}
        for k, v in PERSON_ITEMS.items():
            if p.get(k) in (None, ""):
                continue
            label = f"{where}の{k}"
            if v == "birth_date":
                person[v] = _feed_date(p[k], label)
            elif v == "sex":
                sex = expect_text(p[k], label, max_length=2, numbers=True).strip()
                person[v] = SEX.get(sex, "")
            else:
                person[v] = expect_text(p[k], label, max_length=PERSON_LIMITS[v]).strip()
        if not person.get("name"):
            raise FeedError(_("%(where)sの氏名がありません。") % {"where": where})
        person.setdefault("birth_date", None)
        person.setdefault("sex", "")
        people.append(person)
    out["people"] = people
    out["old_address"] = _address(item.get("転出元住所"), "転出元住所")
    out["new_address"] = _address(item.get("転入先住所"), "転入先住所")
    return out


def rows_to_notices(rows) -> list[dict]:
    """CSV rows (one per person, the notice's items repeated) → notices grouped by 予約番号."""
    notices: dict[str, dict] = {}
    for row in rows:
        row = {k.strip(): (v or "").strip() for k, v in row.items() if k}
        n = notices.setdefault(
            row.get("予約番号", ""),
            {
                **{k: row.get(k, "") for k in NOTICE_ITEMS},
                "転出元住所": {k: row.get(f"転出元{k}", "") for k in ADDRESS_ITEMS},
                "転入先住所": {k: row.get(f"転入先{k}", "") for k in ADDRESS_ITEMS},
                "世帯員": [],
            },
        )
        n["世帯員"].append({k: row.get(k, "") for k in PERSON_ITEMS})
    return list(notices.values())


@transaction.atomic
def import_notice(
    item: dict, *, by=None, print_packet=True, request=None
) -> tuple[Reservation, bool]:
    """(reservation, created). An announcement already imported is returned as it is."""
    data = parse_notice(item)
    existing = Reservation.objects.filter(external_id=data["external_id"]).first()
    if existing:
        return existing, False
    office = (
        Office.objects.filter(code=data["office"]).first() if data["office"] else None
    ) or Office.objects.filter(kind=Office.Kind.MAIN).order_by("pk").first()
    if office is None:
        raise FeedError(_("来庁窓口が見つかりません。"))
    head = data["people"][0]
    r = Reservation.objects.create(
        kind=Reservation.Kind.TENNYU,
        office=office,
        planned_date=data["planned_date"],
        name=head["name"],
        name_kana=head.get("name_kana", ""),
        phone=data["phone"],
        details=item,
        external_id=data["external_id"],
    )
    # The visit is opened by the staff member (or the feed's system user) that imported it.
    actor = by or _feed_user()
    visit = counter_services.start_visit(
        by=actor,
        office=office,
        events=["tennyu"],
        event_date=data["event_date"],
        token=f"feed-{data['external_id']}"[:40],
        request=request,
    )
    for person in data["people"]:  # the first is the 届出人, as add_newcomer makes it
        counter_services.add_newcomer(visit, by=actor, data=dict(person))
    fields = {k: data[k] for k in ("new_address", "old_address", "phone") if data[k]}
    if fields:
        counter_services.set_addresses(visit, by=actor, **fields)
    r.visit = visit
    r.state = Reservation.State.PREPARED
    r.prepare_note = _print(visit, actor, r) if print_packet else ""
    r.save(update_fields=["visit", "state", "prepare_note"])
    audit.record(
        actor,
        "reservation.feed_imported",
        visit_id=visit.id,
        request=request,
        reservation=r.pk,
        external_id=data["external_id"],
    )
    return r, True


def _feed_user():
    """Visits need an opener; announcements from the core system are opened by this login."""
    from django.contrib.auth.models import User

    user, _created = User.objects.get_or_create(
        username="tennyu-feed", defaults={"is_active": False}
    )
    return user
