"""「マイナンバーカードで始める」 on the home screen, over HTTP with the simulated card: the holder
is found in the register by the card's name, birth date and sex and listed as the search box
lists them (a 支援措置 household's address hidden); nobody found with an address in another
city starts the 転入 there, and its visit page fills the row from that read, once; nobody
found here says so, the same whether a protected household exists or not. Every read is
audited, the PIN nowhere."""

import json
import logging
import re
from datetime import date
from html import unescape

import pytest
from django.urls import reverse

from accounts.models import AuditEntry
from counter import card, services
from counter.models import Visit
from counter.tests.factories import household, resident
from lib import cardap, cardsim

# 北見市 is the city of the default pack (settings.MUNICIPALITY).
HERE = "北海道北見市北４条東３丁目１２番地"


@pytest.fixture
def reader(settings):
    settings.CARD_READER = "simulated:home"
    r = card.simulated_reader("simulated:home")
    r.present = True
    r.insert(cardsim.demo_card())  # 葛西 辰治, from 札幌市中央区
    return r


@pytest.fixture
def kasai(db):
    # The register writes 葛 with its IVS; the card has the plain character.
    hh = household(town="北4条東", banchi="3-12")
    head = resident(hh, "葛\U000e0100西　辰治", "カサイ　タツジ", date(1988, 5, 12), "世帯主")
    wife = resident(hh, "葛\U000e0100西　美咲", "カサイ　ミサキ", date(1990, 8, 3), "妻", sex="2")
    return hh, head, wife


def _read(client, pin="1234", **extra):
    return client.post(reverse("counter:card_home"), {"pin": pin}, HTTP_HX_REQUEST="true", **extra)


def _fill(html, scope):
    m = re.search(r"data-fill=\"([^\"]*)\" data-fill-scope=['\"]" + re.escape(scope), html)
    return json.loads(unescape(m[1])) if m else None


def _start_form(html):
    """The 転入 form's fields as the browser would send them."""
    form = html[html.index('id="card-tennyu"') :]
    values = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    values["events"] = re.search(r'name="events" value="(\w+)"[^>]*checked', form)[1]
    values["event_date"] = "R8.4.10"
    return values


def _without_csrf(html):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


# -- found in the register --------------------------------------------------------------------


@pytest.mark.django_db
def test_the_card_holder_is_found_and_his_household_listed_from_the_register(
    clerk_client, reader, kasai
):
    hh, head, wife = kasai
    r = _read(clerk_client)
    html = r.content.decode()
    assert r.status_code == 200
    assert "1 世帯が見つかりました" in html
    # The register's names (with the IVS), never the card's substitute text.
    assert "葛\U000e0100西　辰治" in html and "葛\U000e0100西　美咲" in html
    assert "葛西\u3000辰治" not in html
    assert reverse("counter:visit_start", args=[hh.id]) in html
    assert "北見市北4条東3-12" in html
    assert 'id="card-tennyu"' not in html
    assert card.HELD not in clerk_client.session
    searched = AuditEntry.objects.get(action="resident.searched")
    assert set(searched.detail["resident_ids"]) == {head.id, wife.id}
    assert searched.detail["via"] == "card"
    read = AuditEntry.objects.get(action="card.read")
    assert read.detail == {"outcome": "ok", "where": "home"}


@pytest.mark.django_db
def test_the_cards_sex_narrows_the_search(clerk_client, reader, kasai):
    # Another 葛西 辰治 born the same day, recorded as a woman: not the card's holder.
    other = household(town="北5条東", banchi="1-1")
    resident(other, "葛西　辰治", "カサイ　タツジ", date(1988, 5, 12), "世帯主", sex="2")
    html = _read(clerk_client).content.decode()
    assert "1 世帯が見つかりました" in html
    assert other.household_no not in html and kasai[0].household_no in html


