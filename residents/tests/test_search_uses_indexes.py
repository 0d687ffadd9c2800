"""The search must stay an index range scan on SQLite and PostgreSQL alike (residents.search)."""

import pytest
from django.db import connection

from residents.models import Resident
from residents.tests.conftest import make_household, make_resident

pytestmark = pytest.mark.django_db


@pytest.fixture
def some_people():
    for i in range(30):
        h = make_household("北4条東", f"1丁目{i}番地")
        make_resident(f"佐藤\u3000{i}", f"サトウ\u3000タロウ{i}", household=h)


def _plan(query):
    qs = Resident.objects.matching(query)[:50]
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            # A table of 30 rows is read whole; say what the planner does at city size.
            cur.execute("SET LOCAL enable_seqscan = off")
            return qs.explain()
    return qs.explain()


@pytest.mark.parametrize(
    ("query", "indexes"),
    [
        (
            "サトウ",
            [
                "resident_kana_key",
                "resident_kana_given_key",
                "resident_kana_seion_key",
                "resident_kana_given_seion_key",
            ],
        ),
        ("佐藤", ["resident_name_key", "resident_given_key"]),
        ("NGUYEN", ["resident_kana_key"]),
        ("北4条東1丁目", ["household_address_key", "resident_household_kana"]),
        ("小泉", ["resident_name_key", "resident_given_key", "household_address_key"]),
    ],
)
def test_each_kind_of_query_is_a_range_scan_on_its_key_index(some_people, query, indexes):
    plan = _plan(query)
    for index in indexes:
        assert index in plan, plan
    if connection.vendor == "sqlite":
        assert "SCAN residents_resident" not in plan and "SCAN residents_household" not in plan, (
            plan
        )
        for index in indexes:
            if index != "resident_household_kana":
                assert f"INDEX {index} (" in plan and ">? AND " in plan, plan


def test_a_household_number_uses_the_unique_household_number_index(some_people):
    plan = _plan("0000000001")
    assert "household_no" in plan and "SCAN residents_resident" not in plan, plan


def test_a_birth_date_uses_the_birth_date_index(some_people):
    plan = _plan("S55.3.2")
    assert "birth_date" in plan and "SCAN residents_resident" not in plan, plan


def test_the_range_is_not_a_like_pattern():
    sql = str(Resident.objects.matching("サトウ").query)
    assert " LIKE " not in sql.upper()
