"""A character no installed font has stops the render with a message naming it and whose it is.

A blank box (tofu) on a resident's form is a wrong name on an official document; staff
must see the problem before anything is printed.
"""

import dataclasses

import pytest

from printing.fonts import MissingGlyphError, get_fontset
from printing.pdf import render_packet

from .fixtures import family_of_four

PUA = "\U000f0000"  # Supplementary Private Use Area-A: in neither IPAex明朝 nor IPAmj明朝


def _with_name(key: str, name: str):
    data = family_of_four()
    data.people = [dataclasses.replace(p, name=name) if p.key == key else p for p in data.people]
    return data


def test_a_name_with_a_character_no_font_has_is_refused():
    with pytest.raises(MissingGlyphError) as err:
        render_packet(_with_name("child2", f"葛西\u3000髙{PUA}"))
    message = str(err.value)
    assert "U+F0000" in message
    assert "child2" in message and "髙" in message  # the person, by key and by name
    assert err.value.cluster == PUA


def test_a_selector_no_font_knows_is_refused_not_dropped():
    # 葛 exists everywhere, but no installed font has the sequence 葛 + U+E01EF.
    with pytest.raises(MissingGlyphError) as err:
        render_packet(_with_name("father", "葛\U000e01ef西\u3000辰治"))
    assert "U+845B U+E01EF" in str(err.value)
    assert "father" in str(err.value)


def test_a_procedure_text_with_a_missing_character_names_the_procedure():
    data = family_of_four()
    data.procedures[0].reason = f"理由{PUA}"
    with pytest.raises(MissingGlyphError, match="住民異動届（転入届）"):
        render_packet(data)


def test_the_font_choice_itself_refuses_the_character():
    fonts = get_fontset()
    with pytest.raises(MissingGlyphError, match="U\\+F0000"):
        fonts.runs(f"a{PUA}b", fonts.mincho, who="テスト")
