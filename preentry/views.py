"""The resident's phone pages (public, rate-limited, reached by the entry's edit token) and the
counter's side: the clerk scans the code and the visit opens filled."""

import segno
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access, audit
from catalog.pack import default_pack
from lib import wareki
from madoguchi import errors, throttle
from preentry import services, wording
from preentry.forms import MoveForm, PersonForm, parse_answers
from preentry.models import PreEntry
from residents.towns import town_names
from tenants import scope

# -- the resident's phone ------------------------------------------------------------------------


def _miss_lock():
    count, seconds = settings.RATE_LIMITS["preentry_miss"]
    return throttle.Lockout("preentry-miss", count, seconds)


class _Refused(Exception):
    def __init__(self, response):
        self.response = response


def _phone(request, template, pre, ctx=None, status=200, easy=None):
    easy = pre.easy if easy is None and pre is not None else bool(easy)
    ctx = ctx or {}
    params = {
        "days": settings.PREENTRY_DAYS,
        "city": scope.municipality()["name"],
        "date": wareki.to_wareki(ctx["expires"]) if ctx.get("expires") else "",
    }
    context = {
        "pre": pre,
        "t": wording.words(easy, **params),
        "easy": easy,
        "days": settings.PREENTRY_DAYS,
        "city": scope.municipality()["name"],
        **ctx,
    }
    return render(request, f"preentry/{template}", context, status=status)


def _entry(request, token) -> PreEntry:
    """The entry of this edit token. Unknown tokens count against the address, so that trying
    tokens locks it out long before one could be found (there are 2^256)."""
    addr = throttle.client_ip(request)
    lock = _miss_lock()
    verdict = lock.check(addr)
    if not verdict.allowed:
        raise _Refused(errors.too_many_requests(request, verdict))
    pre = PreEntry.objects.filter(edit_token=token).first() if len(token) <= 64 else None
    if pre is None:
        lock.fail(addr)
        raise _Refused(
            _phone(
                request,
                "phone_message.html",
                None,
                {
                    "message": _(
                        "このページは見つかりません。URL を確かめるか、最初から入力してください。"
                    )
                },
                status=404,
            )
        )
    if pre.used or pre.expired:
        t = wording.words(pre.easy)
        raise _Refused(
            _phone(
                request,
                "phone_message.html",
                pre,
                {"message": t["used"] if pre.used else t["expired"]},
                status=200 if pre.used else 410,
            )
        )
    return pre


def phone_view(fn):
    def wrapped(request, token, *args, **kwargs):
        try:
            pre = _entry(request, token)
        except _Refused as r:
            return r.response
        return fn(request, pre, *args, **kwargs)

    wrapped.__name__ = fn.__name__
    wrapped.__doc__ = fn.__doc__
    return wrapped


def start(request):
    easy = request.GET.get("easy") == "1" or request.POST.get("easy") == "1"
    if request.method == "POST":
        pre = services.create(easy=easy)
        return redirect("preentry:move", token=pre.edit_token)
    return _phone(request, "phone_start.html", None, easy=easy)


@phone_view
def resume(request, pre):
    if not pre.events:
        return redirect("preentry:move", token=pre.edit_token)
    if not pre.people.exists():
        return redirect("preentry:people", token=pre.edit_token)
    if pre.submitted_at:
        return redirect("preentry:done", token=pre.edit_token)
    return redirect("preentry:questions", token=pre.edit_token)


