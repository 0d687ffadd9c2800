"""export → import gives the same navigator; diff says what another city does differently."""

import shutil
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command

from catalog.exchange import FORMAT, diff_packs, export_pack, import_pack, open_pack
from catalog.navigator import navigate
from catalog.pack import check_pack, load_pack
from catalog.scenario import load_scenario
from catalog.tests.helpers import PACK_DIR

OVERLAY_DIR = PACK_DIR.parent / "overlays" / "example-city"
SCENARIOS = [
    *sorted((Path(settings.BASE_DIR).parent / "shared" / "scenarios").glob("*.yaml")),
    *sorted((Path(__file__).resolve().parent / "scenarios").glob("*.yaml")),
]


@pytest.fixture(scope="module", params=[PACK_DIR, OVERLAY_DIR], ids=["default", "overlay"])
def round_trip(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("exchange")
    original = load_pack(request.param)
    export_pack(original, tmp / "pack.yaml")
    return original, load_pack(import_pack(tmp / "pack.yaml", tmp / "imported")), tmp


def test_the_imported_pack_navigates_every_public_scenario_exactly_as_the_original(round_trip):
    original, imported, _ = round_trip
    assert len(SCENARIOS) > 40
    for path in SCENARIOS:
        case = load_scenario(path, original).case
        want = [r.as_json() for r in navigate(original, case)]
        assert [r.as_json() for r in navigate(imported, case)] == want, path.name


def test_the_imported_pack_is_clean_and_remembers_where_it_came_from(round_trip):
    original, imported, tmp = round_trip
    assert check_pack(tmp / "imported") == []
    assert imported.label == original.label and imported.name == original.name
    meta = yaml.safe_load((tmp / "imported" / "pack.yaml").read_text(encoding="utf-8"))
    assert meta["source"] == {"name": original.name, "version": original.version}
    assert "base" not in meta and "remove" not in meta
    assert diff_packs(original, imported)[-1] == "違いはありません。"


def test_the_export_is_one_self_contained_yaml_file(round_trip):
    original, _, tmp = round_trip
    data = yaml.safe_load((tmp / "pack.yaml").read_text(encoding="utf-8"))
    assert data["format"] == FORMAT and data["version"] == original.version
    assert {"pack.yaml", "departments.yaml", "facts.yaml", "events.yaml", "derived.yaml"} <= set(
        data["files"]
    )
    procedures = [p["id"] for name, doc in data["files"].items() if name.startswith("procedures/")
                  for p in doc["procedures"]]  # fmt: skip
    assert len(set(procedures)) == len(original.procedures)
    # The municipality code stays text for any YAML reader.
    assert "code: '0" in (tmp / "pack.yaml").read_text(encoding="utf-8")


def test_an_overlay_exports_merged_with_its_base(tmp_path):
    export_pack(load_pack(OVERLAY_DIR), tmp_path / "city.yaml")
    files = yaml.safe_load((tmp_path / "city.yaml").read_text(encoding="utf-8"))["files"]
    ids = {
        p["id"]
        for name, doc in files.items()
        if name.startswith("procedures/")
        for p in doc["procedures"]
    }
    assert "sakura_pass" in ids and "bochi_meigi" not in ids and "shibo_todoke" in ids
    shimin = next(d for d in files["departments.yaml"]["departments"] if d["id"] == "shimin")
    assert shimin["name"] == "市民窓口課" and shimin["location"] == "本庁舎1階 1番窓口"


def test_import_refuses_a_file_name_that_leaves_the_folder(tmp_path):
    export_pack(load_pack(PACK_DIR), tmp_path / "x.yaml")
    text = (tmp_path / "x.yaml").read_text(encoding="utf-8")
    (tmp_path / "x.yaml").write_text(
        text.replace("procedures/other.yaml:", "../other.yaml:"), encoding="utf-8"
    )
    with pytest.raises(CommandError) as info:
        call_command("catalog", "import", str(tmp_path / "x.yaml"), "-o", str(tmp_path / "out"))
    assert (
        info.value.returncode == 2
        and "../other.yaml" in str(info.value)
        and "行目" in str(info.value)
    )
    assert not (tmp_path / "other.yaml").exists()


def test_import_refuses_a_folder_that_is_not_empty_and_a_file_that_is_not_an_export(tmp_path):
    export_pack(load_pack(PACK_DIR), tmp_path / "x.yaml")
    with pytest.raises(CommandError, match="空ではありません"):
        call_command("catalog", "import", str(tmp_path / "x.yaml"), "-o", str(PACK_DIR.parent))
    with pytest.raises(CommandError, match="書き出しファイルではありません"):
        call_command("catalog", "import", str(PACK_DIR / "pack.yaml"), "-o", str(tmp_path / "o"))


def test_the_commands_export_and_import(tmp_path):
    out = StringIO()
    call_command("catalog", "export", str(OVERLAY_DIR), "-o", str(tmp_path / "c.yaml"), stdout=out)
    assert "に書き出しました: さくら市カタログ（例）" in out.getvalue()
    call_command(
        "catalog", "import", str(tmp_path / "c.yaml"), "-o", str(tmp_path / "c"), stdout=out
    )
    assert "に読み込みました: さくら市カタログ（例） 2026.1-sakura.1+" in out.getvalue()


def _diff(a, b) -> str:
    out = StringIO()
    call_command("catalog", "diff", str(a), str(b), stdout=out)
    return out.getvalue()


def test_diff_reports_what_the_overlay_city_does_differently():
    text = _diff(PACK_DIR, OVERLAY_DIR)
    for line in [
        "A: 標準カタログ（デモ市・北見市）",
        "■ 設定",
        "子ども医療費助成の対象年齢（その年齢の年度末まで）（kodomo_iryo_age）: 18 → 15",
        "国民健康保険の葬祭費（円）（kokuho_sosaihi_amount）: 50000 → 30000",
        "shimin: 名前「市民課」→「市民窓口課」",
        "hoken_nenkin 国保年金課: 窓口「本庁舎1階 5番窓口」→「本庁舎1階 2番窓口」",
        "+ sakura_kotsu 交通政策課（本庁舎2階 26番窓口）: B で追加",
        "■ 手続の追加（B だけにある）",
        "sakura_pass（転入）: 高齢者バス乗車証（さくらパス）交付申請（70歳以上） — 交通政策課",
        "規則: age >= setting.sakura_pass_age（70歳以上）",
        "■ 手続の削除（A だけにある）",
        "bochi_meigi（死亡）: 市営墓地 使用者名義変更",
        "件名「国民健康保険 葬祭費支給申請（喪主に50,000円）」→「国民健康保険 葬祭費支給申請（喪主に30,000円）」",
        "規則の内容（設定による）「18歳到達後最初の3月31日まで」→「15歳到達後最初の3月31日まで」",
    ]:
        assert line in text, line


def test_diff_shows_a_changed_rule_and_deadline_in_words(tmp_path):
    shutil.copytree(PACK_DIR, tmp_path / "b")
    path = tmp_path / "b" / "procedures" / "tennyu.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "    when: age >= 65\n    deadline: 14d", "    when: age >= 70\n    deadline: 30d", 1
    )
    path.write_text(text, encoding="utf-8")
    out = _diff(PACK_DIR, tmp_path / "b")
    assert "kaigo_tennyu 介護保険 資格取得（異動）届" in out
    assert "規則「age >= 65」→「age >= 70」（65歳以上 → 70歳以上）" in out
    assert "期限 届出の日（異動日）の翌日から14日 → 届出の日（異動日）の翌日から30日" in out
    assert "転入・国外からの転入: " in out  # one entry, two events: said once


def test_diff_reads_an_export_file_and_says_when_nothing_differs(tmp_path):
    export_pack(load_pack(PACK_DIR), tmp_path / "x.yaml")
    assert open_pack(tmp_path / "x.yaml").name == load_pack(PACK_DIR).name
    assert _diff(PACK_DIR, tmp_path / "x.yaml").rstrip().endswith("違いはありません。")


def test_the_printing_forms_travel_as_their_text(round_trip):
    original, imported, tmp = round_trip
    forms = sorted(p.name for p in (PACK_DIR / "forms").glob("*.yaml"))
    assert forms, "the default pack ships form templates"
    for name in forms:
        text = (PACK_DIR / "forms" / name).read_text(encoding="utf-8")
        assert (tmp / "imported" / "forms" / name).read_text(encoding="utf-8") == text
