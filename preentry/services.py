"""Every change to a pre-entry goes through these functions; the counter's side (opening the
visit) goes through counter.services, so a visit opened from a phone is made, numbered and
audited exactly as one typed at the counter."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from catalog.navigator import Case, Person, open_questions
from catalog.pack import default_pack
from counter import services as counter_services
from counter.models import Visit
from lib import kana, reference
from preentry.models import PreEntry, PreEntryPerson
from residents.models import Household, Resident
from residents.practice import in_practice

PREFIX = reference.PREENTRY_PREFIX
# What the phone may choose: a move into the city, whose people are not in the register yet;
# a move within the city and a birth, whose people (but the newborn) the register has, so the
# counter opens them on the register's household. (転出 starts from the register at the counter.)
EVENTS = ("tennyu", "tennyu_abroad", "tenkyo", "birth")
MOVES_IN = ("tennyu", "tennyu_abroad")
# Facts the phone never asks: the counter decides them (who moves, who is at the counter).
NOT_ASKED = {"role", "applicant", "moving", "birth_date", "sex", "relation", "nationality"}


class PreEntryRefused(Exception):
    """The code cannot open a visit; str() is the Japanese message for the clerk."""


def display_code(pre: PreEntry) -> str:
    return reference.display(PREFIX, pre.code)


def create(*, easy: bool = False) -> PreEntry:
    now = timezone.now()
    for _attempt in range(5):
        code = reference.new(PREFIX)
        if not PreEntry.objects.filter(code=code).exists():
            break
    return PreEntry.objects.create(
        code=code,
        edit_token=secrets.token_urlsafe(32),
        expires_at=now + timedelta(days=settings.PREENTRY_DAYS),
        easy=easy,
    )


def _check_editable(pre: PreEntry):
    if pre.used or pre.expired:
        raise PreEntryRefused(_("この事前入力は変更できません。"))


def save_move(pre: PreEntry, **fields) -> PreEntry:
    _check_editable(pre)
    for name, value in fields.items():
        setattr(pre, name, value)
    pre.save(update_fields=list(fields))
    return pre


def add_person(pre: PreEntry, **fields) -> PreEntryPerson:
    _check_editable(pre)
    n = pre.people.count()
    return PreEntryPerson.objects.create(pre_entry=pre, order=n, **fields)


def remove_person(pre: PreEntry, person_id: int) -> None:
    _check_editable(pre)
    pre.people.filter(pk=person_id).delete()


def set_easy(pre: PreEntry, easy: bool) -> None:
    pre.easy = easy
    pre.save(update_fields=["easy"])


def in_register(pre: PreEntry) -> bool:
    """A 転居 or 出生: its people (all but the newborn) are residents of the city already."""
    return bool(pre.events) and not any(e in MOVES_IN for e in pre.events)


def is_newborn(pre: PreEntry, p: PreEntryPerson) -> bool:
    """In a birth's pre-entry, the child is the one born on the day of the event (twins too)."""
    return "birth" in pre.events and p.birth_date == pre.event_date


def _role(pre, p) -> str:
    return "newborn" if is_newborn(pre, p) else "member"


def case_for(pre: PreEntry, people=None) -> Case:
    """The navigator's case as the phone knows it: everyone entered moves (in a birth nobody
    moves and the child born that day is the newborn), the first other person is the one who
    comes to the counter; answers of わからない stay unknown."""
    people = list(pre.people.all()) if people is None else people
    moves = "birth" not in pre.events
    applicant = next((p for p in people if not is_newborn(pre, p)), None)
    return Case(
        events=list(pre.events),
        date=pre.event_date or timezone.localdate(),
        household={k: v for k, v in pre.household_facts.items() if v is not None},
        people=[
            Person(
                id=p.key,
                facts={
                    **{k: v for k, v in p.facts.items() if v is not None},
                    "birth_date": p.birth_date,
                    "sex": p.sex,
                    "relation": p.relation,
                    "nationality": "JP" if p.nationality == "JP" else "foreign",
                    "role": _role(pre, p),
                    "moving": moves,
                    "applicant": p is applicant,
                },
            )
            for p in people
        ],
    )


