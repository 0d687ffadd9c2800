"""A municipality's register import touches its own register only, not another
municipality's residents with the same 宛名番号."""

import pytest

from residents.importer import run_import
from residents.models import Resident
from residents.tests.register_files import family, write_csv
from tenants import scope
from tenants.models import Tenant

pytestmark = pytest.mark.django_db


def test_a_full_load_of_one_city_leaves_the_other_citys_residents(tmp_path):
    Tenant.objects.create(code="kaku", number=Tenant.next_number(), name="架空町")
    path = write_csv(tmp_path / "full.csv", family())
    run_import(path)  # the default city
    with scope.use("kaku"):
        report = run_import(path)
        # Same 宛名番号 as the other city's: all new here, none "unchanged" from there.
        assert report.residents["added"] == 4 and report.residents["unchanged"] == 0
        empty = write_csv(tmp_path / "empty.csv", family()[:1])
        report = run_import(empty)
        assert report.residents["removed"] == 3
        assert Resident.objects.count() == 1
    assert Resident.objects.count() == 4  # the default city's, as loaded
    assert Resident._base_manager.count() == 4 + 1
