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
from lib import reference
from preentry.models import PreEntry, PreEntryPerson
from residents.practice import in_practice

PREFIX = reference.PREENTRY_PREFIX
# What the phone may choose: a move into the city, whose people are not in the register yet.
# (転居・転出 start from the register's household at the counter.)
EVENTS = ("tennyu", "tennyu_abroad")
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


def case_for(pre: PreEntry, people=None) -> Case:
    """The navigator's case as the phone knows it: everyone entered moves in, the first
    person is the one who comes to the counter; answers of わからない stay unknown."""
    people = list(pre.people.all()) if people is None else people
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
                    "role": "member",
                    "moving": True,
                    "applicant": i == 0,
                },
            )
            for i, p in enumerate(people)
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
            visit,
            by=by,
            data={
                "name": p.name,
                "name_kana": p.name_kana,
                "birth_date": p.birth_date,
                "sex": p.sex,
                "relation": p.relation,
                "nationality": p.nationality,
            },
            token=f"preentry:{pre.pk}:{p.pk}",
            request=request,
        )
        for fact, value in p.facts.items():
            if value is not None:  # わからない: the counter asks it again
                counter_services.record_answer(
                    visit, by=by, fact=fact, value=value, person=vp, request=request
                )
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


def purge(now=None) -> int:
    """Delete the pre-entries past their date that nobody brought to the counter."""
    count, _detail = PreEntry.objects.expired(now).delete()
    return count
