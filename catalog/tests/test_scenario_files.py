"""Reading scenario files (FORMAT.md): defaults, identity data, and invalid files refused."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from catalog.scenario import ScenarioError, load_scenario
from catalog.tests.helpers import pack

GOOD = """\
name: テスト
event: tennyu
date: 2026-04-10
household:
  new_dwelling: true
  address: {zip: "0900024", pref: 北海道, city: 北見市}
  phone: 0157-00-0000
people:
  - id: a
    name: 葛󠄀西　辰治
    name_kana: カサイ　タツジ
    applicant: true
    moving: true
    relation: 世帯主
    birth_date: 1988-05-12
    sex: 1
    pension_category: 2
    care_certified: unknown
  - id: b
    moving: true
    birth_date: R2.1.15
"""


def _write(tmp_path, text, name="s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_booleans_left_out_are_false_and_enums_unknown_except_nationality(tmp_path):
    sc = load_scenario(_write(tmp_path, GOOD), pack())
    a = sc.case.people[0].facts
    assert a["has_mynumber_card"] is False
    assert a.get("health_insurance") is None
    assert a["nationality"] == "JP"
    assert a["care_certified"] is None
    assert a["pension_category"] == "2" and a["sex"] == "1"
    assert a["disability_handbooks"] == frozenset()
    assert sc.case.people[1].facts["role"] == "member"


def test_it_reads_wareki_dates_too(tmp_path):
    sc = load_scenario(_write(tmp_path, GOOD), pack())
    assert sc.case.people[1].facts["birth_date"].isoformat() == "2020-01-15"


def test_identity_data_is_kept_for_printing_and_left_out_of_the_facts(tmp_path):
    sc = load_scenario(_write(tmp_path, GOOD), pack())
    assert sc.name == "テスト"
    assert sc.household["address"]["city"] == "北見市"
    assert sc.household["phone"] == "0157-00-0000"
    assert sc.people[0]["name"] == "葛󠄀西　辰治" and sc.people[0]["id"] == "a"
    assert "name" not in sc.case.people[0].facts
    assert "address" not in sc.case.household


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("event: tennyu", "event: tenyu", ["tenyu", "2行目"]),
        ("date: 2026-04-10", "date: 2026-02-30", ["2026-02-30", "3行目"]),
        ("  - id: b", "  - id: a", ["「a」", "2回", "19行目", "9行目"]),
        ("    sex: 1", "    sexx: 1", ["sexx", "16行目"]),
        ("    sex: 1", "    sex: 3", ["sex", "16行目"]),
        ("    applicant: true\n", "", ["applicant", "0人"]),
        (
            "    moving: true\n    birth_date: R2",
            "    moving: true\n    applicant: true\n    birth_date: R2",
            ["2人"],
        ),
        ("  new_dwelling: true", "  new_dwelling: [true", ["YAML", "行目"]),
        ("  new_dwelling: true", "  moving: true", ["moving", "5行目"]),
        (
            "    pension_category: 2",
            "    pension_category: 2\n    pension_category: 3",
            ["pension_category", "2回"],
        ),
    ],
    ids=[
        "unknown-event",
        "bad-date",
        "duplicate-person",
        "unknown-fact",
        "bad-enum",
        "no-applicant",
        "two-applicants",
        "yaml-syntax",
        "person-fact-in-household",
        "duplicate-key",
    ],
)
def test_an_invalid_scenario_exits_2_with_the_problem_and_its_line(tmp_path, old, new, words):
    assert old in GOOD
    path = _write(tmp_path, GOOD.replace(old, new, 1))
    with pytest.raises(CommandError) as info:
        call_command("navigate", str(path), "--json")
    assert info.value.returncode == 2
    for w in words:
        assert w in str(info.value), (w, str(info.value))


def test_a_missing_file_exits_2(tmp_path):
    with pytest.raises(CommandError) as info:
        call_command("navigate", str(tmp_path / "nothing.yaml"))
    assert info.value.returncode == 2


def test_the_command_line_prints_only_the_message_and_exits_2(tmp_path):
    path = _write(tmp_path, GOOD.replace("date: 2026-04-10", "date: 2026-02-30"))
    run = subprocess.run(
        [sys.executable, "manage.py", "navigate", str(path), "--json"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2
    assert "2026-02-30" in run.stderr and "3行目" in run.stderr
    assert "Traceback" not in run.stderr
    assert run.stdout == ""


def test_a_scenario_error_is_a_value_with_file_line_and_message(tmp_path):
    path = _write(tmp_path, GOOD.replace("event: tennyu", "event: [marriage, tenyu]"))
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, pack())
    assert info.value.line == 2 and info.value.file == str(path)
