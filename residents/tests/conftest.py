"""Fixtures for the register's tests: hand-made households and residents.

The generated demo city and its tests live in the demo app (demo/tests).
"""

import itertools
from datetime import date

from residents.models import Household, Resident

_numbers = itertools.count(1)


def make_household(town="北4条東", banchi="1丁目2番地3", katagaki="", **fields) -> Household:
    fields.setdefault("household_no", f"T{next(_numbers):09d}")
    return Household.objects.create(
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
