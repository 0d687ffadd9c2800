"""The counter PC's card-reader bridge (lib/cardbridge.py) over real HTTP on 127.0.0.1, with
the simulated card on its reader: it answers only the configured server's pages, reads the
card with the PIN sent once, says how many tries are left, never sends a PIN to a locked card,
and never writes the PIN to its log."""

import http.client
import json
import logging
import threading

import pytest

from lib import cardbridge, cardsim

ORIGIN = "https://madoguchi.city.example.jp"


@pytest.fixture
def reader():
    return cardsim.SimulatedReader(cardsim.demo_card())


@pytest.fixture
def bridge(reader):
    server = cardbridge.BridgeServer(0, ORIGIN, cardbridge.simulated(reader))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _request(bridge, method, path="/read", body=None, origin=ORIGIN, host=None, headers=None):
    port = bridge.server_address[1]
    conn = http.client.HTTPConnection(cardbridge.HOST, port, timeout=10)
    h = {"Host": host or f"127.0.0.1:{port}", **(headers or {})}
    if origin:
        h["Origin"] = origin
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        h["Content-Type"] = "application/json"
    conn.request(method, path, body=data, headers=h)
    r = conn.getresponse()
    payload = r.read()
    conn.close()
    return r, (json.loads(payload) if payload else None)


def test_it_listens_on_the_loopback_address_only(bridge):
    assert bridge.server_address[0] == "127.0.0.1"


def test_it_reads_the_card_for_the_servers_page(bridge, reader):
    r, answer = _request(bridge, "POST", body={"pin": "1234"})
    assert r.status == 200
    assert r.getheader("Access-Control-Allow-Origin") == ORIGIN
    assert r.getheader("Cache-Control") == "no-store"
    assert answer == {
        "outcome": "ok",
        "card": {
            "name": "葛西\u3000辰治",
            "address": "北海道札幌市中央区北一条西２丁目１番地",
            "birth_date": "1988-05-12",
            "sex": "1",
        },
    }
    assert reader.card.pins_sent() == 1
    # The 個人番号 (file 0001) is never selected by the bridge.
    assert not any(a[1] == 0xA4 and a[-2:] == [0x00, 0x01] for a in reader.card.log)


def test_a_wrong_pin_says_the_tries_left_and_is_not_retried(bridge, reader):
    _r, answer = _request(bridge, "POST", body={"pin": "0000"})
    assert answer == {"outcome": "wrong_pin", "tries_left": 2}
    assert reader.card.pins_sent() == 1
    _r, answer = _request(bridge, "POST", body={"pin": "0000"})
    assert answer == {"outcome": "wrong_pin", "tries_left": 1}
    assert reader.card.pins_sent() == 2


def test_a_locked_card_is_said_so_and_gets_no_pin(bridge, reader):
    reader.insert(cardsim.demo_card(tries=0))
    _r, answer = _request(bridge, "POST", body={"pin": "1234"})
    assert answer == {"outcome": "locked"}
    assert reader.card.pins_sent() == 0


def test_the_third_wrong_pin_locks_the_card(bridge, reader):
    answers = [_request(bridge, "POST", body={"pin": "0000"})[1] for _ in range(3)]
    assert answers[-1] == {"outcome": "locked"}
    assert reader.card.locked


def test_no_card_and_a_bad_pin_are_said_without_touching_a_card(bridge, reader):
    _r, answer = _request(bridge, "POST", body={"pin": "12345"})
    assert answer == {"outcome": "bad_pin_format"}
    assert reader.card.log == []
    reader.insert(None)
    assert _request(bridge, "POST", body={"pin": "1234"})[1] == {"outcome": "no_card"}


@pytest.mark.parametrize(
    "origin",
    [None, "https://evil.example", "http://madoguchi.city.example.jp", ORIGIN + ":8443", "null"],
)
def test_another_origin_is_refused_and_the_card_not_touched(bridge, reader, origin):
    r, answer = _request(bridge, "POST", body={"pin": "1234"}, origin=origin)
    assert r.status == 403 and answer == {"outcome": "forbidden"}
    assert r.getheader("Access-Control-Allow-Origin") is None
    assert reader.card.log == []


def test_a_page_reaching_it_through_a_dns_name_is_refused(bridge, reader):
    # DNS rebinding: evil.example resolved to 127.0.0.1 carries its own Host.
    r, _answer = _request(bridge, "POST", body={"pin": "1234"}, host="evil.example:8765")
    assert r.status == 403
    assert reader.card.log == []


def test_the_preflight_answers_the_servers_origin_only(bridge):
    ask = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
        "Access-Control-Request-Private-Network": "true",
    }
    r, _ = _request(bridge, "OPTIONS", headers=ask)
    assert r.status == 204
    assert r.getheader("Access-Control-Allow-Origin") == ORIGIN
    assert r.getheader("Access-Control-Allow-Methods") == "POST"
    assert r.getheader("Access-Control-Allow-Private-Network") == "true"
    r, _ = _request(bridge, "OPTIONS", headers=ask, origin="https://evil.example")
    assert r.status == 403
    assert r.getheader("Access-Control-Allow-Origin") is None


def test_a_body_that_is_not_a_pin_request_is_refused(bridge, reader):
    assert _request(bridge, "POST", body=["1234"])[0].status == 400
    assert _request(bridge, "POST", body={"pin": 1234})[1] == {"outcome": "bad_pin_format"}
    assert _request(bridge, "POST", body={"pin": "1" * 2000})[0].status == 400
    assert _request(bridge, "GET", path="/read")[0].status == 404
    assert reader.card.log == []


def test_the_pin_is_never_in_the_log(bridge, caplog):
    with caplog.at_level(logging.DEBUG, logger="madoguchi.cardbridge"):
        _request(bridge, "POST", body={"pin": "1234"})
        _request(bridge, "POST", body={"pin": "9876"})
    text = caplog.text
    assert "card read: ok" in text and "card read: wrong_pin" in text
    assert "1234" not in text and "9876" not in text


def test_the_origin_must_be_a_bare_origin():
    for bad in ("", "madoguchi.city.example.jp", "https://madoguchi.city.example.jp/counter"):
        with pytest.raises(ValueError):
            cardbridge.BridgeServer(0, bad, cardbridge.simulated(cardsim.SimulatedReader()))


def test_the_origin_is_compared_as_a_browser_sends_it():
    assert cardbridge.origin_of("HTTPS://Madoguchi.City.Example.JP:443/") == ORIGIN
    assert cardbridge.origin_of("http://127.0.0.1:8765") == "http://127.0.0.1:8765"
    assert cardbridge.origin_of("http://127.0.0.1:99999") == ""
    assert cardbridge.origin_of("https://user@madoguchi.city.example.jp") == ""


def test_the_command_refuses_an_unknown_reader(capsys):
    assert cardbridge.main(["--port", "0", "--origin", ORIGIN, "--reader", "usb:"]) == 2
    assert "unknown reader" in capsys.readouterr().err
