"""A municipality overlay: the base pack with the city's names, 窓口, settings and procedures."""

import shutil
from datetime import date

import pytest

from catalog.navigator import navigate
from catalog.pack import PackError, check_pack, default_pack, load_pack
from catalog.tests.helpers import PACK_DIR, applies, key, person, visit

OVERLAY_DIR = PACK_DIR.parent / "overlays" / "example-city"


@pytest.fixture(scope="module")
def city():
    return load_pack(OVERLAY_DIR)


@pytest.fixture(scope="module")
def base():
    return load_pack(PACK_DIR)


@pytest.fixture
def layout(tmp_path):
    """default/ and overlays/example-city/ copied side by side, so `base:` resolves."""
    shutil.copytree(PACK_DIR, tmp_path / "default")
    shutil.copytree(OVERLAY_DIR, tmp_path / "overlays" / "example-city")

    def edit(rel, old, new):
        path = tmp_path / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return text[: text.index(old)].count("\n") + 1

    edit.root = tmp_path / "overlays" / "example-city"
    return edit


def test_the_example_overlay_is_a_clean_pack_of_its_own(city):
    assert check_pack(OVERLAY_DIR) == []
    assert city.name == "さくら市カタログ（例）"
    assert city.version.startswith("2026.1-sakura.1+") and city.label == "2026.1-sakura.1"
    assert city.layers == (PACK_DIR, OVERLAY_DIR)
    assert city.municipality == {"code": "019992", "name": "さくら市", "pref": "北海道"}


def test_departments_are_renamed_and_moved_and_the_rest_kept(city, base):
    assert city.departments["shimin"].name == "市民窓口課"
    assert city.departments["shimin"].location == "本庁舎1階 1番窓口"
    # Only the counter changes: the floor is the base's.
    assert city.departments["hoken_nenkin"].location == "本庁舎1階 2番窓口"
    assert city.departments["kaigo"] == base.departments["kaigo"]
    assert city.departments["sakura_kotsu"].location == "本庁舎2階 26番窓口"
    assert list(city.departments)[: len(base.departments)] == list(base.departments)


def test_the_results_carry_the_citys_names_and_counters(city):
    case = visit("tennyu", "2026-04-10", person("a", "1980-01-01", applicant=True))
    first = navigate(city, case)[0]
    assert (first.id, first.department_name, first.location) == (
        "jumin_tennyu",
        "市民窓口課",
        "本庁舎1階 1番窓口",
    )


def test_the_kodomo_iryo_age_limit_is_the_citys(city, base):
    # On 2026-04-10 a child born 2010-06-01 is past the 3月31日 after reaching 15, not 18.
    case = visit(
        "tennyu",
        "2026-04-10",
        person("p", "1980-01-01", applicant=True),
        person("c15", "2010-06-01", relation="子"),
        person("c14", "2011-06-01", relation="子"),
    )
    assert {"kodomo_iryo@c15", "kodomo_iryo@c14"} <= applies(case, base)
    assert "kodomo_iryo@c15" not in applies(case, city)
    assert "kodomo_iryo@c14" in applies(case, city)


def _death(*others):
    d = person("d", "1950-01-01", role="deceased", moving=False, health_insurance="kokuho",
               municipal_grave_holder=True)  # fmt: skip
    return visit("death", "2026-05-01", d, *others)


def test_sosaihi_shows_the_citys_amount_in_the_title(city, base):
    w = person("w", "1952-01-01", relation="妻", moving=False, applicant=True)
    titles = {r.id: r.title for r in navigate(city, _death(w))}
    assert titles["kokuho_sosaihi"] == "国民健康保険 葬祭費支給申請（喪主に30,000円）"
    base_titles = {r.id: r.title for r in navigate(base, _death(w))}
    assert base_titles["kokuho_sosaihi"] == "国民健康保険 葬祭費支給申請（喪主に50,000円）"


def test_the_city_lists_setainushi_henko_even_when_the_new_head_is_self_evident(city, base):
    w = person("w", "1952-01-01", relation="妻", moving=False, applicant=True)
    assert "setainushi_henko@d" in applies(_death(w), city)
    assert "setainushi_henko@d" not in applies(_death(w), base)


def test_a_removed_procedure_is_gone_for_good(city, base):
    w = person("w", "1952-01-01", relation="妻", moving=False, applicant=True)
    assert "bochi_meigi@d" in applies(_death(w), base)
    assert "bochi_meigi" not in city.procedures
    assert "bochi_meigi@d" not in applies(_death(w), city)


