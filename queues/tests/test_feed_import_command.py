"""`madoguchi import_moving_notices`: the CSV that Japanese Excel saves (Shift_JIS/CP932, CRLF,
dates rewritten, empty lines at the end) goes in; a file it cannot read, a truncated JSON, a
field too long or an unknown office stop with a Japanese message that says where."""

import json

import pytest
from django.core.management import CommandError, call_command

from counter import services as counter_services
from queues.models import Reservation
from queues.tests.test_reservations import NOTICE

HEAD = "予約番号,来庁予定日,来庁窓口,転入先郵便番号,転入先町字,氏名,氏名フリガナ,生年月日,続柄\r\n"
ROWS = (
    "MP-9,2026/12/2,端野支所,900024,北4条東,髙橋　①子,タカハシ　イチコ,1980/1/2,世帯主\r\n"
    "MP-9,2026/12/2,端野支所,900024,北4条東,髙橋　二子,タカハシ　ニコ,2010/3/4,子\r\n"
    ",,,,,,,,\r\n"
)


@pytest.fixture(autouse=True)
def _no_pdf(monkeypatch):
    monkeypatch.setattr(counter_services, "print_packet", lambda visit, by, request=None: None)


def run(path, *args):
    call_command("import_moving_notices", str(path), "--no-print", *args)


@pytest.mark.django_db
def test_a_cp932_csv_from_excel_is_read_without_being_told(tmp_path, demo_staff):
    path = tmp_path / "notices.csv"
    path.write_bytes((HEAD + ROWS).encode("cp932"))  # 髙 and ① are CP932, not Shift_JIS
    run(path)
    r = Reservation.objects.get(external_id="MP-9")
    assert r.office.code == "tanno" and str(r.planned_date) == "2026-12-02"
    names = list(r.visit.people.values_list("name", flat=True))
    assert names == ["髙橋　①子", "髙橋　二子"]
    assert r.visit.new_address == {"zip": "0900024", "town": "北4条東"}


@pytest.mark.django_db
def test_the_encoding_may_be_given(tmp_path, demo_staff):
    path = tmp_path / "notices.csv"
    path.write_bytes((HEAD + ROWS).encode("cp932"))
    run(path, "--encoding", "cp932")
    assert Reservation.objects.filter(external_id="MP-9").exists()
    with pytest.raises(
        CommandError, match=r"notices.csv を utf-8 として読めません（\d+ バイト目）"
    ):
        run(path, "--encoding", "utf-8")


@pytest.mark.django_db
def test_a_file_in_neither_encoding_is_a_clear_error(tmp_path, demo_staff):
    path = tmp_path / "notices.csv"
    path.write_bytes(HEAD.encode("utf-8") + b"MP-1,\x80\xff\xfe\n")
    with pytest.raises(CommandError) as e:
        run(path)
    assert "文字コードが UTF-8 でも Shift_JIS（CP932）でもありません" in str(e.value)
    assert "--encoding で指定してください" in str(e.value)
    assert not Reservation.objects.exists()


@pytest.mark.django_db
def test_a_truncated_json_says_where_it_ends(tmp_path, demo_staff):
    text = json.dumps({"notices": [NOTICE]}, ensure_ascii=False, indent=1)
    path = tmp_path / "notices.json"
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(CommandError) as e:
        run(path)
    message = str(e.value)
    assert message.startswith("notices.json を JSON として読めません（")
    assert "文字目でファイルが終わっています。途中で切れていないか確かめてください" in message
    assert "Expecting" not in message  # not Python's text
    assert not Reservation.objects.exists()


@pytest.mark.django_db
def test_json_that_is_not_a_list_of_notices_is_a_clear_error(tmp_path, demo_staff):
    path = tmp_path / "notices.json"
    path.write_text('{"notice": []}', encoding="utf-8")
    with pytest.raises(CommandError, match=r'\{"notices": \[\.\.\.\]\} かお知らせの配列'):
        run(path)


@pytest.mark.django_db
def test_a_field_too_long_and_an_unknown_office_name_their_rows(tmp_path, demo_staff, capsys):
    rows = (
        ROWS.replace("世帯主", "世" * 31)
        + "MP-10,2026-12-03,本町出張所,,,北見　一郎,,1970-01-01,世帯主\r\n"
        + "MP-11,2026-12-03,honcho,,,北見　二郎,,1971-01-01,世帯主\r\n"
    )
    path = tmp_path / "notices.csv"
    path.write_text(HEAD + rows, encoding="utf-8-sig")
    with pytest.raises(CommandError, match="2 件を取り込めませんでした"):
        run(path)
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "CSV 2〜3行目 1件目：世帯員の1人目の続柄 は 30 文字以内で指定してください。",
        "CSV 5行目 2件目：来庁窓口「本町出張所」は登録されていません"
        "（登録済み：honcho（本庁）、tanno（端野支所））。",
    ]
    assert list(Reservation.objects.values_list("external_id", flat=True)) == ["MP-11"]


@pytest.mark.django_db
def test_a_csv_without_the_headings_is_a_clear_error(tmp_path, demo_staff):
    path = tmp_path / "notices.csv"
    path.write_text("番号,日付,名前\r\nMP-1,2026-12-01,北見　一郎\r\n", encoding="utf-8")
    with pytest.raises(
        CommandError, match="1行目（見出し）に 予約番号、来庁予定日、氏名 がありません"
    ):
        run(path)


@pytest.mark.django_db
def test_a_changed_csv_imported_again_updates_the_visit(tmp_path, demo_staff, capsys):
    path = tmp_path / "notices.csv"
    path.write_text(HEAD + ROWS, encoding="utf-8")
    run(path)
    path.write_text(HEAD + ROWS.replace("2026/12/2", "2026/12/4"), encoding="utf-8")
    run(path)
    out = capsys.readouterr().out
    assert "（更新）" in out and "取込 0 件、更新 1 件" in out
    assert str(Reservation.objects.get().planned_date) == "2026-12-04"
