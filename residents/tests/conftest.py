"""Fixtures for the register's tests: a small generated city, and hand-made residents.

`city` is one 2,000-resident 北見市 per test module, generated outside the tests'
transactions (so every test of the module reads it) and wiped afterwards, so other apps'
tests still start from an empty register.
"""

import itertools
from dataclasses import dataclass
from datetime import date

import pytest

from residents.demo import generate_city, wipe
from residents.models import Household, Resident

CITY_SIZE = 2_000
TODAY = date(2026, 6, 15)


@dataclass
class City:
    today: date
    residents: list[Resident]
    households: dict[int, list[Resident]]


@pytest.fixture(scope="module")
def city(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        generate_city(CITY_SIZE, seed=7, today=TODAY, replace=True, progress=False)
        residents = list(Resident.objects.select_related("household").order_by("pk"))
        households: dict[int, list[Resident]] = {}
        for r in residents:
            households.setdefault(r.household_id, []).append(r)
        yield City(TODAY, residents, households)
        wipe()


_numbers = itertools.count(1)


def make_household(town="北4条東", banchi="1丁目2番地3", katagaki="", **fields) -> Household:
    n = next(_numbers)
    return Household.objects.create(
        household_no=f"T{n:09d}",
        zip="0900024",
        pref="北海道",
        city="北見市",
        town=town,
        banchi=banchi,
        katagaki=katagaki,
        **fields,
    )


def make_resident(
    name, kana="", *, household=None, birth=date(1980, 3, 2), relation="世帯主", sex="1", **fields
) -> Resident:
    fields.setdefault("person_no", f"T{next(_numbers):09d}")
    return Resident.objects.create(
        household=household or make_household(),
        name=name,
        name_kana=kana,
        birth_date=birth,
        relation=relation,
        sex=sex,
        **fields,
    )
