"""「カードを読む」 over HTTP with the simulated card on the simulated reader: the newcomer row
is filled from the card, every read is audited (the PIN nowhere), and each failure — wrong PIN
with the tries left, a locked card, no card, no reader — is said in Japanese."""

import json
import re
from html import unescape

import pytest
from django.urls import reverse

from accounts.models import AuditEntry
from counter import card
from counter.models import Visit
from lib import cardsim


@pytest.fixture
def reader(settings):
    settings.CARD_READER = "simulated:test"
    r = card.simulated_reader("simulated:test")
    r.present = True
    r.insert(cardsim.demo_card())
    return r


@pytest.fixture
def tennyu(clerk_client):
    clerk_client.post(
        reverse("counter:visit_new"),
        {"events": "tennyu", "event_date": "R8.4.10", "token": "t-card"},
    )
    return Visit.objects.get()


def _read(client, visit, pin):
    return client.post(
        reverse("counter:card_read", args=[visit.number]), {"pin": pin}, HTTP_HX_REQUEST="true"
    )


def _fill(html, scope):
    m = re.search(r"data-fill=\"([^\"]*)\" data-fill-scope=['\"]" + re.escape(scope), html)
    return json.loads(unescape(m[1])) if m else None


@pytest.mark.django_db
def test_the_card_fills_the_newcomer_row_and_the_old_address(clerk_client, tennyu, reader):
    r = _read(clerk_client, tennyu, "1234")
    html = r.content.decode()
    assert r.status_code == 200
    person = _fill(html, "#newcomer")
    # A 転入 leads to forms that print the 個人番号: it came too, signed and encrypted.
    assert person.pop("card_number") and "123456789018" not in html
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
    assert "カードにはフリガナがありません" in html
    # Before the move the card shows where the family came from: the 旧住所, with its 〒.
    assert _fill(html, '[data-address="old_address"]') == {
        "pref": "北海道",
        "city": "札幌市中央区",
        "town": "北一条西",
        "banchi": "2丁目1番地",
    }  # no 〒: Japan Post splits 北一条西 by 丁目 (060-0001, 064-0821), the clerk picks
    # Nothing was saved by the read itself: the clerk confirms with 追加.
    assert not tennyu.people.exists()


@pytest.mark.django_db
def test_a_town_with_one_code_brings_its_code_in_the_citys_spelling(clerk_client, tennyu, reader):
    reader.insert(cardsim.demo_card(address="北海道北見市北四条東３丁目１２番地"))
    html = _read(clerk_client, tennyu, "1234").content.decode()
    assert _fill(html, '[data-address="old_address"]') == {
        "pref": "北海道",
        "city": "北見市",
        "town": "北4条東",
        "banchi": "3丁目12番地",
        "zip": "090-0024",
    }


@pytest.mark.django_db
def test_every_read_is_audited_without_the_pin(clerk_client, tennyu, reader):
    _read(clerk_client, tennyu, "1234")
    _read(clerk_client, tennyu, "4321")
    entries = list(AuditEntry.objects.filter(action="card.read").order_by("id"))
    assert [e.detail["outcome"] for e in entries] == ["ok", "wrong_pin"]
    assert entries[1].detail["tries_left"] == 2
    assert all(e.visit_id == tennyu.id for e in entries)
    assert not any(
        "1234" in json.dumps(e.detail) or "4321" in json.dumps(e.detail) for e in entries
    )


@pytest.mark.django_db
def test_a_wrong_pin_says_how_many_tries_remain_and_is_not_retried(clerk_client, tennyu, reader):
    html = _read(clerk_client, tennyu, "0000").content.decode()
    assert "暗証番号が違います。あと 2 回間違えるとカードがロックされます。" in html
    assert "#newcomer" not in html
    assert reader.card.pins_sent() == 1
    html = _read(clerk_client, tennyu, "0000").content.decode()
    assert "あと 1 回" in html
    assert reader.card.pins_sent() == 2


@pytest.mark.django_db
def test_a_locked_card_is_said_so_and_gets_no_pin(clerk_client, tennyu, reader):
    reader.insert(cardsim.demo_card(tries=0))
    html = _read(clerk_client, tennyu, "1234").content.decode()
    assert "ロックされています" in html and "市民課" in html
    assert reader.card.pins_sent() == 0
    assert AuditEntry.objects.get(action="card.read").detail["outcome"] == "locked"


