import re

import pytest

pytestmark = pytest.mark.django_db

STATUSES = {
    "技能実習",
    "特定技能",
    "留学",
    "永住者",
    "特別永住者",
    "家族滞在",
    "技術・人文知識・国際業務",
    "技能",
    "定住者",
    "日本人の配偶者等",
    "永住者の配偶者等",
}


def _foreign(city):
    return [r for r in city.residents if r.nationality != "JP"]


def test_about_two_percent_of_residents_are_foreign(city):
    assert 0.01 <= len(_foreign(city)) / len(city.residents) <= 0.04


def test_a_foreign_name_is_in_alphabet_surname_first_with_no_reading(city):
    for r in _foreign(city):
        assert r.name == r.name_alpha
        assert re.fullmatch(r"[A-Z]+(?: [A-Z]+)+", r.name), r.name
        assert r.name_kana == ""
        assert r.kana_key == r.name.replace(" ", "")


def test_foreign_residents_have_their_residence_items(city):
    for r in _foreign(city):
        assert r.nationality in {
            "ベトナム",
            "中国",
            "フィリピン",
            "ネパール",
            "韓国",
            "ブラジル",
            "インドネシア",
        }
        assert r.residence_status in STATUSES
        assert re.fullmatch(r"[A-Z]{2}\d{8}[A-Z]{2}", r.residence_card_no)
        if r.residence_status == "特別永住者":
            assert r.section_30_45 == "特別永住者"
        else:
            assert r.section_30_45 == "中長期在留者"
        if r.residence_status in ("永住者", "特別永住者"):
            assert r.residence_expiry is None
        else:
            assert r.residence_expiry > city.today


def test_japanese_residents_have_no_residence_items(city):
    for r in city.residents:
        if r.nationality == "JP":
            assert not (
                r.residence_status or r.residence_card_no or r.section_30_45 or r.residence_expiry
            )


def test_trainees_and_students_and_permanent_residents_all_appear(city):
    statuses = {r.residence_status for r in _foreign(city)}
    assert {"技能実習", "永住者", "家族滞在"} <= statuses
