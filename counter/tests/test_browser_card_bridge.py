"""In Chromium: the card reader is on the counter PC. The page sends the PIN to the PC's bridge
(`madoguchi card-bridge`, lib/cardbridge.py, here on 127.0.0.1 with the simulated card), the
bridge reads the card, and the page posts what it read to the server, which fills the row and
audits the read. The PIN never travels to the server; a wrong PIN says the tries left."""

import threading

import pytest
from playwright.sync_api import expect

from accounts.models import AuditEntry
from counter.models import Visit
from lib import cardbridge, cardsim


@pytest.fixture
def reader():
    return cardsim.SimulatedReader(cardsim.demo_card())


@pytest.fixture
def bridge(live_server, reader, settings):
    # The bridge answers the Madoguchi server's pages only: here the test server's origin.
    server = cardbridge.BridgeServer(0, live_server.url, cardbridge.simulated(reader))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.CARD_BRIDGE_URL = f"http://127.0.0.1:{server.server_address[1]}"
    settings.CARD_READER = ""  # the server itself has no reader
    yield server
    server.shutdown()
    server.server_close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_card_is_read_on_the_counter_pc_through_its_bridge(
    logged_in_page, live_server, bridge, reader
):
    page = logged_in_page
    sent_to_server = []
    page.on(
        "request",
        lambda r: (
            sent_to_server.append(r.post_data or "")
            if r.method == "POST" and r.url.startswith(live_server.url)
            else None
        ),
    )
    page.click("text=住民登録のない方の転入")
    page.fill("#id_event_date", "R8.4.10")
    page.press("#id_event_date", "Enter")
    page.wait_for_selector("#card-pin")
    visit = Visit.objects.get()

    page.fill("#card-pin", "0000")
    page.press("#card-pin", "Enter")
    expect(page.locator("#card-result .error")).to_contain_text("あと 2 回")
    expect(page.locator("#card-pin")).to_have_value("")
    assert page.input_value("#id_surname") == ""

    page.fill("#card-pin", "1234")
    page.press("#card-pin", "Enter")
    expect(page.locator("#card-result")).to_contain_text("カードを読みました：葛西\u3000辰治")
    # The row fills once the answer has settled (static/madoguchi/fill.js).
    expect(page.locator("#id_given_name")).to_have_value("辰治")
    expect(page.locator("#id_birth_date")).to_have_value("S63.5.12")
    page.fill("#id_surname_kana", "カサイ\u3000タツジ")
    page.wait_for_load_state("networkidle")  # the card's old address saves itself first
    page.press("#id_surname_kana", "Enter")
    page.wait_for_selector("tr[data-person=p1]")

    p = visit.people.get()
    assert (p.name, p.name_kana, p.card_read) == ("葛西\u3000辰治", "カサイ\u3000タツジ", True)
    visit.refresh_from_db()
    assert visit.old_address["city"] == "札幌市中央区"
    assert reader.card.pins_sent() == 2
    entries = AuditEntry.objects.filter(action="card.read").order_by("id")
    assert [e.detail for e in entries] == [
        {"outcome": "wrong_pin", "tries_left": 2, "via": "bridge"},
        {"outcome": "ok", "via": "bridge"},
    ]
    # The PINs went to the bridge only.
    assert sent_to_server and not any("0000" in d or "1234" in d for d in sent_to_server)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_bridge_set_up_for_another_server_does_not_answer_this_page(
    logged_in_page, reader, settings
):
    # The same bridge, started for another server's origin: the browser gets no answer (CORS).
    server = cardbridge.BridgeServer(
        0, "https://madoguchi.other-city.example.jp", cardbridge.simulated(reader)
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.CARD_BRIDGE_URL = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        page = logged_in_page
        page.click("text=住民登録のない方の転入")
        page.fill("#id_event_date", "R8.4.10")
        page.press("#id_event_date", "Enter")
        page.fill("#card-pin", "1234")
        page.press("#card-pin", "Enter")
        expect(page.locator("#card-result .error")).to_contain_text(
            "カードリーダー連携（card-bridge）に接続できません"
        )
        assert reader.card.log == []  # refused before the card was touched
        assert AuditEntry.objects.get(action="card.read").detail["outcome"] == "no_bridge"
    finally:
        server.shutdown()
        server.server_close()
