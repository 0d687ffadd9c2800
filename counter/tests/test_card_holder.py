"""A card read at a visit whose holder is already on it (issue 12, "take pre-entered data" and
"read the card"): the 転入予約 feed's or a pre-entry's newcomer, or a resident of the visit's
household. The card is recorded for that person — nobody is added twice — and what it says is
compared with what the visit holds; the 旧住所 is taken from the card only on the clerk's
click; a 支援措置 household's address is never compared for a clerk who may not see it."""

import json
import re
from datetime import date
from html import unescape

import pytest
from django.urls import reverse

from accounts.models import AuditEntry
from counter import card, services
from counter.models import Visit
from counter.tests.factories import household, resident
from lib import cardsim
from residents import mynumber

NUMBER = "123456789018"  # lib.cardsim.demo_card's: 葛西 辰治, S63.5.12, from 札幌市中央区
CARD_ADDRESS = "北海道札幌市中央区北一条西２丁目１番地"
SAPPORO = {"pref": "北海道", "city": "札幌市中央区", "town": "北一条西", "banchi": "2-1"}
ASAHIKAWA = {"pref": "北海道", "city": "旭川市", "town": "宮下通", "banchi": "7-2"}


@pytest.fixture
def reader(settings):
    settings.CARD_READER = "simulated:holder"
    r = card.simulated_reader("simulated:holder")
    r.present = True
    r.insert(cardsim.demo_card())
    return r


def prepared(clerk, *, old_address, name="葛西\u3000辰治"):
    """A 転入 the feed announced: open, its 旧住所 and the father already there."""
    visit = services.start_visit(
        by=clerk, office=clerk.staff.office, events=["tennyu"], event_date=date(2026, 4, 10)
    )
    Visit.objects.filter(pk=visit.pk).update(old_address=old_address)
    services.add_newcomer(
        visit,
        by=clerk,
        data={
            "name": name,
            "name_kana": "カサイ\u3000タツジ",
            "birth_date": date(1988, 5, 12),
            "sex": "1",
            "relation": "世帯主",
        },
    )
    visit.refresh_from_db()
    return visit


def _read(client, visit, pin="1234"):
    return client.post(
        reverse("counter:card_read", args=[visit.number]), {"pin": pin}, HTTP_HX_REQUEST="true"
    )


def _fill(html, scope):
    m = re.search(r"data-fill=\"([^\"]*)\" data-fill-scope=['\"]" + re.escape(scope), html)
    return json.loads(unescape(m[1])) if m else None


def _differs(html) -> dict[str, tuple[str, str]]:
    rows = re.findall(
        r'<tr data-differs="(\w+)"><th scope="row">[^<]*</th><td>([^<]*)</td><td>([^<]*)</td>',
        html,
    )
    return {item: (unescape(on_card), unescape(record)) for item, on_card, record in rows}


def _audit_text() -> str:
    return json.dumps([e.detail for e in AuditEntry.objects.all()], ensure_ascii=False)


# -- a newcomer the feed prepared ---------------------------------------------------------------


@pytest.mark.django_db
def test_the_card_of_the_prepared_newcomer_is_recorded_for_him_not_added(
    clerk, clerk_client, reader
):
    visit = prepared(clerk, old_address=SAPPORO)
    r = _read(clerk_client, visit)
    html = r.content.decode()
    assert r.status_code == 200
    assert "この来庁の 葛西\u3000辰治 さんのカードとして記録しました" in html
    assert 'id="card-agrees"' in html and "性別・住所は来庁の記録と一致" in html
    # Nothing for the add row: the card's holder is not a second 葛西 辰治.
    assert _fill(html, "#newcomer") is None and _fill(html, '[data-address="old_address"]') is None
    assert visit.people.count() == 1
    vp = visit.people.get()
    # Recorded for him: the card shown, its 個人番号 kept for his forms (a 転入 prints it),
    # encrypted; the page shows it masked, never the digits.
    assert vp.card_read and mynumber.decrypt(vp.mynumber_enc) == NUMBER
    assert NUMBER not in html and "個人番号：読取済（＊＊＊＊ ＊＊＊＊ 9018）" in html
    assert f'id="card-mark-{vp.key}" hx-swap-oob="innerHTML"' in html
    # The interview is drawn again: whether he has a card is no longer asked of him.
    assert '<div id="live" hx-swap-oob="innerHTML">' in html
    assert vp.facts.get("has_mynumber_card") is True
    found = AuditEntry.objects.get(action="card.holder_found")
    assert found.visit_id == visit.id and found.detail["person"] == vp.key
    assert found.detail["differs"] == []
    assert NUMBER not in _audit_text() and "北一条西" not in _audit_text()


