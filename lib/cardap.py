"""The My Number card's 券面事項入力補助AP, spoken in short APDUs (mynumber-card-and-exchange.md).

Pure protocol: anything with `transmit(apdu: list[int]) -> (data: list[int], sw1, sw2)` is a
card — pyscard's CardConnection in production, lib.cardsim's simulated card in tests. Nothing
here retries a PIN: three wrong PINs lock the card and send the resident to the 市民課, so
each verify() sends the PIN exactly once, and only after asking how many tries are left.
"""

import datetime
from dataclasses import dataclass
from typing import Protocol

AID_TEXT_AP = bytes.fromhex("D3921000310001010408")  # 券面事項入力補助AP
EF_NUMBER = 0x0001  # 個人番号
EF_BASIC4 = 0x0002  # 基本4情報
EF_PIN = 0x0011  # 券面事項入力補助用暗証番号

TAG_BASIC4 = 0xFF20
TAG_OFFSETS, TAG_NAME, TAG_ADDRESS, TAG_BIRTH, TAG_SEX = 0xDF21, 0xDF22, 0xDF23, 0xDF24, 0xDF25
TAG_NUMBER_FILE, TAG_NUMBER = 0xFF10, 0xFF10

SW_OK = (0x90, 0x00)
SW_EOF = (0x62, 0x82)  # end of file reached before Le bytes: the data is still good
CHUNK = 0xFF  # short APDU: at most 255 bytes a READ BINARY (Le 00 would ask for 256)


class CardError(Exception):
    """Anything that stops a read; the counter turns each kind into its Japanese message."""


class NoReader(CardError):
    """No card reader is connected (or none is configured for this counter)."""


class NoCard(CardError):
    """A reader, but no card on it (the reader says so before any APDU)."""


class NotMyNumberCard(CardError):
    """The card has no 券面事項入力補助AP (another IC card, or a card upside down)."""


class BadPinFormat(CardError):
    """Not four digits: refused before anything is sent, so it costs the resident no try."""


class WrongPin(CardError):
    def __init__(self, remaining: int):
        super().__init__(f"wrong PIN, {remaining} tries left")
        self.remaining = remaining


class PinLocked(CardError):
    """Three wrong PINs: only the 市民課 can reset it."""


class CardProtocolError(CardError):
    def __init__(self, what: str, sw1: int, sw2: int):
        super().__init__(f"{what}: SW {sw1:02X}{sw2:02X}")
        self.sw = (sw1, sw2)


class Transport(Protocol):
    def transmit(self, apdu: list[int]) -> tuple[list[int], int, int]: ...


@dataclass(frozen=True)
class Basic4:
    """基本4情報 as the card holds them; the text may use substitute characters for rare ones,
    so it finds a resident or fills a newcomer's row, and the register is what gets printed."""

    name: str  # surname U+3000 given name
    address: str
    birth_date: datetime.date | None
    sex: str  # ISO 5218: "1" 男, "2" 女, "9" 適用不能, "0" 不明

    @property
    def surname(self) -> str:
        return self.name.partition("\u3000")[0]

    @property
    def given_name(self) -> str:
        return self.name.partition("\u3000")[2]


# --- BER-TLV --------------------------------------------------------------------------


def _read_tag(buf: bytes, i: int) -> tuple[int, int]:
    tag = buf[i]
    i += 1
    if tag & 0x1F == 0x1F:  # multi-byte tag: FF 20, DF 21 …
        while True:
            b = buf[i]
            tag = (tag << 8) | b
            i += 1
            if not b & 0x80:
                break
    return tag, i


def _read_length(buf: bytes, i: int) -> tuple[int, int]:
    first = buf[i]
    i += 1
    if first < 0x80:
        return first, i
    n = first & 0x7F
    if n == 0 or n > 3:
        raise ValueError("unsupported BER length")
    return int.from_bytes(buf[i : i + n], "big"), i + n


def ber_header(buf: bytes) -> tuple[int, int, int]:
    """(tag, length of the value, length of tag + length bytes) of the TLV at the start."""
    tag, i = _read_tag(buf, 0)
    length, j = _read_length(buf, i)
    return tag, length, j


def ber_items(buf: bytes) -> list[tuple[int, bytes]]:
    """The TLVs one after another in `buf` (one level)."""
    out, i = [], 0
    while i < len(buf):
        if buf[i] in (0x00, 0xFF) and i + 1 >= len(buf):
            break  # padding at the end of a file
        tag, i = _read_tag(buf, i)
        length, i = _read_length(buf, i)
        if i + length > len(buf):
            raise ValueError("BER value runs past the data")
        out.append((tag, bytes(buf[i : i + length])))
        i += length
    return out


