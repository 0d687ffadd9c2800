"""`madoguchi navigate`: FORMAT.md's JSON with --json, a table for people without."""

import json
import os
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


def _console(*args, env):
    madoguchi = Path(sys.executable).with_name("madoguchi")  # the installed console script
    return subprocess.run(
        [str(madoguchi), *args], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip


def test_the_console_command_needs_no_database_and_exits_2_on_a_bad_scenario(tmp_path):
    # Pure computation on files (requires_system_checks = []): ../shared/tools/check-scenarios
    # runs it where no database may answer. This one cannot be opened (its directory is
    # missing), so any query or system check that touched it would fail the run.
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/missing/db.sqlite3"}

    run = _console("navigate", str(FAMILY), "--json", env=env)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == json.loads(_run(str(FAMILY), "--json"))

    bad = tmp_path / "bad.yaml"
    bad.write_text("household: [\n", encoding="utf-8")
    run = _console("navigate", str(bad), env=env)
    assert run.returncode == 2 and "2行目" in run.stderr and run.stdout == ""
