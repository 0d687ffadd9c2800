"""A simulated My Number card that answers the real APDUs of the 券面事項入力補助AP.

The tests and the demo (MADOGUCHI_CARD_READER=simulated:) talk to it exactly as to a card
through pyscard: SELECT by AID and by file id, VERIFY with and without a PIN, READ BINARY
by offset. It keeps the card's state — the security status after a good PIN, the tries left
(three wrong PINs lock it for good) — so a test sees what a resident's card would do.
All holders are synthetic.
"""

import datetime
from dataclasses import dataclass, field

from lib import cardap

SW_OK = (0x90, 0x00)


def _tlv(tag: int, value: bytes) -> bytes:
    t = tag.to_bytes((tag.bit_length() + 7) // 8, "big")
    n = len(value)
    if n < 0x80:
        length = bytes([n])
    elif n < 0x100:
        length = bytes([0x81, n])
    else:
        length = bytes([0x82, n >> 8, n & 0xFF])
    return t + length + value


def encode_basic4(name: str, address: str, birth_date: datetime.date, sex: str) -> bytes:
    """File 0002 as the card holds it, DF 21 giving where each later field starts."""
    fields = [
        _tlv(cardap.TAG_NAME, name.encode("utf-8")),
        _tlv(cardap.TAG_ADDRESS, address.encode("utf-8")),
        _tlv(cardap.TAG_BIRTH, birth_date.strftime("%Y%m%d").encode("ascii")),
        _tlv(cardap.TAG_SEX, sex.encode("ascii")),
    ]
    offsets, at = b"", 3 + 8  # after DF 21 08 and its 8 bytes, inside the FF 20 value
    for f in fields:
        offsets += at.to_bytes(2, "big")
        at += len(f)
    body = _tlv(cardap.TAG_OFFSETS, offsets) + b"".join(fields)
    return _tlv(cardap.TAG_BASIC4, body)


def encode_number(number: str) -> bytes:
    return _tlv(cardap.TAG_NUMBER_FILE, number.encode("ascii"))


@dataclass
class SimulatedCard:
    name: str
    address: str
    birth_date: datetime.date
    sex: str
    number: str
    pin: str = "1234"
    tries: int = 3
    # What the card has seen, for tests that check no PIN was sent twice.
    log: list[list[int]] = field(default_factory=list)
    # The files it has answered a READ BINARY from (EF ids), over all sessions: a test sees
    # whether the 個人番号 (0001) was read at all.
    files_read: set[int] = field(default_factory=set)

    def __post_init__(self):
        self._files = {
            cardap.EF_NUMBER: encode_number(self.number),
            cardap.EF_BASIC4: encode_basic4(self.name, self.address, self.birth_date, self.sex),
        }
        self.reset()

    def reset(self):
        """A new session, as when the card is put on the reader: nothing selected or verified."""
        self._df_selected = False
        self._ef: int | None = None
        self._verified = False

    @property
    def locked(self) -> bool:
        return self.tries == 0

    def number_read(self) -> bool:
        return cardap.EF_NUMBER in self.files_read

    def pins_sent(self) -> int:
        return sum(1 for a in self.log if a[1] == 0x20 and len(a) > 4)

    def transmit(self, apdu) -> tuple[list[int], int, int]:
        apdu = list(apdu)
        self.log.append(apdu)
        data, sw = self._answer(apdu)
        return list(data), sw[0], sw[1]

    def _answer(self, apdu: list[int]) -> tuple[bytes, tuple[int, int]]:
        if len(apdu) < 4:
            return b"", (0x67, 0x00)
        cla, ins, p1, p2 = apdu[:4]
        body = apdu[4:]
        lc_data = bytes(body[1 : 1 + body[0]]) if len(body) > 1 else b""
        if len(body) > 1 and len(lc_data) != body[0]:
            return b"", (0x67, 0x00)  # Lc does not match the data
        if cla != 0x00:
            return b"", (0x6E, 0x00)
        if ins == 0xA4 and p1 == 0x04:
            if lc_data != cardap.AID_TEXT_AP:
                self._df_selected = False
                return b"", (0x6A, 0x82)
            self._df_selected, self._ef, self._verified = True, None, False
            return b"", SW_OK
        if ins == 0xA4 and p1 == 0x02:
            fid = int.from_bytes(lc_data, "big") if len(lc_data) == 2 else -1
            if not self._df_selected or (fid not in self._files and fid != cardap.EF_PIN):
                return b"", (0x6A, 0x82)
            self._ef = fid
            return b"", SW_OK
        if ins == 0x20:
            return self._verify(p2, lc_data if len(body) > 1 else None)
        if ins == 0xB0:
            le = body[0] if len(body) == 1 else 0
            return self._read((p1 << 8) | p2, le or 256)
        return b"", (0x6D, 0x00)

    def _verify(self, p2: int, pin: bytes | None) -> tuple[bytes, tuple[int, int]]:
        if self._ef != cardap.EF_PIN or p2 != 0x80:
            return b"", (0x69, 0x86)  # no PIN file selected
        if self.locked:
            return b"", (0x69, 0x83 if pin is not None else 0x84)
        if pin is None:
            return b"", SW_OK if self._verified else (0x63, 0xC0 | self.tries)
        if pin == self.pin.encode("ascii"):
            self.tries, self._verified = 3, True
            return b"", SW_OK
        self.tries -= 1
        self._verified = False
        return b"", (0x63, 0xC0 | self.tries)

    def _read(self, offset: int, le: int) -> tuple[bytes, tuple[int, int]]:
        if self._ef is None or self._ef == cardap.EF_PIN:
            return b"", (0x69, 0x86)
        if not self._verified:
            return b"", (0x69, 0x82)  # both files need the 入力補助用 PIN
        content = self._files[self._ef]
        self.files_read.add(self._ef)
        if offset > len(content):
            return b"", (0x6B, 0x00)
        chunk = content[offset : offset + le]
        return chunk, SW_OK if len(chunk) == le else (0x62, 0x82)


def demo_card(**changes) -> SimulatedCard:
    """The father of the family-of-four scenario, as his card would read before the move:
    葛 without its IVS (a card may use a substitute character), the old address in Sapporo."""
    values = {
        "name": "葛西\u3000辰治",
        "address": "北海道札幌市中央区北一条西２丁目１番地",
        "birth_date": datetime.date(1988, 5, 12),
        "sex": "1",
        "number": "123456789018",
    }
    values.update(changes)
    return SimulatedCard(**values)


class SimulatedReader:
    """A reader on the counter PC: holds one card or none; `present=False` is no reader."""

    def __init__(self, card: SimulatedCard | None = None, present: bool = True):
        self.card, self.present = card, present

    def insert(self, card: SimulatedCard | None):
        self.card = card

    def connect(self) -> SimulatedCard:
        if not self.present:
            raise cardap.NoReader("no reader")
        if self.card is None:
            raise cardap.NoCard("no card")
        self.card.reset()
        return self.card
