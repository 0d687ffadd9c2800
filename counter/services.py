"""Every change a counter makes goes through one of these functions: the database change
and the audit entry together. Views never save visits directly."""

import hashlib
import hmac
import json
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from accounts import audit
from catalog.pack import default_pack
from counter import approach
from counter.models import Answer, FormFill, Packet, Visit, VisitPerson, VisitStatusChange
from counter.search import NEWCOMER_WINDOW
from counter.signals import training_visit_accepted, visit_accepted
from residents import occupancy
from residents.models import Household
from residents.practice import in_practice


class VisitLocked(Exception):
    """An accepted visit is not changed any more; a new visit is opened instead."""


class StaleEdit(Exception):
    """Another clerk saved the same field since this screen showed it; `changes` are
    (field, value this screen saw, value now stored)."""

    def __init__(self, changes):
        self.changes = changes
        lines = "、".join(
            _("%(field)s：「%(seen)s」→「%(now)s」")
            % {"field": _field_label(k), "seen": seen, "now": now}
            for k, seen, now in changes
        )
        super().__init__(
            _(
                "他の職員が先に変更しています（%(lines)s）。あなたの入力は保存していません。"
                "画面を確認して、もう一度入力してください。"
            )
            % {"lines": lines}
        )


FIELD_LABELS = {
    "new_address": _l("新住所"),
    "old_address": _l("旧住所"),
    "phone": _l("電話番号"),
    "zip": _l("郵便番号"),
    "pref": _l("都道府県"),
    "city": _l("市区町村"),
    "town": _l("町字"),
    "banchi": _l("番地"),
    "katagaki": _l("方書"),
    "country": _l("国名"),
    "text": _l("国外の住所"),
}


def _field_label(key: str) -> str:
    return "・".join(str(FIELD_LABELS.get(part, part)) for part in key.split("."))


class NeedsReason(ValueError):
    """A cancellation or a reopening says why (the audit log and the visit show it)."""


def _check_open(visit: Visit):
    if visit.is_cancelled:
        raise VisitLocked(_("この来庁は取り消されたため変更できません。"))
    if visit.is_locked:
        raise VisitLocked(_("この来庁は受付済みのため変更できません。"))


