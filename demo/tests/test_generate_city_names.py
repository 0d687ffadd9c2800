import re

import pytest

from lib.kana import to_katakana

pytestmark = pytest.mark.django_db


def _japanese(city):
    return [r for r in city.residents if r.nationality == "JP"]


def test_a_japanese_name_has_one_ideographic_space_between_surname_and_given_name(city):
    for r in _japanese(city):
        assert r.name.count("\u3000") == 1 and r.name_kana.count("\u3000") == 1
        assert " " not in r.name


def test_readings_are_stored_in_katakana(city):
    for r in _japanese(city):
        assert to_katakana(r.name_kana) == r.name_kana
        assert re.fullmatch(r"[\u30a1-\u30fc]+\u3000[\u30a1-\u30fc]+", r.name_kana), r.name_kana


def test_rare_and_variant_characters_appear_in_a_2000_resident_city(city):
    names = "".join(r.name for r in city.residents)
    for ch in ("髙", "﨑", "𠮷", "齋", "澤"):
        assert ch in names, ch
    assert "邊" in names or "邉" in names


def test_both_ivs_collections_of_kuzu_appear(city):
    names = [r.name for r in city.residents]
    assert any(n.startswith("\u845b\U000e0100") for n in names)  # Adobe-Japan1
    assert any(n.startswith("\u845b\U000e0102") for n in names)  # Moji_Joho


def test_variant_spellings_are_a_few_percent_not_the_rule(city):
    variant = sum(
        1 for r in _japanese(city) if re.search("[髙﨑𠮷邊邉齋澤濵\U000e0100-\U000e01ef]", r.name)
    )
    assert 0.01 < variant / len(city.residents) < 0.1


def test_surnames_are_a_realistic_mix(city):
    surnames = [r.name.split("\u3000")[0] for r in _japanese(city)]
    assert len(set(surnames)) > 100
    assert max(surnames.count(s) for s in set(surnames)) / len(surnames) < 0.08


def test_the_search_keys_are_filled_from_the_stored_names(city):
    from residents.models import Resident

    for r in city.residents[:200]:
        fresh = Resident(name=r.name, name_kana=r.name_kana, name_alpha=r.name_alpha)
        fresh.fill_keys()
        assert (r.name_key, r.given_key, r.kana_key, r.kana_given_key) == (
            fresh.name_key,
            fresh.given_key,
            fresh.kana_key,
            fresh.kana_given_key,
        )