@pytest.mark.django_db
def test_the_third_wrong_pin_locks_the_card(clerk_client, tennyu, reader):
    for _ in range(2):
        _read(clerk_client, tennyu, "0000")
    html = _read(clerk_client, tennyu, "0000").content.decode()
    assert "ロックされています" in html
    assert reader.card.locked


@pytest.mark.django_db
def test_no_card_on_the_reader(clerk_client, tennyu, reader):
    reader.insert(None)
    html = _read(clerk_client, tennyu, "1234").content.decode()
    assert "カードが置かれていません" in html


@pytest.mark.django_db
@pytest.mark.parametrize("spec", ["", "simulated:noreader", "pcsc:"])
def test_no_reader_is_a_clear_message(clerk_client, tennyu, settings, spec):
    # "pcsc:" goes through pyscard for real: this machine has no reader (nor pcscd running).
    settings.CARD_READER = spec
    html = _read(clerk_client, tennyu, "1234").content.decode()
    assert "カードリーダーが見つかりません" in html
    assert AuditEntry.objects.get(action="card.read").detail["outcome"] == "no_reader"


@pytest.mark.django_db
def test_a_pin_that_is_not_four_digits_is_refused_before_the_card(clerk_client, tennyu, reader):
    r = _read(clerk_client, tennyu, "12")
    assert r.status_code == 400
    assert "4桁の数字" in r.content.decode()
    assert reader.card.log == []


@pytest.mark.django_db
def test_a_full_width_pin_is_the_same_pin(clerk_client, tennyu, reader):
    html = _read(clerk_client, tennyu, "１２３４").content.decode()
    assert "カードを読みました" in html


@pytest.mark.django_db
def test_another_office_cannot_read_into_the_visit(client, branch_clerk, tennyu, reader):
    client.force_login(branch_clerk)
    r = _read(client, tennyu, "1234")
    assert r.status_code in (403, 404)
    assert reader.card.log == []


@pytest.mark.django_db
def test_the_number_is_read_only_on_request_and_kept_encrypted(settings, reader):
    from residents import mynumber

    settings.CARD_READER = "simulated:test"
    assert card.read_card("1234").mynumber_enc == ""
    token = card.read_card("1234", with_number=True).mynumber_enc
    assert "123456789018" not in token
    assert mynumber.decrypt(token) == "123456789018"
    assert mynumber.masked(token) == "＊＊＊＊ ＊＊＊＊ 9018"


@pytest.mark.django_db
def test_the_visit_page_offers_the_card_reader(clerk_client, tennyu):
    html = clerk_client.get(reverse("counter:visit", args=[tennyu.number])).content.decode()
    assert "カードを読む" in html and 'name="pin"' in html and 'type="password"' in html


@pytest.mark.django_db
def test_an_accepted_visit_reads_no_card(clerk_client, tennyu, reader):
    Visit.objects.filter(pk=tennyu.pk).update(status=Visit.Status.ACCEPTED)
    r = _read(clerk_client, tennyu, "1234")
    assert r.status_code == 409
    assert reader.card.log == []


def _add(client, visit, **extra):
    data = {
        "surname": "葛西",
        "given_name": "辰治",
        "birth_date": "S63.5.12",
        "sex": "1",
        "relation": "世帯主",
        "nationality": "JP",
        "token": extra.pop("token"),
    }
    data.update(extra)
    assert client.post(reverse("counter:person_add", args=[visit.number]), data).status_code == 302


@pytest.mark.django_db
def test_a_person_added_from_the_card_is_not_asked_about_the_card(clerk_client, tennyu):
    _add(clerk_client, tennyu, token="c1", from_card="1")
    _add(clerk_client, tennyu, token="c2")
    carded, typed = tennyu.people.order_by("key")
    assert carded.facts == {"has_mynumber_card": True}
    assert typed.facts == {}
    assert tennyu.answers.get().fact == "has_mynumber_card"


@pytest.mark.django_db
def test_the_form_sent_without_its_script_keeps_the_pin_out_of_urls_and_off_the_card(
    clerk_client, tennyu, reader
):
    page = clerk_client.get(reverse("counter:visit", args=[tennyu.number])).content.decode()
    form = re.search(r'<form id="card"[^>]*>', page)[0]
    assert 'method="post"' in form  # a GET would put the PIN in the address and the logs
    url = reverse("counter:card_read", args=[tennyu.number])
    r = clerk_client.post(url, {"pin": "1234"})  # no HX-Request: the browser's own submit
    assert r.status_code == 302 and r["Location"] == reverse("counter:visit", args=[tennyu.number])
    assert reader.card.pins_sent() == 0
