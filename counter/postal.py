"""郵便番号 ↔ 住所 at the counter's address entry: 〒 fills 都道府県 / 市区町村 / 町字, and a
町字 suggests its 〒 (lib.postal, offline Japan Post data).

The answer is a hint fragment; static/madoguchi/fill.js puts its values into the fields,
which then save through the address view as if typed, so protection, the audit entry and
the check against another clerk's change stay in one place (counter.views.address).
"""

import json

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts import access
from lib import postal
from residents.towns import town_names
from tenants import scope


def _local_spelling(place: postal.Place) -> postal.Place:
    """In this municipality its own 町字 spelling wins (北4条東, not Japan Post's 北四条東)."""
    city = scope.municipality()
    if (place.pref, place.city) != (city.get("pref"), city["name"]) or not place.town:
        return place
    key = postal.town_key(place.town)
    own = next((t for t in town_names() if postal.town_key(t) == key), place.town)
    return postal.Place(place.zip, place.pref, place.city, own)


def places_for(zip_text: str) -> list[postal.Place]:
    return [_local_spelling(p) for p in postal.lookup(zip_text)]


def display_zip(code: str) -> str:
    return f"{code[:3]}-{code[3:]}"


@login_required
def lookup(request):
    """GET ?zip=…  or  ?pref=…&city=…&town=…  (+ which: the fieldset the hint belongs to)."""
    access.require(request, "counter")
    which = request.GET.get("which", "new_address")
    scope = (
        f'[data-address="{which if which in ("new_address", "old_address") else "new_address"}"]'
    )
    # Values fill empty fields only (fill.js: data-fill-empty): what the clerk typed, even
    # before the answer arrived, is never replaced; the hint still shows what the 〒 says.
    ctx = {"scope": scope, "fill": None, "choices": [], "message": ""}
    if "zip" in request.GET:
        raw = request.GET["zip"]
        places = places_for(raw) if raw.strip() else []
        if raw.strip() and postal.normalize_zip(raw) is None:
            ctx["message"] = _("郵便番号は7桁の数字で入力してください（例：090-0024）。")
        elif raw.strip() and not places:
            ctx["message"] = _("この郵便番号は郵便番号辞書にありません。住所を入力してください。")
        elif places:
            first = places[0]
            same_city = all((p.pref, p.city) == (first.pref, first.city) for p in places)
            towns = [p.town for p in places if p.town]
            fill = {"pref": first.pref, "city": first.city} if same_city else {}
            if same_city and len(places) == 1 and first.town:
                fill["town"] = first.town
            ctx["fill"] = json.dumps(fill, ensure_ascii=False) if fill else None
            ctx["summary"] = f"{first.pref}{first.city}{towns[0] if len(towns) == 1 else ''}"
            if len(towns) > 1:
                ctx["choices"] = [
                    (t, json.dumps({"town": t}, ensure_ascii=False)) for t in towns[:30]
                ]
    else:
        pref = request.GET.get("pref", "").strip()
        city = request.GET.get("city", "").strip()
        town = request.GET.get("town", "").strip()
        codes = postal.zips_for(pref, city, town) if town else []
        if len(codes) == 1:
            ctx["fill"] = json.dumps({"zip": display_zip(codes[0])})
            ctx["summary"] = f"〒{display_zip(codes[0])}"
        elif codes:
            ctx["choices"] = [
                (f"〒{display_zip(c)}", json.dumps({"zip": display_zip(c)})) for c in codes[:30]
            ]
    return render(request, "counter/_postal_hint.html", ctx)
