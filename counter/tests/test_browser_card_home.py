"""In Chromium, on the home screen: the resident types the card's PIN and the card holder's
household shows from the register, ready to open; a wrong PIN says the tries left and leaves
the field empty; through the counter PC's bridge the PIN goes to the PC only and a newcomer's
転入 starts with the row filled. (The family of four starts this way too:
test_browser_card_family.py.)"""

import threading
from datetime import date

import pytest
from playwright.sync_api import expect

from accounts.models import AuditEntry
from counter import card
from counter.models import Visit
from counter.tests.factories import household, resident
from lib import cardbridge, cardsim

SPEC = "simulated:browser-home"


@pytest.fixture
def reader(settings):
    settings.CARD_READER = SPEC
    r = card.simulated_reader(SPEC)
    r.present = True
    r.insert(cardsim.demo_card())
    return r


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_card_holders_household_shows_ready_to_open(logged_in_page, reader):
    hh = household(town="北4条東", banchi="3-12")
    resident(hh, "葛\U000e0100西　辰治", "カサイ　タツジ", date(1988, 5, 12), "世帯主")
    page = logged_in_page
    page.wait_for_load_state()
    page.fill("#card-pin", "0000")
    page.press("#card-pin", "Enter")
    expect(page.locator("#card-result .error")).to_contain_text("あと 2 回")
    expect(page.locator("#card-pin")).to_have_value("")
    expect(page.locator("#card-pin")).to_be_focused()

    page.fill("#card-pin", "1234")
    page.press("#card-pin", "Enter")
    expect(page.locator("#results")).to_contain_text("1 世帯が見つかりました")
    expect(page.locator("#results .household")).to_contain_text("葛\U000e0100西　辰治")
    # Enter opens the household's visit: 「この世帯で受付」 has the focus.
    expect(page.locator("#results .household a.button")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/households/{hh.id}/visit/")
    assert reader.card.pins_sent() == 2


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_through_the_bridge_the_tennyu_starts_on_the_home_screen(
    logged_in_page, live_server, settings
):
    bridge_reader = cardsim.SimulatedReader(cardsim.demo_card())
    server = cardbridge.BridgeServer(0, live_server.url, cardbridge.simulated(bridge_reader))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.CARD_BRIDGE_URL = f"http://127.0.0.1:{server.server_address[1]}"
    settings.CARD_READER = ""
    try:
        page = logged_in_page
        sent = []
        page.on(
            "request",
            lambda r: (
                sent.append(r.post_data or "")
                if r.method == "POST" and r.url.startswith(live_server.url)
                else None
            ),
        )
        page.reload()  # the home screen drawn with the bridge set up
        page.wait_for_load_state()
        page.fill("#card-pin", "1234")
        page.press("#card-pin", "Enter")
        expect(page.locator("#card-tennyu")).to_contain_text("北海道札幌市中央区")
        expect(page.locator("#id_event_date")).to_be_focused()
        page.keyboard.type("R8.4.10")  # typed over today's date, which is selected
        page.keyboard.press("Enter")
        page.wait_for_selector("#card-pin")
        expect(page.locator("#card-result")).to_contain_text("カードを読みました：葛西\u3000辰治")
        expect(page.locator("#id_given_name")).to_have_value("辰治")
        expect(page.locator("#id_surname_kana")).to_be_focused()
        page.wait_for_load_state("networkidle")  # the card's old address saves itself
        visit = Visit.objects.get()
        assert visit.event_date == date(2026, 4, 10)
        assert visit.old_address["city"] == "札幌市中央区"
        assert bridge_reader.card.pins_sent() == 1
        assert not any("1234" in d for d in sent)
        entry = AuditEntry.objects.get(action="card.read")
        assert entry.detail == {"outcome": "ok", "where": "home", "via": "bridge"}
    finally:
        server.shutdown()
        server.server_close()
