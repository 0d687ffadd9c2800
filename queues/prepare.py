"""Work done before the resident arrives: おくやみ予約 and the 転入予約 feed each open the visit,
fill what is known and print the packet, so the counter starts from a ready file."""

import logging
import re
from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import Office
from counter import services as counter_services
from counter.models import Visit, VisitPerson
from lib.text import halfwidth_input, unstorable
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


# More than a household: a notice listing more is a core system's error, not a family.
MAX_PEOPLE = 30
# The lengths the counter's own forms and the register's columns allow.
PERSON_LIMITS = {"name": 100, "name_kana": 100, "relation": 30, "nationality": 40}
ADDRESS_LIMITS = {"zip": 8, "pref": 10, "city": 30, "town": 60, "banchi": 60, "katagaki": 100,
                  "country": 40}  # fmt: skip


def _feed_date(value, where: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    text = halfwidth_input(expect_text(value, where, max_length=10)).strip()
    # 2026-12-01, or 2026/12/1 as Excel rewrites a date column it recognised.
    m = re.fullmatch(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})", text)
    try:
        return date(*map(int, m.groups())) if m else date.fromisoformat(text)
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
            if name == "zip" and re.fullmatch(r"\d{6}", out[name]):
                # 0900024 sent as a number, or through Excel, loses its leading zero.
                out[name] = "0" + out[name]
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
        "office": expect_text(item.get("来庁窓口") or "", "来庁窓口", max_length=60).strip(),
    }
    out["planned_date"] = _feed_date(item["来庁予定日"], "来庁予定日")
    out["event_date"] = _feed_date(item.get("異動年月日"), "異動年月日") or out["planned_date"]
    people = []
    listed = expect_list(item["世帯員"], "世帯員")
    if len(listed) > MAX_PEOPLE:
        raise FeedError(
            _("世帯員は %(max)s 人までです（%(n)s 人）。") % {"max": MAX_PEOPLE, "n": len(listed)}
        )
    for i, p in enumerate(listed, 1):
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


def resolve_office(value: str) -> Office:
    """The 来庁窓口 of a notice: an office's code or name; none given is the 本庁. A value that
    names no office is refused, so a resident expected at a 支所 is never prepared elsewhere."""
    if not value:
        office = Office.objects.filter(kind=Office.Kind.MAIN).order_by("pk").first()
        if office is None:
            raise FeedError(_("本庁が登録されていません。来庁窓口を指定してください。"))
        return office
    office = Office.objects.filter(code=value).first() or Office.objects.filter(name=value).first()
    if office is None:
        known = "、".join(f"{o.code}（{o.name}）" for o in Office.objects.order_by("pk"))
        raise FeedError(
            _("来庁窓口「%(value)s」は登録されていません（登録済み：%(known)s）。")
            % {"value": value, "known": known}
        )
    return office


def check_notice(item) -> dict:
    """parse_notice and the office it names: everything refused before anything is written."""
    data = parse_notice(item)
    data["office"] = resolve_office(data["office"])
    return data


def import_notices(items: list, *, by=None, print_packet=True, request=None) -> list[dict]:
    """A batch of notices, each independent: every notice is checked first (a refused one is
    reported and writes nothing), then each accepted one is written in its own transaction, so
    one failing leaves the others as they are. One result per notice, in order:
    {"予約番号", "status": created | updated | already_imported | conflict | error, "visit",
    "note", "message"}. The API and the import command both answer from these."""
    checked: list[tuple[int, object, dict | None, str]] = []
    first_of: dict[str, int] = {}
    for n, item in enumerate(items, 1):
        try:
            data = check_notice(item)
        except FeedError as e:
            checked.append((n, item, None, str(e)))
            continue
        if data["external_id"] in first_of:
            message = _("予約番号 %(id)s は %(first)s件目と重なっています。") % {
                "id": data["external_id"],
                "first": first_of[data["external_id"]],
            }
            checked.append((n, item, None, message))
            continue
        first_of[data["external_id"]] = n
        checked.append((n, item, data, ""))
    results = []
    for n, item, data, message in checked:
        if data is not None:
            try:
                r, status, message = _write_notice(
                    item, data, by=by, print_packet=print_packet, request=request
                )
            except FeedError as e:
                r, status, message = None, "error", str(e)
            except Exception:  # its transaction is rolled back; the others stand, as said
                log.exception("moving notice %s", data["external_id"])
                r, status = None, "error"
                message = _("取り込み中にエラーが起きました（記録済み）。もう一度送ってください。")
        else:
            r, status = None, "error"
        result = {"予約番号": r.external_id if r else _echo(item), "status": status}
        if r is not None and status != "conflict":
            result.update(visit=r.visit.number if r.visit_id else None, note=r.prepare_note)
        else:
            result["visit"] = None
        if message:
            result["message"] = _("%(n)s件目：%(e)s") % {"n": n, "e": message}
        results.append(result)
    return results


def _echo(item):
    """The refused notice's 予約番号 when it is one that can be sent back (no NUL, not huge)."""
    value = item.get("予約番号") if isinstance(item, dict) else None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value if abs(value) < 1e15 else None
    if isinstance(value, str) and len(value) <= 40 and not unstorable(value):
        return value
    return None