def questions(pre: PreEntry, people=None):
    """The interview's open questions that the resident has not answered yet (not even with
    わからない), in the counter's order: the catalog decides what can matter."""
    people = list(pre.people.all()) if people is None else people
    by_key = {p.key: p for p in people}
    out = []
    for q in open_questions(default_pack(), case_for(pre, people)):
        if q.fact in NOT_ASKED:
            continue
        answers = by_key[q.person].facts if q.person else pre.household_facts
        if q.fact not in answers:
            out.append(q)
    return out


@transaction.atomic
def record_answers(pre: PreEntry, answers: dict) -> None:
    """`answers`: {(person key or None, fact id): value (None = わからない)}."""
    pre = PreEntry.objects.select_for_update().get(pk=pre.pk)
    _check_editable(pre)
    people = {p.key: p for p in pre.people.all()}
    household = dict(pre.household_facts)
    for (key, fact), value in answers.items():
        if key is None:
            household[fact] = value
        elif key in people:
            people[key].facts = {**people[key].facts, fact: value}
    for p in people.values():
        p.save(update_fields=["facts"])
    pre.household_facts = household
    pre.save(update_fields=["household_facts"])


def submit(pre: PreEntry) -> PreEntry:
    _check_editable(pre)
    if not pre.submitted_at:
        pre.submitted_at = timezone.now()
        pre.save(update_fields=["submitted_at"])
    return pre


def find(text: str) -> PreEntry:
    """The pre-entry a scanned or typed code names; PreEntryRefused with the reason when the
    text is no code, names nothing, or names one that cannot be opened any more."""
    code = reference.parse(PREFIX, text)
    if code is None:
        raise PreEntryRefused(
            _(
                "事前入力コードとして読み取れません。コードは「JZ-」で始まる英数字です。"
                "読み取り直すか、画面のコードを手で入力してください。"
            )
        )
    pre = PreEntry.objects.filter(code=code).select_related("visit").first()
    if pre is None:
        raise PreEntryRefused(
            _(
                "この事前入力コードは見つかりません。入力の誤りか、期限切れで削除されたものです。"
                "コードを確かめるか、窓口で聞き取りをしてください。"
            )
        )
    if pre.used:
        return pre
    if pre.expired:
        raise PreEntryRefused(
            _(
                "この事前入力は有効期限（%(date)s）が切れています。"
                "お手数ですが、窓口で聞き取りをしてください。"
            )
            % {"date": _wareki(timezone.localtime(pre.expires_at).date())}
        )
    if not pre.submitted_at or not pre.people.exists():
        raise PreEntryRefused(
            _(
                "この事前入力はまだ最後まで入力されていません。スマートフォンで"
                "「入力を終える」まで進めてもらうか、窓口で聞き取りをしてください。"
            )
        )
    return pre


def _wareki(d):
    from lib.wareki import to_wareki

    return to_wareki(d)


def register_household(pre: PreEntry, people=None) -> tuple[Household | None, dict]:
    """The register's household of a 転居 or 出生: each person entered (but the newborn) found
    as exactly one resident by reading and birth date, all in one household. (None, {}) when
    any is not found or they are in several households: the clerk then searches."""
    people = list(pre.people.all()) if people is None else people
    matched = {}
    for p in people:
        if is_newborn(pre, p):
            continue
        reading = _reading(p.name_kana)
        hits = [
            r
            for r in Resident.objects.filter(birth_date=p.birth_date)
            if reading and _reading(r.name_kana) == reading
        ]
        if len(hits) != 1:
            return None, {}
        matched[p.pk] = hits[0]
    households = {r.household_id for r in matched.values()}
    if len(households) != 1:
        return None, {}
    return Household.objects.get(pk=households.pop()), matched


def _reading(kana_text: str) -> str:
    return kana.to_katakana("".join(kana_text.split()))


def _record_facts(visit, vp, facts, *, by, request):
    for fact, value in facts.items():
        if value is not None:  # わからない: the counter asks it again
            counter_services.record_answer(
                visit, by=by, fact=fact, value=value, person=vp, request=request
            )


