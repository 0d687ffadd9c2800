"""The interview as the screens show it, shared by the counter and the remote room."""

from datetime import date

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from catalog.pack import KIND_LABELS, default_pack
from counter.forms import AnswerForm
from counter.models import VisitPerson
from counter.navigation import form_items, navigate_visit, register_facts
from madoguchi.inputs import BadInput, error_text

CARD_FACT = "has_mynumber_card"
ANSWERED_OPEN = 12  # rows of 「回答済み」 shown unfolded


def on_checklist(fact, people) -> bool:
    """Whether 「該当なし」 may answer this fact: a status few people have (`checklist` in the
    pack), or the card question once a card was read at this visit — each holder's card is
    then on the reader, and the rest are asked together whether anyone else has one."""
    return fact.checklist or (fact.id == CARD_FACT and any(vp.card_read for vp in people))


def posted_answer(request, visit) -> dict:
    """The answer an interview button posted, as record_answers takes it (fact, value, people —
    None for the household — and whether the screen showed it unanswered); BadInput names
    what is wrong. The counter's and the remote room's answer views read it alike."""
    form = AnswerForm(request.POST, pack=default_pack())
    if not form.is_valid():
        raise BadInput(error_text(form))
    data = form.cleaned_data
    people = [get_object_or_404(VisitPerson, visit=visit, key=k) for k in data["person"]] or [None]
    return {
        "fact": data["fact"].id,
        "value": data["value"],
        "people": people,
        "unanswered": data["unanswered"],
    }


def posted_withdrawal(request, visit) -> dict:
    """What a 「変更」 button of the answered list posted, as withdraw_answer takes it: the
    fact, one person (None for the household) and the answer the screen showed (`seen`, in
    the answer buttons' own spelling: raw_value)."""
    form = AnswerForm(request.POST, pack=default_pack())
    if not form.is_valid():
        raise BadInput(error_text(form))
    data = form.cleaned_data
    if len(data["person"]) > 1:
        raise BadInput(_("変更する回答は一人ずつ選んでください。"))
    person = (
        get_object_or_404(VisitPerson, visit=visit, key=data["person"][0])
        if data["person"]
        else None
    )
    return {"fact": data["fact"].id, "seen": data["value"], "person": person}


def raw_value(fact, value) -> str:
    """An answer spelt as the interview's buttons post it (AnswerForm reads it back): "" for
    わからない, "-" for none of a set."""
    if value is None:
        return ""
    if fact.type == "bool":
        return "true" if value else "false"
    if fact.type == "set":
        return ",".join(sorted(value)) or "-"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def answered(visit, people) -> list[dict]:
    """The answers given at this visit, current ones only, for the 「回答済み」 list: the
    household's, then each person's, in the pack's order of facts. Not what the register knows
    (those are never asked: 「住民記録から分かっていること」)."""
    pack = default_pack()
    order = {fid: i for i, fid in enumerate(pack.facts)}
    owners = [(None, visit.household_facts, {})] + [
        (vp, vp.facts, register_facts(vp)) for vp in people
    ]
    said = _said_by_the_visit(visit)
    rows = []
    for vp, facts, known in owners:
        for fid, value in facts.items():
            fact = pack.facts.get(fid)
            if fact is None or fid in known:
                continue
            why = said.get(fid) if vp is None else None
            shown = _("わからない") if value is None else fact.display(value)
            if why and fact.type == "bool":
                shown = (fact.yes if value else fact.no) or shown
            rows.append(
                {
                    "fact": fact,
                    "person": vp,
                    "key": vp.key if vp else "",
                    "who": vp.display_name if vp else _("世帯"),
                    "shown": shown,
                    "why": why,
                    "raw": raw_value(fact, value),
                }
            )
    return sorted(rows, key=lambda r: order[r["fact"].id])


