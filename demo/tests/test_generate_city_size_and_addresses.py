import re

import pytest

from demo.tests.conftest import CITY_SIZE

pytestmark = pytest.mark.django_db


def test_it_creates_exactly_the_number_of_residents_asked_for(city):
    assert len(city.residents) == CITY_SIZE


def test_every_household_is_in_kitami_with_a_postal_code_of_the_city(city):
    for members in city.households.values():
        h = members[0].household
        assert (h.pref, h.city) == ("北海道", "北見市")
        assert re.fullmatch(r"(090|099)\d{4}", h.zip)
        assert re.fullmatch(r"\d{7}", h.town_id)
        assert h.banchi and h.address_key


def test_households_have_a_realistic_mix_of_sizes(city):
    sizes = [len(m) for m in city.households.values()]
    singles = sizes.count(1) / len(sizes)
    assert 0.25 < singles < 0.5
    assert max(sizes) >= 5
    assert 1.9 < len(city.residents) / len(sizes) < 2.6
