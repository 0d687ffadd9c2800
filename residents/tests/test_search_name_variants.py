import pytest

from residents.models import Resident
from residents.tests.conftest import make_resident

pytestmark = pytest.mark.django_db

KUZU_AJ1 = "\u845b\U000e0100"  # 葛 + VS17 (Adobe-Japan1)
KUZU_MJ = "\u845b\U000e0102"  # 葛 + VS19 (Moji_Joho)


def _names(query):
    return sorted(r.name for r in Resident.objects.matching(query))


@pytest.mark.parametrize(
    ("common", "variant"),
    [
        ("高橋", "髙橋"),
        ("山崎", "山﨑"),
        ("吉田", "𠮷田"),
        ("渡辺", "渡邊"),
        ("斎藤", "齋藤"),
        ("沢田", "澤田"),
    ],
)
def test_a_name_is_found_whichever_variant_is_typed(common, variant):
    make_resident(f"{common}\u3000一郎", "イチロウ")
    make_resident(f"{variant}\u3000二郎", "ジロウ")
    expected = sorted([f"{common}\u3000一郎", f"{variant}\u3000二郎"])
    assert _names(common) == expected
    assert _names(variant) == expected


def test_kuzu_with_either_ivs_matches_the_plain_character_both_ways():
    make_resident("葛西\u3000学", "カサイ\u3000マナブ")
    make_resident(f"{KUZU_AJ1}西\u3000明", "カサイ\u3000アキラ")
    make_resident(f"{KUZU_MJ}城\u3000茂", "カツラギ\u3000シゲル")
    assert _names("葛西") == sorted(["葛西\u3000学", f"{KUZU_AJ1}西\u3000明"])
    assert _names(f"{KUZU_AJ1}西") == _names("葛西")
    assert _names("葛") == sorted(["葛西\u3000学", f"{KUZU_AJ1}西\u3000明", f"{KUZU_MJ}城\u3000茂"])
    assert _names(f"{KUZU_MJ}城") == [f"{KUZU_MJ}城\u3000茂"]


def test_the_stored_name_comes_back_exactly_with_its_selector():
    make_resident(f"{KUZU_AJ1}西\u3000明", "カサイ\u3000アキラ")
    make_resident("𠮷田\u3000花", "ヨシダ\u3000ハナ", sex="2")
    [kasai] = Resident.objects.matching("葛西")
    assert kasai.name == f"{KUZU_AJ1}西\u3000明"
    assert kasai.name.encode("utf-8") == "葛󠄀西　明".encode()
    [yoshida] = Resident.objects.matching("吉田")
    assert yoshida.name == "\U00020bb7田\u3000花"


def test_a_given_name_in_kanji_finds_the_person():
    make_resident("山田\u3000太郎", "ヤマダ\u3000タロウ")
    assert _names("太郎") == ["山田\u3000太郎"]
    assert _names("山田 太郎") == ["山田\u3000太郎"]
    assert _names("山田　太") == ["山田\u3000太郎"]
