import pytest

from residents.models import Resident
from residents.tests.conftest import make_resident

pytestmark = pytest.mark.django_db


def test_a_person_number_typed_in_any_width_finds_that_person():
    r = make_resident("佐藤\u3000太郎", "サトウ\u3000タロウ", person_no="0000001234")
    make_resident("佐藤\u3000次郎", "サトウ\u3000ジロウ")
    assert [x.pk for x in Resident.objects.matching("0000001234")] == [r.pk]
    assert [x.pk for x in Resident.objects.matching("００００００１２３４")] == [r.pk]
    assert list(Resident.objects.matching("1234")) == []


def test_eight_digits_are_a_birth_date_when_they_make_one_and_a_number_otherwise():
    r = make_resident("佐藤\u3000三郎", "サトウ\u3000サブロウ", person_no="12345678")
    assert [x.pk for x in Resident.objects.matching("12345678")] == [r.pk]
    assert [x.pk for x in Resident.objects.matching("19800302")] == [r.pk]  # born 1980-03-02
