"""`madoguchi navigate`: FORMAT.md's JSON with --json, a table for people without."""

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

FAMILY = Path(settings.BASE_DIR).parent / "shared" / "scenarios" / "tennyu-family-of-four.yaml"


def _run(*args) -> str:
    out = StringIO()
    call_command("navigate", *args, stdout=out)
    return out.getvalue()


def test_it_prints_the_format_md_json():
    data = json.loads(_run(str(FAMILY), "--json"))
    first = data["procedures"][0]
    assert first["id"] == "jumin_tennyu" and first["person"] is None
    assert first["deadline"] == "2026-04-24" and first["status"] == "applies"
    assert {p["id"] + "@" + str(p["person"]) for p in data["procedures"]} >= {"hoiku@child2"}


def test_the_json_keeps_japanese_readable():
    assert "市民課" in _run(str(FAMILY), "--json")


def test_it_prints_a_table_grouped_by_department_with_names_and_wareki_deadlines():
    text = _run(str(FAMILY))
    assert "■ 市民課（" in text
    assert "葛󠄀西　辰治" in text
    assert "令和8年4月24日" in text
    assert "該当 11件・要確認 0件" in text


def test_the_console_command_runs_well_under_a_second_of_work():
    run = subprocess.run(
        [sys.executable, "manage.py", "navigate", str(FAMILY), "--json"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert len(json.loads(run.stdout)["procedures"]) == 11