def import_notice(item, *, by=None, print_packet=True, request=None) -> tuple[Reservation, str]:
    """One notice: (reservation, "created" | "updated" | "already_imported"); FeedError when it
    is refused or conflicts with a visit already begun."""
    data = check_notice(item)
    r, status, message = _write_notice(
        item, data, by=by, print_packet=print_packet, request=request
    )
    if status == "conflict":
        raise FeedError(message)
    return r, status


def _write_notice(item, data, *, by, print_packet, request):
    # Two deliveries of a new 予約番号 at once: the loser's INSERT fails on the unique
    # external_id (its savepoint rolled back, nothing of it kept) and it is then an update.
    for _attempt in range(2):
        try:
            with transaction.atomic():
                return _import_or_update(
                    item, data, by=by, print_packet=print_packet, request=request
                )
        except IntegrityError:
            continue
    raise FeedError(_("同じ予約番号のお知らせを同時に受け取りました。もう一度送ってください。"))


def _import_or_update(item, data, *, by, print_packet, request):
    existing = (
        Reservation.objects.select_for_update().filter(external_id=data["external_id"]).first()
    )
    actor = by or _feed_user()  # the visit is opened by the importer or the feed's login
    if existing is None:
        r = Reservation.objects.create(
            kind=Reservation.Kind.TENNYU,
            office=data["office"],
            planned_date=data["planned_date"],
            name=data["people"][0]["name"],
            name_kana=data["people"][0].get("name_kana", ""),
            phone=data["phone"],
            details=item,
            external_id=data["external_id"],
        )
        _prepare_tennyu(r, data, actor, print_packet=print_packet, request=request)
        audit.record(
            actor,
            "reservation.feed_imported",
            visit_id=r.visit_id,
            request=request,
            reservation=r.pk,
            external_id=data["external_id"],
        )
        return r, "created", ""
    if _same_notice(existing.details, data):
        return existing, "already_imported", ""
    begun = existing.state == Reservation.State.ARRIVED or (
        existing.visit_id and existing.visit.is_locked
    )
    if (
        begun
        or existing.state == Reservation.State.CANCELLED
        or existing.kind != (Reservation.Kind.TENNYU)
    ):
        why = (
            _("予約は取り消されています")
            if existing.state == Reservation.State.CANCELLED
            else _("転入予約ではありません")
            if existing.kind != Reservation.Kind.TENNYU
            else _("住民の方が来庁済みで、窓口での手続きが始まっています")
        )
        audit.record(
            actor,
            "reservation.feed_conflict",
            visit_id=existing.visit_id,
            request=request,
            reservation=existing.pk,
            external_id=data["external_id"],
        )
        return (
            existing,
            "conflict",
            _("予約番号 %(id)s の変更は反映していません（%(why)s）。窓口で確認してください。")
            % {"id": data["external_id"], "why": why},
        )
    r = existing
    r.office, r.planned_date, r.phone, r.details = (
        data["office"],
        data["planned_date"],
        data["phone"],
        item,
    )
    r.name, r.name_kana = data["people"][0]["name"], data["people"][0].get("name_kana", "")
    r.save(update_fields=["office", "planned_date", "phone", "details", "name", "name_kana"])
    if r.visit_id:
        _revise_tennyu(r.visit, data, actor, request=request)
        r.prepare_note = _print(r.visit, actor, r) if print_packet else ""
        r.save(update_fields=["prepare_note"])
    else:
        _prepare_tennyu(r, data, actor, print_packet=print_packet, request=request)
    audit.record(
        actor,
        "reservation.feed_updated",
        visit_id=r.visit_id,
        request=request,
        reservation=r.pk,
        external_id=data["external_id"],
    )
    return r, "updated", ""


def _same_notice(details, data) -> bool:
    """A notice already imported, sent again unchanged (its items compared as parsed, so 20261
    and "20261" are the same 予約番号)."""
    try:
        before = check_notice(details)
    except FeedError:
        return False
    return before == data


def _prepare_tennyu(r: Reservation, data, actor, *, print_packet, request):
    """Open the 転入 visit with every person and the addresses, and print the packet."""
    visit = counter_services.start_visit(
        by=actor,
        office=data["office"],
        events=["tennyu"],
        event_date=data["event_date"],
        token=f"feed-{r.pk}",  # one visit per reservation, whatever the length of 予約番号
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


def _revise_tennyu(visit: Visit, data, actor, *, request):
    """A changed notice before the resident came: the prepared visit takes the new office,
    dates, people and addresses. Only the newcomers the feed added are touched."""
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    visit.office, visit.event_date = data["office"], data["event_date"]
    visit.save(update_fields=["office", "event_date"])
    people = list(visit.people.filter(resident__isnull=True).order_by("order", "id"))
    for i, person in enumerate(data["people"]):
        fields = {"nationality": "JP", "name_kana": "", "relation": "", **person}
        if i < len(people):
            counter_services.update_person(people[i], by=actor, applicant=(i == 0), **fields)
        else:
            counter_services.add_newcomer(visit, by=actor, data=fields)
    for person in people[len(data["people"]) :]:
        # The core system no longer lists this person: they leave the prepared visit.
        counter_services.remove_person(person, by=actor, request=request)
    counter_services.set_addresses(
        visit,
        by=actor,
        new_address=data["new_address"],
        old_address=data["old_address"],
        phone=data["phone"],
    )


def _feed_user():
    """Visits need an opener; announcements from the core system are opened by this login."""
    from django.contrib.auth.models import User

    user, _created = User.objects.get_or_create(
        username="tennyu-feed", defaults={"is_active": False}
    )
    return user
