"""A file with a bad row writes nothing: every rejected row is listed with its line and a
Japanese reason, and the reasons never carry an address (it may be a protected household's)."""

import pytest

from residents.importer import run_import
from residents.models import Household, Resident
from residents.tests.conftest import make_household, make_resident
from residents.tests.register_files import family, person, write_csv

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        sorted(
            Resident.objects.values_list("person_no", "name", "support_measure", "household_id")
        ),
        sorted(Household.objects.values_list("household_no", "town", "banchi", "katagaki")),
    )


@pytest.fixture
def existing():
    make_resident("既存\u3000一郎", "キソン\u3000イチロウ", person_no="100001")
    return _snapshot()


def test_bad_rows_are_reported_by_line_and_reason_and_nothing_is_written(tmp_path, existing):
    rows = family()
    rows[1]["生年月日"] = "R8.13.1"
    rows[2]["性別"] = "X"
    rows[3]["続柄"] = "長男"
    report = run_import(write_csv(tmp_path / "r.csv", rows))
    assert not report.written
    assert [(x["line"], x["reason"]) for x in report.rejected] == [
        (3, "生年月日を日付として読めません（R8.13.1）"),
        (4, "性別が読めません（X）"),
        (5, "続柄が読めません（長男）"),
    ]
    # The good rows (line 2, a change to 100001) were not written either.
    assert _snapshot() == existing


def test_missing_items_kana_and_zip_are_refused(tmp_path, existing):
    rows = family()
    rows[0]["氏名"] = ""
    rows[1]["氏名の振り仮名"] = "Hanako"
    rows[2]["郵便番号"] = "0900"
    report = run_import(write_csv(tmp_path / "r.csv", rows))
    assert [x["reason"] for x in report.rejected] == [
        "氏名がありません",
        "氏名の振り仮名にカナ以外の文字があります",
        "郵便番号は 7 桁の数字です",
    ]
    assert _snapshot() == existing


def test_a_person_twice_and_a_household_at_two_addresses_are_refused(tmp_path, existing):
    rows = family()
    rows.append(dict(rows[0]))  # line 6: 100001 again
    rows[2]["番地"] = "9丁目9番地"  # line 4: H1 elsewhere than line 2 says
    report = run_import(write_csv(tmp_path / "r.csv", rows))
    assert [(x["line"], x["reason"]) for x in report.rejected] == [
        (4, "世帯番号 H1 の住所が 2 行目と異なります"),
        (6, "宛名番号 100001 が 2 行目と重複しています"),
    ]
    assert _snapshot() == existing


def test_a_missing_column_refuses_the_file(tmp_path, existing):
    from residents.importer import FileRefused

    rows = [{k: v for k, v in r.items() if k != "続柄"} for r in family()]
    with pytest.raises(FileRefused, match="続柄"):
        run_import(write_csv(tmp_path / "r.csv", rows))
    assert _snapshot() == existing


def test_a_protected_households_address_is_not_echoed_in_the_report(tmp_path):
    protected = make_household(town="寿町", banchi="7丁目7番7号", katagaki="コーポ秘密101",
                               household_no="H9")  # fmt: skip
    make_resident("保護\u3000さん", "ホゴ\u3000サン", household=protected, person_no="900",
                  support_measure=True)  # fmt: skip
    rows = [
        person(
            "900",
            "H9",
            "保護\u3000さん",
            "ホゴ\u3000サン",
            town="寿町",
            banchi="8丁目8番8号",
            katagaki="新居コーポ202",
            support="1",
        ),  # fmt: skip
        person(
            "901",
            "H9",
            "保護\u3000こども",
            "ホゴ\u3000コドモ",
            "R1.5.1",
            relation="子",
            town="寿町",
            banchi="9丁目",
            katagaki="新居コーポ202",
            support="1",
        ),  # fmt: skip
        person(
            "902",
            "H9",
            "保護\u3000こども",
            "ホゴ\u3000コドモ",
            "R1.13.1",
            relation="子",
            town="寿町",
            banchi="8丁目8番8号",
            katagaki="新居コーポ202",
            support="1",
        ),  # fmt: skip
    ]
    report = run_import(write_csv(tmp_path / "r.csv", rows))
    assert report.rejected_count == 2
    text = str(report.as_dict())
    for secret in ("寿町", "7丁目", "8丁目", "9丁目", "コーポ", "0900024"):
        assert secret not in text
    assert Household.objects.get(household_no="H9").katagaki == "コーポ秘密101"
