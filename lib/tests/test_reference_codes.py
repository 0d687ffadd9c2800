from lib import reference


def test_a_new_reference_reads_back_from_its_display_form():
    body = reference.new("JZ")
    assert len(body) == reference.LENGTH and set(body) <= set(reference.ALPHABET)
    shown = reference.display("JZ", body)
    assert shown.startswith("JZ-") and shown.count("-") == 4
    assert reference.parse("JZ", shown) == body


def test_two_references_differ():
    assert len({reference.new("JZ") for _ in range(50)}) == 50


def test_it_reads_what_a_scanner_or_an_ime_typed():
    body = "ABCD0123EFGH4567"
    for typed in (
        "JZ-ABCD-0123-EFGH-4567",
        "jz-abcd-0123-efgh-4567",  # Caps Lock
        "ＪＺ－ＡＢＣＤ－０１２３－ＥＦＧＨ－４５６７",  # full-width (IME on)
        "JZ ABCD 0123 EFGH 4567",
        "JZABCDO123EFGH4567",  # O for 0
        " JZ-ABCD-0123-EFGH-4567\n",
    ):
        assert reference.parse("JZ", typed) == body, typed


def test_it_refuses_what_is_not_a_reference():
    for text in ("", "カサイ", "JZ-ABCD", "JZ-ABCD-0123-EFGH-4567-8", "XY-ABCD-0123-EFGH-4567",
                 "JZ-ABCD-0123-EFGH-456U", "JZ" + "A" * 100, None):  # fmt: skip
        assert reference.parse("JZ", text) is None
