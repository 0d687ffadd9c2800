"""The resident's phone pages: no login, plain or やさしい日本語, a QR code of a reference (not
the data) at the end; expired, unknown and too-frequent requests are refused in Japanese."""

from datetime import timedelta

import pytest
from django.utils import timezone

from preentry import services
from preentry.models import PreEntry

pytestmark = pytest.mark.django_db


def _start(client, easy=False):
    r = client.post("/preentry/", {"easy": "1" if easy else "0"})
    assert r.status_code == 302
    return PreEntry.objects.latest("pk"), r["Location"]


def test_a_household_enters_its_move_people_and_answers_and_gets_a_qr_code(client):
    page = client.get("/preentry/")
    assert page.status_code == 200 and "入力を始める" in page.content.decode()
    pre, url = _start(client)
    assert url == f"/preentry/e/{pre.edit_token}/move/"
    r = client.post(
        url,
        {
            "event": "tennyu",
            "event_date": "2026-04-10",
            "new_zip": "０９０－００２４",  # typed with the IME on
            "new_town": "北4条東",
            "new_banchi": "3-12",
            "new_katagaki": "コーポ北見 201",
            "old_zip": "060-0001",
            "old_pref": "北海道",
            "old_city": "札幌市中央区",
            "old_town": "北1条西",
            "old_banchi": "2-1",
            "phone": "090-0000-0000",
        },
    )
    assert r.status_code == 302 and r["Location"].endswith("/people/")
    pre.refresh_from_db()
    assert pre.events == ["tennyu"] and pre.new_address["zip"] == "0900024"
    assert pre.new_address["city"] == "北見市" and pre.old_address["city"] == "札幌市中央区"

    people = f"/preentry/e/{pre.edit_token}/people/"
    # Nobody yet: 「次へ」 says to add someone.
    r = client.post(people, {"next": "1"})
    assert r.status_code == 400 and "1人以上" in r.content.decode()
    for row in (
        ("葛󠄀西", "辰治", "かさい", "たつじ", "1988-05-12", "1", "世帯主"),
        ("葛󠄀西", "𠮷乃", "カサイ", "ヨシノ", "平成30年6月20日", "2", "子"),
    ):
        keys = ("surname", "given_name", "surname_kana", "given_kana", "birth_date", "sex")
        data = dict(zip(keys, row[:6], strict=True)) | {"relation": row[6], "nationality": "JP"}
        r = client.post(people, data)
        assert r.status_code == 302, r.content.decode()[:2000]
    father, child = pre.people.all()
    assert father.name == "葛󠄀西\u3000辰治" and father.name_kana == "カサイ\u3000タツジ"
    assert str(child.birth_date) == "2018-06-20"
    assert client.get(people).content.decode().count("data-person=") == 2

    r = client.post(people, {"next": "1"})
    assert r.status_code == 302 and r["Location"].endswith("/questions/")
    page = client.get(r["Location"]).content.decode()
    assert 'name="a:' in page and "わからない" in page
    # Answer everything the page asks with わからない except the father's card: yes.
    for _round in range(10):
        asked = services.questions(pre)
        if not asked:
            break
        data = {f"a:{q.person or 'h'}:{q.fact}": "?" for q in asked}
        data[f"a:{father.key}:has_mynumber_card"] = "true"
        r = client.post(f"/preentry/e/{pre.edit_token}/questions/", data)
        assert r.status_code in (200, 302)
    assert r.status_code == 302 and r["Location"].endswith("/done/")
    father.refresh_from_db()
    assert father.facts["has_mynumber_card"] is True
    assert None in father.facts.values()  # わからない kept as unknown, not as いいえ

    done = client.get(f"/preentry/e/{pre.edit_token}/done/").content.decode()
    pre.refresh_from_db()
    code = services.display_code(pre)
    assert pre.submitted_at is not None
    assert "<svg" in done and code in done  # the QR code and the same reference as text
    # The QR holds the reference, not the data: no name, no address in it.
    svg = done[done.index("<svg") : done.index("</svg>")]
    assert "葛" not in svg and "北4条東" not in svg


def test_the_code_on_the_phone_does_not_open_the_phone_pages(client):
    pre = PreEntry.objects.get(pk=_start(client)[0].pk)
    r = client.get(f"/preentry/e/{services.display_code(pre)}/move/")
    assert r.status_code == 404 and "見つかりません" in r.content.decode()


def test_easy_japanese_is_one_button_away_and_stays(client):
    assert "ひっこし" in client.get("/preentry/?easy=1").content.decode()
    pre, url = _start(client)
    assert "引っ越した日" in client.get(url).content.decode()
    r = client.post(f"/preentry/e/{pre.edit_token}/wording/", {"easy": "1", "step": "move"})
    assert r.status_code == 302 and r["Location"] == url
    page = client.get(url).content.decode()
    assert "あたらしい じゅうしょ" in page and "ふつうの" in page


def test_an_expired_pre_entry_says_so_and_cannot_be_changed(client):
    pre, url = _start(client)
    PreEntry.objects.filter(pk=pre.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    r = client.get(url)
    assert r.status_code == 410 and "有効期限が切れました" in r.content.decode()
    r = client.post(url, {"event": "tennyu", "event_date": "2026-04-10", "new_town": "北4条東"})
    assert r.status_code == 410
    pre.refresh_from_db()
    assert pre.events == []


def test_it_expires_after_the_configured_days(client, settings):
    settings.PREENTRY_DAYS = 3
    pre, _url = _start(client)
    assert timedelta(days=2, hours=23) < pre.expires_at - timezone.now() <= timedelta(days=3)


def test_unknown_pages_lock_the_address_out_after_a_few_tries(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "preentry_miss": (3, 600)}
    pre, url = _start(client)
    for i in range(3):
        r = client.get(f"/preentry/e/wrong-token-{i}/move/")
        assert r.status_code == 404 and "見つかりません" in r.content.decode()
    # Locked: even the right token waits now, so guessing cannot go on.
    r = client.get(url)
    assert r.status_code == 429 and "しばらくお待ちください" in r.content.decode()


def test_starting_pre_entries_is_rate_limited_per_address(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "preentry_new": (2, 3600)}
    assert client.post("/preentry/", {}).status_code == 302
    assert client.post("/preentry/", {}).status_code == 302
    r = client.post("/preentry/", {})
    assert r.status_code == 429 and "しばらくお待ちください" in r.content.decode()
    assert PreEntry.objects.count() == 2


def test_the_phone_pages_carry_no_inline_script_and_are_not_stored(client):
    pre, url = _start(client)
    r = client.get(url)
    body = r.content.decode()
    assert "<script" not in body and " style=" not in body
    assert "no-store" in r["Cache-Control"]
    assert "script-src 'self'" in r["Content-Security-Policy"]
