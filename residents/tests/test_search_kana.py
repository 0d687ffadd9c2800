import pytest

from residents.models import Resident
from residents.tests.conftest import make_resident

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return {
        "kyoko": make_resident("佐藤\u3000京子", "サトウ\u3000キョウコ", sex="2"),
        "taro": make_resident("佐藤\u3000太郎", "サトウ\u3000タロウ"),
        "gaku": make_resident("加藤\u3000学", "カトウ\u3000マナブ"),
    }


def _names(query):
    return sorted(r.name for r in Resident.objects.matching(query))


@pytest.mark.parametrize("query", ["サトウ", "さとう", "ｻﾄｳ", "サトウ　", " さとう "])
def test_katakana_hiragana_and_half_width_kana_find_the_same_people(people, query):
    assert _names(query) == ["佐藤\u3000京子", "佐藤\u3000太郎"]


@pytest.mark.parametrize(
    "query", ["サトウ キョウコ", "さとう　きょうこ", "ｻﾄｳｷｮｳｺ", "サトウキヨウコ"]
)
def test_a_full_reading_with_or_without_spaces_and_small_kana_finds_one_person(people, query):
    assert _names(query) == ["佐藤\u3000京子"]


def test_a_given_name_reading_alone_finds_the_person(people):
    assert _names("マナブ") == ["加藤\u3000学"]
    assert _names("たろう") == ["佐藤\u3000太郎"]


def test_a_reading_that_nobody_has_finds_nobody(people):
    assert _names("ヤマダ") == []


def test_hits_come_in_kana_order_whichever_part_matched(people):
    make_resident("安藤\u3000拓", "アンドウ\u3000タク")
    hits = [r.name_kana for r in Resident.objects.matching("タ")]
    assert hits == ["アンドウ\u3000タク", "サトウ\u3000タロウ"]
