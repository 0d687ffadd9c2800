"""Full loads and daily differences (異動分): added, changed and removed rows; the same file
twice changes nothing; search keys are rebuilt for the changed rows only."""

import datetime

import pytest

from residents.importer import run_import
from residents.models import Household, Resident
from residents.tests.register_files import family, person, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(tmp_path):
    run_import(write_csv(tmp_path / "full.csv", family()))


def test_the_same_full_file_twice_changes_nothing(tmp_path):
    path = write_csv(tmp_path / "full.csv", family())
    run_import(path)
    before = list(Resident.objects.order_by("pk").values())
    report = run_import(path)
    assert report.changes == 0 and report.residents["unchanged"] == 4
    assert report.support_measure == {"set": 0, "cleared": 0}
    assert list(Resident.objects.order_by("pk").values()) == before


def test_a_difference_adds_changes_and_removes(tmp_path, loaded):
    rows = [
        person(
            "100005",
            "H1",
            "山田\u3000次郎",
            "ヤマダ\u3000ジロウ",
            "R8.3.1",
            relation="子",
            change="追加",
        ),  # fmt: skip
        person(
            "100004",
            "H2",
            "髙橋\u3000健一",
            "タカハシ\u3000ケンイチ",
            "1970-01-01",
            town="寿町",
            banchi="1丁目1番1号",
            change="変更",
        ),  # fmt: skip
        {"異動区分": "削除", "宛名番号": "100002"},
    ]
    path = write_csv(tmp_path / "diff.csv", rows)
    report = run_import(path, mode="diff")
    assert report.rejected == []
    assert report.residents == {"added": 1, "changed": 0, "removed": 1, "unchanged": 1}
    assert report.households == {"added": 0, "changed": 1, "removed": 0}
    assert Resident.objects.get(person_no="100005").household.household_no == "H1"
    assert Household.objects.get(household_no="H2").town == "寿町"
    assert not Resident.objects.filter(person_no="100002").exists()
    assert Resident.objects.count() == 4  # 100001, 100003 untouched

    again = run_import(path, mode="diff")
    assert again.changes == 0


def test_a_difference_cannot_change_someone_the_register_does_not_have(tmp_path, loaded):
    rows = [person("999999", "H1", "誰\u3000か", "ダレ\u3000カ", change="変更")]
    report = run_import(write_csv(tmp_path / "diff.csv", rows), mode="diff")
    assert report.rejected == [{"line": 2, "reason": "宛名番号 999999 は住民記録にありません"}]
    assert not Resident.objects.filter(person_no="999999").exists()


def test_a_full_load_removes_who_is_no_longer_in_the_file_and_their_empty_household(
    tmp_path, loaded
):
    report = run_import(write_csv(tmp_path / "full2.csv", family()[:3]))
    assert report.residents["removed"] == 1 and report.households["removed"] == 1
    assert not Household.objects.filter(household_no="H2").exists()


def test_someone_a_visit_names_is_marked_removed_and_leaves_the_search(tmp_path, loaded, clerk):
    from counter.models import Visit, VisitPerson

    kenichi = Resident.objects.get(person_no="100004")
    visit = Visit.objects.create(
        household=kenichi.household,
        created_by=clerk,
        office=clerk.staff.office,
        event_date=datetime.date.today(),
    )
    VisitPerson.objects.create(visit=visit, key="p1", resident=kenichi)
    assert [r.pk for r in Resident.objects.matching("タカハシ")] == [kenichi.pk]

    report = run_import(write_csv(tmp_path / "full2.csv", family()[:3]))
    assert report.residents["removed"] == 1
    kenichi.refresh_from_db()
    assert kenichi.removed_on is not None  # 消除, kept for the visit
    assert list(Resident.objects.matching("タカハシ")) == []
    assert run_import(write_csv(tmp_path / "full3.csv", family()[:3])).changes == 0

    # Back in the register (転入 again): the same row, no longer 消除.
    assert run_import(write_csv(tmp_path / "full4.csv", family())).residents["changed"] == 1
    kenichi.refresh_from_db()
    assert kenichi.removed_on is None


def test_search_keys_are_rebuilt_for_the_changed_rows_only(tmp_path, loaded):
    # A key an unchanged row carries is left alone (not recomputed); a changed row's is new.
    Resident.objects.filter(person_no="100001").update(kana_key="STALE")
    rows = family()
    rows[1]["氏名の振り仮名"] = "ヤマザキ\u3000ハナコ"
    report = run_import(write_csv(tmp_path / "full2.csv", rows))
    assert report.residents["changed"] == 1 and report.residents["unchanged"] == 3
    assert Resident.objects.get(person_no="100001").kana_key == "STALE"
    hanako = Resident.objects.get(person_no="100002")
    assert (hanako.kana_key, hanako.kana_seion_key) == ("ヤマザキハナコ", "ヤマサキハナコ")
    assert [r.pk for r in Resident.objects.matching("やまさき")] == [hanako.pk]
