"""The 異体字 picker offers, by base character or by reading, the variants the print fonts
draw (IPAmj明朝's cmap format 14), never one the printer would refuse."""

from datetime import date

import pytest
from django.urls import reverse

from counter.tests.factories import household, resident
from counter.variants import groups_for, spellings_for_reading
from printing.fonts import get_fontset

pytestmark = pytest.mark.django_db


def _texts(groups):
    return {v.text for g in groups for v in g.variants}


def test_a_base_character_lists_its_ivs_variants_from_the_print_fonts():
    fonts = get_fontset().faces.values()
    sequences = {chr(b) + chr(vs) for f in fonts for b, vs in f.sequences if b == ord("葛")}
    mj_only = {chr(b) + chr(vs) for b, vs in get_fontset().mj.sequences if b == ord("葛")}
    assert "葛\U000e0100" in sequences and "葛\U000e0102" in mj_only
    (group,) = groups_for("葛")
    assert group.base == "葛" and group.variants[0].text == "葛"
    assert _texts([group]) == {"葛"} | sequences
    labels = {v.text: v.label for v in group.variants}
    assert labels["葛\U000e0100"] == "U+845B U+E0100"


def test_the_ivs_typed_with_its_base_is_read_as_the_base():
    assert [g.base for g in groups_for("葛\U000e0102西")] == ["葛", "西"]


def test_the_variants_the_keys_treat_as_one_are_offered_together():
    (group,) = groups_for("辺")
    assert {"辺", "邊", "邉"} <= _texts([group])
    assert "邉\U000e0110" in _texts([group])  # an IVS of a family member


def test_only_what_a_print_font_draws_is_offered():
    fonts = get_fontset()
    offered = _texts(groups_for("葛辺高斉"))
    assert len(offered) > 20
    for text in offered:
        assert any(face.covers(text) for face in fonts.faces.values()), text
    assert groups_for("カタカナabc") == []


def test_a_reading_lists_the_registers_spellings_of_that_surname():
    for name in ("渡辺\u3000一郎", "渡邉\u3000二郎", "渡邊\u3000三郎"):
        resident(household(), name, "ワタナベ\u3000イチロウ", date(1980, 1, 1), "世帯主")
    resident(household(), "渡部\u3000四郎", "ワタベ\u3000シロウ", date(1980, 1, 1), "世帯主")
    assert sorted(spellings_for_reading("わたなべ")) == ["渡辺", "渡邉", "渡邊"]
    assert spellings_for_reading("ワタ") == []  # a surname read so, not a prefix


def test_the_picker_partial_shows_spellings_and_variant_buttons(clerk_client):
    resident(household(), "葛西\u3000辰治", "カサイ\u3000タツジ", date(1988, 5, 12), "世帯主")
    html = clerk_client.get(reverse("counter:variants"), {"q": "かさい"}).content.decode()
    assert 'data-insert="葛西"' in html
    assert 'data-insert="葛\U000e0100"' in html and 'title="U+845B U+E0100"' in html
    html = clerk_client.get(reverse("counter:variants"), {"q": "あいう"}).content.decode()
    assert "見つかりませんでした" in html


def test_the_picker_needs_a_counter_login(client):
    r = client.get(reverse("counter:variants"), {"q": "葛"})
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]
