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

The 個人番号 (file 0001) is read in that same session only when the visit can lead to a form
that prints it (needs_number: the events' procedures, their forms, a `*.mynumber` cell); it
leaves the card as a Fernet token (residents.mynumber) and is never held as digits except
while a packet is drawn. The bridge never reads it.
"""

import datetime
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing

from accounts import audit
from catalog.pack import default_pack
from counter import services
from counter.interview import CARD_FACT
from lib import cardap, cardsim, pcsc, postal
from printing.dictionary import MYNUMBER_FIELDS
from printing.templates_loader import load_templates
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


def read_card(pin: str, *, with_number=False) -> CardRead:
    """Read the four facts (and the 個人番号 only when `with_number`: a bool, or a function of
    the CardRead of the four facts, asked in the same card session); raises a
    lib.cardap.CardError subclass for each way it can fail."""
    wanted = (lambda b: with_number(_card_read(b))) if callable(with_number) else with_number
    basic, number = cardap.read_text_ap(_connect, pin, number=wanted)
    return _card_read(basic, mynumber_store.encrypt(number) if number else "")


def needs_number(events) -> bool:
    """Whether a visit with these events can lead to a form that prints the person's 個人番号:
    the pack's procedures for the events, their forms, a cell bound to a `*.mynumber` field.
    Only then is the card's file 0001 read."""
    pack = default_pack()
    templates = load_templates()
    forms = {v.form for e in events for v in pack.by_event.get(e, ()) if v.form}
    return any(
        MYNUMBER_FIELDS.intersection(templates[f].bound_fields()) for f in forms if f in templates
    )


def newcomer_events() -> list[str]:
    """The events a visit started from a card read on the home screen can be: moves in."""
    return [e.id for e in default_pack().events.values() if e.move == "in"]


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


def record_card_shown(vp, *, by, request=None, mynumber_enc: str = ""):
    """A newcomer added from a card read showed a My Number card: the interview need not ask.
    `mynumber_enc`, the 個人番号 read from that card (a Fernet token), is kept on the row for
    the forms of that person's procedures."""
    changed = []
    if not vp.card_read:
        vp.card_read = True
        changed.append("card_read")
    if mynumber_enc and vp.mynumber_enc != mynumber_enc:
        vp.mynumber_enc = mynumber_enc
        changed.append("mynumber_enc")
    if changed:
        vp.save(update_fields=changed)
    if "mynumber_enc" in changed:
        # That the number is on file, for whom; never the digits.
        audit.record(by, "card.number_kept", request=request, visit_id=vp.visit_id, person=vp.key)
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


# The 個人番号 token travels with the card's fill of the newcomer row (counter/_card_result.html)
# as a value signed by this server and bound to the visit, the card's birth date and sex: a row
# typed over for someone else, another visit's page or a forged post never gets it.
NUMBER_SALT = "counter.card.number"
NUMBER_SECONDS = 3600


def _number_binding(visit_number: str, birth_date, sex: str) -> list:
    born = birth_date.isoformat() if birth_date else ""
    return [visit_number, born, sex or ""]


def sign_number(visit, read: CardRead) -> str:
    """The read's 個人番号 token for the page's newcomer form ("" when none was read)."""
    if not read.mynumber_enc:
        return ""
    bound = _number_binding(visit.number, read.birth_date, read.sex)
    return signing.dumps([*bound, read.mynumber_enc], salt=NUMBER_SALT, compress=True)


def number_from(signed: str, visit, birth_date, sex: str) -> str:
    """The token `signed` carries when it was made for this visit and a person of this birth
    date and sex, else ""."""
    if not signed:
        return ""
    try:
        *bound, token = signing.loads(signed, salt=NUMBER_SALT, max_age=NUMBER_SECONDS)
    except (signing.BadSignature, ValueError, TypeError):
        return ""
    return token if bound == _number_binding(visit.number, birth_date, sex) else ""


# A read on the home screen that found nobody, kept for the 転入 the clerk starts from it: in
# the session (never in a URL), taken once by that visit, for a few minutes; the four facts,
# and the 個人番号 only as its Fernet token when it was read; no PIN, never the digits.
HELD = "counter.card_held"
HOLD_SECONDS = 600


def hold(session, read: CardRead, visits=()) -> None:
    """Keep the read for the visit the clerk starts from it (claim_held), or for one of the
    open `visits` it found (their numbers) that the clerk opens."""
    session[HELD] = {
        "surname": read.surname,
        "given_name": read.given_name,
        "birth_date": read.birth_date.isoformat() if read.birth_date else "",
        "sex": read.sex,
        "address": read.address,
        "mynumber_enc": read.mynumber_enc,
        "until": time.time() + HOLD_SECONDS,
        "visits": list(visits),
    }


def drop_held(session) -> None:
    session.pop(HELD, None)


def claim_held(session, number: str) -> None:
    """The visit just started from the held read takes it (a second submission of the same
    start form finds it already taken by the same visit)."""
    held = session.get(HELD)
    if not held or held.get("visit") or held.get("visits") or held["until"] < time.time():
        return
    session[HELD] = {**held, "visit": number}


def take_held(session, number: str, events=None) -> CardRead | None:
    """The read the visit `number` took, once: its page fills the row from it. Its 個人番号
    goes with it only when the visit's `events` need it (needs_number)."""
    held = session.get(HELD)
    if not held or number not in (held.get("visit"), *held.get("visits", ())):
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
        ),
        held.get("mynumber_enc", "") if events is not None and needs_number(events) else "",
    )
