"""In Chromium: the resident types the card's PIN, the clerk presses Enter, and the newcomer row
fills from the simulated card (MADOGUCHI_CARD_READER=simulated:…); a 〒 fills its 町字. The
clerk's actions are counted, as in the counter-loop test."""

from datetime import date

import pytest
from playwright.sync_api import expect

from counter import card
from counter.models import Visit
from lib import cardsim

SPEC = "simulated:browser"


class CountingPage:
    """What a clerk (or the resident at the PIN) does by hand."""

    def __init__(self, page):
        self.page, self.clicks, self.typed, self.keys = page, 0, 0, 0

    def click(self, selector):
        self.clicks += 1
        self.page.click(selector)

    def fill(self, selector, text):
        self.typed += 1
        self.page.fill(selector, text)

    def press(self, selector, key):
        self.keys += 1
        self.page.press(selector, key)

    def select(self, selector, value):
        self.clicks += 1
        self.page.select_option(selector, value)


@pytest.fixture
def reader(settings):
    settings.CARD_READER = SPEC
    r = card.simulated_reader(SPEC)
    r.present = True
    r.insert(cardsim.demo_card())
    return r


def _start_tennyu(c):
    c.click("text=住民登録のない方の転入")
    c.page.check("input[value=tennyu]")  # already chosen for a newcomer
    c.fill("#id_event_date", "R8.4.10")
    c.click("button:has-text('受付を開始')")
    c.page.wait_for_selector("#card-pin")
    return Visit.objects.get()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_newcomer_is_added_from_the_card_in_five_actions(logged_in_page, reader, record_property):
    page = logged_in_page
    c = CountingPage(page)
    visit = _start_tennyu(c)
    c.clicks = c.typed = c.keys = 0  # count from the person row on

    c.fill("#card-pin", "1234")  # typed by the resident
    c.press("#card-pin", "Enter")
    expect(page.locator("#card-result")).to_contain_text("カードを読みました")
    expect(page.locator("#card-result")).to_contain_text("フリガナがありません")
    expect(page.locator("#card-pin")).to_have_value("")  # the PIN stays on no screen
    expect(page.locator("#id_surname")).to_have_value("葛西")  # filled as the answer settles
    expect(page.locator("#id_given_name")).to_have_value("辰治")
    expect(page.locator("#id_birth_date")).to_have_value("S63.5.12")
    expect(page.locator("#id_sex")).to_have_value("1")
    # The kana are the clerk's: the cursor waits there.
    expect(page.locator("#id_surname_kana")).to_be_focused()
    c.fill("#id_surname_kana", "カサイ")
    c.fill("#id_given_kana", "タツジ")
    # The old address the card filled saves in the background. The test server shares one
    # SQLite connection between its threads, so let those saves end before the next request
    # (a real server has a connection per request; a clerk is slower than this test).
    page.wait_for_load_state("networkidle")
    c.click("#newcomer button[type=submit]")
    page.wait_for_selector("tr[data-person=p1]")

    p = visit.people.get()
    assert (p.name, p.name_kana, p.birth_date, p.sex) == (
        "葛西\u3000辰治",
        "カサイ\u3000タツジ",
        date(1988, 5, 12),
        "1",
    )
    # The card's address went into the 旧住所 and saved itself.
    visit.refresh_from_db()
    assert visit.old_address["city"] == "札幌市中央区"
    assert visit.old_address["town"] == "北一条西"
    assert visit.old_address["banchi"] == "2丁目1番地"
    assert reader.card.pins_sent() == 1
    # The card was shown: 「マイナンバーカードをお持ちですか？」 is not asked of him.
    assert p.facts == {"has_mynumber_card": True}
    assert not page.locator("#live .q[data-fact=has_mynumber_card][data-person=p1]").count()

    actions = c.clicks + c.typed + c.keys
    assert actions == 5  # PIN, Enter, two kana, 追加 (the first person is 世帯主 by default)
    record_property("clicks", c.clicks + c.keys)
    record_property("typed_fields", c.typed)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_wrong_pin_says_the_tries_left_and_a_locked_card_says_so(logged_in_page, reader):
    page = logged_in_page
    c = CountingPage(page)
    _start_tennyu(c)
    page.fill("#card-pin", "0000")
    page.press("#card-pin", "Enter")
    expect(page.locator("#card-result .error")).to_contain_text("あと 2 回")
    expect(page.locator("#card-pin")).to_be_focused()
    assert page.input_value("#id_surname") == ""
    reader.insert(cardsim.demo_card(tries=0))
    page.fill("#card-pin", "1234")
    page.press("#card-pin", "Enter")
    expect(page.locator("#card-result .error")).to_contain_text("ロックされています")
    assert reader.card.pins_sent() == 0


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_without_a_reader_the_screen_says_so(logged_in_page, settings):
    settings.CARD_READER = ""
    page = logged_in_page
    _start_tennyu(CountingPage(page))
    page.fill("#card-pin", "1234")
    page.click("#card button[type=submit]")
    expect(page.locator("#card-result .error")).to_contain_text("カードリーダーが見つかりません")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_full_width_zip_code_fills_the_town_and_a_town_its_code(logged_in_page, settings):
    page = logged_in_page
    visit = _start_tennyu(CountingPage(page))
    new = "fieldset[data-address=new_address]"
    page.fill(f"{new} input[name=zip]", "０９０－００２４")
    page.press(f"{new} input[name=zip]", "Tab")
    expect(page.locator(f"{new} input[name=town]")).to_have_value("北4条東")
    expect(page.locator(f"{new} .postal-hint")).to_contain_text("北海道北見市北4条東")

    old = "fieldset[data-address=old_address]"
    page.fill(f"{old} input[name=pref]", "北海道")
    page.fill(f"{old} input[name=city]", "北見市")
    page.fill(f"{old} input[name=town]", "北2条西")
    page.press(f"{old} input[name=town]", "Tab")
    expect(page.locator(f"{old} input[name=zip]")).to_have_value("090-0042")

    def saved():
        visit.refresh_from_db()
        return visit.new_address.get("town"), visit.old_address.get("zip")

    expect(page.locator("#old_address-status")).to_contain_text("保存しました")
    for _ in range(50):  # the fields save themselves one request each
        if saved() == ("北4条東", "0900042"):
            break
        page.wait_for_timeout(100)
    assert saved() == ("北4条東", "0900042")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_prepared_newcomers_card_is_compared_and_its_address_taken_in_one_click(
    logged_in_page, reader, clerk
):
    # The 転入予約 feed sent him with a 旧住所 in Asahikawa; his card says Sapporo.
    from counter.tests.test_card_holder import ASAHIKAWA, prepared

    visit = prepared(clerk, old_address=ASAHIKAWA)
    page = logged_in_page
    c = CountingPage(page)
    page.goto(f"/visits/{visit.number}/")
    c.fill("#card-pin", "1234")
    c.press("#card-pin", "Enter")
    result = page.locator("#card-result")
    expect(result).to_contain_text("葛西\u3000辰治 さんのカードとして記録しました")
    expect(result.locator("tr[data-differs=address]")).to_contain_text("北海道旭川市宮下通7-2")
    # Nothing went into the add row (it keeps the family's surname for the next person);
    # his row says his number is on file, masked.
    assert page.input_value("#id_given_name") == "" and page.input_value("#id_birth_date") == ""
    expect(page.locator("tr[data-person=p1] .mynumber")).to_contain_text("＊＊＊＊ 9018")
    # The interview no longer asks him whether he has a card.
    expect(page.locator("#live .q[data-fact=has_mynumber_card][data-person=p1]")).to_have_count(0)
    c.click("#card-address-take")
    expect(page.locator('[data-address="old_address"] [name=city]')).to_have_value("札幌市中央区")
    page.wait_for_load_state("networkidle")  # the fields save themselves, one after the other
    visit.refresh_from_db()
    assert (visit.old_address["city"], visit.old_address["town"]) == ("札幌市中央区", "北一条西")
    assert visit.old_address["banchi"] == "2丁目1番地"
    assert visit.people.count() == 1 and reader.card.pins_sent() == 1
    assert c.clicks + c.typed + c.keys == 3  # PIN, Enter, the one click
