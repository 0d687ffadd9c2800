"""The 券面事項入力補助AP spoken in APDUs to a simulated card that answers the real commands:
a good PIN reads the four facts, a wrong PIN says how many tries remain and is never retried,
three wrong PINs lock the card, and a locked card is refused before its PIN is sent."""

import datetime

import pytest

from lib import cardap, cardsim


def _ap(**card):
    c = cardsim.demo_card(**card)
    return cardap.TextAP(c), c


def test_the_apdus_are_the_ones_the_card_documents():
    assert cardap.select_df(cardap.AID_TEXT_AP) == [
        0x00, 0xA4, 0x04, 0x0C, 0x0A, 0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08
    ]  # fmt: skip
    assert cardap.select_ef(cardap.EF_PIN) == [0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x11]
    assert cardap.select_ef(cardap.EF_BASIC4) == [0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x02]
    assert cardap.verify() == [0x00, 0x20, 0x00, 0x80]
    assert cardap.verify("1234") == [0x00, 0x20, 0x00, 0x80, 0x04, 0x31, 0x32, 0x33, 0x34]
    assert cardap.read_binary(0x0123, 0x10) == [0x00, 0xB0, 0x01, 0x23, 0x10]


def test_the_right_pin_reads_name_address_birth_date_and_sex():
    ap, card = _ap()
    ap.select()
    ap.verify_pin("1234")
    b = ap.read_basic4()
    assert b.name == "葛西\u3000辰治"
    assert (b.surname, b.given_name) == ("葛西", "辰治")
    assert b.address == "北海道札幌市中央区北一条西２丁目１番地"
    assert b.birth_date == datetime.date(1988, 5, 12)
    assert b.sex == "1"
    assert card.pins_sent() == 1


def test_a_wrong_pin_says_how_many_tries_remain_and_is_sent_once():
    ap, card = _ap()
    with pytest.raises(cardap.WrongPin) as e:
        ap.verify_pin("9999")
    assert e.value.remaining == 2
    assert card.pins_sent() == 1
    assert card.tries == 2
    # The next read asks the tries left without sending a PIN.
    assert cardap.TextAP(card).tries_left() == 2
    assert card.pins_sent() == 1


def test_a_right_pin_after_a_wrong_one_resets_the_count():
    ap, card = _ap()
    with pytest.raises(cardap.WrongPin):
        ap.verify_pin("0000")
    ap.verify_pin("1234")
    assert card.tries == 3


def test_the_third_wrong_pin_locks_the_card_and_a_locked_card_gets_no_pin():
    card = cardsim.demo_card()
    for remaining in (2, 1):
        with pytest.raises(cardap.WrongPin) as e:
            cardap.TextAP(card).verify_pin("0000")
        assert e.value.remaining == remaining
    with pytest.raises(cardap.PinLocked):
        cardap.TextAP(card).verify_pin("0000")
    assert card.locked and card.pins_sent() == 3
    # Even the right PIN is not sent to a locked card: it is refused before that.
    with pytest.raises(cardap.PinLocked):
        cardap.TextAP(card).verify_pin("1234")
    assert card.pins_sent() == 3


def test_a_card_locked_before_answers_6984_to_the_tries_question():
    card = cardsim.demo_card(tries=0)
    ap = cardap.TextAP(card)
    assert ap.tries_left() == 0
    assert card.log[-1] == [0x00, 0x20, 0x00, 0x80]
    assert card.transmit(cardap.verify("1234"))[1:] == (0x69, 0x83)


def test_a_pin_that_is_not_four_digits_never_reaches_the_card():
    ap, card = _ap()
    for bad in ("123", "12345", "12a4", "", "１２３４"):
        with pytest.raises(cardap.BadPinFormat):
            ap.verify_pin(bad)
    assert card.log == [] and card.tries == 3


def test_the_files_cannot_be_read_before_the_pin():
    ap, card = _ap()
    ap.select()
    with pytest.raises(cardap.CardProtocolError) as e:
        ap.read_basic4()
    assert e.value.sw == (0x69, 0x82)


def test_another_card_has_no_text_ap():
    class OtherCard:
        def transmit(self, apdu):
            return [], 0x6A, 0x82

    with pytest.raises(cardap.NotMyNumberCard):
        cardap.TextAP(OtherCard()).select()


def test_a_long_address_is_read_in_chunks_past_255_bytes():
    long_address = "北海道北見市北４条東３丁目１２番地" + "コーポ北見" * 30
    ap, card = _ap(address=long_address)
    ap.verify_pin("1234")
    assert ap.read_basic4().address == long_address
    reads = [a for a in card.log if a[1] == 0xB0]
    assert len(reads) >= 3
    assert all(a[4] <= 0xFF for a in reads)


def test_the_number_is_read_only_when_asked():
    ap, card = _ap(number="987654321093")
    ap.verify_pin("1234")
    ap.read_basic4()
    assert not any(a[:2] == [0x00, 0xA4] and a[-2:] == [0x00, 0x01] for a in card.log)
    assert ap.read_number() == "987654321093"


@pytest.mark.parametrize("wanted", [True, False])
def test_the_number_can_be_decided_from_the_four_facts_in_the_same_session(wanted):
    card = cardsim.demo_card()
    seen = []

    def decide(basic):
        seen.append(basic.name)
        return wanted

    basic, number = cardap.read_text_ap(lambda: (card, None), "1234", number=decide)
    assert seen == [basic.name] and card.pins_sent() == 1
    assert number == ("123456789018" if wanted else "")
    assert card.number_read() is wanted and cardap.EF_BASIC4 in card.files_read


def test_basic4_is_parsed_as_ber_not_by_fixed_offsets():
    # Fields in another order with a long-form length: the tags decide, not positions.
    name = "斉󠄃藤\u3000𠮷乃".encode()
    body = (
        bytes([0xDF, 0x25, 0x01]) + b"2"
        + bytes([0xDF, 0x24, 0x08]) + b"20180620"
        + bytes([0xDF, 0x22, 0x81, len(name)]) + name
        + bytes([0xDF, 0x23, 0x00])
    )  # fmt: skip
    raw = bytes([0xFF, 0x20, 0x81, len(body)]) + body
    b = cardap.parse_basic4(raw)
    assert b.name == "斉󠄃藤\u3000𠮷乃"  # IVS and non-BMP kept as the card holds them
    assert b.sex == "2" and b.birth_date == datetime.date(2018, 6, 20) and b.address == ""


def test_t0_get_response_is_followed():
    class T0Card:
        def __init__(self):
            self.inner = cardsim.demo_card()
            self.pending = b""

        def transmit(self, apdu):
            if apdu[1] == 0xC0:
                data, self.pending = self.pending, b""
                return list(data), 0x90, 0x00
            data, sw1, sw2 = self.inner.transmit(apdu)
            if data:
                self.pending = bytes(data)
                return [], 0x61, len(data)
            return data, sw1, sw2

    ap = cardap.TextAP(T0Card())
    ap.verify_pin("1234")
    assert ap.read_basic4().surname == "葛西"


def test_a_reader_without_a_card_and_no_reader_at_all():
    with pytest.raises(cardap.NoCard):
        cardsim.SimulatedReader(card=None).connect()
    with pytest.raises(cardap.NoReader):
        cardsim.SimulatedReader(card=cardsim.demo_card(), present=False).connect()
