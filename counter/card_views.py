"""「カードを読む」 at the counter: the PIN the resident typed, one read of the card, and the
newcomer row filled from it (counter/card.py talks to the reader).

The PIN goes to the card once and nowhere else: not into the log, the audit entry or the
page that comes back. Every read — also a refused one — is in the audit log.

The 個人番号 is read in the same session (one VERIFY) only when the visit can lead to a form
that prints it (card.needs_number); the page then carries it only as a signed, encrypted
value for the newcomer row (card.sign_number), never the digits. The counter PC's bridge
never reads it: there the 個人番号 cells stay the clerk's, as without a card.
"""

import json
import uuid

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from accounts import access, audit
from counter import card, cardholder
from counter import search as counter_search
from counter.forms import StartVisitForm, newcomer_defaults
from counter.interview import live_context
from counter.models import Visit
from counter.postal import places_for
from lib import cardap, postal, wareki
from lib.text import halfwidth_input
from madoguchi.inputs import Form, error_text
from residents.search import EmptyQuery


class CardPinForm(Form):
    pin = forms.CharField(label=_l("暗証番号（4桁）"), max_length=8, strip=False)

    def clean_pin(self):
        # Typed with the IME on: ４３２１ is 4321. Anything but four digits never reaches
        # the card, where it would cost the resident one of three tries.
        pin = halfwidth_input(self.cleaned_data["pin"])
        if not cardap.is_pin(pin):
            raise forms.ValidationError(
                _l("暗証番号は4桁の数字で入力してください（カードには送っていません）。")
            )
        return pin


class BridgeReadForm(Form):
    """What the counter PC's bridge read (lib.cardbridge's answer), posted by the page: the card's
    four facts as text, or the outcome that stopped the read. No PIN: it stayed on the PC."""

    via = forms.ChoiceField(choices=[("bridge", "bridge")])
    outcome = forms.ChoiceField(
        choices=[(o, o) for o in ("ok", "error", "no_bridge", *cardap.OUTCOMES.values())]
    )
    tries_left = forms.IntegerField(min_value=0, max_value=3, required=False)
    name = forms.CharField(max_length=100, required=False, strip=False)
    address = forms.CharField(max_length=300, required=False, strip=False)
    birth_date = forms.DateField(input_formats=["%Y-%m-%d"], required=False)
    sex = forms.ChoiceField(choices=[("", "")] + [(v, v) for v in "0129"], required=False)

    def clean(self):
        data = super().clean()
        if data.get("outcome") == "ok" and not (data.get("name") or "").strip():
            raise forms.ValidationError(_l("カードの氏名が届いていません。"))
        return data

    def read(self) -> "card.CardRead":
        d = self.cleaned_data
        if d["outcome"] != "ok":
            return card.bridge_read(d["outcome"], tries_left=d["tries_left"])
        return card.bridge_read(
            "ok", name=d["name"], address=d["address"], birth_date=d["birth_date"], sex=d["sex"]
        )


def failure_message(e: cardap.CardError) -> str:
    """What the clerk and the resident read when the card was not read."""
    if isinstance(e, card.BridgeUnreachable):
        return _(
            "この窓口PCのカードリーダー連携（card-bridge）に接続できません。"
            "起動しているか確かめるか、手で入力してください。"
        )
    if isinstance(e, cardap.NoReader):
        return _(
            "カードリーダーが見つかりません。リーダーの接続を確かめるか、手で入力してください。"
        )
    if isinstance(e, cardap.NoCard):
        return _(
            "カードが置かれていません。カードをリーダーに置いて、もう一度「カードを読む」を押してください。"
        )
    if isinstance(e, cardap.NotMyNumberCard):
        return _("マイナンバーカードとして読めません。カードの種類と向きを確かめてください。")
    if isinstance(e, cardap.BadPinFormat):
        return _("暗証番号は4桁の数字で入力してください（カードには送っていません）。")
    if isinstance(e, cardap.WrongPin):
        return _(
            "暗証番号が違います。あと %(n)s 回間違えるとカードがロックされます。"
            "確かめてから入力してください。"
        ) % {"n": e.remaining}
    if isinstance(e, cardap.PinLocked):
        return _(
            "このカードは暗証番号を3回間違えたためロックされています。"
            "暗証番号の再設定は市民課でできます。今回は手で入力してください。"
        )
    return _("カードを読めませんでした。カードを置き直すか、手で入力してください。")


def _old_address(read: card.CardRead) -> dict:
    """The card's address as the visit's 旧住所 fields, with its 〒 where the dictionary has
    exactly one for the 町字."""
    parts = dict(read.address_parts)
    parts["banchi"] = halfwidth_input(parts.get("banchi", ""))
    fill = {k: v for k, v in parts.items() if v}
    if parts.get("town"):
        codes = postal.zips_for(parts["pref"], parts["city"], parts["town"])
        if len(codes) == 1:
            fill["zip"] = f"{codes[0][:3]}-{codes[0][3:]}"
            town = places_for(codes[0])
            if len(town) == 1 and town[0].town:
                fill["town"] = town[0].town  # the city's own spelling when it is ours
    return fill


