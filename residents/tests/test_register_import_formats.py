"""The same register in CSV (UTF-8 with and without BOM, CP932) and JSON loads the same
residents; names keep their IVS; a municipality's own columns, 和暦 and codes read through
its mapping file."""

from datetime import date
from pathlib import Path

import pytest

from residents.importer import FileRefused, run_import
from residents.importmap import Mapping
from residents.models import Household, Resident
from residents.tests.register_files import family, write_csv, write_json

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "register"


def _register():
    return sorted(
        (
            r.person_no,
            r.name,
            r.name_kana,
            r.birth_date,
            r.sex,
            r.relation,
            r.household.household_no,
        )
        for r in Resident.objects.select_related("household")
    )


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_utf8_with_or_without_bom_loads_every_resident_with_the_ivs_kept(tmp_path, encoding):
    report = run_import(write_csv(tmp_path / "r.csv", family(), encoding=encoding))
    assert report.rejected == [] and report.written
    assert report.residents["added"] == 4 and report.households["added"] == 2
    child = Resident.objects.get(person_no="100003")
    assert child.name == "山田\u3000葛\U000e0100"  # the selector is stored, not folded away
    assert child.birth_date == date(2020, 5, 5)  # R2.5.5
    assert Resident.objects.get(person_no="100002").birth_date == date(1982, 7, 7)
    assert Household.objects.get(household_no="H2").katagaki == "メゾン春光201"


def test_cp932_loads_the_same_register_as_utf8(tmp_path):
    rows = [r for r in family() if r["宛名番号"] != "100003"]  # CP932 has no IVS
    run_import(write_csv(tmp_path / "u.csv", rows))
    utf8 = _register()
    Resident.objects.all().delete()
    Household.objects.all().delete()
    report = run_import(write_csv(tmp_path / "s.csv", rows, encoding="cp932"), encoding="cp932")
    assert report.residents["added"] == 3
    assert _register() == utf8
    assert Resident.objects.get(person_no="100004").name == "髙橋\u3000健一"


def test_cp932_is_recognised_without_being_named(tmp_path):
    rows = [r for r in family() if r["宛名番号"] != "100003"]
    report = run_import(write_csv(tmp_path / "s.csv", rows, encoding="cp932"))
    assert report.residents["added"] == 3
    assert Resident.objects.get(person_no="100001").name_kana == "ヤマダ\u3000タロウ"


def test_a_cp932_file_read_as_utf8_is_refused_whole(tmp_path):
    path = write_csv(tmp_path / "s.csv", family()[:1], encoding="cp932")
    with pytest.raises(FileRefused, match="cp932"):
        run_import(path, encoding="utf-8")
    assert not Resident.objects.exists()


def test_json_loads_like_the_csv(tmp_path):
    run_import(write_csv(tmp_path / "r.csv", family()))
    from_csv = _register()
    Resident.objects.all().delete()
    Household.objects.all().delete()
    report = run_import(write_json(tmp_path / "r.json", family()))
    assert report.residents["added"] == 4
    assert _register() == from_csv


def test_the_sample_mapping_reads_the_core_systems_own_columns_dates_and_codes():
    mapping = Mapping.load(SAMPLES / "mapping.sample.yaml")
    report = run_import(SAMPLES / "full.sample.csv", mapping=mapping)
    assert report.rejected == [] and report.residents["added"] == 5
    taro = Resident.objects.get(person_no="900000001")
    assert taro.name == "山田\u3000太郎"  # 氏 and 名 in two columns
    assert taro.name_kana == "ヤマダ\u3000タロウ"
    assert taro.relation == "世帯主" and taro.sex == "1"  # code 01, 1
    assert taro.birth_date == date(1980, 3, 2) and taro.resident_since == date(2008, 4, 1)
    assert Resident.objects.get(person_no="900000002").relation == "妻"  # 02
    assert Resident.objects.get(person_no="900000003").name == "山田\u3000葛\U000e0100"
    kenichi = Resident.objects.get(person_no="900000004")
    assert kenichi.birth_date == date(1970, 1, 1) and kenichi.support_measure  # %Y%m%d; 1
    assert kenichi.household.pref == "北海道" and kenichi.household.zip == "0900801"  # defaults
    smith = Resident.objects.get(person_no="900000005")
    assert (smith.name, smith.nationality, smith.residence_expiry) == (
        "SMITH JOHN",
        "米国",
        date(2029, 3, 31),
    )
    assert smith.section_30_45 == "中長期在留者"


def test_the_sample_json_loads():
    report = run_import(SAMPLES / "full.sample.json")
    assert report.residents["added"] == 1
    assert Resident.objects.get(person_no="900000101").birth_date == date(2019, 5, 1)


def test_loaded_residents_are_found_by_the_counter_search_with_and_without_dakuten(tmp_path):
    run_import(write_csv(tmp_path / "r.csv", family()))
    assert [r.person_no for r in Resident.objects.matching("ヤマタ　タロウ")] == ["100001"]
    assert [r.person_no for r in Resident.objects.matching("高橋")] == ["100004"]


def test_json_lines_are_read_line_by_line_and_a_bad_line_is_named(tmp_path):
    import json

    lines = [json.dumps(r, ensure_ascii=False) for r in family()]
    lines[2] = "{not json"
    path = tmp_path / "r.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = run_import(path)
    assert [x["line"] for x in report.rejected] == [3]
    assert report.rejected[0]["reason"].startswith("JSON として読めません")
    assert not Resident.objects.exists()
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in family()), "utf-8")
    assert run_import(path).residents["added"] == 4
