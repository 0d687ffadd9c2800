import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from accounts import access, audit
from catalog.pack import default_pack
from counter import approach, card, services
from counter import search as counter_search
from counter.card_views import held_context
from counter.finishing import open_items
from counter.forms import (
    AddressForm,
    NewcomerForm,
    ReasonForm,
    SearchForm,
    StartVisitForm,
    newcomer_defaults,
)
from counter.interview import live_context, on_checklist, posted_answer, posted_withdrawal
from counter.models import Packet, Visit, VisitPerson
from lib import reference, wareki
from madoguchi.inputs import BadInput, error_fragment, error_text
from printing.fonts import MissingGlyphError
from printing.templates_loader import FormError
from residents.models import Household
from residents.search import EmptyQuery
from residents.towns import town_names
from tenants import scope


@login_required
def home(request):
    staff = access.staff_of(request)
    if not access.may_use(staff, "counter"):
        return redirect("backoffice:queue")
    search = SearchForm(request.GET)
    q = request.GET.get("q", "") if search.is_valid() else ""
    if reference.looks_like(reference.PREENTRY_PREFIX, q):
        # A USB scanner typed a resident's pre-entry QR code into the search box.
        return _preentry_redirect(request, q)
    households, error, searched = [], None, "q" in request.GET
    visits, newcomers, waiting = [], [], []
    if searched and not search.is_valid():
        error, searched = error_text(search), False
    if searched:
        fold = not search.cleaned_data["exact"]
        visits = counter_search.find_visits(request, q)
        newcomers, waiting = counter_search.find_newcomers(request, q, fold_voicing=fold)
        try:
            households, more = counter_search.find_households(request, q, fold_voicing=fold)
        except EmptyQuery as e:
            households, more, error = [], False, str(e)
        except wareki.DateParseError as e:
            # 「R8.4.1-012」 is a visit number with its day, not a birth date gone wrong.
            households, more, error = [], False, None if visits else str(e)
        if error is None:
            counter_search.show_households(request, households, q)
    else:
        more = False
    ctx = {
        "q": q,
        "exact": searched and search.cleaned_data["exact"],
        "visits": visits,
        "newcomers": newcomers,
        "waiting": waiting,
        "households": households,
        "error": error,
        "searched": searched,
        "more": more,
        "limit": counter_search.SEARCH_LIMIT,
    }
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "results":
        return render(request, "counter/_search_results.html", ctx)
    # 最近の来庁 is on the whole page only, not in the search box's results.
    ctx["recent"] = counter_search.recent_visits(staff.office_id)
    # Who may see 支援措置 addresses is pointed to the moves to such households' dwellings (the
    # audit screen lists them with their visits); the page is the same for anyone else.
    ctx["approach_list"] = access.may_see_protected(request.user) and access.may_use(staff, "audit")
    ctx["card_bridge"] = settings.CARD_BRIDGE_URL  # the counter PC's reader (counter/card.py)
    return render(request, "counter/home.html", ctx)


def _preentry_redirect(request, code):
    url = reverse("preentry:open") + "?" + urlencode({"code": code})
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url  # the whole page, not the results box
        return response
    return redirect(url)


@login_required
def visit_start(request, household_id=None):
    staff = access.require(request, "counter")
    household = get_object_or_404(Household, pk=household_id) if household_id else None
    members = household.members() if household else []
    address_hidden = False
    if household:
        audit.record_many(request.user, "resident.viewed", [r.id for r in members], request=request)
        address_hidden = access.protection(
            request.user, household, request=request, where="visit_start"
        ).hidden
    form = StartVisitForm(
        request.POST or None, newcomer=household is None, initial={"token": uuid.uuid4().hex}
    )
    if request.method == "POST" and form.is_valid():
        visit = services.start_visit(
            by=request.user,
            office=staff.office,
            events=form.cleaned_data["events"],
            event_date=form.cleaned_data["event_date"],
            household=household,
            token=form.cleaned_data["token"],
            request=request,
            joins=bool(household) and form.cleaned_data["joins"],
        )
        if form.cleaned_data["from_card"] and household is None:
            card.claim_held(request.session, visit.number)
        return redirect("counter:visit", number=visit.number)
    return render(
        request,
        "counter/visit_start.html",
        {
            "form": form,
            "household": household,
            "members": members,
            "address_hidden": address_hidden,
        },
    )