@pytest.mark.django_db
def test_a_protected_holders_household_is_listed_without_its_address(
    client, clerk, admin, reader, kasai
):
    hh, head, _wife = kasai
    head.support_measure = True
    head.save()
    client.force_login(clerk)
    html = _read(client).content.decode()
    assert "支援措置のため住所は表示しません" in html
    assert "北4条東" not in html and "3-12" not in html and hh.zip[3:] not in html
    refused = AuditEntry.objects.get(action="protected_address.refused")
    assert refused.resident_id == head.id and refused.detail["where"] == "search"
    # The administrator sees it.
    client.force_login(admin)
    assert "北見市北4条東3-12" in _read(client).content.decode()


@pytest.mark.django_db
def test_a_tennyu_prepared_for_the_holder_is_listed_instead_of_a_new_one(
    clerk, clerk_client, reader
):
    # Announced through the 転入予約 feed (or a pre-entry): the visit is open, waiting for him.
    prepared = services.start_visit(
        by=clerk, office=clerk.staff.office, events=["tennyu"], event_date=date(2026, 4, 10)
    )
    services.add_newcomer(
        prepared,
        by=clerk,
        data={
            "name": "葛西\u3000辰治",
            "name_kana": "カサイ\u3000タツジ",
            "birth_date": date(1988, 5, 12),
            "sex": "1",
            "relation": "世帯主",
        },
    )
    html = _read(clerk_client).content.decode()
    assert "準備済み・受付中の来庁" in html
    assert f'href="{reverse("counter:visit", args=[prepared.number])}"' in html
    assert 'id="card-tennyu"' not in html
    # Held for that visit only: opened from here, its page takes the read (test_card_holder).
    held = clerk_client.session[card.HELD]
    assert held["visits"] == [prepared.number] and "visit" not in held


# -- not found: another city, the 転入 starts here ------------------------------------------------


@pytest.mark.django_db
def test_nobody_found_from_another_city_offers_the_tennyu_with_its_date_focused(
    clerk_client, reader
):
    html = _read(clerk_client).content.decode()
    assert 'id="card-tennyu"' in html
    assert "北海道札幌市中央区（他の市区町村）" in html
    assert "葛西" not in html and "辰治" not in html  # the card's name is not printed here
    assert f'action="{reverse("counter:visit_new")}"' in html
    assert re.search(r'name="events" value="tennyu"[^>]*checked', html)
    assert 'data-fill-focus="#id_event_date"' in html
    assert re.search(r'<input type="hidden" name="from_card" value="True"', html)
    assert re.search(r'<input type="hidden" name="token" value="\w{32}"', html)
    assert clerk_client.session[card.HELD]["surname"] == "葛西"


@pytest.mark.django_db
def test_the_tennyu_started_from_the_card_fills_the_row_and_old_address_once(clerk_client, reader):
    form = _start_form(_read(clerk_client).content.decode())
    r = clerk_client.post(reverse("counter:visit_new"), form)
    visit = Visit.objects.get()
    assert visit.events == ["tennyu"] and visit.event_date == date(2026, 4, 10)
    # The read travels in the session, not in the address.
    assert r["Location"] == reverse("counter:visit", args=[visit.number])
    html = clerk_client.get(r["Location"]).content.decode()
    assert "カードを読みました：葛西\u3000辰治" in html
    person = _fill(html, "#newcomer")
    assert person.pop("card_number")  # the 個人番号 read at home, signed and encrypted
    assert person == {
        "surname": "葛西",
        "given_name": "辰治",
        "birth_date": "S63.5.12",
        "sex": "1",
        "surname_kana": "",
        "given_kana": "",
        "nationality": "JP",
        "from_card": "1",
    }
    assert _fill(html, '[data-address="old_address"]') == {
        "pref": "北海道",
        "city": "札幌市中央区",
        "town": "北一条西",
        "banchi": "2丁目1番地",
    }
    assert html.count("data-fill-on-load") == 2
    assert 'data-fill-focus="#id_surname_kana"' in html
    assert reader.card.pins_sent() == 1  # not read again
    # Once: a reload shows the empty row.
    again = clerk_client.get(r["Location"]).content.decode()
    assert _fill(again, "#newcomer") is None and "data-fill-on-load" not in again
    assert card.HELD not in clerk_client.session


