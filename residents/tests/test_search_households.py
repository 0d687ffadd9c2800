from datetime import date

import pytest

from residents.models import Resident
from residents.search import households_of
from residents.tests.conftest import make_household, make_resident

pytestmark = pytest.mark.django_db


@pytest.fixture
def families():
    out = []
    for i in range(5):
        h = make_household("常盤町", f"{i + 1}丁目1番地")
        make_resident(
            f"山田\u3000子{i}",
            f"ヤマダ\u3000コ{i}",
            household=h,
            relation="子",
            birth=date(2015, 1, 1),
        )
        make_resident(
            f"鈴木\u3000父{i}",
            f"スズキ\u3000チチ{i}",
            household=h,
            relation="世帯主",
            birth=date(1980, 1, 1),
        )
        make_resident(
            f"鈴木\u3000母{i}",
            f"スズキ\u3000ハハ{i}",
            household=h,
            relation="妻",
            sex="2",
            birth=date(1982, 1, 1),
        )
        make_resident(
            f"鈴木\u3000祖母{i}",
            f"スズキ\u3000ソボ{i}",
            household=h,
            relation="母",
            sex="2",
            birth=date(1950, 1, 1),
        )
        out.append(h)
    return out


def test_each_hits_household_is_listed_with_its_members_in_listing_order(families):
    hits = Resident.objects.matching("ヤマダ")[:50]
    listed = households_of(hits)
    assert list(listed) == families
    for members in listed.values():
        assert [m.relation for m in members] == ["世帯主", "妻", "子", "母"]


def test_listing_the_households_of_many_hits_takes_two_queries(families, django_assert_num_queries):
    with django_assert_num_queries(2):
        hits = list(Resident.objects.matching("スズキ")[:50])
        listed = households_of(hits)
    assert len(hits) == 15 and len(listed) == 5
    with django_assert_num_queries(0):
        assert [m.relation for m in hits[0].household.members()] == ["世帯主", "妻", "子", "母"]