@login_required
def visit_detail(request, number):
    visit = _visit(request, number)
    held = card.take_held(request.session, visit.number, visit.events)
    # The home screen's card read this visit was started or opened from: once, as a read on
    # this page would (its holder's card recorded, or the newcomer row filled on load), before
    # the interview is drawn.
    card_fill = held_context(request, visit, held) if held and not visit.is_locked else None
    ctx = live_context(visit)
    audit.record_many(
        request.user,
        "resident.viewed",
        [vp.resident_id for vp in ctx["people"] if vp.resident_id],
        request=request,
        visit=visit.number,
    )
    ctx["newcomer_form"] = NewcomerForm(
        initial={"token": uuid.uuid4().hex, **newcomer_defaults(visit)}
    )
    _page_context(ctx, visit)
    _hide_protected_addresses(request, ctx, visit)
    _status_context(request, ctx, visit)
    ctx["approach"] = approach.banner(request.user, visit)
    ctx["card_fill"] = card_fill
    return render(request, "counter/visit_detail.html", ctx)


def _status_context(request, ctx, visit):
    """The visit page's status bar: why it was cancelled or reopened, and what may be done."""
    ctx["cancelled"] = visit.last_change(Visit.Status.CANCELLED) if visit.is_cancelled else None
    ctx["reopened"] = (
        visit.last_change(Visit.Status.DRAFT)
        if visit.was_accepted and not visit.is_locked
        else None
    )
    ctx["may_cancel"] = not visit.is_locked and not visit.was_accepted
    ctx["may_reopen"] = visit.status == Visit.Status.ACCEPTED and access.may_use(
        access.staff_of(request), "reopen"
    )


def _visit(request, number) -> Visit:
    return access.get_for_staff(
        request, Visit.objects.select_related("office", "household"), number=number
    )


def _address_protection(request, visit, where):
    return access.protection(request.user, visit, request=request, visit_id=visit.id, where=where)


def _hide_protected_addresses(request, ctx, visit):
    ctx["address_hidden"] = _address_protection(request, visit, "visit").hidden


ADDRESS_FIELDS = [
    ("zip", _l("郵便番号"), 8),
    ("pref", _l("都道府県"), 6),
    ("city", _l("市区町村"), 12),
    ("town", _l("町字"), 14),
    ("banchi", _l("番地"), 10),
    ("katagaki", _l("方書"), 18),
]
ABROAD_FIELDS = [("country", _l("国名"), 12), ("text", _l("国外の住所"), 40)]
ADDRESS_PARTS = ("zip", "pref", "city", "town", "banchi", "katagaki", "country", "text")


def _page_context(ctx, visit):
    """What the full visit page shows around the live part: the event and the two addresses."""
    pack = default_pack()
    ctx["event_label"] = "・".join(pack.events[e].name for e in visit.events)
    ctx["roles"] = VisitPerson.Role.choices
    ctx["moving_in"] = visit.moves_in
    ctx["card_bridge"] = settings.CARD_BRIDGE_URL  # the counter PC's reader (counter/card.py)
    abroad = {
        "new_address": visit.moves_out and visit.abroad,
        "old_address": visit.moves_in and visit.abroad,
    }
    in_city = {
        "new_address": visit.new_address_in_city,
        "old_address": not visit.moves_in,
    }
    blocks = []
    for which, label in (("new_address", _("新住所")), ("old_address", _("旧住所（前住所）"))):
        values = dict(getattr(visit, which))
        if in_city[which]:
            values.setdefault("pref", scope.municipality()["pref"])
            values.setdefault("city", scope.municipality()["name"])
        spec = ABROAD_FIELDS if abroad[which] else ADDRESS_FIELDS
        blocks.append(
            {
                "which": which,
                "label": label,
                "towns": town_names() if in_city[which] and which == "new_address" else [],
                "fields": [
                    {
                        "name": n,
                        "label": lab,
                        "size": size,
                        "value": values.get(n, ""),
                        "list": "towns" if n == "town" and in_city[which] else "",
                    }
                    for n, lab, size in spec
                ],
            }
        )
    ctx["address_blocks"] = blocks


def _live(request, visit, status=200):
    return render(request, "counter/_live.html", live_context(visit), status=status)


