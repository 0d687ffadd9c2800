"""The register import through the API and the command: the 市民課's core system token only,
one audit entry per import with its counts, and no protected address in any answer."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from accounts.models import AuditEntry, Department
from backoffice.api import issue_token
from backoffice.models import CoreSystem
from residents.models import Household, Resident
from residents.tests.conftest import make_household, make_resident
from residents.tests.register_files import family, person, write_csv, write_json

pytestmark = pytest.mark.django_db
URL = "/api/v1/register/imports"


@pytest.fixture
def tokens(demo_staff):
    def token(code, dept):
        return issue_token(CoreSystem.objects.create(code=code, name=code,
                                                     department=Department.objects.get(code=dept)))  # fmt: skip

    return {"juki": token("juki", "shimin"), "kokuho": token("kokuho", "hoken_nenkin")}


def _post(client, token, path, **query):
    with open(path, "rb") as f:
        upload = SimpleUploadedFile(path.name, f.read())
    qs = "&".join(f"{k}={v}" for k, v in query.items())
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post(f"{URL}?{qs}", {"file": upload}, headers=headers)


def test_the_register_systems_token_loads_and_the_import_is_audited_once(client, tokens, tmp_path):
    path = write_csv(tmp_path / "full.csv", family())
    response = _post(client, tokens["juki"], path)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["written"] and body["residents"]["added"] == 4 and body["changes"] == 6
    assert Resident.objects.get(person_no="100003").name == "山田\u3000葛\U000e0100"
    entries = list(AuditEntry.objects.filter(action="register.imported"))
    assert len(entries) == 1
    assert entries[0].detail["system"] == "juki" and entries[0].detail["residents"]["added"] == 4
    assert "rejected" not in entries[0].detail

    again = _post(client, tokens["juki"], path)
    assert again.status_code == 200 and again.json()["changes"] == 0


def test_another_departments_system_and_no_token_are_refused(client, tokens, tmp_path):
    path = write_csv(tmp_path / "full.csv", family())
    assert _post(client, None, path).status_code == 401
    refused = _post(client, tokens["kokuho"], path)
    assert refused.status_code == 403
    assert refused.json()["message"] == "住民記録を取り込めるのは市民課の基幹系システムだけです。"
    assert not Resident.objects.exists()
    assert not AuditEntry.objects.filter(action="register.imported").exists()


def test_a_difference_with_a_bad_row_is_answered_400_and_writes_nothing(client, tokens, tmp_path):
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
            change="変更",
        ),  # fmt: skip
        person(
            "901",
            "H9",
            "保護\u3000こども",
            "ホゴ\u3000コドモ",
            "R1.13.1",
            relation="子",
            town="寿町",
            banchi="8丁目8番8号",
            katagaki="新居コーポ202",
            support="1",
            change="追加",
        ),  # fmt: skip
    ]
    response = _post(client, tokens["juki"], write_json(tmp_path / "diff.json", rows), mode="diff")
    assert response.status_code == 400
    body = response.json()
    assert body["rejected"] == [{"line": 2, "reason": "生年月日を日付として読めません（R1.13.1）"}]
    text = response.content.decode()
    assert not any(s in text for s in ("寿町", "7丁目", "8丁目", "コーポ"))
    assert Household.objects.get(household_no="H9").katagaki == "コーポ秘密101"


def test_a_dry_run_reports_the_counts_and_writes_nothing(client, tokens, tmp_path):
    response = _post(
        client, tokens["juki"], write_csv(tmp_path / "f.csv", family()), dry_run="true"
    )
    assert response.status_code == 200
    assert response.json()["residents"]["added"] == 4 and not response.json()["written"]
    assert not Resident.objects.exists()


def test_the_command_loads_cp932_and_says_what_changed(tmp_path, capsys):
    rows = family()[:2] + family()[3:]
    path = write_csv(tmp_path / "s.csv", rows, encoding="cp932")
    call_command("register", "import", str(path), "--encoding", "cp932")
    assert "住民 追加 3" in capsys.readouterr().out
    call_command("register", "import", str(path))
    assert "変更 0 件" in capsys.readouterr().out
    assert AuditEntry.objects.filter(action="register.imported").count() == 2


def test_the_command_refuses_a_bad_file_with_the_lines(tmp_path, capsys):
    rows = family()
    rows[0]["性別"] = "?"
    with pytest.raises(CommandError, match="1 行に誤り"):
        call_command("register", "import", str(write_csv(tmp_path / "b.csv", rows)))
    assert "2 行目: 性別が読めません（?）" in capsys.readouterr().err
    assert not Resident.objects.exists()


def test_a_mapping_sent_with_the_file_reads_the_core_systems_columns(client, tokens):
    from pathlib import Path

    samples = Path(__file__).resolve().parents[2] / "residents" / "fixtures" / "register"
    with (
        open(samples / "full.sample.csv", "rb") as f,
        open(samples / "mapping.sample.yaml", "rb") as m,
    ):
        response = client.post(
            URL,
            {
                "file": SimpleUploadedFile("full.csv", f.read()),
                "mapping": SimpleUploadedFile("map.yaml", m.read()),
            },  # fmt: skip
            headers={"Authorization": f"Bearer {tokens['juki']}"},
        )
    assert response.status_code == 200, response.content
    assert response.json()["residents"]["added"] == 5
    assert Resident.objects.get(person_no="900000002").relation == "妻"


def test_a_mapping_that_is_not_yaml_is_refused_in_japanese(client, tokens, tmp_path):
    path = write_csv(tmp_path / "f.csv", family())
    with open(path, "rb") as f:
        response = client.post(
            URL,
            {
                "file": SimpleUploadedFile("f.csv", f.read()),
                "mapping": SimpleUploadedFile("m.yaml", b"columns: [unclosed"),
            },  # fmt: skip
            headers={"Authorization": f"Bearer {tokens['juki']}"},
        )
    assert response.status_code == 400
    assert response.json()["message"].startswith("対応表を YAML として読めません")
    assert not Resident.objects.exists()