def parse_basic4(raw: bytes) -> Basic4:
    """File 0002: FF 20 { DF 21 offsets, DF 22 氏名, DF 23 住所, DF 24 生年月日, DF 25 性別 }."""
    tag, length, head = ber_header(raw)
    if tag != TAG_BASIC4:
        raise ValueError(f"not a 基本4情報 record (tag {tag:X})")
    fields = dict(ber_items(raw[head : head + length]))
    birth = fields.get(TAG_BIRTH, b"").decode("ascii", "replace")
    try:
        birth_date = datetime.date(int(birth[:4]), int(birth[4:6]), int(birth[6:8]))
    except ValueError:
        birth_date = None  # 不詳日 on the card: the clerk types what the register says
    return Basic4(
        name=fields.get(TAG_NAME, b"").decode("utf-8"),
        address=fields.get(TAG_ADDRESS, b"").decode("utf-8"),
        birth_date=birth_date,
        sex=fields.get(TAG_SEX, b"").decode("ascii", "replace").strip()[:1],
    )


def parse_number(raw: bytes) -> str:
    """File 0001: FF 10 0C <12 ASCII digits>."""
    tag, length, head = ber_header(raw)
    if tag != TAG_NUMBER_FILE:
        raise ValueError(f"not a 個人番号 record (tag {tag:X})")
    digits = raw[head : head + length].decode("ascii")
    if len(digits) != 12 or not digits.isdigit():
        raise ValueError("個人番号 record is not 12 digits")
    return digits


# --- APDUs ------------------------------------------------------------------------------


def select_df(aid: bytes) -> list[int]:
    return [0x00, 0xA4, 0x04, 0x0C, len(aid), *aid]


def select_ef(fid: int) -> list[int]:
    return [0x00, 0xA4, 0x02, 0x0C, 0x02, fid >> 8, fid & 0xFF]


def verify(pin: str | None = None) -> list[int]:
    """VERIFY against the PIN file selected; without data it only asks the tries left."""
    if pin is None:
        return [0x00, 0x20, 0x00, 0x80]
    data = pin.encode("ascii")
    return [0x00, 0x20, 0x00, 0x80, len(data), *data]


def read_binary(offset: int, le: int) -> list[int]:
    if not 0 <= offset <= 0x7FFF or not 1 <= le <= CHUNK:
        raise ValueError("READ BINARY out of range")
    return [0x00, 0xB0, offset >> 8, offset & 0xFF, le]


def is_pin(pin: str) -> bool:
    return isinstance(pin, str) and len(pin) == 4 and pin.isascii() and pin.isdigit()