def _locked_response(request, visit, exc):
    ctx = live_context(visit)
    ctx["error"] = str(exc)
    return render(request, "counter/_live.html", ctx, status=409)


@login_required
@require_POST
def person_add(request, number):
    visit = _visit(request, number)
    form = NewcomerForm(request.POST)
    if not form.is_valid():
        ctx = live_context(visit)
        ctx["newcomer_form"] = form
        _page_context(ctx, visit)
        _hide_protected_addresses(request, ctx, visit)
        _status_context(request, ctx, visit)
        return render(request, "counter/visit_detail.html", ctx, status=400)
    try:
        vp = services.add_newcomer(
            visit,
            by=request.user,
            data=form.person_fields(),
            token=form.cleaned_data["token"],
            request=request,
        )
        if form.cleaned_data["from_card"]:
            d = form.cleaned_data
            token = card.number_from(d["card_number"], visit, d["birth_date"], d["sex"])
            card.record_card_shown(vp, by=request.user, request=request, mynumber_enc=token)
    except services.VisitLocked as e:
        messages.error(request, str(e))
    return redirect("counter:visit", number=visit.number)


@login_required
@require_POST
def person_update(request, number, key):
    visit = _visit(request, number)
    vp = get_object_or_404(VisitPerson, visit=visit, key=key)
    fields = {}
    if "moving" in request.POST:
        fields["moving"] = request.POST["moving"] == "1"
    if request.POST.get("applicant") == "1":
        fields["applicant"] = True
    if request.POST.get("role") in VisitPerson.Role.values:
        fields["role"] = request.POST["role"]
    try:
        if fields:
            services.update_person(vp, by=request.user, request=request, **fields)
    except services.VisitLocked as e:
        return _locked_response(request, visit, e)
    return _live(request, visit)


@login_required
@require_POST
def answer(request, number):
    visit = _visit(request, number)
    try:
        answer = posted_answer(request, visit)
    except BadInput as e:
        return error_fragment(str(e))
    try:
        # The interview's buttons are for questions this screen showed unanswered: if another
        # clerk (or the remote specialist) answered it meanwhile, say so instead of overwriting.
        services.record_answers(visit, by=request.user, request=request, **answer)
    except (services.VisitLocked, services.StaleEdit) as e:
        return _locked_response(request, visit, e)
    return _live(request, visit)


@login_required
@require_POST
def answer_withdraw(request, number):
    """「変更」 on the answered list: the answer is taken back and its question asked again."""
    visit = _visit(request, number)
    try:
        withdrawal = posted_withdrawal(request, visit)
    except BadInput as e:
        return error_fragment(str(e))
    htmx = bool(request.headers.get("HX-Request"))
    try:
        services.withdraw_answer(visit, by=request.user, request=request, **withdrawal)
    except (services.VisitLocked, services.StaleEdit) as e:
        if htmx:
            return _locked_response(request, visit, e)
        messages.error(request, str(e))
    if not htmx:
        return redirect("counter:visit", number=visit.number)
    return _live(request, visit)


@login_required
@require_POST
def answer_none(request, number):
    """「該当なし」 for the questions the checklist showed (each posted as "fact:person")."""
    visit = _visit(request, number)
    pack = default_pack()
    people = list(visit.people.all())
    items = []
    for q in request.POST.getlist("q"):
        fact_id, _sep, key = q.partition(":")
        fact = pack.facts.get(fact_id)
        if fact is None or not on_checklist(fact, people) or len(q) > 100:
            return error_fragment(_("不明な質問です：%(fact)s") % {"fact": fact_id[:60]})
        person = get_object_or_404(VisitPerson, visit=visit, key=key) if key else None
        items.append((fact.id, person))
    if not items:
        return error_fragment(_("「該当なし」にする質問がありません。"))
    try:
        services.record_none_apply(visit, by=request.user, items=items, request=request)
    except (services.VisitLocked, services.StaleEdit) as e:
        return _locked_response(request, visit, e)
    return _live(request, visit)