def _said_by_the_visit(visit) -> dict[str, str]:
    """The household's answers the visit itself settled (Answer.derived: joining a household,
    or nobody registered at the new address), fact → why, for the answered list."""
    latest = {a.fact: a for a in visit.answers.filter(person=None).order_by("at", "pk")}
    why = (
        _("この世帯への転入のため、聞いていません")
        if visit.household_id
        else _("住民記録から：新しい住所に住民登録のある方がいません")
    )
    return {fact: why for fact, a in latest.items() if a.derived and not a.withdrawn}


def live_context(visit) -> dict:
    """What the live part of a visit shows: its people, the navigator's procedures and the
    questions still open, grouped by fact. The counter's visit page and the remote room
    (remote.views) render counter/_live.html with it."""
    people = list(visit.people.select_related("resident"))
    results, questions = navigate_visit(visit, people)
    pack = default_pack()
    by_key = {vp.key: vp for vp in people}
    for r in results:
        r.person_obj = by_key.get(r.person)
    # One row per fact, most decisive first, with a line per person it is still open for:
    # the clerk asks "does anyone have …?" once and answers for everybody in one click.
    groups: dict[str, dict] = {}
    for q in questions:
        answers = by_key[q.person].facts if q.person else visit.household_facts
        if q.fact in answers:
            continue  # answered わからない: the procedure stays 要確認 with its question
        fact = pack.facts[q.fact]
        g = groups.setdefault(
            q.fact, {"fact": fact, "rows": [], "set": fact.type == "set", "choices": q.choices}
        )
        g["rows"].append({"q": q, "person": by_key.get(q.person)})
    q_groups = list(groups.values())
    # Items only a form records, apart from the count of questions left (they settle nothing).
    form_groups: dict[str, dict] = {}
    for q in form_items(visit, people, results):
        answers = by_key[q.person].facts if q.person else visit.household_facts
        if q.fact in answers:
            continue  # answered わからない: printed blank
        fact = pack.facts[q.fact]
        g = form_groups.setdefault(
            q.fact, {"fact": fact, "rows": [], "set": False, "choices": q.choices, "keys": ""}
        )
        g["rows"].append({"q": q, "person": by_key.get(q.person)})
    for g in q_groups:
        g["keys"] = ",".join(r["q"].person or "" for r in g["rows"])
        g["all_no"] = g["fact"].type == "bool" and len(g["rows"]) > 1
        # One answer for everyone the group still asks (「全員：被用者保険」), as all_no does.
        g["all_same"] = g["fact"].type in ("enum", "set") and len(g["rows"]) > 1
    # The 「該当なし」 list: every open question about a status few people have (facts marked
    # `checklist` in the pack), read out together; the clerk answers them all at once only
    # after the resident has said none applies, and each is recorded as the clerk's answer.
    checklist = [g for g in q_groups if on_checklist(g["fact"], people)]
    # The procedure's 手引き (guides.yaml) for a trainee, and for everyone where the pack's
    # `show_guides` setting says so.
    show_guides = visit.training or bool(pack.settings.get("show_guides"))
    for r in results:
        r.kind_label = KIND_LABELS.get(r.kind, r.kind)
        proc = pack.procedures.get(r.id)
        r.guide = proc.guide if show_guides and proc is not None else {}
    known = []
    for vp in people:
        facts = register_facts(vp)
        items = [
            (pack.facts[f].label, pack.facts[f].display(v))
            for f, v in facts.items()
            if f in pack.facts
        ]
        if items:
            known.append((vp, items))
    answered_rows = answered(visit, people)
    counts = {
        "applies": sum(r.status == "applies" for r in results),
        "needs_check": sum(r.status == "needs_check" for r in results),
    }
    return {
        "visit": visit,
        "people": people,
        "results": results,
        "question_groups": q_groups,
        "form_groups": list(form_groups.values()),
        "checklist": checklist,
        "open_count": sum(len(g["rows"]) for g in q_groups),
        "known": known,
        "answered": answered_rows,
        # Open when it is short enough to read at a glance; a long list is one click away.
        "answered_open": len(answered_rows) <= ANSWERED_OPEN,
        "counts": counts,
        "locked": visit.is_locked,
    }
