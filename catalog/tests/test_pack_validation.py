"""A broken pack is refused on load with the file and line of the problem."""

import shutil

import pytest

from catalog.pack import PackError, default_pack, load_pack
from catalog.tests.helpers import PACK_DIR


@pytest.fixture
def broken(tmp_path):
    """A copy of the default pack; edit(file, old, new) breaks it and returns the line."""
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


def _error(root) -> PackError:
    with pytest.raises(PackError) as info:
        load_pack(root)
    return info.value


def test_the_default_pack_loads_and_is_versioned_by_its_bytes():
    pack = load_pack(PACK_DIR)
    assert pack.version.startswith("2026.1+") and len(pack.version) == len("2026.1+") + 8
    assert pack.departments["shimin"].name == "市民課"
    assert pack.departments["shimin"].location
    assert pack.events["tennyu"].name == "転入"
    assert pack.facts["health_insurance"].register is True
    assert pack.facts["wants_inkan"].register is False


def test_the_default_pack_is_loaded_once_per_process():
    assert default_pack() is default_pack()


def test_a_changed_file_changes_the_version(broken):
    broken("procedures/tenkyo.yaml", "市内転学届（学区の変更）", "市内転学届")
    assert load_pack(broken.root).version != load_pack(PACK_DIR).version


def test_an_unknown_fact_in_a_rule_names_the_file_and_line(broken):
    line = broken("procedures/tenkyo.yaml", "when: has_mynumber_card", "when: has_mynumbercard")
    e = _error(broken.root)
    assert e.file.endswith("tenkyo.yaml") and e.line == line
    assert "has_mynumbercard" in str(e) and f"{line}行目" in str(e)


def test_a_duplicate_procedure_for_the_same_event_names_the_second_one(broken):
    line = broken("procedures/tenkyo.yaml", "  - id: koki_jusho\n", "  - id: kokuho_jusho\n")
    e = _error(broken.root)
    assert e.file.endswith("tenkyo.yaml") and e.line == line
    assert "kokuho_jusho" in e.message and "2回" in e.message


def test_a_duplicate_fact_id_is_refused(broken):
    line = broken("facts.yaml", "  - id: owns_farmland\n", "  - id: owns_moped\n")
    e = _error(broken.root)
    assert e.file.endswith("facts.yaml") and e.line == line


def test_a_rule_syntax_error_names_the_file_and_line(broken):
    line = broken("procedures/tennyu.yaml", "when: age >= 65", "when: age >= ")
    e = _error(broken.root)
    assert e.file.endswith("tennyu.yaml") and e.line == line
    assert "書き方" in e.message


def test_a_line_inside_a_multi_line_rule_is_named(broken):
    line = broken("procedures/marriage.yaml", "      and not (moving", "      and not (movin")
    e = _error(broken.root)
    assert e.file.endswith("marriage.yaml") and e.line == line


def test_python_outside_the_rule_language_is_refused(broken):
    broken("procedures/tenkyo.yaml", "when: owns_dog", "when: __import__('os').system('true')")
    assert "使えません" in _error(broken.root).message


def test_a_household_fact_without_h_is_refused(broken):
    broken("procedures/tenkyo.yaml", "when: h.new_dwelling", "when: new_dwelling")
    assert "h.new_dwelling" in _error(broken.root).message


def test_an_enum_value_that_does_not_exist_is_refused(broken):
    broken("procedures/tenkyo.yaml", "health_insurance == kokuho", "health_insurance == kokuhoo")
    e = _error(broken.root)
    assert "kokuhoo" in e.message and "kokuho" in e.message


def test_a_person_fact_in_a_visit_procedure_is_refused(broken):
    broken(
        "procedures/tenkyo.yaml",
        "    per: visit\n    when: true\n    deadline: 14d",
        "    per: visit\n    when: has_inkan\n    deadline: 14d",
    )
    assert "h.any" in _error(broken.root).message


def test_an_unknown_department_is_refused(broken):
    line = broken("procedures/tenkyo.yaml", "department: kyoiku", "department: gakumu")
    e = _error(broken.root)
    assert e.line == line and "gakumu" in e.message


def test_an_unknown_event_is_refused(broken):
    broken("procedures/tenkyo.yaml", "events: [tenkyo]", "events: [tenkyo, tenkyoo]")
    assert "tenkyoo" in _error(broken.root).message


def test_an_unknown_kind_is_refused(broken):
    broken("procedures/tenkyo.yaml", "kind: auto", "kind: automatic")
    assert "automatic" in _error(broken.root).message


def test_a_bad_deadline_is_refused(broken):
    line = broken("procedures/tenkyo.yaml", "deadline: 30d", "deadline: 30days")
    e = _error(broken.root)
    assert e.line == line and "30days" in e.message


def test_a_misspelt_key_is_refused(broken):
    line = broken("procedures/tenkyo.yaml", "    bring: [鑑札]", "    brings: [鑑札]")
    e = _error(broken.root)
    assert e.line == line and "brings" in e.message


def test_a_yaml_syntax_error_names_the_line(broken):
    line = broken("events.yaml", "    name: 転居\n", "    name: [転居\n")
    e = _error(broken.root)
    assert e.file.endswith("events.yaml") and line <= e.line <= line + 1


def test_a_procedure_file_missing_from_pack_yaml_is_refused(broken):
    (broken.root / "procedures" / "extra.yaml").write_text("procedures: []\n", encoding="utf-8")
    assert "extra.yaml" in _error(broken.root).message


def test_the_same_procedure_in_two_departments_is_refused(broken):
    broken(
        "procedures/tenkyo.yaml",
        "  - id: inu_henko\n    department: dobutsu",
        "  - id: inu_henko\n    department: kankyo",
    )
    assert "inu_henko" in _error(broken.root).message
