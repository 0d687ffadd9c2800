from datetime import date

import pytest

from residents.models import Resident
from residents.search import DateParseError, read_query
from residents.tests.conftest import make_resident

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    make_resident("葛西\u3000学", "カサイ\u3000マナブ", birth=date(1980, 3, 2))
    make_resident("佐藤\u3000学", "サトウ\u3000マナブ", birth=date(1980, 3, 2))
    make_resident("葛西\u3000明", "カサイ\u3000アキラ", birth=date(1988, 5, 12))


def _names(query):
    return sorted(r.name for r in Resident.objects.matching(query))


@pytest.mark.parametrize(
    "query",
    [
        "S55.3.2",
        "昭和55年3月2日",
        "1980-03-02",
        "１９８０－０３－０２",
        "S55/3/2",
        "19800302",
        "s55.3.2",
    ],
)
def test_the_usual_date_forms_find_people_by_birth_date(people, query):
    assert read_query(query).birth_date == date(1980, 3, 2)
    assert _names(query) == ["佐藤\u3000学", "葛西\u3000学"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("平成32年1月1日", "平成32年は存在しません"),
        ("昭和64年1月8日", "昭和64年は1月7日までです"),
        ("R3.2.30", "2月30日は存在しない日付です"),
        ("S55", "日付として読めません"),
    ],
)
def test_a_date_that_does_not_exist_raises_its_message_for_staff(query, message):
    with pytest.raises(DateParseError, match=message):
        Resident.objects.matching(query)


def test_a_name_and_a_date_together_find_only_who_has_both(people):
    assert _names("カサイ 1988-05-12") == ["葛西\u3000明"]
    assert _names("1980-03-02 かさい") == ["葛西\u3000学"]
    assert _names("葛西　S55.3.2") == ["葛西\u3000学"]


def test_a_name_with_an_impossible_date_still_reports_the_date(people):
    with pytest.raises(DateParseError, match="平成32年"):
        Resident.objects.matching("カサイ 平成32年1月1日")


def test_the_reading_says_how_the_text_was_read():
    assert read_query("カサイ 1988-05-12").describe() == "生年月日 1988-05-12 ・ フリガナ カサイ"