def _bind(request, ctx):
    """The posted read, bound: (form, bridge, None), or (None, bridge, the refusal to send)."""
    # Read on the counter PC (settings.CARD_BRIDGE_URL) or here: the same answer, audited alike.
    bridge = "via" in request.POST
    if bridge and not settings.CARD_BRIDGE_URL:
        ctx["error"] = _("この窓口はカードリーダーの連携が設定されていません。")
        return None, bridge, render(request, "counter/_card_result.html", ctx, status=400)
    form = BridgeReadForm(request.POST) if bridge else CardPinForm(request.POST)
    if not form.is_valid():
        ctx["error"] = error_text(form) if bridge else form.errors["pin"][0]
        return None, bridge, render(request, "counter/_card_result.html", ctx, status=400)
    return form, bridge, None


def _read(request, form, bridge, with_number=False, **where) -> card.CardRead:
    """One read of the card (or what the bridge read), audited with `where` (the visit, or the
    home screen): the outcome, the tries left, whether the 個人番号 was read, never the PIN or
    the number. A failure is raised after its entry is written."""
    if bridge:
        where["via"] = "bridge"
    try:
        if bridge:
            read = form.read()
        else:
            read = card.read_card(form.cleaned_data["pin"], with_number=with_number)
    except cardap.CardError as e:
        outcome = "no_bridge" if isinstance(e, card.BridgeUnreachable) else cardap.outcome_of(e)
        detail = {"outcome": outcome, **where}
        if isinstance(e, cardap.WrongPin):
            detail["tries_left"] = e.remaining
        audit.record(request.user, "card.read", request=request, **detail)
        raise
    if read.mynumber_enc:
        where["number"] = True
    audit.record(request.user, "card.read", request=request, outcome="ok", **where)
    return read


def _failed(request, ctx, e: cardap.CardError):
    ctx["error"] = failure_message(e)
    ctx["locked_card"] = isinstance(e, cardap.PinLocked)
    return render(request, "counter/_card_result.html", ctx)


def fill_context(visit, read: card.CardRead) -> dict:
    """What _card_result.html fills the visit page's newcomer row (and a 転入's 旧住所) with."""
    person = {
        "surname": read.surname,
        "given_name": read.given_name,
        "birth_date": wareki.to_wareki_short(read.birth_date) if read.birth_date else "",
        "sex": read.sex,
        # The card has no reading: the kana are the clerk's to ask (never guessed from kanji).
        "surname_kana": "",
        "given_kana": "",
        "nationality": "JP",
        "from_card": "1",
        # The 個人番号 read with it, signed for this visit and this person ("" clears an
        # earlier card's): the encrypted token, never the digits.
        "card_number": card.sign_number(visit, read),
    }
    ctx = {"kana_focus": "#id_surname_kana"}
    if read.surname == newcomer_defaults(visit).get("surname"):
        del person["surname_kana"]  # the family's reading the row already carries
        ctx["kana_focus"] = "#id_given_kana"
    ctx["person"] = json.dumps(person, ensure_ascii=False)
    ctx["name"] = f"{read.surname}\u3000{read.given_name}".strip()
    ctx["number_read"] = bool(read.mynumber_enc)
    if visit.moves_in:
        # Before the move the card still shows where the resident came from: the 旧住所.
        ctx["old_address"] = json.dumps(_old_address(read), ensure_ascii=False)
    return ctx


@login_required
@require_POST
def card_read(request, number):
    visit = access.get_for_staff(request, Visit.objects.select_related("office"), number=number)
    ctx = {"visit": visit}
    form, bridge, refused = _bind(request, ctx)
    if refused:
        return refused
    if not bridge and not request.headers.get("HX-Request"):
        # The form sent by the browser itself, before the page's script took it over: the card
        # is not touched (no try of the PIN spent) and the clerk is back on the visit.
        return redirect("counter:visit", number=visit.number)
    if visit.is_locked:
        ctx["error"] = (
            _("取り消した来庁です。カードは読みません。")
            if visit.is_cancelled
            else _("受付済みの来庁です。カードは読みません。")
        )
        return render(request, "counter/_card_result.html", ctx, status=409)
    try:
        read = _read(
            request, form, bridge, with_number=card.needs_number(visit.events), visit_id=visit.id
        )
    except cardap.CardError as e:
        return _failed(request, ctx, e)
    holder = cardholder.holder_on_visit(visit, read)
    if holder is not None:
        ctx.update(holder_context(request, visit, holder, read))
        ctx.update(live_context(visit))  # redrawn out of band: the card question is answered
        return render(request, "counter/_card_result.html", ctx)
    ctx.update(fill_context(visit, read))
    ctx["namesakes"] = cardholder.namesakes(visit, read)
    return render(request, "counter/_card_result.html", ctx)