@pytest.mark.django_db
def test_the_person_added_from_the_filled_row_showed_a_card(clerk_client, reader):
    form = _start_form(_read(clerk_client).content.decode())
    r = clerk_client.post(reverse("counter:visit_new"), form)
    visit = Visit.objects.get()
    person = _fill(clerk_client.get(r["Location"]).content.decode(), "#newcomer")
    person.update(surname_kana="カサイ", given_kana="タツジ", relation="世帯主", token="t-add-card")
    clerk_client.post(reverse("counter:person_add", args=[visit.number]), person)
    vp = visit.people.get()
    assert (vp.name, vp.card_read) == ("葛西\u3000辰治", True)
    assert vp.facts.get("has_mynumber_card") is True


@pytest.mark.django_db
def test_a_double_submitted_start_form_opens_one_visit_which_takes_the_read(clerk_client, reader):
    form = _start_form(_read(clerk_client).content.decode())
    first = clerk_client.post(reverse("counter:visit_new"), form)
    second = clerk_client.post(reverse("counter:visit_new"), form)
    assert Visit.objects.count() == 1
    assert first["Location"] == second["Location"]
    html = clerk_client.get(second["Location"]).content.decode()
    assert _fill(html, "#newcomer")["given_name"] == "辰治"


@pytest.mark.django_db
def test_a_read_held_too_long_fills_nothing(clerk_client, reader, monkeypatch):
    form = _start_form(_read(clerk_client).content.decode())
    session = clerk_client.session
    session[card.HELD] = {**session[card.HELD], "until": 0}
    session.save()
    r = clerk_client.post(reverse("counter:visit_new"), form)
    assert _fill(clerk_client.get(r["Location"]).content.decode(), "#newcomer") is None


@pytest.mark.django_db
def test_another_cards_read_never_fills_the_visit(clerk_client, reader, kasai):
    reader.insert(cardsim.demo_card(name="札幌\u3000一郎"))
    form = _start_form(_read(clerk_client).content.decode())
    # The next card's holder is in the register: the first card's read is dropped.
    reader.insert(cardsim.demo_card())
    assert "1 世帯が見つかりました" in _read(clerk_client).content.decode()
    r = clerk_client.post(reverse("counter:visit_new"), form)
    assert _fill(clerk_client.get(r["Location"]).content.decode(), "#newcomer") is None


@pytest.mark.django_db
def test_a_visit_started_without_the_card_does_not_take_its_read(clerk_client, reader):
    _read(clerk_client)
    r = clerk_client.post(
        reverse("counter:visit_new"),
        {"events": "tennyu", "event_date": "R8.4.10", "token": "t-plain"},
    )
    assert _fill(clerk_client.get(r["Location"]).content.decode(), "#newcomer") is None
    assert "visit" not in clerk_client.session[card.HELD]


# -- not found here -----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("address", [HERE, "住所の読めないカード"])
def test_nobody_found_in_this_city_or_an_unknown_address_is_said_so(clerk_client, reader, address):
    reader.insert(cardsim.demo_card(address=address))
    html = _read(clerk_client).content.decode()
    assert "このカードの方は住民記録に見つかりませんでした" in html
    assert f'href="{reverse("counter:visit_new")}"' in html and "住民登録のない方の転入" in html
    assert 'data-fill-focus="#q"' in html  # back to the search box
    assert 'id="card-tennyu"' not in html
    assert card.HELD not in clerk_client.session


