"""The catalog browser: read-only pages over the pack the counter runs on, and 「試す」.

pack → event → procedures → each rule in words → form; the try page runs the navigator on
a household typed in. Nothing here writes: staff read what the counter will decide.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from catalog.describe import rule_text
from catalog.forms import MAX_ROWS, RELATIONS, PersonFormSet, TryForm, build_case
from catalog.navigator import navigate, open_questions
from catalog.pack import KIND_LABELS, Pack, default_pack
from lib.wareki import to_wareki

DEFAULT_ROWS = 6


def _variant_view(pack: Pack, v) -> dict:
    """What a page shows of one procedure as one event reaches it."""
    labels = {f.id: f.label for f in pack.facts.values()}
    if v.per == "visit":
        over = _("来庁ごとに1件")
    elif v.over == "subject":
        over = _("届出の対象者ごと（%(who)s）") % {
            "who": rule_text(pack.events[v.event].subject_rule)
        }
    else:
        over = _("「%(who)s」の人ごと") % {"who": rule_text(v.over_rule)}
    return {
        "variant": v,
        "event": pack.events[v.event],
        "rule_text": rule_text(v.rule),
        "rule_source": " ".join(str(v.when).split()),
        "over": over,
        "deadline": v.deadline.describe(labels) if v.deadline else "",
    }


def _proc_view(pack: Pack, proc) -> dict:
    return {
        "proc": proc,
        "department": pack.departments[proc.department],
        "kind": KIND_LABELS[proc.kind],
    }


@login_required
def pack_detail(request):
    pack = default_pack()
    events = [
        {"event": e, "count": len(pack.by_event[e.id]), "subjects": rule_text(e.subject_rule)}
        for e in pack.events.values()
    ]
    return render(
        request,
        "catalog/pack_detail.html",
        {"pack": pack, "events": events, "settings_list": sorted(pack.settings.items())},
    )


@login_required
def event_detail(request, event_id):
    pack = default_pack()
    event = pack.events.get(event_id)
    if event is None:
        raise Http404(_("その届出はカタログにありません。"))
    groups: dict = {}
    for v in pack.by_event[event_id]:
        proc = pack.procedures[v.procedure]
        groups.setdefault(proc.department, []).append(
            {**_proc_view(pack, proc), **_variant_view(pack, v)}
        )
    departments = [
        {"department": pack.departments[d], "rows": rows}
        for d, rows in sorted(groups.items(), key=lambda kv: pack.departments[kv[0]].order)
    ]
    return render(
        request,
        "catalog/event_detail.html",
        {
            "pack": pack,
            "event": event,
            "subjects": rule_text(event.subject_rule),
            "departments": departments,
        },
    )


@login_required
def procedure_detail(request, procedure_id):
    pack = default_pack()
    proc = pack.procedures.get(procedure_id)
    if proc is None:
        raise Http404(_("その手続はカタログにありません。"))
    variants = [_variant_view(pack, v) for v in proc.variants]
    return render(
        request,
        "catalog/procedure_detail.html",
        {"pack": pack, **_proc_view(pack, proc), "variants": variants},
    )


def _rows(request) -> int:
    try:
        rows = int(request.POST.get("rows") or request.GET.get("rows") or DEFAULT_ROWS)
    except ValueError:
        rows = DEFAULT_ROWS
    return max(1, min(rows, MAX_ROWS))


@login_required
def navigator_try(request):
    """Type a household, see the navigator's list; htmx swaps only the result."""
    pack = default_pack()
    rows = _rows(request)
    results = questions = labels = None
    if request.method == "POST":
        form = TryForm(request.POST, pack=pack, rows=rows)
        people = PersonFormSet(request.POST, pack=pack, prefix="p")
        if form.is_valid() and people.is_valid():
            case, labels = build_case(form, people)
            if case.people:
                results = [_result_view(r, labels) for r in navigate(pack, case)]
                questions = [_question_view(pack, q, labels) for q in open_questions(pack, case)]
            else:
                form.add_error(None, _("世帯員を1人以上入力してください。"))
    else:
        form = TryForm(pack=pack, rows=rows)
        people = PersonFormSet(pack=pack, prefix="p", initial=[{} for _ in range(rows)])
    ctx = {
        "pack": pack,
        "form": form,
        "people": people,
        "rows": rows,
        "more_rows": min(rows + 2, MAX_ROWS),
        "relations": RELATIONS,
        "results": results,
        "questions": questions,
        "applies": sum(r["status"] == "applies" for r in results or []),
        "needs_check": sum(r["status"] == "needs_check" for r in results or []),
    }
    if request.headers.get("HX-Request"):
        return render(request, "catalog/_try_result.html", ctx)
    return render(request, "catalog/navigator_try.html", ctx)


def _result_view(r, labels) -> dict:
    return {
        "result": r,
        "status": r.status,
        "who": labels.get(r.person, r.person) if r.person else _("来庁ごと"),
        "kind": KIND_LABELS[r.kind],
        "deadline": to_wareki(r.deadline) if r.deadline else "",
    }


def _question_view(pack, q, labels) -> dict:
    who = labels.get(q.person, q.person) if q.person else _("世帯")
    return {"who": who, "text": q.text, "impact": q.impact, "label": q.label}
