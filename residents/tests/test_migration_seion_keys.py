"""The residents a running system already has get the folded reading keys when the migration
adds them (ヤマサキ finds them the day after the upgrade, not after the next import)."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("residents", "0002_search_key_indexes")]
AFTER = [("residents", "0004_reading_without_voicing_indexes")]


@pytest.mark.django_db(transaction=True)
def test_existing_residents_get_folded_keys_and_unvoiced_ones_keep_theirs():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    hh = old.get_model("residents", "Household").objects.create(
        household_no="M1", zip="0900024", pref="北海道", city="北見市", town="北4条東"
    )
    Resident = old.get_model("residents", "Resident")
    common = {"household": hh, "birth_date": date(1980, 3, 2), "sex": "1", "relation": "世帯主"}
    for no, kana, given in (("1", "ヤマザキジロウ", "ジロウ"), ("2", "ヤマサキタロウ", "タロウ")):
        Resident.objects.create(
            person_no=no, name="山崎", name_kana=kana, kana_key=kana, kana_given_key=given, **common
        )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    rows = new.get_model("residents", "Resident").objects.order_by("person_no")
    assert list(rows.values_list("kana_seion_key", "kana_given_seion_key")) == [
        ("ヤマサキシロウ", "シロウ"),
        ("ヤマサキタロウ", "タロウ"),
    ]

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