@pytest.mark.django_db
def test_the_message_is_the_same_whether_a_protected_household_lives_there_or_not(
    clerk_client, reader
):
    reader.insert(cardsim.demo_card(address=HERE))
    without = _without_csrf(_read(clerk_client).content.decode())
    # A 支援措置 household at the card's very address, with someone else.
    hh = household(town="北4条東", banchi="3-12", katagaki="コーポ北見101")
    hidden = resident(hh, "北見　花子", "キタミ　ハナコ", date(1980, 1, 1), "世帯主", sex="2")
    hidden.support_measure = True
    hidden.save()
    with_protected = _without_csrf(_read(clerk_client).content.decode())
    assert with_protected == without
    assert "コーポ北見" not in with_protected and hh.household_no not in with_protected
    assert not AuditEntry.objects.filter(action__startswith="protected_address").exists()


# -- the card's failures, the PIN --------------------------------------------------------------


@pytest.mark.django_db
def test_a_wrong_pin_says_the_tries_left_and_the_pin_is_nowhere(
    clerk_client, reader, kasai, caplog
):
    caplog.set_level(logging.DEBUG)
    r = _read(clerk_client, "0570")
    html = r.content.decode()
    assert "暗証番号が違います。あと 2 回間違えるとカードがロックされます。" in html
    assert "0570" not in html
    assert 'data-fill-focus="#card-pin"' in html
    assert "世帯が見つかりました" not in html
    assert reader.card.pins_sent() == 1
    entry = AuditEntry.objects.get(action="card.read")
    assert entry.detail == {"outcome": "wrong_pin", "tries_left": 2, "where": "home"}
    assert not any("0570" in json.dumps(e.detail) for e in AuditEntry.objects.all())
    assert not AuditEntry.objects.filter(action="resident.searched").exists()
    assert "0570" not in caplog.text
    # The number is not read on the home screen at all.
    _read(clerk_client)
    assert [0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x01] not in reader.card.log


@pytest.mark.django_db
def test_a_locked_card_is_said_so_and_gets_no_pin(clerk_client, reader):
    reader.insert(cardsim.demo_card(tries=0))
    html = _read(clerk_client).content.decode()
    assert "ロックされています" in html and "市民課" in html and "card-locked" in html
    assert reader.card.pins_sent() == 0
    assert AuditEntry.objects.get(action="card.read").detail == {
        "outcome": "locked",
        "where": "home",
    }


@pytest.mark.django_db
def test_a_pin_that_is_not_four_digits_never_reaches_the_card(clerk_client, reader):
    r = _read(clerk_client, "12")
    assert r.status_code == 400 and "4桁の数字" in r.content.decode()
    assert reader.card.pins_sent() == 0
    assert not AuditEntry.objects.filter(action="card.read").exists()


@pytest.mark.django_db
def test_the_form_sent_before_its_script_took_over_reads_no_card(clerk_client, reader):
    r = clerk_client.post(reverse("counter:card_home"), {"pin": "1234"})
    assert r.status_code == 302 and r["Location"] == reverse("counter:home")
    assert reader.card.log == []
    assert not AuditEntry.objects.filter(action="card.read").exists()


@pytest.mark.django_db
def test_the_pin_is_never_sent_in_an_address(clerk_client, reader):
    assert clerk_client.get(reverse("counter:card_home"), {"pin": "1234"}).status_code == 405
    assert reader.card.log == []


@pytest.mark.django_db
def test_the_home_screen_has_the_card_form(clerk_client, settings):
    html = clerk_client.get(reverse("counter:home")).content.decode()
    form = html[html.index('<form id="card"') : html.index("</form>", html.index('id="card"'))]
    assert 'method="post"' in form and f'hx-post="{reverse("counter:card_home")}"' in form
    assert 'type="password" id="card-pin" name="pin"' in form
    assert "マイナンバーカードで始める" in form
    # On a counter PC with the bridge, the PIN field has no name: it never reaches the server.
    settings.CARD_BRIDGE_URL = "http://127.0.0.1:8765"
    html = clerk_client.get(reverse("counter:home")).content.decode()
    assert f'data-post="{reverse("counter:card_home")}"' in html
    assert 'id="card-pin" inputmode' in html and "cardbridge.js" in html


