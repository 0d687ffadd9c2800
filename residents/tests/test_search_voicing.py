"""A reading matches without its 濁点・半濁点 (ヤマサキ finds ヤマザキ), exact readings first."""

import pytest

from residents.models import Resident
from residents.tests.conftest import make_resident

pytestmark = pytest.mark.django_db


def _names(qs):
    return [r.name for r in qs]


@pytest.fixture
def yamasaki_and_yamazaki():
    make_resident("山崎\u3000一郎", "ヤマザキ\u3000イチロウ")
    make_resident("山崎\u3000二郎", "ヤマサキ\u3000ジロウ")
    make_resident("山田\u3000花子", "ヤマダ\u3000ハナコ")


def test_yamasaki_finds_yamazaki_after_the_exact_yamasaki(yamasaki_and_yamazaki):
    assert _names(Resident.objects.matching("ヤマサキ")) == ["山崎\u3000二郎", "山崎\u3000一郎"]


def test_yamazaki_finds_yamasaki_after_the_exact_yamazaki(yamasaki_and_yamazaki):
    assert _names(Resident.objects.matching("やまざき")) == ["山崎\u3000一郎", "山崎\u3000二郎"]


def test_the_exact_option_matches_only_as_typed(yamasaki_and_yamazaki):
    assert _names(Resident.objects.matching("ヤマサキ", fold_voicing=False)) == ["山崎\u3000二郎"]


def test_a_given_name_reading_is_folded_too(yamasaki_and_yamazaki):
    assert _names(Resident.objects.matching("シロウ")) == ["山崎\u3000二郎"]


def test_handakuten_and_half_width_kana_fold_the_same_way():
    make_resident("八田\u3000次郎", "ハッタ\u3000ジロウ")
    make_resident("八田\u3000太郎", "パッタ\u3000タロウ")
    assert _names(Resident.objects.matching("ﾊﾟｯﾀ")) == ["八田\u3000太郎", "八田\u3000次郎"]


def test_a_birth_date_still_narrows_a_folded_reading(yamasaki_and_yamazaki):
    from datetime import date

    make_resident("山崎\u3000三郎", "ヤマザキ\u3000サブロウ", birth=date(1990, 1, 1))
    assert _names(Resident.objects.matching("ヤマサキ 1990-01-01")) == ["山崎\u3000三郎"]


def test_the_folded_keys_are_kept_with_the_reading():
    r = make_resident("山崎\u3000一郎", "ヤマザキ\u3000イチロウ")
    r.name_kana = "ヤマザキ\u3000ゴロウ"
    r.save()
    r.refresh_from_db()
    assert (r.kana_seion_key, r.kana_given_seion_key) == ("ヤマサキコロウ", "コロウ")
