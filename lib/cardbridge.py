"""The counter PC's card-reader bridge: a browser cannot talk to a card reader, so the counter
page asks this small local service, which reads the My Number card through PC/SC (pyscard,
lib.pcsc) and lib.cardap, and answers with the card's four facts.

    madoguchi card-bridge --port 8765 --origin https://madoguchi.city.example.jp

- It listens on 127.0.0.1 only, and answers only requests whose Host is that address (a web
  page cannot reach it through a DNS name pointed at 127.0.0.1).
- It answers only the Madoguchi server's pages: the browser's Origin must be `--origin`
  exactly (CORS, with Chrome's Private Network Access preflight); anything else gets 403 and
  the card is not touched.
- POST /read with {"pin": "1234"} → {"outcome": "ok", "card": {name, address, birth_date,
  sex}} or {"outcome": "wrong_pin", "tries_left": 2}, "locked", "no_card", "no_reader", ….
  The PIN goes to the card once: never retried, stored or logged (the log has the request
  line and the outcome only). The 個人番号 is never read here.

Plain Python (the standard library's http.server): the counter PC needs no Django and no
database, only this package and pyscard. One read at a time, as there is one reader.
"""

import argparse
import json
import logging
import os
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import urlsplit

from lib import cardap, cardsim, pcsc

HOST = "127.0.0.1"
DEFAULT_PORT = 8765
MAX_BODY = 1024  # {"pin": "1234"} and nothing more

log = logging.getLogger("madoguchi.cardbridge")


def connector(spec: str):
    """A function that opens the card for one read: `pcsc:` / `pcsc:NAME` a PC/SC reader,
    `simulated:` the demo's synthetic card (lib.cardsim)."""
    kind, _colon, arg = spec.partition(":")
    if kind == "pcsc":

        def connect():
            conn = pcsc.PcscConnection(arg)
            return conn, conn.close

        return connect
    if kind == "simulated":
        return simulated(cardsim.SimulatedReader(cardsim.demo_card()))
    raise ValueError(f"unknown reader {spec!r} (pcsc: or simulated:)")


def simulated(reader: cardsim.SimulatedReader):
    return lambda: (reader.connect(), None)


def read(connect, pin) -> dict:
    """One read as the bridge answers it: the four facts, or the outcome that stopped it."""
    try:
        basic, _number = cardap.read_text_ap(connect, pin)  # the 個人番号 is never read here
    except cardap.CardError as e:
        answer = {"outcome": cardap.outcome_of(e)}
        if isinstance(e, cardap.WrongPin):
            answer["tries_left"] = e.remaining
        return answer
    return {
        "outcome": "ok",
        "card": {
            "name": basic.name,
            "address": basic.address,
            "birth_date": basic.birth_date.isoformat() if basic.birth_date else "",
            "sex": basic.sex,
        },
    }


def origin_of(url: str) -> str:
    """scheme://host[:port] of a URL, as a browser sends it in Origin ("" if it is none)."""
    parts = urlsplit(url.strip())
    try:
        port = parts.port
    except ValueError:
        return ""
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username:
        return ""
    # A browser leaves the scheme's own port out of Origin.
    if port is None or (parts.scheme, port) in (("http", 80), ("https", 443)):
        return f"{parts.scheme}://{parts.hostname}"
    return f"{parts.scheme}://{parts.hostname}:{port}"


class Handler(BaseHTTPRequestHandler):
    server_version = "MadoguchiCardBridge/1"
    timeout = 15  # a client that stops sending does not hold the reader

    def _allowed(self) -> bool:
        host_ok = self.headers.get("Host", "") in self.server.hosts
        return host_ok and self.headers.get("Origin") == self.server.origin

    def _headers(self, status: int, body: bytes, cors: bool):
        self.send_response(status)
        if cors:
            self.send_header("Access-Control-Allow-Origin", self.server.origin)
            self.send_header("Vary", "Origin")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()

    def _json(self, status: int, data: dict, cors: bool = True):
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        self._headers(status, body, cors)
        self.wfile.write(body)

    def do_OPTIONS(self):  # noqa: N802 (http.server's naming)
        if self.path != "/read" or not self._allowed():
            return self._json(403, {"outcome": "forbidden"}, cors=False)
        self.send_response(204)
        self.send_header("Access-Control-Allow-Origin", self.server.origin)
        self.send_header("Access-Control-Allow-Methods", "POST")
        self.send_header("Access-Control-Allow-Headers", "Content-Type")
        self.send_header("Access-Control-Max-Age", "600")
        self.send_header("Vary", "Origin")
        if self.headers.get("Access-Control-Request-Private-Network") == "true":
            # Chrome asks before a page of another address space reaches 127.0.0.1.
            self.send_header("Access-Control-Allow-Private-Network", "true")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self):  # noqa: N802
        if self.path != "/read":
            return self._json(404, {"outcome": "not_found"}, cors=False)
        if not self._allowed():
            return self._json(403, {"outcome": "forbidden"}, cors=False)
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if not 0 < length <= MAX_BODY:
            return self._json(400, {"outcome": "bad_request"})
        try:
            pin = json.loads(self.rfile.read(length)).get("pin")
        except (ValueError, AttributeError):
            return self._json(400, {"outcome": "bad_request"})
        answer = read(self.server.connect, pin)
        log.info("card read: %s", answer["outcome"])
        self._json(200, answer)

    def do_GET(self):  # noqa: N802
        self._json(404, {"outcome": "not_found"}, cors=False)

    def log_message(self, format, *args):  # noqa: A002 (http.server's signature)
        # The request line and status only: the PIN is in the body, which is never logged.
        log.info("%s %s", self.address_string(), format % args)


class BridgeServer(HTTPServer):
    def __init__(self, port: int, origin: str, connect):
        bare = origin_of(origin)
        if not bare or urlsplit(origin.strip()).path.strip("/"):
            raise ValueError(f"--origin must be scheme://host[:port] of the server: {origin!r}")
        self.origin = bare
        self.connect = connect
        super().__init__((HOST, port), Handler)
        port = self.server_address[1]
        self.hosts = {f"{HOST}:{port}", f"localhost:{port}"}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(
        prog="madoguchi card-bridge",
        description="マイナンバーカードの読取を窓口PCのブラウザに中継します（127.0.0.1 のみ）。",
    )
    p.add_argument("--port", type=int, default=DEFAULT_PORT)
    p.add_argument(
        "--origin",
        default=os.environ.get("MADOGUCHI_CARD_BRIDGE_ORIGIN", ""),
        help="the Madoguchi server's origin, e.g. https://madoguchi.city.example.jp",
    )
    p.add_argument("--reader", default=os.environ.get("MADOGUCHI_CARD_READER", "pcsc:"))
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    try:
        server = BridgeServer(args.port, args.origin, connector(args.reader))
    except (ValueError, OSError) as e:
        print(f"card-bridge: {e}", file=sys.stderr)
        return 2
    log.info("card bridge on http://%s:%s for %s", HOST, server.server_address[1], server.origin)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