@login_required
@require_POST
def address(request, number):
    visit = _visit(request, number)
    form = AddressForm(request.POST)
    if not form.is_valid():
        return error_fragment(error_text(form))
    which = form.cleaned_data["which"]
    # A protected household's address is the administrator's to type, as to see: a clerk's
    # write would otherwise answer "is it X?" through the conflict check (StaleEdit).
    if any(name in request.POST for name in ADDRESS_PARTS):
        if _address_protection(request, visit, "address").hidden:
            raise PermissionDenied(
                _("支援措置の対象者を含むため、住所は管理者だけが入力・変更できます。")
            )
    current = dict(getattr(visit, which))
    # What this screen showed for each posted field: a field changed since by someone else is
    # refused, with the change named (services.StaleEdit), instead of silently overwritten.
    seen = request.POST.get("seen")
    expected = {} if seen is not None else None
    for name in ADDRESS_PARTS:
        if name in request.POST:
            current[name] = form.cleaned_data[name]
            if expected is not None:
                expected[f"{which}.{name}"] = seen
    if which == "new_address" and visit.new_address_in_city:
        # A new address inside the city: the prefecture and city go without saying.
        current.setdefault("pref", scope.municipality()["pref"])
        current.setdefault("city", scope.municipality()["name"])
    fields = {which: current}
    if "phone" in request.POST:
        fields["phone"] = form.cleaned_data["phone"]
        if expected is not None:
            expected["phone"] = seen
            fields.pop(which)
    before = dict(visit.household_facts)
    try:
        visit = services.set_addresses(
            visit, by=request.user, request=request, expected=expected, **fields
        )
    except (services.VisitLocked, services.StaleEdit) as e:
        return error_fragment(str(e), status=409)
    saved = f'<span class="saved">{_("保存しました")}</span>' + _approach_oob(request, visit)
    if visit.household_facts == before:
        return HttpResponse(saved)
    # The new address settled a question (services.settle_dwelling): the interview and the
    # procedures are shown again with the status.
    live = render(request, "counter/_live.html", live_context(visit)).content.decode()
    return HttpResponse(f'{saved}<div id="live" hx-swap-oob="innerHTML">{live}</div>')


def _approach_oob(request, visit) -> str:
    """The banner of a move to a 支援措置 household's dwelling, redrawn after an address save,
    for those who may see it; for anyone else nothing, whatever the address (counter.approach)."""
    households = approach.banner(request.user, visit)
    if households is None:
        return ""
    banner = render(request, "counter/_approach.html", {"approach": households}).content
    return f'<div id="approach" hx-swap-oob="innerHTML">{banner.decode()}</div>'


