"""The counter's bridge to a My Number card reader (券面事項入力補助AP, lib.cardap).

Which reader is settings.CARD_READER (env MADOGUCHI_CARD_READER):
- ""                      none: the screen says so and the clerk types;
- "pcsc:" / "pcsc:NAME"   a PC/SC reader through pyscard (lib.pcsc), the first one or the
                          first whose name contains NAME, on the machine that runs this server;
- "simulated:"            lib.cardsim's card, for the demo and the tests ("simulated:locked",
                          "simulated:nocard", "simulated:noreader" start it in that state).

With settings.CARD_BRIDGE_URL the reader is on the counter PC instead: the page asks the PC's
bridge (`madoguchi card-bridge`, lib.cardbridge) and posts what it read (bridge_read), so the
PIN never reaches this server.

One read is one session: connect, SELECT, VERIFY the PIN once, READ BINARY, disconnect. The
PIN is never stored, logged or retried.
"""

import datetime
import threading
import time
from dataclasses import dataclass

from django.conf import settings

from catalog.pack import default_pack
from counter import services
from counter.interview import CARD_FACT
from lib import cardap, cardsim, pcsc, postal
from residents import mynumber as mynumber_store
from tenants import scope


@dataclass(frozen=True)
class CardRead:
    surname: str
    given_name: str
    birth_date: datetime.date | None
    sex: str
    address: str  # as printed on the card
    address_parts: dict  # pref / city / town / banchi, split with the postal dictionary
    mynumber_enc: str = ""  # only when asked for: a Fernet token, never the digits


_simulated: dict[str, cardsim.SimulatedReader] = {}
_simulated_lock = threading.Lock()


def simulated_reader(spec: str = "simulated:") -> cardsim.SimulatedReader:
    """The one simulated reader of this process for `spec` (tests put other cards on it)."""
    with _simulated_lock:
        reader = _simulated.get(spec)
        if reader is None:
            state = spec.partition(":")[2]
            card = cardsim.demo_card()
            if state == "locked":
                card.tries = 0
            reader = cardsim.SimulatedReader(
                card=None if state == "nocard" else card, present=state != "noreader"
            )
            _simulated[spec] = reader
        return reader


def _connect():
    spec = settings.CARD_READER or ""
    kind, _colon, arg = spec.partition(":")
    if kind == "simulated":
        return simulated_reader(spec).connect(), None
    if kind == "pcsc":
        conn = pcsc.PcscConnection(arg)
        return conn, conn.close
    raise cardap.NoReader("no card reader configured")


def read_card(pin: str, *, with_number: bool = False) -> CardRead:
    """Read the four facts (and the 個人番号 only when `with_number`); raises a
    lib.cardap.CardError subclass for each way it can fail."""
    basic, number = cardap.read_text_ap(_connect, pin, number=with_number)
    return _card_read(basic, mynumber_store.encrypt(number) if number else "")


def _card_read(basic: cardap.Basic4, token: str = "") -> CardRead:
    return CardRead(
        surname=basic.surname,
        given_name=basic.given_name,
        birth_date=basic.birth_date,
        sex=basic.sex,
        address=basic.address,
        address_parts=postal.split_address(basic.address),
        mynumber_enc=token,
    )


class BridgeUnreachable(cardap.NoReader):
    """The page could not reach the counter PC's bridge: not running, or set up for another
    server's origin (`madoguchi card-bridge --origin`)."""


def bridge_read(outcome: str, *, tries_left=None, **basic) -> CardRead:
    """A read the counter PC's bridge (lib.cardbridge) made, as the page posted it: the same
    CardRead as read_card's, or the same CardError for the outcome that stopped it."""
    if outcome == "no_bridge":
        raise BridgeUnreachable(outcome)
    if outcome != "ok":
        raise cardap.error_for(outcome, tries_left)
    return _card_read(cardap.Basic4(**basic))


def record_card_shown(vp, *, by, request=None):
    """A newcomer added from a card read showed a My Number card: the interview need not ask."""
    if not vp.card_read:
        vp.card_read = True
        vp.save(update_fields=["card_read"])
    if CARD_FACT in default_pack().facts and CARD_FACT not in vp.facts:
        services.record_answers(
            vp.visit, by=by, fact=CARD_FACT, value=True, people=[vp], request=request
        )


def from_elsewhere(read: CardRead) -> bool | None:
    """Whether the card's address is in another municipality than this one (the tenant's city,
    tenants.scope.municipality): True, False, or None when the address could not be split. A
    ward of this city (札幌市中央区 for 札幌市) is this city."""
    pref, city = read.address_parts.get("pref"), read.address_parts.get("city")
    if not pref or not city:
        return None
    own = scope.municipality()
    if pref != own.get("pref"):
        return True
    ward = city.removeprefix(own["name"])
    return not (city == own["name"] or (ward != city and ward.endswith("区")))


# A read on the home screen that found nobody, kept for the 転入 the clerk starts from it: in
# the session (never in a URL), taken once by that visit, for a few minutes; the four facts
# only, no PIN and no 個人番号.
HELD = "counter.card_held"
HOLD_SECONDS = 600


def hold(session, read: CardRead) -> None:
    session[HELD] = {
        "surname": read.surname,
        "given_name": read.given_name,
        "birth_date": read.birth_date.isoformat() if read.birth_date else "",
        "sex": read.sex,
        "address": read.address,
        "until": time.time() + HOLD_SECONDS,
    }


def drop_held(session) -> None:
    session.pop(HELD, None)


def claim_held(session, number: str) -> None:
    """The visit just started from the held read takes it (a second submission of the same
    start form finds it already taken by the same visit)."""
    held = session.get(HELD)
    if not held or held.get("visit") or held["until"] < time.time():
        return
    session[HELD] = {**held, "visit": number}


def take_held(session, number: str) -> CardRead | None:
    """The read the visit `number` took, once: its page fills the row from it."""
    held = session.get(HELD)
    if not held or held.get("visit") != number:
        return None
    del session[HELD]
    if held["until"] < time.time():
        return None
    born = held["birth_date"]
    return _card_read(
        cardap.Basic4(
            name=f"{held['surname']}\u3000{held['given_name']}",
            address=held["address"],
            birth_date=datetime.date.fromisoformat(born) if born else None,
            sex=held["sex"],
        )
    )