@pytest.mark.django_db
def test_the_department_may_not_read_cards_at_the_counter(client, hoken_clerk, reader):
    client.force_login(hoken_clerk)
    assert _read(client).status_code == 403
    assert reader.card.log == []


# -- the bridge on the counter PC --------------------------------------------------------------

BRIDGE_CARD = {
    "via": "bridge",
    "outcome": "ok",
    "name": "葛西\u3000辰治",
    "address": "北海道札幌市中央区北一条西２丁目１番地",
    "birth_date": "1988-05-12",
    "sex": "1",
}


@pytest.mark.django_db
def test_what_the_bridge_read_finds_the_holder_too(clerk_client, settings, kasai):
    settings.CARD_BRIDGE_URL = "http://127.0.0.1:8765"
    settings.CARD_READER = ""
    html = clerk_client.post(reverse("counter:card_home"), BRIDGE_CARD).content.decode()
    assert "1 世帯が見つかりました" in html
    entry = AuditEntry.objects.get(action="card.read")
    assert entry.detail == {"outcome": "ok", "where": "home", "via": "bridge"}


@pytest.mark.django_db
def test_the_bridges_read_starts_the_tennyu_and_fills_the_row(clerk_client, settings):
    settings.CARD_BRIDGE_URL = "http://127.0.0.1:8765"
    settings.CARD_READER = ""
    html = clerk_client.post(reverse("counter:card_home"), BRIDGE_CARD).content.decode()
    r = clerk_client.post(reverse("counter:visit_new"), _start_form(html))
    page = clerk_client.get(r["Location"]).content.decode()
    assert _fill(page, "#newcomer")["surname"] == "葛西"


@pytest.mark.django_db
def test_a_wrong_pin_at_the_bridge_says_the_tries_left(clerk_client, settings):
    settings.CARD_BRIDGE_URL = "http://127.0.0.1:8765"
    data = {"via": "bridge", "outcome": "wrong_pin", "tries_left": "1"}
    html = clerk_client.post(reverse("counter:card_home"), data).content.decode()
    assert "あと 1 回" in html
    assert AuditEntry.objects.get(action="card.read").detail == {
        "outcome": "wrong_pin",
        "tries_left": 1,
        "where": "home",
        "via": "bridge",
    }


@pytest.mark.django_db
def test_a_bridge_post_without_a_bridge_set_up_is_refused(clerk_client, settings):
    settings.CARD_BRIDGE_URL = ""
    r = clerk_client.post(reverse("counter:card_home"), BRIDGE_CARD)
    assert r.status_code == 400 and "連携が設定されていません" in r.content.decode()


# -- which city the card is from ---------------------------------------------------------------


@pytest.mark.parametrize(
    "address, elsewhere",
    [
        ("北海道札幌市中央区北一条西２丁目１番地", True),
        ("東京都北区王子１丁目１番地", True),
        (HERE, False),
        ("北海道北見市", False),
        ("どこでもない所", None),
    ],
)
def test_the_card_address_is_in_this_city_or_another(address, elsewhere):
    read = card._card_read(cardap.Basic4("葛西\u3000辰治", address, date(1988, 5, 12), "1"))
    assert card.from_elsewhere(read) is elsewhere


def test_a_ward_of_this_city_is_this_city(monkeypatch):
    from tenants import scope

    monkeypatch.setattr(
        scope, "municipality", lambda: {"code": "011002", "name": "札幌市", "pref": "北海道"}
    )
    read = card._card_read(
        cardap.Basic4("葛西\u3000辰治", "北海道札幌市中央区北一条西２丁目１番地", None, "1")
    )
    assert card.from_elsewhere(read) is False