@pytest.mark.django_db
def test_an_old_address_the_card_does_not_confirm_is_listed_and_taken_on_click(
    clerk, clerk_client, reader
):
    visit = prepared(clerk, old_address=ASAHIKAWA)
    html = _read(clerk_client, visit).content.decode()
    assert 'id="card-differs"' in html and 'role="alert"' in html
    assert _differs(html) == {"address": (CARD_ADDRESS, "北海道旭川市宮下通7-2")}
    # The card's 旧住所 goes into the fields only when the clerk clicks: the feed may be right.
    button = html[html.index('id="card-address-take"') :]
    assert button.index("data-fill-on-click") < button.index(">")
    assert _fill(html, '[data-address="old_address"]') == {
        "zip": "",
        "pref": "北海道",
        "city": "札幌市中央区",
        "town": "北一条西",
        "banchi": "2丁目1番地",
        "katagaki": "",
    }
    visit.refresh_from_db()
    assert visit.old_address == ASAHIKAWA  # nothing saved by the read
    found = AuditEntry.objects.get(action="card.holder_found")
    assert found.detail["differs"] == ["address"]
    assert "旭川" not in _audit_text() and "札幌" not in _audit_text()


@pytest.mark.django_db
def test_a_name_written_otherwise_is_the_same_person_and_the_record_prints(
    clerk, clerk_client, reader
):
    # The feed (the old city's register) writes 葛 with its IVS; the card has the plain one.
    visit = prepared(clerk, old_address=SAPPORO, name="葛\U000e0100西\u3000辰治")
    html = _read(clerk_client, visit).content.decode()
    assert visit.people.count() == 1 and visit.people.get().card_read
    assert _differs(html) == {"name": ("葛西\u3000辰治", "葛\U000e0100西\u3000辰治")}
    assert "申請書には来庁の記録の内容を印字します" in html
    assert visit.people.get().name == "葛\U000e0100西\u3000辰治"  # kept as written


@pytest.mark.django_db
def test_someone_else_of_that_name_is_not_the_holder(clerk, clerk_client, reader):
    # Same name, another birth date: the card fills the add row as for anyone new.
    visit = prepared(clerk, old_address=SAPPORO)
    visit.people.update(birth_date=date(1958, 5, 12))
    html = _read(clerk_client, visit).content.decode()
    assert 'id="card-holder"' not in html
    assert _fill(html, "#newcomer")["given_name"] == "辰治"
    assert not visit.people.get().card_read
    assert not AuditEntry.objects.filter(action="card.holder_found").exists()
    # Before a second 葛西 辰治 is added, the clerk is told about the first.
    assert "同じ氏名の 葛西　辰治 さん（昭和33年5月12日生）がすでにいます" in html


@pytest.mark.django_db
def test_a_cancelled_visit_reads_no_card(clerk, clerk_client, reader):
    visit = prepared(clerk, old_address=SAPPORO)
    services.cancel_visit(visit, by=clerk, reason="二重に作成")
    r = _read(clerk_client, visit)
    assert r.status_code == 409 and "取り消した来庁です" in r.content.decode()
    assert reader.card.pins_sent() == 0 and not visit.people.get().card_read


# -- a resident of the household ----------------------------------------------------------------


def _birth_visit(client, hh):
    client.post(
        reverse("counter:visit_start", args=[hh.id]),
        {"events": "birth", "event_date": "R8.4.10", "token": "t-birth"},
    )
    return Visit.objects.get(start_token="t-birth")


