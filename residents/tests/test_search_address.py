import pytest

from residents.models import Resident
from residents.search import read_query
from residents.tests.conftest import make_household, make_resident

pytestmark = pytest.mark.django_db


@pytest.fixture
def households():
    a = make_household("北4条東", "1丁目12番地3", "コーポ北見201号室")
    b = make_household("北4条東", "2丁目5番地")
    c = make_household("小泉", "3丁目7番地")
    make_resident("佐藤\u3000太郎", "サトウ\u3000タロウ", household=a)
    make_resident("佐藤\u3000花子", "サトウ\u3000ハナコ", household=a, relation="妻", sex="2")
    make_resident("山田\u3000一郎", "ヤマダ\u3000イチロウ", household=b)
    make_resident("中村\u3000茂", "ナカムラ\u3000シゲル", household=c)
    make_resident("小泉\u3000進", "コイズミ\u3000ススム", household=b, relation="同居人")


def _names(query):
    return sorted(r.name for r in Resident.objects.matching(query))


@pytest.mark.parametrize(
    "query",
    [
        "北4条東1丁目",
        "北４条東１丁目12",
        "北四条東一丁目",
        "北4条東1-12-3",
        "北海道北見市北4条東1丁目",
        "北見市北4条東1－12",
        "北4条東1丁目12番地3コーポ",
    ],
)
def test_an_address_fragment_finds_everyone_in_the_households_there(households, query):
    assert read_query(query).kind == "address"
    assert _names(query) == ["佐藤\u3000太郎", "佐藤\u3000花子"]


def test_a_town_with_a_block_number_finds_the_whole_block(households):
    assert _names("北4条東") == [
        "佐藤\u3000太郎",
        "佐藤\u3000花子",
        "小泉\u3000進",
        "山田\u3000一郎",
    ]


def test_a_town_that_is_also_a_surname_finds_both_the_people_and_the_residents_there(households):
    assert read_query("小泉").kind == "name_or_address"
    assert _names("小泉") == ["中村\u3000茂", "小泉\u3000進"]


def test_a_surname_that_is_not_a_town_is_a_name(households):
    assert read_query("中村").kind == "name"
    assert _names("中村") == ["中村\u3000茂"]


def test_every_hit_brings_its_household(households, django_assert_num_queries):
    with django_assert_num_queries(1):
        hits = list(Resident.objects.matching("北4条東1丁目"))
        assert {h.household.katagaki for h in hits} == {"コーポ北見201号室"}
