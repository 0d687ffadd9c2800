"""Characters no database column takes are named, so a form can say which one it refused."""

from lib.text import unstorable


def test_a_nul_byte_is_named_nul():
    assert unstorable("山田\x00太郎") == "NUL"


def test_a_lone_surrogate_is_named_by_its_code_point():
    assert unstorable("a\ud800b") == "U+D800"
    assert unstorable("\udfff") == "U+DFFF"


def test_rare_characters_and_ivs_are_storable():
    assert unstorable("葛\U000e0100飾区　𠮷野家　ｶﾞ") is None
    assert unstorable("") is None


def test_the_first_unstorable_character_is_the_one_named():
    assert unstorable("a\ud800\x00") == "U+D800"
