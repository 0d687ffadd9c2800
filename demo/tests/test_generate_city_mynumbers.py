import pytest
from django.db import connection

from lib.mynumber import is_valid
from residents import mynumber
from residents.models import Resident

pytestmark = pytest.mark.django_db


def test_every_resident_has_a_valid_mynumber_after_decryption(city):
    numbers = [mynumber.decrypt(r.mynumber_enc) for r in city.residents]
    assert all(is_valid(n) for n in numbers)
    assert len(set(numbers)) == len(numbers)


def test_the_stored_column_never_holds_the_digits(city):
    with connection.cursor() as cur:
        cur.execute(f"SELECT id, mynumber_enc FROM {Resident._meta.db_table}")
        raw = dict(cur.fetchall())
    for r in city.residents[:300]:
        number = mynumber.decrypt(r.mynumber_enc)
        assert number not in raw[r.pk]
        assert number[:8] not in raw[r.pk]


def test_the_same_number_encrypts_differently_each_time():
    assert mynumber.encrypt("123456789018") != mynumber.encrypt("123456789018")