def held_context(request, visit, read: card.CardRead) -> dict:
    """The home screen's read for the visit opened from it, as a read on its page would show
    it: its holder's card recorded and compared, or the newcomer row filled."""
    holder = cardholder.holder_on_visit(visit, read)
    if holder is not None:
        return holder_context(request, visit, holder, read)
    return {**fill_context(visit, read), "namesakes": cardholder.namesakes(visit, read)}


def holder_context(request, visit, holder, read: card.CardRead) -> dict:
    """The card of someone already on the visit (prepared by the feed or a pre-entry, or a
    resident of the household): recorded for them, compared, nobody added. What the card says
    otherwise is listed; a 転入's 旧住所 can be taken from the card with one click."""
    hidden = access.protection(
        request.user, visit, request=request, visit_id=visit.id, where="card"
    ).hidden
    differs = cardholder.take_card(
        visit, holder, read, by=request.user, request=request, address_hidden=hidden
    )
    holder.refresh_from_db()
    compared = "" if hidden else cardholder.reference_address(visit)[0]
    ctx = {
        "holder": holder,
        "holder_name": holder.display_name,
        "differs": differs,
        "address_compared": bool(read.address and compared),
        "number_read": bool(read.mynumber_enc),
    }
    if visit.moves_in and not hidden:
        old = _old_address(read)
        if any(m.item == "address" for m in differs):
            # Taken only on the clerk's click: the feed's 旧住所 may be the right one.
            ctx["card_address"] = json.dumps(
                {k: old.get(k, "") for k in ("zip", *cardholder.ADDRESS_PARTS)},
                ensure_ascii=False,
            )
        elif not compared:
            ctx["old_address"] = json.dumps(old, ensure_ascii=False)  # empty fields only
    return ctx


def _look_up(request, read: card.CardRead) -> dict:
    """The card's holder as the search box finds them: the register's households, accepted
    newcomers and visits still open for them (the results' context)."""
    # The card's text finds the resident (its substitute characters fold like a typed name);
    # what is shown and printed is the register's.
    q = f"{read.surname}\u3000{read.given_name}"
    if read.birth_date:
        q += f" {read.birth_date.isoformat()}"
    sex = read.sex if read.sex in ("1", "2") else None
    try:
        households, more = counter_search.find_households(request, q, fold_voicing=True, sex=sex)
    except (EmptyQuery, wareki.DateParseError):
        households, more = [], False
    # Not in the register yet: accepted newcomers, and visits still open for them (a 転入予約
    # the feed prepared, a pre-entry) — opening those is better than starting another.
    newcomers, waiting = (
        [n for n in found if not sex or n.person.sex == sex]
        for found in counter_search.find_newcomers(request, q)
    )
    return {
        "q": q,
        "households": households,
        "newcomers": newcomers,
        "waiting": waiting,
        "visits": [],
        "searched": True,
        "more": more,
        "limit": counter_search.SEARCH_LIMIT,
        "found": bool(households or newcomers or waiting),
    }


@login_required
@require_POST
def card_home(request):
    """「マイナンバーカードで始める」 on the home screen: one read, then its holder in the register
    by the card's name, birth date and sex, listed as the search box lists them. Nobody found
    and the card's address in another municipality: the 転入 starts from here, and its visit
    page fills the row from this read (counter.card.hold), without reading the card again."""
    access.require(request, "counter")
    ctx = {}
    form, bridge, refused = _bind(request, ctx)
    if refused:
        return refused
    if not bridge and not request.headers.get("HX-Request"):
        return redirect("counter:home")  # sent before the script took over: no card touched
    card.drop_held(request.session)  # an earlier card's read never fills this one's visit
    looked = {}

    def wants_number(read: card.CardRead) -> bool:
        # Asked between the four facts and the end of the card session: the 個人番号 is read
        # only for a holder the 転入 will be offered to, or one a visit is already open for
        # (the 転入予約 feed's, a pre-entry), and only when that visit can lead to a form that
        # prints it.
        looked.update(_look_up(request, read))
        if not looked["found"]:
            return bool(card.from_elsewhere(read)) and card.needs_number(card.newcomer_events())
        return any(card.needs_number(n.visit.events) for n in looked["waiting"])

    try:
        read = _read(request, form, bridge, with_number=wants_number, where="home")
    except cardap.CardError as e:
        return _failed(request, ctx, e)
    if not looked:  # the bridge's read: nothing was asked during it
        looked.update(_look_up(request, read))
    counter_search.show_households(request, looked["households"], looked["q"], via="card")
    ctx.update(looked)
    if looked["waiting"]:
        # A visit already open for the holder: opened from this list, its page takes this
        # read (the card recorded for its person and compared with what the feed sent).
        card.hold(request.session, read, visits=[n.visit.number for n in looked["waiting"]])
    if not ctx["found"] and card.from_elsewhere(read):
        card.hold(request.session, read)
        ctx["start_form"] = StartVisitForm(
            newcomer=True, initial={"token": uuid.uuid4().hex, "from_card": True}
        )
        ctx["card_city"] = read.address_parts["pref"] + read.address_parts["city"]
    return render(request, "counter/_card_home_result.html", ctx)