@login_required
def packet(request, number):
    visit = _visit(request, number)
    if not visit.people.exists():
        messages.error(request, _("印刷する前に、異動する方を登録してください。"))
        return redirect("counter:visit", number=visit.number)
    if _address_protection(request, visit, "packet").hidden:
        messages.error(
            request, _("支援措置の対象者を含むため、住所の載る書類は管理者だけが印刷できます。")
        )
        return redirect("counter:visit", number=visit.number)
    try:
        p = services.print_packet(visit, by=request.user, request=request)
    except MissingGlyphError as e:
        # Never a box instead of a character: the clerk hears which name and which character.
        messages.error(
            request, _("印刷できません：%(reason)s。文字を確認してください。") % {"reason": e}
        )
        return redirect("counter:visit", number=visit.number)
    except FormError as e:
        # A form's template or blank is broken: which one, for the administrator to fix.
        messages.error(
            request,
            _("%(reason)s。管理者に連絡してください（madoguchi catalog check で確認できます）。")
            % {"reason": e},
        )
        return redirect("counter:visit", number=visit.number)
    response = HttpResponse(p.content(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="packet-{visit.number}.pdf"'
    return response


@login_required
def packet_version(request, number, version: int):
    """An earlier (or the current) packet of the visit, exactly as it was printed."""
    visit = access.get_for_staff(request, Visit, number=number)
    if _address_protection(request, visit, "packet_version").hidden:
        raise PermissionDenied(
            _("支援措置の対象者を含むため、住所の載る書類は管理者だけが印刷できます。")
        )
    packets = list(Packet.objects.filter(visit=visit).order_by("id").only("id"))
    if not 1 <= version <= len(packets):
        raise Http404(_("その版はありません。"))
    p = Packet.objects.get(pk=packets[version - 1].pk)
    # Every serve shows the residents' data again, so every serve is logged (no caching here).
    audit.record_many(
        request.user,
        "packet.viewed",
        [rid for rid in visit.people.values_list("resident_id", flat=True) if rid],
        request=request,
        visit=visit.number,
        version=version,
    )
    response = HttpResponse(p.content(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="packet-{visit.number}-v{version}.pdf"'
    return response


@login_required
@require_POST
def accept(request, number):
    """受付完了. With something still open (要確認, a missing address, not printed) the clerk
    is first shown the confirmation step; from it, the 要確認 items ticked there go to the
    departments and the others stay on the visit."""
    visit = _visit(request, number)
    if visit.is_locked:
        return redirect("counter:visit", number=visit.number)
    items = open_items(visit)
    if request.POST.get("confirmed") != "1" and items.any:
        return redirect("counter:accept_confirm", number=visit.number)
    ticked = set(request.POST.getlist("check"))
    hold = [r.key for r in items.checks if r.key not in ticked]
    services.accept_visit(visit, by=request.user, request=request, hold=hold)
    messages.success(request, _("受付を完了しました（受付番号 %(n)s）。") % {"n": visit.number})
    return redirect("counter:visit", number=visit.number)


@login_required
def accept_confirm(request, number):
    """The confirmation step of 受付完了: what is still open, one checkbox per 要確認 item."""
    visit = _visit(request, number)
    if visit.is_locked:
        return redirect("counter:visit", number=visit.number)
    return render(
        request,
        "counter/visit_accept_confirm.html",
        {
            "visit": visit,
            "items": open_items(visit),
            "approach": approach.banner(request.user, visit),
        },
    )


def _reason_step(request, visit, template, write, done):
    """A form with a reason (取消, 再開): shown on GET, written on POST, then the visit page."""
    form = ReasonForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                write(visit, by=request.user, reason=form.cleaned_data["reason"], request=request)
            except services.VisitLocked as e:
                messages.error(request, str(e))
            else:
                messages.success(request, done)
            return redirect("counter:visit", number=visit.number)
        status = 400
    return render(request, template, {"visit": visit, "form": form}, status=status)


@login_required
def visit_cancel(request, number):
    visit = _visit(request, number)
    return _reason_step(
        request, visit, "counter/visit_cancel.html", services.cancel_visit,
        _("来庁を取り消しました。"),
    )  # fmt: skip


@login_required
def visit_reopen(request, number):
    access.require(request, "reopen")
    visit = _visit(request, number)
    return _reason_step(
        request, visit, "counter/visit_reopen.html", services.reopen_visit,
        _("受付を再開しました。修正のあと、もう一度「受付完了」を押してください。"),
    )  # fmt: skip


@login_required
def person_edit(request, number, key):
    """Correct a newcomer's identity as typed (a registered resident's is the register's)."""
    visit = _visit(request, number)
    vp = get_object_or_404(VisitPerson, visit=visit, key=key, resident__isnull=True)
    if visit.is_locked:
        return redirect("counter:visit", number=visit.number)
    form = NewcomerForm(request.POST or None, initial=_newcomer_initial(vp))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_person(vp, by=request.user, request=request, **form.person_fields())
        except services.VisitLocked as e:
            messages.error(request, str(e))
        return redirect("counter:visit", number=visit.number)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "counter/person_edit.html", {"visit": visit, "vp": vp, "form": form}, status=status
    )


def _newcomer_initial(vp) -> dict:
    surname, _sp, given = vp.name.partition("\u3000")
    kana_s, _sp, kana_g = vp.name_kana.partition("\u3000")
    return {
        "surname": surname,
        "given_name": given,
        "surname_kana": kana_s,
        "given_kana": kana_g,
        "birth_date": wareki.to_wareki_short(vp.birth_date) if vp.birth_date else "",
        "sex": vp.sex,
        "relation": vp.relation,
        "role": vp.role,
        "nationality": vp.nationality,
    }


@login_required
@require_POST
def person_remove(request, number, key):
    visit = _visit(request, number)
    vp = get_object_or_404(VisitPerson, visit=visit, key=key)
    try:
        services.remove_person(vp, by=request.user, request=request)
    except services.VisitLocked as e:
        messages.error(request, str(e))
    else:
        messages.success(request, _("%(name)s さんを削除しました。") % {"name": vp.display_name})
    return redirect("counter:visit", number=visit.number)
