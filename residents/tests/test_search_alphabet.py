import pytest

from residents.models import Resident
from residents.tests.conftest import make_resident

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    make_resident("NGUYEN VAN AN", name_alpha="NGUYEN VAN AN", nationality="ベトナム")
    make_resident("NGUYEN THI LAN", name_alpha="NGUYEN THI LAN", nationality="ベトナム", sex="2")
    make_resident("SANTOS MARIA", name_alpha="SANTOS MARIA", nationality="フィリピン", sex="2")


def _names(query):
    return sorted(r.name for r in Resident.objects.matching(query))


@pytest.mark.parametrize("query", ["NGUYEN", "nguyen", "Ｎｇｕｙｅｎ", "NGU"])
def test_a_foreign_surname_is_found_in_any_case_or_width(people, query):
    assert _names(query) == ["NGUYEN THI LAN", "NGUYEN VAN AN"]


def test_a_full_foreign_name_with_or_without_spaces_finds_one_person(people):
    assert _names("nguyen van an") == ["NGUYEN VAN AN"]
    assert _names("NGUYENVAN") == ["NGUYEN VAN AN"]