@phone_view
def move(request, pre):
    form = MoveForm(request.POST or None, initial=MoveForm.initial_for(pre))
    if request.method == "POST" and form.is_valid():
        services.save_move(pre, **form.move_fields())
        return redirect("preentry:people", token=pre.edit_token)
    return _phone(
        request,
        "phone_move.html",
        pre,
        {"form": form, "towns": town_names(), "step": "move"},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@phone_view
def people(request, pre):
    form = PersonForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if "remove" in request.POST:
            try:
                services.remove_person(pre, int(request.POST["remove"]))
            except ValueError:
                pass
            return redirect("preentry:people", token=pre.edit_token)
        if "next" in request.POST:
            if pre.people.exists():
                return redirect("preentry:questions", token=pre.edit_token)
            form = PersonForm()
            status = 400
        elif form.is_valid():
            services.add_person(pre, **form.person_fields())
            return redirect("preentry:people", token=pre.edit_token)
        else:
            status = 400
    return _phone(
        request,
        "phone_people.html",
        pre,
        {
            "form": form,
            "people": list(pre.people.all()),
            "need_person": status == 400 and not form.errors,
            "step": "people",
        },
        status=status,
    )


def _question_groups(pre, questions):
    pack = default_pack()
    people = {p.key: p for p in pre.people.all()}
    groups: dict[str, dict] = {}
    for q in questions:
        fact = pack.facts[q.fact]
        g = groups.setdefault(
            q.fact,
            {
                "fact": fact,
                "text": wording.question_text(fact, pre.easy),
                "type": fact.type,
                "choices": fact.choice_list if fact.type != "bool" else None,
                "rows": [],
            },
        )
        g["rows"].append({"name": f"a:{q.person or 'h'}:{q.fact}", "person": people.get(q.person)})
    return list(groups.values())


@phone_view
def questions(request, pre):
    if not pre.events or not pre.people.exists():
        return redirect("preentry:resume", token=pre.edit_token)
    asked = services.questions(pre)
    error, again = "", False
    if request.method == "POST":
        answers, problems = parse_answers(request.POST, asked, default_pack())
        if answers:
            services.record_answers(pre, answers)
            pre.refresh_from_db()
        if problems:
            error = "、".join(problems)
        else:
            asked = services.questions(pre)
            if not asked:
                services.submit(pre)
                return redirect("preentry:done", token=pre.edit_token)
            again = bool(answers)
    return _phone(
        request,
        "phone_questions.html",
        pre,
        {
            "groups": _question_groups(pre, asked),
            "error": error,
            "again": again,
            "step": "questions",
        },
        status=400 if error else 200,
    )


@phone_view
def done(request, pre):
    if request.method == "POST":
        if not pre.events or not pre.people.exists():
            return redirect("preentry:resume", token=pre.edit_token)
        services.submit(pre)
        return redirect("preentry:done", token=pre.edit_token)
    if not pre.submitted_at:
        return redirect("preentry:resume", token=pre.edit_token)
    code = services.display_code(pre)
    # segno's own SVG of our own reference (no user text reaches it).
    qr = mark_safe(segno.make(code, error="m").svg_inline(scale=6, border=4, omitsize=True))  # noqa: S308
    return _phone(
        request,
        "phone_done.html",
        pre,
        {
            "code": code,
            "qr": qr,
            "expires": timezone.localtime(pre.expires_at).date(),
            "people": list(pre.people.all()),
            "event_label": _event_label(pre),
            "step": "done",
        },
    )


@require_POST
@phone_view
def set_wording(request, pre):
    services.set_easy(pre, request.POST.get("easy") == "1")
    step = request.POST.get("step", "")
    target = step if step in ("move", "people", "questions", "done") else "resume"
    return redirect(f"preentry:{target}", token=pre.edit_token)


def _event_label(pre):
    events = default_pack().events
    return "・".join(events[e].name for e in pre.events if e in events)


# -- the counter ---------------------------------------------------------------------------------


def _refused_page(request, message, status):
    return render(
        request, "preentry/scan.html", {"error": message, "code": request.GET.get("code", "")},
        status=status,
    )  # fmt: skip


@login_required
def scan(request):
    """The camera (BarcodeDetector where the browser has it) and the typed field."""
    access.require(request, "counter")
    return render(request, "preentry/scan.html", {"code": ""})


@login_required
def open_entry(request):
    """A scanned code: the pre-entry to confirm (GET), the visit opened from it (POST). A code
    already opened goes straight to its visit, whoever scans it again."""
    staff = access.require(request, "counter")
    text = (request.POST if request.method == "POST" else request.GET).get("code", "")
    try:
        pre = services.find(text)
    except services.PreEntryRefused as e:
        audit.record(request.user, "preentry.refused", request=request, reason=str(e)[:60])
        return _refused_page(request, str(e), 404)
    if pre.used:
        access.check(staff, pre.visit)
        audit.record(request.user, "preentry.reopened", visit_id=pre.visit_id, request=request)
        return redirect("counter:visit", number=pre.visit.number)
    if request.method == "POST":
        try:
            visit, _created = services.open_visit(
                pre, by=request.user, office=staff.office, request=request
            )
        except services.PreEntryRefused as e:
            return _refused_page(request, str(e), 409)
        access.check(staff, visit)
        return redirect("counter:visit", number=visit.number)
    people = list(pre.people.all())
    audit.record(request.user, "preentry.viewed", request=request, people=len(people))
    pack = default_pack()
    ctx = {
        "pre": pre,
        "code": services.display_code(pre),
        "people": people,
        "event_label": _event_label(pre),
        "answers": _answer_lines(pre, people, pack),
        "on_register": services.in_register(pre),
    }
    if ctx["on_register"]:
        # A 転居 or 出生 opens on the register's household: the clerk sees which one first.
        household, _matched = services.register_household(pre, people)
        ctx["household"] = household
        if household is None:
            ctx["no_household"] = _(
                "入力された方が、住民記録の1つの世帯に見つかりません（氏名のふりがなと生年月日で"
                "照合します）。検索から世帯を開いて受付してください。"
            )
        else:
            ctx["members"] = household.members()
            audit.record_many(
                request.user, "resident.viewed", [r.id for r in ctx["members"]], request=request
            )
            ctx["address_hidden"] = access.protection(
                request.user, household, request=request, where="preentry_open"
            ).hidden
    return render(request, "preentry/open.html", ctx)


def _answer_lines(pre, people, pack):
    lines = []
    for label, facts in [(_("世帯"), pre.household_facts)] + [(p.name, p.facts) for p in people]:
        items = [
            f"{pack.facts[f].label}＝{pack.facts[f].display(v)}"
            for f, v in facts.items()
            if f in pack.facts
        ]
        if items:
            lines.append((label, "、".join(items)))
    return lines