@pytest.mark.django_db
def test_a_residents_card_is_recorded_with_his_number_and_its_address_compared(
    clerk_client, reader
):
    hh = household(town="北4条東", banchi="3-12")
    resident(hh, "葛\U000e0100西　辰治", "カサイ　タツジ", date(1988, 5, 12), "世帯主")
    visit = _birth_visit(clerk_client, hh)
    html = _read(clerk_client, visit).content.decode()
    father = visit.people.get(resident__isnull=False)
    # 出生 leads to his 児童手当 claim, which prints his number: read and kept on his row.
    assert father.card_read and mynumber.decrypt(father.mynumber_enc) == NUMBER
    assert visit.people.count() == 1
    # The card still shows Sapporo: its 券面 was not updated when he moved in.
    assert _differs(html)["address"] == (CARD_ADDRESS, "北海道北見市北4条東3-12")
    assert "券面の記載事項変更" in html and 'id="card-address-take"' not in html
    page = clerk_client.get(reverse("counter:visit", args=[visit.number])).content.decode()
    row = page[page.index(f'data-person="{father.key}"') :]
    assert "個人番号：読取済（＊＊＊＊ ＊＊＊＊ 9018）" in row[: row.index("</tr>")]


@pytest.mark.django_db
def test_a_protected_households_address_is_not_compared_for_a_clerk(client, clerk, admin, reader):
    hh = household(town="北4条東", banchi="3-12")
    resident(hh, "葛\U000e0100西　辰治", "カサイ　タツジ", date(1988, 5, 12), "世帯主")
    hh.residents.update(support_measure=True)
    client.force_login(clerk)
    visit = _birth_visit(client, hh)
    html = _read(client, visit).content.decode()
    # Only the name as written (the register's IVS) is compared: "the address differs" or
    # "matches" would each tell the clerk something about where the household lives.
    assert set(_differs(html)) == {"name"}
    assert "北4条東" not in html and "3-12" not in html and "券面の記載事項変更" not in html
    hh.residents.update(name="葛西　辰治")
    html = _read(client, visit).content.decode()
    assert "性別は来庁の記録と一致" in html and "住所は来庁の記録と一致" not in html
    assert visit.people.get().card_read
    refused = AuditEntry.objects.filter(action="protected_address.refused", visit_id=visit.id)
    assert refused.filter(detail__where="card").exists()
    # The administrator, who may see it, is told.
    client.force_login(admin)
    html = _read(client, visit).content.decode()
    assert _differs(html)["address"] == (CARD_ADDRESS, "北海道北見市北4条東3-12")


# -- found on the home screen -------------------------------------------------------------------


def _home(client):
    return client.post(reverse("counter:card_home"), {"pin": "1234"}, HTTP_HX_REQUEST="true")


@pytest.mark.django_db
def test_the_home_read_is_taken_by_the_prepared_visit_opened_from_it(clerk, clerk_client, reader):
    visit = prepared(clerk, old_address=ASAHIKAWA)
    other = prepared(clerk, old_address=SAPPORO, name="北見\u3000一郎")
    html = _home(clerk_client).content.decode()
    assert f'href="{reverse("counter:visit", args=[visit.number])}"' in html
    # One card session: the four facts and, for the 転入 waiting for him, his number.
    assert reader.card.pins_sent() == 1 and reader.card.number_read()
    # Another visit opened meanwhile does not take his card.
    clerk_client.get(reverse("counter:visit", args=[other.number]))
    assert not other.people.get().card_read
    page = clerk_client.get(reverse("counter:visit", args=[visit.number])).content.decode()
    assert "この来庁の 葛西\u3000辰治 さんのカードとして記録しました" in page
    assert _differs(page) == {"address": (CARD_ADDRESS, "北海道旭川市宮下通7-2")}
    vp = visit.people.get()
    assert vp.card_read and mynumber.decrypt(vp.mynumber_enc) == NUMBER
    assert reader.card.pins_sent() == 1  # not read again
    # Taken once: the page opened again is the visit as it is.
    again = clerk_client.get(reverse("counter:visit", args=[visit.number])).content.decode()
    assert 'id="card-holder"' not in again
    assert card.HELD not in clerk_client.session


@pytest.mark.django_db
def test_a_typed_in_newcomers_card_fills_the_old_address_still_empty(clerk, clerk_client, reader):
    # The clerk typed him before the card came out; no 旧住所 yet: the card's fills the empty
    # fields (as for a newcomer added from the card), nothing is compared or added.
    visit = prepared(clerk, old_address={})
    html = _read(clerk_client, visit).content.decode()
    assert 'id="card-holder"' in html and "性別は来庁の記録と一致" in html
    assert _fill(html, '[data-address="old_address"]') == {
        "pref": "北海道",
        "city": "札幌市中央区",
        "town": "北一条西",
        "banchi": "2丁目1番地",
    }
    assert "data-fill-empty" in html and visit.people.count() == 1
