"""支援措置 and the address change in one transaction: no step of the import, and no other
reader of the database, ever sees a resident at the new address without the flag."""

import sqlite3

import pytest
from django.db import connection

from residents.importer import run_import
from residents.models import Resident
from residents.tests.register_files import family, write_csv

NEW = ("寿町", "8丁目8番8号", "新居コーポ202")


def _moved_protected_file(tmp_path):
    # H2 moves as a household (same 世帯番号, a new address) and is put under 支援措置.
    rows = family()
    rows[3] |= {"町字": NEW[0], "番地": NEW[1], "方書": NEW[2], "支援措置": "1"}
    return write_csv(tmp_path / "moved.csv", rows)


def _exposed(rows) -> list:
    """Residents shown at the new address without the flag."""
    return [r for r in rows if tuple(r[1:4]) == NEW and not r[0]]


_SQL = (
    "SELECT r.support_measure, h.town, h.banchi, h.katagaki FROM residents_resident r"
    " JOIN residents_household h ON h.id = r.household_id WHERE r.person_no = '100004'"
)


@pytest.mark.django_db
def test_within_the_transaction_the_flag_comes_before_the_address(tmp_path):
    run_import(write_csv(tmp_path / "full.csv", family()))
    seen = {}

    def check(step):
        with connection.cursor() as cur:
            cur.execute(_SQL)
            rows = cur.fetchall()
        seen[step] = rows
        assert _exposed(rows) == [], step

    report = run_import(_moved_protected_file(tmp_path), on_step=check)
    assert report.support_measure["set"] == 1 and report.households["changed"] == 1
    assert list(seen) == ["support_measure", "households", "residents", "removals"]
    assert seen["support_measure"][0][0]  # flagged while still at the old address
    assert tuple(seen["households"][0][1:]) == NEW
    r = Resident.objects.select_related("household").get(person_no="100004")
    assert r.support_measure and r.household.katagaki == NEW[2]


def _other_connection():
    """A second connection to the test database, as another server process has."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return sqlite3.connect(db["NAME"])
    import psycopg

    return psycopg.connect(
        dbname=db["NAME"], host=db["HOST"] or None, port=db["PORT"] or None,
        user=db["USER"] or None, password=db["PASSWORD"] or None, autocommit=True,
    )  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_another_connection_sees_the_old_register_until_the_commit(tmp_path):
    run_import(write_csv(tmp_path / "full.csv", family()))
    other = _other_connection()
    seen = []

    def look(step):
        seen.append(other.execute(_SQL).fetchall())

    try:
        run_import(_moved_protected_file(tmp_path), on_step=look)
        after = other.execute(_SQL).fetchall()
    finally:
        other.close()
    # Every look during the import saw the old address, unprotected as it was; none the new.
    assert len(seen) == 4 and all(
        rows == [(0, "春光町", "3丁目4番5号", "メゾン春光201")] for rows in seen
    )
    assert after == [(1, *NEW)]
