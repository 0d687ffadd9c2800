"""「カードを読む」 with the reader on the counter PC (settings.CARD_BRIDGE_URL): the page posts
what the PC's bridge read; the server fills the row and audits it as its own read, says the
tries left or the lock in Japanese, takes no PIN, and lets the page reach exactly the bridge's
origin (Content-Security-Policy)."""

import json
import re
from html import unescape

import pytest
from django.urls import reverse

from accounts.models import AuditEntry
from counter.models import Visit

BRIDGE = "http://127.0.0.1:8765"
CARD = {
    "via": "bridge",
    "outcome": "ok",
    "name": "葛西\u3000辰治",
    "address": "北海道札幌市中央区北一条西２丁目１番地",
    "birth_date": "1988-05-12",
    "sex": "1",
}


@pytest.fixture
def bridge(settings):
    settings.CARD_BRIDGE_URL = BRIDGE
    settings.CARD_READER = ""  # no reader on the server: only the PC's bridge reads


@pytest.fixture
def tennyu(clerk_client):
    clerk_client.post(
        reverse("counter:visit_new"),
        {"events": "tennyu", "event_date": "R8.4.10", "token": "t-bridge"},
    )
    return Visit.objects.get()


def _post(client, visit, data):
    return client.post(reverse("counter:card_read", args=[visit.number]), data)


def _fill(html, scope):
    m = re.search(r"data-fill=\"([^\"]*)\" data-fill-scope=['\"]" + re.escape(scope), html)
    return json.loads(unescape(m[1])) if m else None


@pytest.mark.django_db
def test_what_the_bridge_read_fills_the_row_and_is_audited(clerk_client, tennyu, bridge):
    html = _post(clerk_client, tennyu, CARD).content.decode()
    assert "カードを読みました：葛西\u3000辰治" in html
    person = _fill(html, "#newcomer")
    assert (person["surname"], person["given_name"], person["birth_date"], person["sex"]) == (
        "葛西",
        "辰治",
        "S63.5.12",
        "1",
    )
    assert person["from_card"] == "1"
    assert _fill(html, '[data-address="old_address"]')["city"] == "札幌市中央区"
    entry = AuditEntry.objects.get(action="card.read")
    assert entry.detail == {"outcome": "ok", "via": "bridge"}
    assert entry.visit_id == tennyu.id


@pytest.mark.django_db
def test_a_wrong_pin_at_the_bridge_says_the_tries_left(clerk_client, tennyu, bridge):
    r = _post(clerk_client, tennyu, {"via": "bridge", "outcome": "wrong_pin", "tries_left": "2"})
    html = r.content.decode()
    assert "暗証番号が違います。あと 2 回間違えるとカードがロックされます。" in html
    assert _fill(html, "#newcomer") is None
    entry = AuditEntry.objects.get(action="card.read")
    assert entry.detail == {"outcome": "wrong_pin", "tries_left": 2, "via": "bridge"}


@pytest.mark.django_db
def test_a_locked_card_at_the_bridge_is_said_so(clerk_client, tennyu, bridge):
    html = _post(clerk_client, tennyu, {"via": "bridge", "outcome": "locked"}).content.decode()
    assert "ロックされています" in html and "市民課" in html
    assert AuditEntry.objects.get(action="card.read").detail["outcome"] == "locked"


@pytest.mark.django_db
def test_no_reader_at_the_bridge_is_said_so(clerk_client, tennyu, bridge):
    html = _post(clerk_client, tennyu, {"via": "bridge", "outcome": "no_reader"}).content.decode()
    assert "カードリーダーが見つかりません" in html


@pytest.mark.django_db
def test_a_bridge_the_page_cannot_reach_is_named(clerk_client, tennyu, bridge):
    html = _post(clerk_client, tennyu, {"via": "bridge", "outcome": "no_bridge"}).content.decode()
    assert "カードリーダー連携（card-bridge）に接続できません" in html
    assert AuditEntry.objects.get(action="card.read").detail == {
        "outcome": "no_bridge",
        "via": "bridge",
    }


@pytest.mark.django_db
def test_a_bridge_post_is_refused_where_no_bridge_is_set(clerk_client, tennyu, settings):
    settings.CARD_BRIDGE_URL = ""
    r = _post(clerk_client, tennyu, CARD)
    assert r.status_code == 400
    assert "連携が設定されていません" in r.content.decode()
    assert not AuditEntry.objects.filter(action="card.read").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        {"outcome": "guessed"},
        {"outcome": "ok", "name": ""},
        {"birth_date": "S63.5.12"},
        {"sex": "M"},
        {"tries_left": "7", "outcome": "wrong_pin"},
        {"name": "葛" * 101},
    ],
)
def test_a_malformed_bridge_post_is_refused(clerk_client, tennyu, bridge, change):
    r = _post(clerk_client, tennyu, {**CARD, **change})
    assert r.status_code == 400
    assert 'data-fill-scope="#newcomer"' not in r.content.decode()


@pytest.mark.django_db
def test_the_page_reads_through_the_bridge_and_may_reach_exactly_it(clerk_client, tennyu, bridge):
    r = clerk_client.get(reverse("counter:visit", args=[tennyu.number]))
    html = r.content.decode()
    assert f'data-bridge="{BRIDGE}"' in html
    assert "hx-post" not in re.search(r'<form id="card"[^>]*>', html)[0]
    # The PIN field has no name: without the script nothing would carry it to the server.
    pin = re.search(r'<input type="password" id="card-pin"[^>]*>', html)[0]
    assert "name=" not in pin
    connect = re.search(r"connect-src ([^;]*)", r["Content-Security-Policy"])[1]
    assert connect.split() == ["'self'", BRIDGE]


@pytest.mark.django_db
def test_without_a_bridge_the_policy_connects_to_the_server_only(clerk_client, tennyu, settings):
    settings.CARD_BRIDGE_URL = ""
    r = clerk_client.get(reverse("counter:visit", args=[tennyu.number]))
    assert re.search(r"connect-src ([^;]*)", r["Content-Security-Policy"])[1] == "'self'"
    assert 'name="pin"' in r.content.decode()
