"""What the queue answers to input it cannot use: a ticket action with a counter that is not a
number, a reason with a NUL byte, a booking link with a strange purpose, and a 転入予約 feed
whose notices are not of the documented shape. Never a 500; a Japanese message naming the
item; nothing half-saved."""

import copy
import json

import pytest
from django.urls import reverse

from queues import services
from queues.models import Reservation, Ticket
from queues.tests.test_reservations import NOTICE


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.fixture
def waiting(honcho, counters):
    return services.issue_ticket(office=honcho, purpose_code="moving")


@pytest.mark.django_db
@pytest.mark.parametrize("counter", ["abc", "1e309", "-1", "\x00", "99999999999999999999"])
def test_calling_to_a_counter_that_is_not_one_says_so(clerk_client, waiting, counter):
    url = reverse("queues:ticket_action", args=[waiting.pk, "call"])
    r = clerk_client.post(url, {"counter": counter}, follow=True)
    assert r.status_code == 200
    assert any(m.startswith("窓口") for m in _messages(r)), _messages(r)
    waiting.refresh_from_db()
    assert waiting.state == Ticket.State.WAITING


@pytest.mark.django_db
def test_calling_to_a_counter_of_the_office_calls(clerk_client, waiting, counters):
    url = reverse("queues:ticket_action", args=[waiting.pk, "call"])
    clerk_client.post(url, {"counter": counters[2].pk})
    waiting.refresh_from_db()
    assert waiting.state == Ticket.State.CALLED and waiting.counter == counters[2]


@pytest.mark.django_db
def test_a_counter_of_another_office_is_not_a_choice(clerk_client, waiting, counters):
    url = reverse("queues:ticket_action", args=[waiting.pk, "call"])
    r = clerk_client.post(url, {"counter": counters["tanno"].pk}, follow=True)
    assert any(m.startswith("窓口：") for m in _messages(r))
    waiting.refresh_from_db()
    assert waiting.state == Ticket.State.WAITING


@pytest.mark.django_db
def test_a_hold_reason_with_a_nul_is_refused_naming_it(clerk_client, waiting):
    url = reverse("queues:ticket_action", args=[waiting.pk, "hold"])
    r = clerk_client.post(url, {"reason": "書類\x00"}, follow=True)
    assert "保留の理由に使えない文字（NUL）が含まれています。" in _messages(r)
    waiting.refresh_from_db()
    assert waiting.state == Ticket.State.WAITING


@pytest.mark.django_db
def test_a_booking_link_with_an_unknown_purpose_offers_no_slot(client, honcho):
    for purpose in ("\x00", "<script>", "x" * 500):
        r = client.get(reverse("queues:book", args=["honcho"]), {"purpose": purpose})
        assert r.status_code == 200
        assert list(r.context["form"].fields["slot"].queryset) == []


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/queue/t/ab%00cd/", "/queue/t/%20/status.json"])
def test_a_ticket_token_that_cannot_be_one_is_not_found(client, path):
    assert client.get(path).status_code == 404


# -- the 転入予約 feed ---------------------------------------------------------------------------


def _notice(**changes):
    n = copy.deepcopy(NOTICE)
    for path, value in changes.items():
        node = n
        keys = path.split("__")
        for k in keys[:-1]:
            node = node[int(k)] if k.isdigit() else node[k]
        last = keys[-1]
        node[int(last) if last.isdigit() else last] = value
    return n


@pytest.mark.django_db
def test_items_that_are_not_notices_are_each_refused_by_position(feed):
    r = feed({"notices": ["MP-1", None, 12, [NOTICE]]})
    assert r.status_code == 400  # none went in
    results = r.json()["results"]
    assert [x["status"] for x in results] == ["error"] * 4
    assert (
        results[0]["message"] == "1件目：お知らせ は JSON のオブジェクト（{…}）で指定してください。"
    )
    assert results[3]["message"].startswith("4件目：")
    assert not Reservation.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"世帯員": "転入　太郎"}, "世帯員 は JSON の配列（[…]）で指定してください。"),
        ({"世帯員__0": "転入　太郎"}, "世帯員の1人目 は JSON のオブジェクト"),
        ({"世帯員__1__氏名": "転入\x00次郎"}, "お知らせ.世帯員[1].氏名 に使えない文字（NUL）"),
        ({"世帯員__0__続柄": "世" * 31}, "世帯員の1人目の続柄 は 30 文字以内で指定してください。"),
        ({"世帯員__0__生年月日": "1990-02-30"}, "世帯員の1人目の生年月日 は YYYY-MM-DD の日付"),
        ({"来庁予定日": [2026, 12, 1]}, "来庁予定日 は文字列で指定してください。"),
        ({"転入先住所": "北見市北4条東"}, "転入先住所 は JSON のオブジェクト"),
        ({"転入先住所__町字": "北" * 61}, "転入先住所の町字 は 60 文字以内"),
        ({"予約番号": "a\ud800"}, "お知らせ.予約番号 に使えない文字（U+D800）"),
        ({"電話番号": "0" * 21}, "電話番号 は 20 文字以内"),
    ],
)
def test_a_notice_of_the_wrong_shape_is_refused_naming_the_item(feed, changes, message):
    # json.dumps writes a lone surrogate as its \ud800 escape, as a core system's bug would.
    r = feed(json.dumps({"notices": [_notice(**changes)]}), raw=True)
    assert r.status_code == 400
    result = r.json()["results"][0]
    assert result["status"] == "error" and message in result["message"], result["message"]
    assert not Reservation.objects.exists()


@pytest.mark.django_db
def test_numbers_are_taken_where_a_system_may_send_them(feed):
    r = feed(
        {"notices": [_notice(予約番号=20261, 電話番号=157230000, 転入先住所__郵便番号=900024)]}
    )
    assert r.status_code == 200, r.json()
    assert Reservation.objects.get().external_id == "20261"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{", "本文を JSON として読めません"),
        (b'{"notices": {}}', "notices は JSON の配列"),
        (b'"notices"', "notices は JSON の配列"),
        (b"", "notices は JSON の配列"),
    ],
)
def test_a_body_that_is_not_a_list_of_notices_is_a_400_in_json(feed, body, message):
    r = feed(body, raw=True)
    assert r.status_code == 400
    assert message in r.json()["message"]


@pytest.mark.django_db
def test_the_feed_answers_a_get_in_json(client, feed_token):
    r = client.get(reverse("api:moving_notices"), HTTP_AUTHORIZATION=f"Bearer {feed_token}")
    assert r.status_code == 405 and r["Allow"] == "POST"
    assert r.json()["message"] == "このURLで使えるのは POST です。"