def _next_number(office, today: date) -> str:
    # A training visit's number starts with T: numbers are unique across both registers,
    # and a trainee's number is never taken for a real one.
    mark = "T" if in_practice() else ""
    prefix = f"{mark}{today:%Y%m%d}-{office.code.upper()[:3]}-"
    last = (
        Visit.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{seq:03d}"


@transaction.atomic
def start_visit(
    *,
    by,
    office,
    events,
    event_date,
    household: Household | None = None,
    token: str | None = None,
    request=None,
    joins: bool = False,
) -> Visit:
    """Open a visit; a repeated submission of the same start form returns the first visit.

    A 転入 started from a registered household (or a 転居 with `joins`) moves people into
    that household: its address is the new address, it is not a new dwelling, and its
    residents stay where they are (only the newcomers added next move)."""
    if token:
        existing = Visit.objects.filter(start_token=token).first()
        if existing:
            return existing
    twin = _untouched_twin(by, office, events, event_date, household)
    if twin is not None:
        return twin
    today = timezone.localdate()
    visit = Visit(
        number=_next_number(office, today),
        office=office,
        created_by=by,
        events=list(events),
        event_date=event_date,
        household=household,
        pack_version=default_pack().version,
        start_token=token or None,
    )
    joining = household is not None and (joins or visit.moves_in)
    if household is not None:
        leaves = visit.leaves_address and not joining
        visit.old_address = household.as_address() if leaves else {}
        visit.phone = household.phone
    if joining:
        visit.new_address = household.as_address()
        visit.household_facts = {"new_dwelling": False}
    for _attempt in range(5):
        try:
            with transaction.atomic():
                visit.save()
            break
        except IntegrityError:
            # Either the same form raced past the check above (the other submission won),
            # or another counter took this number at the same moment: take the next one.
            if token and (existing := Visit.objects.filter(start_token=token).first()):
                return existing
            visit.pk = None
            visit.number = _next_number(office, today)
    else:
        raise RuntimeError("could not allocate a visit number")
    if household is not None:
        members = household.members()
        # For a move the whole household is marked and the clerk unmarks who stays; for
        # other events nobody moves until marked.
        moves = visit.moves and not joining
        for i, r in enumerate(members):
            VisitPerson.objects.create(
                visit=visit,
                key=f"p{i + 1}",
                resident=r,
                order=i,
                applicant=(i == 0),
                moving=moves,
            )
        audit.record_many(
            by,
            "visit.household_opened",
            [r.id for r in members],
            request=request,
            visit=visit.number,
        )
    if joining:
        # Said by the household's choice, not asked: a history row like any answer.
        Answer.objects.create(visit=visit, fact=DWELLING, value=False, by=by, derived=True)
    # Joining a household is moving to its dwelling, which another (protected) household may
    # share: the entry is the approach's then (counter.approach).
    approach.record(
        by,
        visit,
        "visit.started",
        before=None,
        request=request,
        events=list(events),
        **({"joins_household": True} if joining else {}),
    )
    return visit


TWIN_WINDOW = 30 * 60  # seconds: a back-then-resubmit comes within minutes


def _untouched_twin(by, office, events, event_date, household) -> Visit | None:
    """The same clerk's visit just opened with the same start form and nothing done since.

    The start token covers a resubmission of the same page; when the browser reloads the form
    on 戻る (a new token), this keeps the second submission from opening a second empty visit.
    Reusing it loses nothing: nothing was entered in it."""
    since = timezone.now() - timedelta(seconds=TWIN_WINDOW)
    candidates = Visit.objects.filter(
        created_by=by,
        office=office,
        household=household,
        event_date=event_date,
        status=Visit.Status.DRAFT,
        created_at__gte=since,
    ).order_by("-created_at")[:3]
    for visit in candidates:
        if sorted(visit.events) == sorted(events) and _untouched(visit):
            return visit
    return None


def _untouched(visit: Visit) -> bool:
    # The answers start_visit and settle_dwelling write are not the clerk's work.
    return not (
        visit.answers.exclude(derived=True).exists()
        or visit.people.filter(resident__isnull=True).exists()
        or visit.packets.exists()
        or visit.signatures.exists()
        or visit.new_address != (visit.household.as_address() if _joined(visit) else {})
    )


def _joined(visit: Visit) -> bool:
    return visit.household_id is not None and visit.household_facts.get("new_dwelling") is False


@transaction.atomic
def add_newcomer(
    visit: Visit, *, by, data: dict, token: str | None = None, request=None
) -> VisitPerson:
    """A person not in the register (転入). Repeating the same add form adds nobody twice."""
    _check_open(visit)
    if token:
        existing = VisitPerson.objects.filter(add_token=token).first()
        if existing:
            return existing
    n = visit.people.count()
    keys = set(visit.people.values_list("key", flat=True))
    key = next(f"p{i}" for i in range(n + 1, n + 100) if f"p{i}" not in keys)
    data.setdefault("moving", visit.moves)
    vp = VisitPerson.objects.create(
        visit=visit, key=key, order=n, applicant=(n == 0), add_token=token or None, **data
    )
    if _keep_applicant_living(visit):
        vp.refresh_from_db(fields=["applicant"])
    audit.record(by, "visit.person_added", visit_id=visit.id, request=request, person=key)
    return vp


@transaction.atomic
def update_person(vp: VisitPerson, *, by, request=None, **fields) -> VisitPerson:
    _check_open(vp.visit)
    if fields.get("applicant"):
        # Exactly one 届出人 per visit.
        vp.visit.people.exclude(pk=vp.pk).update(applicant=False)
    if vp.mynumber_enc and any(
        k in fields and fields[k] != getattr(vp, k) for k in ("birth_date", "sex")
    ):
        # No longer the person whose card was read: the card's 個人番号 is not theirs.
        fields["mynumber_enc"] = ""
    for name, value in fields.items():
        setattr(vp, name, value)
    vp.save(update_fields=list(fields))
    heir = _keep_applicant_living(vp.visit)
    audit.record(
        by,
        "visit.person_changed",
        visit_id=vp.visit_id,
        resident_id=vp.resident_id,
        request=request,
        person=vp.key,
        fields=sorted(fields),
        **({"applicant_now": heir.key} if heir else {}),
    )
    if heir is not None:
        vp.refresh_from_db(fields=["applicant"])
    return vp


@transaction.atomic
def remove_person(vp: VisitPerson, *, by, request=None) -> None:
    """Take a person off the visit (added by mistake, twice, or not coming after all). Their
    answers go with them; the 届出人 mark passes to the first remaining person."""
    visit = Visit.objects.select_for_update().get(pk=vp.visit_id)
    _check_open(visit)
    if visit.was_accepted:
        # A reopened visit: the departments may hold tasks naming this person.
        raise VisitLocked(
            _(
                "受付済みになったことのある来庁からは、人を削除できません。異動の対象から外してください。"
            )
        )
    was_applicant = vp.applicant
    key, resident_id = vp.key, vp.resident_id
    vp.delete()
    if was_applicant:
        gone = (VisitPerson.Role.DECEASED, VisitPerson.Role.NEWBORN)
        heir = next((p for p in visit.people.all() if p.role not in gone), None)
        if heir is not None:
            visit.people.filter(pk=heir.pk).update(applicant=True)
    audit.record(
        by,
        "visit.person_removed",
        visit_id=visit.id,
        resident_id=resident_id,
        request=request,
        person=key,
    )


def _keep_applicant_living(visit: Visit) -> VisitPerson | None:
    """The deceased is never the 届出人 (申請者 on every form): when the mark is on the
    deceased, it goes to the first living member who is not the newborn. Returns who got it."""
    people = list(visit.people.all())
    marked = next((p for p in people if p.applicant), None)
    if marked is None or marked.role != VisitPerson.Role.DECEASED:
        return None
    gone = (VisitPerson.Role.DECEASED, VisitPerson.Role.NEWBORN)
    heir = next((p for p in people if p.role not in gone), None)
    visit.people.filter(pk=marked.pk).update(applicant=False)
    if heir is not None:
        visit.people.filter(pk=heir.pk).update(applicant=True)
    return heir


@transaction.atomic
def record_answer(
    visit: Visit,
    *,
    by,
    fact: str,
    value,
    person: VisitPerson | None = None,
    request=None,
    unanswered: bool = False,
) -> Answer:
    """Save one interview answer the moment it is given (None = わからない). With `unanswered`,
    an answer someone else gave since the screen showed the question is refused (StaleEdit)."""
    # Merge into the stored row, locked, not into the caller's copy: two quick clicks (or two
    # clerks) answering different facts must both be kept.
    fresh_visit = Visit.objects.select_for_update().get(pk=visit.pk)
    _check_open(fresh_visit)
    if unanswered:
        stored = (
            VisitPerson.objects.select_for_update().get(pk=person.pk).facts
            if person
            else fresh_visit.household_facts
        )
        if fact in stored:
            f = default_pack().facts[fact]
            who = person.display_name if person else _("世帯")
            raise StaleEdit([(f"{who}の{f.label}", _("未回答"), f.display(stored[fact]))])
    answer = Answer.objects.create(visit=visit, person=person, fact=fact, value=value, by=by)
    _store_facts(visit, fresh_visit, person, lambda facts: {**facts, fact: value})
    audit.record(
        by,
        "visit.answered",
        visit_id=visit.id,
        request=request,
        resident_id=person.resident_id if person else None,
        fact=fact,
    )
    return answer


def _store_facts(visit, fresh_visit, person, change) -> None:
    """The household's or the person's facts changed by `change` on the locked stored row, and
    the caller's copies made the same."""
    if person is None:
        fresh_visit.household_facts = change(fresh_visit.household_facts)
        fresh_visit.save(update_fields=["household_facts"])
        visit.household_facts = fresh_visit.household_facts
    else:
        fresh = VisitPerson.objects.select_for_update().get(pk=person.pk)
        fresh.facts = change(fresh.facts)
        fresh.save(update_fields=["facts"])
        person.facts = fresh.facts


@transaction.atomic
def withdraw_answer(
    visit: Visit, *, by, fact: str, seen, person: VisitPerson | None = None, request=None
) -> Answer | None:
    """「変更」: take back an answer given at this visit, so its question is open again (the
    navigator then decides the procedures without it). `seen` is the answer the screen
    showed: if someone else answered differently since, StaleEdit names the change and
    nothing is withdrawn. An answer already withdrawn (a double click, or the other clerk
    did it) is left as it is: None, no history row. The withdrawal is a row of the history
    (Answer.withdrawn) and an audit entry, as an answer is."""
    fresh_visit = Visit.objects.select_for_update().get(pk=visit.pk)
    _check_open(fresh_visit)
    fresh = VisitPerson.objects.select_for_update().get(pk=person.pk) if person else None
    stored = fresh.facts if fresh else fresh_visit.household_facts
    if fact not in stored:
        return None
    f = default_pack().facts[fact]
    if f.normalize(stored[fact]) != f.normalize(seen):
        who = person.display_name if person else _("世帯")
        raise StaleEdit([(f"{who}の{f.label}", _shown(f, seen), _shown(f, stored[fact]))])
    answer = Answer.objects.create(
        visit=visit, person=person, fact=fact, value=None, withdrawn=True, by=by
    )
    _store_facts(
        visit, fresh_visit, person, lambda facts: {k: v for k, v in facts.items() if k != fact}
    )
    audit.record(
        by,
        "visit.answer_withdrawn",
        visit_id=visit.id,
        request=request,
        resident_id=person.resident_id if person else None,
        fact=fact,
    )
    return answer


def _shown(fact, value) -> str:
    """An answer as the interview panel shows it (None is わからない there, not 不明)."""
    return _("わからない") if value is None else fact.display(value)


@transaction.atomic
def record_answers(
    visit: Visit, *, by, fact: str, value, people, request=None, unanswered: bool = False
) -> list[Answer]:
    """The same answer for several people at once (None in `people` is the household)."""
    return [
        record_answer(
            visit, by=by, fact=fact, value=value, person=p, request=request, unanswered=unanswered
        )
        for p in people
    ]


@transaction.atomic
def record_none_apply(visit: Visit, *, by, items, request=None) -> list[Answer]:
    """「該当なし」: the resident said none of the listed statuses applies. Each listed
    (fact, person) question is answered いいえ (なし for a set) as the clerk's own answer,
    all or none of them: one answered meanwhile by someone else refuses the lot (StaleEdit)."""
    pack = default_pack()
    return [
        record_answer(
            visit,
            by=by,
            fact=fact,
            value=[] if pack.facts[fact].type == "set" else False,
            person=person,
            request=request,
            unanswered=True,
        )
        for fact, person in items
    ]


@transaction.atomic
def set_addresses(
    visit: Visit, *, by, request=None, expected: dict | None = None, **fields
) -> Visit:
    """`expected` ({"new_address.town": value seen, "phone": …}) makes the save conditional: if
    another clerk changed one of those since, StaleEdit names the change and nothing is saved.
    With it, address dicts are merged into the stored ones, so two clerks' fields both stay."""
    _check_open(visit)
    if expected is not None:
        visit = Visit.objects.select_for_update().get(pk=visit.pk)
    before = dict(visit.new_address)  # as stored: what a move to a dwelling is measured from
    if expected is not None:
        changes = []
        for key, seen in expected.items():
            which, _dot, sub = key.partition(".")
            now = getattr(visit, which).get(sub, "") if sub else getattr(visit, which)
            # An empty stored value is what the screen showed (or a default it filled in).
            if now not in ("", seen):
                changes.append((key, seen, now))
        if changes:
            raise StaleEdit(changes)
        fields = {
            name: {**getattr(visit, name), **value} if isinstance(value, dict) else value
            for name, value in fields.items()
        }
    for name, value in fields.items():
        setattr(visit, name, value)
    visit.save(update_fields=list(fields))
    detail = {"request": request, "fields": sorted(fields)}
    if "new_address" in fields:
        # One entry whatever the address: a move to a protected household's dwelling is
        # recorded in it (counter.approach), and nothing else of this change differs.
        approach.record(by, visit, "visit.address_changed", before=before, **detail)
    else:
        audit.record(by, "visit.address_changed", visit_id=visit.id, **detail)
    if "new_address" in fields:
        settle_dwelling(visit, by=by, request=request)
    return visit


DWELLING = "new_dwelling"  # the household starts (or leaves) a dwelling: 水道の開始・中止


def settle_dwelling(visit: Visit, *, by, request=None) -> bool:
    """A household moving in from elsewhere to an address where the register has nobody
    starts its own dwelling there: the interview need not ask 「住まいを新しく始めるのですか」.

    Said as a derived answer (Answer.derived, shown with its reason and changeable like any
    answer), and taken back when the new address changes to one where someone may live. Once
    the clerk (or the resident's pre-entry) has answered, their answer stands. Returns whether
    the household's answer changed."""
    if DWELLING not in default_pack().facts or not visit.moves_in or visit.household_id:
        return False
    rows = visit.answers.filter(person=None, fact=DWELLING)
    # The clerk's withdrawal (「変更」) stands too: the question is theirs to ask from then on.
    if rows.filter(derived=False).exists():
        return False
    said = DWELLING in visit.household_facts
    alone = occupancy.anyone_registered_at(visit.new_address) is False and not _newcomers_at(visit)
    if alone == said:
        return False
    # Taken back, the row says so (withdrawn), as the clerk's 「変更」 does: not a わからない.
    Answer.objects.create(
        visit=visit, fact=DWELLING, value=True if alone else None, by=by, derived=True,
        withdrawn=not alone,
    )  # fmt: skip
    facts = {k: v for k, v in visit.household_facts.items() if k != DWELLING}
    visit.household_facts = {**facts, DWELLING: True} if alone else facts
    visit.save(update_fields=["household_facts"])
    audit.record(
        by, "visit.answered", visit_id=visit.id, request=request, fact=DWELLING, derived=True
    )
    return True


def _newcomers_at(visit: Visit) -> bool:
    """Another household accepted at the counter lately (not yet in the register mirror)
    moving to the same dwelling."""
    since = timezone.now() - NEWCOMER_WINDOW
    others = Visit.objects.filter(
        status=Visit.Status.ACCEPTED,
        created_at__gte=since,
        new_address__town=visit.new_address.get("town", ""),
    ).exclude(pk=visit.pk)
    return any(
        v.new_address_in_city and occupancy.same_dwelling(visit.new_address, v.new_address)
        for v in others.only("events", "new_address")[:500]
    )


@transaction.atomic
def accept_visit(visit: Visit, *, by, request=None, hold=None) -> Visit:
    """Mark the visit accepted; accepting again changes nothing. `hold`: the 要確認 results
    ("procedure@person") the clerk did not confirm — kept on the visit, handed to nobody."""
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if visit.is_locked:
        return visit
    visit.status = Visit.Status.ACCEPTED
    visit.accepted_by = by
    visit.accepted_at = timezone.now()
    visit.pack_version = default_pack().version
    visit.held_checks = sorted(set(hold or ()))
    visit.save(
        update_fields=["status", "accepted_by", "accepted_at", "pack_version", "held_checks"]
    )
    audit.record(
        by,
        "visit.accepted",
        visit_id=visit.id,
        request=request,
        **({"held_checks": visit.held_checks} if visit.held_checks else {}),
    )
    if visit.training:
        # 練習: handed to no department and no core system; the training app scores it.
        transaction.on_commit(
            lambda: training_visit_accepted.send_robust(sender=Visit, visit=visit, by=by)
        )
        return visit
    # The departments' tasks are made after commit, retried on failure (backoffice.Handoff):
    # the resident's visit is accepted whatever happens to them.
    transaction.on_commit(lambda: visit_accepted.send_robust(sender=Visit, visit=visit))
    return visit


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise NeedsReason(_("理由を入力してください。"))
    return reason


def _change_status(visit: Visit, to_status: str, *, by, reason: str) -> str:
    from_status = visit.status
    visit.status = to_status
    visit.save(update_fields=["status"])
    VisitStatusChange.objects.create(
        visit=visit, from_status=from_status, to_status=to_status, reason=reason, by=by
    )
    return from_status


@transaction.atomic
def cancel_visit(visit: Visit, *, by, reason: str, request=None) -> Visit:
    """取消: a visit opened by mistake, or the resident left. Read-only afterwards; cancelling
    again changes nothing. A visit once accepted is not cancelled (its tasks may be with the
    departments): the departments return them instead."""
    reason = _reason(reason)
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if visit.is_cancelled:
        return visit
    if visit.is_locked or visit.was_accepted:
        raise VisitLocked(
            _(
                "受付済みになったことのある来庁は取り消せません。担当課で差戻しの処理をしてください。"
            )
        )
    _change_status(visit, Visit.Status.CANCELLED, by=by, reason=reason)
    audit.record(by, "visit.cancelled", visit_id=visit.id, request=request, reason=reason)
    return visit


@transaction.atomic
def reopen_visit(visit: Visit, *, by, reason: str, request=None) -> Visit:
    """A supervisor reopens an accepted visit to correct it (accounts.access decides who).

    Its tasks stay with the departments; accepting again hands over only what is new
    (backoffice makes one task per procedure and person, ever)."""
    reason = _reason(reason)
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if visit.status != Visit.Status.ACCEPTED:
        raise VisitLocked(_("受付済みの来庁だけを再開できます。"))
    _change_status(visit, Visit.Status.DRAFT, by=by, reason=reason)
    audit.record(by, "visit.reopened", visit_id=visit.id, request=request, reason=reason)
    return visit


def packet_digest(data) -> str:
    from dataclasses import asdict

    fields = asdict(data)
    if not fields.get("training"):
        # A real packet's digest stays what it was before training marks existed: a reprint
        # of an older visit returns its stored PDF.
        fields.pop("training", None)
    for person in fields["people"]:
        # A 個人番号 enters the digest keyed (HMAC with SECRET_KEY), never as a plain hash
        # anyone holding the database could test the 10^11 numbers against; a packet printed
        # without one keeps its digest.
        number = person.pop("mynumber", "")
        if number:
            person["mynumber"] = hmac.new(
                settings.SECRET_KEY.encode(), number.encode(), hashlib.sha256
            ).hexdigest()
    raw = json.dumps(fields, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def print_packet(visit: Visit, *, by, request=None) -> Packet:
    """The visit's packet; printing the same answers again returns the stored PDF."""
    from counter.packet import packet_data
    from printing.pdf import page_count, render_packet_with_fills

    data = packet_data(visit)
    digest = packet_digest(data)
    packet = Packet.objects.filter(visit=visit, digest=digest).first()
    if packet is None:
        pdf, fills = render_packet_with_fills(data)
        # A packet that prints a 個人番号 is kept encrypted, as the number is.
        sealed = any(f.mynumber for f in fills)
        packet, created = Packet.objects.get_or_create(
            visit=visit,
            digest=digest,
            defaults={
                "pdf": Packet.seal(pdf) if sealed else pdf,
                "sealed": sealed,
                "pages": page_count(pdf),
                "created_by": by,
            },
        )
        if created:  # a changed answer: a new version, with its pre-fill counts
            FormFill.objects.bulk_create(
                FormFill(packet=packet, form=f.form, procedure=f.procedure, person=f.person,
                         prefilled=f.prefilled, to_write=f.to_write, signatures=f.signatures,
                         mynumber=f.mynumber, order=i)
                for i, f in enumerate(fills)
            )  # fmt: skip
    shown = [vp.resident_id for vp in visit.people.all() if vp.resident_id]
    if packet.sealed:
        # A 個人番号 printed is recorded even for newcomers only (no resident to file it under):
        # on which forms (procedure@person), never the digits.
        forms = [
            f"{f.procedure}@{f.person}" if f.person else f.procedure
            for f in packet.fills.all()
            if f.mynumber
        ]
        audit.record(
            by,
            "visit.printed",
            resident_ids=shown,
            visit_id=visit.id,
            request=request,
            visit=visit.number,
            mynumber_forms=forms,
        )
    else:
        audit.record_many(by, "visit.printed", shown, request=request, visit=visit.number)
    return packet
