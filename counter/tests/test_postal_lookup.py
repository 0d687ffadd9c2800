"""The counter's 〒 ↔ 住所 hint: a code fills 都道府県 / 市区町村 / 町字 (in the city's own
spelling), a code of several towns offers them, and a town suggests its code."""

import json
import re
from html import unescape

import pytest
from django.urls import reverse


def _hint(client, **q):
    r = client.get(reverse("counter:postal"), q)
    assert r.status_code == 200
    return r.content.decode()


def _fills(html):
    return [json.loads(unescape(m)) for m in re.findall(r'data-fill="([^"]*)"', html)]


@pytest.mark.django_db
def test_a_full_width_code_fills_the_address_in_the_citys_spelling(clerk_client):
    html = _hint(clerk_client, zip="０９０－００２４", which="new_address")
    assert _fills(html) == [{"pref": "北海道", "city": "北見市", "town": "北4条東"}]
    assert 'data-fill-scope="[data-address=&quot;new_address&quot;]"' in html


@pytest.mark.django_db
def test_another_citys_code_keeps_japan_posts_spelling(clerk_client):
    html = _hint(clerk_client, zip="060-0001", which="old_address")
    assert _fills(html) == [{"pref": "北海道", "city": "札幌市中央区", "town": "北一条西"}]
    assert "old_address" in html


@pytest.mark.django_db
def test_a_code_of_several_towns_offers_them_to_pick(clerk_client):
    html = _hint(clerk_client, zip="4520961")
    fills = _fills(html)
    assert fills[0] == {"pref": "愛知県", "city": "清須市"}
    assert {"town": "春日明河原"} in fills[1:]
    assert "data-fill-on-click" in html


@pytest.mark.django_db
def test_an_unknown_or_bad_code_says_so(clerk_client):
    assert "郵便番号辞書にありません" in _hint(clerk_client, zip="9999999")
    assert "7桁の数字" in _hint(clerk_client, zip="12-34")


@pytest.mark.django_db
def test_a_town_suggests_its_code_for_an_empty_zip(clerk_client):
    html = _hint(clerk_client, pref="北海道", city="北見市", town="北4条東")
    assert _fills(html) == [{"zip": "090-0024"}]
    assert "data-fill-empty" in html


@pytest.mark.django_db
def test_a_town_split_by_chome_offers_its_codes(clerk_client):
    html = _hint(clerk_client, pref="北海道", city="札幌市中央区", town="北一条西")
    assert _fills(html) == [{"zip": "060-0001"}, {"zip": "064-0821"}]


@pytest.mark.django_db
def test_the_hint_is_for_staff_only(client):
    r = client.get(reverse("counter:postal"), {"zip": "0900024"})
    assert r.status_code == 302


@pytest.mark.django_db
def test_the_address_fields_are_wired_to_the_hint(clerk_client):
    clerk_client.post(
        reverse("counter:visit_new"), {"events": "tennyu", "event_date": "R8.4.10", "token": "t"}
    )
    from counter.models import Visit

    html = clerk_client.get(
        reverse("counter:visit", args=[Visit.objects.get().number])
    ).content.decode()
    assert html.count(f'data-postal-url="{reverse("counter:postal")}"') == 2
    assert "madoguchi/fill.js" in html
