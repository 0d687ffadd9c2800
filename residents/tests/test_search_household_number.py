"""A 世帯番号 as the screens show it finds its whole household."""

import pytest

from residents.models import Resident
from residents.tests.conftest import make_household, make_resident

pytestmark = pytest.mark.django_db


def test_a_household_number_finds_every_member_of_that_household():
    h = make_household(household_no="0000012345")
    head = make_resident("佐藤\u3000太郎", "サトウ\u3000タロウ", household=h)
    child = make_resident("佐藤\u3000花子", "サトウ\u3000ハナコ", household=h, relation="子")
    make_resident("鈴木\u3000一郎", "スズキ\u3000イチロウ")
    found = {r.pk for r in Resident.objects.matching("0000012345")}
    assert found == {head.pk, child.pk}
    assert {r.pk for r in Resident.objects.matching("０００００１２３４５")} == found


def test_a_person_number_and_a_household_number_are_both_looked_up():
    h = make_household(household_no="0000000777")
    member = make_resident("佐藤\u3000太郎", "サトウ\u3000タロウ", household=h)
    other = make_resident("鈴木\u3000一郎", "スズキ\u3000イチロウ", person_no="0000000777")
    assert {r.pk for r in Resident.objects.matching("0000000777")} == {member.pk, other.pk}


def test_part_of_a_household_number_finds_nothing():
    make_resident(
        "佐藤\u3000太郎", "サトウ\u3000タロウ", household=make_household(household_no="0000012345")
    )
    assert list(Resident.objects.matching("12345")) == []
