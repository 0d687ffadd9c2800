"""`check_pack` and `madoguchi catalog check`: every problem of a pack, with file and line."""

import shutil
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from catalog.pack import PackError, check_pack, load_pack
from catalog.tests.helpers import PACK_DIR


@pytest.fixture
def copy(tmp_path):
    """A copy of the default pack; edit(file, old, new) changes it and returns the line."""
    root = tmp_path / "pack"
    shutil.copytree(PACK_DIR, root)

    def edit(rel, old, new):
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        line = text[: text.index(old)].count("\n") + 1
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return line

    edit.root = root
    return edit


def _where(problems):
    return {(p.file.split("/")[-1], p.line) for p in problems}


def test_the_default_pack_has_no_problems():
    assert check_pack(PACK_DIR) == []


def test_it_reports_every_problem_not_just_the_first(copy):
    lines = {
        ("tenkyo.yaml", copy("procedures/tenkyo.yaml", "when: has_mynumber_card", "when: has_card")),
        ("tennyu.yaml", copy("procedures/tennyu.yaml", "department: kyoiku", "department: gakumu")),
        ("death.yaml", copy("procedures/death.yaml", "  - id: miteki_kaoku\n", "  - id: kotei_shisan\n")),
        ("birth.yaml", copy("procedures/birth.yaml", "    kind: form\n    form: teitaiju\n", "    kind: form\n")),
        ("divorce.yaml", copy("procedures/divorce.yaml", "when: keeps_married_surname", "when: keeps_married_surname and")),
        ("other.yaml", copy("procedures/other.yaml", "    when: h.low_income\n", "    whenn: h.low_income\n")),
        ("facts.yaml", copy("facts.yaml", "  - id: owns_farmland\n", "  - id: owns_moped\n")),
    }  # fmt: skip
    problems = check_pack(copy.root)
    assert lines <= _where(problems), (lines - _where(problems), [str(p) for p in problems])
    assert all(p.kind == "error" for p in problems)
    text = "\n".join(map(str, problems))
    for words in (
        "has_card",
        "gakumu",
        "kotei_shisan",
        "form のID",
        "書き方",
        "whenn",
        "owns_moped",
    ):
        assert words in text, words


def test_load_pack_raises_the_first_problem_and_keeps_them_all(copy):
    copy("procedures/tenkyo.yaml", "when: has_mynumber_card", "when: has_card")
    copy("procedures/tennyu.yaml", "department: kyoiku", "department: gakumu")
    with pytest.raises(PackError) as info:
        load_pack(copy.root)
    assert "gakumu" in info.value.message  # tennyu.yaml is read before tenkyo.yaml
    assert [p.message for p in info.value.problems][1].startswith("「has_card」")


def test_a_broken_core_file_stops_before_rules_repeat_the_same_gap(copy):
    copy("events.yaml", "    name: 転居\n", "    name: [転居\n")
    problems = check_pack(copy.root)
    assert len(problems) == 1 and problems[0].file.endswith("events.yaml")


@pytest.mark.parametrize(
    ("rel", "old", "new", "words"),
    [
        ("procedures/tennyu.yaml", "when: age >= 65", "when: age >= 65 and age < 18", "age の範囲"),
        (
            "procedures/tenkyo.yaml",
            "when: health_insurance == koki",
            "when: health_insurance == koki and health_insurance == kokuho",
            "health_insurance",
        ),
        ("procedures/tenkyo.yaml", "when: owns_dog", "when: owns_dog and not owns_dog", "owns_dog"),
        (
            "procedures/tennyu.yaml",
            "when: care_certified",
            "when: care_certified and event == tennyu_abroad",
            "event",
        ),
        ("procedures/birth.yaml", "when: birth_weight_g < 2500", "when: role == deceased", "role"),
        ("procedures/death.yaml", "when: uses_elderly_services", "when: false", "false"),
        (
            "procedures/divorce.yaml",
            "when: h.child_surname_differs",
            "when: h.any(is_head and relation == 子)",
            "h.any",
        ),
    ],
    ids=[
        "age-range",
        "enum-twice",
        "fact-and-not",
        "event-of-another",
        "subject",
        "constant",
        "any",
    ],
)
def test_a_rule_that_can_never_apply_is_reported_at_its_line(copy, rel, old, new, words):
    line = copy(rel, old, new)
    problems = check_pack(copy.root)
    assert [(p.kind, p.file.split("/")[-1], p.line) for p in problems] == [
        ("never", rel.split("/")[-1], line)
    ]
    assert words in problems[0].message and "決して当てはまりません" in problems[0].message
    load_pack(copy.root)  # the navigator can still run on it


def test_a_rule_for_one_event_of_a_shared_entry_is_not_reported(copy):
    copy(
        "procedures/tennyu.yaml",
        "when: wants_inkan and age >= 15",
        "when: wants_inkan and event == tennyu",
    )
    assert check_pack(copy.root) == []


def test_the_command_prints_a_summary_and_exits_0_on_a_clean_pack():
    out = StringIO()
    call_command("catalog", "check", str(PACK_DIR), stdout=out)
    assert out.getvalue().startswith("問題はありません: 標準カタログ")
    assert "手続 " in out.getvalue()


def test_the_command_lists_every_problem_and_exits_1(copy, tmp_path):
    a = copy("procedures/tenkyo.yaml", "when: has_mynumber_card", "when: has_card")
    b = copy("procedures/tennyu.yaml", "when: age >= 65", "when: age >= 65 and age < 18")
    run = subprocess.run(
        [sys.executable, "manage.py", "catalog", "check", str(copy.root)],
        cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert run.returncode == 1
    assert f"tenkyo.yaml {a}行目" in run.stdout and "has_card" in run.stdout
    # One pass finds both: the error and the rule that can never apply elsewhere in the pack.
    assert f"tennyu.yaml {b}行目" in run.stdout and "（当てはまらない規則）" in run.stdout
    assert "問題が2件" in run.stderr and "Traceback" not in run.stderr
    copy("procedures/tenkyo.yaml", "when: has_card", "when: has_mynumber_card")
    with pytest.raises(CommandError) as info:
        call_command("catalog", "check", str(copy.root), stdout=StringIO())
    assert info.value.returncode == 1


def test_without_a_path_it_checks_the_pack_the_counter_runs_on(settings):
    settings.CATALOG_DIR = PACK_DIR
    out = StringIO()
    call_command("catalog", "check", stdout=out)
    assert "問題はありません" in out.getvalue()
