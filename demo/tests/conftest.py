"""The generated city the generator's tests read.

`city` is one 2,000-resident 北見市 per test module, generated outside the tests'
transactions (so every test of the module reads it) and wiped afterwards, so other apps'
tests still start from an empty register.
"""

from dataclasses import dataclass
from datetime import date

import pytest

from demo.city import generate_city, wipe
from residents.models import Resident

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