def _open_on_register(pre: PreEntry, people, *, by, office, request) -> Visit:
    """A 転居 or 出生: the visit of the register's household, its movers (転居) those entered,
    the newborn added as a newcomer, the answers on the residents they belong to."""
    household, matched = register_household(pre, people)
    if household is None:
        raise PreEntryRefused(
            _(
                "入力された方が、住民記録の1つの世帯に見つかりません（氏名のふりがなと生年月日で"
                "照合します）。検索から世帯を開いて受付し、入力内容はお客様の画面で確かめてください。"
            )
        )
    visit = counter_services.start_visit(
        by=by,
        office=office,
        events=pre.events,
        event_date=pre.event_date,
        household=household,
        token=f"preentry:{pre.pk}",
        request=request,
    )
    addresses = {"new_address": dict(pre.new_address)} if pre.new_address else {}
    if pre.phone:
        addresses["phone"] = pre.phone
    if addresses:
        counter_services.set_addresses(visit, by=by, request=request, **addresses)
    by_resident = {vp.resident_id: vp for vp in visit.people.all()}
    entered = {r.pk for r in matched.values()}
    applicant = None
    for p in people:
        if is_newborn(pre, p):
            vp = counter_services.add_newcomer(
                visit,
                by=by,
                data={**_person_data(p), "role": "newborn"},
                token=f"preentry:{pre.pk}:{p.pk}",
                request=request,
            )
        else:
            vp = by_resident[matched[p.pk].pk]
            applicant = applicant or vp
        _record_facts(visit, vp, p.facts, by=by, request=request)
    for resident_id, vp in by_resident.items():
        if vp.moving and resident_id not in entered:
            # Only those the resident entered move; the rest of the household stays.
            counter_services.update_person(vp, by=by, request=request, moving=False)
    if applicant is not None and not applicant.applicant:
        counter_services.update_person(applicant, by=by, request=request, applicant=True)
    return visit


def _person_data(p: PreEntryPerson) -> dict:
    return {
        "name": p.name,
        "name_kana": p.name_kana,
        "birth_date": p.birth_date,
        "sex": p.sex,
        "relation": p.relation,
        "nationality": p.nationality,
    }


@transaction.atomic
def open_visit(pre: PreEntry, *, by, office, request=None) -> tuple[Visit, bool]:
    """The visit this pre-entry fills, made once: (visit, created). The row lock and the visit's
    start token make a double scan, a double click or two counters at once open one visit."""
    if in_practice():
        # 練習モード: a resident's real pre-entry is never used up by a practice visit.
        raise PreEntryRefused(
            _("練習中は事前入力から来庁を開けません。練習を終えてから読み取ってください。")
        )
    pre = PreEntry.objects.select_for_update().get(pk=pre.pk)
    if pre.visit_id:
        audit.record(by, "preentry.reopened", visit_id=pre.visit_id, request=request)
        return pre.visit, False
    if pre.expired:
        raise PreEntryRefused(_("この事前入力は有効期限が切れています。"))
    people = list(pre.people.all())
    if in_register(pre):
        visit = _open_on_register(pre, people, by=by, office=office, request=request)
    else:
        visit = _open_newcomers(pre, people, by=by, office=office, request=request)
    for fact, value in pre.household_facts.items():
        if value is not None:
            counter_services.record_answer(visit, by=by, fact=fact, value=value, request=request)
    pre.visit, pre.used_at, pre.used_by = visit, timezone.now(), by
    # The data now lives in the visit, guarded as every visit is: none is kept twice.
    pre.new_address, pre.old_address, pre.phone, pre.household_facts = {}, {}, "", {}
    pre.save()
    pre.people.all().delete()
    audit.record(by, "preentry.opened", visit_id=visit.id, request=request, people=len(people))
    return visit, True


def _open_newcomers(pre: PreEntry, people, *, by, office, request) -> Visit:
    """A 転入: a new visit whose people are all newcomers, as the resident entered them."""
    visit = counter_services.start_visit(
        by=by,
        office=office,
        events=pre.events,
        event_date=pre.event_date,
        token=f"preentry:{pre.pk}",
        request=request,
    )
    counter_services.set_addresses(
        visit,
        by=by,
        request=request,
        new_address=dict(pre.new_address),
        old_address=dict(pre.old_address),
        phone=pre.phone,
    )
    for p in people:
        vp = counter_services.add_newcomer(
            visit, by=by, data=_person_data(p), token=f"preentry:{pre.pk}:{p.pk}", request=request
        )
        _record_facts(visit, vp, p.facts, by=by, request=request)
    return visit


def purge(now=None) -> int:
    """Delete the pre-entries past their date that nobody brought to the counter."""
    count, _detail = PreEntry.objects.expired(now).delete()
    return count