def test_the_citys_own_procedures_run_like_the_rest(city):
    case = visit(
        "tennyu",
        date(2026, 4, 10),
        person("g", "1955-01-01", applicant=True),
        person("p", "1957-01-01", relation="妻"),
        new_dwelling=True,
    )
    got = {key(r): r for r in navigate(city, case)}
    assert "sakura_pass@g" in got and "sakura_pass@p" not in got  # 71 and 69
    assert got["sakura_pass@g"].department_name == "交通政策課"
    assert got["sakura_pass@g"].title == "高齢者バス乗車証（さくらパス）交付申請（70歳以上）"
    assert got["sakura_gomi_bukuro"].location == "清掃センター 受付"


def test_the_counter_can_run_on_the_overlay(settings):
    settings.CATALOG_DIR = OVERLAY_DIR
    assert default_pack().name == "さくら市カタログ（例）"
    settings.CATALOG_DIR = PACK_DIR
    assert default_pack().name == "標準カタログ（デモ市・北見市）"


def test_an_overlay_of_an_overlay_stacks(tmp_path, layout):
    top = tmp_path / "overlays" / "branch"
    top.mkdir()
    (top / "pack.yaml").write_text(
        "name: 支所版\nversion: '1'\nbase: ../example-city\nsettings: {kodomo_iryo_age: 12}\n",
        encoding="utf-8",
    )
    pack = load_pack(top)
    assert pack.settings["kodomo_iryo_age"] == 12
    assert pack.departments["shimin"].name == "市民窓口課" and len(pack.layers) == 3


@pytest.mark.parametrize(
    ("rel", "old", "new", "words"),
    [
        ("procedures/sakura.yaml", "department: sakura_kotsu", "department: kotsu", "「kotsu」という担当課"),
        ("procedures/sakura.yaml", "  - id: sakura_pass_henkan\n", "  - id: shibo_todoke\n", "2回定義"),
        ("pack.yaml", "remove: [bochi_meigi]", "remove: [bochi_meigii]", "bochi_meigii"),
        ("pack.yaml", "base: ../../default", "base: ../../nothing", "見つかりません"),
        ("pack.yaml", "kodomo_iryo_age: 15", "kodomo_iryo_age: 十五", "数です"),
        ("procedures/sakura.yaml", "（{setting.sakura_pass_age}歳以上）", "（{setting.pass_age}歳以上）",
         "setting.pass_age"),
        ("departments.yaml", "  - id: sakura_kotsu\n    name: 交通政策課\n", "  - id: sakura_kotsu\n",
         "name"),
    ],
    ids=["department", "duplicate-of-base", "remove-unknown", "base-missing", "setting-type",
         "setting-in-title", "new-department-without-name"],
)  # fmt: skip
def test_a_problem_in_the_overlay_names_the_overlays_file_and_line(layout, rel, old, new, words):
    line = layout(f"overlays/example-city/{rel}", old, new)
    problems = check_pack(layout.root)
    found = next(p for p in problems if words in p.message)
    assert found.file.endswith(f"example-city/{rel}"), found
    assert line <= found.line <= line + 2 or rel == "pack.yaml", found
    with pytest.raises(PackError):
        load_pack(layout.root)


def test_a_problem_in_the_base_is_reported_in_the_base(layout):
    line = layout("default/procedures/tenkyo.yaml", "when: owns_dog", "when: owns_dogs")
    (problem,) = check_pack(layout.root)
    assert problem.file.endswith("default/procedures/tenkyo.yaml") and problem.line == line


def test_remove_is_only_for_overlays(tmp_path):
    shutil.copytree(PACK_DIR, tmp_path / "p")
    meta = tmp_path / "p" / "pack.yaml"
    meta.write_text(meta.read_text(encoding="utf-8") + "remove: [gomi_annai]\n", encoding="utf-8")
    assert "remove は base のある" in str(check_pack(tmp_path / "p")[0])


def test_a_base_that_leads_back_to_itself_is_refused(layout):
    layout(
        "default/pack.yaml",
        'version: "2026.1"\n',
        'version: "2026.1"\nbase: ../overlays/example-city\n',
    )
    problems = check_pack(layout.root)
    assert len(problems) == 1 and "循環" in problems[0].message


def test_a_never_applying_rule_in_the_base_is_named_by_the_bases_path(layout):
    line = layout(
        "default/procedures/tenkyo.yaml", "when: owns_dog", "when: owns_dog and not owns_dog"
    )
    (problem,) = check_pack(layout.root)
    assert problem.kind == "never" and problem.line == line
    assert problem.file == str(layout.root.parent.parent / "default" / "procedures" / "tenkyo.yaml")