class TextAP:
    """One session with a card's 券面事項入力補助AP.

    ap = TextAP(connection)
    ap.verify_pin("1234")        # WrongPin(remaining) / PinLocked, never retried
    ap.read_basic4()             # Basic4
    ap.read_number()             # only where a procedure needs the 個人番号
    """

    def __init__(self, card: Transport):
        self.card = card
        self.selected = False

    def _send(self, apdu: list[int]) -> tuple[bytes, int, int]:
        data, sw1, sw2 = self.card.transmit(list(apdu))
        if sw1 == 0x61:  # T=0: more data waits; fetch it with GET RESPONSE
            more, sw1, sw2 = self.card.transmit([0x00, 0xC0, 0x00, 0x00, sw2])
            data = list(data) + list(more)
        elif sw1 == 0x6C:  # wrong Le: the card names the right one
            data, sw1, sw2 = self.card.transmit(list(apdu[:-1]) + [sw2])
        return bytes(data), sw1, sw2

    def select(self):
        _, sw1, sw2 = self._send(select_df(AID_TEXT_AP))
        if (sw1, sw2) == (0x6A, 0x82):
            raise NotMyNumberCard("券面事項入力補助AP not found")
        if (sw1, sw2) != SW_OK:
            raise CardProtocolError("SELECT AP", sw1, sw2)
        self.selected = True

    def _select_ef(self, fid: int):
        if not self.selected:
            self.select()
        _, sw1, sw2 = self._send(select_ef(fid))
        if (sw1, sw2) != SW_OK:
            raise CardProtocolError(f"SELECT EF {fid:04X}", sw1, sw2)

    def tries_left(self) -> int:
        """How many wrong PINs the card still takes (asks without sending a PIN)."""
        self._select_ef(EF_PIN)
        _, sw1, sw2 = self._send(verify())
        if sw1 == 0x63 and sw2 & 0xF0 == 0xC0:
            return sw2 & 0x0F
        if (sw1, sw2) in ((0x69, 0x83), (0x69, 0x84)):
            return 0
        if (sw1, sw2) == SW_OK:
            return 3  # already verified in this session; the card does not say more
        raise CardProtocolError("VERIFY (tries left)", sw1, sw2)

    def verify_pin(self, pin: str):
        """Send the PIN once. A locked card is reported before the PIN is sent."""
        if not is_pin(pin):
            raise BadPinFormat("PIN must be 4 digits")
        if self.tries_left() == 0:
            raise PinLocked("card locked")
        _, sw1, sw2 = self._send(verify(pin))
        if (sw1, sw2) == SW_OK:
            return
        if sw1 == 0x63 and sw2 & 0xF0 == 0xC0:
            if sw2 & 0x0F == 0:
                raise PinLocked("card locked by this try")
            raise WrongPin(sw2 & 0x0F)
        if (sw1, sw2) in ((0x69, 0x83), (0x69, 0x84)):
            raise PinLocked("card locked")
        raise CardProtocolError("VERIFY", sw1, sw2)

    def _read_file(self, fid: int) -> bytes:
        """The TLV at the start of a file: its header first, then the rest in chunks, since a
        long address passes 255 bytes."""
        self._select_ef(fid)
        head = self._read(0, 5)
        _tag, length, hlen = ber_header(head)
        total = hlen + length
        out = bytearray(head[:total])
        while len(out) < total:
            chunk = self._read(len(out), min(CHUNK, total - len(out)))
            if not chunk:
                raise CardProtocolError(f"READ BINARY {fid:04X} short", 0x62, 0x82)
            out += chunk
        return bytes(out)

    def _read(self, offset: int, le: int) -> bytes:
        data, sw1, sw2 = self._send(read_binary(offset, le))
        if (sw1, sw2) in (SW_OK, SW_EOF):
            return data
        if (sw1, sw2) == (0x69, 0x82):
            raise CardProtocolError("READ BINARY before the PIN was verified", sw1, sw2)
        raise CardProtocolError("READ BINARY", sw1, sw2)

    def read_basic4(self) -> Basic4:
        return parse_basic4(self._read_file(EF_BASIC4))

    def read_number(self) -> str:
        return parse_number(self._read_file(EF_NUMBER))


def read_text_ap(connect, pin: str, *, number=False) -> tuple[Basic4, str]:
    """One read of the 券面事項入力補助AP, as the server and the counter PC's bridge do it: the
    PIN checked for its form before the card is touched (a wrong form would cost a try), sent
    once, never retried; the four facts, and the 個人番号 only when `number`. `number` may be a
    function of the four facts, asked after they are read and before the session ends: the
    number is then read under the same VERIFY, or file 0001 is never touched. `connect()`
    gives (card, close or None). Raises a CardError subclass for each way it can fail."""
    if not isinstance(pin, str) or not is_pin(pin):
        raise BadPinFormat("PIN must be 4 digits")
    card, close = connect()
    try:
        ap = TextAP(card)
        ap.select()
        ap.verify_pin(pin)
        basic = ap.read_basic4()
        wanted = number(basic) if callable(number) else number
        return basic, ap.read_number() if wanted else ""
    finally:
        if close:
            close()


# --- outcomes, as the counter's audit log and the reader bridge name them ------------------

OUTCOMES = {
    NoReader: "no_reader",
    NoCard: "no_card",
    NotMyNumberCard: "not_mynumber_card",
    BadPinFormat: "bad_pin_format",
    WrongPin: "wrong_pin",
    PinLocked: "locked",
}


def outcome_of(e: CardError) -> str:
    return OUTCOMES.get(type(e), "error")


def error_for(outcome: str, tries_left: int | None = None) -> CardError:
    """The error a read that ended in `outcome` raised (a read made by the counter PC's bridge,
    lib.cardbridge, reported to the server by name)."""
    if outcome == "wrong_pin":
        return WrongPin(tries_left if tries_left is not None else 0)
    for kind, name in OUTCOMES.items():
        if name == outcome:
            return kind(outcome)
    return CardError(outcome)
